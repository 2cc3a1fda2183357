"""Pendataan views: households and persons, verification, duplicate cases. Thin: reads come from
`selectors`, writes go through `services`, every object is fetched through the user's scope."""

import uuid as uuidlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pendataan import selectors, services
from pendataan.filters import IndividuFilter, KasusFilter, KeluargaFilter, VerifikasiFilter
from pendataan.forms import (
    AnggotaFormSet,
    KasusSelesaikanForm,
    KeluargaForm,
    VerifikasiForm,
    anggota_initial,
)
from pendataan.models import Keluarga, StatusKasus, StatusVerifikasi
from pendataan.riwayat import boleh_transisi
from pendataan.selectors_ppks import ppks_untuk_keluarga
from tksk.audit import catat
from tksk.kapabilitas import boleh, perlu
from tksk.konkurensi import RecordChanged, pesan_berubah
from tksk.models import Role
from tksk.privasi import samarkan
from tksk.scoping import get_scoped_or_404

PER_HALAMAN = 50


def _boleh(user, aksi: str) -> bool:
    return boleh(user, services.kapabilitas_aksi(aksi))


def index(request):
    """Module home: where to go, and what is waiting for this user."""
    user = request.user
    context = {
        "jumlah_keluarga": selectors.keluarga_untuk(user).count(),
        "dikembalikan": selectors.jumlah_per_status(user, StatusVerifikasi.DIKEMBALIKAN),
        "ppks_url": selectors.url_atau_none("pendataan:ppks-list"),
        "psks_url": selectors.url_atau_none("pendataan:psks-list"),
    }
    context["jumlah_dikembalikan"] = sum(context["dikembalikan"].values())
    if boleh(user, "pendataan.verifikasi"):
        context["diajukan"] = sum(
            selectors.jumlah_per_status(user, StatusVerifikasi.DIAJUKAN).values()
        )
    if boleh(user, "pendataan.kasus"):
        context["kasus_terbuka"] = (
            selectors.kasus_untuk(user).filter(status=StatusKasus.TERBUKA).count()
        )
    return render(request, "pendataan/index.html", context)


def panel_home(request):
    """Home-page panel: returned records for the TKSK, the verification backlog for the Dinas."""
    user = request.user
    if not user.is_authenticated or (user.wilayah_id is None and user.role != Role.ADMIN):
        return None
    context = {}
    if boleh(user, "pendataan.ubah"):
        context["dikembalikan"] = selectors.dikembalikan(user)
    if boleh(user, "pendataan.verifikasi"):
        context["diajukan"] = sum(
            selectors.jumlah_per_status(user, StatusVerifikasi.DIAJUKAN).values()
        )
    if boleh(user, "pendataan.kasus"):
        context["kasus_terbuka"] = (
            selectors.kasus_untuk(user).filter(status=StatusKasus.TERBUKA).count()
        )
    if not any(context.values()):
        return None
    return "pendataan/panel_home.html", context


# --- lists ------------------------------------------------------------------------------------


def _daftar(request, *, base, filter_class, cari, siapkan, template, extra=None):
    """A scoped list with GET filters/sorting/pagination and a POST search box (a NIK or No KK
    typed into it never ends up in a URL, a log line or the browser history)."""
    cari_q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    filterset = filter_class(request.GET, queryset=base, request=request)
    if filterset.is_valid():
        qs = filterset.qs
    else:
        qs = base.none()
    pesan_cari = None
    if cari_q:
        qs, pesan_cari = cari(qs, cari_q, request.user)
    nomor = request.POST.get("page") if cari_q else request.GET.get("page")
    if cari_q:
        paginator = selectors.PaginatorCari(qs, PER_HALAMAN, baris=base)
    else:
        paginator = Paginator(qs, PER_HALAMAN)
    page = paginator.get_page(nomor)
    siapkan(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "q": cari_q,
        "pesan_cari": pesan_cari,
        "filter_query": params.urlencode(),
        "ada_filter": any(v for k, v in params.items() if k != "urut"),
        **(extra or {}),
    }
    return render(request, template, context)


