#!/usr/bin/env python
"""REST API measurements for scripts/bench.py (which finds scripts/bench_*.py and calls their
`register(bench)`): the household list and a household create, as an outside client sends them
(token header, JSON), through the whole Django stack.

    .venv/bin/python scripts/bench.py --only api_keluarga_list,api_keluarga_create
    .venv/bin/python scripts/bench_api.py [bench.py options]    # the same, these two by default
"""

import json
import sys
import uuid
from datetime import date
from pathlib import Path

ANGGOTA = [
    ("kepala_keluarga", "L", date(1980, 5, 12), "kawin_tercatat", "Wiraswasta", "sma"),
    ("istri", "P", date(1983, 9, 3), "kawin_tercatat", "Mengurus Rumah Tangga", "sma"),
    ("anak", "L", date(2006, 2, 20), "belum_kawin", "Pelajar/Mahasiswa", "sma"),
    ("anak", "P", date(2010, 7, 14), "belum_kawin", "Pelajar/Mahasiswa", "smp"),
    ("anak", "L", date(2016, 11, 1), "belum_kawin", "Pelajar/Mahasiswa", "belum_tamat_sd"),
]


def register(bench) -> None:
    """Add the API measurements to bench.py's registry (`bench` is the bench module)."""
    from django.test import Client

    from pendataan.models import Individu, Keluarga
    from tksk.models import Wilayah
    from tksk.perangkat import buat_perangkat

    def klien_token(ctx, username):
        user = ctx.user(username)
        _perangkat, token = buat_perangkat(user=user, nama="bench")
        return user, Client(raise_request_exception=True, HTTP_AUTHORIZATION=f"Token {token}")

    @bench.measurement(
        "api_keluarga_list",
        target_ms=150,
        description="GET /api/v1/keluarga/ (halaman 50, dengan anggota) sebagai TKSK Pahandut, "
        "token",
    )
    def api_keluarga_list(ctx):
        _user, client = klien_token(ctx, "tksk.pahandut")
        url = ctx.url("api:keluarga-list")

        def panggil():
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise AssertionError(f"GET {url} → {response.status_code}")
            if len(response.json()["results"]) != 50:
                raise bench.NotAvailable("kurang dari 50 keluarga di Pahandut")

        return panggil

    @bench.measurement(
        "api_keluarga_create",
        target_ms=250,
        description="POST /api/v1/keluarga/ keluarga baru dengan 5 anggota (TKSK Pahandut, token)",
    )
    def api_keluarga_create(ctx):
        user, client = klien_token(ctx, "tksk.pahandut")
        url = ctx.url("api:keluarga-list")
        desa = Wilayah.objects.filter(induk=user.wilayah).order_by("kode").first()
        wilayah = user.wilayah.kode.replace(".", "")

        def nik(lahir, jk, seri):
            hari = lahir.day + (40 if jk == "P" else 0)
            return f"{wilayah}{hari:02d}{lahir.month:02d}{lahir.year % 100:02d}{seri:04d}"

        # Serials from 7000 up that nobody holds (seeded data stays low; bench.py's own
        # keluarga_simpan takes 5000 up); the rows of an interrupted run are skipped.
        jumlah = bench.WARMUP + ctx.runs + 1
        seri_awal = 7000
        while True:
            calon = [
                nik(lahir, jk, seri_awal + i) for i in range(jumlah) for _, jk, lahir, *_ in ANGGOTA
            ]
            kk = [f"{wilayah}010127{seri_awal + i:04d}" for i in range(jumlah)]
            if not (
                Individu.objects.filter(nik__in=calon).exists()
                or Keluarga.objects.filter(no_kk__in=kk).exists()
            ):
                break
            seri_awal += jumlah
            if seri_awal + jumlah > 9999:
                raise bench.NotAvailable("nomor urut uji habis")
        dibuat: list[str] = []

        def hapus():
            # Their history rows stay: the database keeps history append-only.
            Keluarga.objects.filter(uuid__in=dibuat).delete()

        ctx.cleanup(hapus)
        urutan = iter(range(jumlah))

        def panggil():
            i = next(urutan)
            seri = seri_awal + i
            body = {
                "uuid": str(uuid.uuid4()),
                "no_kk": f"{wilayah}010127{seri:04d}",
                "desa": desa.kode,
                "alamat": f"Jl. Uji API No. {i}",
                "rt": "001",
                "rw": "002",
                "anggota": [
                    {
                        "nik": nik(lahir, jk, seri),
                        "nama": f"Uji API {i} {n}",
                        "jenis_kelamin": jk,
                        "tempat_lahir": "Palangka Raya",
                        "tanggal_lahir": lahir.isoformat(),
                        "hubungan": hubungan,
                        "agama": "islam",
                        "pendidikan": pendidikan,
                        "pekerjaan": pekerjaan,
                        "status_kawin": kawin,
                        "nama_ibu": "Ibu Uji",
                    }
                    for n, (hubungan, jk, lahir, kawin, pekerjaan, pendidikan) in enumerate(ANGGOTA)
                ],
            }
            dibuat.append(body["uuid"])
            response = client.post(
                url, json.dumps(body), content_type="application/json", secure=True
            )
            if response.status_code != 201:
                raise AssertionError(
                    f"POST {url} → {response.status_code}: {response.content[:300]}"
                )

        return panggil


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench  # noqa: E402  (sets Django up; its main() discovers and registers this file)

    argv = sys.argv[1:]
    if not any(a == "--only" or a.startswith("--only=") for a in argv):
        argv += ["--only", "api_keluarga_list,api_keluarga_create"]
    sys.exit(bench.main(argv))
