from django.apps import AppConfig


class KoordinasiConfig(AppConfig):
    name = "koordinasi"
    verbose_name = "Koordinasi"

    def ready(self):
        from koordinasi.views import panel_home
        from tksk import panels

        # Overdue follow-ups and unanswered referrals wait on the TKSK's (and the Dinas') home.
        panels.register(panel_home)
