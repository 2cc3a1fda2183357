"""Matrix entries for PPKS identifications and the PSKS inventory."""

import itertools
from datetime import date

from django.urls import reverse

from tests.matrix.base import Open, Scoped, bisa

PENCATAT = bisa("ppks.catat")
PENANGANAN = bisa("ppks.penanganan")
_nomor = itertools.count(1)


def buat_keluarga(world, kec, **extra):
    """A household with its head, made directly with the ORM (the households module's own
    services are tested elsewhere)."""
    from pendataan.models import Individu, Keluarga

    n = next(_nomor)
    desa = world.desa[kec]
    nama = extra.pop("nama", f"Warga {kec} {n}")
    keluarga = Keluarga.objects.create(
        desa=desa,
        alamat=f"Jalan Uji {n}",
        no_kk=f"6271{990000000000 + n:012d}",
        nama_kepala=nama,
        jumlah_anggota=1,
    )
    individu = Individu.objects.create(
        keluarga=keluarga,
        desa=desa,
        nik=None,
        alasan_tanpa_nik="lainnya",
        nama=nama,
        jenis_kelamin=extra.pop("jenis_kelamin", "L"),
        tanggal_lahir=extra.pop("tanggal_lahir", date(1980, 5, 17)),
        hubungan="kepala_keluarga",
        **extra,
    )
    return keluarga, individu


def buat_ppks(world, kec, singkatan="FM", **extra):
    """A PPKS of a person in kecamatan `kec`; non-sensitive by default, so that the province
    sees it like every other record."""
    from pendataan.models import PPKS
    from tksk.models import KategoriPPKS

    _, individu = buat_keluarga(world, kec)
    return PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan=singkatan),
        subjek="individu",
        individu=individu,
        desa=individu.desa,
        jenis_kelamin=individu.jenis_kelamin,
        tanggal_identifikasi=date(2025, 1, 15),
        dibuat_oleh=world.users[f"tksk_{kec}"],
        **extra,
    )


def buat_psks(world, kec):
    from pendataan.models import PSKS
    from tksk.models import KategoriPSKS

    return PSKS.objects.create(
        kategori=KategoriPSKS.objects.get(singkatan="KT"),
        nama=f"Karang Taruna {kec} {next(_nomor)}",
        jenis="lembaga",
        desa=world.desa[kec],
        dibuat_oleh=world.users[f"tksk_{kec}"],
    )


def _ppks_detail(world, kec):
    return reverse("pendataan:ppks-detail", args=[buat_ppks(world, kec).uuid]), None


def _ppks_update(world, kec):
    return reverse("pendataan:ppks-update", args=[buat_ppks(world, kec).uuid]), None


def _ppks_penanganan(world, kec):
    path = reverse("pendataan:ppks-penanganan", args=[buat_ppks(world, kec).uuid])
    return path, {"status_penanganan": "dalam", "catatan": "Asesmen awal"}


def _psks_detail(world, kec):
    return reverse("pendataan:psks-detail", args=[buat_psks(world, kec).uuid]), None


def _psks_update(world, kec):
    return reverse("pendataan:psks-update", args=[buat_psks(world, kec).uuid]), None


SCOPED = [
    Scoped("pendataan:ppks-detail", _ppks_detail),
    Scoped("pendataan:ppks-update", _ppks_update, roles=PENCATAT),
    Scoped("pendataan:ppks-penanganan", _ppks_penanganan, method="post", roles=PENANGANAN),
    Scoped("pendataan:psks-detail", _psks_detail),
    Scoped("pendataan:psks-update", _psks_update, roles=PENCATAT),
]

OPEN = [
    Open("pendataan:ppks-list"),
    Open("pendataan:ppks-create", roles=PENCATAT),
    Open("pendataan:ppks-subjek", method="post", roles=PENCATAT),
    Open("pendataan:psks-list"),
    Open("pendataan:psks-create", roles=PENCATAT),
]
