"""At 360 × 740 every main page offers thumb-sized targets and never scrolls sideways: no tap
target under 32 px (table numbers fill their cell's height), the koordinasi tabs all on screen,
the admin's account table readable as cards with Wilayah, Status and Nonaktifkan visible."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.conftest import ARTIFACTS, PHONE, login, screenshot

TAP_KECIL = (Path(__file__).parent / "tap_kecil.js").read_text()
HALAMAN = {
    "tksk.pahandut": [
        "/",
        "/laporan/",
        "/koordinasi/",
        "/pendataan/",
        "/pendataan/keluarga/",
        "/pendataan/keluarga/baru/",
    ],
    "dinsos.palangkaraya": ["/", "/laporan/", "/pendataan/verifikasi/"],
    "admin": ["/akun/"],
}


def screenshot_viewport(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_small_targets_and_no_sideways_scroll(page_factory, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=40, verbosity=0)
    from pendataan.models import Keluarga

    Keluarga.objects.filter(status="draf").update(status="diajukan")  # an inbox to look at
    for username, paths in HALAMAN.items():
        page = page_factory(PHONE)
        login(page, username, "Demo-Kalteng-2026")
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            kecil = page.evaluate(TAP_KECIL)
            assert kecil == [], (username, path, kecil[:5])
            lebar = page.evaluate("document.documentElement.scrollWidth")
            assert lebar <= PHONE["width"], (username, path, lebar)
            nama = path.strip("/").replace("/", "-") or "beranda"
            screenshot(page, f"ponsel-{username}-{nama}")
        if username == "tksk.pahandut":
            page.goto("/koordinasi/")
            for tab in page.get_by_test_id("nav-koordinasi").locator("a").all():
                box = tab.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], tab
                assert tab.inner_text().strip() and tab.evaluate(
                    "e => e.scrollWidth <= e.clientWidth"
                )
        if username == "dinsos.palangkaraya":
            # The inbox's buttons are on screen at once, without scrolling 8 screens down.
            page.goto("/pendataan/verifikasi/")
            page.evaluate("window.scrollTo(0, 0)")
            for name in ("Verifikasi terpilih", "Kembalikan terpilih"):
                box = page.get_by_role("button", name=name).bounding_box()
                assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"] - 60, name
            screenshot_viewport(page, "ponsel-verifikasi-atas")
        if username == "admin":
            page.goto("/akun/")
            tabel = page.get_by_test_id("tabel-akun")
            baris = tabel.locator("tbody tr").nth(1)
            for teks in ("Wilayah", "Status"):
                sel = baris.locator(f'td[data-label="{teks}"]')
                box = sel.bounding_box()
                assert sel.is_visible() and box["x"] + box["width"] <= PHONE["width"], teks
            tombol = tabel.get_by_role("button", name="Nonaktifkan").first
            box = tombol.bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 44
