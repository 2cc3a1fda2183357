"""Reading an .xlsx upload safely: the archive is checked before openpyxl parses it."""

import re
import zipfile
from pathlib import Path

from pendataan.impor.kolom import LEMBAR_KELUARGA, LEMBAR_PPKS
from pendataan.impor.lembar import (
    TEKS_MAKS,
    Baris,
    BerkasDitolak,
    Lembar,
    _cek_judul,
    _kolom_dari_judul,
    _sel,
    _tolak_baris_mentah,
    _tolak_teks,
    baris_mentah_maks,
    batas_baris,
    batas_mb,
)

# A part of a real workbook compresses perhaps 20:1 (repetitive XML); far more is a zip bomb.
RASIO_ZIP_MAKS = 200
_UKURAN_RASIO_MIN = 1024 * 1024  # small parts may compress very well; they do no harm
# openpyxl streams the worksheets but parses every other part whole, the shared strings (each
# distinct text of the workbook) into a list that costs about 7 bytes of memory per byte of
# XML, at some 40 µs a string. A full file of IMPOR_BATAS_BARIS rows from Excel needs about
# 3 MB of shared strings (NIK, names and addresses; repeated texts are stored once) and well
# under 1 MB of styles; these limits keep a hostile file under 300 MB and within the request.
TEKS_BERSAMA_MAKS = 12 * 1024 * 1024
_XML_LAIN_MAKS = 10 * 1024 * 1024
_KEPALA_BAGIAN = 65536


def _jenis_bagian(kepala: bytes) -> str:
    """A part by its root element: a worksheet, the shared strings, other XML, or binary."""
    if not kepala.lstrip().startswith(b"<"):
        return "biner"
    akar = re.search(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)", kepala)
    nama = akar.group(1) if akar else b""
    return {b"worksheet": "lembar", b"sst": "teks"}.get(nama, "xml")


def _tanpa_dimensi(kepala: bytes) -> bool:
    """Whether the sheet lacks its <dimension> before the data. openpyxl then parses the whole
    sheet once only to find it (a million rows: tens of seconds) before reading a row; Excel,
    LibreOffice, Google Sheets and openpyxl always write it."""
    dimensi = re.search(rb"<(\w+:)?dimension\b", kepala)
    data = kepala.find(b"sheetData")
    return dimensi is None or (data >= 0 and data < dimensi.start())


def _periksa_isi_arsip(arsip: zipfile.ZipFile, nama: set[str]) -> None:
    """Refuse a workbook that carries macros (an .xlsm renamed .xlsx), links to other files,
    or a part that decompresses out of all proportion, before openpyxl reads any of it."""
    jenis = arsip.read("[Content_Types].xml")[:200_000].lower()
    if any(n.lower().endswith("vbaproject.bin") for n in nama) or b"macroenabled" in jenis:
        raise BerkasDitolak(
            "Berkas berisi makro (buku kerja .xlsm yang namanya diganti .xlsx). Makro tidak "
            "diimpor demi keamanan: buka di Excel, lalu Simpan Sebagai “Buku Kerja Excel "
            "(.xlsx)” tanpa makro."
        )
    if any(n.lower().startswith("xl/externallinks/") for n in nama):
        raise BerkasDitolak(
            "Berkas berisi tautan ke buku kerja lain (external link). Hapus tautannya di Excel "
            "(Data → Edit Links → Break Link), simpan, lalu unggah lagi."
        )
    for info in arsip.infolist():
        besar = info.file_size
        if besar > _UKURAN_RASIO_MIN and besar > RASIO_ZIP_MAKS * max(info.compress_size, 1):
            raise BerkasDitolak(
                "Isi berkas .xlsx tidak wajar: satu bagiannya mengembang lebih dari "
                f"{RASIO_ZIP_MAKS} kali saat dibuka. Simpan ulang dari Excel/LibreOffice."
            )
        if besar <= _UKURAN_RASIO_MIN:
            continue
        # A part is judged by its content, not its name (the workbook's relations may name any
        # path); zipfile never reads more than the size the archive declares.
        with arsip.open(info) as f:
            kepala = f.read(_KEPALA_BAGIAN)
        jenis = _jenis_bagian(kepala)
        if jenis == "lembar" and _tanpa_dimensi(kepala):
            raise BerkasDitolak(
                "Lembar dalam berkas .xlsx tidak mencatat ukurannya (dimension), seperti yang "
                "selalu ditulis Excel dan LibreOffice. Buka berkas di Excel/LibreOffice, simpan "
                "ulang sebagai .xlsx, lalu unggah lagi."
            )
        if (jenis == "teks" and besar > TEKS_BERSAMA_MAKS) or (
            jenis == "xml" and besar > _XML_LAIN_MAKS
        ):
            raise BerkasDitolak(
                "Isi teks berkas .xlsx terlalu besar untuk diimpor. Bagi data menjadi beberapa "
                "berkas."
            )


