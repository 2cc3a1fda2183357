"""Spreadsheet import as a TKSK meets it: the template, the upload (checked by content), the
preview with every row's errors and warnings by row number, the confirmation that saves the valid
households in one transaction, and a second import of the same file that adds nothing."""

import io
import json
import os
import time
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from pendataan import impor
from pendataan.impor import rumah as impor_rumah
from pendataan.models import PPKS, Individu, KasusGanda, Keluarga, Riwayat
from tests.matrix.impor import (
    anggota,
    buat_csv,
    buat_xlsx,
    keluarga,
    konfirmasi,
    laporan,
    lingkungan_impor,  # noqa: F401  (a fixture)
    masalah,
    no_kk_unik,
    unggah,
)
from tests.matrix.keluarga import anggota_data, buat_keluarga, form_data, nik_baru
from tksk.models import AuditLog

INDEX = reverse("pendataan:impor-index")
pytestmark = pytest.mark.usefixtures("lingkungan_impor")
KOLOM_K = [k.kunci for k in impor.KOLOM_KELUARGA]
KOLOM_P = [k.kunci for k in impor.KOLOM_PPKS]


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


def detail(token):
    return reverse("pendataan:impor-detail", args=[token])


def berkas_contoh(world):
    """Two valid households, one with a bad NIK on its second member, and PPKS rows."""
    desa = world.desa["pahandut"]
    k1 = keluarga("K1", desa, jumlah=3)
    k2 = keluarga("K2", desa, jumlah=2)
    k3 = keluarga("K3", desa, jumlah=2)
    k3[1]["nik"] = "6271013204850001"  # day 32
    rows = k1 + k2 + k3  # sheet rows 2-4, 5-6, 7-8
    ppks = [
        {"nik": k1[0]["nik"], "kategori": "FM", "tanggal_identifikasi": "2026-01-05"},
        {"kode_keluarga": "K2", "kategori": "PPKS-24", "tanggal_identifikasi": "05-01-2026"},
        {
            "nama_kelompok": "Komunitas Tepian Kahayan",
            "kode_desa": desa.kode,
            "kategori": "KBA",
            "tanggal_identifikasi": date(2026, 1, 6),
            "perkiraan_kk": 12,
        },
        {"kode_keluarga": "K3", "kategori": "FM", "tanggal_identifikasi": "2026-01-05"},
    ]
    return rows, ppks, buat_xlsx(rows, ppks)


# --- the template -------------------------------------------------------------------------------


