"""Partners, activities and referrals through the API: the same services and scope as the pages."""

import json
import uuid
from datetime import date

import pytest

from koordinasi.models import Kegiatan, Mitra, RiwayatRujukan, Rujukan
from pendataan.models import StatusPenanganan
from tests.api import klien, test_skema
from tests.matrix.koordinasi import buat_kegiatan, buat_mitra, buat_rujukan
from tests.matrix.ppks import buat_ppks
from tksk.models import AuditLog, KategoriPPKS

# The schema fixtures of the pendataan API's schema tests.
skema = test_skema.skema
wsgi = test_skema.wsgi

BUKAN_SERVER = "response must never be a server error"


def _uuids(response):
    assert response.status_code == 200, response.content
    return {row["uuid"] for row in response.json()["results"]}


# --- scope per resource and role ---------------------------------------------------------------

PEMBUAT = {
    "mitra": lambda world, kec: buat_mitra(world, kec),
    "kegiatan": lambda world, kec: buat_kegiatan(world, kec),
    "rujukan": lambda world, kec: buat_rujukan(world, kec),
}
# user → (kecamatan they see, kecamatan they do not)
PENGGUNA = {
    "tksk_pahandut": ("pahandut", "jekanraya"),
    "kab_palangkaraya": ("jekanraya", "selat"),
    "kab_kapuas": ("selat", "pahandut"),
    "prov": ("selat", None),
    "admin": ("pahandut", None),
}


@pytest.mark.django_db
@pytest.mark.parametrize("tipe", sorted(PEMBUAT))
@pytest.mark.parametrize("username", sorted(PENGGUNA))
def test_scope_detail_and_list(world, tipe, username):
    terlihat, tersembunyi = PENGGUNA[username]
    milik = PEMBUAT[tipe](world, terlihat)
    api = klien(world.users[username])
    response = api.get(f"/api/v1/{tipe}/{milik.uuid}/")
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'W/"{milik.uuid}-{milik.versi}"'
    assert str(milik.uuid) in _uuids(api.get(f"/api/v1/{tipe}/"))
    if tersembunyi:
        lain = PEMBUAT[tipe](world, tersembunyi)
        response = api.get(f"/api/v1/{tipe}/{lain.uuid}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Data tidak ditemukan di wilayah tugas Anda."}
        # Whatever the filter says, a list never holds another area's object.
        for query in ("", f"?desa={world.desa[tersembunyi].kode}", "?page_size=200"):
            assert str(lain.uuid) not in _uuids(api.get(f"/api/v1/{tipe}/{query}"))


@pytest.mark.django_db
def test_sensitive_referral_hidden_from_province(world):
    kategori = KategoriPPKS.objects.filter(sensitif=True).first()
    rahasia = buat_rujukan(world, "pahandut", ppks=buat_ppks(world, "pahandut", kategori.singkatan))
    prov = klien(world.users["prov"])
    assert prov.get(f"/api/v1/rujukan/{rahasia.uuid}/").status_code == 404
    assert str(rahasia.uuid) not in _uuids(prov.get("/api/v1/rujukan/"))
    kab = klien(world.users["kab_palangkaraya"])
    assert kab.get(f"/api/v1/rujukan/{rahasia.uuid}/").status_code == 200


# --- mitra ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_mitra_create_idempotent_and_extra_fields_ignored(world):
    user = world.users["tksk_pahandut"]
    api = klien(user)
    body = {
        "uuid": str(uuid.uuid4()),
        "jenis": "pemerintah",
        "nama": "Puskesmas Pahandut API",
        "wilayah": world.kec["pahandut"].kode,
        "telepon": "0536-3221234",
        "dibuat_oleh": "admin",
        "versi": 99,
        "tidak_dikenal": "x",
    }
    response = api.post("/api/v1/mitra/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["uuid"], data["wilayah"], data["dibuat_oleh"], data["versi"]) == (
        body["uuid"],
        world.kec["pahandut"].kode,
        user.username,
        1,
    )
    assert AuditLog.objects.filter(aksi="mitra_buat", objek_uuid=body["uuid"]).count() == 1
    again = api.post("/api/v1/mitra/", body, format="json")
    assert again.status_code == 200
    assert Mitra.objects.filter(nama="Puskesmas Pahandut API").count() == 1
    clash = api.post("/api/v1/mitra/", {**body, "nama": "Lain"}, format="json")
    assert clash.status_code == 409
    assert clash.json()["terkini"]["nama"] == "Puskesmas Pahandut API"