def keluarga_list(request):
    user = request.user
    return _daftar(
        request,
        base=selectors.keluarga_untuk(user).order_by("-diubah_pada", "-pk"),
        filter_class=KeluargaFilter,
        cari=selectors.cari_keluarga,
        siapkan=selectors.siapkan_baris_keluarga,
        template="pendataan/keluarga_list.html",
        extra={
            "bisa_diajukan": (StatusVerifikasi.DRAF, StatusVerifikasi.DIKEMBALIKAN),
        },
    )


def individu_list(request):
    return _daftar(
        request,
        base=selectors.individu_untuk(request.user).order_by("-diubah_pada", "-pk"),
        filter_class=IndividuFilter,
        cari=selectors.cari_individu,
        siapkan=selectors.siapkan_baris_individu,
        template="pendataan/individu_list.html",
    )


# --- household form ---------------------------------------------------------------------------


def _anggota_untuk_layanan(formset):
    """Member dicts for keluarga_simpan and, per dict, the form it came from (to put the
    service's errors back next to the right row)."""
    anggota, asal = [], []
    for form in formset.forms:
        uid = form.cleaned_data.get("uuid")
        if formset._should_delete_form(form):
            if uid:
                anggota.append({"uuid": str(uid), "hapus": True})
                asal.append(form)
            continue
        if not uid and not form.has_changed():
            continue
        anggota.append(form.data_layanan())
        asal.append(form)
    return anggota, asal


def _pasang_galat(error: ValidationError, form, asal) -> tuple[list, bool]:
    """Put a service ValidationError on the form fields; returns (member-list errors, whether a
    NIK exists outside the user's area)."""
    galat_anggota, ada_ganda = [], False
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return galat_anggota, ada_ganda
    for key, errors in error.error_dict.items():
        ada_ganda |= any(e.code == "nik_ganda" for e in errors)
        if key == "anggota":
            galat_anggota.extend(e.message for e in errors)
        elif key.startswith("anggota."):
            bagian = key.split(".")
            try:
                target = asal[int(bagian[1])]
            except (IndexError, ValueError):
                galat_anggota.extend(e.message for e in errors)
                continue
            field = bagian[2] if len(bagian) > 2 and bagian[2] in target.fields else None
            target.add_error(field, _dengan_tautan(errors))
        elif key in form.fields:
            form.add_error(key, _dengan_tautan(errors))
        else:
            form.add_error(None, errors)
    return galat_anggota, ada_ganda


def _dengan_tautan(errors: list[ValidationError]) -> list[ValidationError]:
    """An in-scope duplicate gets a link to the record that already holds the number."""
    hasil = []
    for e in errors:
        if e.code in ("nik_terdaftar", "no_kk_terdaftar") and e.params:
            url = reverse("pendataan:keluarga-detail", args=[e.params["keluarga_uuid"]])
            e = ValidationError(
                format_html('{} <a href="{}">Lihat data</a>', e.message, url), code=e.code
            )
        hasil.append(e)
    return hasil


