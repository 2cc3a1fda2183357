"""Duplicate NIK / No KK: inside the user's area an error with a link; outside an error that
reveals nothing and a case for the supervising Dinas, who resolves it (mutasi or tolak)."""

import json

import pytest
from django.urls import reverse

from pendataan.models import Individu, KasusGanda, Keluarga, Riwayat
from tests.matrix.keluarga import anggota_data, buat_keluarga, form_data
from tksk.models import AuditLog

CREATE = reverse("pendataan:keluarga-create")
PESAN = (
    "NIK ini sudah terdaftar di wilayah lain. Kasus NIK ganda telah dibuat dan akan "
    "diselesaikan Dinas Sosial."
)


@pytest.fixture
def lama(world):
    """A household in Pahandut whose head's NIK others will type again."""
    return buat_keluarga(
        world,
        "pahandut",
        anggota=[anggota_data("Rahmat Hidayat"), anggota_data("Dewi Lestari", "istri")],
        alamat="Jl. Rahasia Pahandut 99",
    )


def _nik(keluarga, nama="Rahmat Hidayat"):
    return keluarga.anggota.get(nama=nama).nik


def _form_dengan_nik(world, kec, nik, **kw):
    anggota = [
        anggota_data("Kepala Baru"),
        anggota_data("Orang Ganda", "famili_lain", nik=nik),
    ]
    return form_data(world.desa[kec], anggota, **kw)


def test_inside_scope_error_links_to_the_record(world, client, lama):
    client.force_login(world.users["tksk_pahandut"])
    html = client.post(CREATE, _form_dengan_nik(world, "pahandut", _nik(lama))).content.decode()
    assert "NIK ini sudah terdaftar." in html
    assert f'href="{reverse("pendataan:keluarga-detail", args=[lama.uuid])}"' in html
    assert not KasusGanda.objects.exists()
    assert Keluarga.objects.count() == 1


def test_outside_scope_reveals_nothing_and_opens_one_case(world, client, lama):
    client.force_login(world.users["tksk_jekanraya"])
    data = _form_dengan_nik(world, "jekanraya", _nik(lama))
    response = client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert PESAN in html
    for secret in (
        "Rahmat Hidayat",
        "Dewi Lestari",
        "Jl. Rahasia Pahandut 99",
        lama.desa.nama,
        "Pahandut",
        lama.no_kk,
        str(lama.uuid),
    ):
        assert secret not in html, secret
    assert Keluarga.objects.count() == 1  # nothing saved
    kasus = KasusGanda.objects.get()
    assert kasus.jenis == "nik" and kasus.status == "terbuka"
    assert kasus.individu_lama == lama.anggota.get(nama="Rahmat Hidayat")
    assert kasus.pelapor == world.users["tksk_jekanraya"]
    assert kasus.desa_baru == world.desa["jekanraya"]
    assert kasus.penyelesai == world.kab["palangkaraya"]
    assert kasus.keluarga_baru is None
    assert kasus.data_baru["nama"] == "Orang Ganda"
    assert "nik" not in kasus.data_baru and _nik(lama) not in json.dumps(kasus.data_baru)
    assert AuditLog.objects.filter(aksi="kasus_ganda_buka", objek_uuid=kasus.uuid).exists()

    # Submitting again does not open a second case.
    client.post(CREATE, data)
    assert KasusGanda.objects.count() == 1


def test_save_the_rest_without_the_duplicate_member(world, client, lama):
    client.force_login(world.users["tksk_jekanraya"])
    data = _form_dengan_nik(world, "jekanraya", _nik(lama))
    html = client.post(CREATE, data).content.decode()
    assert "Simpan tanpa anggota yang NIK-nya ganda" in html
    data["lewati_ganda"] = "1"
    response = client.post(CREATE, data, follow=True)
    assert response.status_code == 200
    baru = Keluarga.objects.get(no_kk=data["no_kk"])
    assert list(baru.anggota.values_list("nama", flat=True)) == ["Kepala Baru"]
    kasus = KasusGanda.objects.get()
    assert kasus.keluarga_baru == baru
    assert "kasus NIK ganda diteruskan ke Dinas Sosial" in response.content.decode()


