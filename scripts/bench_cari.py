"""Search measurements for scripts/bench.py (imported by it automatically; see its docstring).

The household list's search box (POST `q`, so that a NIK never reaches a URL): a fragment of a
person's name as a TKSK and as the province, and a full 16-digit NIK. The fragment and the NIK
are taken from the seeded data (the same ones on every run with the same seed).

    .venv/bin/python scripts/bench.py --only cari_nama_tksk,cari_nama_provinsi,cari_nik_provinsi
"""

from bench import NotAvailable, measurement

from pendataan.models import Individu

KECAMATAN = "62.71.01"  # Pahandut, the TKSK demo account's area


def _contoh() -> Individu:
    orang = (
        Individu.objects.filter(desa__induk__kode=KECAMATAN, nik__regex=r"^[0-9]{16}$")
        .order_by("id")
        .only("nama", "nik")
        .first()
    )
    if orang is None:
        raise NotAvailable(f"tidak ada individu dengan NIK di {KECAMATAN}")
    return orang


def _fragmen() -> str:
    """Four letters from the middle of a seeded person's first name (a substring, not a prefix:
    what a user types when unsure of the spelling)."""
    nama = _contoh().nama.split()[0]
    return nama[1:5] if len(nama) >= 5 else nama[:4]


def _cari(ctx, username: str, q: str):
    client = ctx.client(username)
    url = ctx.url("pendataan:keluarga-list")

    def call():
        response = client.post(url, {"q": q}, secure=True)
        if response.status_code != 200:
            raise AssertionError(f"POST {url} → {response.status_code}")

    return call


@measurement(
    "cari_nama_tksk",
    target_ms=150,
    description="daftar keluarga, cari potongan nama 4 huruf (TKSK Pahandut)",
)
def cari_nama_tksk(ctx):
    return _cari(ctx, "tksk.pahandut", _fragmen())


@measurement(
    "cari_nama_provinsi",
    target_ms=300,
    description="daftar keluarga, cari potongan nama 4 huruf (Dinsos Provinsi)",
)
def cari_nama_provinsi(ctx):
    return _cari(ctx, "dinsos.prov", _fragmen())


@measurement(
    "cari_nik_provinsi",
    target_ms=150,
    description="daftar keluarga, cari NIK lengkap 16 digit (Dinsos Provinsi)",
)
def cari_nik_provinsi(ctx):
    return _cari(ctx, "dinsos.prov", _contoh().nik)
