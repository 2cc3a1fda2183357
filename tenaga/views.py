"""Views of the TKSK registry: profiles, SK, status, proposals and coverage lists. Thin: forms
validate, services write, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tenaga import selectors as sel
from tenaga import services as svc
from tenaga.forms import KontakForm, ProfilForm, SKForm, StatusForm, UsulanForm
from tenaga.models import ProfilTKSK, StatusTKSK, StatusUsulan, UsulanPerubahan
from tksk.kapabilitas import perlu
from tksk.konkurensi import RecordChanged, pesan_berubah
from tksk.models import Tingkat, Wilayah
from tksk.scoping import get_scoped_or_404


def _salin_galat(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _profil(request, uuid, qs=None):
    profil = get_scoped_or_404(qs or sel.profil_list(request.user), request.user, uuid=uuid)
    return profil


def _wilayah_saring(request):
    """The area a list is narrowed to (?wilayah=kode), inside the user's scope, else their own."""
    kode = request.GET.get("wilayah", "")
    qs = Wilayah.objects.for_user(request.user).exclude(tingkat=Tingkat.DESA)
    if isinstance(kode, str) and kode:
        found = qs.filter(kode=kode).first()
        if found is not None:
            return found
    if request.user.wilayah_id:
        return request.user.wilayah
    return Wilayah.objects.filter(tingkat=Tingkat.PROVINSI).order_by("kode").first()


def profil_list(request):
    q = request.GET.get("q", "").strip()[:100]
    profil = sel.profil_list(request.user).order_by("kecamatan__kode", "nama")
    if q:
        profil = profil.filter(nama__icontains=q)
    # The dashboards' coverage numbers link here narrowed to their area and to active TKSK.
    wilayah = _wilayah_saring(request) if request.GET.get("wilayah") else None
    if wilayah is not None and wilayah.tingkat != Tingkat.PROVINSI:
        lookup = "kecamatan" if wilayah.tingkat == Tingkat.KECAMATAN else "kecamatan__kabupaten"
        profil = profil.filter(**{lookup: wilayah})
    status = request.GET.get("status", "")
    if status in StatusTKSK.values:
        profil = profil.filter(status=status)
    page = Paginator(profil, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "wilayah": wilayah,
        "status": StatusTKSK(status).label if status in StatusTKSK.values else "",
    }
    return render(request, "tenaga/profil_list.html", context)


