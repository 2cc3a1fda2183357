"""A job for the log test: it logs a NIK and fails with one in its error, as a job that meets a
duplicate key (`Key (nik)=(…) already exists`) would. Run by a real `manage.py db_worker`."""

import logging

from django_tasks import task

logger = logging.getLogger("tksk.tasks")


@task()
def gagal_dengan_nik(nik: str) -> None:
    logger.warning("Memproses anggota dengan NIK %s", nik)
    raise ValueError(f"Key (nik)=({nik}) already exists.")
