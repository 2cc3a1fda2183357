"""Job leases: a job run by `manage.py db_worker` holds a lease that its worker renews; a job
whose worker died without a word (SIGKILL, out of memory, power loss) is taken back.

django-tasks-db marks a job RUNNING when a worker claims it and trusts that worker to finish it:
a killed worker leaves the job RUNNING for ever. Here the worker (tksk's db_worker, which wraps
the library's) records a lease when a job starts, renews it from a heartbeat thread, and drops
it when the job ends. A worker starting, a worker's heartbeat now and then, and the clean-up
commands call `ambil_kembali()`, which finds leases not renewed for JOB_LEASE_DETIK seconds and
re-queues their job (JOB_ULANG_MAKS times), then fails it. A job may record the file it is
writing (`catat_berkas`): that partial file is removed when its job is taken back. Each task
may register what its own records need on that occasion (`saat_diambil_kembali`)."""

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.signals import task_finished, task_started
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tksk.audit import catat
from tksk.models import JobLease

logger = logging.getLogger(__name__)

PESAN_GAGAL = (
    "Pekerjaan ini terhenti karena proses latar belakang mati mendadak, dan sudah dicoba ulang "
    "tanpa hasil. Silakan ulangi permintaan Anda."
)

_penangan: dict[str, Callable[..., None]] = {}
_pekerja: dict = {}  # this process's worker, set by `mulai_pekerja`
_aktif = threading.local()


class PekerjaHilang(Exception):
    """Recorded as the error of a job whose worker died."""


def lama_sewa() -> timedelta:
    return timedelta(seconds=max(1, int(settings.JOB_LEASE_DETIK)))


def saat_diambil_kembali(task_path: str):
    """Register `fungsi(args, kwargs, *, diulang: bool, pesan: str)` for a task: called in the
    transaction that re-queues (diulang=True) or fails (diulang=False) a job of that task."""

    def daftar(fungsi):
        _penangan[task_path] = fungsi
        return fungsi

    return daftar


def catat_berkas(relatif: str) -> None:
    """Record the file (relative to MEDIA_ROOT) the running job writes. Outside a leased worker
    (a direct `.call()`, the benchmark) there is no lease and nothing to record."""
    task_id = getattr(_aktif, "task_id", None)
    if task_id is not None:
        JobLease.objects.filter(task_id=task_id).update(berkas=relatif)


def _hapus_berkas(relatif: str) -> bool:
    if not relatif:
        return False
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relatif).resolve()
    if root not in path.parents:  # a recorded path never leaves MEDIA_ROOT
        return False
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def ambil_kembali() -> dict:
    """Take back every job whose lease expired (and every RUNNING job without a lease that
    started longer ago than a lease lasts: a worker killed between claim and start, or a job
    from before leases). Returns counts: {"diulang": n, "digagalkan": n, "berkas": n}."""
    hasil = {"diulang": 0, "digagalkan": 0, "berkas": 0}
    batas = timezone.now() - lama_sewa()
    kadaluwarsa = list(JobLease.objects.filter(detak__lt=batas).values_list("task_id", flat=True))
    tanpa_sewa = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=batas)
        .exclude(id__in=JobLease.objects.values("task_id"))
        .values_list("id", flat=True)
    )
    for task_id in [*kadaluwarsa, *tanpa_sewa]:
        try:
            berkas = _ambil_satu(task_id, batas, hasil)
        except DatabaseError:
            logger.exception("Pekerjaan %s tidak dapat diambil kembali", task_id)
            continue
        # The partial file goes once the database agrees that nobody writes it any more.
        if berkas and _hapus_berkas(berkas):
            hasil["berkas"] += 1
    return hasil


