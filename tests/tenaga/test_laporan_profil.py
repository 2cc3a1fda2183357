"""The monthly report takes the SK number from the TKSK's profile (the SK in force that month)
and, without one, the SK number and the Camat from the previous report: never typed again."""

from datetime import date

import pytest
from django.urls import reverse

from laporan.models import LaporanBulanan
from laporan.selectors import bulan_ini, geser_bulan
from tenaga.models import SKTKSK
from tests.matrix.tenaga import buat_profil

pytestmark = pytest.mark.django_db

NARASI = {
    "pendampingan_program": "Pendampingan Program Sembako di 3 desa.",
    "kejadian_khusus": "",
    "kendala": "Sinyal lemah.",
    "rencana": "Verifikasi ulang data lansia.",
    "nama_camat": "Drs. Yohanes Ape",
    "nip_camat": "197001011990031001",
}


def _sk(profil, nomor, mulai, selesai):
    return SKTKSK.objects.create(
        profil=profil, nomor=nomor, tanggal=mulai, penerbit="Dinas Sosial Provinsi",
        mulai=mulai, selesai=selesai,
    )  # fmt: skip


def _buka(client, bulan) -> LaporanBulanan:
    response = client.post(reverse("laporan:bulanan-buka"), {"bulan": f"{bulan:%Y-%m}"})
    assert response.status_code == 302
    return LaporanBulanan.objects.get(bulan=bulan)


def _halaman(client, laporan) -> str:
    return client.get(reverse("laporan:bulanan-ubah", args=[laporan.uuid])).content.decode()


def test_sk_number_comes_from_the_profile_and_cannot_be_retyped(client, world):
    bulan = geser_bulan(bulan_ini(), -1)
    profil = buat_profil(world, "pahandut")
    _sk(profil, "188.44/121/DINSOS/2025", date(2020, 1, 1), date(2020, 12, 31))
    _sk(profil, "188.44/777/DINSOS/2026", geser_bulan(bulan, -2), geser_bulan(bulan, 12))
    client.force_login(world.users["tksk_pahandut"])
    laporan = _buka(client, bulan)
    page = _halaman(client, laporan)
    assert "188.44/777/DINSOS/2026" in page and "Dari riwayat SK di profil TKSK" in page
    assert "188.44/121/DINSOS/2025" not in page
    # A typed (or forged) number is ignored: the profile's SK is what is saved.
    data = {**NARASI, "nomor_sk": "SK-KETIK-SENDIRI", "versi": laporan.versi}
    response = client.post(reverse("laporan:bulanan-ubah", args=[laporan.uuid]), data)
    assert response.status_code == 302
    laporan.refresh_from_db()
    assert laporan.nomor_sk == "188.44/777/DINSOS/2026"
    assert laporan.nama_camat == "Drs. Yohanes Ape"


def test_the_sk_in_force_that_month_is_the_one_taken(client, world):
    profil = buat_profil(world, "pahandut")
    bulan = geser_bulan(bulan_ini(), -3)
    _sk(profil, "SK/LAMA/2024", geser_bulan(bulan, -12), geser_bulan(bulan, 1).replace(day=1))
    _sk(profil, "SK/BARU/2026", geser_bulan(bulan, 2), geser_bulan(bulan, 30))
    client.force_login(world.users["tksk_pahandut"])
    laporan = _buka(client, bulan)
    page = _halaman(client, laporan)
    assert "SK/LAMA/2024" in page and "SK/BARU/2026" not in page
    laporan_baru = _buka(client, geser_bulan(bulan, 2))
    assert "SK/BARU/2026" in _halaman(client, laporan_baru)


def test_without_an_sk_the_previous_report_fills_the_form(client, world):
    buat_profil(world, "pahandut")  # a profile without any SK
    tksk = world.users["tksk_pahandut"]
    dulu = geser_bulan(bulan_ini(), -3)
    LaporanBulanan.objects.create(
        tksk=tksk, kecamatan=world.kec["pahandut"], bulan=dulu, nomor_sk="ID-TKSK-6271-017",
        nama_camat="Drs. Yohanes Ape", nip_camat="197001011990031001",
    )  # fmt: skip
    # A later report whose Camat was left empty: the older one still fills it.
    LaporanBulanan.objects.create(
        tksk=tksk, kecamatan=world.kec["pahandut"], bulan=geser_bulan(dulu, 1), nomor_sk="",
    )  # fmt: skip
    client.force_login(tksk)
    laporan = _buka(client, geser_bulan(bulan_ini(), -1))
    page = _halaman(client, laporan)
    assert 'value="ID-TKSK-6271-017"' in page
    assert 'value="Drs. Yohanes Ape"' in page and 'value="197001011990031001"' in page
    assert "Dari riwayat SK" not in page  # still editable: there is no SK to take it from
    data = {**NARASI, "nomor_sk": "ID-TKSK-6271-018", "versi": laporan.versi}
    client.post(reverse("laporan:bulanan-ubah", args=[laporan.uuid]), data)
    laporan.refresh_from_db()
    assert laporan.nomor_sk == "ID-TKSK-6271-018"


def test_another_tksks_sk_is_never_taken(client, world):
    lain = buat_profil(world, "jekanraya")
    _sk(lain, "SK/JEKAN/2026", date(2020, 1, 1), date(2040, 1, 1))
    buat_profil(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    laporan = _buka(client, geser_bulan(bulan_ini(), -1))
    assert "SK/JEKAN/2026" not in _halaman(client, laporan)
