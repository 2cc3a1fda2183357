"""The project-local PostgreSQL keeps its port across `python -m tksk.localdb stop` and
`start`, even when the old port still has connections in TIME_WAIT (the server was stopped
with an app connected), so that a running app finds it again without a restart."""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from tksk import localdb

ROOT = Path(__file__).resolve().parents[2]
PULIH_DETIK = 5


def _localdb(env: dict, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "tksk.localdb", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _time_wait(port: int) -> int:
    """Sockets on 127.0.0.1:port in TIME_WAIT (state 06 in /proc/net/tcp)."""
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return 0
    return sum(
        1 for line in lines if line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "06"
    )


def _status(base: str) -> int:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=3) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def test_local_database_keeps_its_port_and_the_app_recovers_within_5_s(tmp_path):
    # A folder the server user can enter when we are root (see tksk.localdb.cluster_home).
    base_dir = Path(tempfile.mkdtemp(prefix="tksk-localdb-", dir=localdb.SHARED_TMP))
    base_dir.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", localdb.PORT_ENV)}
    env[localdb.DIR_ENV] = str(base_dir)
    url = _localdb(env, "url")
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    app_env = {
        **{k: v for k, v in env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    app_port = localdb._free_port()
    app = f"http://127.0.0.1:{app_port}"
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "tksk.wsgi:application",
         "-b", f"127.0.0.1:{app_port}", "-w", "2", "--timeout", "30"],
        cwd=ROOT, env=app_env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    hasil: list[tuple[float, int]] = []
    berhenti = threading.Event()

    def kirim():
        while not berhenti.is_set():
            hasil.append((time.monotonic(), _status(app)))
            time.sleep(0.05)

    threads = [threading.Thread(target=kirim, daemon=True) for _ in range(2)]
    try:
        batas = time.monotonic() + 30
        while _status(app) != 200:
            assert time.monotonic() < batas, (tmp_path / "gunicorn.log").read_text()[-2000:]
            time.sleep(0.2)
        for t in threads:
            t.start()
        time.sleep(1.5)  # requests flowing: both workers hold a database connection
        assert [s for _, s in hasil].count(200) >= 5, hasil[-5:]

        _localdb(env, "stop")
        time_wait = _time_wait(port)
        _localdb(env, "start")
        dimulai = time.monotonic()
        url_baru = _localdb(env, "url")
        batas = dimulai + PULIH_DETIK
        while time.monotonic() < batas and not any(t > dimulai and s == 200 for t, s in hasil):
            time.sleep(0.05)
        setelah = [(round(t - dimulai, 2), s) for t, s in hasil if t > dimulai]
    finally:
        berhenti.set()
        for t in threads:
            t.join(timeout=10)
        server.terminate()
        server.wait(timeout=15)
        log.close()
        subprocess.run(
            [sys.executable, "-m", "tksk.localdb", "destroy"], cwd=ROOT, env=env, timeout=120,
            capture_output=True,
        )  # fmt: skip
        shutil.rmtree(base_dir, ignore_errors=True)
    assert url_baru == url, f"moved from {url} to {url_baru} ({time_wait} sockets in TIME_WAIT)"
    assert any(s == 200 for _, s in setelah), (
        f"no /healthz 200 within {PULIH_DETIK} s: {setelah[:20]}"
    )
    # Once back, it stays back.
    pertama = next(t for t, s in setelah if s == 200)
    assert all(s == 200 for t, s in setelah if t > pertama + 0.5), setelah
