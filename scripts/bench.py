#!/usr/bin/env python
"""Benchmarks of Sistem Informasi TKSK: server time and queries of the main pages and services on
a database seeded with synthetic data (see docs/PERFORMANCE.md).

    .venv/bin/python scripts/bench.py [--households N] [--seed S] [--only NAME,...] [--runs N]
    make bench [BENCH_HOUSEHOLDS=250000]

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

Measurements of other modules live in scripts/bench_*.py and are found automatically: such a
module either defines `register(bench)` (called with this module) or registers at import time with
`from bench import measurement`. A measurement registered again under the same name replaces the
earlier one (the module that owns the page wins over a generic fallback here).

Baselines: `baseline="sql_dasbor_provinsi"` compares a measurement with another one of the same run
(the ratio of the medians and of the p95s is reported); `beat_baseline=True` makes a p95 above
the baseline's a miss. Throughput: a call may set `ctx.rows` (rows it processed); with
`min_rows_per_s` the median's rows/s must reach it. `max_rss_mib` bounds the process's peak
resident memory during the measurement (Linux: /proc/self/clear_refs resets the peak first).
"""

import argparse
import importlib
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
# scripts/bench_*.py import this module as `bench`: make that the running one, not a second copy.
sys.modules.setdefault("bench", sys.modules[__name__])
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

from pendataan.models import Keluarga  # noqa: E402
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
    warmup: int = WARMUP
    baseline: str | None = None
    beat_baseline: bool = False
    min_rows_per_s: float | None = None
    max_rss_mib: float | None = None


REGISTRY: list[Measurement] = []


def measurement(
    name: str,
    *,
    target_ms: float | None = None,
    runs: int = 50,
    memory: bool = False,
    description: str = "",
    warmup: int = WARMUP,
    baseline: str | None = None,
    beat_baseline: bool = False,
    min_rows_per_s: float | None = None,
    max_rss_mib: float | None = None,
):
    """Register a measurement. `target_ms` is the p95 it must stay under; `memory` adds one call
    under tracemalloc to report the peak of Python allocations. See the module docstring for
    `baseline`, `beat_baseline`, `min_rows_per_s` and `max_rss_mib`."""

    def register(func):
        m = Measurement(
            name,
            func,
            target_ms,
            runs,
            memory,
            description,
            warmup=warmup,
            baseline=baseline,
            beat_baseline=beat_baseline,
            min_rows_per_s=min_rows_per_s,
            max_rss_mib=max_rss_mib,
        )
        for i, old in enumerate(REGISTRY):
            if old.name == name:
                REGISTRY[i] = m
                break
        else:
            REGISTRY.append(m)
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
    peak_rss_mib: float | None = None
    rss_growth_mib: float | None = None
    rows_per_s: float | None = None
    baseline: str | None = None
    ratio_median: float | None = None
    ratio_p95: float | None = None
    note: str = ""


@dataclass
class Context:
    households: int
    seed: int
    runs_override: int = 0
    runs: int = 0  # timed calls of the current measurement (set by the runner)
    rows: int = 0  # rows the last call processed (set by throughput measurements)
    note: str = ""  # a measurement's own remark for its row (e.g. per-request times)
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
        # Their history rows stay: the database keeps history append-only.
        uuids = [k.uuid for k in dibuat]
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


