#!/usr/bin/env python
"""Benchmarks of Sistem Informasi TKSK: server time and queries of the main pages and services on
a database seeded with synthetic data (see docs/PERFORMANCE.md).

    .venv/bin/python scripts/bench.py [--households N] [--seed S] [--only NAME,...] [--runs N]

Uses the database of DATABASE_URL (take a dedicated one, e.g. tksk_bench: the run adds data). It
seeds synthetic households up to N first (reusing what is there when there are enough), then runs
each measurement: a few warm-up calls, then `runs` timed calls, each with its query count. A
Markdown table is printed and written, with the JSON, to var/bench/.

Adding a measurement: a function taking the context and returning the call to time, registered
with the decorator, e.g.

    @measurement("ppks_list", target_ms=150, description="PPKS list of one kecamatan")
    def ppks_list(ctx):
        client = ctx.client("tksk.pahandut")
        url = ctx.url("pendataan:ppks-list")   # NotAvailable if the URL does not exist yet
        return lambda: ctx.get(client, url, {"status": "diajukan"})

Raise NotAvailable("why") for something not built yet; it shows as a "not available" row.
Register undo work with ctx.cleanup(func): it runs after the measurement, even when it fails.
"""

import argparse
import json
import logging
import math
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tksk.settings")
# The development settings (as `make run`): without DEBUG the settings demand a SECRET_KEY and a
# collected static manifest. Set DEBUG=0 and SECRET_KEY yourself to measure the production mode.
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from pendataan.models import Keluarga, Riwayat  # noqa: E402
from tksk.models import User, Wilayah  # noqa: E402

OUT_DIR = ROOT / "var" / "bench"
WARMUP = 3


class NotAvailable(Exception):
    """The thing to measure does not exist (yet): reported as a row, not as a failure."""


@dataclass
class Measurement:
    name: str
    func: Callable
    target_ms: float | None
    runs: int
    memory: bool
    description: str


REGISTRY: list[Measurement] = []


def measurement(
    name: str,
    *,
    target_ms: float | None = None,
    runs: int = 50,
    memory: bool = False,
    description: str = "",
):
    """Register a measurement. `target_ms` is the p95 it must stay under; `memory` adds one call
    under tracemalloc to report the peak of Python allocations."""

    def register(func):
        REGISTRY.append(Measurement(name, func, target_ms, runs, memory, description))
        return func

    return register


@dataclass
class Result:
    name: str
    description: str = ""
    status: str = "ok"  # ok | slow | not available | error
    runs: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    target_ms: float | None = None
    queries: str = ""
    peak_memory_kib: int | None = None
    note: str = ""


@dataclass
class Context:
    households: int
    seed: int
    runs_override: int = 0
    runs: int = 0  # timed calls of the current measurement (set by the runner)
    _cleanups: list = field(default_factory=list)
    _clients: dict = field(default_factory=dict)

    def user(self, username: str) -> User:
        try:
            return User.objects.select_related("wilayah").get(username=username)
        except User.DoesNotExist:
            raise NotAvailable(f"akun {username} tidak ada") from None

    def client(self, username: str) -> Client:
        """A test client logged in as `username` (server time only: no network, no browser)."""
        if username not in self._clients:
            client = Client(raise_request_exception=True)
            client.force_login(self.user(username))
            self._clients[username] = client
        return self._clients[username]

    def url(self, name: str, *args, **kwargs) -> str:
        try:
            return reverse(name, args=args or None, kwargs=kwargs or None)
        except NoReverseMatch:
            raise NotAvailable(f"URL {name} belum ada") from None

    def get(self, client: Client, url: str, params=None, expect: int = 200):
        response = client.get(url, params or {}, secure=True)
        if response.status_code != expect:
            raise AssertionError(f"GET {url} → {response.status_code}, expected {expect}")
        return response

    def cleanup(self, func: Callable) -> None:
        self._cleanups.append(func)

    def run_cleanups(self) -> None:
        while self._cleanups:
            self._cleanups.pop()()


# --- measurements -------------------------------------------------------------------------------


@measurement(
    "keluarga_list",
    target_ms=150,
    memory=True,
    description="daftar keluarga satu kecamatan (TKSK Pahandut), filter status terverifikasi",
)
def keluarga_list(ctx):
    client = ctx.client("tksk.pahandut")
    url = ctx.url("pendataan:keluarga-list")
    return lambda: ctx.get(client, url, {"status": "terverifikasi"})


@measurement(
    "keluarga_detail",
    target_ms=80,
    memory=True,
    description="halaman satu keluarga dengan 5 anggota (TKSK Pahandut)",
)
def keluarga_detail(ctx):
    client = ctx.client("tksk.pahandut")
    keluarga = (
        Keluarga.objects.filter(desa__kecamatan__kode="62.71.01", jumlah_anggota=5)
        .order_by("id")
        .first()
    )
    if keluarga is None:
        raise NotAvailable("tidak ada keluarga 5 anggota di Pahandut")
    url = ctx.url("pendataan:keluarga-detail", uuid=keluarga.uuid)
    return lambda: ctx.get(client, url)