def _profil_form(request, instance=None):
    initial = {"versi": instance.versi} if instance else None
    form = ProfilForm(request.POST or None, user=request.user, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profil, peringatan = svc.profil_simpan(
                pelaku=request.user,
                data=form.data_profil(),
                profil=instance,
                versi=form.cleaned_data.get("versi"),
            )
        except RecordChanged as changed:
            form.add_error(None, pesan_berubah(changed.current))
        except ValidationError as error:
            _salin_galat(form, error)
        else:
            messages.success(request, f"Profil {profil.nama} disimpan.")
            for pesan in peringatan:
                messages.warning(request, pesan)
            return redirect("tenaga:profil-detail", profil.uuid)
    judul = f"Ubah profil {instance.nama}" if instance else "Profil TKSK baru"
    return render(request, "tenaga/form.html", {"form": form, "judul": judul, "obj": instance})


@perlu("tenaga.kelola")
def profil_create(request):
    return _profil_form(request)


@perlu("tenaga.kelola")
def profil_update(request, uuid):
    return _profil_form(request, _profil(request, uuid))


def _konteks_detail(request, profil, **forms) -> dict:
    usulan = UsulanPerubahan.objects.for_user(request.user).filter(
        profil=profil, status=StatusUsulan.DIAJUKAN
    )
    return {
        "profil": profil,
        "milik_sendiri": profil.akun_id == request.user.pk,
        "usulan": list(usulan.select_related("diusulkan_oleh")),
        "sk_form": SKForm(),
        "status_form": StatusForm(initial={"status": profil.status}),
        "usulan_form": UsulanForm(instance=ProfilTKSK.objects.get(pk=profil.pk)),
        **forms,
    }


def _profil_lengkap(request, uuid):
    return _profil(request, uuid, sel.profil_detail(request.user))


def profil_detail(request, uuid):
    profil = _profil_lengkap(request, uuid)
    return render(request, "tenaga/profil_detail.html", _konteks_detail(request, profil))


def _detail_galat(request, profil, **forms):
    """The profile page again with the failing form and the user's typing in place."""
    profil = _profil_lengkap(request, profil.uuid)
    context = _konteks_detail(request, profil, **forms)
    return render(request, "tenaga/profil_detail.html", context, status=400)


def kontak_ubah(request, uuid):
    profil = _profil(request, uuid)
    if profil.akun_id != request.user.pk:
        raise PermissionDenied
    form = KontakForm(request.POST or None, instance=profil, initial={"versi": profil.versi})
    if request.method == "POST" and form.is_valid():
        try:
            svc.kontak_ubah(
                pelaku=request.user,
                profil=profil,
                data=form.cleaned_data,
                versi=form.cleaned_data.get("versi"),
            )
        except RecordChanged as changed:
            form.add_error(None, pesan_berubah(changed.current))
        except ValidationError as error:
            _salin_galat(form, error)
        else:
            messages.success(request, "Kontak Anda diperbarui.")
            return redirect("tenaga:profil-detail", profil.uuid)
    return render(
        request, "tenaga/form.html", {"form": form, "judul": "Ubah kontak saya", "obj": profil}
    )


@require_POST
@perlu("tenaga.kelola")
def profil_status(request, uuid):
    profil = _profil(request, uuid)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            svc.status_ubah(
                pelaku=request.user,
                profil=profil,
                status=form.cleaned_data["status"],
                alasan=form.cleaned_data["alasan"],
                tanggal=form.cleaned_data["tanggal"],
            )
            messages.success(request, "Status TKSK diperbarui.")
            return redirect("tenaga:profil-detail", profil.uuid)
        except ValidationError as error:
            _salin_galat(form, error)
    return _detail_galat(request, profil, status_form=form)


@require_POST
@perlu("tenaga.kelola")
def sk_tambah(request, uuid):
    profil = _profil(request, uuid)
    form = SKForm(request.POST)
    if form.is_valid():
        try:
            svc.sk_tambah(pelaku=request.user, profil=profil, data=form.cleaned_data)
            messages.success(request, "SK ditambahkan.")
            return redirect("tenaga:profil-detail", profil.uuid)
        except ValidationError as error:
            _salin_galat(form, error)
    return _detail_galat(request, profil, sk_form=form)


@require_POST
@perlu("tenaga.usul")
def usulan_tambah(request, uuid):
    profil = _profil(request, uuid)
    form = UsulanForm(request.POST, instance=ProfilTKSK.objects.get(pk=profil.pk))
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in svc.BOLEH_DIUSULKAN}
        try:
            svc.usulan_ajukan(
                pelaku=request.user, profil=profil, data=data, alasan=form.cleaned_data["alasan"]
            )
            messages.success(request, "Usulan perubahan dikirim ke Dinas Sosial provinsi.")
            return redirect("tenaga:profil-detail", profil.uuid)
        except ValidationError as error:
            _salin_galat(form, error)
    return _detail_galat(request, profil, usulan_form=form)


@perlu("tenaga.lihat")
def usulan_list(request):
    usulan = (
        UsulanPerubahan.objects.for_user(request.user)
        .filter(status=StatusUsulan.DIAJUKAN)
        .select_related("profil__kecamatan", "diusulkan_oleh")
    )
    return render(
        request,
        "tenaga/usulan_list.html",
        {"usulan": usulan},
    )


@require_POST
@perlu("tenaga.kelola")
def usulan_putus(request, uuid):
    usulan = get_scoped_or_404(UsulanPerubahan.objects, request.user, uuid=uuid)
    try:
        svc.usulan_putuskan(
            pelaku=request.user,
            usulan=usulan,
            terima=request.POST.get("terima") == "1",
            catatan=request.POST.get("catatan", "")[:500],
        )
        messages.success(request, "Usulan diputuskan.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("tenaga:usulan-list")


# --- coverage lists (the dashboards' numbers link here) --------------------------------------


@perlu("tenaga.lihat")
def kosong_list(request):
    wilayah = _wilayah_saring(request)
    kecamatan = sel.kecamatan_kosong(request.user, wilayah) if wilayah else []
    return render(request, "tenaga/kosong_list.html", {"wilayah": wilayah, "kecamatan": kecamatan})


@perlu("tenaga.lihat")
def sk_berakhir_list(request):
    wilayah = _wilayah_saring(request)
    sk = sel.sk_berakhir(request.user, wilayah) if wilayah else []
    return render(
        request,
        "tenaga/sk_berakhir_list.html",
        {"wilayah": wilayah, "sk": sk, "hari": sel.hari_sk_berakhir()},
    )


@perlu("tenaga.lihat")
def belum_dilatih_list(request):
    wilayah = _wilayah_saring(request)
    profil = sel.belum_dilatih(request.user, wilayah) if wilayah else []
    return render(
        request,
        "tenaga/belum_dilatih_list.html",
        {"wilayah": wilayah, "profil": profil, "tahun": sel.tahun_tanpa_pelatihan()},
    )
