from django.apps import AppConfig


class PetaConfig(AppConfig):
    name = "peta"
    verbose_name = "Peta wilayah"
