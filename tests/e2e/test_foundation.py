"""Every demo account logs in on a phone and a desktop and sees its own role and area."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import DESKTOP, PHONE, login, screenshot

DEMO = {
    "admin": "Admin Sistem",
    "dinsos.prov": "Dinas Sosial Provinsi Kalimantan Tengah",
    "dinsos.palangkaraya": "Dinas Sosial Kota Palangkaraya",
    "dinsos.kapuas": "Dinas Sosial Kabupaten Kapuas",
    "tksk.pahandut": "TKSK Kecamatan Pahandut, Kota Palangkaraya",
    "tksk.jekanraya": "TKSK Kecamatan Jekan Raya, Kota Palangkaraya",
    "tksk.selat": "TKSK Kecamatan Selat, Kabupaten Kapuas",
}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_demo_accounts_see_their_role_and_area(page_factory, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", verbosity=0)
    for viewport, label in [(PHONE, "360"), (DESKTOP, "1280")]:
        page = page_factory(viewport)
        page.goto("/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "id"
        screenshot(page, f"login-{label}")
        for username, jabatan in DEMO.items():
            login(page, username, "Demo-Kalteng-2026")
            assert page.get_by_test_id("greeting").inner_text() == jabatan
            assert jabatan in page.get_by_test_id("user-badge").inner_text()
            screenshot(page, f"home-{username}-{label}")
            # Every module is one tap away on the phone's bottom bar, and nothing overflows.
            if viewport is PHONE:
                nav = page.locator("nav.bottom-nav")
                assert nav.is_visible()
                for name in ["Beranda", "Pendataan", "Koordinasi", "Laporan", "Akun"]:
                    box = nav.get_by_text(name, exact=True).bounding_box()
                    assert box and box["y"] > 600, name
                assert page.evaluate("document.documentElement.scrollWidth") <= 360
            assert page.console_errors == []
            page.goto("/profil/")
            page.click("text=Keluar")
            page.wait_for_url("**/accounts/login/")
