from django.apps import AppConfig


class TkskConfig(AppConfig):
    name = "tksk"
    verbose_name = "Inti"

    def ready(self):
        from tksk import signals  # noqa: F401
