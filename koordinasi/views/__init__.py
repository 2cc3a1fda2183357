"""Views of the koordinasi module (thin: forms validate, services write, selectors read).

Another area's object answers 404 (the scoped lookups); a role-forbidden action in one's own area
answers 403. Nested URLs (a photo or follow-up reached through an activity) look the child up
*within* that activity, so a child of another activity or area is a 404 and nothing is written.
"""

# The views, re-exported so koordinasi/urls.py (`views.kegiatan_list`) and other callers keep
# working; new code imports from the submodule of the entity.
from koordinasi.views.beranda import index, panel_home
from koordinasi.views.kegiatan import (
    kegiatan_create,
    kegiatan_detail,
    kegiatan_foto,
    kegiatan_foto_hapus,
    kegiatan_foto_tambah,
    kegiatan_list,
    kegiatan_peserta,
    kegiatan_peserta_cari,
    kegiatan_update,
)
from koordinasi.views.kop_surat import kop_update
from koordinasi.views.mitra import mitra_create, mitra_detail, mitra_list, mitra_update
from koordinasi.views.rujukan import (
    KOP_BAWAAN,
    konteks_surat,
    rujukan_create,
    rujukan_detail,
    rujukan_list,
    rujukan_pilih_ppks,
    rujukan_status,
    rujukan_surat,
)
from koordinasi.views.tautan_mitra import rujukan_mitra
from koordinasi.views.tindak_lanjut import (
    agenda,
    tindak_lanjut_create,
    tindak_lanjut_list,
    tindak_lanjut_update,
)
from koordinasi.views.umum import (
    PER_HALAMAN,
    PESAN_TANGGAL,
    pencatat,
    perujuk,
)

__all__ = [
    "KOP_BAWAAN",
    "PER_HALAMAN",
    "PESAN_TANGGAL",
    "agenda",
    "index",
    "kegiatan_create",
    "kegiatan_detail",
    "kegiatan_foto",
    "kegiatan_foto_hapus",
    "kegiatan_foto_tambah",
    "kegiatan_list",
    "kegiatan_peserta",
    "kegiatan_peserta_cari",
    "kegiatan_update",
    "konteks_surat",
    "kop_update",
    "mitra_create",
    "mitra_detail",
    "mitra_list",
    "mitra_update",
    "panel_home",
    "pencatat",
    "perujuk",
    "rujukan_create",
    "rujukan_detail",
    "rujukan_list",
    "rujukan_mitra",
    "rujukan_pilih_ppks",
    "rujukan_status",
    "rujukan_surat",
    "tindak_lanjut_create",
    "tindak_lanjut_list",
    "tindak_lanjut_update",
]
