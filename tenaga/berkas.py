"""Checking uploaded training materials, the way every upload of the app is checked: the type
is read from the content (never the name or the browser's Content-Type), the size is bounded,
and images are decoded and re-encoded (koordinasi/gambar.py) so only pixels are stored."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from koordinasi.gambar import GambarOlahan, olah_gambar

MAKS_BYTE = 10 * 1024 * 1024
PESAN_JENIS = "Materi hanya dapat berupa berkas PDF, atau gambar JPEG/PNG."


def periksa_materi(berkas) -> tuple[SimpleUploadedFile, str]:
    """(file to store, "pdf"/"jpg"/"png") or ValidationError with an Indonesian message."""
    ukuran = getattr(berkas, "size", 0) or 0
    if ukuran > MAKS_BYTE:
        raise ValidationError(
            f"Ukuran berkas {ukuran / 1024 / 1024:.1f} MB, melebihi batas 10 MB.",
            code="terlalu_besar",
        )
    berkas.seek(0)
    data = berkas.read(MAKS_BYTE + 1)
    if not data:
        raise ValidationError("Berkas yang dipilih kosong.", code="kosong")
    if len(data) > MAKS_BYTE:
        raise ValidationError("Ukuran berkas melebihi batas 10 MB.", code="terlalu_besar")
    if data.startswith(b"%PDF-"):
        # A real PDF ends with its trailer; a page with a PDF header in front does not.
        if b"%%EOF" not in data[-1024:]:
            raise ValidationError("Berkas PDF ini tidak utuh.", code="rusak")
        return SimpleUploadedFile("materi.pdf", data, "application/pdf"), "pdf"
    if data.startswith((b"\xff\xd8", b"\x89PNG")):
        hasil: GambarOlahan = olah_gambar(
            data, sisi=(2400,), format="PNG" if data.startswith(b"\x89PNG") else "JPEG"
        )[0]
        jenis = "png" if hasil.format == "PNG" else "jpg"
        buffer = BytesIO(hasil.data)
        return SimpleUploadedFile(f"materi.{jenis}", buffer.getvalue(), f"image/{jenis}"), jenis
    raise ValidationError(PESAN_JENIS, code="jenis")
