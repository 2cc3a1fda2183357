"""The letterhead page (admin)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from koordinasi import services as svc
from koordinasi.forms import KopSuratForm
from koordinasi.views.umum import _tambah_galat
from tksk import pdf
from tksk.kapabilitas import perlu
from tksk.models import KopSurat, Tingkat, Wilayah
from tksk.scoping import get_scoped_or_404, sees_everything


@perlu("koordinasi.kop")
def kop_update(request):
    """Letterheads: the default one and per-area overrides (kabupaten/kota and above)."""
    user = request.user
    kode = request.GET.get("wilayah", "").strip()
    wilayah = None
    if kode:
        wilayah = get_scoped_or_404(Wilayah.objects.exclude(tingkat=Tingkat.DESA), user, kode=kode)
    elif not sees_everything(user):
        wilayah = user.wilayah
    obj = KopSurat.objects.filter(wilayah=wilayah).first()
    initial = (
        {
            "nama_instansi": obj.nama_instansi,
            "alamat": obj.alamat,
            "telepon": obj.telepon,
            "email": obj.email,
        }
        if obj
        else {"nama_instansi": "PEMERINTAH PROVINSI KALIMANTAN TENGAH\nDINAS SOSIAL"}
    )
    form = KopSuratForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.kop_simpan(
                pelaku=user,
                wilayah=wilayah,
                data=data,
                logo=data.get("logo_olahan"),
                hapus_logo=data.get("hapus_logo", False),
            )
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(request, "Kop surat disimpan.")
            url = reverse("koordinasi:kop-update")
            return redirect(f"{url}?wilayah={wilayah.kode}" if wilayah else url)
    semua = KopSurat.objects.for_user(user).select_related("wilayah")
    if sees_everything(user):
        semua = KopSurat.objects.select_related("wilayah")
    context = {
        "form": form,
        "obj": obj,
        "wilayah": wilayah,
        "semua": semua.order_by("wilayah__kode"),
        "logo": pdf.logo_data_uri(obj.logo) if obj and obj.logo else None,
        "pilihan_wilayah": Wilayah.objects.for_user(user)
        .filter(tingkat__in=[Tingkat.PROVINSI, Tingkat.KABUPATEN])
        .order_by("kode"),
    }
    return render(request, "koordinasi/kop_form.html", context)
