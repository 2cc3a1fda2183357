"""The fixed test world: one province, two kabupaten, three kecamatan (two in one kabupaten),
a user for each role and area, one without assignment and one deactivated.

Reference data (wilayah, categories) is loaded once into the test database."""

import os
from types import SimpleNamespace

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Uji-Coba-Sandi-Panjang-9"
KECAMATAN = {"pahandut": "62.71.01", "jekanraya": "62.71.03", "selat": "62.03.01"}
KABUPATEN = {"palangkaraya": "62.71", "kapuas": "62.03"}


def load_reference_data():
    from tksk.reference import load_kategori, load_wilayah

    load_wilayah("62")
    load_kategori()
    from peta.muat import muat_bawaan

    muat_bawaan()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (browser tests, subprocesses) flush every table when they end.
    pytest-django runs them after all other database tests, so each one puts the reference data
    back at its start when a previous one removed it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        from tksk.models import Wilayah

        request.getfixturevalue("transactional_db")
        if not Wilayah.objects.exists():
            load_reference_data()
    yield


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    # Argon2 is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True


def make_user(username, role, kode=None, **extra):
    from tksk.models import User, Wilayah

    area = Wilayah.objects.get(kode=kode) if kode else None
    user = User(username=username, role=role, wilayah=area, **extra)
    user.set_password(PASSWORD)
    user.privasi_disetujui = extra.pop("privasi_disetujui", None) or _now()
    user.save()
    return user


def _now():
    from django.utils import timezone

    return timezone.now()


@pytest.fixture
def world(db):
    from tksk.models import Wilayah

    w = SimpleNamespace()
    w.provinsi = Wilayah.objects.get(kode="62")
    w.kab = {k: Wilayah.objects.get(kode=v) for k, v in KABUPATEN.items()}
    w.kec = {k: Wilayah.objects.get(kode=v) for k, v in KECAMATAN.items()}
    w.desa = {k: Wilayah.objects.filter(induk=v).order_by("kode").first() for k, v in w.kec.items()}
    w.users = {
        "tksk_pahandut": make_user("tksk_pahandut", "tksk", KECAMATAN["pahandut"]),
        "tksk_jekanraya": make_user("tksk_jekanraya", "tksk", KECAMATAN["jekanraya"]),
        "tksk_selat": make_user("tksk_selat", "tksk", KECAMATAN["selat"]),
        "kab_palangkaraya": make_user("kab_palangkaraya", "kabupaten", KABUPATEN["palangkaraya"]),
        "kab_kapuas": make_user("kab_kapuas", "kabupaten", KABUPATEN["kapuas"]),
        "prov": make_user("prov", "provinsi", "62"),
        "admin": make_user("admin_sistem", "admin", None, is_staff=True),
        "unassigned": make_user("tanpa_wilayah", "tksk", None),
        "inactive": make_user("nonaktif", "tksk", KECAMATAN["pahandut"], is_active=False),
    }
    return w


@pytest.fixture
def login(client):
    """Log a test client in as a user (through the real login form, so axes and signals run)."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        return c

    return _login


def call(*args, **kwargs):
    return call_command(*args, **kwargs)