def _form_keluarga(request, keluarga=None):
    user = request.user
    if keluarga is None:
        initial = [{"hubungan": "kepala_keluarga"}]
        form_initial = {}
    else:
        initial = anggota_initial(selectors.anggota_keluarga(keluarga))
        form_initial = KeluargaForm.initial_dari(keluarga)
    context = {"keluarga": keluarga, "galat_anggota": [], "ada_nik_ganda": False, "kasus": []}
    if request.method == "POST":
        data = request.POST.copy()
        form = KeluargaForm(data, user=user, initial=form_initial)
        formset = AnggotaFormSet(data, prefix="anggota", initial=initial)
        kasus_terkait = [k for k in data.getlist("kasus") if _uuid_atau_none(k)]
        context["kasus"] = kasus_terkait
        if form.is_valid() and formset.is_valid():
            anggota, asal = _anggota_untuk_layanan(formset)
            try:
                hasil = services.keluarga_simpan(
                    pelaku=user,
                    keluarga=keluarga,
                    data=form.data_layanan(),
                    anggota=anggota,
                    versi=form.cleaned_data.get("versi") if keluarga else None,
                    lewati_nik_ganda=bool(data.get("lewati_ganda")),
                    kasus_terkait=kasus_terkait,
                )
            except RecordChanged as changed:
                data["versi"] = str(changed.current.versi)
                messages.error(request, pesan_berubah(changed.current))
                context["terbaru"] = Keluarga.objects.select_related("desa").get(pk=keluarga.pk)
                context["terbaru_anggota"] = selectors.anggota_keluarga(context["terbaru"])
            except ValidationError as error:
                galat, ganda = _pasang_galat(error, form, asal)
                context["galat_anggota"], context["ada_nik_ganda"] = galat, ganda
                context["kasus"] = sorted(
                    set(kasus_terkait) | {str(k.uuid) for k in getattr(error, "kasus", [])}
                )
            else:
                return _setelah_simpan(request, hasil, ajukan=bool(data.get("ajukan")))
        if form.errors or any(formset.errors) or formset.non_form_errors():
            messages.error(request, "Data belum tersimpan. Periksa isian yang ditandai merah.")
    else:
        form = KeluargaForm(user=user, initial=form_initial)
        formset = AnggotaFormSet(prefix="anggota", initial=initial)
    for f in [form, *formset.forms]:
        _tandai_invalid(f)
    context.update({"form": form, "formset": formset})
    return render(request, "pendataan/keluarga_form.html", context)


def _tandai_invalid(form) -> None:
    """Bootstrap's red border on every field with an error."""
    if not form.is_bound:
        return
    for name in form.errors:
        field = form.fields.get(name)
        if field is not None and "is-invalid" not in field.widget.attrs.get("class", ""):
            field.widget.attrs["class"] = (
                field.widget.attrs.get("class", "") + " is-invalid"
            ).strip()


def _setelah_simpan(request, hasil, *, ajukan: bool):
    kel = hasil.keluarga
    messages.success(request, f"Data keluarga {kel.nama_kepala} tersimpan.")
    for pesan in hasil.peringatan:
        messages.warning(request, pesan)
    if hasil.kasus:
        messages.info(
            request,
            f"{len(hasil.kasus)} anggota dengan NIK yang sudah terdaftar di wilayah lain tidak "
            "disimpan; kasus NIK ganda diteruskan ke Dinas Sosial.",
        )
    if ajukan and kel.status in (StatusVerifikasi.DRAF, StatusVerifikasi.DIKEMBALIKAN):
        services.verifikasi_massal(pelaku=request.user, objek=[kel], aksi="ajukan")
        messages.success(request, "Data diajukan untuk diverifikasi Dinas Sosial.")
    return redirect("pendataan:keluarga-detail", uuid=kel.uuid)


def _uuid_atau_none(value):
    try:
        return uuidlib.UUID(str(value))
    except ValueError:
        return None


@perlu("pendataan.ubah")
def keluarga_create(request):
    return _form_keluarga(request)


@perlu("pendataan.ubah")
def keluarga_update(request, uuid):
    keluarga = get_scoped_or_404(Keluarga.objects.select_related("desa"), request.user, uuid=uuid)
    if request.method == "GET":
        # The edit form shows whole NIKs too.
        catat(
            aksi="lihat_nik",
            pelaku=request.user,
            objek=keluarga,
            data={"jumlah": keluarga.anggota.exclude(nik=None).count(), "halaman": "ubah"},
            request=request,
        )
    return _form_keluarga(request, keluarga)


