"""django-tasks-db's `prune_db_task_results`, which first takes back the jobs of dead workers
(tksk.lease), so that the hourly clean-up also ends a job left RUNNING by a killed worker."""

from django_tasks_db.management.commands import prune_db_task_results

from tksk import lease


class Command(prune_db_task_results.Command):
    def handle(self, *args, **options):
        hasil = lease.ambil_kembali()
        if hasil["diulang"] or hasil["digagalkan"]:
            self.stdout.write(
                f"{hasil['diulang']} pekerjaan yatim diantrekan ulang, "
                f"{hasil['digagalkan']} digagalkan, {hasil['berkas']} berkas sebagian dihapus."
            )
        return super().handle(*args, **options)
