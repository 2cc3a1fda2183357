"""Spreadsheet import: the template, the upload, the preview and the confirmation. Thin: reading,
checking and saving are in `pendataan.impor`, which runs them in the background worker."""

from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from pendataan import impor
from pendataan.forms_impor import UnggahForm
from tksk.kapabilitas import perlu

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
pendata = perlu("pendataan.ubah")


def _unggahan(request, token) -> impor.Unggahan:
    """An upload of the user's area; any other (or an expired one) is a 404 like a missing one."""
    unggahan = impor.muat(token)
    if unggahan is None or not impor.milik_cakupan(unggahan, request.user):
        raise Http404
    return unggahan


@pendata
def impor_index(request):
    if request.method == "POST":
        form = UnggahForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                unggahan = impor.terima(
                    pelaku=request.user, uploaded=form.cleaned_data["berkas"], jenis=form.jenis
                )
            except impor.BerkasDitolak as error:
                form.add_error("berkas", error)
            else:
                return redirect("pendataan:impor-detail", token=unggahan.token)
    else:
        form = UnggahForm()
        impor.bersihkan_kedaluwarsa()
    context = {
        "form": form,
        "unggahan_saya": impor.untuk_pengguna(request.user),
        "batas_mb": impor.batas_mb(),
        "batas_baris": f"{impor.batas_baris():,}".replace(",", "."),
    }
    return render(request, "pendataan/impor_index.html", context)


@pendata
def impor_templat(request):
    response = HttpResponse(impor.templat_xlsx(request.user), content_type=XLSX)
    tanggal = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="templat-impor-tksk-{tanggal}.xlsx"'
    return response


@pendata
def impor_detail(request, token):
    unggahan = _unggahan(request, token)
    if request.htmx:
        if unggahan.berjalan:
            return render(request, "pendataan/impor_status.html", {"unggahan": unggahan})
        # Done: the whole page changes (preview, result or error), so reload it.
        return HttpResponseClientRefresh()
    context = {"unggahan": unggahan, "ringkasan": unggahan.meta.get("ringkasan") or {}}
    if unggahan.meta.get("pernah_diimpor"):
        context["pernah_diimpor"] = datetime.fromisoformat(unggahan.meta["pernah_diimpor"])
    if unggahan.status == impor.Status.SIAP:
        laporan = impor.baca_laporan(unggahan)
        hanya_galat = request.GET.get("tampil") == "galat"
        masalah = laporan.get("masalah", [])
        if hanya_galat:
            masalah = [m for m in masalah if m["galat"]]
        context.update(
            {
                "laporan": laporan,
                "hanya_galat": hanya_galat,
                "halaman": Paginator(masalah, impor.PER_HALAMAN).get_page(
                    request.GET.get("halaman")
                ),
                "sudah_ada": [k for k in laporan.get("keluarga", []) if k["status"] == "sudah_ada"][
                    :20
                ],
            }
        )
    return render(request, "pendataan/impor_detail.html", context)


@require_POST
@pendata
def impor_konfirmasi(request, token):
    unggahan = _unggahan(request, token)
    if impor.minta_simpan(pelaku=request.user, unggahan=unggahan):
        messages.info(request, "Impor dikonfirmasi dan sedang disimpan.")
    elif unggahan.status == impor.Status.SIAP:
        messages.warning(request, "Tidak ada data yang siap diimpor dari berkas ini.")
    else:
        messages.warning(request, "Berkas ini sedang atau sudah diproses.")
    return redirect("pendataan:impor-detail", token=unggahan.token)


@require_POST
@pendata
def impor_batal(request, token):
    unggahan = _unggahan(request, token)
    if impor.batalkan(pelaku=request.user, unggahan=unggahan):
        messages.success(request, "Impor dibatalkan; berkas yang diunggah sudah dihapus.")
        return redirect("pendataan:impor-index")
    messages.warning(request, "Impor ini sedang disimpan sehingga tidak dapat dibatalkan.")
    return redirect("pendataan:impor-detail", token=unggahan.token)