@measurement(
    "impor_10000_baris",
    target_ms=60_000,
    runs=1,
    warmup=0,
    baseline="copy_10000_baris",
    description="impor CSV 10.000 baris (2.500 keluarga × 4 anggota) oleh TKSK Pahandut: baca "
    "berkas + pendataan.impor.proses(simpan=True): diperiksa seperti formulir, ditulis massal",
)
def impor_10000_baris(ctx):
    try:
        from pendataan import impor
    except ImportError:
        raise NotAvailable("pendataan.impor belum ada") from None
    import csv
    import io
    import tempfile

    from pendataan.models import Individu

    pelaku = ctx.user("tksk.pahandut")
    desa = Wilayah.objects.filter(induk=pelaku.wilayah).order_by("kode").first()
    wilayah = pelaku.wilayah.kode.replace(".", "")
    n_keluarga = 2_500
    # (hubungan, sex, base year): the date blocks of the four members never coincide (sex and
    # year ranges differ), so one serial per run keeps every NIK unique.
    anggota = [
        ("kepala_keluarga", "L", 1975),
        ("istri", "P", 1978),
        ("anak", "L", 2008),
        ("anak", "P", 2011),
    ]

    def tanggal(h, tahun):
        return date(tahun + h // 336, 1 + (h // 28) % 12, 1 + h % 28)

    def nik(h, jk, tahun, seri):
        t = tanggal(h, tahun)
        hari = t.day + (40 if jk == "P" else 0)
        return f"{wilayah}{hari:02d}{t.month:02d}{t.year % 100:02d}{seri:04d}"

    def no_kk(h, seri):
        return f"{wilayah}{1 + h % 28:02d}{1 + (h // 28) % 12:02d}{19 + h // 336:02d}{seri:04d}"

    for seri in range(9000, 10000, 7):
        niks = [nik(h, jk, th, seri) for h in range(n_keluarga) for _, jk, th in anggota]
        kks = [no_kk(h, seri) for h in range(n_keluarga)]
        if not (
            Individu.objects.filter(nik__in=niks).exists()
            or Keluarga.objects.filter(no_kk__in=kks).exists()
        ):
            break
    else:
        raise NotAvailable("nomor urut uji habis")
    kolom = [k.kunci for k in impor.KOLOM_KELUARGA]
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=kolom, extrasaction="ignore")
    writer.writeheader()
    for h in range(n_keluarga):
        for i, (hubungan, jk, tahun) in enumerate(anggota):
            row = {
                "kode_keluarga": f"K{h:05d}",
                "nik": nik(h, jk, tahun, seri),
                "nama": f"Uji Impor {h} {i}",
                "jenis_kelamin": jk,
                "tanggal_lahir": tanggal(h, tahun).isoformat(),
                "hubungan": hubungan,
                "agama": "islam",
            }
            if i == 0:
                row |= {
                    "no_kk": no_kk(h, seri),
                    "kode_desa": desa.kode,
                    "alamat": f"Jl. Uji Impor No. {h}",
                    "rt": "001",
                    "rw": "002",
                }
            writer.writerow(row)
    berkas = tempfile.NamedTemporaryFile(suffix=".csv")  # noqa: SIM115 (closed by cleanup)
    berkas.write(out.getvalue().encode("utf-8-sig"))
    berkas.flush()
    ctx.cleanup(berkas.close)

    def hapus():
        # Their history rows stay: the database keeps history append-only.
        uuids = list(Keluarga.objects.filter(no_kk__in=kks).values_list("uuid", flat=True))
        Keluarga.objects.filter(uuid__in=uuids).delete()

    ctx.cleanup(hapus)

    def impor_berkas():
        lembar = impor.baca_berkas(Path(berkas.name), "csv")
        hasil = impor.proses(pelaku=pelaku, lembar=lembar, simpan=True)
        ringkas = hasil["ringkasan"]["keluarga"]
        if ringkas["siap"] != n_keluarga:
            raise AssertionError(
                f"{ringkas['siap']} dari {n_keluarga} keluarga tersimpan: {ringkas}"
            )
        ctx.rows = ringkas["anggota"]

    return impor_berkas


# Laporan measurements and their raw-SQL baselines live in scripts/bench_laporan.py.


BARIS_COPY = 10_000


