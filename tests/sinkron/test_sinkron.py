"""POST /api/v1/sinkron/: idempotency, dependencies, validation, scope, field merge, change
requests, revoked devices."""

import uuid

import pytest

from pendataan.models import PPKS, Individu, Keluarga, StatusVerifikasi
from sinkron.models import Konflik, OperasiSinkron, PermintaanPerubahan
from tests.matrix.keluarga import anggota_data, buat_keluarga
from tests.sinkron.conftest import op, op_keluarga
from tksk.models import AuditLog, KategoriPPKS
from tksk.perangkat import AlasanCabut, Perangkat, cabut_perangkat

pytestmark = pytest.mark.django_db


def test_a_household_with_members_is_saved_once_however_often_it_is_sent(world, perangkat):
    hp = perangkat()
    o = op_keluarga(
        world,
        anggota=[
            anggota_data(),
            anggota_data(nama="Siti", hubungan="istri", jenis_kelamin="P"),
            anggota_data(nama="Andi", hubungan="anak"),
        ],
    )
    [h] = hp.hasil([o])
    assert h["status"] == "tersimpan", h
    kel = Keluarga.objects.get(uuid=o["uuid"])
    assert h["uuid"] == o["uuid"] and h["url"] == f"/pendataan/keluarga/{kel.uuid}/"
    assert {str(a.uuid) for a in kel.anggota.all()} == {a["uuid"] for a in o["data"]["anggota"]}
    # The same op again (a retry after a lost answer): the stored answer, nothing new.
    assert hp.hasil([o]) == [h]
    # The same record under a new op_id (the outbox lost its receipt): the stored row.
    [h2] = hp.hasil([{**o, "op_id": str(uuid.uuid4())}])
    assert h2["status"] == "tersimpan" and h2["uuid"] == o["uuid"]
    assert Keluarga.objects.filter(uuid=o["uuid"]).count() == 1
    assert Individu.objects.filter(keluarga=kel).count() == 3
    assert AuditLog.objects.filter(aksi="keluarga_buat", objek_uuid=kel.uuid).count() == 1
    assert OperasiSinkron.objects.filter(user=world.users["tksk_pahandut"]).count() == 2


def test_more_than_50_operations_is_a_400(world, perangkat):
    hp = perangkat()
    response = hp.kirim([op_keluarga(world) for _ in range(51)])
    assert response.status_code == 400
    assert response.json()["kode"] == "terlalu_banyak"
    assert not Keluarga.objects.exists()
    assert hp.kirim([op_keluarga(world) for _ in range(50)]).status_code == 200
    assert Keluarga.objects.count() == 50


def test_children_wait_for_their_parent_and_run_after_it_in_one_batch(world, perangkat):
    hp = perangkat()
    induk = op_keluarga(world)
    kategori = KategoriPPKS.objects.get(singkatan="FM").pk
    kepala = induk["data"]["anggota"][0]["uuid"]
    anak = op(
        "ppks",
        "buat",
        uuid.uuid4(),
        {
            "subjek": "individu",
            "individu": kepala,
            "kategori": kategori,
            "tanggal_identifikasi": "2026-01-15",
            "status_penanganan": "belum",
        },
        setelah=[induk["op_id"]],
    )
    # Alone, the child waits and nothing is stored about it.
    [h] = hp.hasil([anak])
    assert h["status"] == "menunggu_induk"
    assert not OperasiSinkron.objects.filter(op_id=anak["op_id"]).exists()
    # Child before parent in one batch: the parent runs first, the answers keep the order.
    hasil = hp.hasil([anak, induk])
    assert [x["status"] for x in hasil] == ["tersimpan", "tersimpan"], hasil
    assert [x["op_id"] for x in hasil] == [anak["op_id"], induk["op_id"]]
    assert PPKS.objects.get(uuid=anak["uuid"]).individu.uuid == uuid.UUID(kepala)


def test_a_bad_operation_is_refused_with_field_errors_and_spoils_nothing(world, perangkat):
    hp = perangkat()
    baik = op_keluarga(world)
    buruk = op_keluarga(world, no_kk="123", alamat="")
    buruk["data"]["anggota"][0]["nik"] = "12"
    hasil = hp.hasil([buruk, baik])
    assert hasil[0]["status"] == "ditolak"
    galat = hasil[0]["galat"]
    assert "no_kk" in galat and "alamat" in galat and "anggota.0.nik" in galat, galat
    assert all(isinstance(m, str) and m for pesan in galat.values() for m in pesan)
    assert "wajib" in " ".join(galat["alamat"]).lower() or "diisi" in " ".join(galat["alamat"])
    assert hasil[1]["status"] == "tersimpan"
    assert not Keluarga.objects.filter(uuid=buruk["uuid"]).exists()
    assert Keluarga.objects.filter(uuid=baik["uuid"]).exists()
    # A malformed operation gets its own answer too.
    [h] = hp.hasil([{"op_id": "bukan", "entitas": "x"}])
    assert h["status"] == "ditolak" and "op_id" in h["galat"]