def keluarga_detail(request, uuid):
    user = request.user
    keluarga = get_scoped_or_404(
        Keluarga.objects.select_related(
            "desa",
            "desa__kecamatan",
            "desa__kabupaten",
            "dibuat_oleh",
            "diubah_oleh",
            "diverifikasi_oleh",
        ),
        user,
        uuid=uuid,
    )
    anggota = selectors.anggota_keluarga(keluarga)
    # The page shows whole NIKs: who looked is recorded (UU 27/2022).
    catat(
        aksi="lihat_nik",
        pelaku=user,
        objek=keluarga,
        data={"jumlah": sum(1 for a in anggota if a.nik)},
        request=request,
    )
    riwayat = selectors.riwayat_tampil(
        selectors.riwayat_keluarga(user, keluarga)[:200],
        user,
        nama_objek={str(a.uuid): a.nama for a in anggota},
    )
    ppks_create = selectors.url_atau_none("pendataan:ppks-create")
    ppks = list(ppks_untuk_keluarga(user, keluarga, [a.pk for a in anggota]))
    for p in ppks:
        p.url = selectors.url_atau_none("pendataan:ppks-detail", p.uuid)
    context = {
        "keluarga": keluarga,
        "anggota": anggota,
        "peringatan": [(a, p) for a in anggota for p in a.peringatan],
        "perlu_rujukan": [a for a in anggota if not a.nik],
        "riwayat": riwayat,
        "ppks": ppks,
        "ppks_create": ppks_create,
        "kasus_terbuka": selectors.kasus_terbuka_keluarga(keluarga),
        "boleh_ajukan": boleh_transisi(user, keluarga, StatusVerifikasi.DIAJUKAN),
        "boleh_verifikasi": boleh_transisi(user, keluarga, StatusVerifikasi.TERVERIFIKASI),
        "form_verifikasi": VerifikasiForm(),
    }
    return render(request, "pendataan/keluarga_detail.html", context)


# --- verification -----------------------------------------------------------------------------


@perlu("pendataan.verifikasi")
def verifikasi_list(request):
    """The inbox: newest first, by kecamatan/desa (GET), searched by No KK, NIK or name (POST,
    so a number never lands in a URL)."""
    user = request.user
    tipe = request.GET.get("tipe", "keluarga")
    if tipe not in selectors.TIPE:
        tipe = "keluarga"
    base = selectors.antrian_verifikasi(user, tipe)
    params = request.GET.copy()
    params.setdefault("urut", "baru")
    filterset = VerifikasiFilter(params, queryset=base, request=request)
    qs = filterset.qs if filterset.is_valid() else base.none()
    cari_q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    pesan_cari = None
    if cari_q:
        qs, pesan_cari = selectors.cari_antrian(qs, tipe, cari_q, user)
    nomor = request.POST.get("page") if cari_q else request.GET.get("page")
    if cari_q:
        paginator = selectors.PaginatorCari(qs, PER_HALAMAN, baris=base)
    else:
        paginator = Paginator(qs, PER_HALAMAN)
    page = paginator.get_page(nomor)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "tipe": tipe,
        "tipe_pilihan": [
            (t, selectors.TIPE_LABEL[t], n)
            for t, n in selectors.jumlah_per_status(user, StatusVerifikasi.DIAJUKAN).items()
        ],
        "page": page,
        "baris": [selectors.ringkasan_baris(tipe, obj) for obj in page.object_list],
        "form": VerifikasiForm(),
        "filter": filterset,
        "q": cari_q,
        "pesan_cari": pesan_cari,
        "filter_query": query.urlencode(),
        "ada_filter": any(v for k, v in query.items() if k not in ("urut", "tipe")),
    }
    return render(request, "pendataan/verifikasi_list.html", context)


