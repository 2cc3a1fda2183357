from django.apps import AppConfig


class PendataanConfig(AppConfig):
    name = "pendataan"
    verbose_name = "Pendataan"

    def ready(self):
        from pendataan.views import panel_home
        from tksk import panels

        # Returned records wait for the TKSK on the home page; the Dinas sees its backlog.
        panels.register(panel_home)
