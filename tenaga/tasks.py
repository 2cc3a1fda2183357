"""Background jobs of the TKSK registry (django-tasks, database backend; `manage.py db_worker`)."""

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tenaga import sertifikat_massal as massal
from tenaga.models import BerkasSertifikat, Bimtek, StatusBerkas
from tksk import lease
from tksk.audit import catat
from tksk.scoping import is_active_user
from tksk.tasks import coba_ulang

logger = logging.getLogger(__name__)


@task()
def siapkan_sertifikat(berkas_id: int) -> int:
    """Write every certificate of a bimtek into one PDF. Claims the job with a conditional
    update (two workers never write it twice), re-reads the requester's scope now, records its
    progress after each batch. Returns the number of certificates."""
    diklaim = BerkasSertifikat.objects.filter(pk=berkas_id, status=StatusBerkas.ANTRI).update(
        status=StatusBerkas.PROSES, selesai=0
    )
    if not diklaim:
        return 0
    berkas = BerkasSertifikat.objects.select_related("pemohon", "bimtek").get(pk=berkas_id)
    pemohon = berkas.pemohon
    bimtek = Bimtek.objects.for_user(pemohon).filter(pk=berkas.bimtek_id).first()
    if not is_active_user(pemohon) or bimtek is None:
        massal.gagal(berkas_id, "Bimtek ini tidak lagi dalam cakupan akun Anda.")
        return 0
    peserta = list(massal.peserta_bersertifikat(bimtek, pemohon))
    relatif = massal.nama_berkas_acak()
    path = Path(settings.MEDIA_ROOT) / relatif
    path.parent.mkdir(parents=True, exist_ok=True)
    lease.catat_berkas(relatif)  # removed if this worker dies before the file is done

    def progres(n: int) -> None:
        BerkasSertifikat.objects.filter(pk=berkas_id).update(selesai=n)

    def tulis():
        return massal.tulis_pdf(
            peserta=peserta, dasar_url=berkas.dasar_url, path=path, progres=progres
        )

    try:
        n = coba_ulang(tulis, sebelum_ulang=lambda _galat: path.unlink(missing_ok=True))
    except Exception:
        logger.exception("Sertifikat massal %s gagal", berkas.uuid)
        path.unlink(missing_ok=True)
        massal.gagal(berkas_id, "Berkas sertifikat tidak dapat dibuat. Silakan coba lagi.")
        return 0
    path.chmod(0o600)
    BerkasSertifikat.objects.filter(pk=berkas_id).update(
        status=StatusBerkas.SELESAI,
        berkas=relatif,
        jumlah=n,
        selesai=n,
        selesai_pada=timezone.now(),
    )
    catat(aksi="sertifikat_massal_selesai", pelaku=pemohon, objek=bimtek, data={"jumlah": n})
    return n


@lease.saat_diambil_kembali("tenaga.tasks.siapkan_sertifikat")
def _diambil_kembali(args, kwargs, *, diulang: bool, pesan: str) -> None:
    """The worker writing these certificates died: queue the job again from the start, or tell
    the requester it failed. A finished file stays as it is."""
    berkas_id = (args or [kwargs.get("berkas_id")])[0]
    berkas = BerkasSertifikat.objects.filter(pk=berkas_id).first()
    if berkas is None or berkas.status == StatusBerkas.SELESAI:
        return
    if diulang:
        BerkasSertifikat.objects.filter(pk=berkas_id).update(status=StatusBerkas.ANTRI, selesai=0)
    else:
        massal.gagal(berkas_id, pesan)
