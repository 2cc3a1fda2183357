"""Households through the API: create with members in one request, idempotent retry, versions,
PUT/PATCH semantics, read-only fields, validation messages, scope, lists and verification."""

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pendataan.models import PPKS, Individu, KasusGanda, Keluarga, Riwayat
from tests.api import anggota, badan_keluarga, klien
from tests.matrix.keluarga import buat_keluarga
from tksk.models import AuditLog, KategoriPPKS, Wilayah

URL = "/api/v1/keluarga/"


def _detail(kel) -> str:
    return f"{URL}{kel.uuid if hasattr(kel, 'uuid') else kel}/"


def _buat(api, body):
    return api.post(URL, body, format="json")


@pytest.fixture
def tksk(world):
    return klien(world.users["tksk_pahandut"])


# --- create -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_household_with_members_in_one_request(world, tksk):
    body = badan_keluarga(world.desa["pahandut"], jumlah=3)
    response = _buat(tksk, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["uuid"] == body["uuid"]
    assert data["no_kk"] == body["no_kk"]
    assert data["desa"] == world.desa["pahandut"].kode
    assert data["status"] == "draf" and data["versi"] == 1
    assert data["dibuat_oleh"] == "tksk_pahandut"
    assert data["nama_kepala"] == "Budi Santoso" and data["jumlah_anggota"] == 3
    assert response["ETag"] == f'W/"{body["uuid"]}-1"'
    assert {a["nik"] for a in data["anggota"]} == {a["nik"] for a in body["anggota"]}
    assert data["anggota"][0]["hubungan"] == "kepala_keluarga"
    assert all(a["desa"] == world.desa["pahandut"].kode for a in data["anggota"])
    assert data["peringatan"] == []

    kel = Keluarga.objects.get(uuid=body["uuid"])
    assert kel.anggota.count() == 3 and kel.dibuat_oleh == world.users["tksk_pahandut"]
    # The same history as a save from the web form.
    assert Riwayat.objects.filter(objek_uuid=kel.uuid, aksi="buat").exists()
    assert AuditLog.objects.filter(aksi="keluarga_buat", objek_uuid=kel.uuid).exists()


@pytest.mark.django_db
def test_create_without_uuid_gets_one(world, tksk):
    body = badan_keluarga(world.desa["pahandut"])
    del body["uuid"]
    response = _buat(tksk, body)
    assert response.status_code == 201
    assert Keluarga.objects.filter(uuid=response.json()["uuid"]).exists()


@pytest.mark.django_db
def test_nik_warnings_come_back_with_the_saved_household(world, tksk):
    body = badan_keluarga(world.desa["pahandut"], jumlah=1)
    body["anggota"][0]["tanggal_lahir"] = "1985-04-13"  # the NIK says 12 April
    response = _buat(tksk, body)
    assert response.status_code == 201
    assert any("Tanggal lahir pada NIK" in p for p in response.json()["peringatan"])


@pytest.mark.django_db
def test_idempotent_retry_returns_the_stored_household(world, tksk):
    body = badan_keluarga(world.desa["pahandut"])
    first = _buat(tksk, body)
    assert first.status_code == 201
    jumlah = (Keluarga.objects.count(), Individu.objects.count(), Riwayat.objects.count())

    # The same request again (a sync retry), keys in another order.
    again = _buat(tksk, dict(reversed(list(body.items()))))
    assert again.status_code == 200
    assert again.json()["uuid"] == body["uuid"]
    assert again["ETag"] == first["ETag"]
    assert (Keluarga.objects.count(), Individu.objects.count(), Riwayat.objects.count()) == jumlah


@pytest.mark.django_db
def test_same_uuid_with_another_body_is_a_conflict(world, tksk):
    body = badan_keluarga(world.desa["pahandut"])
    assert _buat(tksk, body).status_code == 201
    lain = {**body, "alamat": "Jl. Lain No. 9"}
    response = _buat(tksk, lain)
    assert response.status_code == 409
    assert response.json()["terkini"]["alamat"] == "Jl. Tjilik Riwut No. 5"
    assert response.json()["terkini"]["uuid"] == body["uuid"]
    assert "uuid ini sudah dipakai" in response.json()["detail"]
    assert Keluarga.objects.filter(uuid=body["uuid"]).count() == 1


@pytest.mark.django_db
def test_uuid_of_another_areas_record_reveals_nothing(world, tksk):
    lain = buat_keluarga(world, "selat")
    body = badan_keluarga(world.desa["pahandut"], uuid=str(lain.uuid))
    response = _buat(tksk, body)
    assert response.status_code == 400
    assert list(response.json()) == ["uuid"]
    assert "Budi" not in response.content.decode() and lain.no_kk not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kab_palangkaraya", "prov"])
def test_roles_that_do_not_record_households_get_403(world, username):
    response = _buat(klien(world.users[username]), badan_keluarga(world.desa["pahandut"]))
    assert response.status_code == 403
    assert "Peran Anda" in response.json()["detail"]
    assert not Keluarga.objects.exists()


@pytest.mark.django_db
def test_admin_records_anywhere(world):
    response = _buat(klien(world.users["admin"]), badan_keluarga(world.desa["selat"]))
    assert response.status_code == 201


@pytest.mark.django_db
def test_create_in_another_areas_desa_is_refused_on_the_field(world, tksk):
    response = _buat(tksk, badan_keluarga(world.desa["jekanraya"]))
    assert response.status_code == 400
    assert response.json() == {"desa": ["Desa/kelurahan ini tidak ada di wilayah tugas Anda."]}
    # A kecamatan code is not a desa either.
    body = badan_keluarga(world.desa["pahandut"])
    body["desa"] = world.kec["pahandut"].kode
    response = _buat(tksk, body)
    assert response.status_code == 400 and "desa" in response.json()
    assert not Keluarga.objects.exists()


@pytest.mark.django_db
def test_errors_are_flat_dotted_keys_in_indonesian(world, tksk):
    body = badan_keluarga(world.desa["pahandut"], jumlah=3)
    body["no_kk"] = "62710112345"
    body["anggota"][1]["nik"] = "6271ABC"
    body["anggota"][2]["tanggal_lahir"] = "31-12-2020"
    body["anggota"][2]["hubungan"] = "kepala_keluarga"
    response = _buat(tksk, body)
    assert response.status_code == 400
    errors = response.json()
    # A type error (the date) is found first, by the serializer, with the same key style.
    assert list(errors) == ["anggota.2.tanggal_lahir"]
    assert "Format tanggal salah" in errors["anggota.2.tanggal_lahir"][0]

    body["anggota"][2]["tanggal_lahir"] = "2020-12-31"
    errors = _buat(tksk, body).json()
    assert errors["no_kk"] == ["No KK harus 16 digit angka; yang diisi 11 digit."]
    assert errors["anggota.1.nik"] == ["NIK hanya boleh berisi angka 0–9, tanpa huruf atau simbol."]
    assert "satu Kepala Keluarga" in errors["anggota"][0]
    assert errors["anggota.2.hubungan"] == ["Sudah ada Kepala Keluarga lain di keluarga ini."]
    assert not Keluarga.objects.exists() and not Individu.objects.exists()


@pytest.mark.django_db
def test_nik_registered_elsewhere_opens_a_case_and_says_nothing_more(world, tksk):
    lama = buat_keluarga(world, "selat")
    nik_lama = lama.anggota.get().nik
    body = badan_keluarga(world.desa["pahandut"], jumlah=2)
    body["anggota"][1]["nik"] = nik_lama
    response = _buat(tksk, body)
    assert response.status_code == 400
    assert "sudah terdaftar di wilayah lain" in response.json()["anggota.1.nik"][0]
    assert "Selat" not in response.content.decode()
    # The case for the Dinas is kept although the save was refused.
    assert KasusGanda.objects.filter(individu_lama__nik=nik_lama, status="terbuka").count() == 1
    assert not Keluarga.objects.filter(uuid=body["uuid"]).exists()


@pytest.mark.django_db
def test_member_uuids_are_made_by_the_server(world, tksk):
    body = badan_keluarga(world.desa["pahandut"])
    body["anggota"][0]["uuid"] = str(uuid.uuid4())
    response = _buat(tksk, body)
    assert response.status_code == 400
    assert "uuid anggota dibuat server" in response.json()["anggota.0.uuid"][0]


@pytest.mark.django_db
def test_read_only_fields_sent_on_create_change_nothing(world, tksk):
    body = badan_keluarga(
        world.desa["pahandut"],
        status="terverifikasi",
        dibuat_oleh="admin_sistem",
        diverifikasi_oleh="kab_palangkaraya",
        versi=99,
        is_staff=True,
        nama_kepala="Orang Lain",
        jumlah_anggota=40,
    )
    body["anggota"][0]["desa"] = world.desa["selat"].kode
    response = _buat(tksk, body)
    assert response.status_code == 201
    kel = Keluarga.objects.get(uuid=body["uuid"])
    assert (kel.status, kel.versi, kel.dibuat_oleh.username) == ("draf", 1, "tksk_pahandut")
    assert kel.diverifikasi_oleh is None
    assert (kel.nama_kepala, kel.jumlah_anggota) == ("Budi Santoso", 2)
    assert set(kel.anggota.values_list("desa", flat=True)) == {world.desa["pahandut"].pk}
    assert not world.users["tksk_pahandut"].__class__.objects.get(username="tksk_pahandut").is_staff


# --- versions and updates -------------------------------------------------------------------


def _simpan_lewat_api(api, world, jumlah=2):
    body = badan_keluarga(world.desa["pahandut"], jumlah=jumlah)
    response = _buat(api, body)
    assert response.status_code == 201
    return response.json(), response["ETag"]


@pytest.mark.django_db
def test_patch_with_if_match_and_the_new_version(world, tksk):
    data, tag = _simpan_lewat_api(tksk, world)
    response = tksk.patch(_detail(data["uuid"]), {"rt": "007"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.json()
    assert response.json()["rt"] == "007" and response.json()["versi"] == 2
    assert response["ETag"] == f'W/"{data["uuid"]}-2"'
    # Members left out of a PATCH stay.
    assert Keluarga.objects.get(uuid=data["uuid"]).anggota.count() == 2

    # The old ETag is stale now: 409 with the current state, nothing written.
    stale = tksk.patch(_detail(data["uuid"]), {"rt": "009"}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 409
    assert stale.json()["terkini"]["rt"] == "007" and stale.json()["terkini"]["versi"] == 2
    assert "telah diubah oleh pengguna lain" in stale.json()["detail"]
    assert stale["ETag"] == f'W/"{data["uuid"]}-2"'
    assert Keluarga.objects.get(uuid=data["uuid"]).rt == "007"


@pytest.mark.django_db
def test_version_field_instead_of_if_match(world, tksk):
    data, _tag = _simpan_lewat_api(tksk, world)
    ok = tksk.patch(_detail(data["uuid"]), {"versi": 1, "dusun": "Dusun I"}, format="json")
    assert ok.status_code == 200 and ok.json()["versi"] == 2
    stale = tksk.patch(_detail(data["uuid"]), {"versi": 1, "dusun": "Dusun II"}, format="json")
    assert stale.status_code == 409 and stale.json()["terkini"]["dusun"] == "Dusun I"


@pytest.mark.django_db
def test_update_without_a_version_is_428(world, tksk):
    data, _tag = _simpan_lewat_api(tksk, world)
    response = tksk.patch(_detail(data["uuid"]), {"rt": "001"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    response = tksk.patch(_detail(data["uuid"]), {"rt": "001"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 428
    assert Keluarga.objects.get(uuid=data["uuid"]).rt == "004"


@pytest.mark.django_db
def test_etag_of_another_record_is_stale(world, tksk):
    data, _tag = _simpan_lewat_api(tksk, world)
    other, other_tag = _simpan_lewat_api(tksk, world)
    response = tksk.patch(
        _detail(data["uuid"]), {"rt": "001"}, format="json", HTTP_IF_MATCH=other_tag
    )
    assert response.status_code == 409


@pytest.mark.django_db
def test_a_web_save_in_between_makes_the_api_update_stale(world, tksk):
    from pendataan.services import keluarga_simpan

    data, tag = _simpan_lewat_api(tksk, world)
    kel = Keluarga.objects.get(uuid=data["uuid"])
    keluarga_simpan(
        pelaku=world.users["tksk_pahandut"], keluarga=kel, data={"rw": "009"}, anggota=[], versi=1
    )
    response = tksk.patch(_detail(kel), {"rt": "002"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 409 and response.json()["terkini"]["rw"] == "009"


@pytest.mark.django_db
def test_patch_members_by_uuid_add_and_remove(world, tksk):
    data, tag = _simpan_lewat_api(tksk, world, jumlah=3)
    istri, anak = data["anggota"][1], data["anggota"][2]
    baru = anggota("Bayi Santoso", "anak", tanggal_lahir=date(2025, 1, 5), nik=None)
    baru["alasan_tanpa_nik"] = "bayi"
    response = tksk.patch(
        _detail(data["uuid"]),
        {
            "anggota": [
                {"uuid": istri["uuid"], "pekerjaan": "Guru"},
                {"uuid": anak["uuid"], "hapus": True},
                baru,
            ]
        },
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert response.status_code == 200, response.json()
    kel = Keluarga.objects.get(uuid=data["uuid"])
    assert Individu.objects.get(uuid=istri["uuid"]).pekerjaan == "Guru"
    assert not Individu.objects.filter(uuid=anak["uuid"]).exists()
    assert kel.anggota.filter(nama="Bayi Santoso", nik__isnull=True).exists()
    assert kel.jumlah_anggota == 3
    assert Riwayat.objects.filter(objek_uuid=anak["uuid"], aksi="hapus").exists()


@pytest.mark.django_db
def test_put_replaces_fields_and_the_member_list(world, tksk):
    data, tag = _simpan_lewat_api(tksk, world, jumlah=3)
    kepala = data["anggota"][0]
    body = {
        "no_kk": data["no_kk"],
        "desa": data["desa"],
        "alamat": "Jl. Pengganti No. 1",
        "anggota": [
            {
                "uuid": kepala["uuid"],
                "nik": kepala["nik"],
                "nama": kepala["nama"],
                "jenis_kelamin": "L",
                "tanggal_lahir": kepala["tanggal_lahir"],
                "hubungan": "kepala_keluarga",
            }
        ],
    }
    response = tksk.put(_detail(data["uuid"]), body, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.json()
    kel = Keluarga.objects.get(uuid=data["uuid"])
    # Fields left out of a PUT are emptied; members left out are removed as mistaken entries.
    assert (kel.alamat, kel.rt, kel.rw) == ("Jl. Pengganti No. 1", "", "")
    assert list(kel.anggota.values_list("uuid", flat=True)) == [uuid.UUID(kepala["uuid"])]
    assert Individu.objects.get(uuid=kepala["uuid"]).tempat_lahir == ""
    assert Riwayat.objects.filter(keluarga_uuid=kel.uuid, aksi="hapus").count() == 2


@pytest.mark.django_db
def test_put_cannot_remove_a_member_with_ppks_records(world, tksk):
    data, tag = _simpan_lewat_api(tksk, world, jumlah=2)
    istri = Individu.objects.get(uuid=data["anggota"][1]["uuid"])
    PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="FM"),
        subjek="individu",
        individu=istri,
        desa=istri.desa,
        tanggal_identifikasi=date(2025, 1, 1),
    )
    kepala = data["anggota"][0]
    body = {
        "no_kk": data["no_kk"],
        "desa": data["desa"],
        "alamat": data["alamat"],
        "anggota": [{k: kepala[k] for k in ("uuid", "nik", "nama", "jenis_kelamin", "hubungan")}],
    }
    response = tksk.put(_detail(data["uuid"]), body, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 400
    pesan = response.json()["anggota"][0]
    assert pesan.startswith("Siti Aminah (tidak dikirim") and "PPKS" in pesan
    assert Individu.objects.filter(pk=istri.pk).exists()
    assert Keluarga.objects.get(uuid=data["uuid"]).versi == 1


@pytest.mark.django_db
def test_member_of_another_household_or_area_is_refused_and_nothing_written(world, tksk):
    data, tag = _simpan_lewat_api(tksk, world)
    lain_sini = Keluarga.objects.exclude(uuid=data["uuid"]).first() or buat_keluarga(
        world, "pahandut"
    )
    lain_sana = buat_keluarga(world, "selat")
    for orang in (lain_sini.anggota.get(), lain_sana.anggota.get()):
        response = tksk.patch(
            _detail(data["uuid"]),
            {
                "alamat": "Tidak boleh tersimpan",
                "anggota": [{"uuid": str(orang.uuid), "nama": "Dibajak"}],
            },
            format="json",
            HTTP_IF_MATCH=tag,
        )
        assert response.status_code == 400
        assert "tidak ditemukan di keluarga ini" in response.json()["anggota.0"][0]
        orang.refresh_from_db()
        assert orang.nama != "Dibajak"
    kel = Keluarga.objects.get(uuid=data["uuid"])
    assert kel.alamat == "Jl. Tjilik Riwut No. 5" and kel.versi == 1


@pytest.mark.django_db
def test_read_only_fields_and_another_areas_desa_on_update_change_nothing(world, tksk):
    data, tag = _simpan_lewat_api(tksk, world)
    response = tksk.patch(
        _detail(data["uuid"]),
        {
            "status": "terverifikasi",
            "dibuat_oleh": "admin_sistem",
            "versi": 50,
            "uuid": str(uuid.uuid4()),
            "is_staff": True,
            "anggota": [{"uuid": data["anggota"][0]["uuid"], "desa": world.desa["selat"].kode}],
        },
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert response.status_code == 200, response.json()
    kel = Keluarga.objects.get(uuid=data["uuid"])
    assert (kel.status, kel.versi, kel.dibuat_oleh.username) == ("draf", 1, "tksk_pahandut")
    assert set(kel.anggota.values_list("desa", flat=True)) == {world.desa["pahandut"].pk}

    pindah = tksk.patch(
        _detail(data["uuid"]),
        {"desa": world.desa["selat"].kode},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert pindah.status_code == 400 and "desa" in pindah.json()
    assert Keluarga.objects.get(uuid=data["uuid"]).desa == world.desa["pahandut"]


@pytest.mark.django_db
def test_update_of_another_areas_household_is_404(world, tksk):
    lain = buat_keluarga(world, "jekanraya")
    response = tksk.patch(_detail(lain), {"versi": 1, "rt": "001"}, format="json")
    assert response.status_code == 404
    assert tksk.get(_detail(lain)).status_code == 404
    assert tksk.get(f"{URL}bukan-uuid/").status_code == 404


@pytest.mark.django_db
def test_kabupaten_reads_but_may_not_change(world):
    kel = buat_keluarga(world, "pahandut")
    kab = klien(world.users["kab_palangkaraya"])
    assert kab.get(_detail(kel)).status_code == 200
    response = kab.patch(_detail(kel), {"versi": 1, "rt": "001"}, format="json")
    assert response.status_code == 403
    assert Keluarga.objects.get(pk=kel.pk).rt == ""


# --- reading ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_full_numbers_and_logs_the_view(world, tksk):
    kel = buat_keluarga(world, "pahandut")
    response = tksk.get(_detail(kel))
    assert response.status_code == 200
    assert response.json()["no_kk"] == kel.no_kk
    assert response.json()["anggota"][0]["nik"] == kel.anggota.get().nik
    assert response["ETag"] == f'W/"{kel.uuid}-{kel.versi}"'
    assert response["Cache-Control"] == "no-store"
    log = AuditLog.objects.filter(aksi="api_lihat_nik", objek_uuid=kel.uuid).get()
    assert log.data["jumlah"] == 2 and log.pelaku == world.users["tksk_pahandut"]


@pytest.mark.django_db
def test_list_masks_numbers_unless_asked_and_logs_full_ones(world, tksk):
    kel = buat_keluarga(world, "pahandut")
    baris = tksk.get(URL).json()["results"][0]
    assert baris["no_kk"] == f"{kel.no_kk[:4]}********{kel.no_kk[-4:]}"
    assert "*" in baris["anggota"][0]["nik"]
    assert not AuditLog.objects.filter(aksi="api_lihat_nik").exists()

    baris = tksk.get(URL, {"nik": "lengkap"}).json()["results"][0]
    assert baris["no_kk"] == kel.no_kk
    assert AuditLog.objects.get(aksi="api_lihat_nik").data["jumlah"] == 2


@pytest.mark.django_db
def test_list_never_holds_another_area_whatever_the_filter(world):
    sini = buat_keluarga(world, "pahandut")
    sana = buat_keluarga(world, "jekanraya")
    tksk = klien(world.users["tksk_pahandut"])
    uuids = {r["uuid"] for r in tksk.get(URL).json()["results"]}
    assert uuids == {str(sini.uuid)}
    for params in (
        {"desa": world.desa["jekanraya"].kode},
        {"search": "Budi"},
        {"updated_since": "2000-01-01T00:00:00Z"},
    ):
        uuids = {r["uuid"] for r in tksk.get(URL, params).json()["results"]}
        assert str(sana.uuid) not in uuids, params
    for body in ({"no_kk": sana.no_kk}, {"nik": sana.anggota.get().nik}):
        cari = tksk.post(URL + "cari/", body, format="json")
        assert cari.status_code == 200 and cari.json()["count"] == 0, body
    kab = klien(world.users["kab_palangkaraya"])
    assert kab.get(URL).json()["count"] == 2
    assert klien(world.users["kab_kapuas"]).get(URL).json()["count"] == 0
    assert klien(world.users["unassigned"]).get(URL).json()["count"] == 0


@pytest.mark.django_db
def test_filters_and_search(world, tksk):
    kel = buat_keluarga(world, "pahandut")
    lain = buat_keluarga(
        world,
        "pahandut",
        status="diajukan",
        anggota=[anggota("Rahmat Hidayat", tanggal_lahir=date(1975, 3, 3))],
    )
    desa_lain = Wilayah.objects.filter(induk=world.kec["pahandut"]).order_by("kode")[1]
    ketiga = buat_keluarga(world, "pahandut", desa=desa_lain)

    def uuids(**params):
        response = tksk.get(URL, params)
        assert response.status_code == 200, response.json()
        return {r["uuid"] for r in response.json()["results"]}

    assert uuids(status="diajukan") == {str(lain.uuid)}
    assert uuids(desa=desa_lain.kode) == {str(ketiga.uuid)}
    assert uuids(search="rahmat") == {str(lain.uuid)}

    # Numbers are searched by POST (never in the URL), whole numbers only.
    def dicari(**body):
        response = tksk.post(URL + "cari/", body, format="json")
        assert response.status_code == 200, response.json()
        return {r["uuid"] for r in response.json()["results"]}

    assert dicari(no_kk=kel.no_kk) == {str(kel.uuid)}
    assert dicari(nik=lain.anggota.get().nik) == {str(lain.uuid)}
    # Partial numbers never match (no guessing numbers digit by digit).
    assert uuids(search=kel.no_kk[:10]) == set()
    assert uuids(search=kel.no_kk[-6:]) == set()
    assert tksk.post(URL + "cari/", {"no_kk": kel.no_kk[:10]}, format="json").status_code == 400

    salah = tksk.get(URL, {"status": "palsu"})
    assert salah.status_code == 400 and "status" in salah.json()
    salah = tksk.get(URL, {"updated_since": "kemarin"})
    assert salah.status_code == 400 and "updated_since" in salah.json()


@pytest.mark.django_db
def test_updated_since_pages_every_changed_row_exactly_once(world, tksk):
    awal = [buat_keluarga(world, "pahandut") for _ in range(3)]
    batas = timezone.now()
    berubah = [buat_keluarga(world, "pahandut") for _ in range(7)]
    # An old household changed after the mark counts as changed; its old peers do not.
    Keluarga.objects.filter(pk=awal[0].pk).update(diubah_pada=timezone.now() + timedelta(seconds=1))
    # Two rows with the very same timestamp are ordered by id, so paging splits them safely.
    sama = timezone.now() + timedelta(seconds=2)
    Keluarga.objects.filter(pk__in=[berubah[1].pk, berubah[2].pk]).update(diubah_pada=sama)

    dilihat, halaman = [], 1
    while True:
        response = tksk.get(
            URL, {"updated_since": batas.isoformat(), "page_size": 2, "page": halaman}
        )
        assert response.status_code == 200
        dilihat += [r["uuid"] for r in response.json()["results"]]
        if not response.json()["next"]:
            break
        halaman += 1
    harap = {str(k.uuid) for k in berubah} | {str(awal[0].uuid)}
    assert len(dilihat) == len(set(dilihat)) == len(harap)
    assert set(dilihat) == harap
    diubah = list(
        Keluarga.objects.filter(uuid__in=dilihat)
        .order_by("diubah_pada", "id")
        .values_list("uuid", flat=True)
    )
    assert dilihat == [str(u) for u in diubah]


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_page(world, tksk):
    buat_keluarga(world, "pahandut")
    tksk.get(URL)  # warm-up (content types, permissions)
    with CaptureQueriesContext(connection) as satu:
        assert tksk.get(URL).status_code == 200
    for _ in range(6):
        buat_keluarga(
            world, "pahandut", anggota=[anggota(), anggota("Siti", "istri", jenis_kelamin="P")]
        )
    with CaptureQueriesContext(connection) as tujuh:
        response = tksk.get(URL)
    assert response.json()["count"] == 7
    assert len(tujuh.captured_queries) == len(satu.captured_queries) <= 4


# --- verification -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_verify_and_return_through_the_api(world, tksk):
    kel = buat_keluarga(world, "pahandut")
    kab = klien(world.users["kab_palangkaraya"])
    prov = klien(world.users["prov"])

    assert kab.post(f"{_detail(kel)}ajukan/", format="json").status_code == 403
    response = tksk.post(f"{_detail(kel)}ajukan/", format="json")
    assert response.status_code == 200 and response.json()["status"] == "diajukan"
    assert response.json()["versi"] == 2
    # Submitting again is a no-op, not an error (a retried request).
    again = tksk.post(f"{_detail(kel)}ajukan/", format="json")
    assert again.status_code == 200 and again.json()["versi"] == 2

    assert tksk.post(f"{_detail(kel)}verifikasi/", format="json").status_code == 403
    assert prov.post(f"{_detail(kel)}verifikasi/", format="json").status_code == 403
    tanpa_alasan = kab.post(f"{_detail(kel)}kembalikan/", {"catatan": "x"}, format="json")
    assert tanpa_alasan.status_code == 400 and "alasan" in tanpa_alasan.json()
    response = kab.post(
        f"{_detail(kel)}kembalikan/",
        {"alasan": "tidak_lengkap", "catatan": "Tanggal lahir anak belum ada."},
        format="json",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["alasan_kembali"]) == ("dikembalikan", "tidak_lengkap")
    assert data["catatan_verifikasi"] == "Tanggal lahir anak belum ada."
    assert data["diverifikasi_oleh"] == "kab_palangkaraya"

    # Returned → cannot be verified before it is submitted again.
    conflict = kab.post(f"{_detail(kel)}verifikasi/", format="json")
    assert conflict.status_code == 409 and conflict.json()["terkini"]["status"] == "dikembalikan"
    assert tksk.post(f"{_detail(kel)}ajukan/", format="json").status_code == 200
    response = kab.post(f"{_detail(kel)}verifikasi/", format="json")
    assert response.status_code == 200 and response.json()["status"] == "terverifikasi"
    assert Riwayat.objects.filter(objek_uuid=kel.uuid, aksi="transisi").count() == 4


@pytest.mark.django_db
def test_verification_of_another_area_is_404_and_stale_if_match_is_409(world, tksk):
    lain = buat_keluarga(world, "jekanraya")
    assert tksk.post(f"{_detail(lain)}ajukan/", format="json").status_code == 404
    kab = klien(world.users["kab_kapuas"])
    sini = buat_keluarga(world, "pahandut", status="diajukan")
    assert kab.post(f"{_detail(sini)}verifikasi/", format="json").status_code == 404

    kel = buat_keluarga(world, "pahandut")
    stale = tksk.post(f"{_detail(kel)}ajukan/", format="json", HTTP_IF_MATCH=f'W/"{kel.uuid}-7"')
    assert stale.status_code == 409
    assert Keluarga.objects.get(pk=kel.pk).status == "draf"


@pytest.mark.django_db
def test_status_changes_reach_incremental_sync(world, tksk):
    kel = buat_keluarga(world, "pahandut")
    batas = timezone.now()
    assert tksk.get(URL, {"updated_since": batas.isoformat()}).json()["count"] == 0
    assert tksk.post(f"{_detail(kel)}ajukan/", format="json").status_code == 200
    assert tksk.get(URL, {"updated_since": batas.isoformat()}).json()["count"] == 1
