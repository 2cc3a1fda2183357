"""Pages of offline sync: the conflict queue (mine / theirs / base), change requests of verified
records, and the import of an encrypted outbox file. Thin: reads through for_user, writes
through sinkron/services.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sinkron import services as svc
from sinkron.impor import UKURAN_MAKS, BerkasTidakSah
from sinkron.models import Konflik, PermintaanPerubahan, StatusAntrean
from tksk.kapabilitas import perlu
from tksk.privasi import samarkan
from tksk.scoping import get_scoped_or_404

PER_HALAMAN = 25
# Fields whose values are personal numbers: shown masked on these pages.
NOMOR = {"nik", "no_kk"}


def _tampil(field: str, nilai):
    if nilai in (None, "", []):
        return "—"
    if field in NOMOR:
        return samarkan(str(nilai))
    if isinstance(nilai, list):
        return ", ".join(str(v) for v in nilai)
    return str(nilai)


def _status(request, qs):
    status = request.GET.get("status", StatusAntrean.TERBUKA)
    if status not in StatusAntrean.values:
        status = StatusAntrean.TERBUKA
    return qs.filter(status=status), status


@perlu("sinkron.antrean")
def konflik_list(request):
    qs, status = _status(
        request,
        Konflik.objects.for_user(request.user).select_related(
            "desa", "penulis_saya", "penulis_server"
        ),
    )
    page = Paginator(qs, PER_HALAMAN).get_page(request.GET.get("page"))
    for k in page.object_list:
        k.saya, k.server, k.dasar = (
            _tampil(k.field, v) for v in (k.nilai_saya, k.nilai_server, k.nilai_dasar)
        )
    context = {"page": page, "status": status, "pilihan_status": StatusAntrean.choices}
    return render(request, "sinkron/konflik_list.html", context)


@perlu("sinkron.antrean")
def konflik_detail(request, uuid):
    k = get_scoped_or_404(
        Konflik.objects.select_related("desa", "penulis_saya", "penulis_server"),
        request.user,
        uuid=uuid,
    )
    if request.method == "POST":
        try:
            svc.konflik_selesaikan(
                pelaku=request.user,
                konflik=k,
                pilihan=request.POST.get("pilihan", ""),
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Konflik diselesaikan.")
            return redirect("sinkron:konflik-list")
    k.saya, k.server, k.dasar = (
        _tampil(k.field, v) for v in (k.nilai_saya, k.nilai_server, k.nilai_dasar)
    )
    return render(request, "sinkron/konflik_detail.html", {"k": k})


@perlu("sinkron.antrean")
def permintaan_list(request):
    qs, status = _status(
        request,
        PermintaanPerubahan.objects.for_user(request.user).select_related("desa", "pengaju"),
    )
    page = Paginator(qs, PER_HALAMAN).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "pilihan_status": StatusAntrean.choices}
    return render(request, "sinkron/permintaan_list.html", context)


@perlu("sinkron.antrean")
def permintaan_detail(request, uuid):
    p = get_scoped_or_404(
        PermintaanPerubahan.objects.select_related("desa", "pengaju", "diputuskan_oleh"),
        request.user,
        uuid=uuid,
    )
    rincian = [
        {"field": f, "baru": _tampil(f, v), "dasar": _tampil(f, p.dasar.get(f))}
        for f, v in p.data.items()
        if f != "anggota"
    ]
    context = {
        "p": p,
        "rincian": rincian,
        "anggota": len(p.data.get("anggota") or []),
    }
    return render(request, "sinkron/permintaan_detail.html", context)


@require_POST
@perlu("sinkron.putus")
def permintaan_putuskan(request, uuid):
    p = get_scoped_or_404(PermintaanPerubahan.objects, request.user, uuid=uuid)
    terima = request.POST.get("keputusan") == "terima"
    try:
        svc.permintaan_putuskan(
            pelaku=request.user,
            permintaan=p,
            terima=terima,
            catatan=request.POST.get("catatan", ""),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sinkron:permintaan-detail", uuid=p.uuid)
    messages.success(
        request, "Perubahan diterapkan." if terima else "Permintaan perubahan ditolak."
    )
    return redirect("sinkron:permintaan-list")


# --- import of an encrypted outbox file -------------------------------------------------------


class ImporForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas ekspor dari perangkat",
        help_text="Berkas .json yang dibuat dengan tombol Ekspor di aplikasi luring.",
        error_messages={"required": "Pilih berkas ekspor."},
    )
    kata_sandi = forms.CharField(
        label="Kata sandi berkas",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "class": "form-control"}),
        error_messages={"required": "Isi kata sandi yang dipakai saat mengekspor."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["berkas"].widget.attrs.update(
            {"class": "form-control", "accept": "application/json,.json"}
        )


@perlu("sinkron.kirim")
def impor(request):
    form = ImporForm(request.POST or None, request.FILES or None)
    hasil = None
    if request.method == "POST" and form.is_valid():
        try:
            hasil, pemilik = svc.impor_berkas(
                pelaku=request.user,
                isi=form.cleaned_data["berkas"].read(UKURAN_MAKS + 1),
                kata_sandi=form.cleaned_data["kata_sandi"],
                request=request,
            )
        except BerkasTidakSah as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{len(hasil)} operasi dari perangkat {pemilik} diproses.")
    ringkasan = {}
    for h in hasil or []:
        ringkasan[h["status"]] = ringkasan.get(h["status"], 0) + 1
    context = {"form": form, "hasil": hasil, "ringkasan": sorted(ringkasan.items())}
    return render(request, "sinkron/impor.html", context)
