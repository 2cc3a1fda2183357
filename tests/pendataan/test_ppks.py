"""PPKS identification through the views: subjects, plausibility warnings, duplicates, scope,
concurrency, handling status, history."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pendataan.models import PPKS, Riwayat
from tests.matrix.ppks import buat_keluarga, buat_ppks
from tksk.models import KategoriPPKS

pytestmark = pytest.mark.django_db

CREATE = reverse("pendataan:ppks-create")


def kategori(singkatan):
    return KategoriPPKS.objects.get(singkatan=singkatan)


def data_individu(individu, singkatan="FM", **extra):
    return {
        "subjek": "individu",
        "individu": str(individu.uuid),
        "kategori": kategori(singkatan).pk,
        "tanggal_identifikasi": "2025-03-01",
        "deskripsi": "Tinggal sendiri, penghasilan tidak tetap.",
        "kebutuhan": "Bantuan pangan",
        "status_penanganan": "belum",
        **extra,
    }


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


# --- creating ------------------------------------------------------------------------------


def test_create_for_person_copies_desa_and_sex_and_writes_history(world, tksk):
    _, individu = buat_keluarga(world, "pahandut", jenis_kelamin="P")
    response = tksk.post(CREATE, data_individu(individu), follow=True)
    assert response.status_code == 200
    ppks = PPKS.objects.get(individu=individu)
    assert response.redirect_chain[-1][0] == reverse("pendataan:ppks-detail", args=[ppks.uuid])
    assert ppks.desa == individu.desa
    assert ppks.jenis_kelamin == "P"
    assert ppks.status == "draf"
    assert ppks.dibuat_oleh == world.users["tksk_pahandut"]
    assert ppks.keluarga is None
    riwayat = Riwayat.objects.get(objek_uuid=ppks.uuid)
    assert riwayat.aksi == "buat" and riwayat.objek_tipe == "ppks"
    assert riwayat.perubahan["kategori"][1].startswith("FM")
    content = response.content.decode()
    assert "Identifikasi PPKS disimpan." in content
    assert "Dicatat" in content  # history on the record page


def test_create_for_household(world, tksk):
    keluarga, _ = buat_keluarga(world, "pahandut")
    data = {
        "subjek": "keluarga",
        "keluarga": str(keluarga.uuid),
        "kategori": kategori("KBSP").pk,
        "tanggal_identifikasi": "2025-02-10",
        "status_penanganan": "dalam",
    }
    response = tksk.post(CREATE, data)
    assert response.status_code == 302
    ppks = PPKS.objects.get(keluarga=keluarga)
    assert (ppks.subjek, ppks.desa, ppks.jenis_kelamin) == ("keluarga", keluarga.desa, "")
    assert ppks.status_penanganan == "dalam"


def test_create_for_group_uses_chosen_desa(world, tksk):
    data = {
        "subjek": "kelompok",
        "nama_kelompok": "Komunitas Dusun Hulu",
        "desa": world.desa["pahandut"].pk,
        "perkiraan_kk": "12",
        "perkiraan_jiwa": "40",
        "kategori": kategori("KAT").pk,
        "tanggal_identifikasi": "2025-02-10",
        "status_penanganan": "belum",
    }
    response = tksk.post(CREATE, data, follow=True)
    ppks = PPKS.objects.get(nama_kelompok="Komunitas Dusun Hulu")
    assert (ppks.desa, ppks.perkiraan_kk, ppks.perkiraan_jiwa) == (world.desa["pahandut"], 12, 40)
    assert ppks.individu is None and ppks.keluarga is None
    assert 'data-testid="peringatan"' not in response.content.decode()


def test_group_without_name_or_desa_is_refused_with_messages(world, tksk):
    data = {
        "subjek": "kelompok",
        "kategori": kategori("KAT").pk,
        "tanggal_identifikasi": "2025-02-10",
        "status_penanganan": "belum",
        "deskripsi": "Teks yang diketik tetap ada",
    }
    response = tksk.post(CREATE, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Isi nama kelompok/komunitas." in content
    assert "Pilih desa/kelurahan tempat kelompok berada." in content
    assert "Teks yang diketik tetap ada" in content
    assert not PPKS.objects.exists()


def test_future_date_is_refused(world, tksk):
    _, individu = buat_keluarga(world, "pahandut")
    besok = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = tksk.post(CREATE, data_individu(individu, tanggal_identifikasi=besok))
    assert response.status_code == 200
    assert "tidak boleh di masa depan" in response.content.decode()
    assert not PPKS.objects.exists()


def test_person_must_be_chosen(world, tksk):
    response = tksk.post(
        CREATE, {**data_individu(buat_keluarga(world, "pahandut")[1]), "individu": ""}
    )
    assert "Cari lalu pilih individu" in response.content.decode()
    assert not PPKS.objects.exists()


def test_one_person_may_have_several_categories(world, tksk):
    _, individu = buat_keluarga(world, "pahandut", tanggal_lahir=date(1950, 1, 1))
    assert tksk.post(CREATE, data_individu(individu, "FM")).status_code == 302
    assert tksk.post(CREATE, data_individu(individu, "LUT")).status_code == 302
    assert PPKS.objects.filter(individu=individu).count() == 2


# --- plausibility warnings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("singkatan", "jenis_kelamin", "lahir", "pesan"),
    [
        ("LUT", "L", date(1990, 1, 1), "berusia 35 tahun"),  # Lanjut Usia Telantar under 60
        ("PRSE", "L", date(1990, 1, 1), "tercatat laki-laki"),  # a man as PRSE
        ("ADK", "P", date(1990, 1, 1), "untuk usia 0–17 tahun"),  # an adult as ADK
    ],
)
def test_implausible_age_or_sex_warns_but_saves(
    world, tksk, singkatan, jenis_kelamin, lahir, pesan
):
    _, individu = buat_keluarga(world, "pahandut", jenis_kelamin=jenis_kelamin, tanggal_lahir=lahir)
    response = tksk.post(CREATE, data_individu(individu, singkatan), follow=True)
    assert response.status_code == 200
    assert PPKS.objects.filter(individu=individu, kategori__singkatan=singkatan).exists()
    content = response.content.decode()
    assert "peringatan kewajaran" in content
    assert pesan in content
    # Still on the record page later, not only right after saving.
    ppks = PPKS.objects.get(individu=individu)
    again = tksk.get(reverse("pendataan:ppks-detail", args=[ppks.uuid])).content.decode()
    assert pesan in again


def test_age_is_computed_at_identification_date(world, tksk):
    # 59 on the identification date, 60 today: the date of identification counts.
    _, individu = buat_keluarga(world, "pahandut", tanggal_lahir=date(1965, 6, 1))
    response = tksk.post(
        CREATE, data_individu(individu, "LUT", tanggal_identifikasi="2025-05-31"), follow=True
    )
    assert "berusia 59 tahun" in response.content.decode()


def test_plausible_person_has_no_warning(world, tksk):
    _, individu = buat_keluarga(world, "pahandut", tanggal_lahir=date(1950, 1, 1))
    response = tksk.post(CREATE, data_individu(individu, "LUT"), follow=True)
    assert 'data-testid="peringatan"' not in response.content.decode()


def test_unit_mismatch_warns(world, tksk):
    _, individu = buat_keluarga(world, "pahandut")
    response = tksk.post(CREATE, data_individu(individu, "KAT"), follow=True)
    assert PPKS.objects.filter(individu=individu).exists()
    assert "bukan untuk individu" in response.content.decode()


# --- duplicates ----------------------------------------------------------------------------


def test_same_open_category_twice_is_refused(world, tksk):
    _, individu = buat_keluarga(world, "pahandut")
    assert tksk.post(CREATE, data_individu(individu)).status_code == 302
    response = tksk.post(CREATE, data_individu(individu))
    assert response.status_code == 200
    assert "sudah tercatat dengan kategori FM yang belum selesai" in response.content.decode()
    assert PPKS.objects.filter(individu=individu).count() == 1


def test_finished_category_does_not_block(world, tksk):
    _, individu = buat_keluarga(world, "pahandut")
    tksk.post(CREATE, data_individu(individu))
    PPKS.objects.filter(individu=individu).update(status_penanganan="selesai")
    assert tksk.post(CREATE, data_individu(individu)).status_code == 302
    assert PPKS.objects.filter(individu=individu).count() == 2


def test_reopening_a_finished_one_while_another_is_open_is_refused(world, tksk):
    lama = buat_ppks(world, "pahandut", status_penanganan="selesai")
    buat_ppks_baru = PPKS.objects.create(
        kategori=lama.kategori,
        subjek="individu",
        individu=lama.individu,
        desa=lama.desa,
        tanggal_identifikasi=date(2025, 2, 1),
    )
    url = reverse("pendataan:ppks-penanganan", args=[lama.uuid])
    response = tksk.post(url, {"status_penanganan": "dalam"}, follow=True)
    assert "belum selesai ditangani" in response.content.decode()
    lama.refresh_from_db()
    assert lama.status_penanganan == "selesai"
    assert buat_ppks_baru.pk


# --- scope ---------------------------------------------------------------------------------


def test_preselected_subject(world, tksk):
    _, individu = buat_keluarga(world, "pahandut", nama="Siti Preselect")
    response = tksk.get(CREATE + f"?individu={individu.uuid}")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Siti Preselect" in content and f'value="{individu.uuid}" checked' in content
    keluarga, _ = buat_keluarga(world, "pahandut", nama="Kepala Preselect")
    response = tksk.get(CREATE + f"?keluarga={keluarga.uuid}")
    assert "Kepala Preselect" in response.content.decode()


@pytest.mark.parametrize("param", ["individu", "keluarga"])
def test_other_areas_subject_in_query_is_404_and_writes_nothing(world, tksk, param):
    keluarga, individu = buat_keluarga(world, "jekanraya")
    obj = individu if param == "individu" else keluarga
    assert tksk.get(CREATE + f"?{param}={obj.uuid}").status_code == 404
    data = data_individu(individu)
    response = tksk.post(CREATE + f"?{param}={obj.uuid}", data)
    assert response.status_code == 404
    assert not PPKS.objects.exists()
    assert tksk.get(CREATE + "?individu=bukan-uuid").status_code == 404


def test_other_areas_person_or_household_posted_in_form_is_refused(world, tksk):
    keluarga, individu = buat_keluarga(world, "selat")
    response = tksk.post(CREATE, data_individu(individu))
    assert response.status_code == 200
    assert "Pilih individu di wilayah tugas Anda." in response.content.decode()
    data = {**data_individu(individu), "subjek": "keluarga", "keluarga": str(keluarga.uuid)}
    response = tksk.post(CREATE, data)
    assert "Pilih keluarga di wilayah tugas Anda." in response.content.decode()
    data = {**data_individu(individu), "subjek": "keluarga", "keluarga": str(keluarga.pk)}
    assert tksk.post(CREATE, data).status_code == 200
    assert not PPKS.objects.exists()
    assert not Riwayat.objects.exists()


def test_group_in_another_areas_desa_is_refused(world, tksk):
    data = {
        "subjek": "kelompok",
        "nama_kelompok": "Kelompok Seberang",
        "desa": world.desa["selat"].pk,
        "kategori": kategori("KAT").pk,
        "tanggal_identifikasi": "2025-02-10",
        "status_penanganan": "belum",
    }
    response = tksk.post(CREATE, data)
    assert response.status_code == 200
    assert "wilayah tugas Anda" in response.content.decode()
    assert not PPKS.objects.exists()


def test_extra_post_fields_change_nothing(world, tksk):
    _, individu = buat_keluarga(world, "pahandut")
    other = buat_keluarga(world, "selat")[1]
    data = data_individu(
        individu,
        status="terverifikasi",
        dibuat_oleh=world.users["admin"].pk,
        desa=world.desa["selat"].pk,
        versi="99",
        diverifikasi_oleh=world.users["kab_palangkaraya"].pk,
        keluarga=str(other.keluarga.uuid),
    )
    assert tksk.post(CREATE, data).status_code == 302
    ppks = PPKS.objects.get()
    assert ppks.status == "draf"
    assert ppks.dibuat_oleh == world.users["tksk_pahandut"]
    assert ppks.desa == individu.desa
    assert ppks.keluarga is None and ppks.diverifikasi_oleh is None
    assert ppks.versi == 1


def test_roles_that_do_not_record_get_403(world, client):
    _, individu = buat_keluarga(world, "pahandut")
    for username in ("kab_palangkaraya", "prov"):
        client.force_login(world.users[username])
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, data_individu(individu)).status_code == 403
    assert not PPKS.objects.exists()


def test_admin_may_record_anywhere(world, client):
    client.force_login(world.users["admin"])
    _, individu = buat_keluarga(world, "selat")
    assert client.post(CREATE, data_individu(individu)).status_code == 302


# --- subject picker ------------------------------------------------------------------------


def test_subject_search_is_scoped_and_limited(world, tksk):
    url = reverse("pendataan:ppks-subjek")
    for i in range(22):
        buat_keluarga(world, "pahandut", nama=f"Rahmat Pahandut {i:02d}")
    buat_keluarga(world, "jekanraya", nama="Rahmat Jekan")
    response = tksk.post(url, {"subjek": "individu", "cari_subjek": "rahmat"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('type="radio" name="individu"') == 20
    assert "Rahmat Jekan" not in content
    response = tksk.post(url, {"subjek": "keluarga", "cari_subjek": "Rahmat Jekan"})
    assert "Rahmat Jekan" not in response.content.decode()
    assert 'data-testid="subjek-kosong"' in response.content.decode()


def test_subject_search_by_full_nik_is_posted_and_masked(world, tksk):
    from pendataan.models import Individu

    _, individu = buat_keluarga(world, "pahandut", nama="Bernomor")
    Individu.objects.filter(pk=individu.pk).update(nik="6271035708900001", alasan_tanpa_nik="")
    response = tksk.post(
        reverse("pendataan:ppks-subjek"), {"subjek": "individu", "cari_subjek": "6271035708900001"}
    )
    content = response.content.decode()
    assert "Bernomor" in content
    assert "6271035708900001" not in content and "6271********0001" in content
    assert tksk.get(reverse("pendataan:ppks-subjek")).status_code == 405


def test_search_without_javascript_keeps_input_and_saves_nothing(world, tksk):
    buat_keluarga(world, "pahandut", nama="Tanpa Skrip")
    data = {"subjek": "individu", "cari_subjek": "Tanpa", "_cari": "1", "deskripsi": "ketikan"}
    response = tksk.post(CREATE, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Tanpa Skrip" in content and "ketikan" in content
    assert not PPKS.objects.exists()


# --- editing -------------------------------------------------------------------------------


def test_edit_records_diff_and_bumps_version(world, tksk):
    ppks = buat_ppks(world, "pahandut")
    url = reverse("pendataan:ppks-update", args=[ppks.uuid])
    form = tksk.get(url)
    assert form.status_code == 200
    data = data_individu(ppks.individu, kebutuhan="Pendampingan usaha", versi=ppks.versi)
    del data["status_penanganan"]
    assert tksk.post(url, data).status_code == 302
    ppks.refresh_from_db()
    assert ppks.kebutuhan == "Pendampingan usaha" and ppks.versi == 2
    assert ppks.diubah_oleh == world.users["tksk_pahandut"]
    ubah = Riwayat.objects.get(objek_uuid=ppks.uuid, aksi="ubah")
    assert ubah.perubahan["kebutuhan"] == ["", "Pendampingan usaha"]
    page = tksk.get(reverse("pendataan:ppks-detail", args=[ppks.uuid])).content.decode()
    assert "Pendampingan usaha" in page and "Kebutuhan:" in page


def test_stale_edit_is_refused_and_keeps_input(world, tksk):
    ppks = buat_ppks(world, "pahandut")
    url = reverse("pendataan:ppks-update", args=[ppks.uuid])
    versi_lama = ppks.versi
    PPKS.objects.filter(pk=ppks.pk).update(
        versi=versi_lama + 1, kebutuhan="Diubah orang lain", diubah_oleh=world.users["admin"]
    )
    data = data_individu(ppks.individu, kebutuhan="Ketikan saya", versi=versi_lama)
    response = tksk.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "telah diubah oleh" in content and "Ketikan saya" in content
    assert f'name="versi" value="{versi_lama + 1}"' in content
    ppks.refresh_from_db()
    assert ppks.kebutuhan == "Diubah orang lain"
    assert not Riwayat.objects.filter(objek_uuid=ppks.uuid).exists()
    # Saving again on purpose, with the version now shown, goes through.
    assert tksk.post(url, {**data, "versi": versi_lama + 1}).status_code == 302
    ppks.refresh_from_db()
    assert ppks.kebutuhan == "Ketikan saya"


def test_editing_a_verified_record_sends_it_back_to_verification(world, tksk):
    ppks = buat_ppks(world, "pahandut", status="terverifikasi")
    url = reverse("pendataan:ppks-update", args=[ppks.uuid])
    data = data_individu(ppks.individu, deskripsi="Kondisi terbaru", versi=ppks.versi)
    assert tksk.post(url, data).status_code == 302
    ppks.refresh_from_db()
    assert ppks.status == "diajukan"
    transisi = Riwayat.objects.get(objek_uuid=ppks.uuid, aksi="transisi")
    assert (transisi.status_dari, transisi.status_ke) == ("terverifikasi", "diajukan")


def test_edit_with_extra_fields_cannot_change_status_or_creator(world, tksk):
    ppks = buat_ppks(world, "pahandut", status="diajukan")
    url = reverse("pendataan:ppks-update", args=[ppks.uuid])
    data = data_individu(
        ppks.individu,
        versi=ppks.versi,
        status="terverifikasi",
        dibuat_oleh=world.users["admin"].pk,
        desa=world.desa["selat"].pk,
    )
    assert tksk.post(url, data).status_code == 302
    ppks.refresh_from_db()
    assert ppks.status == "diajukan"
    assert ppks.dibuat_oleh == world.users["tksk_pahandut"]
    assert ppks.desa == world.desa["pahandut"]


def test_other_kecamatan_cannot_edit(world, client):
    ppks = buat_ppks(world, "pahandut")
    client.force_login(world.users["tksk_jekanraya"])
    url = reverse("pendataan:ppks-update", args=[ppks.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, data_individu(ppks.individu, versi=1)).status_code == 404


# --- handling status -----------------------------------------------------------------------


def test_handling_status_change_is_recorded_and_keeps_verification(world, client):
    ppks = buat_ppks(world, "pahandut", status="terverifikasi")
    client.force_login(world.users["kab_palangkaraya"])
    url = reverse("pendataan:ppks-penanganan", args=[ppks.uuid])
    response = client.post(
        url, {"status_penanganan": "dirujuk", "catatan": "Dirujuk ke panti"}, follow=True
    )
    assert "Status penanganan menjadi dirujuk." in response.content.decode()
    ppks.refresh_from_db()
    assert (ppks.status_penanganan, ppks.status, ppks.versi) == ("dirujuk", "terverifikasi", 2)
    row = Riwayat.objects.get(objek_uuid=ppks.uuid)
    assert row.perubahan == {"status_penanganan": ["belum", "dirujuk"]}
    assert row.catatan == "Dirujuk ke panti"
    assert "Dirujuk ke panti" in response.content.decode()


def test_province_cannot_change_handling(world, client):
    ppks = buat_ppks(world, "pahandut")
    client.force_login(world.users["prov"])
    url = reverse("pendataan:ppks-penanganan", args=[ppks.uuid])
    assert client.post(url, {"status_penanganan": "selesai"}).status_code == 403
    ppks.refresh_from_db()
    assert ppks.status_penanganan == "belum"


def test_service_used_by_other_modules(world):
    from pendataan.services_ppks import ppks_ubah_penanganan

    ppks = buat_ppks(world, "pahandut")
    ppks_ubah_penanganan(
        pelaku=world.users["tksk_pahandut"], ppks=ppks, status="selesai", catatan="Rujukan selesai"
    )
    ppks.refresh_from_db()
    assert ppks.status_penanganan == "selesai"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ppks_ubah_penanganan(pelaku=world.users["tksk_selat"], ppks=ppks, status="dalam")


# --- record page ---------------------------------------------------------------------------


def test_detail_shows_verification_actions_per_role(world, client):
    ppks = buat_ppks(world, "pahandut")
    url = reverse("pendataan:ppks-detail", args=[ppks.uuid])
    client.force_login(world.users["tksk_pahandut"])
    content = client.get(url).content.decode()
    assert 'name="tipe" value="ppks"' in content
    assert 'value="ajukan"' in content and 'value="verifikasi"' not in content
    PPKS.objects.filter(pk=ppks.pk).update(status="diajukan")
    client.force_login(world.users["kab_palangkaraya"])
    content = client.get(url).content.decode()
    assert 'value="verifikasi"' in content and 'value="kembalikan"' in content
    client.force_login(world.users["prov"])
    content = client.get(url).content.decode()
    assert 'data-testid="form-verifikasi"' not in content


def test_detail_links_to_household_and_masks_numbers(world, tksk):
    from pendataan.models import Individu

    ppks = buat_ppks(world, "pahandut")
    Individu.objects.filter(pk=ppks.individu_id).update(nik="6271011204850001", alasan_tanpa_nik="")
    content = tksk.get(reverse("pendataan:ppks-detail", args=[ppks.uuid])).content.decode()
    assert f"/pendataan/keluarga/{ppks.individu.keluarga.uuid}/" in content
    assert "6271011204850001" not in content and "6271********0001" in content


# --- the service as the import and the API call it -----------------------------------------


def test_service_takes_codes_and_uuid_strings(world):
    from django.core.exceptions import ValidationError

    from pendataan.services_ppks import ppks_simpan

    tksk = world.users["tksk_pahandut"]
    _, individu = buat_keluarga(world, "pahandut", tanggal_lahir=date(1990, 1, 1))
    ppks, peringatan = ppks_simpan(
        pelaku=tksk,
        data={
            "kategori": "PPKS-08",
            "subjek": "individu",
            "individu": str(individu.uuid),
            "tanggal_identifikasi": "2025-03-01",
            "status": "terverifikasi",
        },
    )
    assert ppks.kategori.singkatan == "LUT" and ppks.status == "draf"
    assert peringatan and "berusia 35 tahun" in peringatan[0]
    kelompok, _ = ppks_simpan(
        pelaku=tksk,
        data={
            "kategori": "kat",
            "subjek": "kelompok",
            "nama_kelompok": "Dusun Hulu",
            "desa": world.desa["pahandut"].kode,
            "tanggal_identifikasi": date(2025, 1, 1),
        },
    )
    assert kelompok.desa == world.desa["pahandut"]
    with pytest.raises(ValidationError) as error:
        ppks_simpan(
            pelaku=tksk,
            data={
                "kategori": "KAT",
                "subjek": "kelompok",
                "nama_kelompok": "Seberang",
                "desa": world.desa["selat"].kode,
                "tanggal_identifikasi": "bukan tanggal",
            },
        )
    assert set(error.value.message_dict) == {"desa", "tanggal_identifikasi"}
    other = buat_keluarga(world, "selat")[1]
    with pytest.raises(ValidationError) as error:
        ppks_simpan(
            pelaku=tksk,
            data={
                "kategori": "FM",
                "subjek": "individu",
                "individu": other.uuid,
                "tanggal_identifikasi": "2025-01-01",
            },
        )
    assert "individu" in error.value.message_dict
    assert PPKS.objects.count() == 2


def test_service_refuses_stale_version(world):
    from pendataan.services_ppks import ppks_simpan
    from tksk.konkurensi import RecordChanged

    ppks = buat_ppks(world, "pahandut")
    data = {
        "kategori": ppks.kategori,
        "subjek": "individu",
        "individu": ppks.individu,
        "tanggal_identifikasi": ppks.tanggal_identifikasi,
        "kebutuhan": "baru",
    }
    ppks_simpan(pelaku=world.users["tksk_pahandut"], ppks=ppks, data=data, versi=1)
    with pytest.raises(RecordChanged):
        ppks_simpan(pelaku=world.users["admin"], ppks=ppks, data=data, versi=1)


# --- verification round trip through the shared verification view ------------------------


def test_verification_form_on_record_page_round_trip(world, client):
    import re

    ppks = buat_ppks(world, "pahandut")
    detail = reverse("pendataan:ppks-detail", args=[ppks.uuid])
    client.force_login(world.users["tksk_pahandut"])
    page = client.get(detail).content.decode()
    action = re.search(r'<form method="post" action="([^"]+)" data-testid="form-verifikasi"', page)
    data = {"tipe": "ppks", "uuid": str(ppks.uuid), "aksi": "ajukan", "next": detail}
    response = client.post(action.group(1), data)
    assert response.status_code == 302 and response["Location"] == detail
    ppks.refresh_from_db()
    assert ppks.status == "diajukan"
    client.force_login(world.users["kab_palangkaraya"])
    data.update(aksi="kembalikan", alasan="tidak_lengkap", catatan="Lengkapi deskripsi")
    client.post(action.group(1), data)
    ppks.refresh_from_db()
    assert ppks.status == "dikembalikan"
    page = client.get(detail).content.decode()
    assert "Lengkapi deskripsi" in page and "Data tidak lengkap" in page


def test_edit_form_of_a_group_and_of_a_person_prefilled(world, tksk):
    from pendataan.services_ppks import ppks_simpan

    kelompok, _ = ppks_simpan(
        pelaku=world.users["tksk_pahandut"],
        data={
            "kategori": "KAT",
            "subjek": "kelompok",
            "nama_kelompok": "Dusun Hulu",
            "desa": world.desa["pahandut"],
            "tanggal_identifikasi": date(2025, 1, 1),
        },
    )
    url = reverse("pendataan:ppks-update", args=[kelompok.uuid])
    page = tksk.get(url).content.decode()
    assert 'value="Dusun Hulu"' in page
    assert f'<option value="{world.desa["pahandut"].pk}" selected>' in page
    data = {
        "subjek": "kelompok",
        "nama_kelompok": "Dusun Hulu Baru",
        "desa": world.desa["pahandut"].pk,
        "perkiraan_jiwa": "30",
        "kategori": kelompok.kategori_id,
        "tanggal_identifikasi": "2025-01-01",
        "versi": kelompok.versi,
    }
    assert tksk.post(url, data).status_code == 302
    kelompok.refresh_from_db()
    assert (kelompok.nama_kelompok, kelompok.perkiraan_jiwa) == ("Dusun Hulu Baru", 30)
    orang = buat_ppks(world, "pahandut")
    page = tksk.get(reverse("pendataan:ppks-update", args=[orang.uuid])).content.decode()
    assert f'value="{orang.individu.uuid}" checked' in page
    assert 'name="status_penanganan"' not in page  # changed on the record page, with a note
