"""Template helpers for dashboards and reports. Everything is built with format_html (escaped)."""

from datetime import date
from functools import lru_cache

from django import template
from django.utils.html import format_html, format_html_join

from laporan.selectors import format_angka, label_bulan, nama_pendek

register = template.Library()


@register.simple_tag
def angka(nilai, kelas=""):
    """A dashboard number: a link to the list that counts it when there is one. `data-jumlah`
    carries the number for the tests that compare it with the list."""
    if nilai is None:
        return format_html('<span class="text-body-secondary">–</span>')
    teks = nilai.teks
    if nilai.tersembunyi:
        return format_html(
            '<span class="angka-kecil {}" title="Disamarkan: kurang dari 5">{}</span>', kelas, teks
        )
    if nilai.nilai == 0:
        kelas = f"{kelas} nol"
    if nilai.url:
        return format_html(
            '<a class="angka {}" href="{}" data-jumlah="{}">{}</a>',
            kelas,
            nilai.url,
            nilai.nilai,
            teks,
        )
    return format_html('<span class="angka {}">{}</span>', kelas, teks)


@register.simple_tag
def sel_angka(daftar):
    """A row of number cells in one template node (a province matrix has hundreds of cells)."""
    return format_html_join("", '<td class="n">{}</td>', ((angka(n),) for n in daftar))


@register.simple_tag
def sel_kepatuhan(daftar):
    """A row of the compliance grid in one node: class and symbol of each month, the symbol
    linked to that month's reports of the kecamatan once one was submitted. Kept to the bare
    markup: a province grid has 1,600 cells, most of them one of a few unlinked ones, each of
    those built once."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html('<td class="{}"><a href="{}">{}</a></td>', s.kelas, s.url, s.simbol)
                if s.url
                else _sel_polos(s.kelas, s.simbol),
            )
            for s in daftar
        ),
    )


@lru_cache(maxsize=64)
def _sel_polos(kelas: str, simbol: str):
    return format_html('<td class="{}">{}</td>', kelas, simbol)


@register.filter
def pendek(nama: str) -> str:
    """ "Kabupaten Kotawaringin Barat" → "Kotawaringin Barat" for narrow column headers."""
    return nama_pendek(nama)


@register.filter
def ribuan(n):
    return format_angka(n)


@register.filter
def bulan(d):
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d + "-01" if len(d) == 7 else d)
        except ValueError:
            return d
    return label_bulan(d) if d else ""


@register.filter
def tanggal(d):
    """ "2026-11-05" or a date → "5 November 2026"."""
    from laporan.selectors import BULAN

    if isinstance(d, str):
        try:
            d = date.fromisoformat(d)
        except ValueError:
            return d
    if not d:
        return ""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"
