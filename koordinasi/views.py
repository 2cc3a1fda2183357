"""Views of the koordinasi module (thin: forms validate, services write, selectors read).

Another area's object answers 404 (the scoped lookups); a role-forbidden action in one's own area
answers 403. Nested URLs (a photo or follow-up reached through an activity) look the child up
*within* that activity, so a child of another activity or area is a 404 and nothing is written.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from koordinasi import selectors as sel
from koordinasi import services as svc
from koordinasi.forms import (
    FotoForm,
    KegiatanForm,
    KopSuratForm,
    MitraForm,
    PesertaCariForm,
    RujukanForm,
    StatusRujukanForm,
    SuratForm,
    TautanMitraForm,
    TindakLanjutForm,
)
from koordinasi.models import (
    JenisKegiatan,
    JenisMitra,
    StatusRujukan,
    StatusTindakLanjut,
)
from pendataan.models import Individu, Keluarga, StatusPenanganan
from tksk import pdf
from tksk.audit import catat, client_ip
from tksk.konkurensi import RecordChanged, pesan_berubah
from tksk.models import KopSurat, Role, Tingkat, Wilayah, kop_untuk
from tksk.privasi import samarkan
from tksk.scoping import get_scoped_or_404, sees_everything
from tksk.views import role_required

PER_HALAMAN = 50
# Letterhead until an admin sets one (koordinasi:kop-update).
KOP_BAWAAN = ["PEMERINTAH PROVINSI KALIMANTAN TENGAH", "DINAS SOSIAL"]
PERAN_KEGIATAN = (Role.TKSK, Role.ADMIN)
PERAN_RUJUKAN = (Role.TKSK, Role.KABUPATEN, Role.ADMIN)
pencatat = role_required(*PERAN_KEGIATAN)
perujuk = role_required(*PERAN_RUJUKAN)


def _tambah_galat(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _versi_baru(form, current) -> None:
    form.data = form.data.copy()
    form.data["versi"] = str(current.versi)


def _halaman(request, qs):
    return Paginator(qs, PER_HALAMAN).get_page(request.GET.get("page"))


PESAN_TANGGAL = "Tanggal tidak valid. Pilih tanggal dari kalender (tahun-bulan-tanggal)."


def _periode(request) -> tuple[date | None, date | None, str]:
    """`dari`/`sampai` of a list's filter, and an error when one is not a date: the list then
    shows nothing rather than silently ignoring the bound."""
    hasil, galat = [], ""
    for nama in ("dari", "sampai"):
        value = request.GET.get(nama, "").strip()
        try:
            hasil.append(date.fromisoformat(value) if value else None)
        except ValueError:
            hasil.append(None)
            galat = PESAN_TANGGAL
    return hasil[0], hasil[1], galat


# --- Module home -----------------------------------------------------------------------------


def index(request):
    user = request.user
    context = {
        "terlambat": list(sel.tindak_lanjut_terlambat(user)[:5]),
        "tanpa_jawaban": list(sel.rujukan_tanpa_jawaban(user)[:5]),
        # All still waiting, however recent: "all answered" only when none waits.
        "jumlah_menunggu": sel.rujukan_menunggu_jawaban(user).count(),
        "akan_datang": list(sel.kegiatan_akan_datang(user)[:5]),
        "batas_hari": svc.batas_hari_rujukan(),
        "boleh_kegiatan": user.role in PERAN_KEGIATAN,
        "boleh_rujuk": user.role in PERAN_RUJUKAN,
    }
    return render(request, "koordinasi/index.html", context)


def panel_home(request):
    """Home-page panel: overdue follow-ups and unanswered referrals (registered in apps.py)."""
    user = request.user
    if not user.is_authenticated or user.role not in (Role.TKSK, Role.KABUPATEN, Role.ADMIN):
        return None
    terlambat = sel.tindak_lanjut_terlambat(user)
    tanpa_jawaban = sel.rujukan_tanpa_jawaban(user)
    daftar_terlambat = list(terlambat[:5])
    daftar_tanpa_jawaban = list(tanpa_jawaban[:5])
    if not daftar_terlambat and not daftar_tanpa_jawaban:
        return None
    return (
        "koordinasi/panel_home.html",
        {
            "terlambat": daftar_terlambat,
            "jumlah_terlambat": terlambat.count() if len(daftar_terlambat) == 5 else None,
            "tanpa_jawaban": daftar_tanpa_jawaban,
            "jumlah_tanpa_jawaban": tanpa_jawaban.count()
            if len(daftar_tanpa_jawaban) == 5
            else None,
            "batas_hari": svc.batas_hari_rujukan(),
        },
    )


# --- Mitra -----------------------------------------------------------------------------------


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


# --- Kegiatan --------------------------------------------------------------------------------


def kegiatan_list(request):
    jenis = request.GET.get("jenis", "")
    jenis = jenis if jenis in JenisKegiatan.values else ""
    dari, sampai, galat_tanggal = _periode(request)
    q = request.GET.get("q", "").strip()[:100]
    wilayah = sel.wilayah_saringan(request.user, request.GET.get("wilayah", "").strip())
    qs = sel.kegiatan_daftar(
        request.user, jenis=jenis, dari=dari, sampai=sampai, q=q, wilayah=wilayah
    )
    if galat_tanggal:
        qs = qs.none()
    context = {
        "page": _halaman(request, qs),
        "jenis": jenis,
        "dari": dari,
        "sampai": sampai,
        "galat_tanggal": galat_tanggal,
        "q": q,
        "wilayah": wilayah,
        "wilayah_pilihan": sel.wilayah_pilihan(request.user, wilayah),
        "jenis_pilihan": JenisKegiatan.choices,
        "boleh_tambah": request.user.role in PERAN_KEGIATAN,
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
    boleh = user.role in PERAN_KEGIATAN
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
        "boleh_ubah": boleh,
        "foto_form": FotoForm() if boleh else None,
        "tl_form": TindakLanjutForm(user=user, prefix="tl") if boleh else None,
        "cari_form": PesertaCariForm() if boleh else None,
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


# --- Tindak lanjut ---------------------------------------------------------------------------


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


# --- Rujukan ---------------------------------------------------------------------------------


def _ppks_ringkas(ppks, *, nik_lengkap: bool = False) -> dict:
    """Who a referral is about, for pages and the letter: name and masked number."""
    individu, keluarga = ppks.individu, ppks.keluarga
    if individu is not None:
        nomor = individu.nik or ""
        return {
            "jenis": "individu",
            "nama": individu.nama,
            "label_nomor": "NIK",
            "nomor": (nomor if nik_lengkap else samarkan(nomor)) or "(tidak ada NIK)",
            "jenis_kelamin": individu.get_jenis_kelamin_display(),
            "tempat_lahir": individu.tempat_lahir,
            "tanggal_lahir": individu.tanggal_lahir,
        }
    if keluarga is not None:
        nomor = keluarga.no_kk or ""
        return {
            "jenis": "keluarga",
            "nama": str(keluarga),
            "label_nomor": "No KK",
            "nomor": (nomor if nik_lengkap else samarkan(nomor)) or "(tidak ada No KK)",
        }
    return {"jenis": "kelompok", "nama": ppks.nama_kelompok, "label_nomor": "", "nomor": ""}


def rujukan_list(request):
    status = request.GET.get("status", "")
    if status not in ("", "terbuka", "tanpa_jawaban", *StatusRujukan.values):
        status = ""
    q = request.GET.get("q", "").strip()[:60]
    dari, sampai, galat_tanggal = _periode(request)
    wilayah = sel.wilayah_saringan(request.user, request.GET.get("wilayah", "").strip())
    qs = sel.rujukan_daftar(
        request.user, status=status, q=q, dari=dari, sampai=sampai, wilayah=wilayah
    )
    if galat_tanggal:
        qs = qs.none()
    page = _halaman(request, qs)
    for r in page.object_list:
        r.subjek = _ppks_ringkas(r.ppks)
        r.tanpa_jawaban = sel.tanpa_jawaban(r)
    context = {
        "page": page,
        "status": status,
        "q": q,
        "dari": dari,
        "sampai": sampai,
        "galat_tanggal": galat_tanggal,
        "wilayah": wilayah,
        "wilayah_pilihan": sel.wilayah_pilihan(request.user, wilayah),
        "status_pilihan": StatusRujukan.choices,
        "batas_hari": svc.batas_hari_rujukan(),
        "boleh_rujuk": request.user.role in PERAN_RUJUKAN,
    }
    return render(request, "koordinasi/rujukan_list.html", context)


@perujuk
def rujukan_pilih_ppks(request):
    """Choose the PPKS record to refer: open records of one's area, searched by name."""
    from pendataan.selectors_ppks import ppks_visible

    q = request.GET.get("q", "").strip()[:100]
    qs = (
        ppks_visible(request.user)
        .exclude(status_penanganan=StatusPenanganan.SELESAI)
        .select_related("kategori", "individu", "keluarga", "desa")
    )
    if q and not any(ch.isdigit() for ch in q):
        qs = qs.filter(
            Q(individu__nama__icontains=q)
            | Q(keluarga__nama_kepala__icontains=q)
            | Q(nama_kelompok__icontains=q)
        )
    page = _halaman(request, qs.order_by("-tanggal_identifikasi", "-pk"))
    for p in page.object_list:
        p.subjek = _ppks_ringkas(p)
    return render(request, "koordinasi/rujukan_pilih.html", {"page": page, "q": q})


