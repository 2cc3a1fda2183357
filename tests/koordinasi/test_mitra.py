"""Partners: who sees and who may change them, validation, the list."""

import pytest
from django.urls import reverse

from koordinasi.models import Mitra
from tests.matrix.koordinasi import buat_mitra

pytestmark = pytest.mark.django_db


def _data(world, **extra):
    data = {
        "jenis": "pemerintah",
        "nama": "UPT Puskesmas Pahandut",
        "wilayah": world.kec["pahandut"].pk,
        "narahubung": "dr. Sari",
        "telepon": "0536 322 1234",
        "layanan": "Kesehatan dasar",
        "aktif": "on",
    }
    data.update(extra)
    return data


def test_tksk_registers_a_partner_at_their_kecamatan(world, client):
    client.force_login(world.users["tksk_pahandut"])
    response = client.post(reverse("koordinasi:mitra-create"), _data(world))
    mitra = Mitra.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("koordinasi:mitra-detail", args=[mitra.uuid])
    assert mitra.wilayah == world.kec["pahandut"]
    assert mitra.dibuat_oleh == world.users["tksk_pahandut"]
    assert mitra.telepon.startswith("0536")


def test_tksk_cannot_register_a_partner_in_another_area(world, client):
    client.force_login(world.users["tksk_pahandut"])
    for area in (world.kec["jekanraya"], world.kab["palangkaraya"]):
        response = client.post(reverse("koordinasi:mitra-create"), _data(world, wilayah=area.pk))
        assert response.status_code == 200
        assert "Pilih" in response.content.decode()
    assert not Mitra.objects.exists()


def test_duplicate_name_in_one_area_is_refused_with_the_typing_kept(world, client):
    buat_mitra(world, "pahandut", nama="Karang Taruna Bina Bersama")
    client.force_login(world.users["tksk_pahandut"])
    data = _data(world, nama="karang taruna  bina bersama", layanan="Pendampingan remaja")
    response = client.post(reverse("koordinasi:mitra-create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "sudah terdaftar di wilayah yang sama" in body
    assert "Pendampingan remaja" in body
    assert Mitra.objects.count() == 1


def test_kabupaten_and_province_partners_are_seen_below_but_changed_only_above(world, client):
    kab = buat_mitra(
        world, wilayah=world.kab["palangkaraya"], pelaku=world.users["kab_palangkaraya"]
    )
    prov = buat_mitra(world, wilayah=world.provinsi, pelaku=world.users["prov"], nama="Tagana Prov")
    sendiri = buat_mitra(world, "pahandut")
    lain = buat_mitra(world, "jekanraya")
    kapuas = buat_mitra(world, wilayah=world.kab["kapuas"], pelaku=world.users["kab_kapuas"])
    client.force_login(world.users["tksk_pahandut"])
    body = client.get(reverse("koordinasi:mitra-list")).content.decode()
    for m in (kab, prov, sendiri):
        assert m.nama in body
    for m in (lain, kapuas):
        assert m.nama not in body
    assert client.get(reverse("koordinasi:mitra-detail", args=[kab.uuid])).status_code == 200
    assert client.get(reverse("koordinasi:mitra-detail", args=[lain.uuid])).status_code == 404
    # Seen, but the kabupaten's partner is not the TKSK's to change: 403, nothing written.
    url = reverse("koordinasi:mitra-update", args=[kab.uuid])
    assert client.get(url).status_code == 403
    data = _data(world, nama="Diubah TKSK", wilayah=world.kec["pahandut"].pk, versi=kab.versi)
    assert client.post(url, data).status_code == 403
    kab.refresh_from_db()
    assert kab.nama != "Diubah TKSK" and kab.wilayah == world.kab["palangkaraya"]
    # The kabupaten changes a partner of one of its kecamatan.
    client.force_login(world.users["kab_palangkaraya"])
    url = reverse("koordinasi:mitra-update", args=[sendiri.uuid])
    data = _data(world, nama="Puskesmas Pahandut Baru", versi=sendiri.versi)
    assert client.post(url, data).status_code == 302
    sendiri.refresh_from_db()
    assert sendiri.nama == "Puskesmas Pahandut Baru" and sendiri.versi == 2


def test_stale_edit_is_refused_and_the_input_kept(world, client):
    mitra = buat_mitra(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    url = reverse("koordinasi:mitra-update", args=[mitra.uuid])
    assert client.post(url, _data(world, nama="Versi pertama", versi=1)).status_code == 302
    response = client.post(url, _data(world, nama="Versi kedua", versi=1))
    body = response.content.decode()
    assert response.status_code == 200
    assert "telah diubah oleh" in body and "Versi kedua" in body
    mitra.refresh_from_db()
    assert mitra.nama == "Versi pertama"


def test_bad_phone_number_is_explained(world, client):
    client.force_login(world.users["tksk_pahandut"])
    response = client.post(reverse("koordinasi:mitra-create"), _data(world, telepon="halo"))
    assert response.status_code == 200
    assert not Mitra.objects.exists()
    assert "telepon" in response.context["form"].errors


def test_partner_list_has_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    client.force_login(world.users["tksk_pahandut"])
    for _ in range(3):
        buat_mitra(world, "pahandut")
    url = reverse("koordinasi:mitra-list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(12):
        buat_mitra(world, "pahandut")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 15
