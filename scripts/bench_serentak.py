"""Concurrent readers for scripts/bench.py (imported by it automatically; see its docstring).

Starts gunicorn (2 workers, the machine's core count here) with the bench's own settings and
database, and lets 4 clients in threads read at the same time, each with its own session: the
province dashboard and the household list. Each timed call is one round of the 4 clients; the
reported times are per request (p95 over all clients' requests), measured over HTTP.

    .venv/bin/python scripts/bench.py --only serentak_dasbor_provinsi,serentak_keluarga_list
"""

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from bench import ROOT, NotAvailable, measurement, p95

KLIEN = 4
PANGGILAN = 10  # requests per client per measurement


class _Server:
    proc = None
    base = ""

    @classmethod
    def mulai(cls) -> str:
        if cls.proc is not None and cls.proc.poll() is None:
            return cls.base
        from tksk.localdb import _free_port

        gunicorn = Path(sys.executable).parent / "gunicorn"
        if not gunicorn.exists():
            raise NotAvailable("gunicorn tidak terpasang")
        port = _free_port()
        cls.base = f"http://127.0.0.1:{port}"
        cls.proc = subprocess.Popen(
            [str(gunicorn), "tksk.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2",
             "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL,
        )  # fmt: skip
        batas = time.monotonic() + 30
        while time.monotonic() < batas:
            try:
                with urllib.request.urlopen(cls.base + "/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return cls.base
            except OSError:
                time.sleep(0.3)
        raise NotAvailable("gunicorn tidak menjawab /healthz")

    @classmethod
    def henti(cls) -> None:
        if cls.proc is not None:
            cls.proc.terminate()
            cls.proc.wait(timeout=20)
            cls.proc = None


def _sesi(ctx, username: str) -> str:
    from django.test import Client

    client = Client()
    client.force_login(ctx.user(username))
    return client.cookies["sessionid"].value


def _serentak(ctx, username: str, path: str):
    base = _Server.mulai()
    ctx.cleanup(_Server.henti)
    sesi = [_sesi(ctx, username) for _ in range(KLIEN)]
    waktu: list[float] = []

    def klien(cookie: str, hasil: list) -> None:
        for _ in range(PANGGILAN):
            req = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"})
            mulai = time.perf_counter()
            with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310
                r.read()
                if r.status != 200:
                    raise AssertionError(f"GET {path} → {r.status}")
            hasil.append((time.perf_counter() - mulai) * 1000)

    def putaran():
        hasil: list[float] = []
        threads = [threading.Thread(target=klien, args=(c, hasil)) for c in sesi]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if len(hasil) != KLIEN * PANGGILAN:
            raise AssertionError(f"{len(hasil)} dari {KLIEN * PANGGILAN} permintaan berhasil")
        waktu.extend(hasil)
        ctx.note = (
            f"per permintaan: median {sorted(waktu)[len(waktu) // 2]:.0f} ms, "
            f"p95 {p95(waktu):.0f} ms ({len(waktu)} permintaan, termasuk pemanasan)"
        )

    return putaran


@measurement(
    "serentak_dasbor_provinsi",
    runs=3,
    warmup=1,
    description=f"{KLIEN} klien serentak × {PANGGILAN} GET dasbor provinsi lewat gunicorn; "
    "waktu = satu putaran semua klien (p95 per permintaan di catatan)",
)
def serentak_dasbor_provinsi(ctx):
    return _serentak(ctx, "dinsos.prov", ctx.url("laporan:index"))


@measurement(
    "serentak_keluarga_list",
    runs=3,
    warmup=1,
    description=f"{KLIEN} klien serentak × {PANGGILAN} GET daftar keluarga (TKSK Pahandut) "
    "lewat gunicorn; waktu = satu putaran (p95 per permintaan di catatan)",
)
def serentak_keluarga_list(ctx):
    return _serentak(ctx, "tksk.pahandut", ctx.url("pendataan:keluarga-list"))
