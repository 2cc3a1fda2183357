"""Household entry through the form: one form for the household and its members, all or nothing,
errors next to the fields with the typing kept, head-of-household rule, NIK checks and warnings,
edits with optimistic concurrency."""

from datetime import date

import pytest
from django.urls import reverse

from pendataan.models import Individu, Keluarga, Riwayat
from tests.matrix.keluarga import (
    anggota_data,
    anggota_form,
    buat_keluarga,
    form_data,
    form_ubah,
    nik_baru,
    no_kk_baru,
)
from tksk.models import AuditLog

CREATE = reverse("pendataan:keluarga-create")


def tiga_anggota():
    return [
        anggota_data("Budi Santoso", "kepala_keluarga", pekerjaan="Petani"),
        anggota_data(
            "Siti Aminah",
            "istri",
            jenis_kelamin="P",
            tanggal_lahir=date(1988, 7, 3),
            disabilitas=["fisik", "sensorik"],
            nama_ibu="Fatimah",
        ),
        {
            "nik": "",
            "alasan_tanpa_nik": "bayi",
            "nama": "Rafi",
            "jenis_kelamin": "L",
            "tanggal_lahir": date(2025, 12, 1),
            "hubungan": "anak",
        },
    ]


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


def test_create_household_with_three_members(world, tksk):
    anggota = tiga_anggota()
    data = form_data(world.desa["pahandut"], anggota, latitude="-2.209812", longitude="113.913744")
    response = tksk.post(CREATE, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    keluarga = Keluarga.objects.get(no_kk=data["no_kk"])
    assert response["Location"] == reverse("pendataan:keluarga-detail", args=[keluarga.uuid])
    assert keluarga.nama_kepala == "Budi Santoso"
    assert keluarga.jumlah_anggota == 3
    assert keluarga.status == "draf"
    assert keluarga.dibuat_oleh == world.users["tksk_pahandut"]
    assert str(keluarga.latitude) == "-2.209812"
    members = {a.nama: a for a in keluarga.anggota.all()}
    assert set(members) == {"Budi Santoso", "Siti Aminah", "Rafi"}
    assert members["Siti Aminah"].disabilitas == ["fisik", "sensorik"]
    assert members["Rafi"].nik is None and members["Rafi"].alasan_tanpa_nik == "bayi"
    assert all(m.desa_id == world.desa["pahandut"].pk for m in members.values())
    # History: the household and each member "buat".
    assert Riwayat.objects.filter(objek_uuid=keluarga.uuid, aksi="buat").count() == 1
    assert Riwayat.objects.filter(keluarga_uuid=keluarga.uuid, aksi="buat").count() == 3

    page = tksk.get(response["Location"]).content.decode()
    assert "Perlu rujukan Dukcapil" in page
    assert anggota[0]["nik"] in page  # full NIK on the record's page


def test_form_page_renders_member_template_and_geolocation_button(world, tksk):
    html = tksk.get(CREATE).content.decode()
    assert '<template id="anggota-kosong">' in html
    assert "anggota-__prefix__-nik" in html
    assert "data-ambil-lokasi" in html and "js/keluarga.js" in html
    assert 'name="anggota-TOTAL_FORMS"' in html
    assert "onclick" not in html and "<script>" not in html


def test_errors_keep_input_and_nothing_is_half_saved(world, tksk):
    anggota = tiga_anggota()
    anggota[1]["nik"] = "62710112A4850001"  # a letter: member error
    data = form_data(world.desa["pahandut"], anggota, alamat="Jl. Kenanga Gang Mawar 7")
    before = (Keluarga.objects.count(), Individu.objects.count())
    response = tksk.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "hanya boleh berisi angka" in html
    # Everything typed is still there.
    assert "Jl. Kenanga Gang Mawar 7" in html
    assert 'value="Siti Aminah"' in html and 'value="Rafi"' in html
    assert data["no_kk"] in html
    assert (Keluarga.objects.count(), Individu.objects.count()) == before


def test_service_error_on_a_member_rolls_back_the_household(world, tksk):
    """A rule only the service knows (a NIK already in the database) refuses the whole save."""
    lama = buat_keluarga(world, "pahandut")
    nik_lama = lama.anggota.get().nik
    anggota = tiga_anggota()
    anggota[2] = anggota_data("Rafi", "anak", nik=nik_lama)
    data = form_data(world.desa["pahandut"], anggota)
    before = (Keluarga.objects.count(), Individu.objects.count())
    response = tksk.post(CREATE, data)
    assert response.status_code == 200
    assert (Keluarga.objects.count(), Individu.objects.count()) == before
    assert not Keluarga.objects.filter(no_kk=data["no_kk"]).exists()


def test_exactly_one_living_head(world, tksk):
    tanpa_kepala = [anggota_data("A", "istri", jenis_kelamin="P"), anggota_data("B", "anak")]
    response = tksk.post(CREATE, form_data(world.desa["pahandut"], tanpa_kepala))
    assert response.status_code == 200
    assert (
        "tepat satu anggota yang masih hidup sebagai Kepala Keluarga" in response.content.decode()
    )

    dua = [anggota_data("A", "kepala_keluarga"), anggota_data("B", "kepala_keluarga")]
    response = tksk.post(CREATE, form_data(world.desa["pahandut"], dua))
    assert response.status_code == 200
    html = response.content.decode()
    assert "hanya boleh memiliki satu Kepala Keluarga" in html
    assert "Sudah ada Kepala Keluarga lain" in html

    meninggal = [
        anggota_data("A", "kepala_keluarga", status_hidup="meninggal"),
        anggota_data("B", "istri", jenis_kelamin="P"),
    ]
    response = tksk.post(CREATE, form_data(world.desa["pahandut"], meninggal))
    assert response.status_code == 200
    assert Keluarga.objects.count() == 0


def test_same_nik_twice_in_one_form(world, tksk):
    anggota = tiga_anggota()
    anggota[1]["nik"] = anggota[0]["nik"]
    response = tksk.post(CREATE, form_data(world.desa["pahandut"], anggota))
    assert response.status_code == 200
    assert "sama dengan NIK anggota lain" in response.content.decode()
    assert Keluarga.objects.count() == 0


def test_person_without_nik_needs_a_reason(world, tksk):
    anggota = [anggota_data(nik="")]
    response = tksk.post(CREATE, form_data(world.desa["pahandut"], anggota))
    assert response.status_code == 200
    assert "pilih alasan orang ini belum memiliki NIK" in response.content.decode()
    assert Keluarga.objects.count() == 0


def test_household_without_no_kk_needs_a_reason(world, tksk):
    data = form_data(world.desa["pahandut"], [anggota_data()], no_kk="")
    response = tksk.post(CREATE, data)
    assert "alasan keluarga ini tidak memiliki KK" in response.content.decode()
    data["alasan_tanpa_kk"] = "KK hilang saat banjir"
    response = tksk.post(CREATE, data)
    assert response.status_code == 302
    assert Keluarga.objects.get().alasan_tanpa_kk == "KK hilang saat banjir"


def test_invalid_no_kk_is_refused_with_a_clear_message(world, tksk):
    data = form_data(world.desa["pahandut"], [anggota_data()], no_kk="6271011501")
    html = tksk.post(CREATE, data).content.decode()
    assert "No KK harus 16 digit angka; yang diisi 10 digit." in html
    assert Keluarga.objects.count() == 0


def test_nik_date_mismatch_is_a_warning_not_an_error(world, tksk):
    # NIK says 12-04-85 male; recorded birth date and sex differ.
    member = anggota_data(jenis_kelamin="P")
    member["nik"] = nik_baru(date(1985, 4, 12), "L")
    member["tanggal_lahir"] = date(1986, 4, 12)
    response = tksk.post(CREATE, form_data(world.desa["pahandut"], [member]), follow=True)
    assert response.status_code == 200
    keluarga = Keluarga.objects.get()
    html = response.content.decode()
    assert "Tanggal lahir pada NIK" in html and "Jenis kelamin pada NIK" in html
    # Still shown on the household page afterwards.
    html = tksk.get(reverse("pendataan:keluarga-detail", args=[keluarga.uuid])).content.decode()
    assert 'data-testid="peringatan"' in html and "Tanggal lahir pada NIK" in html


def test_desa_outside_scope_cannot_be_posted(world, tksk):
    data = form_data(world.desa["selat"], [anggota_data()])
    response = tksk.post(CREATE, data)
    assert response.status_code == 200
    assert "Pilih wilayah yang ada di wilayah tugas Anda." in response.content.decode()
    assert Keluarga.objects.count() == 0


def test_kabupaten_cannot_enter_households(world, client):
    client.force_login(world.users["kab_palangkaraya"])
    assert client.get(CREATE).status_code == 403
    data = form_data(world.desa["pahandut"], [anggota_data()])
    assert client.post(CREATE, data).status_code == 403
    assert Keluarga.objects.count() == 0


def test_detail_shows_full_nik_and_logs_the_view(world, tksk):
    keluarga = buat_keluarga(
        world, "pahandut", anggota=[anggota_data(), anggota_data("Ani", "anak", jenis_kelamin="P")]
    )
    niks = list(keluarga.anggota.values_list("nik", flat=True))
    before = AuditLog.objects.filter(aksi="lihat_nik").count()
    html = tksk.get(reverse("pendataan:keluarga-detail", args=[keluarga.uuid])).content.decode()
    assert all(n in html for n in niks)
    assert keluarga.no_kk in html
    log = AuditLog.objects.filter(aksi="lihat_nik").order_by("-id").first()
    assert AuditLog.objects.filter(aksi="lihat_nik").count() == before + 1
    assert log.pelaku == world.users["tksk_pahandut"]
    assert log.objek_uuid == keluarga.uuid
    assert log.data == {"jumlah": 2}


def test_detail_links_to_ppks_forms(world, tksk):
    keluarga = buat_keluarga(world, "pahandut")
    html = tksk.get(reverse("pendataan:keluarga-detail", args=[keluarga.uuid])).content.decode()
    create = reverse("pendataan:ppks-create")
    assert f"{create}?keluarga={keluarga.uuid}" in html
    assert f"{create}?individu={keluarga.anggota.get().uuid}" in html


# --- editing ----------------------------------------------------------------------------------


def test_edit_household_and_member(world, tksk):
    keluarga = buat_keluarga(world, "pahandut")
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    page = tksk.get(url).content.decode()
    assert f'value="{keluarga.versi}"' in page and keluarga.alamat in page
    # The edit form shows whole NIKs: the view is logged like the household page.
    assert keluarga.anggota.get().nik in page
    log = AuditLog.objects.filter(aksi="lihat_nik", objek_uuid=keluarga.uuid).get()
    assert log.data == {"jumlah": 1, "halaman": "ubah"}
    rows = anggota_form(keluarga)
    rows[0]["pekerjaan"] = "Nelayan"
    rows.append(anggota_data("Ani", "anak", jenis_kelamin="P", tanggal_lahir=date(2015, 1, 2)))
    data = form_ubah(keluarga, rows, alamat="Jl. Baru No. 1")
    response = tksk.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    keluarga.refresh_from_db()
    assert keluarga.alamat == "Jl. Baru No. 1"
    assert keluarga.versi == 2
    assert keluarga.jumlah_anggota == 2
    assert keluarga.anggota.get(nama="Budi Santoso").pekerjaan == "Nelayan"
    ubah = Riwayat.objects.get(objek_uuid=keluarga.uuid, aksi="ubah")
    assert ubah.perubahan["alamat"] == ["Jl. Tjilik Riwut No. 5", "Jl. Baru No. 1"]


def test_stale_edit_keeps_input_and_overwrites_nothing(world, tksk, client):
    keluarga = buat_keluarga(world, "pahandut")
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    stale = form_ubah(keluarga, alamat="Alamat dari pengguna pertama")
    # Someone else saves first.
    assert tksk.post(url, form_ubah(keluarga, alamat="Alamat pengguna kedua")).status_code == 302
    response = tksk.post(url, stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Data ini telah diubah oleh pengguna lain sejak Anda membukanya." in html
    assert "Alamat dari pengguna pertama" in html  # the user's input is kept
    assert 'data-testid="data-terbaru"' in html and "Alamat pengguna kedua" in html
    keluarga.refresh_from_db()
    assert keluarga.alamat == "Alamat pengguna kedua"
    assert keluarga.versi == 2
    # The form now carries the current version: saving again works.
    assert 'name="versi" value="2"' in html
    stale["versi"] = "2"
    assert tksk.post(url, stale).status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.alamat == "Alamat dari pengguna pertama"


def test_change_to_verified_household_goes_back_to_diajukan(world, tksk):
    keluarga = buat_keluarga(world, "pahandut", status="terverifikasi")
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    assert tksk.post(url, form_ubah(keluarga, rt="009")).status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.status == "diajukan"
    transisi = Riwayat.objects.get(objek_uuid=keluarga.uuid, aksi="transisi")
    assert (transisi.status_dari, transisi.status_ke) == ("terverifikasi", "diajukan")


def test_unchanged_save_of_verified_household_keeps_its_status(world, tksk):
    keluarga = buat_keluarga(world, "pahandut", status="terverifikasi")
    diubah_pada = keluarga.diubah_pada
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    assert tksk.post(url, form_ubah(keluarga)).status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.status == "terverifikasi"
    assert keluarga.versi == 1 and keluarga.diubah_pada == diubah_pada
    assert not Riwayat.objects.filter(aksi="ubah").exists()


def test_member_moved_away_and_mistaken_row_deleted(world, tksk):
    keluarga = buat_keluarga(
        world,
        "pahandut",
        anggota=[
            anggota_data("Budi", "kepala_keluarga"),
            anggota_data("Joko", "anak"),
            anggota_data("Salah Ketik", "anak"),
        ],
    )
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    rows = anggota_form(keluarga)
    for row in rows:
        if row["nama"] == "Joko":
            row["status_hidup"] = "pindah"
        if row["nama"] == "Salah Ketik":
            row["DELETE"] = "on"
    response = tksk.post(url, form_ubah(keluarga, rows))
    assert response.status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.jumlah_anggota == 1
    assert set(keluarga.anggota.values_list("nama", flat=True)) == {"Budi", "Joko"}
    assert keluarga.anggota.get(nama="Joko").status_hidup == "pindah"
    hapus = Riwayat.objects.get(keluarga_uuid=keluarga.uuid, aksi="hapus")
    assert hapus.perubahan["nama"] == ["Salah Ketik", None]
    html = tksk.get(reverse("pendataan:keluarga-detail", args=[keluarga.uuid])).content.decode()
    assert "Salah Ketik" in html  # in the history
    assert "Pindah" in html


def test_new_head_when_the_head_dies(world, tksk):
    keluarga = buat_keluarga(
        world,
        "pahandut",
        anggota=[anggota_data("Budi", "kepala_keluarga"), anggota_data("Siti", "istri")],
    )
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    rows = anggota_form(keluarga)
    rows[0]["status_hidup"] = "meninggal"
    response = tksk.post(url, form_ubah(keluarga, rows))
    assert "Kepala Keluarga" in response.content.decode() and response.status_code == 200
    rows[1]["hubungan"] = "kepala_keluarga"
    assert tksk.post(url, form_ubah(keluarga, rows)).status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.nama_kepala == "Siti"


def test_in_scope_duplicate_no_kk_links_to_the_record(world, tksk):
    lama = buat_keluarga(world, "pahandut")
    data = form_data(world.desa["pahandut"], [anggota_data()], no_kk=lama.no_kk)
    html = tksk.post(CREATE, data).content.decode()
    assert "No KK ini sudah terdaftar." in html
    assert reverse("pendataan:keluarga-detail", args=[lama.uuid]) in html


def test_other_kecamatan_household_is_404_for_edit(world, tksk):
    keluarga = buat_keluarga(world, "jekanraya")
    url = reverse("pendataan:keluarga-update", args=[keluarga.uuid])
    assert tksk.get(url).status_code == 404
    assert tksk.post(url, form_ubah(keluarga, alamat="X")).status_code == 404
    keluarga.refresh_from_db()
    assert keluarga.alamat != "X"


def test_save_and_submit_in_one_step(world, tksk):
    data = form_data(world.desa["pahandut"], [anggota_data()], ajukan="1")
    assert tksk.post(CREATE, data).status_code == 302
    assert Keluarga.objects.get().status == "diajukan"


def test_no_kk_of_the_service_is_validated(world):
    """The service is the path of the import and the API: errors are keyed by field."""
    from django.core.exceptions import ValidationError

    from pendataan.services import keluarga_simpan

    with pytest.raises(ValidationError) as error:
        keluarga_simpan(
            pelaku=world.users["tksk_pahandut"],
            data={"no_kk": "123", "desa": world.desa["pahandut"], "alamat": ""},
            anggota=[{"nama": "", "jenis_kelamin": "X", "hubungan": "kepala_keluarga"}],
        )
    errors = error.value.message_dict
    assert "no_kk" in errors and "alamat" in errors
    assert "anggota.0.nama" in errors and "anggota.0.jenis_kelamin" in errors
    assert "anggota.0.alasan_tanpa_nik" in errors
    assert Keluarga.objects.count() == 0
    assert no_kk_baru() != no_kk_baru()


def test_admin_is_scoped_read_only_and_masked(world, client):
    from tests.conftest import make_user

    keluarga = buat_keluarga(world, "pahandut")
    buat_keluarga(world, "selat", anggota=[anggota_data("Warga Selat")])
    nik = keluarga.anggota.get().nik
    admin = world.users["admin"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    html = client.get("/admin/pendataan/keluarga/").content.decode()
    assert keluarga.nama_kepala in html and keluarga.no_kk not in html
    page = client.get(f"/admin/pendataan/keluarga/{keluarga.pk}/change/")
    assert page.status_code == 200
    assert nik not in page.content.decode() and keluarga.no_kk not in page.content.decode()
    assert client.get("/admin/pendataan/keluarga/add/").status_code == 403
    assert client.get("/admin/pendataan/kasusganda/").status_code == 200
    # A staff account of another kabupaten sees only its own area's persons.
    staf = make_user("staf_kapuas", "kabupaten", "62.03", is_staff=True, is_superuser=True)
    client.force_login(staf)
    html = client.get("/admin/pendataan/individu/").content.decode()
    assert "Warga Selat" in html and keluarga.nama_kepala not in html
    assert client.get(f"/admin/pendataan/keluarga/{keluarga.pk}/change/").status_code == 302
