from django.apps import AppConfig


class TenagaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tenaga"
    verbose_name = "Tenaga TKSK"
