from django.apps import AppConfig


class TenagaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tenaga"
    verbose_name = "Tenaga TKSK"

    def ready(self):
        from tenaga import signals  # noqa: F401  (receivers of the core's account signals)
