"""Spreadsheet import of households (with their members) and PPKS identifications.

The TKSK downloads a template (.xlsx with the sheets "Keluarga", "PPKS" and "Petunjuk"), fills it
in or pastes from their own spreadsheet, and uploads it (.xlsx or .csv). The upload is checked by
content, stored under MEDIA_ROOT/impor/ with a random name, and examined by a background job
(`jalankan_impor`, run by `manage.py db_worker`): every row goes through the same checks as the
web form (households through `keluarga_buat_banyak`, which checks each as `keluarga_simpan` does
and writes the valid ones in bulk; PPKS rows likewise through `ppks_buat_banyak`) inside
transactions that are rolled back, so the preview shows exactly the errors and warnings the form
would give, by spreadsheet row number. On confirmation the same run is repeated and committed in
one transaction: the households whose rows are all valid and the valid PPKS rows, or nothing if
the result differs from the preview. History rows of what it creates say "impor" and name the
file.

Importing a file twice creates no duplicates: a household whose No KK (or whose members' NIKs)
already exist in the user's area with the same members is skipped as "sudah ada", and so is a PPKS
row whose subject already has that category open.

What the job needs between requests is kept in a JSON file beside the upload (owner, area, sha256,
status, the preview): it survives the session's rotation at login and its 30-minute idle timeout,
and both the web process and the worker read it. Everything is deleted after confirmation or after
24 hours.

The package holds one job per module: kolom (sheets and columns), lembar (a sheet as read),
berkas / berkas_xlsx / berkas_csv (reading an upload), unggahan (storage), konversi (cell
values), konteks, rumah (household rows), ppks (PPKS rows), pemrosesan (the run and its report),
services and tasks (the user's actions and the background job), templat (the template).
"""

# The names callers use, re-exported so `from pendataan import impor; impor.proses(...)` keeps
# working; new code imports from the submodule that holds the job.
from pendataan.impor.berkas import baca_berkas, periksa_berkas
from pendataan.impor.berkas_csv import CONTOH_AKSEN_MAKS, baca_csv
from pendataan.impor.berkas_xlsx import RASIO_ZIP_MAKS, TEKS_BERSAMA_MAKS, baca_xlsx
from pendataan.impor.kolom import (
    ALIAS,
    DISABILITAS,
    KAWIN_SAJA,
    KOLOM_KELUARGA,
    KOLOM_NOMOR,
    KOLOM_PPKS,
    KOLOM_RUMAH,
    LEMBAR_DAFTAR,
    LEMBAR_KELUARGA,
    LEMBAR_PETUNJUK,
    LEMBAR_PPKS,
    PILIHAN,
    SUBJEK_PPKS,
    WAJIB_KOLOM,
    Kolom,
    daftar_pilihan,
)
from pendataan.impor.konversi import PESAN_RUMUS
from pendataan.impor.lembar import (
    KOLOM_MAKS,
    PANJANG_SEL_MAKS,
    TEKS_MAKS,
    Baris,
    BerkasDitolak,
    Lembar,
    Sel,
    baris_mentah_maks,
    batas_baris,
    batas_mb,
    pesan_panjang,
)
from pendataan.impor.pemrosesan import (
    PER_HALAMAN,
    RUMAH_PER_TRANSAKSI,
    himpunan_siap,
    pernah_diimpor,
    proses,
)
from pendataan.impor.services import batalkan, minta_simpan, terima
from pendataan.impor.tasks import PESAN_GAGAL, jalankan_impor
from pendataan.impor.templat import templat_xlsx
from pendataan.impor.unggahan import (
    UMUR_UNGGAHAN,
    Status,
    Unggahan,
    baca_laporan,
    bersihkan_kedaluwarsa,
    folder_impor,
    hapus,
    milik_cakupan,
    muat,
    pindah_status,
    ubah,
    untuk_pengguna,
)

__all__ = [
    "ALIAS",
    "Baris",
    "BerkasDitolak",
    "CONTOH_AKSEN_MAKS",
    "DISABILITAS",
    "KAWIN_SAJA",
    "KOLOM_KELUARGA",
    "KOLOM_MAKS",
    "KOLOM_NOMOR",
    "KOLOM_PPKS",
    "KOLOM_RUMAH",
    "Kolom",
    "LEMBAR_DAFTAR",
    "LEMBAR_KELUARGA",
    "LEMBAR_PETUNJUK",
    "LEMBAR_PPKS",
    "Lembar",
    "PANJANG_SEL_MAKS",
    "PER_HALAMAN",
    "PESAN_GAGAL",
    "PESAN_RUMUS",
    "PILIHAN",
    "RASIO_ZIP_MAKS",
    "RUMAH_PER_TRANSAKSI",
    "SUBJEK_PPKS",
    "Sel",
    "Status",
    "TEKS_BERSAMA_MAKS",
    "TEKS_MAKS",
    "UMUR_UNGGAHAN",
    "Unggahan",
    "WAJIB_KOLOM",
    "baca_berkas",
    "baca_csv",
    "baca_laporan",
    "baca_xlsx",
    "baris_mentah_maks",
    "batalkan",
    "batas_baris",
    "batas_mb",
    "bersihkan_kedaluwarsa",
    "daftar_pilihan",
    "folder_impor",
    "hapus",
    "himpunan_siap",
    "jalankan_impor",
    "milik_cakupan",
    "minta_simpan",
    "muat",
    "periksa_berkas",
    "pernah_diimpor",
    "pesan_panjang",
    "pindah_status",
    "proses",
    "templat_xlsx",
    "terima",
    "ubah",
    "untuk_pengguna",
]
