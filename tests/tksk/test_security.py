"""Security and data-safety checks that are not tied to one feature."""

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ["tksk", "pendataan", "koordinasi", "laporan"]


def test_no_safe_filter_or_mark_safe_on_user_data():
    """Autoescaping is the defence against markup in names and notes; nothing switches it off.
    A justified exception must be added here with its reason."""
    allowed: dict[str, str] = {
        "tksk/templatetags/gaya.py": "inlines the project's own stylesheet files, no user data",
    }
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\|\s*safe\b", r"{%\s*autoescape\s+off", r"\|\s*safeseq\b"):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            text = path.read_text(encoding="utf-8")
            if re.search(r"\bmark_safe\s*\(|\bSafeString\s*\(", text) and rel not in allowed:
                offenders.append(rel)
    assert not offenders, offenders


@pytest.mark.django_db
def test_statement_timeout_stops_a_runaway_query(settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] in ("30s", "30000ms")
    with (
        pytest.raises(OperationalError, match="statement timeout"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 200")
        cursor.execute("SELECT pg_sleep(5)")


def _url(dbname=None):
    s = connection.settings_dict
    name = dbname or s["NAME"]
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{name}"


MAIN_TABLES = [
    "tksk_wilayah",
    "tksk_user",
    "tksk_auditlog",
    "pendataan_keluarga",
    "pendataan_individu",
    "pendataan_ppks",
]


def _fingerprint(url):
    result = {}
    with psycopg.connect(url) as conn:
        for table in MAIN_TABLES:
            row = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "  # noqa: S608
                f"FROM {table} t"
            ).fetchone()
            result[table] = row
    return result


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_a_fresh_database(world, tmp_path):
    from pendataan.models import PPKS, Individu, Keluarga
    from tksk.audit import catat
    from tksk.models import KategoriPPKS

    for i in range(3):
        keluarga = Keluarga.objects.create(
            desa=world.desa["pahandut"], alamat=f"Jl. Rajawali {i}", no_kk=f"62710112059{i}0001"
        )
        orang = Individu.objects.create(
            keluarga=keluarga,
            desa=keluarga.desa,
            nik=f"627101570890{i}001",
            nama=f"Warga {i}",
            jenis_kelamin="P",
            hubungan="kepala_keluarga",
        )
        PPKS.objects.create(
            desa=keluarga.desa,
            kategori=KategoriPPKS.objects.get(singkatan="FM"),
            subjek="individu",
            individu=orang,
            tanggal_identifikasi="2026-10-01",
        )
    catat(aksi="uji_backup")
    env = {**os.environ, "DATABASE_URL": _url(), "PYTHON": "python3"}
    out = subprocess.run(
        ["bash", "scripts/backup.sh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    dump = ROOT / re.search(r"(var/backups/\S+\.dump)", out.stdout).group(1)
    fresh = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        env["DATABASE_URL"] = _url(fresh)
        out = subprocess.run(
            ["bash", "scripts/restore.sh", str(dump)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        original, restored = _fingerprint(_url()), _fingerprint(_url(fresh))
        assert original == restored
        assert original["pendataan_individu"][0] == 3
    finally:
        dump.unlink(missing_ok=True)
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')


def test_bandit_finds_no_medium_or_high_issue():
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "bandit"),
            "-q",
            "-ll",
            "-r",
            *CODE_DIRS,
            "-x",
            "*/migrations/*",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