@measurement(
    "keluarga_simpan",
    target_ms=150,
    description="simpan keluarga baru dengan 5 anggota lewat pendataan.services.keluarga_simpan",
)
def keluarga_simpan_baru(ctx):
    try:
        from pendataan.services import keluarga_simpan
    except ImportError:
        raise NotAvailable("pendataan.services.keluarga_simpan belum ada") from None
    pelaku = ctx.user("tksk.pahandut")
    desa = Wilayah.objects.filter(induk=pelaku.wilayah).order_by("kode").first()
    anggota_dasar = [
        ("kepala_keluarga", "L", date(1980, 5, 12), "kawin_tercatat", "Wiraswasta", "sma"),
        ("istri", "P", date(1983, 9, 3), "kawin_tercatat", "Mengurus Rumah Tangga", "sma"),
        ("anak", "L", date(2006, 2, 20), "belum_kawin", "Pelajar/Mahasiswa", "sma"),
        ("anak", "P", date(2010, 7, 14), "belum_kawin", "Pelajar/Mahasiswa", "smp"),
        ("anak", "L", date(2016, 11, 1), "belum_kawin", "Pelajar/Mahasiswa", "belum_tamat_sd"),
    ]
    wilayah = pelaku.wilayah.kode.replace(".", "")

    def nik(lahir, jk, seri):
        hari = lahir.day + (40 if jk == "P" else 0)
        return f"{wilayah}{hari:02d}{lahir.month:02d}{lahir.year % 100:02d}{seri:04d}"

    # Serials from 5000 up that nobody holds yet: the seeded data never gets that far, and the
    # rows of an interrupted earlier run are skipped rather than hit.
    from pendataan.models import Individu

    jumlah = WARMUP + ctx.runs + 1  # + the memory call, should it be switched on
    seri_awal = 5000
    while True:
        calon = [
            nik(lahir, jk, seri_awal + i)
            for i in range(jumlah)
            for _, jk, lahir, *_ in anggota_dasar
        ]
        kk = [f"{wilayah}010126{seri_awal + i:04d}" for i in range(jumlah)]
        if not (
            Individu.objects.filter(nik__in=calon).exists()
            or Keluarga.objects.filter(no_kk__in=kk).exists()
        ):
            break
        seri_awal += jumlah
        if seri_awal + jumlah > 9999:
            raise NotAvailable("nomor urut uji habis")
    dibuat = []

    def hapus():
        uuids = [k.uuid for k in dibuat]
        Riwayat.objects.filter(keluarga_uuid__in=uuids).delete()
        Riwayat.objects.filter(objek_uuid__in=uuids).delete()
        Keluarga.objects.filter(uuid__in=uuids).delete()

    ctx.cleanup(hapus)
    urutan = iter(range(jumlah))

    def simpan():
        i = next(urutan)
        seri = seri_awal + i
        anggota = [
            {
                "nik": nik(lahir, jk, seri),
                "nama": f"Uji Kinerja {i} {n}",
                "jenis_kelamin": jk,
                "tempat_lahir": "Palangka Raya",
                "tanggal_lahir": lahir,
                "hubungan": hubungan,
                "agama": "islam",
                "pendidikan": pendidikan,
                "pekerjaan": pekerjaan,
                "status_kawin": kawin,
                "disabilitas": [],
                "nama_ibu": "Ibu Uji",
                "status_hidup": "hidup",
            }
            for n, (hubungan, jk, lahir, kawin, pekerjaan, pendidikan) in enumerate(anggota_dasar)
        ]
        data = {
            "no_kk": f"{wilayah}010126{seri:04d}",
            "desa": desa,
            "alamat": f"Jl. Uji Kinerja No. {i}",
            "rt": "001",
            "rw": "002",
        }
        hasil = keluarga_simpan(pelaku=pelaku, data=data, anggota=anggota)
        dibuat.append(hasil.keluarga)

    return simpan


