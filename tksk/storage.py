"""Static files: hashed and pre-compressed names in development as in production."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, but hashed URLs also when DEBUG is on (Django would hand out
    the plain names there), so `make run` sends what production sends: compressed files cached
    for a year. A file not yet collected falls back to its plain name in development."""

    manifest_strict = False

    def url(self, name, force=False):
        try:
            return super().url(name, force=True)
        except ValueError:
            if settings.DEBUG:
                return super().url(name, force=False)
            raise
