"""At 360 × 740 every page a user reaches from the home page by links offers thumb-sized
targets (44 × 44 CSS px, links inside running text excepted) and never scrolls sideways, for every
role; the koordinasi tabs all on screen, the inbox's buttons in reach, the admin's account table
readable as cards with Wilayah, Status and Nonaktifkan visible."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, PHONE, login, screenshot

TAP_KECIL = (Path(__file__).parent / "tap_kecil.js").read_text()
# One account per role; each walks the pages its links lead to.
PERAN = ("tksk.pahandut", "dinsos.palangkaraya", "dinsos.prov", "admin")
HALAMAN_PER_PERAN = 40
# Links that are not pages to look at: files, logout, the Django admin.
BUKAN_HALAMAN = re.compile(
    r"logout|format=|/admin/|unduh|templat|/pdf/|/surat/|sertifikat|\.(pdf|csv|xlsx|zip)"
)
TAUTAN = """() => [...new Set([...document.querySelectorAll('a[href]')]
  .map(a => a.getAttribute('href')).filter(h => h && h.startsWith('/')))]"""


def pola(path):
    """A page's kind: /pendataan/keluarga/<uuid>/ and /laporan/wilayah/62.71/ are one each."""
    path = path.split("#")[0].split("?")[0]
    return re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d[\d.]*", "X", path)


def jelajahi(page, batas):
    """Visit pages breadth-first from the home page, one per kind, yielding each path."""
    antre, dilihat = ["/"], set()
    while antre and len(dilihat) < batas:
        path = antre.pop(0)
        if pola(path) in dilihat or BUKAN_HALAMAN.search(path):
            continue
        dilihat.add(pola(path))
        jawaban = page.goto(path)
        page.wait_for_load_state("networkidle")
        if jawaban.status != 200 or "html" not in jawaban.headers.get("content-type", ""):
            continue
        yield path
        antre += [h for h in page.evaluate(TAUTAN) if pola(h) not in dilihat]


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
    masalah, dikunjungi = {}, 0
    for username in PERAN:
        page = page_factory(PHONE)
        login(page, username, "Demo-Kalteng-2026")
        for path in jelajahi(page, HALAMAN_PER_PERAN):
            dikunjungi += 1
            kecil = page.evaluate(f"({TAP_KECIL})(44)")
            lebar = page.evaluate("document.documentElement.scrollWidth")
            if kecil or lebar > PHONE["width"]:
                masalah[f"{username} {path}"] = (lebar, kecil[:4])
            if path in ("/", "/laporan/", "/pendataan/keluarga/baru/", "/pendataan/verifikasi/"):
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
    assert masalah == {}, masalah
    assert dikunjungi >= 100, dikunjungi  # the walk reached the app, not just the home pages


DASBOR = {
    "tksk.pahandut": "kecamatan",
    "dinsos.palangkaraya": "kabupaten",
    "dinsos.prov": "provinsi",
    "admin": "provinsi",
}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_dashboards_have_thumb_sized_targets_svg_included(page_factory, settings):
    """Every role's dashboard at 360 px, its compliance groups opened: no target under 44 px,
    the map's areas included (an area too small for a thumb is exempt only when the same link is
    offered full size, as its row in the table). The province dashboard is light: the kecamatan
    grids come when their group is opened."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=40, verbosity=0)
    from django.contrib.auth import get_user_model

    from laporan import services
    from laporan.selectors import bulan_ini, geser_bulan

    # Submitted reports, so that compliance cells are links (the smallest targets there).
    for username in ("tksk.pahandut", "tksk.jekanraya"):
        tksk = get_user_model().objects.get(username=username)
        for mundur in (1, 2):
            laporan, _ = services.laporan_buka(pelaku=tksk, bulan=geser_bulan(bulan_ini(), -mundur))
            services.laporan_ajukan(pelaku=tksk, laporan=laporan)
    for username, tingkat in DASBOR.items():
        page = page_factory(PHONE)
        login(page, username, "Demo-Kalteng-2026")
        page.goto("/laporan/")
        page.wait_for_load_state("networkidle")
        elemen = page.evaluate("document.getElementsByTagName('*').length")
        kelompok = page.locator("details.kp-kelompok")
        if tingkat == "provinsi":
            assert elemen < 2500, elemen  # 4,197 when every kecamatan grid was in the page
            assert kelompok.count() == 14 and page.locator("[data-kecamatan]").count() == 0
        for i in range(kelompok.count()):
            # One group at a time: each loads its kabupaten's grid on opening.
            kelompok.nth(i).locator("summary").click()
            if tingkat == "provinsi":
                tabel = kelompok.nth(i).locator("[data-kepatuhan-tabel]")
                expect(tabel).to_have_count(1, timeout=60_000)
        if tingkat == "provinsi":
            # Every kabupaten's grid arrived, with all the kecamatan.
            expect(page.locator("[data-kecamatan]")).to_have_count(136)
        assert page.locator(".kepatuhan td > a").count() >= 2
        kecil = page.evaluate(f"({TAP_KECIL})(44)")
        assert kecil == [], (username, kecil[:5])
        assert page.locator("svg a").count() > 0  # the map's areas were checked
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.console_errors == [], page.console_errors
        screenshot(page, f"ponsel-dasbor-{username}")
