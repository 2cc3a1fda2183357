"""Writes for partners, activities (photos, participants, follow-ups), referrals and the
letterhead.

Every function takes the acting user (keyword-only), runs in one transaction, re-reads the object
through the user's scope (another area's object is refused as if it did not exist), checks the
role and the state transition, refuses a stale save (optimistic concurrency) and writes the audit
log. The rules of the records (dates, states and transitions, partners in scope, required fields)
live here and hold whatever the caller: forms, the API and the sync only parse the input and turn
the ValidationError raised here (keyed by field, in Indonesian) into their own field errors.
"""

# The public names (and the two column lists koordinasi/api.py reads), re-exported so
# `from koordinasi import services as svc; svc.kegiatan_simpan(...)` keeps working; new code
# imports from the submodule of the entity.
from koordinasi.services.kegiatan import (
    _KEGIATAN_KOLOM,
    MAKS_FOTO_PER_KEGIATAN,
    kegiatan_hapus_foto,
    kegiatan_simpan,
    kegiatan_tambah_foto,
    kegiatan_ubah_peserta,
)
from koordinasi.services.kop_surat import KOP_MAKS_BARIS, kop_simpan
from koordinasi.services.mitra import _MITRA_KOLOM, mitra_boleh_ubah, mitra_simpan
from koordinasi.services.rujukan import (
    BULAN_ROMAWI,
    TAUTAN_BERLAKU_HARI,
    batas_hari_rujukan,
    format_nomor,
    hash_token,
    pastikan_token,
    rujukan_kirim,
    rujukan_ubah_status,
    tautan_berlaku,
    token_tautan,
)
from koordinasi.services.tautan_mitra import tautan_cari, tautan_catat, tautan_dibatasi
from koordinasi.services.tindak_lanjut import tindak_lanjut_simpan
from koordinasi.services.umum import (
    AWAL_DATA,
    BATAS_WAKTU_MAJU_HARI,
    KEGIATAN_MAJU_HARI,
    SURAT_MUNDUR_HARI,
    cek_batas_waktu,
    cek_tanggal_surat,
)

__all__ = [
    "AWAL_DATA",
    "BATAS_WAKTU_MAJU_HARI",
    "BULAN_ROMAWI",
    "KEGIATAN_MAJU_HARI",
    "KOP_MAKS_BARIS",
    "MAKS_FOTO_PER_KEGIATAN",
    "SURAT_MUNDUR_HARI",
    "TAUTAN_BERLAKU_HARI",
    "_KEGIATAN_KOLOM",
    "_MITRA_KOLOM",
    "batas_hari_rujukan",
    "cek_batas_waktu",
    "cek_tanggal_surat",
    "format_nomor",
    "hash_token",
    "kegiatan_hapus_foto",
    "kegiatan_simpan",
    "kegiatan_tambah_foto",
    "kegiatan_ubah_peserta",
    "kop_simpan",
    "mitra_boleh_ubah",
    "mitra_simpan",
    "pastikan_token",
    "rujukan_kirim",
    "rujukan_ubah_status",
    "tautan_berlaku",
    "tautan_cari",
    "tautan_catat",
    "tautan_dibatasi",
    "tindak_lanjut_simpan",
    "token_tautan",
]