def test_removing_the_row_by_hand_still_links_the_case(world, client, lama):
    client.force_login(world.users["tksk_jekanraya"])
    data = _form_dengan_nik(world, "jekanraya", _nik(lama))
    html = client.post(CREATE, data).content.decode()
    kasus = KasusGanda.objects.get()
    assert f'name="kasus" value="{kasus.uuid}"' in html
    data["anggota-1-DELETE"] = "on"
    data["kasus"] = str(kasus.uuid)
    assert client.post(CREATE, data).status_code == 302
    kasus.refresh_from_db()
    assert kasus.keluarga_baru == Keluarga.objects.get(no_kk=data["no_kk"])


def test_resolver_queue_and_mutasi(world, client, lama):
    orang = lama.anggota.get(nama="Dewi Lestari")
    client.force_login(world.users["tksk_jekanraya"])
    data = _form_dengan_nik(world, "jekanraya", orang.nik)
    data["anggota-1-hubungan"] = "istri"
    data["lewati_ganda"] = "1"
    client.post(CREATE, data)
    baru = Keluarga.objects.get(no_kk=data["no_kk"])
    kasus = KasusGanda.objects.get()

    # The TKSK has no access to the queue; another kabupaten does not see the case.
    assert client.get(reverse("pendataan:kasus-list")).status_code == 403
    client.force_login(world.users["kab_kapuas"])
    assert str(kasus.uuid) not in client.get(reverse("pendataan:kasus-list")).content.decode()
    assert client.get(reverse("pendataan:kasus-detail", args=[kasus.uuid])).status_code == 404

    client.force_login(world.users["kab_palangkaraya"])
    queue = client.get(reverse("pendataan:kasus-list")).content.decode()
    assert reverse("pendataan:kasus-detail", args=[kasus.uuid]) in queue
    detail = client.get(reverse("pendataan:kasus-detail", args=[kasus.uuid])).content.decode()
    assert "Dewi Lestari" in detail and "Orang Ganda" in detail  # both sides for the resolver
    assert reverse("pendataan:keluarga-detail", args=[lama.uuid]) in detail
    assert reverse("pendataan:keluarga-detail", args=[baru.uuid]) in detail

    url = reverse("pendataan:kasus-selesaikan", args=[kasus.uuid])
    response = client.post(url, {"aksi": "mutasi", "catatan": ""})
    assert response.status_code == 400  # a note is required
    assert "Tulis catatan penyelesaian" in response.content.decode()
    response = client.post(url, {"aksi": "mutasi", "catatan": "Sudah pindah sejak 2025."})
    assert response.status_code == 302

    orang.refresh_from_db()
    assert orang.keluarga == baru and orang.desa == world.desa["jekanraya"]
    assert orang.hubungan == "istri"
    kasus.refresh_from_db()
    assert kasus.status == "mutasi" and kasus.diselesaikan_oleh == world.users["kab_palangkaraya"]
    lama.refresh_from_db()
    baru.refresh_from_db()
    assert lama.jumlah_anggota == 1 and baru.jumlah_anggota == 2
    assert Riwayat.objects.filter(objek_uuid=orang.uuid, aksi="mutasi").exists()
    assert Riwayat.objects.filter(objek_uuid=lama.uuid, aksi="mutasi").exists()
    assert Riwayat.objects.filter(objek_uuid=baru.uuid, aksi="mutasi").exists()
    assert AuditLog.objects.filter(aksi="kasus_ganda_selesai", objek_uuid=kasus.uuid).exists()

    # The reporter now sees the person in their household, with the history entry.
    client.force_login(world.users["tksk_jekanraya"])
    html = client.get(reverse("pendataan:keluarga-detail", args=[baru.uuid])).content.decode()
    assert "Dewi Lestari" in html and "Mutasi" in html
    assert "Jl. Rahasia Pahandut 99" not in html
    # ... and the old TKSK no longer does.
    client.force_login(world.users["tksk_pahandut"])
    html = client.get(reverse("pendataan:keluarga-detail", args=[lama.uuid])).content.decode()
    assert orang.nik not in html

    # A resolved case cannot be resolved again.
    client.force_login(world.users["kab_palangkaraya"])
    response = client.post(url, {"aksi": "tolak", "catatan": "lagi"})
    assert response.status_code == 302
    kasus.refresh_from_db()
    assert kasus.status == "mutasi"


