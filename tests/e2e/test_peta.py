"""The dashboard maps in the real browser: drawn without a single request leaving the app's own
origin (no tiles, no CDN), reachable by keyboard, drilling down like the table, at 360 and
1280 px. Screenshots go to test-artifacts/ for a person to look at."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, login

SANDI = "Demo-Kalteng-2026"
DASBOR = [
    ("dinsos.prov", "/laporan/", "provinsi"),
    ("dinsos.prov", "/laporan/wilayah/62.03/", "kabupaten"),
    ("dinsos.palangkaraya", "/laporan/", "kabupaten-sendiri"),
    ("tksk.pahandut", "/laporan/", "kecamatan"),
]


def _asing(live_server_url):
    """Collects every request whose origin is not the app's own (data: URIs are in-page)."""
    asal = urlsplit(live_server_url)
    keluar = []

    def periksa(request):
        u = urlsplit(request.url)
        if u.scheme in ("data", "blob", "about"):
            return
        if (u.scheme, u.netloc) != (asal.scheme, asal.netloc):
            keluar.append(request.url)

    return keluar, periksa


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_every_dashboard_map_stays_on_the_apps_own_origin(page_factory, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=600, verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    for username, path, nama in DASBOR:
        for ukuran, viewport in (("360", PHONE), ("1280", DESKTOP)):
            page = page_factory(viewport)
            keluar, periksa = _asing(live_server.url)
            page.on("request", periksa)
            login(page, username, SANDI)
            page.goto(path)
            page.wait_for_load_state("networkidle")
            peta = page.locator('[data-testid="peta"]')
            peta.wait_for()
            areas = page.locator(".peta-svg a")
            assert areas.count() >= 2
            box = page.locator(".peta-svg").bounding_box()
            assert box["width"] <= viewport["width"] and box["height"] > 200
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            peta.screenshot(path=str(ARTIFACTS / f"peta-{nama}-{ukuran}.png"))
            if ukuran == "1280":
                page.screenshot(
                    path=str(ARTIFACTS / f"peta-{nama}-halaman-1280.png"), full_page=True
                )
            assert not keluar, f"requests off the app's origin: {keluar}"
            assert not page.console_errors, page.console_errors  # a CSP violation would show
            page.context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_keyboard_reaches_each_area_and_enter_drills_down(page_factory, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=300, verbosity=0)
    page = page_factory(DESKTOP)
    login(page, "dinsos.prov", SANDI)
    page.goto("/laporan/?peta=ppks")
    # Tab from the last metric link into the map: the first area gets the focus, with its
    # name and number as its accessible name.
    page.locator(".peta-metrik a").last.focus()
    page.keyboard.press("Tab")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    first = page.locator(".peta-svg a").first
    assert label == first.get_attribute("aria-label") and ": " in label
    stroke = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('path')).strokeWidth"
    )
    assert stroke == "3px"  # the visible focus style
    href = first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href.split('?')[0]}*")
    assert page.locator('[data-testid="peta"]').count() == 1  # the kabupaten's own map


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_household_points_of_one_desa_for_its_tksk(page_factory, live_server, settings):
    import json

    from pendataan.models import Keluarga
    from peta.muat import DATA_DIR
    from tksk.models import Wilayah

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=300, verbosity=0)
    desa = Wilayah.objects.filter(induk__kode="62.71.01").order_by("kode").first()
    fitur = json.loads((DATA_DIR / "desa_62.geojson").read_text())["features"]
    label = next(f["properties"] for f in fitur if f["properties"]["kode"] == desa.kode)
    ids = list(Keluarga.objects.filter(desa=desa).order_by("pk").values_list("pk", flat=True)[:8])
    assert ids
    for i, pk in enumerate(ids):  # around the desa's label point, a few hundred metres apart
        Keluarga.objects.filter(pk=pk).update(
            latitude=round(label["lat"] + 0.002 * (i % 3 - 1), 6),
            longitude=round(label["lng"] + 0.002 * (i // 3 - 1), 6),
        )
    page = page_factory(PHONE)
    keluar, periksa = _asing(live_server.url)
    page.on("request", periksa)
    login(page, "tksk.pahandut", SANDI)
    page.goto(f"/laporan/wilayah/{desa.kode}/")
    page.get_by_role("link", name="Peta titik keluarga desa ini").click()
    page.locator('[data-testid="peta-titik"]').wait_for()
    assert page.locator('[data-testid="peta-titik"] circle').count() >= 1
    page.screenshot(path=str(ARTIFACTS / "peta-titik-desa-360.png"), full_page=True)
    assert not keluar and not page.console_errors


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_metric_strip_at_360_scrolls_inside_itself_with_44px_choices(page_factory, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=300, verbosity=0)
    page = page_factory(PHONE)
    login(page, "dinsos.prov", SANDI)
    page.goto("/laporan/")
    pilihan = page.locator(".peta-metrik a")
    assert pilihan.count() == 9  # every metric of a province map
    lebar = "document.documentElement.scrollWidth"
    assert page.evaluate(lebar) <= PHONE["width"]
    strip = page.locator(".peta-metrik").bounding_box()
    assert strip["x"] >= 0 and strip["x"] + strip["width"] <= PHONE["width"]
    for i in range(pilihan.count()):
        a = pilihan.nth(i)
        a.focus()  # as a keyboard user reaches it: the strip scrolls it (at least) into sight
        box = a.bounding_box()
        assert box["height"] >= 44, (a.inner_text(), box)
        assert box["x"] < PHONE["width"] and box["x"] + box["width"] > 0, a.inner_text()
        a.scroll_into_view_if_needed()  # as a finger swipes the strip
        box = a.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], a.inner_text()
        assert page.evaluate(lebar) <= PHONE["width"]  # the page never scrolls sideways
    page.locator(".peta-metrik").screenshot(path=str(ARTIFACTS / "peta-metrik-360.png"))
    # The last choice, reached, works like any link.
    pilihan.last.click()
    page.wait_for_url("**peta=laporan*")
    assert page.locator('.peta-metrik a[aria-current="true"]').inner_text() == "Laporan bulanan"
    assert not page.console_errors


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_psks_and_partner_points_on_every_level_at_360_and_1280(page_factory, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=600, verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    for username, path, nama in [
        ("dinsos.prov", "/laporan/", "provinsi"),
        ("dinsos.palangkaraya", "/laporan/", "kabupaten"),
        ("tksk.pahandut", "/laporan/", "kecamatan"),
    ]:
        for ukuran, viewport in (("360", PHONE), ("1280", DESKTOP)):
            page = page_factory(viewport)
            login(page, username, SANDI)
            page.goto(path)
            peta = page.locator('[data-testid="peta"]')
            peta.wait_for()
            assert page.locator('.peta-svg [data-titik="mitra"]').count() >= 1, nama
            if nama != "kecamatan":  # the demo's few institutions may all be elsewhere
                assert page.locator('.peta-svg [data-titik="psks"]').count() >= 1, nama
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            # A point never takes an area's place: the areas stay links.
            assert page.locator(".peta-svg a").count() >= 2
            peta.screenshot(path=str(ARTIFACTS / f"peta-titik-{nama}-{ukuran}.png"))
            assert not page.console_errors
            page.context.close()
