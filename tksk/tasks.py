"""Background jobs of the core (django-tasks, database backend; run by `manage.py db_worker`)."""

import logging
import os
import socket
import time

from django.db import InterfaceError, OperationalError, close_old_connections
from django_tasks import task

from tksk.audit import catat

logger = logging.getLogger(__name__)

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


# Errors worth another try: the database restarted or a connection dropped, a disk hiccup.
GALAT_SEMENTARA = (OperationalError, InterfaceError, OSError)


def coba_ulang(fungsi, *, percobaan: int = 3, jeda: float = 1.0, sebelum_ulang=None):
    """Run `fungsi()` up to `percobaan` times when it fails with a transient error, waiting
    `jeda`, 2×`jeda`, … in between (django-tasks-db itself never retries a failed job).
    `sebelum_ulang(galat)` cleans up a partial result before the next try. The last error is
    raised when every try failed; other errors are raised at once."""
    for nomor in range(1, percobaan + 1):
        try:
            return fungsi()
        except GALAT_SEMENTARA as galat:
            if nomor == percobaan:
                raise
            logger.warning("Percobaan %s gagal (%s); diulang.", nomor, type(galat).__name__)
            if sebelum_ulang is not None:
                sebelum_ulang(galat)
            close_old_connections()
            time.sleep(jeda * nomor)
    return None
