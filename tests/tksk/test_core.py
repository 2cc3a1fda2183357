"""Health check, settings, security headers, reference data and management commands."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse

from tksk.models import AuditLog, KategoriPPKS, KategoriPSKS, User, Wilayah

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_503_when_database_does_not_answer(client, monkeypatch):
    # The database going away is outside our control: simulate it at the driver's edge.
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_security_headers(client, world):
    client.force_login(world.users["tksk_pahandut"])
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_deploy_check_passes_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tksk.example.go.id",
        "CSRF_TRUSTED_ORIGINS": "https://tksk.example.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_reference_data_counts():
    counts = {
        t: Wilayah.objects.filter(tingkat=t).count()
        for t in Wilayah.objects.values_list("tingkat", flat=True).distinct()
    }
    assert counts == {"provinsi": 1, "kabupaten": 14, "kecamatan": 136, "desa": 1571}
    assert KategoriPPKS.objects.count() == 26 and KategoriPSKS.objects.count() == 12
    assert set(KategoriPPKS.objects.filter(sensitif=True).values_list("singkatan", flat=True)) == {
        "ABH",
        "TS",
        "KMIN",
        "ODHA",
        "NAPZA",
        "KPO",
        "KTK",
    }
    pahandut = Wilayah.objects.get(kode="62.71.01")
    assert pahandut.nama == "Pahandut" and pahandut.kabupaten.kode == "62.71"
    assert pahandut.provinsi.kode == "62" and pahandut.kecamatan == pahandut


@pytest.mark.django_db
def test_load_wilayah_is_idempotent_updates_names_and_deletes_nothing(world, tmp_path):
    out = StringIO()
    call_command("load_wilayah", stdout=out)
    assert "baru 0, diubah 0, tetap 1722, dinonaktifkan 0" in out.getvalue()
    assert "1571 Desa/Kelurahan" in out.getvalue()

    from tksk.reference import load_wilayah

    source = (ROOT / "data" / "wilayah_62.csv").read_text(encoding="utf-8")
    renamed = source.replace("62.71.01,Pahandut,", "62.71.01,Pahandut Baru,")
    # A desa dropped from the file is kept (it may be referenced) but marked inactive.
    dropped = "\n".join(
        line for line in renamed.splitlines() if not line.startswith(world.desa["selat"].kode)
    )
    path = tmp_path / "wilayah_62.csv"
    path.write_text(dropped + "\n", encoding="utf-8")
    result = load_wilayah("62", path)
    assert (result.updated, result.deactivated) == (1, 1)
    assert Wilayah.objects.get(kode="62.71.01").nama == "Pahandut Baru"
    assert Wilayah.objects.get(pk=world.desa["selat"].pk).aktif is False


@pytest.mark.django_db(transaction=True)
def test_create_account_reads_password_from_stdin():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "create_account",
            "tksk.katingan",
            "--role",
            "tksk",
            "--wilayah",
            "62.06.01",
        ],
        cwd=ROOT,
        input="Bukit-Raya-Hijau-2026\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": _test_database_url()},
    )
    assert result.returncode == 0, result.stderr
    assert "TKSK Kecamatan" in result.stdout
    assert User.objects.get(username="tksk.katingan").wilayah.kode == "62.06.01"


def _test_database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.django_db
def test_create_account_validates_in_process():
    from unittest import mock

    with mock.patch("sys.stdin", StringIO("Bukit-Raya-Hijau-2026\n")):
        call_command(
            "create_account", "tksk.selat2", role="tksk", wilayah="62.03.01", stdout=StringIO()
        )
    user = User.objects.get(username="tksk.selat2")
    assert user.wilayah.kode == "62.03.01" and user.check_password("Bukit-Raya-Hijau-2026")
    with (
        mock.patch("sys.stdin", StringIO("Bukit-Raya-Hijau-2026\n")),
        pytest.raises(CommandError, match="tingkat kecamatan"),
    ):
        call_command(
            "create_account", "tksk.salah", role="tksk", wilayah="62.03", stdout=StringIO()
        )
    with (
        mock.patch("sys.stdin", StringIO("kalteng12345678\n")),
        pytest.raises(CommandError, match="kalteng"),
    ):
        call_command("create_account", "tksk.lemah", role="tksk", wilayah="62.03.01")
    assert not User.objects.filter(username__in=["tksk.salah", "tksk.lemah"]).exists()


@pytest.mark.django_db(transaction=True)
def test_create_account_mismatch_exits_non_zero():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "create_account",
            "x.kab",
            "--role",
            "kabupaten",
            "--wilayah",
            "62.03.01",
        ],
        cwd=ROOT,
        input="Bukit-Raya-Hijau-2026\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": _test_database_url()},
    )
    assert result.returncode != 0
    assert "harus ditugaskan ke wilayah tingkat kabupaten/kota" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_demo_accounts_log_in(client):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    expected = {
        "admin": ("admin", None),
        "dinsos.prov": ("provinsi", "62"),
        "dinsos.palangkaraya": ("kabupaten", "62.71"),
        "dinsos.kapuas": ("kabupaten", "62.03"),
        "tksk.pahandut": ("tksk", "62.71.01"),
        "tksk.jekanraya": ("tksk", "62.71.03"),
        "tksk.selat": ("tksk", "62.03.01"),
    }
    for username, (role, kode) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.wilayah.kode if user.wilayah else None) == (role, kode)
        response = client.post(
            reverse("login"), {"username": username, "password": "Demo-Kalteng-2026"}
        )
        assert response.status_code == 302, username
        client.logout()
    assert User.objects.filter(username__in=expected).count() == 7


@pytest.mark.django_db
def test_audit_log_is_append_only(world):
    entry = AuditLog.objects.create(aksi="uji")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=entry.pk).update(aksi="diubah")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=entry.pk).delete()


def test_log_filter_masks_sixteen_digit_numbers():
    import logging

    from tksk.logging import MaskNIKFilter

    logger = logging.getLogger("tksk.uji")
    handler_filter = MaskNIKFilter()
    record = logger.makeRecord(
        "tksk.uji", logging.INFO, __file__, 1, "NIK %s ditemukan", ("6271035708900001",), None
    )
    handler_filter.filter(record)
    assert record.getMessage() == "NIK 6271********0001 ditemukan"


@pytest.mark.django_db
def test_masking_is_for_sixteen_digit_numbers_only():
    """A NIK or No KK is masked wherever it stands; a longer number is not one and stays: the
    camat's NIP (18 digits) is printed in the monthly report, and once masking every run of 16
    digits or more turned it into stars and made a returned report impossible to resubmit."""
    from tksk.audit import catat
    from tksk.logging import mask_numbers

    assert mask_numbers("x6271035708900001y") == "x6271********0001y"
    assert mask_numbers("NIP 197001011990031001") == "NIP 197001011990031001"
    assert mask_numbers("627103570890000") == "627103570890000"  # 15 digits
    row = catat(aksi="uji", data={"nik": "6271035708900001", "nip": "197001011990031001"})
    assert row.data == {"nik": "6271********0001", "nip": "197001011990031001"}


def test_integrity_error_type_is_exported():
    # Guard against an accidental import cycle in the core: models import cleanly.
    assert IntegrityError is not None


def test_manage_py_without_database_url_is_a_development_checkout():
    """`manage.py makemigrations` (or shell) in a fresh clone must not stop on a missing
    SECRET_KEY; with DATABASE_URL set (a deployment) nothing is relaxed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("manage_cli", ROOT / "manage.py")
    manage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(manage)
    local = {}
    manage.development_defaults(local)
    assert local == {"DEBUG": "1"}
    deployed = {"DATABASE_URL": "postgres://db/tksk"}
    manage.development_defaults(deployed)
    assert "DEBUG" not in deployed
    explicit = {"DEBUG": "0"}
    manage.development_defaults(explicit)
    assert explicit["DEBUG"] == "0"
