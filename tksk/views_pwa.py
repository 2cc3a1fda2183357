"""The installable app: web manifest, the service worker served from the site root (so that it
controls `/`), and the offline home "Data di perangkat ini".

None of these pages holds personal data: the offline home is an empty shell that the browser fills
from its own storage, so it can be cached for a cold start with no network.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

WARNA_TEMA = "#0d6efd"

# Static files of the app shell: everything an offline form page loads.
STATIS_SHELL = [
    "vendor/bootstrap/bootstrap.app.min.css",
    "css/app.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/app.js",
    "js/keluarga.js",
    "js/ppks.js",
    "js/formulir.js",
    "js/offline/main.js",
    "js/offline/db.js",
    "js/offline/outbox.js",
    "js/offline/formulir.js",
    "js/offline/aturan.js",
    "js/offline/ganda.js",
    "js/offline/ekspor.js",
    "js/offline/beranda.js",
    "js/offline/lencana.js",
    "js/offline/foto.js",
    "img/logo.svg",
    "img/ikon-192.png",
    "img/ikon-512.png",
    "img/ikon-maskable-192.png",
    "img/ikon-maskable-512.png",
]

# The offline forms: cached for the logged-in user when the worker is installed and whenever a page
# asks ("panaskan"); an edit form is cached when it is opened online.
FORMULIR_OFFLINE = [
    "pendataan:keluarga-create",
    "pendataan:ppks-create",
    "pendataan:psks-create",
    "koordinasi:kegiatan-create",
]
# Cached the same way: the TKSK's own kecamatan map, shown on the offline home (another role's
# refusal is simply not cached).
SIMPANAN_PENGGUNA = [*FORMULIR_OFFLINE, "peta:kecamatan-svg"]


@lru_cache(maxsize=1)
def _versi() -> str:
    """A hash of every precached file and of the templates the worker and the shell are built
    from: any change makes a new worker, which then waits until the outbox is empty."""
    h = hashlib.sha256()
    for nama in STATIS_SHELL:
        path = finders.find(nama)
        if path:
            with open(path, "rb") as f:
                h.update(f.read())
    for nama in ("offline/sw.js", "offline/home.html", "base.html"):
        h.update(get_template(nama).template.source.encode())
    return h.hexdigest()[:12]


@login_not_required
@require_GET
def manifest(request):
    ikon = [
        {"src": static(f"img/ikon-{s}.png"), "sizes": f"{s}x{s}", "type": "image/png"}
        for s in (192, 512)
    ] + [
        {
            "src": static(f"img/ikon-maskable-{s}.png"),
            "sizes": f"{s}x{s}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for s in (192, 512)
    ]
    data = {
        "name": "Sistem Informasi TKSK",
        "short_name": "SI TKSK",
        "description": "Pendataan dan koordinasi Tenaga Kesejahteraan Sosial Kecamatan",
        "lang": "id",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": WARNA_TEMA,
        "icons": ikon,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@login_not_required
@require_GET
def service_worker(request):
    shell = [reverse("offline-home"), reverse("manifest")] + [static(n) for n in STATIS_SHELL]
    isi = render_to_string(
        "offline/sw.js",
        {
            "versi": _versi(),
            "shell": json.dumps(shell),
            "formulir": json.dumps([reverse(n) for n in SIMPANAN_PENGGUNA]),
            "beranda": json.dumps(reverse("offline-home")),
        },
    )
    response = HttpResponse(isi, content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every navigation; never serve it from a cache.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_GET
def offline_home(request):
    # No request context: the page is cached for every user and must hold nothing of one.
    isi = {"versi": _versi(), "jeda_awal_offline": settings.OFFLINE_JEDA_AWAL_MS}
    response = HttpResponse(render_to_string("offline/home.html", isi))
    return response


def csrf_gagal(request, reason=""):
    """A refused CSRF check (CSRF_FAILURE_VIEW): mostly a form posted after the session and its
    cookies ended. A full page, so that the offline layer can keep the typing it noted at Simpan
    and send it after the next login."""
    return render(request, "403_csrf.html", status=403)