def _buka_xlsx(path: Path):
    import openpyxl

    try:
        with zipfile.ZipFile(path) as arsip:
            nama = set(arsip.namelist())
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= nama:
                raise BerkasDitolak(
                    "Isi berkas bukan buku kerja Excel (.xlsx). Simpan ulang dari "
                    "Excel/LibreOffice sebagai .xlsx."
                )
            # A small file that unpacks to gigabytes is refused before anything reads it.
            if sum(i.file_size for i in arsip.infolist()) > batas_mb() * 1024 * 1024 * 40:
                raise BerkasDitolak("Isi berkas .xlsx terlalu besar untuk diimpor.")
            _periksa_isi_arsip(arsip, nama)
    except zipfile.BadZipFile:
        raise BerkasDitolak(
            "Berkas bukan .xlsx yang utuh. Simpan ulang dari Excel/LibreOffice sebagai .xlsx."
        ) from None
    try:
        # Raw values: formulas as their text, never evaluated; numbers as numbers.
        return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:
        raise BerkasDitolak(
            "Berkas .xlsx tidak dapat dibaca. Simpan ulang dari Excel/LibreOffice sebagai .xlsx."
        ) from None


def _lembar_xlsx(wb) -> dict[str, object]:
    """The workbook's import sheets by their canonical name (matched case-insensitively)."""
    hasil = {}
    for ws in wb.worksheets:
        nama = ws.title.strip().casefold()
        for kanonik in (LEMBAR_KELUARGA, LEMBAR_PPKS):
            if nama == kanonik.casefold():
                hasil[kanonik] = ws
    return hasil


def baca_xlsx(path: Path, *, batas: int | None = None) -> dict[str, Lembar]:
    batas = batas or batas_baris()
    mentah_maks = baris_mentah_maks(batas)
    teks_total = 0
    wb = _buka_xlsx(path)
    try:
        lembar_ws = _lembar_xlsx(wb)
        if not lembar_ws:
            raise BerkasDitolak(
                "Berkas tidak berisi lembar “Keluarga” atau “PPKS”. Unduh templat impor dan isi "
                "data pada lembar tersebut."
            )
        hasil = {}
        for nama, ws in lembar_ws.items():
            ws.reset_dimensions()  # dimensions written by other tools may be wrong
            judul = next(ws.iter_rows(max_row=1), ())
            kolom, tak_dikenal = _kolom_dari_judul(nama, [c.value for c in judul])
            lembar = Lembar(nama, [k for k in kolom if k], tak_dikenal=tak_dikenal)
            _cek_judul(lembar)
            # Cells right of the last known column are not even built (a row may reach XFD).
            rows = ws.iter_rows(min_row=2, max_col=max(len(kolom), 1))
            # Only the known columns are visited (a header may put one at column XFD).
            dikenal = [(i, k) for i, k in enumerate(kolom) if k]
            nomor = 1
            for cells in rows:
                nomor += 1
                if nomor > mentah_maks:
                    raise _tolak_baris_mentah(nama, mentah_maks)
                sel = {}
                for i, kunci in dikenal:
                    if i >= len(cells):
                        break
                    c = cells[i]
                    value = getattr(c, "value", None)
                    if value is None:
                        continue
                    nomor = getattr(c, "row", None) or nomor
                    rumus = getattr(c, "data_type", None) == "f"
                    sel[kunci] = s = _sel(value, rumus)
                    if isinstance(s.nilai, str):
                        teks_total += len(s.nilai)
                if teks_total > TEKS_MAKS:
                    raise _tolak_teks(nama)
                baris = Baris(nomor, sel)
                if baris.kosong():
                    continue
                lembar.baris.append(baris)
                if len(lembar.baris) > batas:
                    raise BerkasDitolak(
                        f"Lembar {nama} berisi lebih dari {batas:,} baris data".replace(",", ".")
                        + ". Bagi berkas menjadi beberapa bagian."
                    )
            hasil[nama] = lembar
        return hasil
    finally:
        wb.close()