@perujuk
def rujukan_create(request, ppks):
    from pendataan.selectors_ppks import ppks_visible

    target = get_scoped_or_404(
        ppks_visible(request.user).select_related("kategori", "individu", "keluarga", "desa"),
        request.user,
        uuid=ppks,
    )
    form = RujukanForm(request.POST or None, user=request.user)
    if target.status_penanganan == StatusPenanganan.SELESAI:
        form.add_error(None, "Penanganan PPKS ini sudah selesai; rujukan baru tidak dapat dibuat.")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = svc.rujukan_kirim(
                pelaku=request.user, ppks=target, mitra=data["mitra"], data=data
            )
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(
                request,
                f"Rujukan {obj.nomor} dibuat. Cetak suratnya atau kirim tautan mitra di bawah.",
            )
            return redirect("koordinasi:rujukan-detail", obj.uuid)
    context = {"form": form, "ppks": target, "subjek": _ppks_ringkas(target)}
    return render(request, "koordinasi/rujukan_form.html", context)


def _konteks_rujukan(request, rujukan, **extra) -> dict:
    user = request.user
    boleh = user.role in PERAN_RUJUKAN
    tautan = None
    if boleh and svc.tautan_berlaku(rujukan):
        token = svc.pastikan_token(rujukan)
        tautan = request.build_absolute_uri(reverse("koordinasi:rujukan-mitra", args=[token]))
    context = {
        "obj": rujukan,
        "subjek": _ppks_ringkas(rujukan.ppks),
        "langkah": list(rujukan.langkah.select_related("pelaku")),
        "tanpa_jawaban": sel.tanpa_jawaban(rujukan),
        "batas_hari": svc.batas_hari_rujukan(),
        "boleh_ubah": boleh and not rujukan.tertutup,
        "boleh_cetak": boleh,
        "status_form": StatusRujukanForm(rujukan=rujukan, initial={"versi": rujukan.versi})
        if boleh and not rujukan.tertutup
        else None,
        "surat_form": SuratForm(),
        "tautan": tautan,
        # What "Bagikan"/WhatsApp sends: the letter's number (on the letter anyway) and the link.
        "pesan_bagikan": f"Rujukan {rujukan.nomor}: catat perkembangannya lewat tautan ini {tautan}"
        if tautan
        else "",
    }
    context.update(extra)
    return context


