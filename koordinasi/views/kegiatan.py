"""Activity (Kegiatan) pages: list, form, detail, photos, participants."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from koordinasi import selectors as sel
from koordinasi import services as svc
from koordinasi.forms import FotoForm, KegiatanForm, PesertaCariForm, TindakLanjutForm
from koordinasi.models import JenisKegiatan
from koordinasi.views.umum import (
    _halaman,
    _pembuat,
    _periode,
    _tambah_galat,
    _versi_baru,
    pencatat,
)
from pendataan.models import Individu, Keluarga
from tksk.kapabilitas import boleh
from tksk.konkurensi import RecordChanged, pesan_berubah
from tksk.scoping import get_scoped_or_404


def kegiatan_list(request):
    jenis = request.GET.get("jenis", "")
    jenis = jenis if jenis in JenisKegiatan.values else ""
    dari, sampai, galat_tanggal = _periode(request)
    pembuat, pencatat = _pembuat(request)
    q = request.GET.get("q", "").strip()[:100]
    wilayah = sel.wilayah_saringan(request.user, request.GET.get("wilayah", "").strip())
    qs = sel.kegiatan_daftar(
        request.user, jenis=jenis, dari=dari, sampai=sampai, q=q, wilayah=wilayah, pembuat=pembuat
    )
    if galat_tanggal:
        qs = qs.none()
    context = {
        "page": _halaman(request, qs),
        "jenis": jenis,
        "dari": dari,
        "sampai": sampai,
        "galat_tanggal": galat_tanggal,
        "pembuat": pembuat,
        "pencatat": pencatat,
        "q": q,
        "wilayah": wilayah,
        "wilayah_pilihan": sel.wilayah_pilihan(request.user, wilayah),
        "jenis_pilihan": JenisKegiatan.choices,
    }
    return render(request, "koordinasi/kegiatan_list.html", context)


def _kegiatan_form(request, kegiatan=None):
    form = KegiatanForm(request.POST or None, instance=kegiatan, user=request.user)
    if kegiatan is not None and not request.POST:
        form.initial["versi"] = kegiatan.versi
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = svc.kegiatan_simpan(
                pelaku=request.user,
                data=data,
                mitra=data.get("mitra") or [],
                kegiatan=kegiatan,
                versi=data.get("versi"),
            )
        except RecordChanged as changed:
            form.add_error(None, pesan_berubah(changed.current))
            _versi_baru(form, changed.current)
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(request, "Kegiatan disimpan.")
            return redirect("koordinasi:kegiatan-detail", obj.uuid)
    return render(request, "koordinasi/kegiatan_form.html", {"form": form, "obj": kegiatan})


@pencatat
def kegiatan_create(request):
    return _kegiatan_form(request)


@pencatat
def kegiatan_update(request, uuid):
    return _kegiatan_form(request, sel.kegiatan_detail(request.user, uuid))


def _konteks_kegiatan(request, kegiatan, **extra) -> dict:
    user = request.user
    boleh_ubah = boleh(user, "koordinasi.kegiatan")
    context = {
        "obj": kegiatan,
        "mitra": list(kegiatan.mitra.order_by("nama")),
        "foto": list(kegiatan.foto.all()),
        "tindak_lanjut": list(kegiatan.tindak_lanjut.select_related("mitra")),
        "peserta_individu": list(
            kegiatan.peserta_individu.filter(
                pk__in=Individu.objects.for_user(user).values("pk")
            ).order_by("nama")
        ),
        "peserta_keluarga": list(
            kegiatan.peserta_keluarga.filter(
                pk__in=Keluarga.objects.for_user(user).values("pk")
            ).order_by("nama_kepala")
        ),
        "foto_form": FotoForm() if boleh_ubah else None,
        "tl_form": TindakLanjutForm(user=user, prefix="tl") if boleh_ubah else None,
        "cari_form": PesertaCariForm() if boleh_ubah else None,
    }
    context.update(extra)
    return context


def kegiatan_detail(request, uuid):
    kegiatan = sel.kegiatan_detail(request.user, uuid)
    return render(request, "koordinasi/kegiatan_detail.html", _konteks_kegiatan(request, kegiatan))


@require_POST
@pencatat
def kegiatan_foto_tambah(request, uuid):
    kegiatan = sel.kegiatan_detail(request.user, uuid)
    form = FotoForm(request.POST, request.FILES)
    if form.is_valid():
        hasil = form.cleaned_data["olahan"]
        try:
            svc.kegiatan_tambah_foto(
                pelaku=request.user,
                kegiatan=kegiatan,
                tampil=hasil[0],
                kecil=hasil[1],
                keterangan=form.cleaned_data.get("keterangan", ""),
            )
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(request, "Foto diunggah.")
            return redirect(reverse("koordinasi:kegiatan-detail", args=[kegiatan.uuid]) + "#foto")
    return render(
        request,
        "koordinasi/kegiatan_detail.html",
        _konteks_kegiatan(request, kegiatan, foto_form=form),
        status=400,
    )


@require_http_methods(["GET"])
def kegiatan_foto(request, uuid, foto):
    """A photo, only through the scoping rule; never cached, never sniffed."""
    kegiatan = sel.kegiatan_detail(request.user, uuid)
    obj = sel.foto_kegiatan(request.user, kegiatan, foto)
    berkas = obj.kecil if request.GET.get("ukuran") == "kecil" else obj.berkas
    try:
        handle = berkas.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type="image/jpeg",
        as_attachment=request.GET.get("unduh") == "1",
        filename=f"foto-kegiatan-{obj.uuid.hex[:8]}.jpg",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@pencatat
def kegiatan_foto_hapus(request, uuid, foto):
    kegiatan = sel.kegiatan_detail(request.user, uuid)
    obj = sel.foto_kegiatan(request.user, kegiatan, foto)
    svc.kegiatan_hapus_foto(pelaku=request.user, foto=obj)
    messages.success(request, "Foto dihapus.")
    return redirect(reverse("koordinasi:kegiatan-detail", args=[kegiatan.uuid]) + "#foto")


@pencatat
def kegiatan_peserta_cari(request, uuid):
    """Persons and households of one's own area by name, to add as named participants. Names
    only: a NIK typed here is not searched (it would travel in the URL)."""
    kegiatan = sel.kegiatan_detail(request.user, uuid)
    form = PesertaCariForm(request.GET or None)
    individu, keluarga = [], []
    if form.is_valid():
        q = form.cleaned_data["q"]
        if not any(ch.isdigit() for ch in q):
            individu = list(
                Individu.objects.for_user(request.user)
                .hidup()
                .filter(nama__icontains=q)
                .select_related("desa")
                .order_by("nama")[:20]
            )
            keluarga = list(
                Keluarga.objects.for_user(request.user)
                .filter(nama_kepala__icontains=q)
                .select_related("desa")
                .order_by("nama_kepala")[:10]
            )
        else:
            form.add_error("q", "Cari dengan nama, bukan nomor.")
    template = (
        "koordinasi/partials/peserta_hasil.html"
        if request.htmx
        else "koordinasi/kegiatan_peserta_cari.html"
    )
    context = {"obj": kegiatan, "form": form, "individu": individu, "keluarga": keluarga}
    return render(request, template, context)


@require_POST
@pencatat
def kegiatan_peserta(request, uuid):
    kegiatan = sel.kegiatan_detail(request.user, uuid)
    tipe, aksi = request.POST.get("tipe"), request.POST.get("aksi")
    model = {"individu": Individu, "keluarga": Keluarga}.get(tipe)
    if model is None or aksi not in ("tambah", "hapus"):
        raise Http404
    target = get_scoped_or_404(model.objects, request.user, uuid=request.POST.get("uuid", ""))
    svc.kegiatan_ubah_peserta(
        pelaku=request.user, kegiatan=kegiatan, tambah=aksi == "tambah", **{tipe: target}
    )
    messages.success(
        request, "Peserta ditambahkan." if aksi == "tambah" else "Peserta dihapus dari daftar."
    )
    return redirect(reverse("koordinasi:kegiatan-detail", args=[kegiatan.uuid]) + "#peserta")
