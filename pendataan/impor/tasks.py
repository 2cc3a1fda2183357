"""The background job that checks or imports an upload (`manage.py db_worker` runs it)."""

import hashlib
import logging
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django_tasks import task

from pendataan.impor.berkas import baca_berkas
from pendataan.impor.lembar import BerkasDitolak
from pendataan.impor.pemrosesan import himpunan_siap, proses
from pendataan.impor.unggahan import (
    Status,
    _tulis_laporan,
    hapus,
    milik_cakupan,
    pindah_status,
    ubah,
)
from tksk.models import User
from tksk.tasks import coba_ulang

logger = logging.getLogger(__name__)


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            sha.update(chunk)
    return sha.hexdigest()


PESAN_GAGAL = (
    "Berkas tidak dapat diproses karena kesalahan sistem. Coba unggah lagi; jika terulang, "
    "hubungi admin."
)


@task()
def jalankan_impor(token: str, aksi: str) -> str:
    """Check ("periksa") or import ("simpan") an upload; the state lives in its metadata."""
    simpan = aksi == "simpan"
    if simpan:
        unggahan = pindah_status(token, (Status.ANTRI_SIMPAN,), Status.MENYIMPAN)
    else:
        unggahan = pindah_status(token, (Status.ANTRI,), Status.MEMERIKSA)
    if unggahan is None:
        return "dilewati"
    meta = unggahan.meta

    def progres(selesai, total):
        ubah(token, progres={"selesai": selesai, "total": total})

    try:
        pelaku = User.objects.select_related("wilayah").get(
            pk=meta.get("pengonfirmasi_id") if simpan else meta["user_id"]
        )
        if not milik_cakupan(unggahan, pelaku):
            raise PermissionDenied
        if _sha256(unggahan.berkas) != meta["sha256"]:
            raise BerkasDitolak("Berkas yang tersimpan berubah sejak diunggah. Unggah lagi.")
        lembar = baca_berkas(unggahan.berkas, meta["jenis"])
        # A dropped connection gets two more tries (the run is one transaction, rolled back
        # whole, and a confirmation is recorded once) before the job fails.
        laporan = coba_ulang(
            lambda: proses(
                pelaku=pelaku,
                lembar=lembar,
                simpan=simpan,
                sha256=meta["sha256"],
                nama_berkas=meta["nama_berkas"],
                token=token,
                harapan=meta.get("siap") if simpan else None,
                progres=progres,
            )
        )
    except BerkasDitolak as error:
        ubah(token, status=Status.GAGAL, pesan=" ".join(error.messages))
        return Status.GAGAL
    except (PermissionDenied, User.DoesNotExist, FileNotFoundError):
        ubah(token, status=Status.GAGAL, pesan="Akun ini tidak lagi dapat mengimpor data ini.")
        return Status.GAGAL
    except Exception:
        logger.exception("Impor %s gagal", token)
        ubah(token, status=Status.GAGAL, pesan=PESAN_GAGAL)
        return Status.GAGAL
    if laporan.get("sudah_diimpor"):
        ubah(token, status=Status.SELESAI)
        return Status.SELESAI
    _tulis_laporan(token, laporan)
    if not simpan or laporan.get("berubah"):
        ubah(
            token,
            status=Status.SIAP,
            ringkasan=laporan["ringkasan"],
            siap=himpunan_siap(laporan),
            berubah=bool(laporan.get("berubah")),
            detik_periksa=laporan["detik"],
        )
        return Status.SIAP
    terkini = ubah(
        token,
        status=Status.SELESAI,
        ringkasan=laporan["ringkasan"],
        detik_simpan=laporan["detik"],
        contoh_aksen=[],  # names from the file: they go with it
    )
    # The file and the preview (personal data) go; the counts stay for the result page.
    hapus(terkini or unggahan, simpan_meta=True)
    return Status.SELESAI
