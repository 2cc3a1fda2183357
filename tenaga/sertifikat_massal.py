"""Every certificate of a bimtek as one PDF, in the background (the export job's pattern:
laporan/tasks.py and laporan/berkas_ekspor.py).

The province asks for it (`minta`); a job (`tenaga.tasks.siapkan_sertifikat`, run by
`manage.py db_worker`) renders the certificates in batches, counting its progress on the job's
row, and writes one PDF under MEDIA_ROOT/sertifikat/ with a random name. The file is served
only to the user who asked while the bimtek is in their scope, and deleted when it expires.
"""

import secrets
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tenaga import services as svc
from tenaga.models import BerkasSertifikat, Bimtek, PesertaBimtek, StatusBerkas
from tksk.audit import catat
from tksk.pdf import BASE_URL, CSS_DASAR, PDFGagal, _weasyprint, data_uri, pengambil_terbatas

PER_BATCH = 34  # certificates per WeasyPrint render (136 = 4 batches): progress per batch
UMUR = timedelta(hours=24)


def peserta_bersertifikat(bimtek: Bimtek, user):
    """The participants of `bimtek` with a certificate number, in `user`'s scope."""
    return (
        PesertaBimtek.objects.for_user(user)
        .filter(bimtek=bimtek, nomor_sertifikat__isnull=False)
        .select_related("profil__kecamatan", "bimtek")
        .order_by("profil__kecamatan__kode", "profil__nama", "pk")
    )


@transaction.atomic
def minta(*, pelaku, bimtek: Bimtek, dasar_url: str) -> BerkasSertifikat:
    """Queue the PDF of every certificate of `bimtek`; a job of the same user still running for
    it is returned instead of a second one."""
    svc._cek_pengelola(pelaku)
    jumlah = peserta_bersertifikat(bimtek, pelaku).count()
    if not jumlah:
        raise ValidationError("Belum ada peserta dengan nomor sertifikat.")
    Bimtek.objects.select_for_update().filter(pk=bimtek.pk).first()
    berjalan = BerkasSertifikat.objects.filter(
        bimtek=bimtek, pemohon=pelaku, status__in=[StatusBerkas.ANTRI, StatusBerkas.PROSES]
    ).first()
    if berjalan is not None:
        return berjalan
    berkas = BerkasSertifikat.objects.create(
        bimtek=bimtek,
        pemohon=pelaku,
        jumlah=jumlah,
        dasar_url=dasar_url[:200],
        kedaluwarsa_pada=timezone.now() + UMUR,
    )
    catat(aksi="sertifikat_massal_minta", pelaku=pelaku, objek=bimtek, data={"jumlah": jumlah})
    from tenaga.tasks import siapkan_sertifikat

    transaction.on_commit(lambda: siapkan_sertifikat.enqueue(berkas.pk))
    return berkas


def _qr(teks: str) -> str:
    """The verification link's QR code, as tksk.pdf.qr_data_uri draws it but with a fixed mask
    pattern: searching the best of eight costs ~0.1 s a code, most of a certificate's time in
    a batch of 136; any mask gives a valid code."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=6, border=2, mask_pattern=0)
    qr.add_data(teks)
    qr.make(fit=True)
    buffer = BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return data_uri(buffer.getvalue(), "image/png")


def nama_berkas_acak() -> str:
    return f"sertifikat/{secrets.token_urlsafe(24)}.pdf"


def tulis_pdf(*, peserta: list, dasar_url: str, path: Path, progres=None) -> int:
    """Render the certificates of `peserta` into one PDF at `path`; `progres(n)` after each
    batch. Returns the number of certificates."""
    weasyprint, _, _ = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    # One font configuration for every batch: the pages are joined into one document.
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=CSS_DASAR, font_config=fonts)
    halaman, dokumen = [], None
    for awal in range(0, len(peserta), PER_BATCH):
        batch = peserta[awal : awal + PER_BATCH]
        sertifikat = [
            {
                "p": p,
                "qr": _qr(
                    dasar_url.rstrip("/") + reverse("tenaga:sertifikat-verifikasi", args=[p.token])
                ),
            }
            for p in batch
        ]
        html = render_to_string(
            "tenaga/pdf/sertifikat_banyak.html",
            {"sertifikat": sertifikat, "bimtek": batch[0].bimtek},
        )
        try:
            dokumen = weasyprint.HTML(
                string=html, base_url=BASE_URL, url_fetcher=pengambil_terbatas()
            ).render(stylesheets=[css], font_config=fonts)
        except Exception as exc:
            raise PDFGagal(str(exc)) from exc
        halaman.extend(dokumen.pages)
        if progres is not None:
            progres(awal + len(batch))
    if dokumen is None:
        raise PDFGagal("tidak ada sertifikat")
    dokumen.copy(halaman).write_pdf(target=str(path))
    return len(peserta)


def path_berkas(berkas: BerkasSertifikat) -> Path:
    return Path(settings.MEDIA_ROOT) / berkas.berkas


def hapus_berkas(berkas: BerkasSertifikat) -> None:
    if berkas.berkas:
        path_berkas(berkas).unlink(missing_ok=True)
        BerkasSertifikat.objects.filter(pk=berkas.pk).update(berkas="")
        berkas.berkas = ""


def gagal(berkas_id: int, pesan: str) -> None:
    BerkasSertifikat.objects.filter(pk=berkas_id).update(
        status=StatusBerkas.GAGAL, pesan=pesan[:255], selesai_pada=timezone.now()
    )
