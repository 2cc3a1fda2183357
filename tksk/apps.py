from django.apps import AppConfig


class TkskConfig(AppConfig):
    name = "tksk"
    verbose_name = "Inti"

    def ready(self):
        from django.db.models.signals import pre_save
        from django_tasks_db.models import DBTaskResult

        from tksk import signals  # noqa: F401
        from tksk.logging import samarkan_hasil_tugas

        pre_save.connect(
            samarkan_hasil_tugas, sender=DBTaskResult, dispatch_uid="tksk.samarkan_hasil_tugas"
        )
