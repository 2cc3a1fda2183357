"""The TKSK registry in a browser: the profile on a phone (readable at 360 px without sideways
scrolling, the TKSK's own contact correction saved from the page), and the profile, coverage
and rapor kinerja pages at 360 and 1280 px."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, login, screenshot
from tests.matrix.tenaga import buat_bimtek, buat_profil

pytestmark = pytest.mark.django_db(transaction=True)


def test_profile_page_on_a_phone(world, page_factory):
    from tenaga.models import SKTKSK, PesertaBimtek

    profil = buat_profil(world, "pahandut", nik="6271015205900003")
    SKTKSK.objects.create(profil=profil, nomor="188.44/121/DINSOS/2025", tanggal="2025-01-02",
                          penerbit="Dinas Sosial Provinsi Kalimantan Tengah",
                          mulai="2025-01-03", selesai="2026-12-31")  # fmt: skip
    bimtek = buat_bimtek(world, judul="Bimtek Peningkatan Kemampuan Potensi TKSK")
    PesertaBimtek.objects.create(bimtek=bimtek, profil=profil, nomor_sertifikat="400/1/2026")
    page = page_factory()
    login(page, "tksk_pahandut", PASSWORD)
    page.goto(f"/tenaga/{profil.uuid}/")
    assert page.locator("[data-testid=data-diri]").inner_text().count("6271********0003") == 1
    assert "6271015205900003" not in page.content()
    lebar = page.evaluate("document.documentElement.scrollWidth")
    assert lebar <= 360, lebar
    screenshot(page, "tenaga-profil-360")
    page.click("text=Ubah kontak saya")
    page.fill("#id_telepon", "0813-5555-1212")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Kontak Anda diperbarui" in page.content()
    assert "081355551212" in page.content() or "0813-5555-1212" in page.content()
    assert page.console_errors == []


def _lebar_pas(page, lebar):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= lebar, scroll


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_registry_pages_at_phone_and_desktop_width(world, page_factory, viewport):
    """The profile, the dashboard's coverage block and the rapor kinerja, as the province sees
    them: no sideways scrolling, no console error, screenshots to look at."""
    from tenaga.models import SKTKSK

    profil = buat_profil(world, "pahandut", nik="6271015205900003", nama="Rina Susanti")
    SKTKSK.objects.create(profil=profil, nomor="188.44/121/DINSOS/2025", tanggal="2025-01-02",
                          penerbit="Dinas Sosial Provinsi Kalimantan Tengah",
                          mulai="2025-01-03", selesai="2026-12-31")  # fmt: skip
    buat_profil(world, "selat")
    lebar = viewport["width"]
    page = page_factory(viewport)
    login(page, "prov", PASSWORD)
    page.goto(f"/tenaga/{profil.uuid}/")
    assert "6271********0003" in page.locator("[data-testid=data-diri]").inner_text()
    _lebar_pas(page, lebar)
    screenshot(page, f"tenaga-profil-{lebar}")
    page.goto("/laporan/")
    cakupan = page.locator("[data-testid=cakupan-tksk]")
    assert "dari" in cakupan.inner_text()
    _lebar_pas(page, lebar)
    cakupan.screenshot(path=str(ARTIFACTS / f"tenaga-cakupan-{lebar}.png"))
    cakupan.locator("[data-testid=cakupan-terisi]").click()
    page.wait_for_load_state("networkidle")
    assert "Rina Susanti" in page.locator("[data-testid=profil-list]").inner_text()
    page.goto(f"/tenaga/{profil.uuid}/kinerja/")
    assert page.locator("[data-testid=rapor-pdf]").is_visible()
    _lebar_pas(page, lebar)
    screenshot(page, f"tenaga-rapor-{lebar}")
    page.goto("/tenaga/kinerja/")
    _lebar_pas(page, lebar)
    screenshot(page, f"tenaga-kinerja-{lebar}")
    # A number opens the list it counts, saying what it is narrowed to.
    baris = page.get_by_test_id("kinerja-baris").filter(has_text="Rina Susanti")
    baris.locator("a.angka").first.click()
    expect(page.get_by_test_id("saring-pencatat")).to_contain_text("Hanya data yang dicatat oleh")
    _lebar_pas(page, lebar)
    screenshot(page, f"tenaga-kinerja-tautan-{lebar}")
    assert page.console_errors == []
