"""Matrix entries for the pendataan API (households, persons, PPKS, PSKS and their verification
actions). Objects are built with the same helpers as the pages' matrix entries."""

from django.urls import reverse

from tests.matrix.base import Open, Scoped, bisa
from tests.matrix.keluarga import buat_keluarga
from tests.matrix.ppks import buat_ppks, buat_psks

PENDATA = bisa("pendataan.ubah")
PENGAJU = bisa("pendataan.ajukan")
VERIFIKATOR = bisa("pendataan.verifikasi")
KEMBALIKAN = {"alasan": "tidak_lengkap", "catatan": "Lengkapi tanggal lahir anggota."}


def _keluarga(status=None):
    def build(world, kec):
        return buat_keluarga(world, kec, status=status)

    return build


def _ppks(status=None):
    def build(world, kec):
        return buat_ppks(world, kec, **({"status": status} if status else {}))

    return build


def _psks(status=None):
    def build(world, kec):
        obj = buat_psks(world, kec)
        if status:
            type(obj).objects.filter(pk=obj.pk).update(status=status)
        return obj

    return build


def _url(name, make, data=None):
    def build(world, kec):
        return reverse(name, args=[make(world, kec).uuid]), data

    return build


def _individu(world, kec):
    individu = buat_keluarga(world, kec).anggota.get()
    return reverse("api:individu-detail", args=[individu.uuid]), None


SCOPED = [Scoped("api:individu-detail", _individu)]
for _tipe, _buat, _ubah in [
    ("keluarga", _keluarga, {"versi": 1, "alamat": "Jl. Matrix No. 1"}),
    ("ppks", _ppks, {"versi": 1, "deskripsi": "Diperbarui lewat API"}),
    ("psks", _psks, {"versi": 1, "alamat": "Jl. Matrix No. 2"}),
]:
    SCOPED += [
        Scoped(f"api:{_tipe}-detail", _url(f"api:{_tipe}-detail", _buat())),
        Scoped(
            f"api:{_tipe}-detail",
            _url(f"api:{_tipe}-detail", _buat(), _ubah),
            method="patch",
            roles=PENDATA,
        ),
        Scoped(
            f"api:{_tipe}-ajukan",
            _url(f"api:{_tipe}-ajukan", _buat()),
            method="post",
            roles=PENGAJU,
        ),
        Scoped(
            f"api:{_tipe}-verifikasi",
            _url(f"api:{_tipe}-verifikasi", _buat("diajukan")),
            method="post",
            roles=VERIFIKATOR,
        ),
        Scoped(
            f"api:{_tipe}-kembalikan",
            _url(f"api:{_tipe}-kembalikan", _buat("diajukan"), KEMBALIKAN),
            method="post",
            roles=VERIFIKATOR,
        ),
    ]

OPEN = [
    Open("api:individu-list"),
    # Searches by number: scoped like the lists (tests/api/test_cari_nomor.py checks the areas).
    Open("api:individu-cari", method="post", expect_any=True),
    Open("api:keluarga-cari", method="post", expect_any=True),
]
for _tipe in ("keluarga", "ppks", "psks"):
    OPEN += [
        Open(f"api:{_tipe}-list"),
        # An empty create: refused (400/403) for every role, never a server error. Creation
        # itself is tested in tests/api/.
        Open(f"api:{_tipe}-list", method="post", expect_any=True),
    ]
