"""Matrix entries for the koordinasi API (partners, activities, referrals and the referral step
action). Objects are built with the helpers of the koordinasi pages' entries."""

from datetime import date

from django.urls import reverse

from tests.matrix.base import Open, Scoped
from tests.matrix.koordinasi import PENCATAT, PERUJUK, buat_kegiatan, buat_mitra, buat_rujukan


def _url(name, make, data=None):
    def build(world, kec):
        return reverse(name, args=[make(world, kec).uuid]), data

    return build


def _langkah(world, kec):
    r = buat_rujukan(world, kec)
    data = {"status": "diterima", "tanggal": str(date.today()), "versi": r.versi}
    return reverse("api:rujukan-langkah", args=[r.uuid]), data


SCOPED = [
    Scoped("api:mitra-detail", _url("api:mitra-detail", buat_mitra)),
    # Kabupaten and province are above a kecamatan's partner: they may change it (as on the web).
    Scoped(
        "api:mitra-detail",
        _url("api:mitra-detail", buat_mitra, {"versi": 1, "alamat": "Jl. Matrix No. 3"}),
        method="patch",
    ),
    Scoped("api:kegiatan-detail", _url("api:kegiatan-detail", buat_kegiatan)),
    Scoped(
        "api:kegiatan-detail",
        _url("api:kegiatan-detail", buat_kegiatan, {"versi": 1, "notulen": "Lewat API"}),
        method="patch",
        roles=PENCATAT,
    ),
    Scoped("api:rujukan-detail", _url("api:rujukan-detail", buat_rujukan)),
    Scoped("api:rujukan-langkah", _langkah, method="post", roles=PERUJUK),
]

OPEN = []
for _tipe in ("mitra", "kegiatan", "rujukan"):
    OPEN += [
        Open(f"api:{_tipe}-list"),
        # An empty create: refused (400/403) for every role, never a server error. Creation
        # itself is tested in tests/api/test_koordinasi.py.
        Open(f"api:{_tipe}-list", method="post", expect_any=True),
    ]