def rujukan_detail(request, uuid):
    rujukan = sel.rujukan_detail(request.user, uuid)
    return render(request, "koordinasi/rujukan_detail.html", _konteks_rujukan(request, rujukan))


@require_POST
@perujuk
def rujukan_status(request, uuid):
    rujukan = sel.rujukan_detail(request.user, uuid)
    if rujukan.tertutup:
        messages.info(request, "Rujukan ini sudah ditutup.")
        return redirect("koordinasi:rujukan-detail", rujukan.uuid)
    form = StatusRujukanForm(request.POST, rujukan=rujukan)
    if form.is_valid():
        data = form.cleaned_data
        try:
            svc.rujukan_ubah_status(
                pelaku=request.user,
                rujukan=rujukan,
                ke=data["status"],
                tanggal=data["tanggal"],
                catatan=data.get("catatan", ""),
                versi=data.get("versi"),
                request=request,
            )
        except RecordChanged as changed:
            form.add_error(None, pesan_berubah(changed.current))
            _versi_baru(form, changed.current)
        except ValidationError as error:
            _tambah_galat(form, error)
        else:
            messages.success(request, "Status rujukan diperbarui.")
            return redirect("koordinasi:rujukan-detail", rujukan.uuid)
    rujukan = sel.rujukan_detail(request.user, uuid)
    context = _konteks_rujukan(request, rujukan, status_form=form)
    return render(request, "koordinasi/rujukan_detail.html", context, status=400)


def konteks_surat(request, rujukan, *, nik_lengkap: bool) -> dict:
    """Everything the referral letter shows (also used to time and test the letter)."""
    kop = kop_untuk(rujukan.kecamatan)
    qr = None
    if svc.tautan_berlaku(rujukan):
        token = svc.pastikan_token(rujukan)
        qr = pdf.qr_data_uri(
            request.build_absolute_uri(reverse("koordinasi:rujukan-mitra", args=[token]))
        )
    return {
        "obj": rujukan,
        "subjek": _ppks_ringkas(rujukan.ppks, nik_lengkap=nik_lengkap),
        "kop": kop,
        "kop_baris": kop.baris_instansi if kop else KOP_BAWAAN,
        "logo": pdf.logo_data_uri(kop.logo) if kop else None,
        "qr": qr,
        "tempat": rujukan.kecamatan.nama.title(),
        "dicetak_oleh": request.user.get_full_name() or request.user.username,
        "dicetak_pada": timezone.localtime(),
    }


