"""What the koordinasi views share: role decorators, paging, the period filter, and how a
service's refusal or a stale save is shown on the form."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

from tksk.kapabilitas import perlu
from tksk.uuid_klien import uuid_sah

PER_HALAMAN = 50
pencatat = perlu("koordinasi.kegiatan")
perujuk = perlu("koordinasi.rujuk")


def _tambah_galat(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _versi_baru(form, current) -> None:
    form.data = form.data.copy()
    form.data["versi"] = str(current.versi)


def _halaman(request, qs):
    return Paginator(qs, PER_HALAMAN).get_page(request.GET.get("page"))


PESAN_TANGGAL = "Tanggal tidak valid. Pilih tanggal dari kalender (tahun-bulan-tanggal)."


def _pembuat(request):
    """`pembuat` of a list's filter: the uuid of the account whose records the list is narrowed
    to (the TKSK performance record's links), and that account for the notice; (None, None)."""
    from django.contrib.auth import get_user_model

    uid = uuid_sah(request.GET.get("pembuat", "").strip())
    if uid is None:
        return None, None
    return uid, get_user_model().objects.filter(uuid=uid).first()


def _periode(request) -> tuple[date | None, date | None, str]:
    """`dari`/`sampai` of a list's filter, and an error when one is not a date: the list then
    shows nothing rather than silently ignoring the bound."""
    hasil, galat = [], ""
    for nama in ("dari", "sampai"):
        value = request.GET.get(nama, "").strip()
        try:
            hasil.append(date.fromisoformat(value) if value else None)
        except ValueError:
            hasil.append(None)
            galat = PESAN_TANGGAL
    return hasil[0], hasil[1], galat
