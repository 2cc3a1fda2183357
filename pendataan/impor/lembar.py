"""A sheet as read (cells, rows, header mapping) and the limits every reader enforces."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError

from pendataan.impor.kolom import (
    KOLOM_KELUARGA,
    KOLOM_PPKS,
    LEMBAR_KELUARGA,
    LEMBAR_PPKS,
    SUBJEK_PPKS,
    WAJIB_KOLOM,
    _normal_judul,
)


def batas_mb() -> float:
    return getattr(settings, "IMPOR_BATAS_MB", 5)


def batas_baris() -> int:
    return getattr(settings, "IMPOR_BATAS_BARIS", 20000)


@dataclass
class Sel:
    """A cell as read: the raw value (str, int, float, datetime…) and whether it was a formula.
    A text longer than PANJANG_SEL_MAKS keeps only its first characters; `panjang` then holds
    its real length, and the check reports it on that cell."""

    nilai: object
    rumus: bool = False
    panjang: int = 0


# The longest field of the form is 255 characters (alamat), and up to this limit the form's own
# message names each field's length; the PPKS descriptions have none in the form, but some five
# pages is more than any real one. A longer cell is a paste gone wrong or an attack (Excel stops
# at 32,767, a crafted file need not): it is refused on its own cell, neither kept nor echoed.
PANJANG_SEL_MAKS = 10_000
_CUPLIKAN = 40  # what is kept of a refused cell (the page shows names up to 60 characters)


def _sel(value, rumus: bool = False) -> Sel:
    if isinstance(value, str) and len(value) > PANJANG_SEL_MAKS:
        return Sel(value[:_CUPLIKAN].strip() + "…", rumus, panjang=len(value))
    return Sel(value, rumus)


def _angka(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def pesan_panjang(panjang: int) -> str:
    return (
        f"Isi sel ini {_angka(panjang)} karakter, melebihi batas {_angka(PANJANG_SEL_MAKS)} "
        "karakter per sel. Periksa apakah teks tertempel berlebihan, lalu persingkat isinya."
    )


@dataclass
class Baris:
    nomor: int  # row number as the spreadsheet shows it (the header is row 1)
    sel: dict[str, Sel]

    def kosong(self) -> bool:
        return all(_kosong(s.nilai) for s in self.sel.values())


@dataclass
class Lembar:
    nama: str
    kolom: list[str]
    baris: list[Baris] = field(default_factory=list)
    tak_dikenal: list[str] = field(default_factory=list)
    # A CSV that is not UTF-8 is read as Windows-1252: the encoding, and a few of its cells with
    # accented letters, so the page can ask the user to check them.
    pengodean: str = "utf-8"
    contoh_aksen: list[str] = field(default_factory=list)


class BerkasDitolak(ValidationError):
    """The upload as a whole cannot be read (type, size, structure)."""


def _kosong(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_TAK_DIKENAL_MAKS = 20  # unknown headers named on the page; a header row may run to XFD
# openpyxl builds every row as wide as the last column asked for; the import's columns sit in
# the first few dozen, and no real sheet puts them past IV (the old Excel's last column).
KOLOM_MAKS = 256


def _kolom_dari_judul(nama_lembar: str, judul: list) -> tuple[list[str | None], list[str]]:
    dikenal = {k.kunci for k in (KOLOM_KELUARGA if nama_lembar == LEMBAR_KELUARGA else KOLOM_PPKS)}
    kolom, tak_dikenal, lainnya = [], [], 0
    for value in judul:
        kunci = _normal_judul(value)
        if kunci in dikenal and kunci not in kolom:
            kolom.append(kunci)
        else:
            kolom.append(None)
            if kunci and len(tak_dikenal) < _TAK_DIKENAL_MAKS:
                teks = str(value).strip()
                tak_dikenal.append(teks if len(teks) <= 60 else teks[:_CUPLIKAN] + "…")
            elif kunci:
                lainnya += 1
    if lainnya:
        tak_dikenal.append(f"dan {_angka(lainnya)} kolom lain")
    while kolom and kolom[-1] is None:
        kolom.pop()  # nothing right of the last known column is read
    if len(kolom) > KOLOM_MAKS:
        raise BerkasDitolak(
            f"Lembar {nama_lembar}: kolom {kolom[-1]} ada di kolom ke-{_angka(len(kolom))}. "
            f"Letakkan kolom impor dalam {KOLOM_MAKS} kolom pertama (A sampai IV): hapus kolom "
            "kosong di antaranya, lalu unggah lagi."
        )
    return kolom, tak_dikenal


def _cek_judul(lembar: Lembar) -> None:
    ada = set(lembar.kolom)
    kurang = sorted(WAJIB_KOLOM[lembar.nama] - ada)
    if lembar.nama == LEMBAR_KELUARGA and not ({"kode_keluarga", "no_kk"} & ada):
        kurang.append("kode_keluarga atau no_kk")
    if lembar.nama == LEMBAR_PPKS and not (SUBJEK_PPKS & ada):
        kurang.append("nik, no_kk, kode_keluarga atau nama_kelompok")
    if kurang:
        raise BerkasDitolak(
            f"Lembar {lembar.nama}: kolom {', '.join(kurang)} tidak ditemukan di baris judul "
            "(baris 1). Gunakan templat impor, atau samakan judul kolomnya."
        )


def baris_mentah_maks(batas: int) -> int:
    """Rows read in all, empty ones included. A format dragged far below the data leaves rows
    that are styled but empty, each of which openpyxl still parses; a sheet may have 1,048,576
    of them (tens of seconds). The template formats 2,000 rows and a real sheet at the row limit
    with twice as many formatted blank rows again stays under this, so reaching it means a
    hostile or broken file. It is refused, not cut off: data further down would be lost
    without a word."""
    return max(3 * batas, 10_000)


# Text kept in memory for one file, in characters: 20,000 rows of a real household sheet hold
# a few million; the cap bounds what cells repeated inline (not shared) could pile up.
TEKS_MAKS = 30_000_000


def _tolak_baris_mentah(nama: str, maks: int) -> BerkasDitolak:
    return BerkasDitolak(
        f"Lembar {nama} berisi lebih dari {_angka(maks)} baris, termasuk baris kosong yang "
        "diberi format. Hapus baris kosong di bawah data (pilih barisnya, klik kanan → Hapus), "
        "simpan, lalu unggah lagi."
    )


def _tolak_teks(nama: str) -> BerkasDitolak:
    return BerkasDitolak(
        f"Isi teks lembar {nama} terlalu besar untuk diimpor. Bagi berkas menjadi beberapa bagian."
    )