@perujuk
def rujukan_surat(request, uuid):
    """The referral letter (PDF). The NIK is masked unless the user ticks "NIK lengkap"; every
    print is logged, a full NIK separately as well."""
    rujukan = sel.rujukan_detail(request.user, uuid)
    form = SuratForm(request.GET or None)
    nik_lengkap = bool(form.is_valid() and form.cleaned_data.get("nik_lengkap"))
    try:
        isi = pdf.render_pdf(
            "koordinasi/pdf/surat_rujukan.html",
            konteks_surat(request, rujukan, nik_lengkap=nik_lengkap),
            request=request,
        )
    except pdf.PDFGagal as gagal:
        return render(request, "koordinasi/pdf_gagal.html", {"pesan": gagal.pesan}, status=503)
    pdf.catat_cetak(
        request=request, objek=rujukan, dokumen="surat_rujukan", nik_lengkap=nik_lengkap
    )
    if nik_lengkap:
        catat(
            aksi="lihat_nik",
            pelaku=request.user,
            objek=rujukan.ppks,
            data={"alasan": "cetak surat rujukan", "rujukan": rujukan.nomor},
            request=request,
        )
    nama = f"surat-rujukan-{rujukan.nomor.replace('/', '-')}.pdf"
    return pdf.pdf_response(isi, nama, inline=request.GET.get("lihat") == "1")


# --- Partner link (no login) -----------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def rujukan_mitra(request, token):
    """The receiving agency's page: reference, category and requested service only (no NIK, no
    name, no address); lets it record received / in process / done / refused with a note.
    Unknown token: 404. Closed or older than 60 days: 410. Rate-limited; every use logged."""
    ip = client_ip(request)
    token_hash = svc.hash_token(token)
    agen = request.META.get("HTTP_USER_AGENT", "")
    if svc.tautan_dibatasi(token_hash=token_hash, alamat_ip=ip):
        response = render(request, "koordinasi/tautan_dibatasi.html", status=429)
        response["Retry-After"] = "600"
        return response
    rujukan = svc.tautan_cari(token)
    if rujukan is None:
        svc.tautan_catat(
            rujukan=None, token_hash=token_hash, alamat_ip=ip, aksi="tidak_dikenal", agen=agen
        )
        raise Http404
    if not svc.tautan_berlaku(rujukan):
        svc.tautan_catat(
            rujukan=rujukan, token_hash=token_hash, alamat_ip=ip, aksi="kedaluwarsa", agen=agen
        )
        context = {"obj": rujukan}
        return render(request, "koordinasi/tautan_kedaluwarsa.html", context, status=410)
    form = TautanMitraForm(request.POST or None, rujukan=rujukan)
    if request.method == "POST" and not form.is_valid():
        svc.tautan_catat(
            rujukan=rujukan, token_hash=token_hash, alamat_ip=ip, aksi="gagal", agen=agen
        )
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            svc.rujukan_ubah_status(
                rujukan=rujukan,
                ke=data["status"],
                tanggal=data["tanggal"],
                catatan=data.get("catatan", ""),
                oleh_mitra=True,
                nama_pengisi=data.get("nama_pengisi", ""),
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                _tambah_galat(form, error)
            else:
                form.add_error(None, "Tautan rujukan ini sudah tidak berlaku.")
            svc.tautan_catat(
                rujukan=rujukan, token_hash=token_hash, alamat_ip=ip, aksi="gagal", agen=agen
            )
        else:
            svc.tautan_catat(
                rujukan=rujukan,
                token_hash=token_hash,
                alamat_ip=ip,
                aksi="ubah",
                status_ke=data["status"],
                agen=agen,
            )
            messages.success(request, "Terima kasih, status rujukan sudah dicatat.")
            return redirect(request.path)
    else:
        svc.tautan_catat(
            rujukan=rujukan, token_hash=token_hash, alamat_ip=ip, aksi="lihat", agen=agen
        )
    rujukan.refresh_from_db()
    context = {
        "obj": rujukan,
        "kategori": sel.kategori_untuk_mitra(rujukan),
        "langkah": list(rujukan.langkah.values("status_ke", "tanggal", "oleh_mitra")),
        "form": form if not rujukan.tertutup else None,
        "status_label": dict(StatusRujukan.choices),
    }
    return render(request, "koordinasi/tautan_mitra.html", context)


# --- Kop surat (admin) -----------------------------------------------------------------------


@role_required(Role.ADMIN)
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