# --- runner -------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def run_measurement(m: Measurement, ctx: Context) -> Result:
    result = Result(m.name, m.description, target_ms=m.target_ms)
    ctx.runs = ctx.runs_override or m.runs
    try:
        call = m.func(ctx)
        for _ in range(WARMUP):
            call()
        times, queries = [], []
        for _ in range(ctx.runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                call()
                times.append((time.perf_counter() - start) * 1000)
            queries.append(len(captured.captured_queries))
        if m.memory:
            tracemalloc.start()
            call()
            result.peak_memory_kib = tracemalloc.get_traced_memory()[1] // 1024
            tracemalloc.stop()
        result.runs = len(times)
        result.median_ms = round(statistics.median(times), 1)
        result.p95_ms = round(p95(times), 1)
        result.max_ms = round(max(times), 1)
        lo, hi = min(queries), max(queries)
        result.queries = str(lo) if lo == hi else f"{lo}–{hi}"
        if m.target_ms is not None and result.p95_ms > m.target_ms:
            result.status = "slow"
    except NotAvailable as why:
        result.status, result.note = "not available", str(why)
    except Exception as error:  # a broken measurement must not hide the others
        result.status, result.note = "error", f"{type(error).__name__}: {error}"[:300]
    finally:
        try:
            ctx.run_cleanups()
        except Exception as error:
            result.note = (result.note + f" (cleanup: {error})").strip()
    return result


def ensure_data(households: int, seed: int) -> Result | None:
    """Seed up to `households`; a Result for `seed` only when seeding happened."""
    ada = Keluarga.objects.count()
    if ada >= households:
        call_command("seed_demo", verbosity=0)  # demo accounts only
        print(f"Data dipakai ulang: {ada} keluarga sudah ada (diminta {households}).")
        return None
    print(f"Mengisi data sintetis: {ada} → {households} keluarga (seed {seed})...")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    call_command("seed_demo", households=households, seed=seed, verbosity=1)
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return Result(
        "seed",
        f"seed_demo --households {households} --seed {seed} (dari {ada} keluarga)",
        runs=1,
        median_ms=round(seconds * 1000),
        p95_ms=round(seconds * 1000),
        max_ms=round(seconds * 1000),
        target_ms=180_000 if households - ada >= 100_000 else None,
        status="ok" if households - ada < 100_000 or seconds <= 180 else "slow",
        peak_memory_kib=max(rss_after, rss_before),
        note="1 run incl. commit; memory = peak RSS of the process",
    )


def machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "debug": settings.DEBUG,
        "database": settings.DATABASES["default"]["NAME"],
    }
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(
                line.split(":", 1)[1].strip() for line in f if line.startswith("model name")
            )
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
            info["memory_gib"] = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    with connection.cursor() as c:
        c.execute("SHOW server_version")
        info["postgresql"] = c.fetchone()[0]
    return info


def fmt(value, suffix="") -> str:
    return (
        "–" if value is None else f"{value:g}{suffix}" if isinstance(value, float) else str(value)
    )


def markdown(results: list[Result], meta: dict) -> str:
    lines = [
        f"Benchmark {meta['started']} · {meta['households']} keluarga, "
        f"{meta['individu']} individu · {meta['machine'].get('cpus')} CPU "
        f"({meta['machine'].get('cpu', '?')}), PostgreSQL {meta['machine']['postgresql']}, "
        f"DEBUG={meta['machine']['debug']}",
        "",
        "| measurement | runs | median ms | p95 ms | target p95 ms | queries | peak memory | "
        "status |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        memory = f"{r.peak_memory_kib / 1024:.1f} MiB" if r.peak_memory_kib is not None else "–"
        status = r.status + (f": {r.note}" if r.note else "")
        lines.append(
            f"| {r.name} | {r.runs or '–'} | {fmt(r.median_ms)} | {fmt(r.p95_ms)} | "
            f"{fmt(r.target_ms)} | {r.queries or '–'} | {memory} | {status} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--households", type=int, default=100_000, help="data size (default 100000)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", default="", help="comma-separated measurement names")
    parser.add_argument("--runs", type=int, default=0, help="timed calls per measurement")
    parser.add_argument("--list", action="store_true", help="list the measurements and exit")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    if args.list:
        print("seed: time to seed to --households (only when seeding happens)")
        for m in REGISTRY:
            print(f"{m.name}: {m.description} (target p95 {fmt(m.target_ms)} ms)")
        return 0
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    unknown = only - {m.name for m in REGISTRY} - {"seed"}
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")

    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login otherwise
    started = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S %Z")
    results = []
    seeded = ensure_data(args.households, args.seed)
    if seeded and (not only or "seed" in only):
        results.append(seeded)
    ctx = Context(households=args.households, seed=args.seed, runs_override=args.runs)
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(ALLOWED_HOSTS=hosts):
        for m in REGISTRY:
            if only and m.name not in only:
                continue
            print(f"  {m.name}...", flush=True)
            results.append(run_measurement(m, ctx))

    from pendataan.models import Individu

    meta = {
        "started": started,
        "households": Keluarga.objects.count(),
        "individu": Individu.objects.count(),
        "seed": args.seed,
        "machine": machine(),
    }
    table = markdown(results, meta)
    print()
    print(table)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    payload = json.dumps({**meta, "results": [asdict(r) for r in results]}, indent=2)
    for name in (f"bench-{stamp}", "latest"):
        (OUT_DIR / f"{name}.json").write_text(payload + "\n", encoding="utf-8")
        (OUT_DIR / f"{name}.md").write_text(table, encoding="utf-8")
    print(f"Ditulis: {OUT_DIR / f'bench-{stamp}.md'} (+ .json, latest.*)")
    if any(r.status == "error" for r in results):
        return 1
    if args.strict and any(r.status == "slow" for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
