"""A TKSK on a phone: records an activity with two partners, a follow-up and a photo; refers a
PPKS person to a partner; opens the letter; the partner (no account, fresh browser) marks the
referral received through the link; the TKSK sees the new status."""

import subprocess
from datetime import date
from urllib.parse import unquote

import pytest

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import ARTIFACTS, PHONE, login, screenshot
from tests.matrix.koordinasi import buat_mitra, jpeg_bytes

NIK = "6271015708900001"


def _tanpa_geser(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_tksk_activity_and_referral_journey(page_factory, settings, tmp_path):
    from pendataan.models import PPKS, Individu, Keluarga
    from tksk.models import KategoriPPKS, User, Wilayah

    settings.MEDIA_ROOT = tmp_path / "media"
    kec = Wilayah.objects.get(kode="62.71.01")
    desa = Wilayah.objects.filter(induk=kec).order_by("kode").first()
    tksk = make_user("tksk.e2e", "tksk", "62.71.01", first_name="Rahmat", last_name="Hidayat")
    kab = make_user("kab.e2e", "kabupaten", "62.71")
    keluarga = Keluarga.objects.create(desa=desa, alamat="Jl. Seth Adji 7", nama_kepala="Siti")
    orang = Individu.objects.create(
        keluarga=keluarga,
        desa=desa,
        nik=NIK,
        nama="Siti Aminah",
        jenis_kelamin="P",
        tempat_lahir="Palangka Raya",
        tanggal_lahir=date(1958, 8, 17),
        hubungan="kepala_keluarga",
    )
    PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="LUT"),
        subjek="individu",
        individu=orang,
        desa=desa,
        jenis_kelamin="P",
        tanggal_identifikasi=date(2026, 10, 1),
    )
    # A partner of the kabupaten, seen by every kecamatan below it.
    from types import SimpleNamespace

    world = SimpleNamespace(kec={"pahandut": kec}, users={"tksk_pahandut": tksk})
    buat_mitra(
        world,
        wilayah=Wilayah.objects.get(kode="62.71"),
        pelaku=kab,
        nama="Dinas Kependudukan dan Catatan Sipil Kota",
        jenis="pemerintah",
    )
    assert User.objects.filter(username="tksk.e2e").exists()

    page = page_factory(PHONE)
    login(page, "tksk.e2e", PASSWORD)

    # 1. Register the kecamatan's own partner.
    page.get_by_role("link", name="Koordinasi").last.click()
    page.get_by_role("link", name="Mitra", exact=True).click()
    page.get_by_role("link", name="+ Mitra baru").click()
    page.select_option("#id_jenis", "pemerintah")
    page.fill("#id_nama", "UPT Puskesmas Pahandut")
    page.fill("#id_layanan", "Pemeriksaan kesehatan, rujukan BPJS PBI")
    page.fill("#id_narahubung", "dr. Sari Wulandari")
    page.fill("#id_telepon", "0536 3221234")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    assert "Mitra UPT Puskesmas Pahandut disimpan." in page.content()

    # 2. An activity with both partners.
    page.goto("/koordinasi/kegiatan/baru/")
    page.select_option("#id_jenis", "rapat_koordinasi")
    page.fill("#id_topik", "Koordinasi penanganan lansia telantar")
    page.fill("#id_jam_mulai", "09:00")
    page.fill("#id_jam_selesai", "11:00")
    page.select_option("#id_desa", index=1)
    page.fill("#id_tempat", "Aula Kantor Camat Pahandut")
    page.get_by_label("UPT Puskesmas Pahandut").check()
    page.get_by_label("Dinas Kependudukan dan Catatan Sipil Kota").check()
    page.fill("#id_peserta_laki", "8")
    page.fill("#id_peserta_perempuan", "11")
    page.fill("#id_notulen", "Disepakati pendataan ulang lansia di dua kelurahan.")
    screenshot(page, "koordinasi-kegiatan-form-360")
    _tanpa_geser(page)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    mitra_kegiatan = page.get_by_test_id("mitra-kegiatan").inner_text()
    assert "UPT Puskesmas Pahandut" in mitra_kegiatan
    assert "Dinas Kependudukan dan Catatan Sipil Kota" in mitra_kegiatan

    # 3. A follow-up and a photo.
    page.get_by_text("+ Tambah tindak lanjut").click()
    page.fill("#id_tl-uraian", "Puskesmas memeriksa 5 lansia di rumah")
    page.select_option("#id_tl-mitra", label="UPT Puskesmas Pahandut")
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    page.wait_for_load_state("networkidle")
    tindak_lanjut = page.get_by_test_id("daftar-tindak-lanjut").inner_text()
    assert "Puskesmas memeriksa 5 lansia" in tindak_lanjut
    page.set_input_files(
        "#id_foto",
        files=[{"name": "rapat.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((1200, 900))}],
    )
    page.fill("#id_keterangan", "Suasana rapat")
    page.get_by_role("button", name="Unggah foto").click()
    page.wait_for_load_state("networkidle")
    foto = page.get_by_test_id("daftar-foto").locator("img").first
    foto.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=foto.element_handle())
    screenshot(page, "koordinasi-kegiatan-detail-360")
    _tanpa_geser(page)

    # 4. Refer the PPKS person to the partner.
    page.goto("/koordinasi/rujukan/baru/")
    page.fill("#cari-ppks", "Siti")
    page.get_by_role("button", name="Cari").click()
    page.get_by_test_id("pilih-ppks").get_by_text("Siti Aminah").click()
    page.select_option("#id_mitra", label="UPT Puskesmas Pahandut")
    page.fill("#id_alasan", "Lansia tinggal sendiri, sesak napas, belum punya BPJS.")
    page.fill("#id_layanan", "Pemeriksaan kesehatan dan pendaftaran BPJS PBI")
    page.select_option("#id_urgensi", "segera")
    screenshot(page, "koordinasi-rujukan-form-360")
    _tanpa_geser(page)
    page.get_by_role("button", name="Kirim rujukan").click()
    page.wait_for_load_state("networkidle")
    nomor = page.get_by_test_id("nomor-rujukan").inner_text()
    assert nomor.startswith("001/RUJ/62.71.01/")
    assert "Dikirim" in page.get_by_test_id("status-rujukan").inner_text()
    screenshot(page, "koordinasi-rujukan-detail-360")
    _tanpa_geser(page)

    # 5. The letter.
    with page.expect_download() as unduhan:
        page.get_by_role("button", name="Unduh surat (PDF)").click()
    surat = tmp_path / "surat.pdf"
    unduhan.value.save_as(surat)
    teks = subprocess.run(
        ["pdftotext", str(surat), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert nomor in teks and "6271********0001" in teks and NIK not in teks
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(surat), str(ARTIFACTS / "surat")],
        check=True,
    )

    # 6. The partner, without an account, marks the referral received. The link is shown whole
    # and copied with one tap; Bagikan appears only where the browser can share.
    kotak = page.get_by_test_id("tautan-mitra")
    tautan = kotak.input_value()
    assert kotak.evaluate(
        "e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Salin tautan").click()
    page.get_by_text("Tautan disalin.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == tautan
    bisa_bagikan = page.evaluate("typeof navigator.share === 'function'")
    assert page.get_by_role("button", name="Bagikan").is_visible() == bisa_bagikan
    wa = page.get_by_role("link", name="Kirim lewat WhatsApp").get_attribute("href")
    assert wa.startswith("https://wa.me/?text=") and unquote(wa).endswith(" " + tautan)
    screenshot(page, "koordinasi-tautan-salin-360")
    mitra_page = page_factory(PHONE)
    mitra_page.goto(tautan)
    assert nomor in mitra_page.get_by_test_id("nomor").inner_text()
    isi = mitra_page.get_by_test_id("isi-tautan").inner_text()
    assert "Siti Aminah" not in isi and "6271" not in isi
    mitra_page.select_option("#id_status", "diterima")
    mitra_page.fill("#id_catatan", "Diterima di loket pendaftaran.")
    mitra_page.fill("#id_nama_pengisi", "Bu Rina")
    screenshot(mitra_page, "koordinasi-tautan-mitra-360")
    _tanpa_geser(mitra_page)
    mitra_page.get_by_role("button", name="Simpan").click()
    mitra_page.wait_for_load_state("networkidle")
    assert "status rujukan sudah dicatat" in mitra_page.content()
    assert "Diterima" in mitra_page.get_by_test_id("status").inner_text()
    assert mitra_page.console_errors == []

    # 7. The TKSK sees it.
    page.reload()
    assert "Diterima" in page.get_by_test_id("status-rujukan").inner_text()
    assert "Bu Rina" in page.get_by_test_id("riwayat-rujukan").inner_text()
    page.goto("/koordinasi/agenda/")
    agenda = page.get_by_test_id("agenda-harian").inner_text()
    assert "Koordinasi penanganan lansia telantar" in agenda
    screenshot(page, "koordinasi-agenda-360")
    _tanpa_geser(page)
    assert page.console_errors == []
