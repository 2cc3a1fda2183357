"""The installable app: manifest, the root service worker and the offline home shell."""

import json

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_manifest_names_the_app_and_its_icons(client):
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/manifest+json"
    m = json.loads(r.content)
    assert m["name"] == "Sistem Informasi TKSK"
    assert m["short_name"] == "SI TKSK"
    assert m["start_url"] == "/" and m["scope"] == "/" and m["display"] == "standalone"
    assert m["theme_color"] == "#0d6efd"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in m["icons"]}
    assert sizes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for ikon in m["icons"]:
        path = finders.find(ikon["src"].removeprefix("/static/"))
        with Image.open(path) as img:
            assert f"{img.width}x{img.height}" == ikon["sizes"]


def test_service_worker_is_served_from_the_root_with_a_versioned_precache(client):
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/"
    assert r["Cache-Control"] == "no-cache"
    body = r.content.decode()
    from tksk.views_pwa import _versi

    assert f'var VERSI = "{_versi()}";' in body
    assert len(_versi()) == 12
    assert "/static/js/offline/outbox.js" in body
    assert '"/pendataan/keluarga/baru/"' in body
    assert '"/offline/"' in body
    # No template syntax leaked into the script.
    assert "{{" not in body and "{%" not in body


def test_version_follows_the_files(monkeypatch, tmp_path):
    from tksk import views_pwa

    views_pwa._versi.cache_clear()
    sebelum = views_pwa._versi()
    salinan = tmp_path / "app.js"
    with open(finders.find("js/app.js")) as f:
        salinan.write_text(f.read() + "\n// berubah\n")
    asli = finders.find

    def cari(nama, *a, **k):
        return str(salinan) if nama == "js/app.js" else asli(nama, *a, **k)

    monkeypatch.setattr(views_pwa.finders, "find", cari)
    views_pwa._versi.cache_clear()
    try:
        assert views_pwa._versi() != sebelum
    finally:
        monkeypatch.undo()
        views_pwa._versi.cache_clear()
    assert views_pwa._versi() == sebelum


def test_offline_home_is_an_empty_shell_without_login(client, world):
    r = client.get("/offline/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Data di perangkat ini" in html
    assert 'type="module"' in html and "js/offline/main.js" in html
    # No inline script (CSP) and nothing of any user.
    assert "<script>" not in html
    client.force_login(world.users["tksk_pahandut"])
    html2 = client.get("/offline/").content.decode()
    assert "tksk_pahandut" not in html2 and "csrfmiddlewaretoken" not in html2


def test_every_page_links_the_manifest_and_names_its_user(client, world):
    client.force_login(world.users["tksk_pahandut"])
    html = client.get("/pendataan/keluarga/baru/").content.decode()
    assert 'rel="manifest"' in html
    assert 'data-pengguna="tksk_pahandut"' in html
    assert "js/offline/main.js" in html


def test_every_file_an_offline_form_loads_is_precached(client, world):
    """A form opened with no network must find its CSS and scripts in the worker's cache, or it
    renders unstyled and unchecked."""
    import re

    from django.urls import reverse

    from tksk.views_pwa import FORMULIR_OFFLINE

    sw = client.get("/sw.js").content.decode()
    client.force_login(world.users["tksk_pahandut"])
    for nama in [*FORMULIR_OFFLINE, "offline-home"]:
        html = client.get(reverse(nama)).content.decode()
        dimuat = set(re.findall(r'(?:src|href)="(/static/[^"]+\.(?:css|js))"', html))
        assert dimuat, nama
        hilang = {url for url in _dengan_impor(dimuat) if f'"{url}"' not in sw}
        assert not hilang, (nama, hilang)


def _dengan_impor(urls: set[str]) -> set[str]:
    """The files and every module they import (`import … from "./x.js"`, `import("./x.js")`),
    followed through the source files: a module the page never names still has to be cached."""
    import posixpath
    import re

    semua, antre = set(), list(urls)
    while antre:
        url = antre.pop()
        if url in semua:
            continue
        semua.add(url)
        if not url.endswith(".js"):
            continue
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        with open(path, encoding="utf-8") as f:
            teks = f.read()
        pola = r"""(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)["'](\.{1,2}/[^"']+)["']"""
        for rel in re.findall(pola, teks, re.M):
            antre.append(posixpath.normpath(posixpath.join(posixpath.dirname(url), rel)))
    return semua


def test_the_import_walk_finds_the_offline_modules():
    # The walk above must see the modules main.js pulls in, or the test beside it proves nothing.
    dimuat = _dengan_impor({"/static/js/offline/main.js"})
    for nama in ("outbox", "db", "lencana", "formulir", "beranda", "aturan"):
        assert f"/static/js/offline/{nama}.js" in dimuat, nama


def test_a_post_refused_by_csrf_gets_a_full_page_that_lets_the_offline_layer_keep_the_typing(
    world,
):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    r = browser.post("/pendataan/keluarga/baru/", {"no_kk": "6271011501120001"})
    assert r.status_code == 403
    html = r.content.decode()
    assert "Sesi Anda berakhir" in html and "data-csrf-gagal" in html
    assert "js/offline/main.js" in html
    assert "/accounts/login/?next=/pendataan/keluarga/baru/" in html
    # Nothing of what was posted comes back in the page.
    assert "6271011501120001" not in html


def test_the_first_retry_pause_is_rendered_from_settings(client, world, settings):
    settings.OFFLINE_JEDA_AWAL_MS = 1234
    client.force_login(world.users["tksk_pahandut"])
    assert 'data-jeda-awal="1234"' in client.get("/pendataan/keluarga/baru/").content.decode()
    assert 'data-jeda-awal="1234"' in client.get("/offline/").content.decode()
