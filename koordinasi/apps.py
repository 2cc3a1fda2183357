from django.apps import AppConfig


class KoordinasiConfig(AppConfig):
    name = "koordinasi"
    verbose_name = "Koordinasi"
