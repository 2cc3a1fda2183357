"""Background jobs (django-tasks, database backend; run by `manage.py db_worker`)."""

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from laporan import exports
from laporan.berkas_ekspor import ekspor_gagal, nama_berkas_acak
from laporan.models import BerkasEkspor, StatusEkspor
from tksk import lease
from tksk.audit import catat
from tksk.models import Wilayah
from tksk.routers import baca_replika
from tksk.scoping import is_active_user
from tksk.tasks import coba_ulang

logger = logging.getLogger(__name__)


@task()
def siapkan_ekspor(berkas_id: int) -> int:
    """Write a queued person-level export to MEDIA_ROOT/ekspor/ under a random name.

    The job re-reads the requester's scope now (a user moved or deactivated since the request
    gets nothing), and claims the job with a conditional update, so that two workers never write
    the same job twice. Returns the number of rows written."""
    diklaim = BerkasEkspor.objects.filter(pk=berkas_id, status=StatusEkspor.ANTRI).update(
        status=StatusEkspor.PROSES
    )
    if not diklaim:
        return 0
    berkas = BerkasEkspor.objects.select_related("pemohon", "wilayah").get(pk=berkas_id)
    pemohon = berkas.pemohon
    p = berkas.parameter
    wilayah = Wilayah.objects.for_user(pemohon).filter(kode=p.get("wilayah")).first()
    if not is_active_user(pemohon) or wilayah is None:
        ekspor_gagal(berkas, "Wilayah tidak lagi dalam cakupan akun Anda.")
        return 0
    permintaan = exports.Permintaan(
        jenis=p["jenis"],
        wilayah=wilayah,
        status=p.get("status") or "",
        kategori_id=p.get("kategori"),
        nik_lengkap=bool(p.get("nik_lengkap")),
        format=p.get("format", "csv"),
    )
    relatif = nama_berkas_acak(permintaan.format)
    path = Path(settings.MEDIA_ROOT) / relatif
    path.parent.mkdir(parents=True, exist_ok=True)
    lease.catat_berkas(relatif)  # removed if this worker dies before the file is done

    def tulis():
        with baca_replika():
            return exports.tulis_berkas(exports.ekspor_untuk(pemohon, permintaan), path)

    try:
        # A dropped connection or a full moment on disk gets two more tries before the job fails.
        n = coba_ulang(tulis, sebelum_ulang=lambda _galat: path.unlink(missing_ok=True))
    except Exception:
        logger.exception("Ekspor %s gagal", berkas.uuid)
        path.unlink(missing_ok=True)
        ekspor_gagal(berkas, "Berkas tidak dapat disiapkan. Silakan coba lagi.")
        return 0
    path.chmod(0o600)
    BerkasEkspor.objects.filter(pk=berkas.pk).update(
        status=StatusEkspor.SELESAI,
        berkas=relatif,
        jumlah_baris=n,
        nama_unduhan=exports.nama_unduhan(permintaan),
        selesai_pada=timezone.now(),
    )
    catat(
        aksi="ekspor_selesai",
        pelaku=pemohon,
        objek=berkas,
        data={"jenis": permintaan.jenis, "filter": p, "baris": n},
    )
    return n


@lease.saat_diambil_kembali("laporan.tasks.siapkan_ekspor")
def _ekspor_diambil_kembali(args, kwargs, *, diulang: bool, pesan: str) -> None:
    """The worker writing this export died: queue it again from the start (the job claims only
    a queued export), or tell the requester it failed. A finished export stays as it is."""
    berkas_id = (args or [kwargs.get("berkas_id")])[0]
    berkas = BerkasEkspor.objects.filter(pk=berkas_id).first()
    if berkas is None or berkas.status == StatusEkspor.SELESAI:
        return
    if diulang:
        BerkasEkspor.objects.filter(pk=berkas_id).update(status=StatusEkspor.ANTRI)
    else:
        ekspor_gagal(berkas, pesan)