@measurement(
    "copy_10000_baris",
    runs=5,
    warmup=1,
    description="baseline muat massal: COPY 10.000 baris individu + keluarganya (data yang ada) "
    "ke tabel sementara dengan indeks yang sama, tanpa Django",
)
def copy_10000_baris(ctx):
    with connection.cursor() as c:
        c.execute("SELECT keluarga_id FROM pendataan_individu ORDER BY id LIMIT %s", [BARIS_COPY])
        keluarga_ids = sorted({row[0] for row in c.fetchall()})
        if len(keluarga_ids) < 10:
            raise NotAvailable("data belum cukup")
        pg = c.cursor  # psycopg's own cursor, which has copy()
        data = {}
        for tabel, where in (
            ("pendataan_keluarga", "id = ANY(%s)"),
            ("pendataan_individu", "keluarga_id = ANY(%s) ORDER BY id LIMIT {n}"),
        ):
            sql = f"COPY (SELECT * FROM {tabel} WHERE {where.format(n=BARIS_COPY)}) TO STDOUT"
            buf = bytearray()
            with pg.copy(sql.replace("%s", "'{" + ",".join(map(str, keluarga_ids)) + "}'")) as cp:
                for chunk in cp:
                    buf += chunk
            data[tabel] = bytes(buf)
            c.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS bench_{tabel} "
                f"(LIKE {tabel} INCLUDING DEFAULTS INCLUDING INDEXES)"
            )

    def buang():
        with connection.cursor() as c:
            for tabel in data:
                c.execute(f"DROP TABLE IF EXISTS bench_{tabel}")

    ctx.cleanup(buang)

    def muat():
        with connection.cursor() as c:
            c.execute("TRUNCATE " + ", ".join(f"bench_{t}" for t in data))
            for tabel, isi in data.items():
                with c.cursor.copy(f"COPY bench_{tabel} FROM STDIN") as cp:
                    cp.write(isi)
        ctx.rows = BARIS_COPY

    return muat


# --- runner -------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _rss_reset() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux >= 4.0); False if impossible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _rss_mib(field_name: str) -> float | None:
    """VmHWM (peak) or VmRSS (now) of this process in MiB, from /proc/self/status."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run_measurement(m: Measurement, ctx: Context) -> Result:
    result = Result(m.name, m.description, target_ms=m.target_ms, baseline=m.baseline)
    # --runs applies to the light measurements; the heavy ones (a few long calls) keep theirs.
    ctx.runs = ctx.runs_override if ctx.runs_override and m.runs >= 20 else m.runs
    ctx.rows = 0
    ctx.note = ""
    rss_reset = _rss_reset()
    rss_start = _rss_mib("VmRSS")
    try:
        call = m.func(ctx)
        for _ in range(m.warmup):
            call()
        times, queries, rows = [], [], []
        for _ in range(ctx.runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                call()
                times.append((time.perf_counter() - start) * 1000)
            queries.append(len(captured.captured_queries))
            rows.append(ctx.rows)
        if rss_reset:
            peak = _rss_mib("VmHWM")
            result.peak_rss_mib = round(peak, 1)
            result.rss_growth_mib = round(peak - rss_start, 1)
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
        misses = []
        if m.target_ms is not None and result.p95_ms > m.target_ms:
            misses.append(f"p95 > {fmt(m.target_ms)} ms")
        if any(rows):
            result.rows_per_s = round(statistics.median(rows) / (result.median_ms / 1000))
            if m.min_rows_per_s and result.rows_per_s < m.min_rows_per_s:
                misses.append(f"{result.rows_per_s:,} baris/s < {m.min_rows_per_s:,.0f}")
        if m.max_rss_mib and result.peak_rss_mib and result.peak_rss_mib > m.max_rss_mib:
            misses.append(f"RSS puncak {result.peak_rss_mib} MiB > {m.max_rss_mib:g}")
        if misses:
            result.status = "slow"
        result.note = "; ".join([*misses, *([ctx.note] if ctx.note else [])])
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


def compare_baselines(results: list[Result]) -> None:
    """Fill the ratio to each result's baseline (same run); a miss where it must beat it."""
    by_name = {r.name: r for r in results}
    measured = {"ok", "slow"}
    for r in results:
        b = by_name.get(r.baseline or "")
        if b is None or r.status not in measured or b.status not in measured:
            continue
        r.ratio_median = round(r.median_ms / b.median_ms, 3) if b.median_ms else None
        r.ratio_p95 = round(r.p95_ms / b.p95_ms, 3) if b.p95_ms else None
        m = next((m for m in REGISTRY if m.name == r.name), None)
        if m and m.beat_baseline and r.ratio_p95 is not None and r.ratio_p95 > 1:
            r.status = "slow"
            miss = f"p95 lebih lambat dari {b.name}"
            r.note = f"{r.note}; {miss}" if r.note else miss


