"""Views for PPKS identifications and the PSKS inventory (thin: forms validate, services write,
selectors read)."""

import uuid as uuid_lib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pendataan import selectors_ppks as sel
from pendataan import services_ppks as svc
from pendataan.filters_ppks import PPKSFilter, PSKSFilter
from pendataan.forms_ppks import KembalikanForm, PenangananForm, PPKSForm, PSKSForm
from pendataan.models import Individu, Keluarga, StatusVerifikasi, SubjekPPKS
from pendataan.riwayat import TRANSISI
from tksk import audit
from tksk.kapabilitas import boleh, perlu
from tksk.konkurensi import RecordChanged, pesan_berubah
from tksk.models import KategoriPPKS
from tksk.privasi import dalam_rantai, samarkan
from tksk.scoping import get_scoped_or_404

PER_HALAMAN = 50
pencatat = perlu("ppks.catat")
_AKSI = {
    StatusVerifikasi.DIAJUKAN: ("ajukan", "Ajukan untuk diverifikasi"),
    StatusVerifikasi.TERVERIFIKASI: ("verifikasi", "Verifikasi"),
    StatusVerifikasi.DIKEMBALIKAN: ("kembalikan", "Kembalikan ke TKSK"),
}


def _url_atau(name: str, fallback: str, *args) -> str:
    """The named URL, or a fixed path while the view that owns the name is not there yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _aksi_verifikasi(user, obj) -> list[dict]:
    """The verification actions the user's role may take on the record in its current status."""
    hasil = []
    for (dari, ke), kapabilitas in TRANSISI.items():
        if dari == obj.status and boleh(user, kapabilitas) and ke in _AKSI:
            aksi, label = _AKSI[ke]
            hasil.append({"aksi": aksi, "label": label})
    return hasil


def _konteks_verifikasi(request, obj, tipe: str) -> dict:
    return {
        "verifikasi_url": _url_atau("pendataan:verifikasi-aksi", "/pendataan/verifikasi/aksi/"),
        "verifikasi_tipe": tipe,
        "aksi_verifikasi": _aksi_verifikasi(request.user, obj),
        "kembalikan_form": KembalikanForm(),
        "riwayat": sel.riwayat_objek(obj),
    }


def _nomor_ppks(p) -> str:
    if p.individu_id:
        return samarkan(p.individu.nik)
    if p.keluarga_id:
        return samarkan(p.keluarga.no_kk)
    return ""


def _samarkan_subjek(objs) -> None:
    """Masked NIK (person) or No KK (household) for display in lists and pickers."""
    for o in objs:
        if o is not None:
            o.nomor_samaran = samarkan(getattr(o, "nik", None) or getattr(o, "no_kk", None))