def test_template_has_instructions_text_columns_and_the_users_desa(world, tksk):
    response = tksk.get(reverse("pendataan:impor-templat"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert {"Keluarga", "PPKS", "Petunjuk"} <= set(wb.sheetnames)
    assert wb.sheetnames[0] == "Petunjuk"
    ws = wb["Keluarga"]
    assert [c.value for c in ws[1]] == KOLOM_K
    assert [c.value for c in wb["PPKS"][1]] == KOLOM_P
    for kolom in ("nik", "no_kk", "kode_keluarga", "rt"):
        i = KOLOM_K.index(kolom) + 1
        assert ws.cell(row=2, column=i).number_format == "@", kolom
        assert ws.cell(row=1500, column=i).number_format == "@", kolom
    assert ws.cell(row=2, column=KOLOM_K.index("nama") + 1).number_format != "@"
    rumus = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("Daftar" in f for f in rumus), rumus
    teks = "\n".join(
        str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value is not None
    )
    for kata in ("kepala_keluarga", "PPKS-24", "Fakir Miskin", "alasan_tanpa_nik", "L", "@"):
        assert kata in teks or kata == "@"
    for kolom in KOLOM_K + KOLOM_P:
        assert kolom in teks
    assert world.desa["pahandut"].kode in teks
    assert world.desa["jekanraya"].kode not in teks  # only the user's own area


def test_module_pages_link_to_the_import_for_those_who_record(world, client):
    client.force_login(world.users["tksk_pahandut"])
    for url in (reverse("pendataan:index"), reverse("pendataan:keluarga-list")):
        assert INDEX in client.get(url).content.decode()
    client.force_login(world.users["kab_palangkaraya"])
    for url in (reverse("pendataan:index"), reverse("pendataan:keluarga-list")):
        assert INDEX not in client.get(url).content.decode()
    assert client.get(INDEX).status_code == 403


# --- preview, confirmation, second import ---------------------------------------------------


def test_preview_lists_errors_by_row_and_saves_nothing(world, tksk):
    rows, _, data = berkas_contoh(world)
    response, token = unggah(tksk, data, "pendataan kahayan.xlsx")
    assert response.status_code == 302 and token
    page = tksk.get(detail(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pratinjau impor" in html and "pendataan kahayan.xlsx" in html

    ringkasan = laporan(token)["ringkasan"]
    assert ringkasan["keluarga"] == {
        "baris": 7,
        "jumlah": 3,
        "siap": 2,
        "anggota": 5,
        "sudah_ada": 0,
        "galat": 1,
    }
    assert ringkasan["ppks"] == {"baris": 4, "siap": 3, "sudah_ada": 0, "galat": 1}
    per_baris = masalah(token)
    assert "Digit ke-7–8 NIK adalah tanggal lahir" in per_baris[8]["galat"]["nik"][0]
    assert "tidak diimpor karena baris lain keluarganya bermasalah" in per_baris[7]["peringatan"][0]
    assert set(per_baris) == {7, 8}
    ppks = masalah(token, "PPKS")
    assert "lembar Keluarga baris 7" in ppks[5]["galat"]["kode_keluarga"][0]
    # The page shows them by sheet and row.
    assert 'data-baris="Keluarga-8"' in html and 'data-baris="PPKS-5"' in html
    assert escape(per_baris[8]["galat"]["nik"][0]) in html
    assert "Konfirmasi impor: 2 keluarga, 3 PPKS" in html
    # Nothing saved yet, and the whole NIK never appears in the report.
    assert not Keluarga.objects.exists() and not PPKS.objects.exists()
    assert not KasusGanda.objects.exists()
    assert rows[3]["nik"] not in json.dumps(laporan(token))


def test_confirmation_saves_valid_households_in_one_go_with_history_and_audit(world, tksk):
    rows, _, data = berkas_contoh(world)
    _, token = unggah(tksk, data)
    sha = impor.muat(token).meta["sha256"]
    response = konfirmasi(tksk, token)
    assert response.status_code == 302 and response["Location"] == detail(token)

    assert Keluarga.objects.count() == 2 and Individu.objects.count() == 5
    k1 = Keluarga.objects.get(no_kk=rows[0]["no_kk"])
    assert k1.nama_kepala == "Kepala K1" and k1.jumlah_anggota == 3 and k1.status == "draf"
    assert k1.dibuat_oleh == world.users["tksk_pahandut"] and k1.desa == world.desa["pahandut"]
    assert set(k1.anggota.values_list("nik", flat=True)) == {r["nik"] for r in rows[:3]}
    assert not Keluarga.objects.filter(no_kk=rows[5]["no_kk"]).exists()
    assert PPKS.objects.count() == 3
    assert (
        PPKS.objects.get(kategori__singkatan="FM", subjek="individu").individu.nik == rows[0]["nik"]
    )
    kelompok = PPKS.objects.get(subjek="kelompok")
    assert (kelompok.nama_kelompok, kelompok.perkiraan_kk) == ("Komunitas Tepian Kahayan", 12)

    # History says "impor" (not "buat") for everything created, with the file.
    dibuat = Riwayat.objects.filter(aksi="buat")
    assert not dibuat.exists()
    k1_riwayat = Riwayat.objects.filter(objek_uuid=k1.uuid) | Riwayat.objects.filter(
        keluarga_uuid=k1.uuid
    )
    assert k1_riwayat.filter(aksi="impor").count() == 4  # household + 3 members
    assert Riwayat.objects.filter(objek_tipe="ppks", aksi="impor").count() == 3
    assert k1_riwayat.first().catatan == f"Diimpor dari berkas data.xlsx (sha256 {sha[:12]}…)."

    log = AuditLog.objects.get(aksi="impor")
    assert log.pelaku == world.users["tksk_pahandut"]
    assert log.data["sha256"] == sha and log.data["token"] == token
    assert log.data["baris_keluarga"] == 7 and log.data["keluarga_disimpan"] == 2
    assert log.data["anggota_disimpan"] == 5 and log.data["ppks_disimpan"] == 3
    assert log.data["keluarga_galat"] == 1 and log.data["ppks_galat"] == 1
    assert AuditLog.objects.filter(aksi="impor_unggah", data__token=token).exists()

    # The upload and its preview are gone; the result page stays.
    folder = impor.folder_impor()
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == [
        f"{token}.json"
    ]
    html = tksk.get(detail(token)).content.decode()
    assert "Impor selesai." in html and "Tersimpan 2 keluarga (5 anggota) dan 3 PPKS" in html
    # The household page shows the import in its history.
    halaman = tksk.get(reverse("pendataan:keluarga-detail", args=[k1.uuid])).content.decode()
    assert "Diimpor" in halaman
    # A second confirmation of the same upload does nothing.
    konfirmasi(tksk, token)
    assert Keluarga.objects.count() == 2 and AuditLog.objects.filter(aksi="impor").count() == 1


def test_importing_the_same_file_twice_adds_nothing(world, tksk):
    _, _, data = berkas_contoh(world)
    _, token = unggah(tksk, data)
    konfirmasi(tksk, token)
    jumlah = (Keluarga.objects.count(), Individu.objects.count(), PPKS.objects.count())

    _, token2 = unggah(tksk, data)
    ringkasan = laporan(token2)["ringkasan"]
    assert ringkasan["keluarga"]["siap"] == 0 and ringkasan["keluarga"]["sudah_ada"] == 2
    assert ringkasan["ppks"]["siap"] == 0 and ringkasan["ppks"]["sudah_ada"] == 3
    assert not ringkasan["bisa_disimpan"]
    assert impor.muat(token2).meta.get("pernah_diimpor")
    html = tksk.get(detail(token2)).content.decode()
    assert "Tidak ada data yang dapat diimpor" in html and "konfirmasi-impor" not in html
    assert "Sudah ada, dilewati" in html and 'data-testid="pernah-diimpor"' in html
    response = konfirmasi(tksk, token2)
    assert response.status_code == 302
    assert (Keluarga.objects.count(), Individu.objects.count(), PPKS.objects.count()) == jumlah


def test_corrected_file_imports_only_what_was_missing(world, tksk):
    rows, ppks, data = berkas_contoh(world)
    _, token = unggah(tksk, data)
    konfirmasi(tksk, token)
    rows[6]["nik"] = nik_baru(date(1984, 7, 21), "P")
    _, token2 = unggah(tksk, buat_xlsx(rows, ppks))
    ringkasan = laporan(token2)["ringkasan"]
    assert (ringkasan["keluarga"]["siap"], ringkasan["keluarga"]["sudah_ada"]) == (1, 2)
    assert (ringkasan["ppks"]["siap"], ringkasan["ppks"]["sudah_ada"]) == (1, 3)
    konfirmasi(tksk, token2)
    assert Keluarga.objects.count() == 3 and PPKS.objects.count() == 4


def test_households_without_kk_or_nik_are_matched_by_names(world, tksk):
    desa = world.desa["pahandut"]
    rows = [
        anggota(
            "G1", "Udin", "kepala_keluarga", tanggal_lahir=None, alasan_tanpa_nik="gelandangan"
        ),
        anggota("G1", "Ijah", "istri", tanggal_lahir=None, jenis_kelamin="P", alasan_tanpa_nik="5"),
    ]
    rows[1]["alasan_tanpa_nik"] = "Gelandangan/tanpa tempat tinggal tetap"  # a label works too
    rows[0].update(kode_desa=desa.kode, alamat="Kolong jembatan Kahayan")
    rows[0]["alasan_tanpa_kk"] = "Tidak memiliki KK"
    data = buat_xlsx(rows)
    _, token = unggah(tksk, data)
    assert laporan(token)["ringkasan"]["keluarga"]["siap"] == 1
    assert "hanya dapat dicocokkan menurut desa" in masalah(token)[2]["peringatan"][0]
    konfirmasi(tksk, token)
    kel = Keluarga.objects.get()
    assert kel.no_kk is None and kel.anggota.filter(alasan_tanpa_nik="gelandangan").count() == 2
    _, token2 = unggah(tksk, data)
    assert laporan(token2)["ringkasan"]["keluarga"]["sudah_ada"] == 1


# --- the same rules as the form ---------------------------------------------------------------


def _form_html(client, world, anggota_list, **keluarga_data):
    data = form_data(world.desa["pahandut"], anggota_list, initial=0, **keluarga_data)
    response = client.post(reverse("pendataan:keluarga-create"), data, follow=True)
    return response.content.decode()


def _rows(world, anggota_list, no_kk):
    rows = []
    for a in anggota_list:
        row = {k: v for k, v in a.items() if k in KOLOM_K}
        if isinstance(row.get("tanggal_lahir"), date):
            row["tanggal_lahir"] = row["tanggal_lahir"].isoformat()
        row["kode_keluarga"] = "F1"
        rows.append(row)
    rows[0].update(no_kk=no_kk, kode_desa=world.desa["pahandut"].kode, alamat="Jl. G. Obos 12")
    return rows


def _kasus_nik_tanggal():
    return [anggota_data(), anggota_data("Siti", "istri", nik="6271017204850001")]


def _kasus_masa_depan():
    besok = timezone.localdate() + timedelta(days=3)
    rafi = {**anggota_data("Rafi", "anak"), "nik": "", "alasan_tanpa_nik": "bayi"}
    return [anggota_data(), {**rafi, "tanggal_lahir": besok}]


KASUS = {
    # name: (members, row of the sheet with the message, column)
    "nik-tanggal": (_kasus_nik_tanggal, 3, "nik"),
    "tanggal-lahir-masa-depan": (_kasus_masa_depan, 3, "tanggal_lahir"),
    "dua-kepala": (lambda: [anggota_data(), anggota_data("Adi")], 2, "hubungan"),
    "tanpa-kepala": (lambda: [anggota_data("Adi", "anak")], 2, "hubungan"),
    "tanpa-nik-tanpa-alasan": (
        lambda: [anggota_data(), {**anggota_data("Rafi", "anak"), "nik": ""}],
        3,
        "alasan_tanpa_nik",
    ),
    "nama-terlalu-panjang": (lambda: [anggota_data(nama="A" * 151)], 2, "nama"),
}


@pytest.mark.parametrize("kasus", KASUS, ids=str)
def test_import_refuses_with_the_same_message_as_the_form(world, tksk, kasus):
    buat, baris, kolom = KASUS[kasus]
    anggota_list = buat()
    no_kk = no_kk_unik()
    html = _form_html(tksk, world, anggota_list, no_kk=no_kk)
    assert not Keluarga.objects.exists()
    _, token = unggah(tksk, buat_xlsx(_rows(world, anggota_list, no_kk)))
    pesan = masalah(token)[baris]["galat"]
    semua = [p for daftar in pesan.values() for p in daftar]
    assert pesan.get(kolom), pesan
    for p in semua:
        assert escape(p) in html, (p, kasus)


def test_nik_in_scope_points_to_the_record_like_the_form(world, tksk):
    lama = buat_keluarga(world, "pahandut")
    nik = lama.anggota.get().nik
    anggota_list = [anggota_data(nik=nik)]
    html = _form_html(tksk, world, anggota_list, no_kk=no_kk_unik())
    _, token = unggah(tksk, buat_xlsx(_rows(world, anggota_list, no_kk_unik())))
    galat = next(m for m in laporan(token)["masalah"] if m["baris"] == 2)["galat"][0]
    assert galat["pesan"] == "NIK ini sudah terdaftar." and galat["pesan"] in html
    assert galat["keluarga_uuid"] == str(lama.uuid)
    page = tksk.get(detail(token)).content.decode()
    assert reverse("pendataan:keluarga-detail", args=[lama.uuid]) in page


def test_nik_warnings_are_the_forms_warnings_by_row(world, tksk):
    anggota_list = [anggota_data(tanggal_lahir=date(1985, 4, 12))]
    anggota_list[0]["tanggal_lahir"] = date(1986, 4, 12)  # the NIK says 1985
    anggota_list[0]["jenis_kelamin"] = "P"  # and a man
    no_kk = no_kk_unik()
    _, token = unggah(tksk, buat_xlsx(_rows(world, anggota_list, no_kk)))
    peringatan = masalah(token)[2]["peringatan"]
    assert len(peringatan) == 2
    html = _form_html(tksk, world, anggota_list, no_kk=no_kk)
    for p in peringatan:
        assert escape(p) in html


def test_nik_outside_area_opens_a_case_only_on_confirmation(world, tksk):
    lain = buat_keluarga(world, "jekanraya")
    nik_lain = lain.anggota.get().nik
    desa = world.desa["pahandut"]
    rows = keluarga("A", desa, jumlah=2) + keluarga("B", desa, jumlah=1)
    rows[1]["nik"] = nik_lain
    _, token = unggah(tksk, buat_xlsx(rows))
    pesan = masalah(token)[3]["galat"]["nik"][0]
    assert "sudah terdaftar di wilayah lain" in pesan
    assert lain.desa.nama not in json.dumps(laporan(token)) and lain.nama_kepala not in pesan
    assert not KasusGanda.objects.exists()
    konfirmasi(tksk, token)
    assert Keluarga.objects.filter(desa=desa).count() == 1
    kasus = KasusGanda.objects.get()
    assert (
        kasus.individu_lama == lain.anggota.get() and kasus.pelapor == world.users["tksk_pahandut"]
    )


def test_changes_since_the_preview_save_nothing_and_show_a_new_preview(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=2) + keluarga(
        "B", world.desa["pahandut"], jumlah=1
    )
    _, token = unggah(tksk, buat_xlsx(rows))
    assert laporan(token)["ringkasan"]["keluarga"]["siap"] == 2
    # Meanwhile the same person is recorded through the form.
    buat_keluarga(world, "pahandut", anggota=[anggota_data(nik=rows[2]["nik"])])
    konfirmasi(tksk, token)
    assert Keluarga.objects.count() == 1  # only the one made meanwhile
    unggahan = impor.muat(token)
    assert unggahan.status == impor.Status.SIAP and unggahan.meta["berubah"]
    html = tksk.get(detail(token)).content.decode()
    assert "Data di sistem berubah sejak pratinjau" in html
    assert "NIK ini sudah terdaftar." in html
    assert "Konfirmasi impor: 1 keluarga" in html
    konfirmasi(tksk, token)
    assert Keluarga.objects.count() == 2


# --- cells as Excel writes them -----------------------------------------------------------------


def test_numeric_nik_cells_are_refused_never_converted(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=3)
    rows[0]["nik"] = int(rows[0]["nik"])
    rows[1]["nik"] = float(rows[1]["nik"])
    rows[0]["no_kk"] = int(rows[0]["no_kk"])
    _, token = unggah(tksk, buat_xlsx(rows))
    per_baris = masalah(token)
    for baris in (2, 3):
        pesan = per_baris[baris]["galat"]["nik"][0]
        assert "Ubah format kolom NIK menjadi Teks" in pesan
    assert "Ubah format kolom No KK menjadi Teks" in per_baris[2]["galat"]["no_kk"][0]
    konfirmasi(tksk, token)
    assert not Keluarga.objects.exists()


def test_formula_cells_are_refused_and_text_that_looks_like_one_is_kept(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=3)
    rows[0]["pekerjaan"] = "=A1"
    rows[0]["_rumus"] = "pekerjaan"  # a real formula cell
    rows[1]["nik"] = '="6271011204850001"'
    rows[1]["_rumus"] = "nik"
    rows[2]["pekerjaan"] = "=SUM(1,1)"  # a text cell that starts with "="
    _, token = unggah(tksk, buat_xlsx(rows))
    per_baris = masalah(token)
    assert per_baris[2]["galat"]["pekerjaan"] == [impor.PESAN_RUMUS]
    assert "terbaca sebagai rumus spreadsheet" in per_baris[3]["galat"]["nik"][0]
    assert 4 not in per_baris or not per_baris[4]["galat"]


def test_dates_codes_and_labels_as_people_write_them(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=3)
    rows[0].update(
        tanggal_lahir=datetime(1980, 3, 9),
        hubungan="Kepala Keluarga",
        jenis_kelamin="laki-laki",
        agama="Islam",
        pendidikan="SLTA",
        status_kawin="Kawin",
        disabilitas="Fisik, sensorik",
        kode_desa=world.desa["pahandut"].nama,
        latitude="-2,2100",
        longitude=113.91,
    )
    rows[1].update(tanggal_lahir="21/07/1984", hubungan="ISTRI", jenis_kelamin="p")
    rows[2].update(tanggal_lahir="2008-13-40", agama="Jedi", pendidikan="tk")
    _, token = unggah(tksk, buat_xlsx(rows))
    per_baris = masalah(token)
    assert set(per_baris) == {2, 3, 4} and not per_baris[3]["galat"]
    assert "“Kawin” dibaca sebagai “Kawin tercatat”" in per_baris[2]["peringatan"][0]
    assert not per_baris[2]["galat"]
    galat = per_baris[4]["galat"]
    assert "Tulis TTTT-BB-HH" in galat["tanggal_lahir"][0]
    assert "Pilihan: islam, kristen" in galat["agama"][0]
    assert "pendidikan" in galat
    rows[2].update(tanggal_lahir="2008-01-15", agama="", pendidikan="")
    _, token = unggah(tksk, buat_xlsx(rows))
    konfirmasi(tksk, token)
    kepala = Individu.objects.get(hubungan="kepala_keluarga")
    assert (kepala.tanggal_lahir, kepala.pendidikan, kepala.status_kawin) == (
        date(1980, 3, 9),
        "sma",
        "kawin_tercatat",
    )
    assert kepala.disabilitas == ["fisik", "sensorik"]
    assert str(kepala.keluarga.latitude) == "-2.210000"
    assert Individu.objects.get(hubungan="istri").tanggal_lahir == date(1984, 7, 21)


def test_household_columns_that_disagree_within_a_household(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=2)
    rows[1]["alamat"] = "Jl. Lain"
    rows[1]["no_kk"] = rows[0]["no_kk"]  # repeated and equal: fine
    rows += keluarga("B", world.desa["pahandut"], jumlah=1, no_kk=rows[0]["no_kk"])
    rows.append(anggota("", "Tanpa Kode", "anak"))
    _, token = unggah(tksk, buat_xlsx(rows))
    per_baris = masalah(token)
    assert "Berbeda dengan isian baris 2" in per_baris[3]["galat"]["alamat"][0]
    assert "no_kk" not in per_baris[3]["galat"]
    assert (
        "sudah dipakai keluarga lain di berkas ini (baris 2)" in per_baris[4]["galat"]["no_kk"][0]
    )
    assert "Isi kode_keluarga atau no_kk" in per_baris[5]["galat"]["kode_keluarga"][0]


def test_same_nik_twice_in_a_file(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=2) + keluarga(
        "B", world.desa["pahandut"], jumlah=2
    )
    rows[3]["nik"] = rows[0]["nik"]
    _, token = unggah(tksk, buat_xlsx(rows))
    assert masalah(token)[5]["galat"]["nik"] == [
        "NIK ini sudah dipakai di baris 2 berkas ini. Satu NIK untuk satu orang."
    ]
    assert laporan(token)["ringkasan"]["keluarga"]["siap"] == 1


# --- PPKS rows ----------------------------------------------------------------------------------


def test_ppks_rows_subjects_warnings_and_errors(world, tksk):
    desa = world.desa["pahandut"]
    lama = buat_keluarga(world, "pahandut")
    rows = keluarga("A", desa, jumlah=3)
    rows[2].update(nik="", alasan_tanpa_nik="bayi", nama="Rafi Kecil")
    ppks = [
        # A man as "Perempuan Rawan Sosial Ekonomi": saved, with the form's warning.
        {"nik": rows[0]["nik"], "kategori": "prse", "tanggal_identifikasi": "2026-02-01"},
        {
            "kode_keluarga": "A",
            "nama_anggota": "rafi kecil",
            "kategori": "ABT",
            "tanggal_identifikasi": "2026-02-01",
        },  # fmt: skip
        {
            "no_kk": lama.no_kk,
            "kategori": "KBA",
            "tanggal_identifikasi": "2026-02-01",
            "status_penanganan": "Dalam penanganan",
        },  # fmt: skip
        {"nik": rows[0]["nik"], "kategori": "PPKS-23", "tanggal_identifikasi": "2026-02-01"},
        {"nik": nik_baru(), "kategori": "FM", "tanggal_identifikasi": "2026-02-01"},
        {"kode_keluarga": "A", "kategori": "XYZ", "tanggal_identifikasi": "kemarin"},
        {"kategori": "FM", "tanggal_identifikasi": "2026-02-01"},
        {"kode_keluarga": "ZZ", "kategori": "FM", "tanggal_identifikasi": "2026-02-01"},
    ]
    _, token = unggah(tksk, buat_xlsx(rows, ppks))
    per_baris = masalah(token, "PPKS")
    assert "Perempuan Rawan Sosial Ekonomi" in per_baris[2]["peringatan"][0]
    assert "Sama dengan baris 2" in per_baris[5]["galat"]["kategori"][0]
    assert (
        "tidak ada di lembar Keluarga maupun di data wilayah Anda"
        in per_baris[6]["galat"]["nik"][0]
    )
    assert "Kategori “XYZ” tidak dikenal" in per_baris[7]["galat"]["kategori"][0]
    assert "tidak dikenali" in per_baris[7]["galat"]["tanggal_identifikasi"][0]
    assert "Isi subjek PPKS" in per_baris[8]["galat"]["nik"][0]
    assert "tidak ada di lembar Keluarga" in per_baris[9]["galat"]["kode_keluarga"][0]
    assert laporan(token)["ringkasan"]["ppks"]["siap"] == 3
    konfirmasi(tksk, token)
    assert PPKS.objects.get(kategori__singkatan="ABT").individu.nama == "Rafi Kecil"
    kba = PPKS.objects.get(kategori__singkatan="KBA")
    assert (kba.subjek, kba.keluarga, kba.status_penanganan) == ("keluarga", lama, "dalam")
    assert PPKS.objects.get(kategori__singkatan="PRSE").jenis_kelamin == "L"


def test_a_ppks_csv_on_its_own_for_recorded_households(world, tksk):
    lama = buat_keluarga(world, "pahandut")
    orang = lama.anggota.get()
    rows = [
        {"nik": orang.nik, "kategori": "FM", "tanggal_identifikasi": "01-02-2026"},
        {"no_kk": lama.no_kk, "kategori": "KBS", "tanggal_identifikasi": "2026-02-01"},
    ]
    _, token = unggah(tksk, buat_csv(rows, KOLOM_P, pemisah=";"), "ppks.csv")
    assert laporan(token)["ringkasan"]["ppks"]["siap"] == 2
    konfirmasi(tksk, token)
    assert set(PPKS.objects.values_list("subjek", flat=True)) == {"individu", "keluarga"}


# --- CSV ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pemisah,encoding", [(",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), ("\t", "utf-8")]
)
def test_csv_as_excel_writes_it(world, tksk, pemisah, encoding):
    rows = keluarga("A", world.desa["pahandut"], jumlah=2)
    rows[0]["nama"] = "André Ñoño"
    rows[0]["latitude"], rows[0]["longitude"] = "-2,21", "113,91"
    _, token = unggah(tksk, buat_csv(rows, KOLOM_K, pemisah=pemisah, encoding=encoding), "k.csv")
    assert laporan(token)["ringkasan"]["keluarga"]["siap"] == 1, masalah(token)
    konfirmasi(tksk, token)
    assert Individu.objects.filter(nama="André Ñoño").exists()


# --- files that are refused ---------------------------------------------------------------------


def _zip_tanpa_xlsx() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "bukan excel")
    return out.getvalue()


def _xlsx_ditambah(bagian: dict[str, bytes]) -> bytes:
    """A real workbook from the template writer with extra parts added to its zip."""
    import zipfile

    out = io.BytesIO(buat_xlsx([]))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as arsip:
        for nama, isi in bagian.items():
            arsip.writestr(nama, isi)
    return out.getvalue()


BERKAS_DITOLAK = {
    "xlsm-diganti-nama": (
        "data.xlsx",
        _xlsx_ditambah({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}),
        "Berkas berisi makro",
    ),
    "tautan-luar": (
        "data.xlsx",
        _xlsx_ditambah({"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
        "tautan ke buku kerja lain",
    ),
    # 30 MB of zeros compress to about 30 KB: far under the total limit, refused by its ratio.
    "bom-zip": (
        "data.xlsx",
        _xlsx_ditambah({"xl/media/isi.bin": b"\0" * 30 * 1024 * 1024}),
        "mengembang lebih dari",
    ),
    "xls-lama": ("data.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Format .xls"),
    "exe": ("data.exe", b"MZ\x90\0", "Unggah berkas .xlsx (Excel) atau .csv"),
    "tanpa-akhiran": ("data", b"a,b", "Unggah berkas .xlsx"),
    "xlsx-isi-teks": ("data.xlsx", b"nik,nama\n1,2\n", "bukan .xlsx walaupun namanya"),
    "zip-bukan-xlsx": ("data.xlsx", _zip_tanpa_xlsx(), "bukan buku kerja Excel"),
    "csv-isi-xlsx": ("data.csv", buat_xlsx([]), "bukan CSV"),
    "csv-biner": ("data.csv", b"nik,nama\n\x00\x01\x02", "data biner"),
    "csv-kontrol": ("data.csv", b"nik,nama,hubungan\n1\x07,2,3\n", "karakter kontrol"),
    "csv-satu-kolom": ("data.csv", b"nik nama hubungan\n", "hanya berisi satu kolom"),
    "csv-judul-lain": ("data.csv", b"foo,bar\n1,2\n", "judul kolom lembar Keluarga"),
    "csv-kurang-kolom": ("data.csv", b"nama,jenis_kelamin,hubungan\nA,L,anak\n", "tidak ditemukan"),
    "csv-kosong": ("data.csv", b"", "Berkas kosong"),
    "xlsx-tanpa-lembar": ("data.xlsx", None, "tidak berisi lembar"),
}


@pytest.mark.parametrize("kasus", BERKAS_DITOLAK, ids=str)
def test_files_are_checked_by_content_not_only_by_name(world, tksk, kasus):
    nama, data, pesan = BERKAS_DITOLAK[kasus]
    if data is None:
        from openpyxl import Workbook

        wb, out = Workbook(), io.BytesIO()
        wb.active.title = "Data saya"
        wb.save(out)
        data = out.getvalue()
    response, token = unggah(tksk, data, nama)
    assert response.status_code == 200 and token is None
    html = response.content.decode()
    assert 'data-testid="galat-berkas"' in html and escape(pesan) in html, html[-3000:]
    assert not [p for p in impor.folder_impor().iterdir() if p.suffix in (".xlsx", ".csv")]


def test_size_and_row_limits(world, tksk, settings):
    rows = keluarga("A", world.desa["pahandut"], jumlah=4)
    settings.IMPOR_BATAS_BARIS = 3
    response, token = unggah(tksk, buat_xlsx(rows))
    assert token is None and "lebih dari 3 baris data" in response.content.decode()
    settings.IMPOR_BATAS_BARIS = 10
    settings.IMPOR_BATAS_MB = 0.001
    response, token = unggah(tksk, buat_xlsx(rows))
    assert token is None and "melebihi batas 0.001 MB" in response.content.decode()
    assert "Paling besar 0.001 MB" in tksk.get(INDEX).content.decode()


# --- who may see an upload, and for how long ------------------------------------------------


def test_an_upload_belongs_to_its_area(world, client):
    client.force_login(world.users["tksk_pahandut"])
    _, token = unggah(client, buat_xlsx(keluarga("A", world.desa["pahandut"], jumlah=1)))
    for nama, status in (
        ("tksk_jekanraya", 404),
        ("unassigned", 404),
        ("kab_palangkaraya", 403),
        ("prov", 403),
        ("admin", 200),
    ):
        client.force_login(world.users[nama])
        assert client.get(detail(token)).status_code == status, nama
        assert konfirmasi(client, token).status_code in (status, 302 if status == 200 else status)
    assert impor.muat(token) is not None


def test_uploads_expire_after_24_hours(world, tksk):
    _, token = unggah(tksk, buat_xlsx(keluarga("A", world.desa["pahandut"], jumlah=1)))
    unggahan = impor.muat(token)
    lama = (timezone.now() - timedelta(hours=25)).isoformat()
    impor.ubah(token, dibuat=lama)
    assert tksk.get(detail(token)).status_code == 404
    assert not unggahan.berkas.exists()
    # Files left behind by anything are swept by age at the next upload.
    sisa = impor.folder_impor() / "sisa.xlsx"
    sisa.write_bytes(b"x")
    os.utime(sisa, (time.time() - 90000, time.time() - 90000))
    unggah(tksk, buat_xlsx(keluarga("B", world.desa["pahandut"], jumlah=1)))
    assert not sisa.exists()


def test_cancel_deletes_the_upload(world, tksk):
    _, token = unggah(tksk, buat_xlsx(keluarga("A", world.desa["pahandut"], jumlah=1)))
    path = impor.muat(token).berkas
    response = tksk.post(reverse("pendataan:impor-batal", args=[token]))
    assert response.status_code == 302 and response["Location"] == INDEX
    assert not path.exists() and impor.muat(token) is None
    assert tksk.get(detail(token)).status_code == 404
    assert AuditLog.objects.filter(aksi="impor_batal").exists()


def test_own_recent_uploads_are_listed(world, tksk):
    _, token = unggah(tksk, buat_xlsx(keluarga("A", world.desa["pahandut"], jumlah=1)), "x.xlsx")
    html = tksk.get(INDEX).content.decode()
    assert detail(token) in html and "Menunggu konfirmasi" in html


# --- in the background --------------------------------------------------------------------------


def test_the_check_runs_in_the_background_and_the_page_follows_it(
    world, client, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued
    client.force_login(world.users["tksk_pahandut"])
    _, token = unggah(client, buat_xlsx(keluarga("A", world.desa["pahandut"], jumlah=2)))
    assert impor.muat(token).status == impor.Status.ANTRI
    html = client.get(detail(token)).content.decode()
    assert "Berkas sedang diperiksa" in html and 'hx-trigger="every 2s"' in html
    parsial = client.get(detail(token), HTTP_HX_REQUEST="true")
    assert parsial.status_code == 200 and "<html" not in parsial.content.decode()
    assert konfirmasi(client, token).status_code == 302  # not ready: nothing happens
    assert impor.muat(token).status == impor.Status.ANTRI

    assert impor.jalankan_impor.call(token, "periksa") == impor.Status.SIAP
    assert impor.jalankan_impor.call(token, "periksa") == "dilewati"  # a repeated job
    selesai = client.get(detail(token), HTTP_HX_REQUEST="true")
    assert selesai.headers.get("HX-Refresh") == "true"
    assert "Konfirmasi impor: 1 keluarga" in client.get(detail(token)).content.decode()

    konfirmasi(client, token)
    assert impor.muat(token).status == impor.Status.ANTRI_SIMPAN
    assert client.post(reverse("pendataan:impor-batal", args=[token])).status_code == 302
    assert impor.muat(token) is not None  # a queued import cannot be cancelled
    assert impor.jalankan_impor.call(token, "simpan") == impor.Status.SELESAI
    assert Keluarga.objects.count() == 1


def test_a_tampered_file_is_not_imported(world, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(world.users["tksk_pahandut"])
    _, token = unggah(client, buat_xlsx(keluarga("A", world.desa["pahandut"], jumlah=2)))
    impor.muat(token).berkas.write_bytes(buat_xlsx(keluarga("B", world.desa["pahandut"])))
    assert impor.jalankan_impor.call(token, "periksa") == impor.Status.GAGAL
    html = client.get(detail(token)).content.decode()
    assert "Berkas yang tersimpan berubah sejak diunggah" in html


@pytest.mark.django_db(transaction=True)
def test_the_import_job_retries_a_dropped_connection(world, tksk, monkeypatch):
    """django-tasks-db never retries a failed job: the import retries a dropped connection
    itself. The failed try is rolled back whole, so the retry saves everything once; a failure
    that persists saves nothing and tells the user."""
    from django.db import OperationalError

    from tksk import tasks as core_tasks

    monkeypatch.setattr(core_tasks.time, "sleep", lambda _s: None)
    asli = impor_rumah.keluarga_buat_banyak
    percobaan = []

    def putus_sekali(**kwargs):
        hasil = asli(**kwargs)  # written, then the connection drops before the commit
        percobaan.append(len(hasil))
        if len(percobaan) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return hasil

    desa = world.desa["pahandut"]
    _, token = unggah(
        tksk, buat_xlsx(keluarga("A", desa, jumlah=2) + keluarga("B", desa, jumlah=1))
    )
    monkeypatch.setattr(impor_rumah, "keluarga_buat_banyak", putus_sekali)
    konfirmasi(tksk, token)
    assert len(percobaan) == 2
    assert impor.muat(token).status == impor.Status.SELESAI
    assert Keluarga.objects.count() == 2 and Individu.objects.count() == 3
    assert Riwayat.objects.filter(aksi="impor").count() == 5
    assert AuditLog.objects.filter(aksi="impor").count() == 1

    def selalu_putus(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    _, token = unggah(tksk, buat_xlsx(keluarga("C", desa, jumlah=2)))
    monkeypatch.setattr(impor_rumah, "keluarga_buat_banyak", selalu_putus)
    konfirmasi(tksk, token)
    assert impor.muat(token).status == impor.Status.GAGAL
    assert Keluarga.objects.count() == 2
    assert impor.PESAN_GAGAL in tksk.get(detail(token)).content.decode()


def test_numeric_no_kk_cells_never_merge_households(world, tksk):
    desa = world.desa["pahandut"]
    rows = keluarga("", desa, jumlah=1) + keluarga("", desa, jumlah=1)
    rows[0]["no_kk"], rows[1]["no_kk"] = 6271019901000001, 6271019901000002
    _, token = unggah(tksk, buat_xlsx(rows))
    ringkasan = laporan(token)["ringkasan"]["keluarga"]
    assert (ringkasan["jumlah"], ringkasan["galat"]) == (2, 2)
    per_baris = masalah(token)
    assert all("menjadi Teks" in per_baris[b]["galat"]["no_kk"][0] for b in (2, 3))


def test_ppks_numeric_nik_gets_the_nik_message(world, tksk):
    lama = buat_keluarga(world, "pahandut")
    nik = lama.anggota.get().nik
    ppks = [{"nik": int(nik), "kategori": "FM", "tanggal_identifikasi": "2026-01-05"}]
    _, token = unggah(tksk, buat_xlsx([], ppks))
    assert masalah(token, "PPKS")[2]["galat"] == {
        "nik": [
            "NIK telah diubah Excel menjadi angka ilmiah/desimal (misalnya 6,27E+15), sehingga "
            "digit aslinya hilang. Ubah format kolom NIK menjadi Teks (Text), lalu ketik ulang "
            "NIK dari KTP/KK."
        ]
    }
