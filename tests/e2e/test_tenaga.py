"""The TKSK profile on a phone: readable at 360 px without sideways scrolling, the TKSK's own
contact correction saved from the page."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
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
