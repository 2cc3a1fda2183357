"""The stylesheets on a browser's first visit: inline, so the first paint waits for no request.

A first visit (no `gaya` cookie naming the current styles) gets Bootstrap's trimmed CSS and the
app's CSS inside a <style> in the page, allowed by its SHA-256 in the CSP (no 'unsafe-inline'),
plus a prefetch of the two files, and the cookie. Every later page links the files as usual:
hashed names cached for a year, so they come from the browser's cache without a request, and
the HTML stays small (inlining them on every page would add ~15 KB to each). The styles are the
complete ones either way, so nothing is ever shown unstyled. A browser that dropped its cache
but kept the cookie loads the files as before this existed: a render-blocking request.
"""

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders

BERKAS = ("vendor/bootstrap/bootstrap.app.min.css", "css/app.css")
COOKIE = "gaya"
SETAHUN = 365 * 24 * 3600


@dataclass(frozen=True)
class Gaya:
    css: str  # exactly the text of the <style>, as hashed
    csp: str  # "'sha256-…'" for style-src
    kunci: str  # the cookie's value: changes whenever the CSS does


def _path(nama: str) -> Path:
    found = finders.find(nama)
    if not found:
        raise FileNotFoundError(nama)
    return Path(found)


@lru_cache(maxsize=4)
def _baca(mtimes: tuple[float, ...]) -> Gaya:
    bagian = []
    for nama in BERKAS:
        teks = _path(nama).read_text(encoding="utf-8")
        # @charset means nothing inside a <style> (the page's encoding applies), and is only
        # valid as the first thing of a file.
        bagian.append(teks.removeprefix('@charset "UTF-8";').strip())
    css = "\n".join(bagian)
    if "</" in css:  # would end the <style> early
        raise ValueError("a stylesheet contains '</'")
    digest = hashlib.sha256(css.encode()).digest()
    return Gaya(
        css=css,
        csp=f"'sha256-{base64.b64encode(digest).decode()}'",
        kunci=hashlib.sha256(css.encode()).hexdigest()[:16],
    )


def gaya() -> Gaya:
    # Keyed by modification times, so an edited stylesheet is picked up in development.
    return _baca(tuple(_path(n).stat().st_mtime for n in BERKAS))


def perlu_sebaris(request) -> bool:
    """Whether this browser has not yet been sent the current styles."""
    return request.COOKIES.get(COOKIE) != gaya().kunci


class GayaSebarisMiddleware:
    """Allows the inline styles of a first visit in the CSP and sets the cookie. Listed after
    CSPMiddleware, so its response passes here first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        dipakai = getattr(request, "_gaya_sebaris", None)
        if dipakai is not None:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["style-src"] = [*update.get("style-src", []), dipakai.csp]
            response._csp_update = update
            response.set_cookie(
                COOKIE,
                dipakai.kunci,
                max_age=SETAHUN,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure(),
            )
        return response
