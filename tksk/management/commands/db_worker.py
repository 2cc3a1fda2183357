"""django-tasks-db's `db_worker` with job leases (tksk.lease): on start it takes back the jobs
of workers that died, then leases each job it runs and renews the lease while the job runs.
Everything else — options, SIGTERM/SIGINT handling (finish the current job, then exit) — is the
library's own."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from tksk import lease


class Command(db_worker.Command):
    help = db_worker.Command.help + " (with job leases: a killed worker's job is taken back)"

    def handle(self, *args, **options):
        # With --reload the parent only watches files; the child process runs the jobs.
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)
        with lease.Pekerja(options["worker_id"]):
            return super().handle(*args, **options)