def test_tolak_leaves_everything_in_place(world, client, lama):
    orang = lama.anggota.get(nama="Rahmat Hidayat")
    client.force_login(world.users["tksk_jekanraya"])
    client.post(CREATE, _form_dengan_nik(world, "jekanraya", orang.nik))
    kasus = KasusGanda.objects.get()
    client.force_login(world.users["kab_palangkaraya"])
    detail = client.get(reverse("pendataan:kasus-detail", args=[kasus.uuid])).content.decode()
    assert "keluarga pelapor belum disimpan" in detail  # mutasi is not possible yet
    response = client.post(
        reverse("pendataan:kasus-selesaikan", args=[kasus.uuid]),
        {"aksi": "tolak", "catatan": "Salah ketik NIK oleh pelapor."},
    )
    assert response.status_code == 302
    kasus.refresh_from_db()
    orang.refresh_from_db()
    assert kasus.status == "ditolak" and kasus.catatan == "Salah ketik NIK oleh pelapor."
    assert orang.keluarga == lama


def test_across_kabupaten_the_province_resolves(world, client, lama):
    client.force_login(world.users["tksk_selat"])
    client.post(CREATE, _form_dengan_nik(world, "selat", _nik(lama)))
    kasus = KasusGanda.objects.get()
    assert kasus.penyelesai == world.provinsi
    for user in ("kab_palangkaraya", "kab_kapuas"):
        client.force_login(world.users[user])
        assert client.get(reverse("pendataan:kasus-detail", args=[kasus.uuid])).status_code == 404
    client.force_login(world.users["prov"])
    assert client.get(reverse("pendataan:kasus-detail", args=[kasus.uuid])).status_code == 200


def test_no_kk_outside_scope_cannot_be_saved_and_mutasi_moves_the_household(world, client, lama):
    client.force_login(world.users["tksk_jekanraya"])
    data = form_data(world.desa["jekanraya"], [anggota_data("Kepala KK Ganda")], no_kk=lama.no_kk)
    html = client.post(CREATE, data).content.decode()
    assert "No KK ini sudah terdaftar di wilayah lain." in html
    assert "Rahmat Hidayat" not in html and "Jl. Rahasia Pahandut 99" not in html
    assert Keluarga.objects.count() == 1
    client.post(CREATE, data)
    kasus = KasusGanda.objects.get()
    assert kasus.jenis == "no_kk" and kasus.keluarga_lama == lama
    assert kasus.data_baru["anggota"][0]["nama"] == "Kepala KK Ganda"
    assert kasus.data_baru["no_kk"] == f"{lama.no_kk[:4]}********{lama.no_kk[-4:]}"

    client.force_login(world.users["kab_palangkaraya"])
    response = client.post(
        reverse("pendataan:kasus-selesaikan", args=[kasus.uuid]),
        {"aksi": "mutasi", "catatan": "Keluarga pindah ke Jekan Raya."},
    )
    assert response.status_code == 302
    lama.refresh_from_db()
    assert lama.desa == world.desa["jekanraya"]
    assert set(Individu.objects.filter(keluarga=lama).values_list("desa", flat=True)) == {
        world.desa["jekanraya"].pk
    }
    assert Riwayat.objects.filter(objek_uuid=lama.uuid, aksi="mutasi").exists()
    # Now the reporter's household, out of the old TKSK's sight.
    client.force_login(world.users["tksk_jekanraya"])
    assert client.get(reverse("pendataan:keluarga-detail", args=[lama.uuid])).status_code == 200
    client.force_login(world.users["tksk_pahandut"])
    assert client.get(reverse("pendataan:keluarga-detail", args=[lama.uuid])).status_code == 404