def _tambah_galat(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _kembali_ke_versi_baru(form, current) -> None:
    form.data = form.data.copy()
    form.data["versi"] = str(current.versi)


# --- PPKS ------------------------------------------------------------------------------------


def _tanpa_kosong(data: QueryDict) -> QueryDict:
    bersih = QueryDict(mutable=True)
    for key, values in data.lists():
        if key in ("csrfmiddlewaretoken", "page"):
            continue
        kept = [v for v in values if v.strip()]
        if kept:
            bersih.setlist(key, kept)
    return bersih


@require_http_methods(["GET", "POST"])
def ppks_list(request):
    """PPKS list. Filters travel in the URL; a search for a full NIK/No KK is posted and answered
    directly (never redirected), so the number never appears in a URL."""
    user = request.user
    nomor_boleh = False
    if request.method == "POST":
        q = request.POST.get("q", "").strip()
        if not sel.tampak_nomor(q):
            params = _tanpa_kosong(request.POST)
            url = reverse("pendataan:ppks-list")
            return redirect(f"{url}?{params.urlencode()}" if params else url)
        data, nomor_boleh = _tanpa_kosong(request.POST), True
    else:
        data = request.GET
        q = data.get("q", "").strip()
    filterset = PPKSFilter(
        data,
        queryset=sel.ppks_daftar(user).order_by("-tanggal_identifikasi", "-id"),
        user=user,
    )
    pesan_cari = None
    if filterset.is_valid():
        qs, pesan_cari = sel.ppks_cari(filterset.qs, q, nomor_boleh=nomor_boleh)
    else:
        qs = filterset.queryset.none()
    if q and filterset.is_valid():
        paginator = sel.PaginatorCari(qs, PER_HALAMAN, baris=filterset.queryset)
    else:
        paginator = Paginator(qs, PER_HALAMAN)
    page = paginator.get_page(data.get("page"))
    baris = list(page.object_list)
    for p in baris:
        p.nomor_samaran = _nomor_ppks(p)
    context = {
        "filter": filterset,
        "page": page,
        "baris": baris,
        "q": "" if nomor_boleh else q,
        "cari_nomor": nomor_boleh,
        "nomor_di_url": not nomor_boleh and sel.tampak_nomor(q),
        "pesan_cari": pesan_cari,
        "rekap": sel.ppks_rekap_kategori(user, wilayah=filterset.wilayah_lookup()),
        "rantai": dalam_rantai(user),
    }
    return render(request, "pendataan/ppks_list.html", context)


def ppks_detail(request, uuid):
    user = request.user
    obj = sel.ppks_detail(user, uuid)
    if obj.kategori.sensitif:
        # Every opening of a sensitive identity is on record (UU 27/2022, DOMAIN.md §8).
        audit.catat(aksi="lihat_ppks_sensitif", pelaku=user, objek=obj, request=request)
    context = {
        "obj": obj,
        "peringatan": svc.kewajaran_ppks(obj),
        "nomor_samaran": _nomor_ppks(obj),
        "penanganan_form": PenangananForm(
            initial={"status_penanganan": obj.status_penanganan, "versi": obj.versi}
        ),
        **_konteks_verifikasi(request, obj, "ppks"),
    }
    if obj.keluarga_id or obj.individu_id:
        keluarga = obj.keluarga or obj.individu.keluarga
        context["keluarga"] = keluarga
        context["keluarga_url"] = _url_atau(
            "pendataan:keluarga-detail", f"/pendataan/keluarga/{keluarga.uuid}/", keluarga.uuid
        )
    return render(request, "pendataan/ppks_detail.html", context)


def _uuid_atau_404(value: str) -> uuid_lib.UUID:
    # A malformed id is as unknown as another area's one.
    try:
        return uuid_lib.UUID(str(value))
    except ValueError:
        raise Http404 from None


def _subjek_terpilih(user, subjek, individu, keluarga):
    """The chosen person/household, re-read through the scope, to show it as chosen again."""
    model, key = {
        SubjekPPKS.INDIVIDU: (Individu, individu),
        SubjekPPKS.KELUARGA: (Keluarga, keluarga),
    }.get(subjek, (None, None))
    if model is None or not key:
        return None
    related = ["desa", "keluarga"] if model is Individu else ["desa"]
    try:
        return model.objects.for_user(user).select_related(*related).filter(uuid=key).first()
    except (ValueError, ValidationError):
        return None


def _ppks_form_view(request, obj=None, initial=None):
    user = request.user
    ubah = obj is not None
    hasil = None
    if request.method == "POST" and "_cari" in request.POST:
        # Search without JavaScript: show matches, keep what was typed, save nothing.
        form = PPKSForm(initial=request.POST.dict(), user=user, ubah=ubah)
        hasil = sel.subjek_cari(
            user, request.POST.get("subjek", ""), request.POST.get("cari_subjek", "")
        )
    else:
        form = PPKSForm(request.POST or None, user=user, initial=initial, ubah=ubah)
        if request.method == "POST" and form.is_valid():
            try:
                ppks, peringatan = svc.ppks_simpan(
                    pelaku=user,
                    ppks=obj,
                    data=form.data_layanan(),
                    versi=form.cleaned_data.get("versi") if ubah else None,
                )
            except RecordChanged as error:
                form.add_error(None, pesan_berubah(error.current))
                _kembali_ke_versi_baru(form, error.current)
            except ValidationError as error:
                _tambah_galat(form, error)
            else:
                messages.success(
                    request, "Perubahan PPKS disimpan." if ubah else "Identifikasi PPKS disimpan."
                )
                if peringatan:
                    messages.warning(
                        request,
                        f"Disimpan dengan {len(peringatan)} peringatan kewajaran "
                        "(lihat di bawah). Periksa kembali datanya.",
                    )
                return redirect("pendataan:ppks-detail", uuid=ppks.uuid)
    values = form.data if form.is_bound else {**form.initial}
    terpilih = _subjek_terpilih(
        user, values.get("subjek"), values.get("individu"), values.get("keluarga")
    )
    _samarkan_subjek([terpilih, *(hasil or [])])
    context = {
        "form": form,
        "obj": obj,
        "terpilih": terpilih,
        "hasil": hasil,
        "subjek": values.get("subjek") or "",
        "cari_subjek": request.POST.get("cari_subjek", "") if hasil is not None else "",
        "kategori_daftar": [
            {"k": k, "petunjuk": svc.petunjuk_kategori(k)}
            for k in KategoriPPKS.objects.order_by("nomor")
        ],
    }
    return render(request, "pendataan/ppks_form.html", context)


@pencatat
@require_http_methods(["GET", "POST"])
def ppks_create(request):
    """New identification; `?individu=<uuid>` or `?keluarga=<uuid>` preselects the subject
    (outside the user's scope: 404)."""
    initial = {"tanggal_identifikasi": timezone.localdate(), "status_penanganan": "belum"}
    if request.GET.get("individu"):
        individu = get_scoped_or_404(
            Individu.objects, request.user, uuid=_uuid_atau_404(request.GET["individu"])
        )
        initial.update(subjek=SubjekPPKS.INDIVIDU, individu=str(individu.uuid))
    elif request.GET.get("keluarga"):
        keluarga = get_scoped_or_404(
            Keluarga.objects, request.user, uuid=_uuid_atau_404(request.GET["keluarga"])
        )
        initial.update(subjek=SubjekPPKS.KELUARGA, keluarga=str(keluarga.uuid))
    return _ppks_form_view(request, None, initial)


@pencatat
@require_http_methods(["GET", "POST"])
def ppks_update(request, uuid):
    obj = sel.ppks_detail(request.user, uuid)
    initial = PPKSForm.initial_dari(obj)
    return _ppks_form_view(request, obj, initial)


@require_POST
@pencatat
def ppks_subjek(request):
    """htmx: matching persons or households for the subject picker (POST, since the search
    may be a full NIK/No KK)."""
    user = request.user
    subjek = request.POST.get("subjek", "")
    hasil = sel.subjek_cari(user, subjek, request.POST.get("cari_subjek", ""))
    terpilih = _subjek_terpilih(
        user, subjek, request.POST.get("individu"), request.POST.get("keluarga")
    )
    _samarkan_subjek([terpilih, *hasil])
    context = {
        "hasil": hasil,
        "subjek": subjek,
        "terpilih": terpilih,
        "cari_subjek": request.POST.get("cari_subjek", "").strip(),
    }
    return render(request, "pendataan/partials/ppks_subjek_hasil.html", context)


@require_POST
@perlu("ppks.penanganan")
def ppks_penanganan(request, uuid):
    obj = sel.ppks_detail(request.user, uuid)
    form = PenangananForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih status penanganan yang baru.")
        return redirect("pendataan:ppks-detail", uuid=obj.uuid)
    try:
        svc.ppks_ubah_penanganan(
            pelaku=request.user,
            ppks=obj,
            status=form.cleaned_data["status_penanganan"],
            catatan=form.cleaned_data["catatan"],
            versi=form.cleaned_data.get("versi"),
        )
    except RecordChanged as error:
        messages.error(request, pesan_berubah(error.current))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Status penanganan menjadi {obj.get_status_penanganan_display().lower()}."
        )
    return redirect("pendataan:ppks-detail", uuid=obj.uuid)


