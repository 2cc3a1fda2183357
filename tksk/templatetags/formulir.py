"""The error summary at the top of a form: every error of the round, each linked to its field."""

from django import forms, template

register = template.Library()


def _target_id(bound) -> str:
    # A multi-widget field (checkbox list) labels its first input; the link goes there.
    return bound.id_for_label or bound.auto_id or ""


def _galat_form(form, awalan: str) -> list[dict]:
    items = []
    for e in form.non_field_errors():
        items.append({"id": "", "teks": f"{awalan}{e}" if awalan else e})
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        for e in errors:
            items.append({"id": _target_id(bound), "label": f"{awalan}{bound.label}", "teks": e})
    return items


@register.inclusion_tag("partials/galat_ringkasan.html")
def ringkasan_galat(form=None, formset=None, tambahan=None, label_baris="Anggota"):
    """`formset` rows are named "<label_baris> N: <field>"; `tambahan` adds loose messages
    (e.g. errors the service raised on the whole member list)."""
    items: list[dict] = []
    if form is not None and form.is_bound:
        items += _galat_form(form, "")
    if formset is not None and formset.is_bound:
        for e in formset.non_form_errors():
            items.append({"id": "anggota-daftar", "teks": e})
        nomor = 0
        for f in formset.forms:
            if formset.can_delete and formset._should_delete_form(f) and not f.errors:
                continue
            nomor += 1
            items += _galat_form(f, f"{label_baris} {nomor} — ")
    for e in tambahan or []:
        items.append({"id": "anggota-daftar" if formset is not None else "", "teks": e})
    return {"items": items}
