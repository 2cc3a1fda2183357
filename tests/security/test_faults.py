"""Faults: PostgreSQL restarted under load (the app answers again on its own, no household is
half-written), a failing PDF render (a friendly page, no file, no audit of a print that did not
happen), a failing background job (the worker goes on)."""

import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from types import SimpleNamespace

import psycopg
import pytest
from django.db import connection
from django_tasks import task

from tests.matrix import SCOPED
from tests.security import ROOT, media_fixture, pengguna_untuk  # noqa: F401
from tksk import localdb
from tksk.models import AuditLog

SANDI = "Kahayan-Tenang-Sekali-61"


# --- PostgreSQL restarted while requests are flowing ------------------------------------------


class Klien:
    """A minimal browser over urllib: cookies by hand, since the production cookies are
    `Secure` and this talks plain HTTP to the loopback (as the TLS proxy would)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def minta(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if data is not None:
            request.add_header("Referer", self.base + path)
            request.add_header("X-CSRFToken", self.cookies.get("csrftoken", ""))

        class TanpaRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(TanpaRedirect)
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read()

    def masuk(self, username: str, password: str) -> list[str]:
        _, _, body = self.minta("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        status, headers, _ = self.minta(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        assert status == 302, status
        return headers.get_all("Set-Cookie")


def _siapkan_database(url: str, test_db_url: str, tmp_path) -> None:
    """Schema and reference data copied from the migrated test database (what migrate +
    load_wilayah give, in a second), then migrate (nothing left to do) and one TKSK account."""
    bindir = localdb.bindir()
    dump = tmp_path / "awal.dump"
    subprocess.run(
        [str(bindir / "pg_dump"), "-Fc", "--no-owner", "-f", str(dump), test_db_url],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(bindir / "pg_restore"), "--no-owner", "-d", url, str(dump)],
        check=True,
        capture_output=True,
    )
    skrip = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        "from django.utils import timezone;"
        "from tksk import services; from tksk.models import User, Wilayah;"
        f"u = services.akun_buat(actor=None, username='tksk.uji', password={SANDI!r},"
        " role='tksk', wilayah=Wilayah.objects.get(kode='62.71.01'));"
        "User.objects.filter(pk=u.pk).update(privasi_disetujui=timezone.now())"
    )
    subprocess.run(
        [sys.executable, "-c", skrip], cwd=ROOT, env=_env(url), check=True, capture_output=True
    )


def _env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=url,
        # Production settings (DEBUG off, secure cookies, HSTS); static files from the source
        # folders instead of a collectstatic run.
        DJANGO_SETTINGS_MODULE="tests.settings",
        DEBUG="0",
        SECRET_KEY="uji-gangguan-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    return env


def _test_db_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _data_keluarga(desa_pk: int) -> dict:
    from tests.matrix.keluarga import form_data
    from tests.security import anggota

    return form_data(
        SimpleNamespace(pk=desa_pk),
        [anggota("Kepala Beban"), anggota("Istri Beban", hubungan="istri", jenis_kelamin="P")],
        initial=0,
    )


def _mulai_server(url: str):
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]


def _restart(url: str) -> float:
    with psycopg.connect(url) as conn:
        data = conn.execute("SHOW data_directory").fetchone()[0]
    cmd = [str(localdb.bindir() / "pg_ctl"), "-D", data, "-l", f"{data}/../restart.log"]
    cmd += ["-m", "fast", "-w", "-t", "30", "restart"]
    mulai = time.monotonic()
    subprocess.run(
        localdb._as_server_user(cmd),
        cwd="/",
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=40,
    )
    return time.monotonic() - mulai


@pytest.mark.django_db
def test_app_recovers_from_a_database_restart_and_writes_no_half_household(tmp_path):
    """gunicorn with the production settings against a private PostgreSQL: requests flow,
    the server restarts (fast shutdown: open connections are cut), and without any help the
    app answers 200 again within seconds; households posted around the restart are whole or
    absent."""
    with localdb.throwaway_cluster() as url:
        _siapkan_database(url, _test_db_url(), tmp_path)
        with psycopg.connect(url) as conn:
            desa = conn.execute("SELECT id FROM tksk_wilayah WHERE kode = '62.71.01.1001'")
            desa_pk = desa.fetchone()[0]
        port = localdb._free_port()
        log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "tksk.wsgi:application",
             "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"],
            cwd=ROOT, env=_env(url), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _lalu_lintas_dan_restart(f"http://127.0.0.1:{port}", url, desa_pk, tmp_path)
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()
        with psycopg.connect(url) as conn:
            rusak = conn.execute(
                """
                SELECT k.id, k.jumlah_anggota,
                       count(i.id) FILTER (WHERE i.status_hidup = 'hidup'),
                       count(i.id) FILTER (WHERE i.hubungan = 'kepala_keluarga'
                                             AND i.status_hidup = 'hidup')
                FROM pendataan_keluarga k LEFT JOIN pendataan_individu i ON i.keluarga_id = k.id
                GROUP BY k.id
                HAVING k.jumlah_anggota <> count(i.id) FILTER (WHERE i.status_hidup = 'hidup')
                    OR count(i.id) FILTER (WHERE i.hubungan = 'kepala_keluarga'
                                             AND i.status_hidup = 'hidup') <> 1
                """
            ).fetchall()
            jumlah = conn.execute("SELECT count(*) FROM pendataan_keluarga").fetchone()[0]
        assert not rusak, f"half-written households: {rusak}"
        assert jumlah >= 4, jumlah


def _lalu_lintas_dan_restart(base: str, url: str, desa_pk: int, tmp_path) -> None:
    klien = Klien(base)
    batas = time.monotonic() + 20
    while True:  # gunicorn starting
        try:
            if klien.minta("/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < batas, (tmp_path / "gunicorn.log").read_text()[-2000:]
        time.sleep(0.2)
    cookies = klien.masuk("tksk.uji", SANDI)
    sesi = next(c for c in cookies if c.startswith("sessionid="))
    assert "Secure" in sesi and "HttpOnly" in sesi and "SameSite=Lax" in sesi
    status, headers, _ = klien.minta("/", headers={"X-Forwarded-Proto": "https"})
    assert status == 200 and "max-age=31536000" in headers["Strict-Transport-Security"]
    assert headers["Cache-Control"] == "no-store"

    hasil: list[tuple[float, str, int]] = []
    berhenti = threading.Event()

    def kirim():
        while not berhenti.is_set():
            for jenis, path, data in (
                ("sehat", "/healthz", None),
                ("daftar", "/pendataan/keluarga/", None),
                ("simpan", "/pendataan/keluarga/baru/", _data_keluarga(desa_pk)),
            ):
                if data is not None:
                    data["csrfmiddlewaretoken"] = klien.cookies.get("csrftoken", "")
                try:
                    status = klien.minta(path, data)[0]
                except OSError:
                    status = 0
                hasil.append((time.monotonic(), jenis, status))

    threads = [threading.Thread(target=kirim, daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        sebelum = [h for h in hasil if h[2] in (200, 302)]
        assert sebelum, hasil[:10]
        awal = _mulai_server(url)
        lama = _restart(url)
        selesai = time.monotonic()
        assert _mulai_server(url) > awal, "the server did not restart"
        pulih = None
        while time.monotonic() < selesai + 10:
            baru = [h for h in hasil if h[0] > selesai]
            if len(baru) >= 12 and all(h[2] in (200, 302) for h in baru[-9:]):
                pulih = next(h[0] for h in baru if h[2] in (200, 302)) - selesai
                break
            time.sleep(0.2)
        time.sleep(1)
    finally:
        berhenti.set()
        for t in threads:
            t.join(timeout=15)
    setelah = [h for h in hasil if h[0] > selesai]
    assert pulih is not None, (
        f"no steady 200s after the restart ({lama:.1f}s): "
        f"{[(round(t - selesai, 1), j, s) for t, j, s in setelah][:30]}"
    )
    assert pulih < 5, pulih
    simpan = [h for h in setelah if h[1] == "simpan" and h[2] == 302]
    assert simpan, "no household was saved after the restart"
    gagal_akhir = [h for h in setelah if h[0] > selesai + pulih + 1 and h[2] not in (200, 302)]
    assert not gagal_akhir, gagal_akhir[:5]


# --- a PDF that cannot be rendered ----------------------------------------------------------


def _pdf_entries():
    hasil = []
    for e in SCOPED:
        if e.method != "get" or e.name.startswith("api:"):
            continue
        if e.name.endswith(("-pdf", "-surat")):
            hasil.append((e, ""))
        elif e.name.startswith("laporan:rekap-"):
            hasil.append((e, "&format=pdf"))
    return hasil


def test_pdf_urls_are_found():
    assert "koordinasi:rujukan-surat" in {e.name for e, _ in _pdf_entries()}


@pytest.mark.django_db
@pytest.mark.usefixtures("media")
@pytest.mark.parametrize(("entry", "query"), _pdf_entries(), ids=lambda v: getattr(v, "name", v))
def test_failing_pdf_render_is_a_friendly_page_and_no_file(
    entry, query, world, client, media, monkeypatch
):
    import weasyprint

    def rusak(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    path, _ = entry.build(world, "pahandut")
    user = pengguna_untuk(world, entry.roles)
    client.force_login(user)
    berhasil = client.get(path + query)
    assert berhasil["Content-Type"] == "application/pdf", "the URL does not give a PDF at all"
    sebelum_audit = AuditLog.objects.filter(aksi__startswith="cetak").count()
    sebelum_berkas = sorted(media.rglob("*"))
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", rusak)
    response = client.get(path + query)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "tidak dapat dibuat" in html.lower() and "Traceback" not in html
    assert "Content-Disposition" not in response
    assert AuditLog.objects.filter(aksi__startswith="cetak").count() == sebelum_audit
    assert sorted(media.rglob("*")) == sebelum_berkas


# --- a failing background job -------------------------------------------------------------------

DIJALANKAN: list[str] = []


@task()
def tugas_gagal() -> None:
    DIJALANKAN.append("gagal")
    raise RuntimeError("job failed on purpose")


@task()
def tugas_berhasil() -> int:
    DIJALANKAN.append("berhasil")
    return 7


@pytest.mark.django_db
def test_worker_survives_a_failing_job_and_runs_the_next(monkeypatch):
    """django-tasks-db marks the job FAILED (with its traceback) and goes on with the next one.
    It does not retry a failed job: see docs/SECURITY.md (background jobs)."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker closes stale connections between jobs; inside the test's transaction that
    # would close the test's own connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    Worker = db_worker.Worker

    DIJALANKAN.clear()
    gagal = tugas_gagal.enqueue()
    berhasil = tugas_berhasil.enqueue()
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="uji", excluded_queue_names=[],
    ).run()  # fmt: skip
    assert DIJALANKAN == ["gagal", "berhasil"]
    hasil_gagal = DBTaskResult.objects.get(id=gagal.id)
    assert hasil_gagal.status == "FAILED" and "job failed on purpose" in hasil_gagal.traceback
    assert DBTaskResult.objects.get(id=berhasil.id).status == "SUCCESSFUL"
