"""Light pages: HTML compressed, static files hashed, pre-compressed and cached for a year (also
with DEBUG on, as `make run` runs), and the trimmed Bootstrap current with the templates."""

import gzip
import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _purge_module():
    spec = importlib.util.spec_from_file_location("purge", ROOT / "scripts" / "purge_bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_trimmed_bootstrap_is_current_and_keeps_what_pages_use():
    purge = _purge_module()
    text = purge.build()
    committed = purge.TARGET.read_text(encoding="utf-8")
    assert committed == text, "run scripts/purge_bootstrap.py"
    assert len(text) < purge.SOURCE.stat().st_size / 2
    for used in (".btn-primary", ".form-control", ".invalid-feedback", ".table-responsive"):
        assert used in text, used
    for unused in (".carousel-item", ".offcanvas-lg", ".placeholder-wave"):
        assert unused not in text, unused
    assert text.startswith('@charset "UTF-8";')


@pytest.mark.django_db
def test_html_is_gzipped_with_vary(world, client):
    client.force_login(world.users["tksk_pahandut"])
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "bootstrap.app.min" in html and "bootstrap.min.css" not in html
    assert response["Cache-Control"] == "no-store"  # personal pages are still never cached


@pytest.mark.django_db
def test_static_files_hashed_compressed_and_cached_long(settings, tmp_path):
    settings.DEBUG = True  # `make run`
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "tksk.storage.StaticStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    # Only the project's own files (the third-party trees take a minute to compress).
    skip = ["admin", "drf_spectacular_sidecar", "rest_framework", "django_htmx"]
    call_command("collectstatic", "--noinput", *(f"-i={d}" for d in skip), verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    staticfiles_storage._setup()  # the lazy storage object follows the overridden setting
    url = static("vendor/bootstrap/bootstrap.app.min.css")
    assert url != "/static/vendor/bootstrap/bootstrap.app.min.css"  # hashed even with DEBUG
    name = url.removeprefix("/static/")
    assert (tmp_path / (name + ".gz")).exists()
    response = Client().get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] in ("gzip", "br")
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    staticfiles_storage._wrapped = None  # back to the test settings' storage
