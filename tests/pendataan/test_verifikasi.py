"""Verification: the TKSK submits, the kabupaten verifies or returns (alone or in a batch, for
households, PPKS and PSKS alike), returned records wait on the TKSK's home page, every transition
is in the history."""

from datetime import date

import pytest
from django.urls import reverse

from pendataan.models import PPKS, PSKS, Keluarga, Riwayat
from tests.matrix.keluarga import buat_keluarga, form_ubah
from tksk.models import KategoriPPKS, KategoriPSKS

AKSI = reverse("pendataan:verifikasi-aksi")
INBOX = reverse("pendataan:verifikasi-list")


def _ppks(world, kec, status="diajukan"):
    keluarga = buat_keluarga(world, kec)
    return PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="LUT"),
        subjek="individu",
        individu=keluarga.anggota.get(),
        desa=keluarga.desa,
        tanggal_identifikasi=date(2026, 11, 1),
        status=status,
        dibuat_oleh=world.users[f"tksk_{kec}"],
    )


def _psks(world, kec, status="diajukan", nama="LKSA Harapan Kasih"):
    return PSKS.objects.create(
        kategori=KategoriPSKS.objects.order_by("nomor").first(),
        nama=nama,
        jenis="lembaga",
        desa=world.desa[kec],
        status=status,
        dibuat_oleh=world.users[f"tksk_{kec}"],
    )


def test_full_verification_flow(world, client):
    tksk, kab = world.users["tksk_pahandut"], world.users["kab_palangkaraya"]
    keluarga = buat_keluarga(world, "pahandut")
    detail = reverse("pendataan:keluarga-detail", args=[keluarga.uuid])

    # The TKSK submits from the household page.
    client.force_login(tksk)
    assert "Ajukan verifikasi" in client.get(detail).content.decode()
    response = client.post(
        AKSI, {"tipe": "keluarga", "aksi": "ajukan", "uuid": keluarga.uuid, "next": detail}
    )
    assert response.status_code == 302 and response["Location"] == detail
    keluarga.refresh_from_db()
    assert keluarga.status == "diajukan"

    # The kabupaten sees it in the inbox and returns it with a reason and a note.
    client.force_login(kab)
    inbox = client.get(INBOX).content.decode()
    assert keluarga.nama_kepala in inbox and str(keluarga.uuid) in inbox
    page = client.get(detail).content.decode()
    assert 'value="verifikasi"' in page and 'value="kembalikan"' in page
    assert "Ubah data" not in page
    response = client.post(
        AKSI,
        {
            "tipe": "keluarga",
            "aksi": "kembalikan",
            "uuid": keluarga.uuid,
            "alasan": "tidak_sesuai",
            "catatan": "Tanggal lahir kepala keluarga beda dengan KK.",
        },
    )
    assert response.status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.status == "dikembalikan"
    assert keluarga.alasan_kembali == "tidak_sesuai"
    assert keluarga.diverifikasi_oleh == kab

    # The TKSK finds it on the home page, with the reason.
    client.force_login(tksk)
    home = client.get(reverse("home")).content.decode()
    assert "Data dikembalikan untuk diperbaiki" in home
    assert "Tanggal lahir kepala keluarga beda dengan KK." in home
    assert detail in home
    page = client.get(detail).content.decode()
    assert "Data tidak sesuai dokumen (KK/KTP)" in page
    index = client.get(reverse("pendataan:index")).content.decode()
    assert 'data-testid="jumlah-dikembalikan"' in index

    # Edits and resubmits in one step.
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    response = client.post(url, form_ubah(keluarga, alamat="Jl. Diperbaiki 1", ajukan="1"))
    assert response.status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.status == "diajukan" and keluarga.alamat == "Jl. Diperbaiki 1"
    assert "Data dikembalikan untuk diperbaiki" not in client.get(reverse("home")).content.decode()

    # The kabupaten verifies.
    client.force_login(kab)
    response = client.post(
        AKSI, {"tipe": "keluarga", "aksi": "verifikasi", "uuid": keluarga.uuid, "catatan": "OK"}
    )
    assert response.status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.status == "terverifikasi"

    transisi = list(
        Riwayat.objects.filter(objek_uuid=keluarga.uuid, aksi="transisi").order_by("id")
    )
    assert [(r.status_dari, r.status_ke) for r in transisi] == [
        ("draf", "diajukan"),
        ("diajukan", "dikembalikan"),
        ("dikembalikan", "diajukan"),
        ("diajukan", "terverifikasi"),
    ]
    assert transisi[1].pelaku == kab and transisi[1].alasan == "tidak_sesuai"
    assert transisi[1].catatan == "Tanggal lahir kepala keluarga beda dengan KK."
    assert transisi[2].pelaku == tksk
    # ... and the history on the page shows them.
    page = client.get(detail).content.decode()
    assert page.count("Status verifikasi") >= 4
    assert "Tanggal lahir kepala keluarga beda dengan KK." in page


def test_tksk_cannot_verify(world, client):
    keluarga = buat_keluarga(world, "pahandut", status="diajukan")
    client.force_login(world.users["tksk_pahandut"])
    response = client.post(AKSI, {"tipe": "keluarga", "aksi": "verifikasi", "uuid": keluarga.uuid})
    assert response.status_code == 403
    assert client.get(INBOX).status_code == 403
    keluarga.refresh_from_db()
    assert keluarga.status == "diajukan"


def test_province_cannot_verify(world, client):
    keluarga = buat_keluarga(world, "pahandut", status="diajukan")
    client.force_login(world.users["prov"])
    response = client.post(AKSI, {"tipe": "keluarga", "aksi": "verifikasi", "uuid": keluarga.uuid})
    assert response.status_code == 403


