"""Map pages: household points of one desa (audited), and the TKSK's own kecamatan as a
standalone SVG for the offline app to cache."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from laporan import selectors as sel_laporan
from peta import bentuk
from peta import render as gambar
from peta.proyeksi import titik as proyeksi
from peta.selectors import boleh_titik, titik_keluarga
from tksk.audit import catat
from tksk.kapabilitas import boleh
from tksk.models import Tingkat, Wilayah


@require_GET
def titik_desa(request, kode):
    """Household points of one desa. Another area: 404 (scoped lookup); a role that may not see
    points in its own area (province, admin, another desa's TKSK is already a 404): 403."""
    desa = sel_laporan.wilayah_untuk(request.user, kode)
    if desa.tingkat != Tingkat.DESA:
        raise Http404
    if not boleh_titik(request.user, desa):
        raise PermissionDenied
    shapes = bentuk.semua()
    b = shapes.get(desa.kode)
    if b is None:
        raise Http404
    xy = [proyeksi(lng, lat) for lng, lat in titik_keluarga(request.user, desa)]
    catat(
        aksi="peta.titik_keluarga",
        pelaku=request.user,
        objek=desa,
        data={"desa": desa.kode, "jumlah": len(xy)},
        request=request,
    )
    svg = gambar.titik(
        judul=f"Titik keluarga, {desa.nama_lengkap}",
        kotak=b.kotak,
        path=b.path,
        titik_xy=xy,
        luar=[s.path for s in bentuk.tetangga(desa.kode)],
    )
    context = {
        "wilayah": desa,
        "svg": mark_safe(svg),  # noqa: S308 - built from numbers and escaped names only
        "jumlah": len(xy),
        "css": "css/laporan.css",
    }
    return render(request, "peta/titik.html", context)


@require_GET
def kecamatan_svg(request):
    """The TKSK's own kecamatan (its desa, names only) as a standalone SVG, for the offline app to
    keep in its cache storage. The project's no-store header for signed-in pages stays (it
    governs the HTTP cache, not a service worker's cache); an ETag lets a refresh cost a 304."""
    user = request.user
    if not boleh(user, "peta.kecamatan"):
        raise PermissionDenied
    kec = Wilayah.objects.filter(pk=user.wilayah_id, tingkat=Tingkat.KECAMATAN).first()
    shapes = bentuk.semua()
    desa = [
        (w.kode, w.nama, shapes[w.kode].path)
        for w in Wilayah.objects.filter(induk=kec, aktif=True).order_by("kode")
        if kec is not None and w.kode in shapes
    ]  # no assignment, nothing: an empty map (filter(induk=None) would be the province)
    kotak = [shapes[k].kotak for k, _, _ in desa] or [(0, 0, 1, 1)]
    svg = gambar.kecamatan_offline(
        judul=f"Peta {kec.nama_lengkap}" if kec else "Peta (belum ada kecamatan)",
        kotak=(
            min(k[0] for k in kotak),
            min(k[1] for k in kotak),
            max(k[2] for k in kotak),
            max(k[3] for k in kotak),
        ),
        desa=desa,
    )
    etag = '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    return response
