"""History on the household page: who, when, what changed (old → new, with labels), member
changes, transitions with reason and note; NIKs stay masked in the history."""

from django.urls import reverse

from pendataan.models import Riwayat
from tests.matrix.keluarga import anggota_data, anggota_form, buat_keluarga, form_ubah, nik_baru
from tksk.models import Wilayah


def _riwayat_html(client, keluarga):
    html = client.get(reverse("pendataan:keluarga-detail", args=[keluarga.uuid])).content.decode()
    return html[html.index('data-testid="riwayat"') :]


def test_history_shows_changes_with_labels(world, client):
    tksk = world.users["tksk_pahandut"]
    tksk.first_name, tksk.last_name = "Rina", "Susanti"
    tksk.save()
    keluarga = buat_keluarga(
        world,
        "pahandut",
        anggota=[anggota_data("Budi"), anggota_data("Ani", "anak", jenis_kelamin="P")],
    )
    client.force_login(tksk)
    desa_baru = (
        Wilayah.objects.filter(induk=world.kec["pahandut"]).exclude(pk=keluarga.desa_id).first()
    )
    rows = anggota_form(keluarga)
    ani = next(r for r in rows if r["nama"] == "Ani")
    ani["hubungan"] = "cucu"
    ani["disabilitas"] = ["mental"]
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    response = client.post(url, form_ubah(keluarga, rows, alamat="Jl. Baru", desa=desa_baru.pk))
    assert response.status_code == 302

    html = _riwayat_html(client, keluarga)
    assert "Rina Susanti" in html
    assert "Dibuat" in html and "Diubah" in html
    assert "Jl. Tjilik Riwut No. 5" in html and "Jl. Baru" in html
    assert world.desa["pahandut"].nama in html and desa_baru.nama in html
    assert "anggota Ani" in html
    assert "Anak" in html and "Cucu" in html  # choice labels, not codes
    assert "Mental" in html
    # Members follow the household's desa.
    assert set(keluarga.anggota.values_list("desa", flat=True)) == {desa_baru.pk}


def test_nik_changes_are_recorded_masked(world, client):
    keluarga = buat_keluarga(world, "pahandut")
    lama = keluarga.anggota.get().nik
    # Only a middle digit differs: both masked forms look alike, the change is still recorded.
    baru = lama[:6] + "13" + lama[8:]  # another valid day, same first/last four digits
    client.force_login(world.users["tksk_pahandut"])
    rows = anggota_form(keluarga)
    rows[0]["nik"] = baru
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    assert client.post(url, form_ubah(keluarga, rows)).status_code == 302
    row = Riwayat.objects.get(keluarga_uuid=keluarga.uuid, aksi="ubah")
    assert lama not in str(row.perubahan) and baru not in str(row.perubahan)
    assert row.perubahan["nik"][0] == f"{lama[:4]}********{lama[-4:]}"
    assert row.perubahan["nik"][1].endswith("(diubah)")
    html = _riwayat_html(client, keluarga)
    assert lama not in html and "(diubah)" in html
    # Creation entries are masked too.
    created = Riwayat.objects.get(keluarga_uuid=keluarga.uuid, aksi="buat")
    assert lama not in str(created.perubahan)
    assert keluarga.no_kk not in str(Riwayat.objects.filter(objek_uuid=keluarga.uuid).values())


def test_history_shows_transitions_with_reason_and_note(world, client):
    keluarga = buat_keluarga(world, "pahandut", status="diajukan")
    client.force_login(world.users["kab_palangkaraya"])
    client.post(
        reverse("pendataan:verifikasi-aksi"),
        {
            "tipe": "keluarga",
            "aksi": "kembalikan",
            "uuid": keluarga.uuid,
            "alasan": "nik",
            "catatan": "NIK istri kurang satu digit.",
        },
    )
    html = _riwayat_html(client, keluarga)
    assert "Diajukan → <strong>Dikembalikan</strong>" in html
    assert "NIK/No KK bermasalah" in html
    assert "NIK istri kurang satu digit." in html
    assert "kab_palangkaraya" in html


def test_history_of_one_household_is_not_on_another(world, client):
    a = buat_keluarga(world, "pahandut", anggota=[anggota_data("Anggota Satu")])
    b = buat_keluarga(world, "pahandut", anggota=[anggota_data("Anggota Dua")])
    client.force_login(world.users["tksk_pahandut"])
    html = _riwayat_html(client, a)
    assert "Anggota Satu" in html and "Anggota Dua" not in html
    assert b.no_kk not in html


def test_member_added_later_is_in_the_history(world, client):
    keluarga = buat_keluarga(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    rows = anggota_form(keluarga) + [anggota_data("Bayi Baru", "anak", nik=nik_baru())]
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    assert client.post(url, form_ubah(keluarga, rows)).status_code == 302
    html = _riwayat_html(client, keluarga)
    assert "anggota Bayi Baru" in html
