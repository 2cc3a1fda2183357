"""Template helpers for dashboards and reports. Every value is escaped by `_e`."""

import html
from datetime import date
from functools import lru_cache

from django import template
from django.utils.safestring import mark_safe

from laporan.selectors import format_angka, label_bulan, nama_pendek

register = template.Library()


def _e(nilai) -> str:
    """conditional_escape's result (& < > " ' as entities, safe strings as they are) without
    its lazy-string wrappers: a province dashboard formats about 2,000 numbers and cells."""
    if hasattr(nilai, "__html__"):
        return nilai.__html__()
    return html.escape(str(nilai), quote=True)


@register.simple_tag
def angka(nilai, kelas=""):
    """A dashboard number: a link to the list that counts it when there is one. `data-jumlah`
    carries the number for the tests that compare it with the list."""
    return mark_safe(_angka(nilai, kelas))  # noqa: S308 - every value escaped by _e


def _angka(nilai, kelas="") -> str:
    if nilai is None:
        return '<span class="text-body-secondary">–</span>'
    teks = _e(nilai.teks)
    if nilai.tersembunyi:
        return (
            f'<span class="angka-kecil {_e(kelas)}" title="Disamarkan: kurang dari 5">{teks}</span>'
        )
    if nilai.nilai == 0:
        kelas = f"{kelas} nol"
    if nilai.url:
        return (
            f'<a class="angka {_e(kelas)}" href="{_e(nilai.url)}" '
            f'data-jumlah="{_e(nilai.nilai)}">{teks}</a>'
        )
    return f'<span class="angka {_e(kelas)}">{teks}</span>'


@register.simple_tag
def sel_angka(daftar):
    """A row of number cells in one template node (a province matrix has hundreds of cells)."""
    return mark_safe("".join(f'<td class="n">{_angka(n)}</td>' for n in daftar))  # noqa: S308


@register.simple_tag
def sel_kepatuhan(daftar):
    """A row of the compliance grid in one node: class and symbol of each month, the symbol
    linked to that month's reports of the kecamatan once one was submitted. Kept to the bare
    markup: a province grid has 1,600 cells, most of them one of a few unlinked ones."""
    return mark_safe(  # noqa: S308 - every value escaped by _e
        "".join(
            f'<td class="{_e(s.kelas)}"><a href="{_e(s.url)}">{_e(s.simbol)}</a></td>'
            if s.url
            else _sel_polos(s.kelas, s.simbol)
            for s in daftar
        )
    )


@lru_cache(maxsize=64)
def _sel_polos(kelas: str, simbol: str) -> str:
    return f'<td class="{_e(kelas)}">{_e(simbol)}</td>'


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
