import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files of a test go to its own folder (and are looked at there)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def berkas_tersimpan(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file())
