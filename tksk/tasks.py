"""Background jobs of the core (django-tasks, database backend; run by `manage.py db_worker`)."""

import os
import socket
import time

from django_tasks import task

from tksk.audit import catat

TIDUR_MAKS = 5.0  # seconds: a health-check job must never hold a worker for long


@task(takes_context=True)
def catat_kerja(context, label: str = "", tidur: float = 0.0) -> dict:
    """Record that a worker ran this job: one audit-log row (aksi ``kerja_uji``) with the job id,
    the host and the worker's process id. A health check for the workers (enqueue one, see it
    done) and the evidence in scripts/workers_demo.py that each job runs exactly once.
    `tidur` keeps the worker busy for that long, so that several workers overlap."""
    if tidur > 0:
        time.sleep(min(tidur, TIDUR_MAKS))
    hasil = {
        "job": str(context.task_result.id),
        "label": label,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "worker": (context.task_result.worker_ids or [""])[-1],
    }
    catat(aksi="kerja_uji", data=hasil)
    return hasil
