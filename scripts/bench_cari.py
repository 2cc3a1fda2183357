"""Search measurements for scripts/bench.py (imported by it automatically; see its docstring).

The search boxes of the household, person and PPKS lists (POST `q` for households and persons,
so that a NIK never reaches a URL; a name on the PPKS list travels as GET `?q=`, a number as POST)
as a TKSK (Pahandut), a kabupaten (Kota Palangka Raya, Pahandut's) and the province: a fragment of
a seeded person's name, a very common fragment ("ana", over the 1,000-match cap everywhere), a
whole 16-digit NIK and a whole No KK. The values are taken from the seeded data (the same ones on
every run with the same seed).

    .venv/bin/python scripts/bench.py --households 250000 --only cari_nama_tksk,cari_nik_provinsi
"""

from bench import NotAvailable, measurement

from pendataan.models import PPKS, Individu

KECAMATAN = "62.71.01"  # Pahandut, the TKSK demo account's area
PENGGUNA = {
    "tksk": "tksk.pahandut",
    "kabupaten": "dinsos.palangkaraya",
    "provinsi": "dinsos.prov",
}
LABEL = {
    "tksk": "TKSK Pahandut",
    "kabupaten": "Dinsos Kota Palangka Raya",
    "provinsi": "Dinsos Provinsi",
}
UMUM = "ana"  # in about 1 name of 17: every scope has more than 1,000 matches


def _contoh() -> Individu:
    orang = (
        Individu.objects.filter(desa__induk__kode=KECAMATAN, nik__regex=r"^[0-9]{16}$")
        .select_related("keluarga")
        .order_by("id")
        .first()
    )
    if orang is None or not orang.keluarga.no_kk:
        raise NotAvailable(f"tidak ada individu dengan NIK dan No KK di {KECAMATAN}")
    return orang


def _potongan(nama: str) -> str:
    """Four letters from the middle of a first name (a substring, not a prefix: what a user
    types when unsure of the spelling), or the whole of a shorter one."""
    nama = nama.split()[0]
    return nama[1:5] if len(nama) >= 5 else nama[:4]


def _fragmen() -> str:
    return _potongan(_contoh().nama)


def _fragmen_ppks() -> str:
    ppks = (
        PPKS.objects.filter(
            desa__induk__kode=KECAMATAN, subjek="individu", kategori__sensitif=False
        )
        .select_related("individu")
        .order_by("id")
        .first()
    )
    if ppks is None:
        raise NotAvailable(f"tidak ada PPKS perorangan di {KECAMATAN}")
    return _potongan(ppks.individu.nama)


def _post(ctx, lingkup: str, nama_url: str, q: str):
    client = ctx.client(PENGGUNA[lingkup])
    url = ctx.url(nama_url)

    def call():
        response = client.post(url, {"q": q}, secure=True)
        if response.status_code != 200:
            raise AssertionError(f"POST {url} → {response.status_code}")

    return call


def _get(ctx, lingkup: str, nama_url: str, q: str):
    client = ctx.client(PENGGUNA[lingkup])
    url = ctx.url(nama_url)

    def call():
        ctx.get(client, url, {"q": q})

    return call


def _daftarkan(nama, target_ms, description, buat):
    measurement(nama, target_ms=target_ms, description=description)(buat)


for _lingkup in PENGGUNA:
    _batas = 150 if _lingkup == "tksk" else 300
    _siapa = LABEL[_lingkup]
    _daftarkan(
        f"cari_nama_{_lingkup}",
        _batas,
        f"daftar keluarga, cari potongan nama 3–4 huruf ({_siapa})",
        lambda ctx, x=_lingkup: _post(ctx, x, "pendataan:keluarga-list", _fragmen()),
    )
    _daftarkan(
        f"cari_nama_umum_{_lingkup}",
        _batas,
        f"daftar keluarga, cari '{UMUM}' (lebih dari 1.000 cocok; {_siapa})",
        lambda ctx, x=_lingkup: _post(ctx, x, "pendataan:keluarga-list", UMUM),
    )
    _daftarkan(
        f"cari_nik_{_lingkup}",
        150,
        f"daftar keluarga, cari NIK lengkap 16 digit ({_siapa})",
        lambda ctx, x=_lingkup: _post(ctx, x, "pendataan:keluarga-list", _contoh().nik),
    )
    _daftarkan(
        f"cari_kk_{_lingkup}",
        150,
        f"daftar keluarga, cari No KK lengkap 16 digit ({_siapa})",
        lambda ctx, x=_lingkup: _post(ctx, x, "pendataan:keluarga-list", _contoh().keluarga.no_kk),
    )
    _daftarkan(
        f"cari_individu_nama_{_lingkup}",
        _batas,
        f"daftar individu, cari potongan nama 3–4 huruf ({_siapa})",
        lambda ctx, x=_lingkup: _post(ctx, x, "pendataan:individu-list", _fragmen()),
    )
    _daftarkan(
        f"cari_ppks_nama_{_lingkup}",
        _batas,
        f"daftar PPKS, cari potongan nama subjek 3–4 huruf ({_siapa})",
        lambda ctx, x=_lingkup: _get(ctx, x, "pendataan:ppks-list", _fragmen_ppks()),
    )
    _daftarkan(
        f"cari_ppks_nik_{_lingkup}",
        150,
        f"daftar PPKS, cari NIK lengkap 16 digit ({_siapa})",
        lambda ctx, x=_lingkup: _post(ctx, x, "pendataan:ppks-list", _contoh().nik),
    )