def test_another_kecamatans_uuid_is_refused_like_a_missing_one(world, perangkat):
    asing = buat_keluarga(world, "jekanraya")
    hp = perangkat()
    # A create reusing the other area's uuid, an update of it, a member into it.
    buat = {**op_keluarga(world), "uuid": str(asing.uuid)}
    ubah = op("keluarga", "ubah", asing.uuid, {"alamat": "Jl. Bocor"})
    hilang = op("keluarga", "ubah", uuid.uuid4(), {"alamat": "Jl. Bocor"})
    anggota = op(
        "individu", "buat", uuid.uuid4(), {**_str(anggota_data()), "keluarga": str(asing.uuid)}
    )
    hasil = hp.hasil([buat, ubah, hilang, anggota])
    assert [h["status"] for h in hasil] == ["ditolak"] * 4
    # Another area's record and a missing one read the same.
    assert hasil[1]["galat"] == hasil[2]["galat"] and hasil[1]["pesan"] == hasil[2]["pesan"]
    for h in hasil:
        assert h["url"] == "" and h["versi"] is None
        assert "Jl. Tjilik" not in str(h) and asing.nama_kepala not in str(h)
    asing.refresh_from_db()
    assert asing.alamat == "Jl. Tjilik Riwut No. 5" and asing.anggota.count() == 1


def _str(d):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in d.items()}


def _edit(kel, data, dasar):
    return op("keluarga", "ubah", kel.uuid, data, dasar=dasar, versi_dasar=kel.versi)


def test_two_offline_edits_of_one_person_merge_disjoint_fields_and_queue_the_same_field(
    world, perangkat
):
    kel = buat_keluarga(world, "pahandut", anggota=[anggota_data(pekerjaan="Petani")])
    ind = kel.anggota.get()
    hp1, hp2 = perangkat(), perangkat()
    dasar = {"tempat_lahir": ind.tempat_lahir, "pekerjaan": ind.pekerjaan}
    # Device 1 changes the place of birth; device 2 the place of birth too, and the occupation.
    [h1] = hp1.hasil(
        [op("individu", "ubah", ind.uuid, {"tempat_lahir": "Kuala Kapuas"}, dasar=dasar)]
    )
    assert h1["status"] == "tersimpan", h1
    [h2] = hp2.hasil(
        [
            op(
                "individu",
                "ubah",
                ind.uuid,
                {"tempat_lahir": "Sampit", "pekerjaan": "Nelayan"},
                dasar=dasar,
            )
        ]
    )
    assert h2["status"] == "konflik", h2
    ind.refresh_from_db()
    assert ind.pekerjaan == "Nelayan"  # merged
    assert ind.tempat_lahir == "Kuala Kapuas"  # not overwritten
    k = Konflik.objects.get()
    assert (k.field, k.nilai_saya, k.nilai_server, k.nilai_dasar) == (
        "tempat_lahir",
        "Sampit",
        "Kuala Kapuas",
        "Palangka Raya",
    )
    assert k.desa == kel.desa and k.penulis_saya == world.users["tksk_pahandut"]
    assert h2["konflik"] == [str(k.uuid)]


def test_household_fields_merge_against_their_base(world, perangkat):
    kel = buat_keluarga(world, "pahandut", rt="001", rw="002")
    hp = perangkat()
    dasar = {"rt": "001", "alamat": kel.alamat}
    [h] = hp.hasil([_edit(kel, {"rt": "004", "alamat": "Jl. Baru 1"}, dasar)])
    assert h["status"] == "tersimpan" and h["versi"] == kel.versi + 1, h["galat"]
    kel.refresh_from_db()
    assert (kel.rt, kel.rw, kel.alamat) == ("004", "002", "Jl. Baru 1")
    # An edit started from the old values: rt changed on the server meanwhile → conflict; rw ok.
    [h] = hp.hasil([_edit(kel, {"rt": "009", "rw": "007"}, {"rt": "001", "rw": "002"})])
    assert h["status"] == "konflik"
    kel.refresh_from_db()
    assert (kel.rt, kel.rw) == ("004", "007")
    assert Konflik.objects.get().field == "rt"


def test_an_offline_edit_of_a_verified_record_becomes_a_change_request(world, perangkat):
    kel = buat_keluarga(world, "pahandut", status=StatusVerifikasi.TERVERIFIKASI)
    hp = perangkat()
    [h] = hp.hasil([_edit(kel, {"alamat": "Jl. Lain 9"}, {"alamat": kel.alamat})])
    assert h["status"] == "permintaan_perubahan", h
    kel.refresh_from_db()
    assert kel.alamat == "Jl. Tjilik Riwut No. 5" and kel.status == StatusVerifikasi.TERVERIFIKASI
    p = PermintaanPerubahan.objects.get()
    assert p.data["alamat"] == "Jl. Lain 9" and p.pengaju == world.users["tksk_pahandut"]
    # An invalid edit of a verified record is refused, not queued.
    [h] = hp.hasil([_edit(kel, {"alamat": ""}, {"alamat": kel.alamat})])
    assert h["status"] == "ditolak" and "alamat" in h["galat"]
    assert PermintaanPerubahan.objects.count() == 1


@pytest.mark.parametrize("alasan", [AlasanCabut.DICABUT, AlasanCabut.KELUAR])
def test_a_revoked_device_gets_401_with_its_code(world, perangkat, alasan):
    hp = perangkat()
    cabut_perangkat(queryset=Perangkat.objects.filter(pk=hp.perangkat.pk), alasan=alasan)
    response = hp.kirim([op_keluarga(world)])
    assert response.status_code == 401
    kode = "perangkat_dicabut" if alasan == AlasanCabut.DICABUT else "token_tidak_sah"
    assert response.json()["kode"] == kode
    assert not Keluarga.objects.exists()


def test_bad_bodies_get_a_400_not_a_500(world, perangkat):
    hp = perangkat()
    dalam = "[" * 10000 + "]" * 10000
    r = hp.client.post(
        "/api/v1/sinkron/",
        '{"operasi": ' + dalam + "}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {hp.token}",
    )
    assert r.status_code == 400
    assert hp.kirim([], skema=99).status_code == 400
    r = hp.client.post(
        "/api/v1/sinkron/",
        "bukan json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {hp.token}",
    )
    assert r.status_code == 400
