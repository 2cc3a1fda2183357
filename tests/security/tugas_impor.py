"""A job for the stored-traceback test: it reads a NIK from a file (as the import job reads its
upload, so its arguments carry none) and fails with it in its error, as a duplicate key would.
Run by a real `manage.py db_worker`."""

from pathlib import Path

from django_tasks import task


@task()
def gagal_membaca(path: str) -> None:
    nik = Path(path).read_text().strip()
    raise ValueError(f"Baris 2: Key (nik)=({nik}) already exists.")
