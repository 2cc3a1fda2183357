"""A worker killed with SIGKILL in the middle of an export: the job is taken back by the next
worker (re-queued, run again from the start) or, after its retry, failed with a message by the
clean-up command; the partial file is removed either way. Real `db_worker` processes.

The export is held in the middle by a table lock taken from another connection: the worker has
claimed the job, opened its file and waits on the persons table, its heartbeat still running."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from laporan.models import BerkasEkspor, StatusEkspor
from pendataan.models import Individu
from tests.matrix.ppks import buat_keluarga
from tksk.lease import PESAN_GAGAL
from tksk.models import AuditLog, JobLease

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # seconds, for the worker processes of this test
BATAS = 60


def _dsn():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _worker(nama, media):
    cmd = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    cmd += ["--interval", "0.1", "--worker-id", nama, "--verbosity", "0"]
    env = {
        **os.environ,
        "DATABASE_URL": _dsn(),
        "MEDIA_ROOT": str(media),
        "JOB_LEASE_DETIK": str(LEASE),
    }
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)


def _tunggu(syarat, pesan):
    batas = time.monotonic() + BATAS
    while time.monotonic() < batas:
        hasil = syarat()
        if hasil:
            return hasil
        time.sleep(0.1)
    raise AssertionError(pesan)


def _kunci_individu():
    """Another connection holds the persons table: an export reading it waits."""
    kunci = psycopg.connect(_dsn(), autocommit=False)
    kunci.execute(f'LOCK TABLE "{Individu._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
    return kunci


def _bunuh_di_tengah(berkas, media, nama):
    """Start a worker, wait until it writes `berkas` (lease with its file, file on disk), then
    SIGKILL it. Returns the partial file."""
    kunci = _kunci_individu()
    pekerja = _worker(nama, media)
    try:
        sewa = _tunggu(
            lambda: JobLease.objects.filter(worker_id=nama).exclude(berkas="").first(),
            "the worker never leased the export",
        )
        sebagian = Path(media) / sewa.berkas
        _tunggu(sebagian.exists, "the worker never opened its file")
        berkas.refresh_from_db()
        assert berkas.status == StatusEkspor.PROSES
        # Its heartbeat runs while the job waits.
        detak = sewa.detak
        _tunggu(
            lambda: JobLease.objects.get(pk=sewa.pk).detak > detak, "no heartbeat while running"
        )
        pekerja.send_signal(signal.SIGKILL)
        pekerja.wait(timeout=10)
        assert pekerja.returncode == -signal.SIGKILL
    finally:
        kunci.rollback()
        kunci.close()
        if pekerja.poll() is None:
            pekerja.kill()
            pekerja.wait()
    return sewa.task_id, sebagian


@pytest.mark.django_db(transaction=True)
def test_killed_export_is_run_again_then_failed_and_its_partial_file_removed(
    client, world, settings, tmp_path
):
    settings.EKSPOR_BATAS_LANGSUNG = 0  # every export goes to the worker
    settings.MEDIA_ROOT = str(tmp_path)
    for i in range(6):
        buat_keluarga(world, "pahandut" if i % 2 else "selat")
    client.force_login(world.users["prov"])
    isian = {"jenis": "individu", "wilayah": world.provinsi.pk, "format": "csv", "status": ""}
    assert client.post(reverse("laporan:ekspor"), isian).status_code == 302
    berkas = BerkasEkspor.objects.get()
    status_url = reverse("laporan:ekspor-status", args=[berkas.uuid])

    # 1. SIGKILL in the middle: without leases the job stayed RUNNING and the file stayed.
    task_id, sebagian = _bunuh_di_tengah(berkas, tmp_path, "uji-mati-1")
    assert DBTaskResult.objects.get(pk=task_id).status == TaskResultStatus.RUNNING
    assert sebagian.exists()
    time.sleep(LEASE + 0.5)  # the lease expires

    # 2. A new worker takes it back at start, re-queues it and runs it again from the start.
    pekerja = _worker("uji-hidup", tmp_path)
    try:
        _tunggu(
            lambda: BerkasEkspor.objects.get(pk=berkas.pk).status == StatusEkspor.SELESAI,
            "the re-queued export never finished",
        )
    finally:
        pekerja.send_signal(signal.SIGTERM)  # SIGTERM as before: a clean exit
        _, err = pekerja.communicate(timeout=30)
    assert pekerja.returncode == 0, err
    berkas.refresh_from_db()
    hasil = DBTaskResult.objects.get(pk=task_id)
    assert hasil.status == TaskResultStatus.SUCCESSFUL
    assert hasil.worker_ids == ["uji-mati-1", "uji-hidup"]
    assert berkas.jumlah_baris == Individu.objects.count() == 6
    assert not sebagian.exists()
    assert (tmp_path / berkas.berkas).is_file() and Path(berkas.berkas).name != sebagian.name
    assert sorted(p.name for p in (tmp_path / "ekspor").iterdir()) == [Path(berkas.berkas).name]
    assert not JobLease.objects.exists()
    jejak = AuditLog.objects.get(aksi="kerja_diambil_kembali")
    assert jejak.data["diulang"] is True and jejak.data["worker"] == "uji-mati-1"
    assert "Berkas siap: 6 baris" in client.get(status_url).content.decode()

    # 3. A second export killed twice: after its one retry the clean-up command fails it.
    assert client.post(reverse("laporan:ekspor"), isian).status_code == 302
    kedua = BerkasEkspor.objects.latest("pk")
    task_id, sebagian_1 = _bunuh_di_tengah(kedua, tmp_path, "uji-mati-2")
    time.sleep(LEASE + 0.5)
    settings.JOB_LEASE_DETIK = LEASE
    call_command("laporan_bersihkan_ekspor", verbosity=0)  # re-queued, file removed
    assert not sebagian_1.exists()
    kedua.refresh_from_db()
    assert kedua.status == StatusEkspor.ANTRI
    assert DBTaskResult.objects.get(pk=task_id).status == TaskResultStatus.READY
    _, sebagian_2 = _bunuh_di_tengah(kedua, tmp_path, "uji-mati-3")
    time.sleep(LEASE + 0.5)
    call_command("laporan_bersihkan_ekspor", verbosity=0)
    kedua.refresh_from_db()
    assert kedua.status == StatusEkspor.GAGAL and kedua.pesan == PESAN_GAGAL
    hasil = DBTaskResult.objects.get(pk=task_id)
    assert hasil.status == TaskResultStatus.FAILED
    assert hasil.exception_class_path == "tksk.lease.PekerjaHilang"
    assert not sebagian_2.exists() and not JobLease.objects.exists()
    halaman = client.get(reverse("laporan:ekspor-status", args=[kedua.uuid])).content.decode()
    assert "proses latar belakang mati mendadak" in halaman
    assert "sedang disiapkan" not in halaman
    # Nothing left running, and a later worker finds nothing to do.
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
