"""A TKSK on a phone records a household with three members (adding rows without a reload) and a
PPKS for one of them, and submits it; the Dinas Sosial kabupaten returns it with a reason and a
note; the TKSK finds it on the home page, corrects it and submits it again; the Dinas verifies
it; the household's history shows every step."""

import io
from datetime import date

import pytest

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE, login, screenshot

NO_KK = "6271010203040005"
NIK_KEPALA = "6271010903800001"  # 09-03-1980, male
NIK_ISTRI = "6271016107840002"  # 21-07-1984, female
CATATAN = "Tanggal lahir istri tidak sesuai KK; mohon periksa kembali."


def _tanpa_geser(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _isi_anggota(page, i, *, nama, jk, lahir, hubungan, nik="", alasan=""):
    prefix = f"#id_anggota-{i}-"
    if nik:
        page.fill(prefix + "nik", nik)
    else:
        page.select_option(prefix + "alasan_tanpa_nik", alasan)
    page.fill(prefix + "nama", nama)
    page.select_option(prefix + "jenis_kelamin", jk)
    page.fill(prefix + "tanggal_lahir", lahir)
    page.select_option(prefix + "hubungan", hubungan)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_household_entry_return_correction_and_verification(page_factory):
    from pendataan.models import PPKS, Keluarga, Riwayat
    from tksk.models import KategoriPPKS

    make_user("tksk.jalur", "tksk", "62.71.01", first_name="Rahmat", last_name="Hidayat")
    make_user("kab.jalur", "kabupaten", "62.71", first_name="Dewi", last_name="Lestari")

    tksk = page_factory(PHONE)
    login(tksk, "tksk.jalur", PASSWORD)

    # 1. The household form, reached from the module page; two rows added with the button.
    tksk.get_by_role("link", name="Pendataan").last.click()
    tksk.get_by_role("link", name="+ Tambah keluarga").first.click()
    tksk.wait_for_load_state("networkidle")
    tksk.fill("#id_no_kk", NO_KK)
    tksk.select_option("#id_desa", index=1)
    tksk.fill("#id_alamat", "Jl. G. Obos No. 12")
    tksk.fill("#id_rt", "003")
    tksk.fill("#id_rw", "001")
    _isi_anggota(
        tksk,
        0,
        nik=NIK_KEPALA,
        nama="Budi Santoso",
        jk="L",
        lahir="1980-03-09",
        hubungan="kepala_keluarga",
    )
    tksk.get_by_role("button", name="+ Tambah anggota").click()
    # Wrong birth date on purpose: the NIK says 21-07-1984 (the Dinas will notice).
    _isi_anggota(
        tksk, 1, nik=NIK_ISTRI, nama="Siti Aminah", jk="P", lahir="1985-07-21", hubungan="istri"
    )
    tksk.get_by_role("button", name="+ Tambah anggota").click()
    _isi_anggota(
        tksk, 2, alasan="bayi", nama="Rafi Santoso", jk="L", lahir="2025-12-01", hubungan="anak"
    )
    assert tksk.locator("[data-anggota-baris]:not(.d-none)").count() == 3
    assert tksk.input_value("#id_anggota-TOTAL_FORMS") == "3"
    _tanpa_geser(tksk)
    screenshot(tksk, "journey-01-form-keluarga")
    tksk.get_by_role("button", name="Simpan", exact=True).click()
    tksk.wait_for_load_state("networkidle")
    assert "Data keluarga Budi Santoso tersimpan." in tksk.content()
    assert tksk.get_by_test_id("anggota").locator("li").count() == 3
    # The NIK/birth-date mismatch is a visible warning, not a refusal.
    assert "Tanggal lahir pada NIK" in tksk.get_by_test_id("peringatan").inner_text()
    _tanpa_geser(tksk)
    screenshot(tksk, "journey-02-keluarga-tersimpan")
    kel = Keluarga.objects.get(no_kk=NO_KK)
    assert kel.jumlah_anggota == 3 and kel.status == "draf"

    # 2. A PPKS for the head, from his row on the household page.
    tksk.get_by_role("link", name="+ Catat PPKS untuk Budi Santoso").click()
    tksk.wait_for_load_state("networkidle")
    tksk.select_option("#id_kategori", str(KategoriPPKS.objects.get(singkatan="FM").pk))
    tksk.fill("#id_deskripsi", "Buruh harian, penghasilan tidak tetap, tiga tanggungan.")
    tksk.fill("#id_kebutuhan", "Bantuan pangan (Program Sembako), PBI-JK")
    _tanpa_geser(tksk)
    screenshot(tksk, "journey-03-form-ppks")
    tksk.get_by_role("button", name="Simpan", exact=True).click()
    tksk.wait_for_load_state("networkidle")
    assert "Identifikasi PPKS disimpan." in tksk.content()
    ppks = PPKS.objects.get()
    assert ppks.individu.nama == "Budi Santoso" and ppks.kategori.singkatan == "FM"

    # 3. Back to the household and submit it.
    tksk.goto(f"/pendataan/keluarga/{kel.uuid}/")
    assert "FM – Fakir Miskin" in tksk.content()
    tksk.get_by_role("button", name="Ajukan verifikasi").click()
    tksk.wait_for_load_state("networkidle")
    assert "1 data diajukan." in tksk.content()
    screenshot(tksk, "journey-04-diajukan")
    kel.refresh_from_db()
    assert kel.status == "diajukan"

    # 4. The Dinas kabupaten finds it in its queue and returns it with a reason and a note.
    kab = page_factory(PHONE)
    login(kab, "kab.jalur", PASSWORD)
    assert kab.get_by_test_id("panel-verifikasi").is_visible()
    kab.get_by_role("link", name="Data menunggu verifikasi").click()
    kab.wait_for_load_state("networkidle")
    screenshot(kab, "journey-05-antrian-verifikasi")
    kab.goto(f"/pendataan/keluarga/{kel.uuid}/")
    kab.select_option("#id_alasan", "tidak_sesuai")
    kab.fill("#id_catatan", CATATAN)
    _tanpa_geser(kab)
    kab.get_by_role("button", name="Kembalikan ke TKSK").click()
    kab.wait_for_load_state("networkidle")
    assert "1 data dikembalikan." in kab.content()
    screenshot(kab, "journey-06-dikembalikan")
    kel.refresh_from_db()
    assert (kel.status, kel.alasan_kembali, kel.catatan_verifikasi) == (
        "dikembalikan",
        "tidak_sesuai",
        CATATAN,
    )

    # 5. The TKSK sees it on the home page, corrects the date and submits again.
    tksk.goto("/")
    kotak = tksk.get_by_test_id("panel-dikembalikan")
    assert "Budi Santoso" in kotak.inner_text() and "Tanggal lahir istri" in kotak.inner_text()
    _tanpa_geser(tksk)
    screenshot(tksk, "journey-07-beranda-dikembalikan")
    kotak.get_by_role("link").first.click()
    tksk.wait_for_load_state("networkidle")
    alasan = tksk.get_by_test_id("dikembalikan").inner_text()
    assert "Data tidak sesuai dokumen (KK/KTP)" in alasan and CATATAN in alasan
    tksk.get_by_role("link", name="Ubah data").click()
    tksk.wait_for_load_state("networkidle")
    baris_istri = tksk.locator("[data-anggota-baris]", has_text="Siti Aminah")
    baris_istri.locator("input[name$='-tanggal_lahir']").fill("1984-07-21")
    screenshot(tksk, "journey-08-koreksi")
    tksk.get_by_role("button", name="Simpan & ajukan verifikasi").click()
    tksk.wait_for_load_state("networkidle")
    assert "Data diajukan untuk diverifikasi Dinas Sosial." in tksk.content()
    assert not tksk.get_by_test_id("peringatan").count()  # the NIK and the date agree now
    kel.refresh_from_db()
    assert kel.status == "diajukan"

    # 6. The Dinas verifies it.
    kab.goto(f"/pendataan/keluarga/{kel.uuid}/")
    kab.fill("#id_catatan", "Sesuai KK.")
    kab.get_by_role("button", name="Verifikasi", exact=True).click()
    kab.wait_for_load_state("networkidle")
    assert "1 data diverifikasi." in kab.content()
    kel.refresh_from_db()
    assert kel.status == "terverifikasi"

    # 7. The history on the household page shows all of it, to both.
    for page, nama in ((kab, "kabupaten"), (tksk, "tksk")):
        page.goto(f"/pendataan/keluarga/{kel.uuid}/")
        riwayat = page.get_by_test_id("riwayat").inner_text()
        for teks in (
            "Draf → Diajukan",
            "Diajukan → Dikembalikan",
            "Alasan: Data tidak sesuai dokumen (KK/KTP)",
            CATATAN,
            "Dikembalikan → Diajukan",
            "Diajukan → Terverifikasi",
            "Sesuai KK.",
            "Dewi Lestari",
            "Rahmat Hidayat",
            "anggota Siti Aminah",
            "21-07-1985",  # the corrected birth date, old → new
            "21-07-1984",
        ):
            assert teks in riwayat, (nama, teks)
        _tanpa_geser(page)
        page.get_by_test_id("riwayat").scroll_into_view_if_needed()
        screenshot(page, f"journey-09-riwayat-{nama}")
        assert page.console_errors == []

    transisi = list(
        Riwayat.objects.filter(objek_uuid=kel.uuid, aksi="transisi")
        .order_by("waktu", "id")
        .values_list("status_dari", "status_ke")
    )
    assert transisi == [
        ("draf", "diajukan"),
        ("diajukan", "dikembalikan"),
        ("dikembalikan", "diajukan"),
        ("diajukan", "terverifikasi"),
    ]
    istri = kel.anggota.get(nama="Siti Aminah")
    assert istri.tanggal_lahir == date(1984, 7, 21)
    ubah = Riwayat.objects.get(objek_uuid=istri.uuid, aksi="ubah")
    assert ubah.perubahan["tanggal_lahir"] == ["1985-07-21", "1984-07-21"]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_spreadsheet_import_on_a_phone(page_factory, settings, tmp_path):
    """Template, upload, the background check followed by the page itself, the preview with a
    refused row, and the confirmation; the worker's job is played by the test."""
    from openpyxl import load_workbook

    from pendataan import impor
    from pendataan.models import Keluarga
    from tests.matrix.impor import buat_xlsx, keluarga
    from tksk.models import Wilayah

    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("tksk.impor", "tksk", "62.71.01", first_name="Rahmat", last_name="Hidayat")
    desa = Wilayah.objects.filter(induk__kode="62.71.01").order_by("kode").first()
    rows = keluarga("K1", desa, jumlah=3) + keluarga("K2", desa, jumlah=2)
    rows[4]["nik"] = "6,27101E+15"  # what Excel makes of a NIK in a Number column
    berkas = tmp_path / "data keluarga.xlsx"
    berkas.write_bytes(buat_xlsx(rows))

    page = page_factory(PHONE)
    login(page, "tksk.impor", PASSWORD)
    page.get_by_role("link", name="Pendataan").last.click()
    page.get_by_role("link", name="Impor dari spreadsheet").click()
    page.wait_for_load_state("networkidle")
    _tanpa_geser(page)
    screenshot(page, "impor-01-halaman")
    with page.expect_download() as unduhan:
        page.get_by_test_id("unduh-templat").click()
    assert unduhan.value.suggested_filename.endswith(".xlsx")
    templat = load_workbook(io.BytesIO(unduhan.value.path().read_bytes()))
    assert templat.sheetnames[:3] == ["Petunjuk", "Keluarga", "PPKS"]

    page.set_input_files("#id_berkas", str(berkas))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_load_state("networkidle")
    assert "Berkas sedang diperiksa" in page.get_by_test_id("status-impor").inner_text()
    screenshot(page, "impor-02-diperiksa")
    token = page.url.rstrip("/").split("/")[-1]
    assert impor.jalankan_impor.call(token, "periksa") == impor.Status.SIAP
    # The page notices by itself (htmx polling) and shows the preview.
    page.get_by_test_id("impor-ringkasan").wait_for(timeout=15000)
    masalah = page.get_by_test_id("daftar-masalah").inner_text()
    assert "Lembar Keluarga, baris 6" in masalah and "format kolom NIK menjadi Teks" in masalah
    assert "Lembar Keluarga, baris 5" in masalah  # the other member of that household
    assert not Keluarga.objects.exists()
    _tanpa_geser(page)
    screenshot(page, "impor-03-pratinjau")

    page.get_by_test_id("konfirmasi-impor").click()
    page.wait_for_load_state("networkidle")
    assert "Data sedang disimpan" in page.get_by_test_id("status-impor").inner_text()
    assert impor.jalankan_impor.call(token, "simpan") == impor.Status.SELESAI
    page.get_by_test_id("impor-hasil").wait_for(timeout=15000)
    assert "Tersimpan 1 keluarga (3 anggota)" in page.get_by_test_id("impor-hasil").inner_text()
    _tanpa_geser(page)
    screenshot(page, "impor-04-selesai")
    assert Keluarga.objects.get().jumlah_anggota == 3
    assert page.console_errors == []
