from django.apps import AppConfig


class SinkronConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sinkron"
    verbose_name = "Sinkronisasi luring"
