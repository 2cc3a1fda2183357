"""Reads for the dashboards, the recaps and the reporting-compliance grid.

Everything starts from the user's scope (`for_user`). Counts come from the summary tables kept by
the database triggers (laporan/sql.py), one grouped query per dashboard, so a dashboard costs the
same at 2,000 households as at 250,000. Every number carries the URL of the list that counts the
same records (when that list can be filtered to the same set), and every count of a sensitive
PPKS category passes through the small-cell rule (`tksk.privasi`).
"""

# The public names, re-exported so `from laporan import selectors as sel; sel.dasbor(...)`
# keeps working; new code imports from the submodule that holds the page or job.
from laporan.selectors.angka_koordinasi import (
    KUNCI_ANAK,
    WARNA_RUJUKAN,
    hasil_rujukan,
    koordinasi_per_anak,
    tautan_koordinasi,
)
from laporan.selectors.dasbor import (
    BarisWilayah,
    Tabel,
    dasbor,
    hitung_ringkasan,
    matriks_ppks,
    perlu_perhatian,
)
from laporan.selectors.kepatuhan import (
    KEPATUHAN,
    STATUS_LAPORAN_AMAN,
    STATUS_MASUK,
    SelKepatuhan,
    kepatuhan,
    laporan_daftar,
    laporan_terlihat,
    laporan_tksk,
    status_kepatuhan,
    tautan_laporan,
)
from laporan.selectors.periode import (
    BULAN,
    BULAN_PENDEK,
    TREN_BULAN,
    akhir_bulan,
    batas_lapor,
    bulan_ini,
    bulan_jatuh_tempo,
    bulan_selesai,
    format_angka,
    geser_bulan,
    label_bulan,
    label_bulan_pendek,
    nama_pendek,
    pesan_belum_selesai,
    waktu_data,
)
from laporan.selectors.rekap import rekap
from laporan.selectors.tautan import (
    DAFTAR,
    PARAM_WILAYAH,
    SEMUA,
    STATUS,
    STATUS_AMAN,
    TERVERIFIKASI,
    Angka,
    Saringan,
    area_sendiri,
    tautan_daftar,
)
from laporan.selectors.tren import tren_ppks
from laporan.selectors.wilayah import (
    ANAK,
    LABEL_ANAK,
    anak_wilayah,
    jejak,
    wilayah_awal,
    wilayah_untuk,
)

__all__ = [
    "ANAK",
    "Angka",
    "BULAN",
    "BULAN_PENDEK",
    "BarisWilayah",
    "DAFTAR",
    "KEPATUHAN",
    "KUNCI_ANAK",
    "LABEL_ANAK",
    "PARAM_WILAYAH",
    "SEMUA",
    "STATUS",
    "STATUS_AMAN",
    "STATUS_LAPORAN_AMAN",
    "STATUS_MASUK",
    "Saringan",
    "SelKepatuhan",
    "TERVERIFIKASI",
    "TREN_BULAN",
    "Tabel",
    "WARNA_RUJUKAN",
    "akhir_bulan",
    "anak_wilayah",
    "area_sendiri",
    "batas_lapor",
    "bulan_ini",
    "bulan_jatuh_tempo",
    "bulan_selesai",
    "dasbor",
    "format_angka",
    "geser_bulan",
    "hasil_rujukan",
    "hitung_ringkasan",
    "jejak",
    "kepatuhan",
    "koordinasi_per_anak",
    "label_bulan",
    "label_bulan_pendek",
    "laporan_daftar",
    "laporan_terlihat",
    "laporan_tksk",
    "matriks_ppks",
    "nama_pendek",
    "perlu_perhatian",
    "pesan_belum_selesai",
    "rekap",
    "status_kepatuhan",
    "tautan_daftar",
    "tautan_koordinasi",
    "tautan_laporan",
    "tren_ppks",
    "waktu_data",
    "wilayah_awal",
    "wilayah_untuk",
]