def discover() -> list[Result]:
    """Import scripts/bench_*.py (other modules' measurements); a module that fails to import is
    reported as an error row instead of stopping the run."""
    problems = []
    scripts = str(Path(__file__).resolve().parent)
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    for path in sorted(Path(scripts).glob("bench_*.py")):
        name = path.stem
        try:
            module = sys.modules.get(name) or importlib.import_module(name)
            if callable(getattr(module, "register", None)):
                module.register(sys.modules[__name__])
        except Exception as error:
            problems.append(
                Result(
                    name=f"({path.name})",
                    status="error",
                    note=f"{type(error).__name__}: {error}"[:300],
                )
            )
    return problems


def vacuum_analyze() -> float:
    """VACUUM ANALYZE the whole database (autocommit, outside any transaction): a fresh bulk
    load has no planner statistics and many dead row versions, and measuring before
    autovacuum catches up flatters some plans and ruins others. Returns the seconds it took."""
    start = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


def ensure_data(households: int, seed: int) -> Result | None:
    """Seed up to `households`, then VACUUM ANALYZE; a Result for `seed` only when seeding
    happened."""
    ada = Keluarga.objects.count()
    if ada >= households:
        call_command("seed_demo", verbosity=0)  # demo accounts only
        print(f"Data dipakai ulang: {ada} keluarga sudah ada (diminta {households}).")
        print(f"VACUUM ANALYZE seluruh basis data: {vacuum_analyze():.1f} s.")
        return None
    print(f"Mengisi data sintetis: {ada} → {households} keluarga (seed {seed})...")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    call_command("seed_demo", households=households, seed=seed, verbosity=1)
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"VACUUM ANALYZE seluruh basis data: {vacuum_analyze():.1f} s.")
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
        f"VACUUM ANALYZE after seeding. Peak RSS of the whole run (getrusage ru_maxrss): "
        f"bench process {meta['peak_rss_mib']} MiB, largest child process "
        f"{meta['peak_rss_children_mib']} MiB. Per measurement: VmHWM after a reset "
        "(/proc/self/clear_refs), i.e. the peak of this process during that measurement.",
        "",
        "| measurement | runs | median ms | p95 ms | target p95 ms | queries | peak RSS MiB "
        "(growth) | Python peak | rows/s | × baseline (median, p95) | status |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        memory = f"{r.peak_memory_kib / 1024:.1f} MiB" if r.peak_memory_kib is not None else "–"
        rss = f"{r.peak_rss_mib:g} (+{r.rss_growth_mib:g})" if r.peak_rss_mib is not None else "–"
        rate = f"{r.rows_per_s:,.0f}" if r.rows_per_s else "–"
        ratio = (
            f"{r.ratio_median:.2f}× / {r.ratio_p95:.2f}× {r.baseline}"
            if r.ratio_median is not None and r.ratio_p95 is not None
            else (f"({r.baseline})" if r.baseline else "–")
        )
        status = r.status + (f": {r.note}" if r.note else "")
        lines.append(
            f"| {r.name} | {r.runs or '–'} | {fmt(r.median_ms)} | {fmt(r.p95_ms)} | "
            f"{fmt(r.target_ms)} | {r.queries or '–'} | {rss} | {memory} | {rate} | {ratio} | "
            f"{status} |"
        )
    return "\n".join(lines) + "\n"


