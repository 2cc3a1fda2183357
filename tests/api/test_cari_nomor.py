"""No NIK or No KK in an API address: list parameters that look like one are refused with a 400
naming the POST search, a guard refuses 16 digits anywhere in an /api/ URL, and the POST searches
find by the whole number within the caller's area, masked unless `?nik=lengkap`."""

import pytest

from pendataan.nik import mirip_nomor
from tests.api import klien
from tests.matrix.keluarga import buat_keluarga
from tksk.models import AuditLog

NIK = "6271011204850001"
BERPEMISAH = [
    "6271 0112 0485 0001",
    "6271-0112-0485-0001",
    "6271.0112.0485.0001",
    "627101/120485/0001",
]


@pytest.mark.parametrize("nilai", [NIK, *BERPEMISAH, f" {NIK} ", f"'{NIK}", f"x{NIK}y"])
def test_nik_like_values(nilai):
    assert mirip_nomor(nilai)


@pytest.mark.parametrize(
    "nilai", ["", "Budi", "627101120485", "2026-01-31T08:00:00+07:00", "62.71.01.1002", "200", None]
)
def test_values_that_are_not_a_number(nilai):
    assert not mirip_nomor(nilai)


def _ditolak(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["kode"] == "nik_di_url"
    assert "POST /api/v1/individu/cari/" in data["detail"]
    assert "/api/v1/keluarga/cari/" in data["detail"]
    assert NIK not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/individu/",
        "/api/v1/keluarga/",
        "/api/v1/ppks/",
        "/api/v1/psks/",
        "/api/v1/wilayah/",
        "/api/v1/rujukan/",
    ],
)
@pytest.mark.parametrize("param", ["search", "desa", "kategori", "apa_saja"])
@pytest.mark.parametrize("nilai", [NIK, *BERPEMISAH])
def test_every_list_parameter_refuses_a_nik(world, url, param, nilai):
    _ditolak(klien(world.users["tksk_pahandut"]).get(url, {param: nilai}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "alamat",
    [
        f"/api/v1/individu/?search=%36%32%37%31{NIK[4:]}",  # percent-encoded digits
        f"/api/v1/individu/{NIK}/",
        f"/api/v1/keluarga/?{NIK}=1",
        f"/api/v1/laporan/?q=NIK{NIK}KK",
        f"/api/v1/auth/token/?nik={NIK}",
    ],
)
def test_the_guard_refuses_sixteen_digits_anywhere_in_an_api_url(world, client, alamat):
    # Before authentication and the view: the anonymous answer is the same 400.
    _ditolak(client.get(alamat))
    _ditolak(klien(world.users["tksk_pahandut"]).get(alamat))


@pytest.mark.django_db
def test_post_search_by_number_is_scoped_and_masked(world):
    sini = buat_keluarga(world, "pahandut")
    sana = buat_keluarga(world, "jekanraya")
    orang, lain = sini.anggota.get(), sana.anggota.get()
    tksk = klien(world.users["tksk_pahandut"])

    r = tksk.post("/api/v1/individu/cari/", {"nik": orang.nik}, format="json")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 1 and data["results"][0]["uuid"] == str(orang.uuid)
    assert orang.nik not in r.content.decode()  # masked by default
    assert not AuditLog.objects.filter(aksi="api_lihat_nik").exists()

    r = tksk.post("/api/v1/individu/cari/", {"no_kk": sini.no_kk}, format="json")
    assert [x["uuid"] for x in r.json()["results"]] == [str(orang.uuid)]
    r = tksk.post("/api/v1/keluarga/cari/", {"no_kk": sini.no_kk}, format="json")
    assert [x["uuid"] for x in r.json()["results"]] == [str(sini.uuid)]
    assert sini.no_kk not in r.content.decode()
    r = tksk.post("/api/v1/keluarga/cari/", {"nik": orang.nik}, format="json")
    assert [x["uuid"] for x in r.json()["results"]] == [str(sini.uuid)]

    # The full number, only on request, and logged.
    r = tksk.post("/api/v1/individu/cari/?nik=lengkap", {"nik": orang.nik}, format="json")
    assert r.json()["results"][0]["nik"] == orang.nik
    assert AuditLog.objects.get(aksi="api_lihat_nik").data["jumlah"] == 1

    # Another area's person and household: not found, whoever searches for them.
    for url, body in [
        ("/api/v1/individu/cari/", {"nik": lain.nik}),
        ("/api/v1/keluarga/cari/", {"no_kk": sana.no_kk}),
        ("/api/v1/keluarga/cari/", {"nik": lain.nik}),
    ]:
        r = tksk.post(url, body, format="json")
        assert r.status_code == 200 and r.json()["count"] == 0, body
    kab = klien(world.users["kab_palangkaraya"])
    assert kab.post("/api/v1/keluarga/cari/", {"nik": lain.nik}, format="json").json()["count"] == 1
    kapuas = klien(world.users["kab_kapuas"])
    r = kapuas.post("/api/v1/individu/cari/", {"nik": orang.nik}, format="json")
    assert r.json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "kunci", "potongan"),
    [
        ({}, "non_field_errors", "tepat satu"),
        ({"nik": NIK, "no_kk": NIK}, "non_field_errors", "tepat satu"),
        ({"nik": "62710112"}, "nik", "16 digit"),
        ({"nik": "6271 0112 0485 0001"}, "nik", "tanpa spasi"),
        ({"no_kk": "=1+1"}, "no_kk", "rumus"),
        (["nik"], "non_field_errors", "objek JSON"),
    ],
)
def test_post_search_refuses_bad_input_in_indonesian(world, body, kunci, potongan):
    r = klien(world.users["tksk_pahandut"]).post("/api/v1/individu/cari/", body, format="json")
    assert r.status_code == 400
    assert potongan in r.json()[kunci][0]


@pytest.mark.django_db
def test_post_search_needs_a_login(client):
    r = client.post("/api/v1/individu/cari/", {"nik": NIK}, content_type="application/json")
    assert r.status_code in (401, 403)