def _kembali_ke(request, default: str):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@require_POST
def verifikasi_aksi(request):
    """Submit, verify or return one or many records of one type. Any uuid outside the user's
    area makes the whole request a 404 (nothing is written)."""
    user = request.user
    model = selectors.TIPE.get(request.POST.get("tipe", ""))
    aksi = request.POST.get("aksi", "")
    if model is None or aksi not in services.AKSI_VERIFIKASI:
        raise Http404
    nilai = request.POST.getlist("uuid")
    uuids = {_uuid_atau_none(v) for v in nilai}
    if None in uuids:
        raise Http404
    objek = list(model.objects.for_user(user).filter(uuid__in=uuids))
    if len(objek) != len(uuids):
        raise Http404
    if not _boleh(user, aksi):
        raise PermissionDenied
    default = (
        reverse("pendataan:verifikasi-list") + f"?tipe={request.POST.get('tipe')}"
        if boleh(user, "pendataan.verifikasi")
        else reverse("pendataan:keluarga-list")
    )
    if not objek:
        messages.error(request, "Pilih minimal satu data terlebih dahulu.")
        return _kembali_ke(request, default)
    form = VerifikasiForm(request.POST)
    form.is_valid()
    try:
        hasil = services.verifikasi_massal(
            pelaku=user,
            objek=objek,
            aksi=aksi,
            alasan=form.cleaned_data.get("alasan", ""),
            catatan=form.cleaned_data.get("catatan", ""),
        )
    except ValidationError as error:
        for pesan in error.messages:
            messages.error(request, pesan)
        return _kembali_ke(request, default)
    kata = {"ajukan": "diajukan", "verifikasi": "diverifikasi", "kembalikan": "dikembalikan"}[aksi]
    if hasil["berhasil"]:
        messages.success(request, f"{hasil['berhasil']} data {kata}.")
    if hasil["dilewati"]:
        messages.warning(
            request,
            f"{hasil['dilewati']} data dilewati karena statusnya tidak memungkinkan untuk {aksi}.",
        )
    return _kembali_ke(request, default)


# --- duplicate cases --------------------------------------------------------------------------


@perlu("pendataan.kasus")
def kasus_list(request):
    data = request.GET.copy()
    data.setdefault("status", StatusKasus.TERBUKA)
    filterset = KasusFilter(data, queryset=selectors.kasus_untuk(request.user))
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(qs.order_by("-dibuat_pada", "-pk"), PER_HALAMAN).get_page(
        request.GET.get("page")
    )
    for k in page.object_list:
        k.lama = k.individu_lama if k.jenis == "nik" else k.keluarga_lama
        k.nama_baru = k.data_baru.get("nama") or (
            (k.data_baru.get("anggota") or [{}])[0].get("nama", "")
        )
    return render(request, "pendataan/kasus_list.html", {"filter": filterset, "page": page})


@perlu("pendataan.kasus")
def kasus_detail(request, uuid):
    kasus = get_scoped_or_404(selectors.kasus_untuk(request.user), request.user, uuid=uuid)
    return _render_kasus(request, kasus, KasusSelesaikanForm())


def _render_kasus(request, kasus, form, status=200):
    lama_keluarga = kasus.individu_lama.keluarga if kasus.individu_lama_id else kasus.keluarga_lama
    context = {
        "kasus": kasus,
        "form": form,
        "individu_lama": selectors.ringkasan_individu(kasus.individu_lama),
        "keluarga_lama": lama_keluarga,
        "data_baru": selectors.ringkasan_data_baru(kasus.data_baru),
        "anggota_baru": [
            {**a, "nik": samarkan(a.get("nik"))} for a in kasus.data_baru.get("anggota", [])
        ],
        "no_kk_lama": samarkan(lama_keluarga.no_kk) if lama_keluarga else "",
        "bisa_mutasi": kasus.jenis == "no_kk" or kasus.keluarga_baru_id is not None,
    }
    return render(request, "pendataan/kasus_detail.html", context, status=status)


@require_POST
@perlu("pendataan.kasus")
def kasus_selesaikan(request, uuid):
    kasus = get_scoped_or_404(selectors.kasus_untuk(request.user), request.user, uuid=uuid)
    form = KasusSelesaikanForm(request.POST)
    if kasus.status != StatusKasus.TERBUKA:
        messages.info(request, "Kasus ini sudah diselesaikan.")
        return redirect("pendataan:kasus-detail", uuid=kasus.uuid)
    if form.is_valid():
        try:
            services.kasus_selesaikan(
                pelaku=request.user,
                kasus=kasus,
                aksi=form.cleaned_data["aksi"],
                catatan=form.cleaned_data["catatan"],
            )
        except ValidationError as error:
            for pesan in error.messages:
                form.add_error(None, pesan)
        else:
            messages.success(request, "Kasus data ganda diselesaikan.")
            return redirect("pendataan:kasus-list")
    return _render_kasus(request, kasus, form, status=400)
