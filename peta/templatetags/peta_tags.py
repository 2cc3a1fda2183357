"""The map for the recap PDF, from the recap's own rows (`laporan.selectors.rekap`): the same
totals the PDF's table prints, suppressed cells drawn hatched."""

import base64

from django import template

from laporan.selectors import format_angka
from peta import bentuk
from peta.render import Area, gambar
from tksk.models import Tingkat

register = template.Library()


@register.simple_tag
def peta_rekap(rekap) -> dict | None:
    wilayah = rekap["wilayah"]
    if wilayah.tingkat == Tingkat.DESA:
        return None
    shapes = bentuk.semua()
    areas = []
    for b in rekap["baris"]:
        s = shapes.get(b["wilayah"].kode)
        if s is None:
            continue
        total = b["total"]
        tekan = isinstance(total, str)
        area = Area(
            b["wilayah"].kode,
            b["wilayah"].nama,
            format_angka(total),
            None if tekan else float(total),
            tekan,
        )
        areas.append((area, s.path))
    if not areas:
        return None
    kotak = [shapes[a.kode].kotak for a, _ in areas]
    judul = f"{rekap['judul']} per {rekap['label_anak'].lower()}"
    peta = gambar(
        judul=judul,
        satuan=rekap["judul"],
        kotak=(
            min(k[0] for k in kotak),
            min(k[1] for k in kotak),
            max(k[2] for k in kotak),
            max(k[3] for k in kotak),
        ),
        areas=areas,
        luar=[s.path for s in bentuk.tetangga(wilayah.kode)]
        if wilayah.tingkat != Tingkat.PROVINSI
        else [],
        garis_induk=None,
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(peta.svg.encode()).decode("ascii")
    return {"uri": uri, "judul": f"{judul}, {wilayah.nama_lengkap}"}
