"""Activities with partners, named participants and follow-ups; overdue follow-ups on the home
page; the month agenda."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koordinasi.models import Kegiatan, TindakLanjut
from tests.matrix.koordinasi import buat_kegiatan, buat_mitra, buat_tindak_lanjut
from tests.matrix.ppks import buat_keluarga

pytestmark = pytest.mark.django_db


def _data(world, mitra=(), **extra):
    data = {
        "jenis": "penyuluhan_sosial",
        "tanggal": str(timezone.localdate()),
        "jam_mulai": "09:00",
        "jam_selesai": "11:30",
        "desa": world.desa["pahandut"].pk,
        "tempat": "Balai Kelurahan",
        "topik": "Penyuluhan bahaya NAPZA bagi remaja",
        "mitra": [m.pk for m in mitra],
        "peserta_laki": "12",
        "peserta_perempuan": "15",
        "notulen": "Peserta antusias.",
    }
    data.update(extra)
    return data


def test_tksk_records_an_activity_with_two_partners(world, client):
    sendiri = buat_mitra(world, "pahandut")
    kab = buat_mitra(
        world, wilayah=world.kab["palangkaraya"], pelaku=world.users["kab_palangkaraya"]
    )
    client.force_login(world.users["tksk_pahandut"])
    response = client.post(reverse("koordinasi:kegiatan-create"), _data(world, [sendiri, kab]))
    kegiatan = Kegiatan.objects.get()
    assert response.status_code == 302
    assert set(kegiatan.mitra.all()) == {sendiri, kab}
    assert kegiatan.jumlah_peserta == 27 and kegiatan.desa == world.desa["pahandut"]
    body = client.get(response["Location"]).content.decode()
    assert sendiri.nama in body and kab.nama in body and "12 laki-laki" in body


def test_partner_or_desa_of_another_area_is_refused_and_nothing_saved(world, client):
    asing = buat_mitra(world, "jekanraya")
    client.force_login(world.users["tksk_pahandut"])
    response = client.post(reverse("koordinasi:kegiatan-create"), _data(world, [asing]))
    assert response.status_code == 200 and "mitra" in response.context["form"].errors
    response = client.post(
        reverse("koordinasi:kegiatan-create"), _data(world, desa=world.desa["jekanraya"].pk)
    )
    assert response.status_code == 200 and "desa" in response.context["form"].errors
    assert not Kegiatan.objects.exists()


def test_end_before_start_is_explained_and_the_typing_kept(world, client):
    client.force_login(world.users["tksk_pahandut"])
    data = _data(world, jam_mulai="14:00", jam_selesai="10:00", topik="Topik yang diketik")
    response = client.post(reverse("koordinasi:kegiatan-create"), data)
    body = response.content.decode()
    assert "Jam selesai harus setelah jam mulai." in body and "Topik yang diketik" in body
    assert not Kegiatan.objects.exists()


def test_stale_activity_edit_is_refused(world, client):
    kegiatan = buat_kegiatan(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    url = reverse("koordinasi:kegiatan-update", args=[kegiatan.uuid])
    assert client.post(url, _data(world, topik="Pertama", versi=1)).status_code == 302
    response = client.post(url, _data(world, topik="Kedua", versi=1))
    assert "telah diubah oleh" in response.content.decode()
    kegiatan.refresh_from_db()
    assert kegiatan.topik == "Pertama"


def test_follow_up_is_added_and_updated_through_its_activity(world, client):
    kegiatan = buat_kegiatan(world, "pahandut")
    mitra = buat_mitra(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    url = reverse("koordinasi:tindaklanjut-create", args=[kegiatan.uuid])
    batas = timezone.localdate() + timedelta(days=5)
    response = client.post(
        url, {"tl-uraian": "Usulkan PBI-JK", "tl-mitra": mitra.pk, "tl-batas_waktu": str(batas)}
    )
    assert response.status_code == 302
    tl = TindakLanjut.objects.get()
    assert tl.kegiatan == kegiatan and tl.mitra == mitra and tl.status == "belum"
    ubah = reverse("koordinasi:tindaklanjut-update", args=[kegiatan.uuid, tl.uuid])
    data = {
        "uraian": tl.uraian,
        "mitra": "",
        "batas_waktu": str(batas),
        "status": "selesai",
        "catatan": "Sudah diusulkan",
        "versi": tl.versi,
    }
    assert client.post(ubah, data).status_code == 302
    tl.refresh_from_db()
    assert tl.status == "selesai" and tl.mitra is None and tl.selesai_pada is not None
    assert tl.penanggung_jawab == "TKSK"


def test_follow_up_of_another_area_through_ones_own_activity_is_refused(world, client):
    sendiri = buat_kegiatan(world, "pahandut")
    asing = buat_tindak_lanjut(world, "jekanraya", uraian="Milik Jekan Raya")
    client.force_login(world.users["tksk_pahandut"])
    url = reverse("koordinasi:tindaklanjut-update", args=[sendiri.uuid, asing.uuid])
    assert client.get(url).status_code == 404
    data = {"uraian": "Dibajak", "batas_waktu": "2026-01-01", "status": "batal", "versi": 1}
    assert client.post(url, data).status_code == 404
    asing.refresh_from_db()
    assert asing.uraian == "Milik Jekan Raya" and asing.status == "belum"
    # Own area, but another activity's follow-up: refused as well.
    lain = buat_tindak_lanjut(world, "pahandut")
    url = reverse("koordinasi:tindaklanjut-update", args=[sendiri.uuid, lain.uuid])
    assert client.post(url, data).status_code == 404
    lain.refresh_from_db()
    assert lain.status == "belum"


def test_overdue_follow_ups_are_highlighted_on_the_home_page(world, client):
    lewat = buat_tindak_lanjut(
        world, "pahandut", uraian="Antar berkas ke Dukcapil", batas_waktu=date(2025, 1, 10)
    )
    buat_tindak_lanjut(world, "pahandut", uraian="Belum waktunya", batas_waktu=date(2099, 1, 1))
    buat_tindak_lanjut(world, "jekanraya", uraian="Milik tetangga", batas_waktu=date(2025, 1, 1))
    client.force_login(world.users["tksk_pahandut"])
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-tindak-lanjut-terlambat"' in body
    assert lewat.uraian in body
    assert "Belum waktunya" not in body and "Milik tetangga" not in body
    # Done follow-ups are no longer overdue.
    TindakLanjut.objects.filter(pk=lewat.pk).update(status="selesai")
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-tindak-lanjut-terlambat"' not in body


def test_named_participants_from_ones_own_area_only(world, client):
    kegiatan = buat_kegiatan(world, "pahandut")
    _, warga = buat_keluarga(world, "pahandut", nama="Maria Ulfah")
    _, asing = buat_keluarga(world, "jekanraya", nama="Maria Tetangga")
    client.force_login(world.users["tksk_pahandut"])
    cari = reverse("koordinasi:kegiatan-peserta-cari", args=[kegiatan.uuid])
    body = client.get(cari, {"q": "Maria"}).content.decode()
    assert "Maria Ulfah" in body and "Maria Tetangga" not in body
    url = reverse("koordinasi:kegiatan-peserta", args=[kegiatan.uuid])
    data = {"tipe": "individu", "aksi": "tambah", "uuid": str(warga.uuid)}
    assert client.post(url, data).status_code == 302
    assert list(kegiatan.peserta_individu.all()) == [warga]
    assert client.post(url, {**data, "uuid": str(asing.uuid)}).status_code == 404
    assert list(kegiatan.peserta_individu.all()) == [warga]
    # Numbers are not searched (a NIK would travel in the URL).
    response = client.get(cari, {"q": "6271011234567890"})
    assert "bukan nomor" in response.content.decode()


def test_agenda_shows_the_month_on_a_phone_sized_page(world, client):
    hari = timezone.localdate().replace(day=15)
    buat_kegiatan(world, "pahandut", tanggal=hari, topik="Bimbingan sosial lansia")
    buat_tindak_lanjut(world, "pahandut", uraian="Laporan ke camat", batas_waktu=hari)
    buat_kegiatan(world, "jekanraya", tanggal=hari, topik="Kegiatan tetangga")
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(reverse("koordinasi:agenda"), {"bulan": hari.strftime("%Y-%m")})
    body = response.content.decode()
    assert "Bimbingan sosial lansia" in body and "Laporan ke camat" in body
    assert "Kegiatan tetangga" not in body
    assert f'id="hari-{hari:%Y-%m-%d}"' in body
    # Nonsense month: the current one, not an error.
    assert client.get(reverse("koordinasi:agenda"), {"bulan": "x-99"}).status_code == 200


def test_activity_list_has_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    client.force_login(world.users["tksk_pahandut"])
    mitra = buat_mitra(world, "pahandut")
    buat_kegiatan(world, "pahandut", mitra=[mitra])
    url = reverse("koordinasi:kegiatan-list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(8):
        k = buat_kegiatan(world, "pahandut", mitra=[mitra])
        buat_tindak_lanjut(world, "pahandut", kegiatan=k)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 9
