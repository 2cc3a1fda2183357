"""The capability table (tksk.kapabilitas) against the matrix's own specification, and the names
the templates use."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from tests.matrix.base import KAPABILITAS as SPESIFIKASI
from tksk.kapabilitas import KAPABILITAS, Kapabilitas, boleh, izin_api, perlu
from tksk.models import Role


def _user(role, active=True):
    return SimpleNamespace(role=role, is_active=active, is_authenticated=True)


def test_the_table_is_the_matrix_specification():
    assert {k: set(v) for k, v in KAPABILITAS.items()} == SPESIFIKASI


def test_every_role_in_the_table_is_a_role():
    assert set().union(*KAPABILITAS.values()) <= set(Role.values)


@pytest.mark.parametrize("nama", sorted(KAPABILITAS))
def test_boleh_follows_the_table_and_refuses_inactive_and_anonymous(nama):
    for role in Role.values:
        assert boleh(_user(role), nama) is (role in KAPABILITAS[nama])
        assert not boleh(_user(role, active=False), nama)
    assert not boleh(AnonymousUser(), nama)
    assert not boleh(None, nama)


def test_unknown_names_fail_loudly():
    with pytest.raises(KeyError):
        boleh(_user("admin"), "pendataan.hapus_semua")
    with pytest.raises(KeyError):
        perlu("tidak.ada")


def test_perlu_answers_403_and_izin_api_refuses():
    view = perlu("laporan.ekspor")(lambda request: "ok")
    request = RequestFactory().get("/")
    request.user = _user("tksk")
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = _user("provinsi")
    assert view(request) == "ok"
    izin = izin_api("tenaga.lihat", "pesan")()
    assert izin.message == "pesan"
    assert not izin.has_permission(SimpleNamespace(user=_user("tksk")), None)
    assert izin.has_permission(SimpleNamespace(user=_user("kabupaten")), None)


def test_template_object_reads_the_table():
    kap = Kapabilitas(_user("kabupaten"))
    assert kap["pendataan"]["verifikasi"] is True
    assert kap["pendataan"]["ubah"] is False
    with pytest.raises(KeyError):
        kap["tidak_ada"]


def test_every_capability_a_template_names_exists():
    """A misspelt name renders as false (a button silently gone), so check them all here."""
    folder = Path(settings.BASE_DIR) / "templates"
    dipakai = set()
    for path in folder.rglob("*.html"):
        dipakai |= set(re.findall(r"kapabilitas\.(\w+)\.(\w+)", path.read_text()))
    assert dipakai, "the templates use the kapabilitas object"
    assert {f"{app}.{aksi}" for app, aksi in dipakai} <= set(KAPABILITAS)
