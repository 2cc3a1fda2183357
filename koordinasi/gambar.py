"""Checking and re-encoding uploaded images (activity photos, letterhead logos).

The file's type is read from its content with Pillow, never from its name or the browser's
Content-Type: only JPEG and PNG pass, at most 5 MB and 40 megapixels (a small file can declare
a huge image: a "pixel flood" that would exhaust memory when decoded). Accepted images are
decoded and encoded again: what is stored holds only pixels, no EXIF (GPS position of a
vulnerable person's home), no comments, no embedded payload.
"""

import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAKS_BYTE = 5 * 1024 * 1024
MAKS_PIKSEL = 40_000_000
# MPO is how Pillow names the multi-picture JPEG many phone cameras write.
FORMAT_DITERIMA = {"JPEG", "MPO", "PNG"}

PESAN_JENIS = "Hanya foto berformat JPEG atau PNG yang dapat diunggah."
PESAN_RUSAK = "Berkas ini bukan foto JPEG/PNG yang utuh. Pilih foto lain."
PESAN_KOSONG = "Berkas yang dipilih kosong."


@dataclass
class GambarOlahan:
    data: bytes
    lebar: int
    tinggi: int
    format: str  # "JPEG" or "PNG"


def _pesan_ukuran(ukuran: int) -> str:
    return (
        f"Ukuran berkas {ukuran / 1024 / 1024:.1f} MB, melebihi batas 5 MB. "
        "Kecilkan foto atau pilih foto lain."
    )


def baca_unggahan(berkas) -> bytes:
    """The uploaded file's bytes, refusing an empty or oversized file before reading it all."""
    ukuran = getattr(berkas, "size", None)
    if ukuran is not None and ukuran > MAKS_BYTE:
        raise ValidationError(_pesan_ukuran(ukuran), code="terlalu_besar")
    berkas.seek(0)
    data = berkas.read(MAKS_BYTE + 1)
    if len(data) > MAKS_BYTE:
        raise ValidationError(_pesan_ukuran(len(data)), code="terlalu_besar")
    if not data:
        raise ValidationError(PESAN_KOSONG, code="kosong")
    return data


def _buka(data: bytes) -> Image.Image:
    """Open and fully check an image (type from content, pixel count, integrity)."""
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice that; here both refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data)) as probe:
                if probe.format not in FORMAT_DITERIMA:
                    raise ValidationError(PESAN_JENIS, code="jenis")
                lebar, tinggi = probe.size
                if lebar * tinggi > MAKS_PIKSEL:
                    raise ValidationError(
                        f"Gambar terlalu besar ({lebar}×{tinggi} piksel). "
                        "Batasnya 40 megapiksel; kecilkan foto lalu unggah lagi.",
                        code="piksel",
                    )
                probe.verify()
            # verify() leaves the image unusable: open again to decode it.
            image = Image.open(BytesIO(data))
            return image
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(
                "Gambar terlalu besar (jumlah piksel melampaui batas 40 megapiksel).",
                code="piksel",
            ) from None
        except UnidentifiedImageError:
            raise ValidationError(PESAN_JENIS, code="jenis") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(PESAN_RUSAK, code="rusak") from None


def _ke_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        latar = Image.new("RGB", rgba.size, (255, 255, 255))
        latar.paste(rgba, mask=rgba.getchannel("A"))
        return latar
    return image.convert("RGB")


# JPEG qualities tried in turn until the display image fits `maks_byte` (a photo already made
# small on the phone must not grow again on the server).
KUALITAS = (82, 72, 62, 52, 42)


def _jpeg(image: Image.Image, maks_byte: int | None) -> bytes:
    for kualitas in KUALITAS:
        keluaran = BytesIO()
        image.save(keluaran, "JPEG", quality=kualitas, optimize=True, progressive=True)
        if maks_byte is None or keluaran.tell() <= maks_byte:
            break
    return keluaran.getvalue()


def olah_gambar(
    data: bytes, *, sisi: tuple[int, ...], format: str = "JPEG", maks_byte: int | None = None
) -> list[GambarOlahan]:
    """Check `data` and re-encode it once per longest side in `sisi` (never enlarged).

    JPEG output is RGB on white, its quality stepped down while the first size is over
    `maks_byte`; PNG output keeps transparency (logos). Nothing but the pixels is written: EXIF,
    ICC comments and text chunks are dropped.
    """
    image = _buka(data)
    try:
        if image.format in ("JPEG", "MPO"):
            # Decode a phone photo at a reduced scale: less memory and time.
            image.draft("RGB", (max(sisi) * 2, max(sisi) * 2))
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
        # Apply the camera's orientation before its EXIF is dropped.
        image = ImageOps.exif_transpose(image)
        if format == "JPEG":
            image = _ke_rgb(image)
        elif image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        hasil = []
        for i, batas in enumerate(sisi):
            salinan = image.copy()
            salinan.thumbnail((batas, batas), Image.Resampling.LANCZOS)
            if format == "JPEG":
                isi = _jpeg(salinan, maks_byte if i == 0 else None)
            else:
                keluaran = BytesIO()
                salinan.save(keluaran, "PNG", optimize=True)
                isi = keluaran.getvalue()
            hasil.append(GambarOlahan(isi, *salinan.size, format))
        return hasil
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombWarning):
        raise ValidationError(PESAN_RUSAK, code="rusak") from None
    finally:
        image.close()


def olah_unggahan(
    berkas, *, sisi: tuple[int, ...], format: str = "JPEG", maks_byte: int | None = None
) -> list[GambarOlahan]:
    """Read an uploaded file and `olah_gambar` it."""
    return olah_gambar(baca_unggahan(berkas), sisi=sisi, format=format, maks_byte=maks_byte)
