"""Matrix entries for the laporan module: dashboards, monthly reports, recaps, exports, API."""

import itertools

from django.urls import reverse
from django.utils import timezone

from tests.matrix.base import Open, Scoped, bisa

TKSK = bisa("laporan.tulis")
PENINJAU = bisa("laporan.tinjau")
PENGEKSPOR = bisa("laporan.ekspor")
# Only the requester follows an export job; the entries' jobs are the admin's.
PEMOHON = frozenset({"admin"})
_bulan = itertools.count(1)


def buat_laporan(world, kec, *, status="draf"):
    """A monthly report of kecamatan `kec`'s TKSK for a month of its own (months count back)."""
    from laporan.models import LaporanBulanan
    from laporan.selectors import bulan_ini, geser_bulan

    bulan = geser_bulan(bulan_ini(), -next(_bulan))
    laporan = LaporanBulanan.objects.create(
        tksk=world.users[f"tksk_{kec}"], kecamatan=world.kec[kec], bulan=bulan, status=status
    )
    if status != "draf":
        LaporanBulanan.objects.filter(pk=laporan.pk).update(
            diajukan_pada=timezone.now(),
            diajukan_pertama_pada=timezone.now(),
            dibekukan_pada=timezone.now(),
        )
    return laporan


def buat_berkas(world, kec):
    from laporan.models import BerkasEkspor

    return BerkasEkspor.objects.create(
        pemohon=world.users["admin"],
        wilayah=world.kec[kec],
        jenis="individu",
        format="csv",
        parameter={"jenis": "individu", "wilayah": world.kec[kec].kode},
        kedaluwarsa_pada=timezone.now() + timezone.timedelta(hours=1),
    )


def _wilayah(world, kec):
    return reverse("laporan:wilayah", args=[world.kec[kec].kode]), None


def _detail(world, kec):
    return reverse("laporan:bulanan-detail", args=[buat_laporan(world, kec).uuid]), None


def _ubah(world, kec):
    return reverse("laporan:bulanan-ubah", args=[buat_laporan(world, kec).uuid]), None


def _ajukan(world, kec):
    return reverse("laporan:bulanan-ajukan", args=[buat_laporan(world, kec).uuid]), {}


def _tinjau(world, kec):
    laporan = buat_laporan(world, kec, status="diajukan")
    return reverse("laporan:bulanan-tinjau", args=[laporan.uuid]), {"keputusan": "terima"}


def _pdf(world, kec):
    return reverse("laporan:bulanan-pdf", args=[buat_laporan(world, kec).uuid]), None


def _rekap(nama):
    def build(world, kec):
        return reverse(nama) + f"?wilayah={world.kec[kec].kode}", None

    return build


def _ekspor_status(world, kec):
    return reverse("laporan:ekspor-status", args=[buat_berkas(world, kec).uuid]), None


def _ekspor_unduh(world, kec):
    return reverse("laporan:ekspor-unduh", args=[buat_berkas(world, kec).uuid]), None


def _api_laporan(world, kec):
    return reverse("api:laporan-bulanan-detail", args=[buat_laporan(world, kec).uuid]), None


SCOPED = [
    Scoped("laporan:wilayah", _wilayah),
    Scoped("laporan:bulanan-detail", _detail),
    Scoped("laporan:bulanan-ubah", _ubah, roles=TKSK),
    Scoped("laporan:bulanan-ajukan", _ajukan, method="post", roles=TKSK),
    Scoped("laporan:bulanan-tinjau", _tinjau, method="post", roles=PENINJAU),
    Scoped("laporan:bulanan-pdf", _pdf),
    Scoped("laporan:rekap-ppks", _rekap("laporan:rekap-ppks")),
    Scoped("laporan:rekap-psks", _rekap("laporan:rekap-psks")),
    Scoped("laporan:ekspor-status", _ekspor_status, roles=PEMOHON),
    Scoped("laporan:ekspor-unduh", _ekspor_unduh, roles=PEMOHON),
    Scoped("api:rekap-ppks", _rekap("api:rekap-ppks")),
    Scoped("api:rekap-psks", _rekap("api:rekap-psks")),
    Scoped("api:laporan-bulanan-detail", _api_laporan),
]

OPEN = [
    Open("laporan:bulanan-list"),
    Open("laporan:bulanan-buka", method="post", roles=TKSK),
    Open("laporan:rekap-ppks"),
    Open("laporan:rekap-psks"),
    Open("laporan:ekspor", roles=PENGEKSPOR),
    Open("api:rekap-ppks"),
    Open("api:rekap-psks"),
    Open("api:laporan-bulanan-list"),
]