@pytest.mark.django_db
def test_mitra_create_outside_area_and_bad_input(world):
    api = klien(world.users["tksk_pahandut"])
    response = api.post(
        "/api/v1/mitra/",
        {"jenis": "pemerintah", "nama": "X", "wilayah": world.kec["selat"].kode},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"wilayah": ["Wilayah ini tidak ada di cakupan tugas Anda."]}
    response = api.post(
        "/api/v1/mitra/", {"jenis": "roket", "wilayah": 62, "email": "bukan"}, format="json"
    )
    assert response.status_code == 400
    galat = response.json()
    assert set(galat) >= {"jenis", "nama", "wilayah", "email"}
    assert "Tulis kode wilayah Kemendagri" in galat["wilayah"][0]
    assert api.post("/api/v1/mitra/", "[1,", content_type="application/json").json() == {
        "detail": "Isi permintaan bukan JSON yang valid."
    }
    # A duplicate name in the same area: the service's message, not a server error.
    buat_mitra(world, "pahandut", nama="Karang Taruna Ganda")
    response = api.post(
        "/api/v1/mitra/",
        {"jenis": "lembaga_psks", "nama": "karang taruna ganda", "wilayah": "62.71.01"},
        format="json",
    )
    assert response.status_code == 400, BUKAN_SERVER
    assert response.json() == {
        "nama": ["Mitra dengan nama ini sudah terdaftar di wilayah yang sama."]
    }


