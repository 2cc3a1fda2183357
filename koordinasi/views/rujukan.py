"""Referral (Rujukan) pages: list, choosing the PPKS, sending, status, the letter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from koordinasi import selectors as sel
from koordinasi import services as svc
from koordinasi.forms import RujukanForm, StatusRujukanForm, SuratForm
from koordinasi.models import StatusRujukan
from koordinasi.views.umum import (
    _halaman,
    _pembuat,
    _periode,
    _tambah_galat,
    _versi_baru,
    perujuk,
)
from pendataan.models import StatusPenanganan
from tksk import pdf
from tksk.audit import catat
from tksk.kapabilitas import boleh
from tksk.konkurensi import RecordChanged, pesan_berubah
from tksk.models import kop_untuk
from tksk.privasi import samarkan
from tksk.scoping import get_scoped_or_404

# Letterhead until an admin sets one (koordinasi:kop-update).
KOP_BAWAAN = ["PEMERINTAH PROVINSI KALIMANTAN TENGAH", "DINAS SOSIAL"]


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
    pembuat, pencatat = _pembuat(request)
    wilayah = sel.wilayah_saringan(request.user, request.GET.get("wilayah", "").strip())
    qs = sel.rujukan_daftar(
        request.user, status=status, q=q, dari=dari, sampai=sampai, wilayah=wilayah, pembuat=pembuat
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
        "pembuat": pembuat,
        "pencatat": pencatat,
        "wilayah": wilayah,
        "wilayah_pilihan": sel.wilayah_pilihan(request.user, wilayah),
        "status_pilihan": StatusRujukan.choices,
        "batas_hari": svc.batas_hari_rujukan(),
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
    dapat_merujuk = boleh(user, "koordinasi.rujuk")
    tautan = None
    if dapat_merujuk and svc.tautan_berlaku(rujukan):
        token = svc.pastikan_token(rujukan)
        tautan = request.build_absolute_uri(reverse("koordinasi:rujukan-mitra", args=[token]))
    context = {
        "obj": rujukan,
        "subjek": _ppks_ringkas(rujukan.ppks),
        "langkah": list(rujukan.langkah.select_related("pelaku")),
        "tanpa_jawaban": sel.tanpa_jawaban(rujukan),
        "batas_hari": svc.batas_hari_rujukan(),
        "status_form": StatusRujukanForm(rujukan=rujukan, initial={"versi": rujukan.versi})
        if dapat_merujuk and not rujukan.tertutup
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
