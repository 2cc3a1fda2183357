"""Reading a .csv upload: encoding, separator, header, and the Windows-1252 sample."""

import csv
import io
import unicodedata
from pathlib import Path

from pendataan.impor.kolom import LEMBAR_KELUARGA, LEMBAR_PPKS, _normal_judul
from pendataan.impor.lembar import (
    Baris,
    BerkasDitolak,
    Lembar,
    Sel,
    _angka,
    _cek_judul,
    _kolom_dari_judul,
    _sel,
    _tolak_baris_mentah,
    baris_mentah_maks,
    batas_baris,
)
from tksk.logging import mask_numbers


def _jenis_lembar_csv(judul: list) -> str:
    kunci = {_normal_judul(v) for v in judul}
    if {"hubungan", "jenis_kelamin"} & kunci:
        return LEMBAR_KELUARGA
    if "kategori" in kunci:
        return LEMBAR_PPKS
    raise BerkasDitolak(
        "Baris pertama CSV harus berisi judul kolom lembar Keluarga (nik, nama, jenis_kelamin, "
        "hubungan, …) atau lembar PPKS (kategori, tanggal_identifikasi, …)."
    )


def _dekode_csv(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8, or else Windows-1252 (which the page then says)."""
    if b"\x00" in data[:65536]:
        raise BerkasDitolak("Isi berkas bukan teks CSV (berisi data biner).")
    pengodean = "utf-8"
    try:
        teks = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel's "CSV (dipisahkan koma)" on Windows writes the ANSI code page.
            teks = data.decode("cp1252")
            pengodean = "cp1252"
        except UnicodeDecodeError:
            raise BerkasDitolak(
                "Berkas CSV tidak dapat dibaca. Simpan sebagai “CSV UTF-8 (dipisahkan koma)”."
            ) from None
    kontrol = sum(
        1 for ch in teks[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n"
    )
    if kontrol > 0:
        raise BerkasDitolak("Isi berkas bukan teks CSV (berisi karakter kontrol).")
    return teks, pengodean


def _pemisah(baris_judul: str) -> str:
    """Indonesian Excel writes `;` (the decimal separator is the comma); others write `,`."""
    jumlah = {p: baris_judul.count(p) for p in (";", ",", "\t")}
    pemisah = max(jumlah, key=jumlah.get)
    if not jumlah[pemisah]:
        raise BerkasDitolak(
            "Baris judul CSV hanya berisi satu kolom. Pisahkan kolom dengan koma (,) atau titik "
            "koma (;)."
        )
    return pemisah


CONTOH_AKSEN_MAKS = 5


def baca_csv(path: Path, *, batas: int | None = None) -> dict[str, Lembar]:
    batas = batas or batas_baris()
    mentah_maks = baris_mentah_maks(batas)
    teks, pengodean = _dekode_csv(path.read_bytes())
    if not teks.strip():
        raise BerkasDitolak("Berkas CSV kosong.")
    pemisah = _pemisah(teks.lstrip().splitlines()[0])
    reader = csv.reader(io.StringIO(teks, newline=""), delimiter=pemisah)
    try:
        judul = next(reader)
        nama = _jenis_lembar_csv(judul)
        kolom, tak_dikenal = _kolom_dari_judul(nama, judul)
        lembar = Lembar(nama, [k for k in kolom if k], tak_dikenal=tak_dikenal)
        lembar.pengodean = pengodean
        _cek_judul(lembar)
        for nomor, cells in enumerate(reader, start=2):
            if nomor > mentah_maks:
                raise _tolak_baris_mentah(nama, mentah_maks)
            sel = {
                kolom[i]: _sel(value)
                for i, value in enumerate(cells)
                if i < len(kolom) and kolom[i] is not None and value != ""
            }
            if pengodean != "utf-8" and len(lembar.contoh_aksen) < CONTOH_AKSEN_MAKS:
                _catat_aksen(lembar, sel)
            baris = Baris(nomor, sel)
            if baris.kosong():
                continue
            lembar.baris.append(baris)
            if len(lembar.baris) > batas:
                raise BerkasDitolak(
                    f"Berkas berisi lebih dari {batas:,} baris data".replace(",", ".")
                    + ". Bagi berkas menjadi beberapa bagian."
                )
    except csv.Error as error:
        if "field limit" in str(error):
            # The csv module's own cap (131,072 characters), far above PANJANG_SEL_MAKS.
            raise BerkasDitolak(
                f"Baris {reader.line_num} berkas CSV berisi sel lebih dari "
                f"{_angka(csv.field_size_limit())} karakter. Periksa apakah teks tertempel "
                "berlebihan, atau apakah ada tanda kutip yang tidak ditutup."
            ) from None
        raise BerkasDitolak("Berkas CSV rusak (tanda kutip tidak berpasangan).") from None
    return {nama: lembar}


def _catat_aksen(lembar: Lembar, sel: dict[str, Sel]) -> None:
    """Cells with letters outside ASCII, shown on the page so the user can see whether the
    Windows-1252 reading got them right (NIK-like numbers masked, long text cut)."""
    for s in sel.values():
        teks = str(s.nilai).strip()
        if teks.isascii() or s.panjang:
            continue
        contoh = mask_numbers(teks if len(teks) <= 60 else teks[:57] + "…")
        if contoh not in lembar.contoh_aksen:
            lembar.contoh_aksen.append(contoh)
        if len(lembar.contoh_aksen) >= CONTOH_AKSEN_MAKS:
            return
