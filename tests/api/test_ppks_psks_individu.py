"""PPKS, PSKS and persons through the API: the same services and scope as the pages."""

import uuid
from datetime import date

import pytest

from pendataan.models import PPKS, PSKS, Individu
from tests.api import klien
from tests.matrix.keluarga import anggota_data, buat_keluarga
from tests.matrix.ppks import buat_ppks, buat_psks
from tksk.models import AuditLog, KategoriPPKS


def _orang(world, kec="pahandut", **extra):
    return buat_keluarga(world, kec, anggota=[anggota_data(**extra)]).anggota.get()


# --- PPKS ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ppks_create_with_warning_and_idempotent_retry(world):
    orang = _orang(world)  # born 1985: too young for Lanjut Usia Telantar
    api = klien(world.users["tksk_pahandut"])
    body = {
        "uuid": str(uuid.uuid4()),
        "kategori": "PPKS-08",
        "subjek": "individu",
        "individu": str(orang.uuid),
        "tanggal_identifikasi": "2026-01-15",
        "deskripsi": "Tinggal sendiri.",
        "status": "terverifikasi",
    }
    response = api.post("/api/v1/ppks/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kategori"], data["individu"], data["desa"]) == (
        "PPKS-08",
        str(orang.uuid),
        orang.desa.kode,
    )
    assert data["status"] == "draf" and data["jenis_kelamin"] == "L"
    assert data["nama_subjek"] == orang.nama
    assert any("berusia" in p for p in data["peringatan"])
    assert response["ETag"] == f'W/"{body["uuid"]}-1"'

    again = api.post("/api/v1/ppks/", body, format="json")
    assert again.status_code == 200 and PPKS.objects.count() == 1
    clash = api.post("/api/v1/ppks/", {**body, "deskripsi": "Lain"}, format="json")
    assert clash.status_code == 409 and clash.json()["terkini"]["deskripsi"] == "Tinggal sendiri."

    # PATCH keeps what is not sent; the version check applies.
    tag = response["ETag"]
    ubah = api.patch(
        f"/api/v1/ppks/{body['uuid']}/",
        {"status_penanganan": "dalam"},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert ubah.status_code == 200, ubah.json()
    assert ubah.json()["status_penanganan"] == "dalam"
    assert ubah.json()["deskripsi"] == "Tinggal sendiri." and ubah.json()["versi"] == 2
    stale = api.patch(
        f"/api/v1/ppks/{body['uuid']}/", {"deskripsi": "x"}, format="json", HTTP_IF_MATCH=tag
    )
    assert stale.status_code == 409


@pytest.mark.django_db
def test_ppks_subject_of_another_area_and_unknown_category_are_refused(world):
    api = klien(world.users["tksk_pahandut"])
    orang_lain = _orang(world, "selat")
    response = api.post(
        "/api/v1/ppks/",
        {
            "kategori": "LUT",
            "subjek": "individu",
            "individu": str(orang_lain.uuid),
            "tanggal_identifikasi": "2026-01-15",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"individu": ["Pilih individu di wilayah tugas Anda."]}

    response = api.post(
        "/api/v1/ppks/",
        {
            "kategori": "PPKS-99",
            "subjek": "kelompok",
            "nama_kelompok": "Warga bantaran",
            "desa": world.desa["pahandut"].kode,
            "tanggal_identifikasi": "2026-01-15",
        },
        format="json",
    )
    assert response.status_code == 400 and response.json() == {"kategori": ["Pilih kategori PPKS."]}
    for kategori in ("12", 12, "", None):
        response = api.post(
            "/api/v1/ppks/", {"kategori": kategori, "subjek": "kelompok"}, format="json"
        )
        assert response.status_code == 400 and "kategori" in response.json()
    assert not PPKS.objects.exists()


@pytest.mark.django_db
def test_sensitive_ppks_stay_inside_the_recording_chain(world):
    ppks = buat_ppks(world, "pahandut", singkatan="ODHA")
    biasa = buat_ppks(world, "pahandut")
    assert KategoriPPKS.objects.get(singkatan="ODHA").sensitif
    for username, melihat in [
        ("tksk_pahandut", True),
        ("kab_palangkaraya", True),
        ("admin", True),
        ("prov", False),
        ("tksk_jekanraya", False),
    ]:
        api = klien(world.users[username])
        hasil = api.get("/api/v1/ppks/", {"kategori": "ODHA"}).json()["results"]
        uuids = {r["uuid"] for r in hasil}
        assert (str(ppks.uuid) in uuids) is melihat, username
        assert (api.get(f"/api/v1/ppks/{ppks.uuid}/").status_code == 200) is melihat, username
    prov = klien(world.users["prov"])
    assert {r["uuid"] for r in prov.get("/api/v1/ppks/").json()["results"]} == {str(biasa.uuid)}


@pytest.mark.django_db
def test_ppks_filters_by_code_or_short_name(world):
    fm = buat_ppks(world, "pahandut", singkatan="FM")
    lut = buat_ppks(world, "pahandut", singkatan="LUT")
    api = klien(world.users["tksk_pahandut"])
    for kategori, harap in [("FM", fm), ("ppks-24", fm), ("LUT", lut), ("PPKS-08", lut)]:
        hasil = api.get("/api/v1/ppks/", {"kategori": kategori}).json()["results"]
        assert [r["uuid"] for r in hasil] == [str(harap.uuid)], kategori
    assert api.get("/api/v1/ppks/", {"kategori": "TIDAKADA"}).json()["count"] == 0
    assert api.get("/api/v1/ppks/", {"search": fm.individu.nama}).json()["count"] == 1


@pytest.mark.django_db
def test_ppks_verification_actions(world):
    ppks = buat_ppks(world, "pahandut")
    tksk = klien(world.users["tksk_pahandut"])
    kab = klien(world.users["kab_palangkaraya"])
    assert tksk.post(f"/api/v1/ppks/{ppks.uuid}/ajukan/", format="json").json()["status"] == (
        "diajukan"
    )
    assert kab.post(f"/api/v1/ppks/{ppks.uuid}/verifikasi/", format="json").status_code == 200
    assert PPKS.objects.get(pk=ppks.pk).status == "terverifikasi"


# --- PSKS ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_psks_create_update_and_messages(world):
    api = klien(world.users["tksk_pahandut"])
    body = {
        "kategori": "KT",
        "nama": "Karang Taruna Tunas Harapan",
        "jenis": "lembaga",
        "desa": world.desa["pahandut"].kode,
        "telepon": "0812-3456-7890",
        "kapasitas": 30,
    }
    response = api.post("/api/v1/psks/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kategori"], data["telepon"], data["aktif"]) == ("PSKS-05", "081234567890", True)

    salah = api.post("/api/v1/psks/", {**body, "telepon": "12ab"}, format="json")
    assert salah.status_code == 400 and "diawali 0 atau +62" in salah.json()["telepon"][0]
    lain = api.post("/api/v1/psks/", {**body, "desa": world.desa["selat"].kode}, format="json")
    assert lain.status_code == 400 and "desa" in lain.json()

    url = f"/api/v1/psks/{data['uuid']}/"
    ubah = api.patch(url, {"versi": 1, "aktif": False}, format="json")
    assert ubah.status_code == 200 and ubah.json()["aktif"] is False
    assert ubah.json()["nama"] == body["nama"] and ubah.json()["versi"] == 2
    assert api.patch(url, {"aktif": True}, format="json").status_code == 428
    assert (
        klien(world.users["kab_palangkaraya"])
        .patch(url, {"versi": 2, "aktif": True}, format="json")
        .status_code
        == 403
    )
    assert klien(world.users["tksk_selat"]).get(url).status_code == 404
    assert PSKS.objects.get(uuid=data["uuid"]).aktif is False


@pytest.mark.django_db
def test_psks_list_filters(world):
    kt = buat_psks(world, "pahandut")
    buat_psks(world, "selat")
    api = klien(world.users["tksk_pahandut"])
    assert [r["uuid"] for r in api.get("/api/v1/psks/").json()["results"]] == [str(kt.uuid)]
    assert api.get("/api/v1/psks/", {"kategori": "PSKS-05"}).json()["count"] == 1
    assert api.get("/api/v1/psks/", {"kategori": "TAGANA"}).json()["count"] == 0
    assert api.get("/api/v1/psks/", {"jenis": "individu"}).json()["count"] == 0
    assert api.get("/api/v1/psks/", {"search": "karang"}).json()["count"] == 1


# --- persons ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_persons_are_read_only_masked_in_lists_and_scoped(world):
    kel = buat_keluarga(world, "pahandut", anggota=[anggota_data(), anggota_data("Siti", "istri")])
    buat_keluarga(world, "selat")
    orang = kel.anggota.get(nama="Siti")
    api = klien(world.users["tksk_pahandut"])
    daftar = api.get("/api/v1/individu/").json()
    assert daftar["count"] == 2
    assert all("*" in r["nik"] for r in daftar["results"])
    assert {r["keluarga"] for r in daftar["results"]} == {str(kel.uuid)}

    detail = api.get(f"/api/v1/individu/{orang.uuid}/")
    assert detail.status_code == 200 and detail.json()["nik"] == orang.nik
    assert AuditLog.objects.filter(aksi="api_lihat_nik", objek_uuid=orang.uuid).exists()
    cari = api.post("/api/v1/individu/cari/", {"nik": orang.nik}, format="json").json()
    assert cari["count"] == 1 and cari["results"][0]["nik"] != orang.nik
    assert api.get("/api/v1/individu/", {"search": orang.nik[:8]}).json()["count"] == 0
    assert api.get("/api/v1/individu/", {"keluarga": str(kel.uuid)}).json()["count"] == 2

    assert api.post("/api/v1/individu/", {"nama": "x"}, format="json").status_code == 405
    assert api.patch(f"/api/v1/individu/{orang.uuid}/", {}, format="json").status_code == 405
    lain = Individu.objects.exclude(keluarga=kel).get()
    assert api.get(f"/api/v1/individu/{lain.uuid}/").status_code == 404


@pytest.mark.django_db
def test_dates_are_iso(world):
    orang = _orang(world, tanggal_lahir=date(2001, 2, 3))
    data = klien(world.users["tksk_pahandut"]).get(f"/api/v1/individu/{orang.uuid}/").json()
    assert data["tanggal_lahir"] == "2001-02-03"
