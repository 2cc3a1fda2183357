"""The monthly report's journey on a phone: the TKSK fills and submits it, the kabupaten returns
it with a note, the TKSK resubmits, the kabupaten accepts, the province sees the compliance grid
change. Screenshots of the three dashboards (360 and 1280 px) and of the PDFs (pdftoppm) go to
test-artifacts/ for a person to look at."""

import subprocess

import pytest
from django.core.management import call_command

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, login, screenshot

SANDI = "Demo-Kalteng-2026"


def _bulan_lalu() -> str:
    """Reports are submitted for a month that has ended: the journey reports last month."""
    from laporan.selectors import bulan_ini, geser_bulan

    return f"{geser_bulan(bulan_ini(), -1):%Y-%m}"


def _sel_pahandut(page):
    """The compliance cell of Pahandut for last month, on the province dashboard."""
    page.goto(f"/laporan/?periode={_bulan_lalu()}")
    kelompok = page.locator('details[data-kabupaten="62.71"]')
    kelompok.locator("summary").click()
    return kelompok.locator('tr[data-kecamatan="62.71.01"] td').last


def _tanpa_geser(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _pdf_ke_png(page, url: str, nama: str) -> None:
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{nama}.pdf"
    path.write_bytes(response.body())
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / nama)], check=True)
    teks = subprocess.run(["pdftotext", str(path), "-"], capture_output=True).stdout.decode()
    assert "Halaman 1 dari" in teks


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_monthly_report_journey_and_dashboards(page_factory, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=600, verbosity=0)

    prov = page_factory(PHONE)
    login(prov, "dinsos.prov", SANDI)
    assert "kp-diterima" not in _sel_pahandut(prov).get_attribute("class")

    # The TKSK opens last month's report from the list, writes it, checks and submits it.
    tksk = page_factory(PHONE)
    login(tksk, "tksk.pahandut", SANDI)
    tksk.goto("/laporan/")
    _tanpa_geser(tksk)
    tksk.goto("/laporan/bulanan/")
    tksk.fill("#id_bulan", _bulan_lalu())
    tksk.get_by_role("button", name="Buka laporan").click()
    tksk.wait_for_url("**/ubah/")
    tksk.fill("#id_kendala", "Sinyal lemah di Tumbang Rungan.")
    tksk.fill("#id_rencana", "Verifikasi ulang data lansia telantar.")
    tksk.fill("#id_nama_camat", "Drs. Yohanes Ape")
    tksk.fill("#id_nip_camat", "197001011990031001")
    _tanpa_geser(tksk)
    tksk.get_by_test_id("ajukan").click()
    tksk.wait_for_url("**/ajukan/")
    assert tksk.get_by_test_id("konfirmasi-ajukan").is_visible()  # numbers shown, not frozen yet
    _tanpa_geser(tksk)
    screenshot(tksk, "laporan-bulanan-konfirmasi-360")
    tksk.get_by_test_id("ajukan-konfirmasi").click()
    tksk.wait_for_load_state("networkidle")
    assert tksk.get_by_test_id("status-laporan").first.inner_text() == "Diajukan"
    assert tksk.get_by_test_id("dibekukan").is_visible()
    laporan_url = tksk.url

    # The kabupaten returns it with a note.
    kab = page_factory(PHONE)
    login(kab, "dinsos.palangkaraya", SANDI)
    kab.goto(f"/laporan/?periode={_bulan_lalu()}")
    kab.get_by_test_id("menunggu-tinjauan").get_by_role("link").click()
    kab.get_by_test_id("daftar-laporan").get_by_role("link").first.click()
    kab.wait_for_load_state("networkidle")
    kab.get_by_role("button", name="Kembalikan ke TKSK").click()  # without a note: refused
    kab.wait_for_load_state("networkidle")
    assert "Tulis apa yang perlu diperbaiki" in kab.content()
    # The refused form answers 400, which Chromium reports on the console: expected here.
    assert all("status of 400" in e for e in kab.console_errors)
    kab.console_errors.clear()
    kab.fill("#id_catatan", "Lengkapi jumlah KPM Program Sembako per kelurahan.")
    kab.get_by_role("button", name="Kembalikan ke TKSK").click()
    kab.wait_for_load_state("networkidle")
    assert kab.get_by_test_id("status-laporan").first.inner_text() == "Dikembalikan"

    # The TKSK sees the note, completes the report and submits it again.
    tksk.goto(laporan_url)
    assert "Lengkapi jumlah KPM" in tksk.get_by_test_id("catatan-tinjau").inner_text()
    tksk.get_by_role("link", name="Isi/ubah laporan").click()
    tksk.fill("#id_pendampingan_program", "Program Sembako: 312 KPM (Pahandut 120, Panarung 96).")
    screenshot(tksk, "laporan-bulanan-form-360")
    tksk.get_by_test_id("ajukan").click()
    tksk.wait_for_url("**/ajukan/")
    tksk.get_by_test_id("ajukan-konfirmasi").click()
    tksk.wait_for_load_state("networkidle")
    assert tksk.get_by_test_id("status-laporan").first.inner_text() == "Diajukan"

    # The kabupaten accepts it.
    kab.goto(laporan_url)
    kab.get_by_role("button", name="Terima laporan").click()
    kab.wait_for_load_state("networkidle")
    assert kab.get_by_test_id("status-laporan").first.inner_text() == "Diterima"
    riwayat = kab.get_by_test_id("riwayat").inner_text()
    assert riwayat.count("→ diajukan") == 2 and "→ dikembalikan" in riwayat

    # The province sees the grid change for Pahandut last month.
    sel = _sel_pahandut(prov)
    assert "kp-diterima" in sel.get_attribute("class") and sel.inner_text() == "✓"
    for page in (prov, kab, tksk):
        assert page.console_errors == []

    # Screenshots of the three dashboards on a phone and a desktop, and of the PDFs.
    for viewport, lebar in ((PHONE, "360"), (DESKTOP, "1280")):
        for username, peran in (
            ("tksk.pahandut", "tksk"),
            ("dinsos.palangkaraya", "kabupaten"),
            ("dinsos.prov", "provinsi"),
        ):
            page = page_factory(viewport)
            login(page, username, SANDI)
            page.goto("/laporan/")
            _tanpa_geser(page)
            screenshot(page, f"laporan-dasbor-{peran}-{lebar}")
            assert page.console_errors == []
    _pdf_ke_png(tksk, laporan_url + "pdf/", "laporan-bulanan-pdf")
    _pdf_ke_png(prov, "/laporan/rekap/ppks/?wilayah=62&format=pdf", "laporan-rekap-provinsi-pdf")
