"""Matrix entries for the core (tksk) URLs."""

from django.urls import reverse

from tests.matrix.base import Open, Scoped, bisa


def _kode(world, kec):
    return reverse("tksk:wilayah-detail", args=[world.kec[kec].kode]), None


def _pilihan(world, kec):
    return reverse("tksk:wilayah-pilihan") + f"?induk={world.kec[kec].pk}", None


def _akun(world, kec):
    user = world.users[f"tksk_{kec}"]
    return reverse("tksk:akun-update", args=[user.uuid]), None


def _akun_aktif(world, kec):
    from tests.conftest import make_user
    from tksk.models import User

    user = User.objects.filter(username=f"korban_{kec}").first()
    if user is None:
        user = make_user(f"korban_{kec}", "tksk", world.kec[kec].kode)
    return reverse("tksk:akun-set-aktif", args=[user.uuid]), {"aktif": "0"}


def _akun_perangkat(world, kec):
    from tksk.perangkat import buat_perangkat

    user = world.users[f"tksk_{kec}"]
    perangkat, _token = buat_perangkat(user=user, nama="HP matriks")
    return reverse("tksk:akun-perangkat-cabut", args=[user.uuid]), {"perangkat": perangkat.pk}


SCOPED = [
    Scoped("tksk:wilayah-detail", _kode),
    Scoped("tksk:wilayah-pilihan", _pilihan),
    Scoped("tksk:akun-update", _akun, roles=bisa("akun.kelola")),
    Scoped("tksk:akun-set-aktif", _akun_aktif, method="post", roles=bisa("akun.kelola")),
    Scoped("tksk:akun-perangkat-cabut", _akun_perangkat, method="post", roles=bisa("akun.kelola")),
]

OPEN = [
    Open("tksk:wilayah-detail-own"),
    Open("tksk:akun-list", roles=bisa("akun.kelola")),
    Open("tksk:akun-create", roles=bisa("akun.kelola")),
    Open("tksk:privasi"),
    Open("tksk:profil"),
    # One's own devices only: nobody reaches another user's device, whatever their area (so
    # these are not area-scoped; tests/tksk/test_perangkat.py checks that every other user,
    # the kabupaten and the admin included, gets a 404 for someone else's device).
    Open("tksk:perangkat-list"),
    Open("tksk:perangkat-cabut", method="post", kwargs={"pk": 0}, expect_any=True),
    Open("tksk:perangkat-cabut-semua", method="post"),
    Open("pendataan:index"),
    Open("koordinasi:index"),
    Open("laporan:index"),
]
