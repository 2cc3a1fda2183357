#!/usr/bin/env python3
"""Load test: 100 simulated TKSK entering households and 10 Dinas Sosial users reading
dashboards, against gunicorn with the production settings on the loopback. Stops by itself.

    make loadtest                      # 5 minutes
    LOAD_SECONDS=60 make loadtest      # shorter

Environment (all optional): LOAD_SECONDS (300), LOAD_TKSK (100), LOAD_READERS (10),
LOAD_THINK (mean pause between a user's actions, seconds, 5: a TKSK typing a household
with its members takes minutes, so this is already a busy office), LOAD_WORKERS and LOAD_THREADS
(gunicorn; default 2×CPU+1 workers, 4 threads each), DATABASE_URL (default: the project-local
PostgreSQL, started if needed).

All users log in first (a few at a time: Argon2 is deliberately slow), then the clock starts.
It prepares the database (migrate, load_wilayah, collectstatic, and accounts `beban.tksk.NNN`
in the first LOAD_TKSK kecamatan and `beban.dinas.NN` in the kabupaten/kota, created through
the account service with a known password), starts gunicorn on a free port, runs the users for
LOAD_SECONDS and prints throughput, p50/p95/max latency and errors per kind of request. The
households it enters stay in the database (they are marked "Beban" in their address). Exit
status 1 when any request failed.

Standard library only: each simulated user is a thread with its own cookies (the production
cookies are `Secure`, so they are kept by hand: the script plays the TLS proxy and says
`X-Forwarded-Proto: https`).
"""

from __future__ import annotations

import html
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PASSWORD = "Beban-Uji-Kahayan-2026"

SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
N_TKSK = int(os.environ.get("LOAD_TKSK", "100"))
N_READERS = int(os.environ.get("LOAD_READERS", "10"))
THINK = float(os.environ.get("LOAD_THINK", "5.0"))
WORKERS = int(os.environ.get("LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
THREADS = int(os.environ.get("LOAD_THREADS", "4"))

SETUP = f"""
import django
django.setup()
from django.utils import timezone
from tksk import services
from tksk.models import User, Wilayah

def ensure(username, role, wilayah):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.akun_buat(
            actor=None, username=username, password={PASSWORD!r}, role=role, wilayah=wilayah,
            first_name="Beban", last_name=username.rsplit(".", 1)[-1],
        )
    elif not user.check_password({PASSWORD!r}) or user.wilayah_id != wilayah.pk:
        user.wilayah = wilayah
        user.role = role
        user.is_active = True
        user.save()
        services.akun_setel_sandi(actor=None, user=user, password={PASSWORD!r})
    User.objects.filter(pk=user.pk, privasi_disetujui=None).update(privasi_disetujui=timezone.now())

kecamatan = list(Wilayah.objects.filter(tingkat="kecamatan", aktif=True).order_by("kode"))
kabupaten = list(Wilayah.objects.filter(tingkat="kabupaten", aktif=True).order_by("kode"))
for i, kec in enumerate(kecamatan[:{N_TKSK}]):
    ensure(f"beban.tksk.{{i + 1:03d}}", "tksk", kec)
for i in range({N_READERS}):
    ensure(f"beban.dinas.{{i + 1:02d}}", "kabupaten", kabupaten[i % len(kabupaten)])
print(len(kecamatan[:{N_TKSK}]), {N_READERS})
"""


def say(msg: str) -> None:
    print(msg, flush=True)


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    out = subprocess.run(
        [PY, "-m", "tksk.localdb", "url"], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def server_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tksk.settings",
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY=os.environ.get("LOAD_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(env: dict) -> None:
    steps = [["migrate", "--noinput", "-v0"], ["load_wilayah"]]
    if static_is_stale():
        steps.append(["collectstatic", "--noinput", "-v0"])
    for args in steps:
        started = time.monotonic()
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)
        say(f"  {args[0]}: {time.monotonic() - started:.0f} s")
    out = subprocess.run([PY, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        say(out.stderr[-3000:])
        raise SystemExit("Preparing the load-test accounts failed.")
    say(f"Accounts ready (TKSK, readers): {out.stdout.strip()}")


def static_is_stale() -> bool:
    """collectstatic (hashing and compressing every file) takes a minute or more: only when a
    static file is newer than the manifest of the collected files."""
    manifest = ROOT / "var" / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    sources = [ROOT / "static", *ROOT.glob("*/static")]
    return any(
        p.stat().st_mtime > collected
        for folder in sources
        for p in folder.rglob("*")
        if p.is_file()
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- one simulated browser --------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.examples: list[str] = []
        self.duplicates = 0

    def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times[kind].append(seconds)
        if not ok:
            self.error(kind, detail)

    def error(self, kind: str, detail: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            if len(self.examples) < 15:
                self.examples.append(f"{kind}: {detail}")


class Browser:
    def __init__(self, port: int, stats: Stats):
        self.port = port
        self.stats = stats
        self.cookies: dict[str, str] = {}

    def request(self, kind, method, path, data=None, expect=(200,)):
        """One request on a fresh connection; returns (status, headers, body) or None."""
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Connection": "close",
            "User-Agent": "tksk-loadtest",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        start = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            conn.close()
        except (OSError, http.client.HTTPException) as error:
            self.stats.add(kind, time.perf_counter() - start, False, f"{path}: {error!r}")
            return None
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        ok = response.status in expect
        self.stats.add(kind, elapsed, ok, f"{method} {path}: {response.status}")
        return response.status, response.headers, content

    def login(self, username: str) -> bool:
        page = self.request("masuk", "GET", "/accounts/login/")
        if page is None:
            return False
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page[2])
        result = self.request(
            "masuk",
            "POST",
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            expect=(302,),
        )
        return result is not None and result[0] == 302


class Start:
    """Logins first, a few at a time; the measured period starts when all users are in."""

    def __init__(self, users: int):
        self.gate = threading.Semaphore(4)
        self.go = threading.Event()
        self.lock = threading.Lock()
        self.waiting = users
        self.all_in = threading.Event()

    def login(self, browser: Browser, username: str) -> bool:
        with self.gate:
            ok = browser.login(username)
        with self.lock:
            self.waiting -= 1
            if self.waiting == 0:
                self.all_in.set()
        self.go.wait()
        return ok


def pause(stop: threading.Event) -> None:
    stop.wait(random.uniform(0.5 * THINK, 1.5 * THINK))  # noqa: S311


# --- what a TKSK does ---------------------------------------------------------------------------

NAMA_L = ["Ahmad", "Budi", "Yusuf", "Rahmat", "Agus", "Hendra", "Fajar", "Rizal", "Dedi", "Arman"]
NAMA_P = ["Siti", "Aminah", "Dewi", "Rina", "Fitri", "Yanti", "Nur", "Sri", "Laila", "Mariam"]
MARGA = ["Santoso", "Saputra", "Rahman", "Hidayat", "Lestari", "Pratama", "Nugroho", "Wati"]


class Numbers:
    """Valid, random NIKs and No KKs (a clash with an existing one is retried, not an error)."""

    def __init__(self, kode_kec: str):
        self.prefix = kode_kec.replace(".", "")

    def nik(self, born: date, sex: str) -> str:
        day = born.day + (40 if sex == "P" else 0)
        serial = random.randint(1, 9999)  # noqa: S311
        return f"{self.prefix}{day:02d}{born:%m%y}{serial:04d}"

    def no_kk(self) -> str:
        d = date.today() - timedelta(days=random.randint(30, 4000))  # noqa: S311
        return f"{self.prefix}{d:%d%m%y}{random.randint(1, 9999):04d}"  # noqa: S311


def born(years_min: int, years_max: int) -> date:
    days = random.randint(years_min * 365, years_max * 365)  # noqa: S311
    return date.today() - timedelta(days=days)


def household(desa: str, numbers: Numbers) -> dict:
    r = random.random  # noqa: S311
    marga = random.choice(MARGA)  # noqa: S311
    members = [("kepala_keluarga", "L", born(25, 60))]
    if r() < 0.8:
        members.append(("istri", "P", born(20, 55)))
    members += [("anak", "L" if r() < 0.5 else "P", born(0, 17)) for _ in range(int(r() * 3))]
    data = {
        "no_kk": numbers.no_kk(),
        "alasan_tanpa_kk": "",
        "desa": desa,
        "alamat": f"Jl. Beban No. {random.randint(1, 200)}",  # noqa: S311
        "rt": f"{random.randint(1, 20):03d}",  # noqa: S311
        "rw": f"{random.randint(1, 9):03d}",  # noqa: S311
        "dusun": "",
        "latitude": "",
        "longitude": "",
        "anggota-TOTAL_FORMS": str(len(members)),
        "anggota-INITIAL_FORMS": "0",
        "anggota-MIN_NUM_FORMS": "0",
        "anggota-MAX_NUM_FORMS": "30",
    }
    for i, (hubungan, sex, tanggal) in enumerate(members):
        nama = random.choice(NAMA_L if sex == "L" else NAMA_P)  # noqa: S311
        fields = {
            "uuid": "",
            "nik": numbers.nik(tanggal, sex),
            "alasan_tanpa_nik": "",
            "nama": f"{nama} {marga}",
            "jenis_kelamin": sex,
            "tempat_lahir": "Palangka Raya",
            "tanggal_lahir": tanggal.isoformat(),
            "hubungan": hubungan,
            "agama": "islam",
            "pendidikan": "",
            "pekerjaan": "",
            "status_kawin": "",
            "nama_ibu": "",
        }
        data.update({f"anggota-{i}-{k}": v for k, v in fields.items()})
    return data


def tksk_user(port, stats, username, stop, start):
    b = Browser(port, stats)
    if not start.login(b, username):
        return
    numbers = None
    while not stop.is_set():
        page = b.request("form_keluarga", "GET", "/pendataan/keluarga/baru/")
        if page is None:
            pause(stop)
            continue
        halaman = page[2].decode(errors="replace")
        pilihan = halaman.split('name="desa"', 1)[-1].split("</select>", 1)[0]
        desa = re.findall(r'<option value="(\d+)"', pilihan)
        kode = re.search(r"\b62\.\d\d\.\d\d\b", halaman)
        if numbers is None:
            numbers = Numbers(kode.group(0) if kode else "62.71.01")
        pause(stop)
        if stop.is_set() or not desa:
            break
        for _ in range(3):  # a clashing random NIK/No KK is typed again, as a user would
            data = household(random.choice(desa), numbers)  # noqa: S311
            data["csrfmiddlewaretoken"] = b.cookies.get("csrftoken", "")
            result = b.request(
                "simpan_keluarga", "POST", "/pendataan/keluarga/baru/", data, expect=(302, 200)
            )
            if result is None or result[0] == 302:
                break
            if "sudah terdaftar" not in result[2].decode(errors="replace"):
                stats.error("simpan_keluarga", f"form refused ({result[0]})")
                break
            with stats.lock:
                stats.duplicates += 1
        if result is not None and result[0] == 302:
            b.request("detail_keluarga", "GET", result[1]["Location"])
        pause(stop)
        b.request("daftar_keluarga", "GET", "/pendataan/keluarga/")
        if random.random() < 0.3:  # noqa: S311
            b.request(
                "cari_keluarga",
                "POST",
                "/pendataan/keluarga/",
                {"q": random.choice(MARGA), "csrfmiddlewaretoken": b.cookies["csrftoken"]},  # noqa: S311
            )
        pause(stop)


def reader(port, stats, username, stop, start):
    b = Browser(port, stats)
    if not start.login(b, username):
        return
    page = b.request("dasbor", "GET", "/laporan/")
    links = []
    if page is not None:
        found = re.findall(r'href="(/laporan/wilayah/[\d.]+/[^"]*)"', page[2].decode())
        links = sorted({html.unescape(link) for link in found})
    while not stop.is_set():
        pause(stop)
        b.request("dasbor", "GET", "/laporan/")
        if links:
            pause(stop)
            b.request("dasbor_wilayah", "GET", random.choice(links))  # noqa: S311
        pause(stop)
        b.request("rekap_ppks", "GET", "/laporan/rekap/ppks/")
        pause(stop)
        b.request("verifikasi", "GET", "/pendataan/verifikasi/")


# --- report -------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(stats: Stats, seconds: float, login_seconds: float) -> int:
    say("")
    kolom = ["count", "req/s", "p50 ms", "p95 ms", "max ms", "errors"]
    say(f"{'request':<18}" + "".join(f"{k:>9}" for k in kolom))
    total = errors = 0
    for kind in sorted(stats.times):
        t = stats.times[kind]
        total += len(t)
        errors += stats.errors[kind]
        window = login_seconds if kind == "masuk" else seconds
        say(
            f"{kind:<18}{len(t):>9}{len(t) / window:>9.1f}"
            f"{statistics.median(t) * 1000:>9.0f}{percentile(t, 95) * 1000:>9.0f}"
            f"{max(t) * 1000:>9.0f}{stats.errors[kind]:>9}"
        )
    work = total - len(stats.times.get("masuk", []))
    say(f"{'all but masuk':<18}{work:>9}{work / seconds:>9.1f}{'':>27}{errors:>9}")
    say(
        f"Logins {login_seconds:.0f} s (GET + POST each, 4 at a time), then {seconds:.0f} s of "
        f"work; NIK/No KK clashes retried: {stats.duplicates}; errors: {errors}"
    )
    for example in stats.examples:
        say(f"  error: {example}")
    return 1 if errors else 0


def main() -> int:
    url = database_url()
    env = server_env(url)
    say(f"Preparing the database ({url.split('@')[-1]}) ...")
    prepare(env)
    port = free_port()
    log = open(ROOT / "var" / "loadtest-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "tksk.wsgi:application",
         "-b", f"127.0.0.1:{port}", "-w", str(WORKERS), "--threads", str(THREADS),
         "--timeout", "120", "--graceful-timeout", "10"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    say("gunicorn did not start; see var/loadtest-gunicorn.log")
                    return 2
                time.sleep(0.3)
        say(
            f"gunicorn on 127.0.0.1:{port} ({WORKERS} workers × {THREADS} threads); "
            f"{N_TKSK} TKSK and {N_READERS} dashboard readers for {SECONDS} s ..."
        )
        stats = Stats()
        stop = threading.Event()
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        users = [(tksk_user, f"beban.tksk.{i + 1:03d}") for i in range(N_TKSK)]
        users += [(reader, f"beban.dinas.{i + 1:02d}") for i in range(N_READERS)]
        start = Start(len(users))
        threads = []
        login_start = time.monotonic()
        for fn, username in users:
            args = (port, stats, username, stop, start)
            t = threading.Thread(target=fn, args=args, daemon=True)
            t.start()
            threads.append(t)
        start.all_in.wait(timeout=600)
        login_seconds = time.monotonic() - login_start
        say(f"All users logged in after {login_seconds:.0f} s; measuring for {SECONDS} s ...")
        work_start = time.monotonic()
        start.go.set()
        stop.wait(SECONDS)
        stop.set()
        for t in threads:
            t.join(timeout=130)
        return report(stats, time.monotonic() - work_start, login_seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    sys.exit(main())
