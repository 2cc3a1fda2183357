"""Partner (Mitra) pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from koordinasi import selectors as sel
from koordinasi import services as svc
from koordinasi.forms import MitraForm
from koordinasi.models import JenisMitra
from koordinasi.views.umum import _halaman, _tambah_galat, _versi_baru
from tksk.konkurensi import RecordChanged, pesan_berubah


def mitra_list(request):
    q = request.GET.get("q", "").strip()[:100]
    jenis = request.GET.get("jenis", "")
    jenis = jenis if jenis in JenisMitra.values else ""
    aktif = request.GET.get("aktif", "1")
    qs = sel.mitra_daftar(request.user, q=q, jenis=jenis, aktif={"1": True, "0": False}.get(aktif))
    context = {
        "page": _halaman(request, qs),
        "q": q,
        "jenis": jenis,
        "aktif": aktif,
        "jenis_pilihan": JenisMitra.choices,
    }
    return render(request, "koordinasi/mitra_list.html", context)


def _mitra_form(request, mitra=None):
    form = MitraForm(request.POST or None, instance=mitra, user=request.user)
    if mitra is not None and not request.POST:
        form.initial["versi"] = mitra.versi
    if request.method == "POST" and form.is_valid():
        try:
            obj = svc.mitra_simpan(
                pelaku=request.user,
                data=form.cleaned_data,
                mitra=mitra,
                versi=form.cleaned_data.get("versi"),
            )
        except RecordChanged as changed:
            form.add_error(None, pesan_berubah(changed.current))
            _versi_baru(form, changed.current)
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(request, f"Mitra {obj.nama} disimpan.")
            return redirect("koordinasi:mitra-detail", obj.uuid)
    return render(request, "koordinasi/mitra_form.html", {"form": form, "obj": mitra})


def mitra_create(request):
    return _mitra_form(request)


def mitra_detail(request, uuid):
    mitra = sel.mitra_detail(request.user, uuid)
    context = {
        "obj": mitra,
        "boleh_ubah": sel.mitra_boleh_ubah(request.user, mitra),
        "kegiatan": sel.kegiatan_daftar(request.user).filter(mitra=mitra)[:10],
        "rujukan": sel.rujukan_daftar(request.user).filter(mitra=mitra)[:10],
    }
    return render(request, "koordinasi/mitra_detail.html", context)


def mitra_update(request, uuid):
    mitra = sel.mitra_detail(request.user, uuid)
    if not sel.mitra_boleh_ubah(request.user, mitra):
        raise PermissionDenied("Mitra ini didaftarkan oleh tingkat di atas Anda.")
    return _mitra_form(request, mitra)
