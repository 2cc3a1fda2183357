"""Matrix entries for the core (tksk) URLs."""

from django.urls import reverse

from tests.matrix.base import Open, Scoped


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


SCOPED = [
    Scoped("tksk:wilayah-detail", _kode),
    Scoped("tksk:wilayah-pilihan", _pilihan),
    Scoped("tksk:akun-update", _akun, roles=frozenset({"admin"})),
    Scoped("tksk:akun-set-aktif", _akun_aktif, method="post", roles=frozenset({"admin"})),
]

OPEN = [
    Open("tksk:wilayah-detail-own"),
    Open("tksk:akun-list", roles=frozenset({"admin"})),
    Open("tksk:akun-create", roles=frozenset({"admin"})),
    Open("tksk:privasi"),
    Open("tksk:profil"),
    Open("pendataan:index"),
    Open("koordinasi:index"),
    Open("laporan:index"),
]
