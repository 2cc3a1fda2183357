"""Bimtek: events, participants, attendance, scores, materials, certificates and the public
certificate check."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tenaga import selectors as sel
from tenaga import services as svc
from tenaga.forms import BimtekForm, MateriForm, UndangForm
from tenaga.models import AksesVerifikasi, Bimtek, MateriBimtek, PesertaBimtek, ProfilTKSK
from tenaga.views import _salin_galat
from tksk.audit import client_ip
from tksk.kapabilitas import boleh, perlu
from tksk.konkurensi import RecordChanged, pesan_berubah
from tksk.pdf import PDFGagal, catat_cetak, pdf_response, qr_data_uri, render_pdf
from tksk.scoping import get_scoped_or_404


def _bimtek(request, uuid):
    return get_scoped_or_404(Bimtek.objects, request.user, uuid=uuid)


def bimtek_list(request):
    return render(
        request,
        "tenaga/bimtek_list.html",
        {"bimtek": sel.bimtek_list(request.user)},
    )


def _bimtek_form(request, instance=None):
    initial = {"versi": instance.versi} if instance else None
    form = BimtekForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "versi"}
        try:
            bimtek = svc.bimtek_simpan(
                pelaku=request.user,
                data=data,
                bimtek=instance,
                versi=form.cleaned_data.get("versi"),
            )
        except RecordChanged as changed:
            form.add_error(None, pesan_berubah(changed.current))
        except ValidationError as error:
            _salin_galat(form, error)
        else:
            messages.success(request, f"Bimtek {bimtek.judul} disimpan.")
            return redirect("tenaga:bimtek-detail", bimtek.uuid)
    judul = f"Ubah {instance.judul}" if instance else "Bimtek baru"
    return render(request, "tenaga/form.html", {"form": form, "judul": judul, "obj": instance})


@perlu("tenaga.kelola")
def bimtek_create(request):
    return _bimtek_form(request)


@perlu("tenaga.kelola")
def bimtek_update(request, uuid):
    return _bimtek_form(request, _bimtek(request, uuid))


def _peserta_qs(request, bimtek):
    # Participants the user may see: a TKSK only themself, a kabupaten its own.
    qs = PesertaBimtek.objects.for_user(request.user).filter(bimtek=bimtek)
    if request.user.role == "tksk":
        qs = qs.filter(profil__akun=request.user)
    return qs.select_related("profil__kecamatan").prefetch_related("kehadiran")


def bimtek_detail(request, uuid, **forms):
    bimtek = _bimtek(request, uuid)
    peserta = list(_peserta_qs(request, bimtek))
    for p in peserta:
        hadir = {k.tanggal for k in p.kehadiran.all() if k.hadir}
        p.hari = [(h, h in hadir) for h in bimtek.hari]
    boleh_kelola = boleh(request.user, "tenaga.kelola")
    context = {
        "bimtek": bimtek,
        "peserta": peserta,
        "materi": bimtek.materi.all(),
        "undang_form": forms.get("undang_form")
        or (UndangForm(user=request.user) if boleh_kelola else None),
        "materi_form": forms.get("materi_form") or MateriForm(),
        "galat": forms.get("galat"),
    }
    status = 400 if forms else 200
    return render(request, "tenaga/bimtek_detail.html", context, status=status)


@require_POST
@perlu("tenaga.kelola")
def peserta_tambah(request, uuid):
    bimtek = _bimtek(request, uuid)
    form = UndangForm(request.POST, user=request.user)
    if not form.is_valid():
        return bimtek_detail(request, uuid, undang_form=form)
    qs = ProfilTKSK.objects.for_user(request.user)
    if form.cleaned_data["kabupaten"]:
        qs = qs.filter(kecamatan__kabupaten=form.cleaned_data["kabupaten"])
    else:
        qs = qs.filter(pk__in=[p.pk for p in form.cleaned_data["profil"]])
    n = svc.peserta_undang(pelaku=request.user, bimtek=bimtek, profil_qs=qs)
    messages.success(request, f"{n} peserta ditambahkan.")
    return redirect("tenaga:bimtek-detail", bimtek.uuid)


@require_POST
@perlu("tenaga.kelola")
def materi_tambah(request, uuid):
    bimtek = _bimtek(request, uuid)
    form = MateriForm(request.POST, request.FILES)
    if not form.is_valid():
        return bimtek_detail(request, uuid, materi_form=form)
    svc.materi_tambah(
        pelaku=request.user,
        bimtek=bimtek,
        berkas=form.cleaned_data["berkas"],
        nama=form.cleaned_data["nama"],
        jenis=form.jenis,
    )
    messages.success(request, "Materi diunggah.")
    return redirect("tenaga:bimtek-detail", bimtek.uuid)


MIME = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def materi_unduh(request, uuid, materi):
    bimtek = _bimtek(request, uuid)
    obj = get_scoped_or_404(MateriBimtek.objects.filter(bimtek=bimtek), request.user, uuid=materi)
    response = FileResponse(
        obj.berkas.open("rb"),
        as_attachment=True,
        filename=f"materi-{obj.pk}.{obj.jenis}",
        content_type=MIME.get(obj.jenis, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _peserta_dikirim(request, bimtek):
    """The posted participants (by uuid), each one of this event and in the user's scope;
    anything else is a 404."""
    ids = [k.split(":", 1)[1] for k in request.POST if k.startswith("peserta:")]
    peserta = {str(p.uuid): p for p in _peserta_qs(request, bimtek).filter(uuid__in=ids)}
    if len(peserta) != len(set(ids)):
        raise Http404
    return peserta


def _angka(teks):
    teks = (teks or "").strip().replace(",", ".")
    if not teks:
        return None
    try:
        return Decimal(teks)
    except InvalidOperation:
        raise ValidationError(f"Nilai “{teks[:10]}” bukan angka.") from None


@require_POST
@perlu("tenaga.kelola")
def bimtek_hadir(request, uuid):
    bimtek = _bimtek(request, uuid)
    peserta = _peserta_dikirim(request, bimtek)
    hadir = {}
    for key, p in peserta.items():
        tanggal = set()
        for value in request.POST.getlist(f"hadir:{key}"):
            try:
                tanggal.add(date.fromisoformat(value))
            except ValueError:
                continue
        hadir[p] = tanggal
    svc.kehadiran_simpan(pelaku=request.user, bimtek=bimtek, hadir=hadir)
    messages.success(request, "Kehadiran disimpan.")
    return redirect("tenaga:bimtek-detail", bimtek.uuid)


@require_POST
@perlu("tenaga.kelola")
def bimtek_nilai(request, uuid):
    bimtek = _bimtek(request, uuid)
    peserta = _peserta_dikirim(request, bimtek)
    try:
        nilai = {
            p: (
                _angka(request.POST.get(f"pre:{k}")),
                _angka(request.POST.get(f"post:{k}")),
                request.POST.get(f"nomor:{k}", "")[:60],
            )
            for k, p in peserta.items()
        }
        svc.nilai_simpan(pelaku=request.user, bimtek=bimtek, nilai=nilai)
    except ValidationError as error:
        return bimtek_detail(request, uuid, galat=" ".join(error.messages))
    messages.success(request, "Nilai dan nomor sertifikat disimpan.")
    return redirect("tenaga:bimtek-detail", bimtek.uuid)


def sertifikat_konteks(request, peserta) -> dict:
    tautan = request.build_absolute_uri(
        reverse("tenaga:sertifikat-verifikasi", args=[peserta.token])
    )
    return {"p": peserta, "bimtek": peserta.bimtek, "qr": qr_data_uri(tautan), "tautan": tautan}


def sertifikat_pdf(request, uuid, peserta):
    bimtek = _bimtek(request, uuid)
    obj = get_scoped_or_404(_peserta_qs(request, bimtek), request.user, uuid=peserta)
    if not obj.nomor_sertifikat:
        raise Http404
    try:
        pdf = render_pdf("tenaga/pdf/sertifikat.html", sertifikat_konteks(request, obj))
    except PDFGagal:
        return render(request, "laporan/pdf_gagal.html", status=503)
    catat_cetak(request=request, objek=obj.profil, dokumen="sertifikat", nomor=obj.nomor_sertifikat)
    return pdf_response(pdf, f"sertifikat-{obj.nomor_sertifikat}.pdf")


def _dibatasi(ip) -> bool:
    menit = int(getattr(settings, "TENAGA_VERIFIKASI_JENDELA_MENIT", 10))
    batas = int(getattr(settings, "TENAGA_VERIFIKASI_BATAS_IP", 30))
    baru = AksesVerifikasi.objects.filter(waktu__gte=timezone.now() - timedelta(minutes=menit))
    return baru.filter(alamat_ip=ip).count() >= batas


@login_not_required
@never_cache
def sertifikat_verifikasi(request, token):
    """Public: the certificate's number, holder, event and dates, nothing else."""
    ip = client_ip(request)
    if _dibatasi(ip):
        response = render(request, "tenaga/verifikasi_dibatasi.html", status=429)
        response["Retry-After"] = "600"
        return response
    AksesVerifikasi.objects.create(alamat_ip=ip)
    peserta = (
        PesertaBimtek.objects.select_related("bimtek", "profil")
        .filter(token=token[:60], nomor_sertifikat__isnull=False)
        .first()
    )
    status = 200 if peserta else 404
    return render(request, "tenaga/verifikasi.html", {"p": peserta}, status=status)
