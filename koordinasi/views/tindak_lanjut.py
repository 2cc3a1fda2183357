"""Follow-up pages and the agenda."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from koordinasi import selectors as sel
from koordinasi import services as svc
from koordinasi.forms import TindakLanjutForm
from koordinasi.models import StatusTindakLanjut
from koordinasi.views.kegiatan import _konteks_kegiatan
from koordinasi.views.umum import _halaman, _tambah_galat, _versi_baru, pencatat
from tksk.konkurensi import RecordChanged, pesan_berubah


@require_POST
@pencatat
def tindak_lanjut_create(request, uuid):
    kegiatan = sel.kegiatan_detail(request.user, uuid)
    form = TindakLanjutForm(request.POST, user=request.user, prefix="tl")
    if form.is_valid():
        try:
            svc.tindak_lanjut_simpan(pelaku=request.user, kegiatan=kegiatan, data=form.cleaned_data)
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(request, "Tindak lanjut ditambahkan.")
            url = reverse("koordinasi:kegiatan-detail", args=[kegiatan.uuid])
            return redirect(url + "#tindak-lanjut")
    return render(
        request,
        "koordinasi/kegiatan_detail.html",
        _konteks_kegiatan(request, kegiatan, tl_form=form),
        status=400,
    )


@pencatat
def tindak_lanjut_update(request, uuid, tl):
    kegiatan = sel.kegiatan_detail(request.user, uuid)
    obj = sel.tindak_lanjut_kegiatan(request.user, kegiatan, tl)
    form = TindakLanjutForm(request.POST or None, instance=obj, user=request.user)
    if not request.POST:
        form.initial["versi"] = obj.versi
    if request.method == "POST" and form.is_valid():
        try:
            svc.tindak_lanjut_simpan(
                pelaku=request.user,
                kegiatan=kegiatan,
                data=form.cleaned_data,
                tindak_lanjut=obj,
                versi=form.cleaned_data.get("versi"),
            )
        except RecordChanged as changed:
            form.add_error(None, pesan_berubah(changed.current))
            _versi_baru(form, changed.current)
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(request, "Tindak lanjut diperbarui.")
            url = reverse("koordinasi:kegiatan-detail", args=[kegiatan.uuid])
            return redirect(url + "#tindak-lanjut")
    context = {"form": form, "obj": obj, "kegiatan": kegiatan}
    return render(request, "koordinasi/tindak_lanjut_form.html", context)


def tindak_lanjut_list(request):
    status = request.GET.get("status", "terbuka")
    if status not in ("terbuka", "terlambat", "", *StatusTindakLanjut.values):
        status = "terbuka"
    qs = sel.tindak_lanjut_daftar(request.user, status=status)
    context = {
        "page": _halaman(request, qs),
        "status": status,
        "status_pilihan": StatusTindakLanjut.choices,
        "hari_ini": timezone.localdate(),
    }
    return render(request, "koordinasi/tindak_lanjut_list.html", context)


def agenda(request):
    """Month agenda: a compact calendar (fits 360 px) and the days' list below it."""
    hari_ini = timezone.localdate()
    try:
        tahun, bulan = (int(x) for x in request.GET.get("bulan", "").split("-"))
        awal = date(tahun, bulan, 1)
    except ValueError:
        awal = hari_ini.replace(day=1)
    if not date(2000, 1, 1) <= awal <= date(2100, 12, 1):
        awal = hari_ini.replace(day=1)
    minggu = sel.agenda_bulan(request.user, awal.year, awal.month)
    sebelum = (awal.replace(day=1) - date.resolution).replace(day=1)
    sesudah = (awal.replace(day=28) + 4 * date.resolution).replace(day=1)
    context = {
        "awal": awal,
        "minggu": minggu,
        "hari_ada": [h for w in minggu for h in w if h.bulan_ini and h.ada],
        "sebelum": sebelum,
        "sesudah": sesudah,
        "hari_ini": hari_ini,
        "nama_hari": ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"],
    }
    return render(request, "koordinasi/agenda.html", context)