@pytest.mark.django_db
def test_mitra_update_versions_and_levels(world):
    mitra = buat_mitra(world, "pahandut")
    api = klien(world.users["tksk_pahandut"])
    url = f"/api/v1/mitra/{mitra.uuid}/"
    assert api.patch(url, {"alamat": "Jl. A"}, format="json").status_code == 428
    response = api.patch(
        url, {"alamat": "Jl. A"}, format="json", HTTP_IF_MATCH=f'W/"{mitra.uuid}-1"'
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["alamat"], response.json()["versi"]) == ("Jl. A", 2)
    stale = api.patch(url, {"versi": 1, "alamat": "Jl. B"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["terkini"]["alamat"] == "Jl. A"
    mitra.refresh_from_db()
    assert (mitra.alamat, mitra.versi) == ("Jl. A", 2)
    # PUT replaces: fields left out are emptied.
    response = api.put(
        url,
        {"versi": 2, "jenis": "tokoh", "nama": mitra.nama, "wilayah": "62.71.01"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["alamat"], response.json()["telepon"]) == ("", "")
    # A kabupaten's partner: seen by the TKSK below, changed only at that level or above.
    atas = buat_mitra(
        world, wilayah=world.kab["palangkaraya"], pelaku=world.users["kab_palangkaraya"]
    )
    url = f"/api/v1/mitra/{atas.uuid}/"
    assert api.get(url).status_code == 200
    response = api.patch(url, {"versi": 1, "alamat": "x"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Mitra ini didaftarkan oleh tingkat di atas Anda."}
    kab = klien(world.users["kab_palangkaraya"])
    assert kab.patch(url, {"versi": 1, "alamat": "x"}, format="json").status_code == 200


# --- kegiatan ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_kegiatan_create_update_and_roles(world):
    mitra = buat_mitra(world, "pahandut")
    api = klien(world.users["tksk_pahandut"])
    body = {
        "uuid": str(uuid.uuid4()),
        "jenis": "rapat_koordinasi",
        "tanggal": "2026-01-20",
        "jam_mulai": "09:00",
        "jam_selesai": "11:00",
        "desa": world.desa["pahandut"].kode,
        "tempat": "Aula kecamatan",
        "topik": "Koordinasi PKH",
        "mitra": [str(mitra.uuid)],
        "peserta_laki": 4,
        "peserta_perempuan": 6,
        "foto": ["x"],
    }
    response = api.post("/api/v1/kegiatan/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["mitra"], data["jumlah_peserta"], data["tanggal"]) == (
        [str(mitra.uuid)],
        10,
        "2026-01-20",
    )
    assert AuditLog.objects.filter(aksi="kegiatan_buat", objek_uuid=body["uuid"]).exists()
    assert api.post("/api/v1/kegiatan/", body, format="json").status_code == 200
    assert Kegiatan.objects.filter(topik="Koordinasi PKH").count() == 1
    url = f"/api/v1/kegiatan/{body['uuid']}/"
    # PATCH keeps the partners not sent.
    response = api.patch(url, {"versi": 1, "notulen": "Sepakat"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["notulen"], response.json()["mitra"]) == ("Sepakat", [str(mitra.uuid)])
    assert api.patch(url, {"versi": 1, "notulen": "Lama"}, format="json").status_code == 409
    # The province and the kabupaten read activities; only the TKSK (and admin) records them.
    for username in ("prov", "kab_palangkaraya"):
        other = klien(world.users[username])
        assert other.get(url).status_code == 200
        assert other.patch(url, {"versi": 2, "notulen": "x"}, format="json").status_code == 403
        assert (
            other.post("/api/v1/kegiatan/", body | {"uuid": None}, format="json").status_code == 403
        )


@pytest.mark.django_db
def test_kegiatan_bad_input(world):
    lain = buat_mitra(world, "selat")
    api = klien(world.users["tksk_pahandut"])
    base = {
        "jenis": "asesmen",
        "tanggal": "2026-01-20",
        "desa": world.desa["pahandut"].kode,
        "tempat": "Rumah warga",
        "topik": "Asesmen",
    }
    cases = [
        ({**base, "jam_mulai": "11:00", "jam_selesai": "09:00"}, "jam_selesai"),
        ({**base, "mitra": [str(lain.uuid)]}, "mitra"),
        ({**base, "mitra": "bukan daftar"}, "mitra"),
        ({**base, "desa": world.desa["selat"].kode}, "desa"),
        ({**base, "tanggal": "20-01-2026"}, "tanggal"),
        ({**base, "peserta_laki": -1}, "peserta_laki"),
        ({**base, "peserta_laki": 10**12}, "peserta_laki"),
    ]
    for body, key in cases:
        response = api.post("/api/v1/kegiatan/", body, format="json")
        assert response.status_code == 400, (body, response.status_code)
        assert key in response.json(), response.json()
    assert api.post("/api/v1/kegiatan/", [1, 2], format="json").status_code == 400
    # A lone surrogate (valid JSON escape, invalid text) is refused, not a server error.
    body = json.dumps(base).replace('"Asesmen"', '"\\ud800"')
    response = api.post("/api/v1/kegiatan/", body, content_type="application/json")
    assert response.status_code == 400, BUKAN_SERVER
    assert "topik" in response.json()
    assert not Kegiatan.objects.filter(topik="Asesmen").exists()
    msg = api.post("/api/v1/kegiatan/", {**base, "mitra": [str(lain.uuid)]}, format="json")
    assert msg.json() == {"mitra": ["Pilih mitra yang ada di wilayah tugas Anda."]}


# --- rujukan ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rujukan_create_through_service(world):
    ppks = buat_ppks(world, "pahandut")
    mitra = buat_mitra(world, "pahandut")
    api = klien(world.users["tksk_pahandut"])
    body = {
        "uuid": str(uuid.uuid4()),
        "ppks": str(ppks.uuid),
        "mitra": str(mitra.uuid),
        "alasan": "Butuh pemeriksaan.",
        "layanan": "Pemeriksaan kesehatan",
        "urgensi": "segera",
        "status": "selesai",
        "nomor": "999/PALSU",
    }
    response = api.post("/api/v1/rujukan/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "dikirim"
    assert data["nomor"].startswith("001/RUJ/62.71.01/")
    assert data["desa"] == ppks.desa.kode
    assert [step["status_ke"] for step in data["langkah"]] == ["dikirim"]
    ppks.refresh_from_db()
    assert ppks.status_penanganan == StatusPenanganan.DIRUJUK
    assert api.post("/api/v1/rujukan/", body, format="json").status_code == 200
    assert Rujukan.objects.filter(ppks=ppks).count() == 1
    # Not editable: only steps are recorded.
    assert api.patch(f"/api/v1/rujukan/{body['uuid']}/", {}, format="json").status_code == 405


@pytest.mark.django_db
def test_rujukan_create_refused_outside_area_and_for_province(world):
    ppks_lain = buat_ppks(world, "selat")
    mitra = buat_mitra(world, "pahandut")
    body = {
        "ppks": str(ppks_lain.uuid),
        "mitra": str(mitra.uuid),
        "alasan": "a",
        "layanan": "b",
    }
    response = klien(world.users["tksk_pahandut"]).post("/api/v1/rujukan/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"ppks": ["Data PPKS tidak ditemukan di wilayah tugas Anda."]}
    prov = klien(world.users["prov"])
    assert prov.post("/api/v1/rujukan/", body, format="json").status_code == 403
    response = klien(world.users["tksk_pahandut"]).post(
        "/api/v1/rujukan/",
        {"ppks": "x", "mitra": str(uuid.uuid4()), "alasan": " ", "tanggal_kirim": "2999-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"ppks", "alasan", "layanan", "tanggal_kirim"}
    assert response.json()["tanggal_kirim"] == ["Tanggal surat tidak boleh di masa depan."]
    assert not Rujukan.objects.exists()


@pytest.mark.django_db
def test_rujukan_langkah(world):
    rujukan = buat_rujukan(world, "pahandut")
    api = klien(world.users["tksk_pahandut"])
    url = f"/api/v1/rujukan/{rujukan.uuid}/langkah/"
    response = api.post(url, {"status": "ditolak"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"catatan": ["Tuliskan alasan penolakan."]}
    response = api.post(url, {"status": "terbang"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = api.post(url, {"status": "diterima", "catatan": "Diterima petugas"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "diterima"
    assert response["ETag"] == f'W/"{rujukan.uuid}-2"'
    assert RiwayatRujukan.objects.filter(rujukan=rujukan, status_ke="diterima").exists()
    stale = api.post(url, {"status": "diproses", "versi": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["terkini"]["status"] == "diterima"
    stale = api.post(
        url, {"status": "diproses"}, format="json", HTTP_IF_MATCH=f'W/"{rujukan.uuid}-1"'
    )
    assert stale.status_code == 409
    response = api.post(url, {"status": "selesai", "tanggal": str(date.today())}, format="json")
    assert response.status_code == 200
    rujukan.ppks.refresh_from_db()
    assert rujukan.ppks.status_penanganan == StatusPenanganan.SELESAI
    # Closed: no step is possible any more.
    closed = api.post(url, {"status": "ditolak", "catatan": "x"}, format="json")
    assert closed.status_code == 409
    # The province reads referrals but does not move them.
    assert (
        klien(world.users["prov"]).post(url, {"status": "diterima"}, format="json").status_code
        == 403
    )
    other = buat_rujukan(world, "selat")
    response = api.post(
        f"/api/v1/rujukan/{other.uuid}/langkah/", {"status": "diterima"}, format="json"
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "dikirim"


@pytest.mark.django_db
def test_updated_since_filter(world):
    mitra = buat_mitra(world, "pahandut")
    api = klien(world.users["tksk_pahandut"])
    assert str(mitra.uuid) in _uuids(api.get("/api/v1/mitra/?updated_since=2000-01-01T00:00:00Z"))
    assert str(mitra.uuid) not in _uuids(
        api.get("/api/v1/mitra/?updated_since=2999-01-01T00:00:00Z")
    )
    assert api.get("/api/v1/rujukan/?status=bukan").status_code == 400
    assert api.get("/api/v1/kegiatan/?updated_since=kemarin").status_code == 400


# --- real answers against the schema --------------------------------------------------------


@pytest.mark.django_db
def test_real_answers_match_the_schema(world, skema):
    from tksk.perangkat import buat_perangkat

    token = buat_perangkat(user=world.users["tksk_pahandut"])[1]
    mitra = buat_mitra(world, "pahandut")
    kegiatan = buat_kegiatan(world, "pahandut", mitra=[mitra])
    rujukan = buat_rujukan(world, "pahandut", mitra=mitra)
    for tipe, obj in [("mitra", mitra), ("kegiatan", kegiatan), ("rujukan", rujukan)]:
        assert test_skema._panggil(skema, token, "GET", f"/api/v1/{tipe}/").status_code == 200
        uid = {"uuid": str(obj.uuid)}
        assert test_skema._panggil(
            skema, token, "GET", f"/api/v1/{tipe}/{{uuid}}/", path_parameters=uid
        )
    uid = {"uuid": str(kegiatan.uuid)}
    ubah = {"versi": 1, "notulen": "Sesuai skema"}
    path = "/api/v1/kegiatan/{uuid}/"
    assert (
        test_skema._panggil(skema, token, "PATCH", path, path_parameters=uid, body=ubah).status_code
        == 200
    )
    assert (
        test_skema._panggil(skema, token, "PATCH", path, path_parameters=uid, body=ubah).status_code
        == 409
    )
    path = "/api/v1/rujukan/{uuid}/langkah/"
    uid = {"uuid": str(rujukan.uuid)}
    langkah = {"status": "diterima", "catatan": "ok"}
    assert (
        test_skema._panggil(
            skema, token, "POST", path, path_parameters=uid, body=langkah
        ).status_code
        == 200
    )
    assert (
        test_skema._panggil(
            skema, token, "POST", path, path_parameters=uid, body=langkah
        ).status_code
        == 409
    )
    body = {"jenis": "tokoh", "nama": "Tokoh Uji", "wilayah": "62.71.01"}
    assert test_skema._panggil(skema, token, "POST", "/api/v1/mitra/", body=body).status_code == 201
