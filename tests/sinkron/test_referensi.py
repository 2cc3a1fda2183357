"""GET /api/v1/sinkron/referensi/: the user's own reference data, with an ETag."""

import pytest

from tests.matrix.keluarga import buat_keluarga
from tests.matrix.koordinasi import buat_mitra

pytestmark = pytest.mark.django_db


def test_reference_data_is_the_users_own_and_answers_304_when_unchanged(world, perangkat):
    kel = buat_keluarga(world, "pahandut")
    asing = buat_keluarga(world, "jekanraya")
    buat_mitra(world, "pahandut", nama="Puskesmas Pahandut")
    buat_mitra(world, "jekanraya", nama="Puskesmas Jekan Raya")
    hp = perangkat()
    r = hp.get("/api/v1/sinkron/referensi/")
    assert r.status_code == 200
    isi = r.json()
    desa = {d["id"] for d in isi["desa"]}
    assert world.desa["pahandut"].pk in desa and world.desa["jekanraya"].pk not in desa
    assert [k["uuid"] for k in isi["keluarga"]] == [str(kel.uuid)]
    assert isi["keluarga"][0]["no_kk"] != kel.no_kk and "****" in isi["keluarga"][0]["no_kk"]
    assert str(asing.uuid) not in r.text and kel.no_kk not in r.text
    assert [m["nama"] for m in isi["mitra"]] == ["Puskesmas Pahandut"]
    assert any(k["sensitif"] for k in isi["kategori_ppks"])
    etag = r["ETag"]
    r2 = hp.get("/api/v1/sinkron/referensi/", HTTP_IF_NONE_MATCH=etag)
    assert r2.status_code == 304 and r2["ETag"] == etag
    buat_keluarga(world, "pahandut")
    r3 = hp.get("/api/v1/sinkron/referensi/", HTTP_IF_NONE_MATCH=etag)
    assert r3.status_code == 200 and r3["ETag"] != etag
    assert hp.client.get("/api/v1/sinkron/referensi/").status_code == 401


def test_reference_data_carries_nik_hashes_with_a_per_user_salt_never_the_nik(world, perangkat):
    import hashlib

    from sinkron.api import garam_nik

    kel = buat_keluarga(world, "pahandut")
    asing = buat_keluarga(world, "jekanraya")
    nik = [a.nik for a in kel.anggota.all() if a.nik]
    assert nik
    hp = perangkat()
    r = hp.get("/api/v1/sinkron/referensi/")
    isi = r.json()
    garam = isi["garam_nik"]
    assert garam == garam_nik(world.users["tksk_pahandut"])
    assert garam != garam_nik(world.users["tksk_jekanraya"])
    sidik = isi["sidik_nik"]
    for n in nik:
        assert n not in r.text
        h = hashlib.sha256((garam + n).encode()).hexdigest()[:16]
        assert isi["keluarga"][sidik[h]]["uuid"] == str(kel.uuid)
    # Only the user's own households; a person without NIK has no hash.
    assert len(sidik) == len(nik)
    for a in asing.anggota.all():
        if a.nik:
            assert hashlib.sha256((garam + a.nik).encode()).hexdigest()[:16] not in sidik
