"""The upload as a whole: its type checked by name, size and content, then read."""

from pathlib import Path

from pendataan.impor.berkas_csv import baca_csv
from pendataan.impor.berkas_xlsx import baca_xlsx
from pendataan.impor.lembar import BerkasDitolak, Lembar, batas_mb


def baca_berkas(path: Path, jenis: str) -> dict[str, Lembar]:
    return baca_xlsx(path) if jenis == "xlsx" else baca_csv(path)


def periksa_berkas(uploaded) -> str:
    """Check an uploaded file (Django UploadedFile) by name, size and content; returns "xlsx" or
    "csv", or raises BerkasDitolak with an Indonesian message."""
    nama = (uploaded.name or "").strip()
    ext = nama.rsplit(".", 1)[-1].casefold() if "." in nama else ""
    if ext == "xls":
        raise BerkasDitolak(
            "Format .xls (Excel 97–2003) tidak didukung. Buka berkas di Excel, lalu Simpan "
            "Sebagai “Buku Kerja Excel (.xlsx)”."
        )
    if ext not in ("xlsx", "csv"):
        raise BerkasDitolak("Unggah berkas .xlsx (Excel) atau .csv.")
    batas = batas_mb()
    if uploaded.size > batas * 1024 * 1024:
        raise BerkasDitolak(
            f"Ukuran berkas {uploaded.size / 1024 / 1024:.1f} MB melebihi batas {batas:g} MB. "
            "Bagi data menjadi beberapa berkas."
        )
    if uploaded.size == 0:
        raise BerkasDitolak("Berkas kosong.")
    uploaded.seek(0)
    awal = uploaded.read(8)
    uploaded.seek(0)
    adalah_zip = awal.startswith(b"PK\x03\x04")
    if ext == "xlsx" and not adalah_zip:
        raise BerkasDitolak(
            "Isi berkas bukan .xlsx walaupun namanya berakhiran .xlsx. Simpan ulang dari "
            "Excel/LibreOffice sebagai .xlsx."
        )
    if ext == "csv" and adalah_zip:
        raise BerkasDitolak(
            "Isi berkas adalah buku kerja Excel, bukan CSV. Ganti akhiran namanya menjadi .xlsx "
            "atau simpan ulang sebagai CSV."
        )
    return ext