# --- PSKS ------------------------------------------------------------------------------------


def psks_list(request):
    user = request.user
    filterset = PSKSFilter(
        request.GET, queryset=sel.psks_daftar(user).order_by("nama", "id"), user=user
    )
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(qs, PER_HALAMAN).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
    }
    return render(request, "pendataan/psks_list.html", context)


def psks_detail(request, uuid):
    obj = sel.psks_detail(request.user, uuid)
    context = {
        "obj": obj,
        "peringatan": svc.kewajaran_psks(obj),
        **_konteks_verifikasi(request, obj, "psks"),
    }
    return render(request, "pendataan/psks_detail.html", context)


def _psks_form_view(request, obj=None, initial=None):
    user = request.user
    form = PSKSForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            psks, peringatan = svc.psks_simpan(
                pelaku=user,
                psks=obj,
                data=form.data_layanan(),
                versi=form.cleaned_data.get("versi") if obj else None,
            )
        except RecordChanged as error:
            form.add_error(None, pesan_berubah(error.current))
            _kembali_ke_versi_baru(form, error.current)
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(request, "Data PSKS disimpan.")
            for pesan in peringatan:
                messages.warning(request, pesan)
            return redirect("pendataan:psks-detail", uuid=psks.uuid)
    return render(request, "pendataan/psks_form.html", {"form": form, "obj": obj})


@pencatat
@require_http_methods(["GET", "POST"])
def psks_create(request):
    return _psks_form_view(request, None, {"aktif": True})


@pencatat
@require_http_methods(["GET", "POST"])
def psks_update(request, uuid):
    obj = sel.psks_detail(request.user, uuid)
    initial = PSKSForm.initial_dari(obj)
    return _psks_form_view(request, obj, initial)
