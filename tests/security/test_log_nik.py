"""No NIK in any log line: NIKs sent in the query, the body and the headers through the dev
server (runserver), gunicorn with deploy/gunicorn.conf.py, and a job run by the background
worker; every line each process wrote is scanned for a 16-digit number."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.security import ENAM_BELAS

ROOT = Path(__file__).resolve().parents[2]
NIK = "6271011204850001"
SAMAR = "6271********0001"


def _env():
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONUNBUFFERED": "1",
    }


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _minta(base, path, *, body=None, headers=None):
    request = urllib.request.Request(
        base + path,
        data=body,
        headers={"User-Agent": f"Uji/{NIK}", "Referer": f"{base}/?nik={NIK}", "X-NIK": NIK}
        | (headers or {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _lalu_lintas(base) -> None:
    batas = time.monotonic() + 30
    while True:
        try:
            if _minta(base, "/healthz") == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < batas, "server did not start"
        time.sleep(0.2)
    json_body = {"Content-Type": "application/json"}
    assert _minta(base, f"/api/v1/individu/?search={NIK}") == 400
    assert _minta(base, f"/api/v1/keluarga/?desa={NIK[:4]}-{NIK[4:8]}-{NIK[8:12]}-{NIK[12:]}") in (
        400,
        401,
    )
    assert _minta(base, f"/pendataan/keluarga/?q={NIK}") in (200, 302)
    assert _minta(base, f"/tidak-ada/{NIK}/") == 404
    token = json.dumps({"username": NIK, "password": NIK}).encode()
    assert _minta(base, "/api/v1/auth/token/", body=token, headers=json_body) == 400
    assert _minta(base, "/api/v1/individu/cari/", body=token, headers=json_body) == 401
    # A login form posted with a NIK as the username (a failed login is logged and audited).
    form = f"username={NIK}&password={NIK}".encode()
    _minta(base, "/accounts/login/", body=form)


def _periksa(teks: str, nama: str) -> None:
    assert teks.strip(), f"{nama} wrote nothing: the check would prove nothing"
    bocor = [baris for baris in teks.splitlines() if ENAM_BELAS.search(baris)]
    assert not bocor, f"{nama} logged a 16-digit number:\n" + "\n".join(bocor[:20])
    assert SAMAR in teks, f"{nama}: the masked NIK never appears, so its lines were not seen"


@pytest.mark.django_db(transaction=True)
def test_dev_server_logs_no_nik(tmp_path):
    port = _port()
    log = tmp_path / "runserver.log"
    with open(log, "w") as out:
        proses = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT, env=_env(), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _lalu_lintas(f"http://127.0.0.1:{port}")
        finally:
            proses.terminate()
            proses.wait(timeout=15)
    teks = log.read_text()
    _periksa(teks, "runserver")
    assert f"GET /api/v1/individu/?search={SAMAR}" in teks  # the request line, masked


@pytest.mark.django_db(transaction=True)
def test_gunicorn_with_the_deploy_config_logs_no_nik(tmp_path):
    port = _port()
    log = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with open(log, "w") as out:
        proses = subprocess.Popen(
            [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "tksk.wsgi:application",
             "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30"],
            cwd=ROOT, env=_env(), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _lalu_lintas(f"http://127.0.0.1:{port}")
        finally:
            proses.terminate()
            proses.wait(timeout=15)
    teks = log.read_text()
    _periksa(teks, "gunicorn")
    # The access log is there, with the query, the Referer and the User-Agent, all masked.
    assert f'"GET /api/v1/individu/?search={SAMAR} HTTP/1.1" 400' in teks
    assert f"Uji/{SAMAR}" in teks
    assert "Booting worker" in teks  # the error log too


@pytest.mark.django_db(transaction=True)
def test_background_worker_logs_no_nik(tmp_path):
    from tests.security.tugas_nik import gagal_dengan_nik

    hasil = gagal_dengan_nik.enqueue(NIK)
    keluar = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
         "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    teks = keluar.stdout + keluar.stderr
    hasil.refresh()
    assert hasil.status == "FAILED", teks
    _periksa(teks, "db_worker")
    assert "Memproses anggota dengan NIK" in teks and "already exists" in teks
