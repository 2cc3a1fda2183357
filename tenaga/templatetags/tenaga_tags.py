"""Blocks other pages include: a kecamatan's TKSK, a dashboard's coverage of TKSK."""

from django import template

from tenaga import selectors as sel

register = template.Library()


@register.inclusion_tag("tenaga/_tksk_kecamatan.html", takes_context=True)
def tksk_kecamatan(context, wilayah):
    user = context["request"].user
    return {"tksk": sel.tksk_kecamatan(user, wilayah), "wilayah": wilayah}


@register.inclusion_tag("tenaga/_cakupan.html", takes_context=True)
def cakupan_tksk(context, wilayah):
    user = context["request"].user
    return {"c": sel.cakupan(user, wilayah)}


@register.filter
def ambil(mapping, key):
    return (mapping or {}).get(key)
