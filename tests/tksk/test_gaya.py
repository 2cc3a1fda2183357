"""A browser's first visit gets the styles inline (no render-blocking request), allowed by their
hash in the CSP; once it has them (the cookie), pages link the cached files."""

import base64
import hashlib
import re

import pytest
from django.templatetags.static import static

from tksk.gaya import BERKAS, COOKIE, gaya


def _style(html: str) -> list[str]:
    return re.findall(r"<style>(.*?)</style>", html, flags=re.S)


def _style_src(response) -> list[str]:
    csp = response["Content-Security-Policy"]
    directive = next(d.strip() for d in csp.split(";") if d.strip().startswith("style-src"))
    return directive.split()[1:]


@pytest.mark.django_db
def test_first_visit_inlines_the_styles_allowed_by_their_hash(world, client):
    client.force_login(world.users["tksk_pahandut"])
    response = client.get("/pendataan/keluarga/baru/")
    html = response.content.decode()
    styles = _style(html)
    assert len(styles) == 1
    css = styles[0]
    assert ".btn-primary" in css and ".bottom-nav" in css  # Bootstrap's and the app's
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert _style_src(response) == ["'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    # The files come in the background for the next page, which links them.
    files = [static(n) for n in BERKAS]
    assert re.findall(r'<link rel="prefetch" href="([^"]+)" as="style">', html) == files
    assert 'rel="stylesheet"' not in html.split("</head>")[0]
    cookie = response.cookies[COOKIE]
    assert cookie.value == gaya().kunci and cookie["httponly"] and cookie["samesite"] == "Lax"

    # The next page: the browser has the files (and the cookie): linked, nothing inline.
    response = client.get("/pendataan/keluarga/baru/")
    html = response.content.decode()
    assert _style(html) == [] and COOKIE not in response.cookies
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)[:2] == files
    assert _style_src(response) == ["'self'"]


@pytest.mark.django_db
def test_changed_styles_are_inlined_again(client):
    client.cookies[COOKIE] = "a-previous-version"
    response = client.get("/accounts/login/")  # the login page is the usual first visit
    assert len(_style(response.content.decode())) == 1
    assert response.cookies[COOKIE].value == gaya().kunci


@pytest.mark.django_db
def test_a_partial_response_sets_nothing(world, client):
    """Only a page that rendered the inline styles gets the hash and the cookie."""
    client.force_login(world.users["tksk_pahandut"])
    response = client.get("/healthz")
    assert COOKIE not in response.cookies
    assert "sha256" not in response.get("Content-Security-Policy", "")