def scaling_table(paths: list[str]) -> str:
    """One Markdown table of several runs' JSON (e.g. 25,000 / 250,000 / 1,000,000 households):
    the median and p95 of each measurement per size, and how the median grew from the smallest
    size to the largest against how the data grew."""
    runs = sorted(
        (json.loads(Path(p).read_text(encoding="utf-8")) for p in paths),
        key=lambda run: run["households"],
    )
    sizes = [run["households"] for run in runs]
    names: list[str] = []
    for run in runs:
        names += [r["name"] for r in run["results"] if r["name"] not in names]
    head = " | ".join(f"{n:,} median / p95 ms" for n in sizes)
    lines = [
        f"| measurement | target p95 ms | {head} | median growth ({sizes[-1] // sizes[0]}× data) |",
        "|---|---:|" + "---:|" * len(sizes) + "---:|",
    ]
    for name in names:
        cells, medians, target = [], [], "–"
        for run in runs:
            r = next((r for r in run["results"] if r["name"] == name), None)
            if r is None or r["median_ms"] is None:
                cells.append("–")
                medians.append(None)
                continue
            target = fmt(r["target_ms"]) if r.get("target_ms") else target
            rate = f" ({r['rows_per_s']:,} rows/s)" if r.get("rows_per_s") else ""
            cells.append(f"{fmt(r['median_ms'])} / {fmt(r['p95_ms'])}{rate}")
            medians.append(r["median_ms"])
        growth = (
            f"{medians[-1] / medians[0]:.1f}×" if medians[0] and medians[-1] is not None else "–"
        )
        lines.append(f"| {name} | {target} | {' | '.join(cells)} | {growth} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--scaling"]:
        print(scaling_table(argv[1:]), end="")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--households",
        type=int,
        default=int(os.environ.get("BENCH_HOUSEHOLDS") or 250_000),
        help="data size (default: BENCH_HOUSEHOLDS, else 250000)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", default="", help="comma-separated measurement names")
    parser.add_argument("--skip", default="", help="comma-separated measurement names to leave out")
    parser.add_argument("--runs", type=int, default=0, help="timed calls per measurement")
    parser.add_argument("--list", action="store_true", help="list the measurements and exit")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.epilog = "bench.py --scaling RUN.json RUN.json ...: one table of several runs"
    args = parser.parse_args(argv)

    problems = discover()
    if args.list:
        print("seed: time to seed to --households (only when seeding happens)")
        for m in REGISTRY:
            print(f"{m.name}: {m.description} (target p95 {fmt(m.target_ms)} ms)")
        return 0
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    skip = {n.strip() for n in args.skip.split(",") if n.strip()}
    unknown = (only | skip) - {m.name for m in REGISTRY} - {"seed"}
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")

    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login otherwise
    started = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S %Z")
    results = list(problems)
    seeded = ensure_data(args.households, args.seed)
    if seeded and (not only or "seed" in only):
        results.append(seeded)
    ctx = Context(households=args.households, seed=args.seed, runs_override=args.runs)
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(ALLOWED_HOSTS=hosts):
        for m in REGISTRY:
            if (only and m.name not in only) or m.name in skip:
                continue
            print(f"  {m.name}...", flush=True)
            results.append(run_measurement(m, ctx))
    compare_baselines(results)

    from pendataan.models import Individu

    # Peak resident memory of the whole run (kernel's ru_maxrss, KiB on Linux): this process,
    # and the largest of the child processes it waited for (gunicorn of the concurrent readers).
    meta = {
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_children_mib": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
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
    nama = f"bench-{stamp}-{meta['households']}"
    for name in (nama, "latest"):
        (OUT_DIR / f"{name}.json").write_text(payload + "\n", encoding="utf-8")
        (OUT_DIR / f"{name}.md").write_text(table, encoding="utf-8")
    print(f"Ditulis: {OUT_DIR / nama}.md (+ .json, latest.*)")
    if any(r.status == "error" for r in results):
        return 1
    if args.strict and any(r.status == "slow" for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