def test_other_kabupaten_gets_404(world, client):
    keluarga = buat_keluarga(world, "pahandut", status="diajukan")
    client.force_login(world.users["kab_kapuas"])
    response = client.post(AKSI, {"tipe": "keluarga", "aksi": "verifikasi", "uuid": keluarga.uuid})
    assert response.status_code == 404
    assert keluarga.nama_kepala not in client.get(INBOX).content.decode()
    keluarga.refresh_from_db()
    assert keluarga.status == "diajukan"


def test_batch_with_one_foreign_uuid_is_404_and_writes_nothing(world, client):
    own = [buat_keluarga(world, "pahandut", status="diajukan") for _ in range(2)]
    foreign = buat_keluarga(world, "selat", status="diajukan")
    client.force_login(world.users["kab_palangkaraya"])
    uuids = [k.uuid for k in own] + [foreign.uuid]
    response = client.post(AKSI, {"tipe": "keluarga", "aksi": "verifikasi", "uuid": uuids})
    assert response.status_code == 404
    assert set(Keluarga.objects.values_list("status", flat=True)) == {"diajukan"}
    assert not Riwayat.objects.filter(aksi="transisi").exists()


def test_batch_verify_and_return(world, client):
    batch = [buat_keluarga(world, "pahandut", status="diajukan") for _ in range(3)]
    jekan = buat_keluarga(world, "jekanraya", status="diajukan")
    draf = buat_keluarga(world, "pahandut")
    client.force_login(world.users["kab_palangkaraya"])
    response = client.post(
        AKSI,
        {"tipe": "keluarga", "aksi": "verifikasi", "uuid": [k.uuid for k in batch] + [draf.uuid]},
        follow=True,
    )
    html = response.content.decode()
    assert "3 data diverifikasi." in html
    assert "1 data dilewati" in html
    assert all(Keluarga.objects.get(pk=k.pk).status == "terverifikasi" for k in batch)
    assert Keluarga.objects.get(pk=draf.pk).status == "draf"
    # Returning needs a reason: without one nothing happens.
    response = client.post(AKSI, {"tipe": "keluarga", "aksi": "kembalikan", "uuid": jekan.uuid})
    assert response.status_code == 302
    assert Keluarga.objects.get(pk=jekan.pk).status == "diajukan"
    client.post(
        AKSI,
        {"tipe": "keluarga", "aksi": "kembalikan", "uuid": jekan.uuid, "alasan": "ganda"},
    )
    assert Keluarga.objects.get(pk=jekan.pk).status == "dikembalikan"


def test_bad_type_or_uuid_is_404(world, client):
    keluarga = buat_keluarga(world, "pahandut", status="diajukan")
    client.force_login(world.users["kab_palangkaraya"])
    assert (
        client.post(AKSI, {"tipe": "x", "aksi": "verifikasi", "uuid": keluarga.uuid}).status_code
        == 404
    )
    assert (
        client.post(AKSI, {"tipe": "keluarga", "aksi": "verifikasi", "uuid": "1"}).status_code
        == 404
    )
    assert (
        client.post(AKSI, {"tipe": "ppks", "aksi": "verifikasi", "uuid": keluarga.uuid}).status_code
        == 404
    )
    assert client.get(AKSI).status_code == 405


def test_inbox_lists_ppks_and_psks_and_verifies_them(world, client):
    ppks = _ppks(world, "pahandut")
    psks = _psks(world, "jekanraya")
    _psks(world, "selat", nama="LKS Kapuas")
    client.force_login(world.users["kab_palangkaraya"])
    html = client.get(INBOX + "?tipe=ppks").content.decode()
    assert "LUT" in html and str(ppks.uuid) in html
    html = client.get(INBOX + "?tipe=psks").content.decode()
    assert "LKSA Harapan Kasih" in html and "LKS Kapuas" not in html
    response = client.post(AKSI, {"tipe": "ppks", "aksi": "verifikasi", "uuid": ppks.uuid})
    assert response.status_code == 302
    ppks.refresh_from_db()
    assert ppks.status == "terverifikasi"
    client.post(
        AKSI,
        {"tipe": "psks", "aksi": "kembalikan", "uuid": psks.uuid, "alasan": "tidak_lengkap"},
    )
    psks.refresh_from_db()
    assert psks.status == "dikembalikan"
    assert Riwayat.objects.filter(objek_uuid=psks.uuid, status_ke="dikembalikan").exists()

    # The returned PSKS waits on the home page of its TKSK, not of another.
    client.force_login(world.users["tksk_jekanraya"])
    home = client.get(reverse("home")).content.decode()
    assert "Data dikembalikan untuk diperbaiki" in home and "LKSA Harapan Kasih" in home
    client.force_login(world.users["tksk_pahandut"])
    assert "LKSA Harapan Kasih" not in client.get(reverse("home")).content.decode()


def test_kabupaten_home_shows_backlog(world, client):
    buat_keluarga(world, "pahandut", status="diajukan")
    client.force_login(world.users["kab_palangkaraya"])
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-verifikasi"' in home and INBOX in home


@pytest.mark.parametrize("user", ["unassigned", "prov"])
def test_panel_is_quiet_without_returned_records(world, client, user):
    client.force_login(world.users[user])
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Data dikembalikan" not in home.content.decode()


def test_status_change_makes_an_open_edit_form_stale(world, client):
    keluarga = buat_keluarga(world, "pahandut", status="diajukan")
    stale = form_ubah(keluarga, alamat="Diubah saat diverifikasi")
    client.force_login(world.users["kab_palangkaraya"])
    client.post(AKSI, {"tipe": "keluarga", "aksi": "verifikasi", "uuid": keluarga.uuid})
    client.force_login(world.users["tksk_pahandut"])
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    keluarga.refresh_from_db()
    assert keluarga.status == "terverifikasi"
