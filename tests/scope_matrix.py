"""The registry of every URL in the apps, for the scoping matrix and its guard.

Each URL name is either
* SCOPED: it takes an object (or area) that belongs to one kecamatan; `build(world, kec)` returns
  (path, data) for an object of kecamatan `kec` ("pahandut", "jekanraya" or "selat"), creating it
  if needed. Users who may not see that kecamatan must get 404; users whose role may not use the
  URL get 403 (or 404); everyone else gets a success (2xx/3xx).
* OPEN: no object in the URL (module pages, lists, forms); every assigned user gets 2xx/3xx or
  403 if their role may not use it. Lists are checked for leaks by their own tests.

A new URL that is in neither makes tests/tksk/test_scope_guard.py fail.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ALL_ROLES = {"tksk", "kabupaten", "provinsi", "admin"}


@dataclass
class Scoped:
    name: str
    build: Callable
    method: str = "get"
    roles: set = field(default_factory=lambda: set(ALL_ROLES))


@dataclass
class Open:
    name: str
    method: str = "get"
    roles: set = field(default_factory=lambda: set(ALL_ROLES))
    kwargs: dict = field(default_factory=dict)


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
    Scoped("tksk:akun-update", _akun, roles={"admin"}),
    Scoped("tksk:akun-set-aktif", _akun_aktif, method="post", roles={"admin"}),
]

OPEN = [
    Open("tksk:wilayah-detail-own"),
    Open("tksk:akun-list", roles={"admin"}),
    Open("tksk:akun-create", roles={"admin"}),
    Open("tksk:privasi"),
    Open("tksk:profil"),
    Open("pendataan:index"),
    Open("koordinasi:index"),
    Open("laporan:index"),
]

# URL names outside the three apps' namespaces that the guard also checks.
CORE = {"home", "healthz", "login", "logout", "password_change", "password_change_done"}
