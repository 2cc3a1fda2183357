"""Roster import pages: the template, the upload with its preview of every row, and the
confirmation. Between the two the checked rows travel signed in the page (nothing half-stored
on the server); the confirmation checks them again and writes them all, or nothing."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tenaga import impor
from tksk.kapabilitas import perlu

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UMUR_DETIK = 24 * 3600


class UnggahForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas daftar TKSK (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )


def _salt(user) -> str:
    # Rows signed for one user cannot be confirmed by another.
    return f"tenaga.impor:{user.pk}"


def _pratinjau(request, rows, nama_berkas, hasil, status=200):
    paket = signing.dumps(
        {"rows": rows, "nama": nama_berkas}, salt=_salt(request.user), compress=True
    )
    context = {"hasil": hasil, "paket": paket, "nama_berkas": nama_berkas, "kolom": impor.KUNCI}
    return render(request, "tenaga/impor_pratinjau.html", context, status=status)


@perlu("tenaga.kelola")
def impor_index(request):
    form = UnggahForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        try:
            rows = impor.baca_xlsx(berkas)
        except impor.BerkasDitolak as error:
            form.add_error("berkas", error.messages)
        else:
            hasil = impor.periksa(pelaku=request.user, rows=rows)
            return _pratinjau(request, rows, berkas.name[:100], hasil)
    return render(request, "tenaga/impor.html", {"form": form}, status=400 if form.errors else 200)


@perlu("tenaga.kelola")
def impor_templat(request):
    response = HttpResponse(impor.templat_xlsx(request.user), content_type=XLSX)
    nama = f"templat-tksk-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{nama}"'
    return response


@require_POST
@perlu("tenaga.kelola")
def impor_konfirmasi(request):
    try:
        paket = signing.loads(
            request.POST.get("paket", ""), salt=_salt(request.user), max_age=UMUR_DETIK
        )
    except signing.BadSignature:
        messages.error(request, "Pratinjau impor tidak berlaku lagi. Unggah berkasnya kembali.")
        return redirect("tenaga:impor")
    rows, nama = paket["rows"], paket.get("nama", "")
    try:
        hasil = impor.simpan(pelaku=request.user, rows=rows, nama_berkas=nama)
    except impor.ImporGagal as gagal:
        messages.error(request, "Tidak ada yang disimpan: masih ada baris yang salah.")
        return _pratinjau(request, rows, nama, gagal.pemeriksaan, status=400)
    messages.success(
        request,
        f"{hasil.jumlah('siap')} profil TKSK diimpor, {hasil.jumlah('lewati')} dilewati "
        "karena sudah terdaftar.",
    )
    return redirect("tenaga:profil-list")
