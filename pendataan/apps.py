from django.apps import AppConfig


class PendataanConfig(AppConfig):
    name = "pendataan"
    verbose_name = "Pendataan"