@transaction.atomic
def _ambil_satu(task_id, batas, hasil: dict) -> str | None:
    """Re-queue or fail one job; returns the partial file to remove, if any."""
    sewa = JobLease.objects.select_for_update(skip_locked=True).filter(task_id=task_id).first()
    if sewa is not None and sewa.detak >= batas:
        return None  # renewed meanwhile
    job = DBTaskResult.objects.select_for_update(skip_locked=True).filter(id=task_id).first()
    if job is None or job.status != TaskResultStatus.RUNNING:
        if sewa is not None:
            sewa.delete()
        return None
    if sewa is None and JobLease.objects.filter(task_id=task_id).exists():
        return None  # another process holds that lease row right now
    berkas = sewa.berkas if sewa else ""
    if sewa is not None:
        sewa.delete()
    diulang = len(job.worker_ids) <= int(settings.JOB_ULANG_MAKS)
    if diulang:
        job.status = TaskResultStatus.READY
        job.started_at = None
        job.save(update_fields=["status", "started_at"])
    else:
        job.set_failed(PekerjaHilang(f"Lease expired; worker {job.worker_ids[-1:]} gone."))
    with contextlib.suppress(ImportError):
        import_string(job.task_path)  # the task's module registers its handler on import
    penangan = _penangan.get(job.task_path)
    if penangan is not None:
        kw = job.args_kwargs
        penangan(kw.get("args", []), kw.get("kwargs", {}), diulang=diulang, pesan=PESAN_GAGAL)
    hasil["diulang" if diulang else "digagalkan"] += 1
    logger.warning(
        "Pekerjaan %s (%s) dari pekerja %s yang mati %s.",
        task_id,
        job.task_path,
        (job.worker_ids or ["?"])[-1],
        "diantrekan ulang" if diulang else "digagalkan",
    )
    catat(
        aksi="kerja_diambil_kembali",
        data={
            "job": str(task_id),
            "task": job.task_path,
            "worker": (job.worker_ids or [""])[-1],
            "diulang": diulang,
        },
    )
    return berkas


# --- In the worker process ---------------------------------------------------------------


class Pekerja:
    """Makes this process a leasing worker while in its `with` block: takes back what dead
    workers left, then records a lease for each job it starts and renews it from a daemon thread
    until the job ends. Leaving the block (the worker exits) stops the thread."""

    def __init__(self, worker_id: str):
        _pekerja.update(worker_id=worker_id[:64], pid=os.getpid(), host=socket.gethostname()[:255])
        self.berhenti = threading.Event()
        self.thread = threading.Thread(target=self._detak_terus, name="tksk-lease", daemon=True)

    def __enter__(self):
        hasil = ambil_kembali()
        if hasil["diulang"] or hasil["digagalkan"]:
            logger.warning("Pekerjaan yatim diambil kembali: %s", hasil)
        task_started.connect(_saat_mulai, dispatch_uid="tksk.lease.mulai")
        task_finished.connect(_saat_selesai, dispatch_uid="tksk.lease.selesai")
        self.thread.start()
        return self

    def __exit__(self, *exc):
        task_started.disconnect(dispatch_uid="tksk.lease.mulai")
        task_finished.disconnect(dispatch_uid="tksk.lease.selesai")
        self.berhenti.set()
        self.thread.join(timeout=5)
        return False

    def _detak_terus(self) -> None:
        """Renew this process's leases every quarter of a lease; now and then take back what
        other, dead workers left, so that a pool that keeps running also recovers."""
        jeda = lama_sewa().total_seconds() / 4
        putaran = 0
        try:
            while not self.berhenti.wait(jeda):
                putaran += 1
                try:
                    JobLease.objects.filter(
                        worker_id=_pekerja["worker_id"], pid=_pekerja["pid"]
                    ).update(detak=timezone.now())
                    if putaran % 4 == 0:
                        ambil_kembali()
                except DatabaseError:
                    logger.warning("Detak sewa pekerjaan gagal; dicoba lagi.", exc_info=True)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection


def _saat_mulai(sender, task_result, **kwargs):
    sekarang = timezone.now()
    JobLease.objects.update_or_create(
        task_id=task_result.id,
        defaults={
            "task_path": task_result.task.module_path,
            "worker_id": _pekerja["worker_id"],
            "pid": _pekerja["pid"],
            "host": _pekerja["host"],
            "mulai": sekarang,
            "detak": sekarang,
            "berkas": "",
        },
    )
    _aktif.task_id = task_result.id


def _saat_selesai(sender, task_result, **kwargs):
    _aktif.task_id = None
    JobLease.objects.filter(task_id=task_result.id).delete()
