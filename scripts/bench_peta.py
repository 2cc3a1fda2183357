#!/usr/bin/env python
"""Map measurements: the dashboard pages with their map, and the map data sent over the wire.

Found by scripts/bench.py like every scripts/bench_*.py; run alone it measures only the maps and
then prints the map data's compressed size (gzip -6, what a reverse proxy sends) and the app
process's own CPU time per map page (what the wall clock measures less the wait for a CPU):

    .venv/bin/python scripts/bench_peta.py [--households N] [--runs N]

Targets (250,000 households): province map page p95 < 200 ms, kecamatan < 100 ms; map data
< 150 KB compressed for the province view, < 60 KB for a kecamatan.
"""

import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402  (sets up Django and the registry)
from bench import NotAvailable, measurement  # noqa: E402

SVG = re.compile(rb'<svg[^>]*class="peta-svg".*?</svg>', re.S)
HALAMAN = {
    "peta_provinsi": ("dinsos.prov", "/laporan/", {"peta": "ppks"}),
    "peta_kabupaten": ("dinsos.palangkaraya", "/laporan/", {"peta": "keluarga"}),
    "peta_kecamatan": ("tksk.pahandut", "/laporan/", {"peta": "keluarga"}),
}


def _bentuk_siap():
    """The boundaries in the database (a bench database seeded with `make bench` alone has
    none, and a dashboard without shapes draws no map: that would measure the page without it)."""
    from django.core.management import call_command

    from peta import bentuk
    from peta.models import BentukWilayah

    if not BentukWilayah.objects.exists():
        call_command("load_peta", verbosity=0)
        bentuk.lupakan()


def _halaman(ctx, nama):
    try:
        import peta.dasbor  # noqa: F401
    except ImportError:
        raise NotAvailable("modul peta belum ada") from None
    _bentuk_siap()
    username, path, params = HALAMAN[nama]
    client = ctx.client(username)
    return lambda: ctx.get(client, path, params)


@measurement(
    "peta_provinsi",
    target_ms=200,
    description="dasbor provinsi dengan peta (dinsos.prov, /laporan/?peta=ppks): 14 kabupaten",
)
def peta_provinsi(ctx):
    return _halaman(ctx, "peta_provinsi")


@measurement(
    "peta_kabupaten",
    target_ms=200,
    description="dasbor Kota Palangkaraya dengan peta kecamatan dan kabupaten tetangga",
)
def peta_kabupaten(ctx):
    return _halaman(ctx, "peta_kabupaten")


@measurement(
    "peta_kecamatan",
    target_ms=100,
    description="dasbor Kecamatan Pahandut (tksk.pahandut) dengan peta desa dan kecamatan tetangga",
)
def peta_kecamatan(ctx):
    return _halaman(ctx, "peta_kecamatan")


def _gambar(ctx, username):
    from laporan import selectors as sel
    from laporan.views import dasbor_konteks
    from peta.dasbor import peta_dasbor
    from peta.selectors import titik_sumber

    _bentuk_siap()
    user = ctx.user(username)
    wilayah = sel.wilayah_awal(user)
    context = dasbor_konteks(user, wilayah, {})
    sumber = titik_sumber(user, wilayah)
    return lambda: peta_dasbor(context, "ppks", sumber)


@measurement(
    "peta_gambar_provinsi",
    description="bagian peta saja: SVG 14 kabupaten dengan titik PSKS/mitra, dari baris tabel "
    "dasbor provinsi (tanpa query)",
)
def peta_gambar_provinsi(ctx):
    return _gambar(ctx, "dinsos.prov")


@measurement(
    "peta_gambar_kecamatan",
    description="bagian peta saja: SVG desa Pahandut dan kecamatan tetangga dengan titik "
    "PSKS/mitra (tanpa query)",
)
def peta_gambar_kecamatan(ctx):
    return _gambar(ctx, "tksk.pahandut")


def ukuran() -> list[tuple[str, int, int, int]]:
    """(view, map bytes, map gzip bytes, whole page gzip bytes) of each map view."""
    from django.test import Client

    from tksk.models import User

    hasil = []
    for nama, (username, path, params) in HALAMAN.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        isi = client.get(path, params, secure=True).content
        svg = SVG.search(isi).group(0)
        hasil.append((nama, len(svg), len(gzip.compress(svg, 6)), len(gzip.compress(isi, 6))))
    client = Client()
    client.force_login(User.objects.get(username="tksk.pahandut"))
    svg = client.get("/peta/kecamatan.svg", secure=True).content
    hasil.append(("peta/kecamatan.svg", len(svg), len(gzip.compress(svg, 6)), 0))
    return hasil


def cpu(runs: int = 30) -> list[tuple[str, float, float]]:
    """(view, median, p95) of the app process's own CPU time per page (time.process_time): on
    a shared machine the wall clock also counts the wait for a CPU, this does not (the
    database's own work is left out: it runs in its server process)."""
    import statistics
    import time

    from django.test import Client

    from tksk.models import User

    hasil = []
    for nama, (username, path, params) in HALAMAN.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for _ in range(3):
            client.get(path, params, secure=True)
        waktu = []
        for _ in range(runs):
            awal = time.process_time()
            client.get(path, params, secure=True)
            waktu.append((time.process_time() - awal) * 1000)
        waktu.sort()
        hasil.append((nama, statistics.median(waktu), waktu[max(0, int(len(waktu) * 0.95) - 1)]))
    return hasil


if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--only" not in argv:
        argv += ["--only", ",".join([*HALAMAN, "peta_gambar_provinsi", "peta_gambar_kecamatan"])]
    kode = bench.main(argv)
    from django.conf import settings
    from django.test import override_settings

    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        baris = ukuran()
        waktu_cpu = cpu()
    print("\n| tampilan | SVG peta | SVG peta gzip | seluruh halaman gzip |")
    print("|---|---:|---:|---:|")
    for nama, mentah, kecil, halaman in baris:
        print(
            f"| {nama} | {mentah / 1024:.1f} KB | {kecil / 1024:.1f} KB | {halaman / 1024:.1f} KB |"
        )
    print("\n| tampilan | CPU proses aplikasi median ms | p95 ms |")
    print("|---|---:|---:|")
    for nama, median, p95 in waktu_cpu:
        print(f"| {nama} | {median:.1f} | {p95:.1f} |")
    sys.exit(kode)
