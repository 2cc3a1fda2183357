"""Creates with the client's uuid: a repeat returns the stored row; another area's uuid is
refused as if missing."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from koordinasi.models import Kegiatan, Rujukan
from koordinasi.services import kegiatan_simpan, rujukan_kirim
from pendataan.models import PPKS, PSKS, Individu, Keluarga
from pendataan.services import individu_tambah, keluarga_simpan
from pendataan.services_ppks import ppks_simpan, psks_simpan
from tests.matrix.keluarga import anggota_data, buat_keluarga, no_kk_baru
from tests.matrix.koordinasi import buat_mitra
from tksk.models import KategoriPPKS, KategoriPSKS

pytestmark = pytest.mark.django_db


def _keluarga(world, kec, u, anggota_uuid=None):
    item = anggota_data()
    if anggota_uuid:
        item["uuid_baru"] = str(anggota_uuid)
    return keluarga_simpan(
        pelaku=world.users[f"tksk_{kec}"],
        data={"no_kk": no_kk_baru(), "desa": world.desa[kec], "alamat": "Jl. Uji 1"},
        anggota=[item],
        uuid=u,
    )


def test_household_and_member_keep_the_client_uuids_and_a_repeat_makes_nothing(world):
    u, a = uuid.uuid4(), uuid.uuid4()
    pertama = _keluarga(world, "pahandut", u, a)
    assert pertama.keluarga.uuid == u
    assert Individu.objects.get(keluarga=pertama.keluarga).uuid == a
    kedua = _keluarga(world, "pahandut", u, uuid.uuid4())
    assert kedua.keluarga.pk == pertama.keluarga.pk
    assert Keluarga.objects.filter(uuid=u).count() == 1
    assert Individu.objects.filter(keluarga=pertama.keluarga).count() == 1


def test_another_areas_uuid_is_refused_without_a_trace(world):
    u = uuid.uuid4()
    _keluarga(world, "pahandut", u)
    with pytest.raises(PermissionDenied) as info:
        _keluarga(world, "jekanraya", u)
    assert "tidak ditemukan" in str(info.value)
    assert Keluarga.objects.filter(uuid=u).get().desa == world.desa["pahandut"]


def test_member_added_with_its_uuid_once(world):
    kel = buat_keluarga(world, "pahandut")
    u = uuid.uuid4()
    data = anggota_data(nama="Anak Baru", hubungan="anak")
    pertama = individu_tambah(pelaku=world.users["tksk_pahandut"], keluarga=kel, data=data, uuid=u)
    kedua = individu_tambah(pelaku=world.users["tksk_pahandut"], keluarga=kel, data=data, uuid=u)
    assert pertama.uuid == u and kedua.pk == pertama.pk
    assert kel.anggota.count() == 2


def test_ppks_psks_kegiatan_rujukan_take_the_client_uuid_once(world):
    tksk = world.users["tksk_pahandut"]
    kel = buat_keluarga(world, "pahandut")
    ind = kel.anggota.get()
    data = {
        "kategori": KategoriPPKS.objects.get(singkatan="FM").pk,
        "subjek": "individu",
        "individu": str(ind.uuid),
        "tanggal_identifikasi": "2026-01-15",
    }
    u = uuid.uuid4()
    p1, _ = ppks_simpan(pelaku=tksk, data=data, uuid=u)
    p2, _ = ppks_simpan(pelaku=tksk, data=data, uuid=u)
    assert p1.uuid == u and p2.pk == p1.pk and PPKS.objects.filter(individu=ind).count() == 1

    psks = {
        "kategori": KategoriPSKS.objects.get(singkatan="KT").pk,
        "jenis": "lembaga",
        "nama": "Karang Taruna Uji",
        "desa": world.desa["pahandut"].pk,
    }
    u = uuid.uuid4()
    s1, _ = psks_simpan(pelaku=tksk, data=psks, uuid=u)
    s2, _ = psks_simpan(pelaku=tksk, data=psks, uuid=u)
    assert s1.uuid == u and s2.pk == s1.pk and PSKS.objects.filter(uuid=u).count() == 1
    with pytest.raises(PermissionDenied):
        psks_simpan(pelaku=world.users["tksk_selat"], data=psks, uuid=u)

    keg = {
        "jenis": "rapat_koordinasi",
        "tanggal": "2026-01-20",
        "desa": world.desa["pahandut"].pk,
        "tempat": "Balai",
        "topik": "Rapat uji",
    }
    u = uuid.uuid4()
    k1 = kegiatan_simpan(pelaku=tksk, data=keg, uuid=u)
    k2 = kegiatan_simpan(pelaku=tksk, data=keg, uuid=u)
    assert k1.uuid == u and k2.pk == k1.pk and Kegiatan.objects.filter(uuid=u).count() == 1

    mitra = buat_mitra(world, "pahandut")
    from datetime import date

    isi = {
        "alasan": "Perlu layanan",
        "layanan": "Kesehatan",
        "tanggal_kirim": date.today(),
        "penandatangan_nama": "Budi",
        "penandatangan_jabatan": "TKSK",
    }
    u = uuid.uuid4()
    r1 = rujukan_kirim(pelaku=tksk, ppks=p1, mitra=mitra, data=isi, uuid=u)
    r2 = rujukan_kirim(pelaku=tksk, ppks=p1, mitra=mitra, data=isi, uuid=u)
    assert r1.uuid == u and r2.pk == r1.pk and Rujukan.objects.filter(ppks=p1).count() == 1
