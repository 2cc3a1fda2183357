"""Recap exports (every role, any area in scope) and person-level exports (Dinas Sosial kabupaten,
provinsi and admin), streamed or prepared in the background. Every export is in the audit log:
who, what filter, how many rows, when."""

import io
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from laporan import exports
from laporan import selectors as sel
from laporan.antrian_ekspor import ekspor_antrikan
from laporan.forms import EksporForm
from laporan.models import BerkasEkspor, StatusEkspor
from tksk import pdf
from tksk.audit import catat
from tksk.kapabilitas import perlu
from tksk.models import kop_untuk
from tksk.routers import baca_replika, iter_replika
from tksk.scoping import get_scoped_or_404

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def batas_langsung() -> int:
    """Rows up to which a person-level export is streamed in the request; above it a
    background job prepares the file."""
    return int(getattr(settings, "EKSPOR_BATAS_LANGSUNG", 50_000))


def _unduhan(response, nama: str):
    aman = pdf.nama_berkas_aman(nama, akhiran=Path(nama).suffix)
    response["Content-Disposition"] = f'attachment; filename="{aman}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- recaps -----------------------------------------------------------------------------------


def rekap(request, jenis):
    """/laporan/rekap/ppks/?wilayah=KODE&format=pdf|xlsx|csv[&publik=1][&status=terverifikasi]:
    the next level down × category for an area in the user's scope (else 404)."""
    user = request.user
    kode = request.GET.get("wilayah", "")
    if kode:
        wilayah = sel.wilayah_untuk(user, kode)
    else:
        wilayah = sel.wilayah_awal(user)
        if wilayah is None:
            return render(request, "laporan/tanpa_wilayah.html")
    publik = request.GET.get("publik") == "1"
    hanya = request.GET.get("status") == "terverifikasi"
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "pdf", "xlsx", "csv"):
        fmt = "html"
    with baca_replika():
        data = sel.rekap(user, jenis, wilayah, publik=publik, hanya_terverifikasi=hanya)
    if fmt == "html":
        return render(
            request,
            "laporan/rekap.html",
            {
                "rekap": data,
                "jejak": sel.jejak(wilayah, user),
                "query_publik": publik,
                "css": "css/laporan.css",
            },
        )
    kode_berkas = wilayah.kode.replace(".", "")
    nama = f"rekap-{jenis}-{kode_berkas}{'-publik' if publik else ''}-{timezone.localdate():%Y%m%d}"
    catat(
        aksi="ekspor_rekap",
        pelaku=user,
        objek=wilayah,
        data={
            "jenis": jenis,
            "wilayah": wilayah.kode,
            "format": fmt,
            "publik": publik,
            "status": "terverifikasi" if hanya else "semua",
            "baris": len(data["baris"]) + 1,
        },
        request=request,
    )
    if fmt == "pdf":
        kop = kop_untuk(wilayah)
        context = {
            "rekap": data,
            "kop": kop,
            "logo": pdf.logo_data_uri(kop.logo) if kop else None,
            "pencetak": user,
            "dicetak": timezone.localtime(),
        }
        try:
            isi = pdf.render_pdf("laporan/pdf/rekap.html", context)
        except pdf.PDFGagal:
            return render(request, "laporan/pdf_gagal.html", status=503)
        return pdf.pdf_response(isi, f"{nama}.pdf")
    kolom, rows = exports.rekap_tabel(data)
    if fmt == "csv":
        isi = b"".join(exports.csv_potongan(kolom, rows))
        return _unduhan(HttpResponse(isi, content_type=CSV), f"{nama}.csv")
    buffer = io.BytesIO()
    exports.xlsx_tulis(
        buffer,
        kolom,
        rows,
        judul=f"Rekap {data['judul']}",
        teks={1},
        lebar=[14, 28, *([9] * len(data["kategori"])), 10],
        keterangan=exports.rekap_keterangan(data, user),
    )
    return _unduhan(HttpResponse(buffer.getvalue(), content_type=XLSX), f"{nama}.xlsx")


# --- person-level exports -------------------------------------------------------------------


@perlu("laporan.ekspor")
def ekspor(request):
    user = request.user
    if request.method == "POST":
        form = EksporForm(request.POST, user=user)
        if form.is_valid():
            return _ekspor_mulai(request, form)
    else:
        form = EksporForm(user=user, initial={"wilayah": user.wilayah_id})
    context = {
        "form": form,
        "riwayat": BerkasEkspor.objects.for_user(user)
        .filter(pemohon=user)
        .select_related("wilayah")
        .order_by("-dibuat_pada")[:10],
        "batas": batas_langsung(),
        "css": "css/laporan.css",
    }
    return render(request, "laporan/ekspor.html", context)


def _ekspor_mulai(request, form):
    user = request.user
    data = form.cleaned_data
    permintaan = exports.Permintaan(
        jenis=data["jenis"],
        wilayah=data["wilayah"],
        status=data["status"] or "",
        kategori_id=data["kategori"].pk if data["kategori"] and data["jenis"] == "ppks" else None,
        nik_lengkap=data["nik_lengkap"],
        format=data["format"],
    )
    ekspor_ = exports.ekspor_untuk(user, permintaan)
    with baca_replika():
        jumlah = ekspor_.jumlah()
    parameter = {**permintaan.parameter(), "keperluan": data.get("keperluan", "")}
    if jumlah > batas_langsung():
        berkas = ekspor_antrikan(
            pelaku=user,
            wilayah=permintaan.wilayah,
            jenis=permintaan.jenis,
            format=permintaan.format,
            parameter=parameter,
            jumlah=jumlah,
        )
        return redirect("laporan:ekspor-status", uuid=berkas.uuid)
    catat(
        aksi="ekspor_data",
        pelaku=user,
        objek=permintaan.wilayah,
        data={"filter": parameter, "baris": jumlah, "langsung": True},
        request=request,
    )
    nama = exports.nama_unduhan(permintaan)
    if permintaan.format == "csv":
        response = StreamingHttpResponse(
            iter_replika(exports.csv_potongan(ekspor_.kolom, ekspor_.baris(), teks=ekspor_.teks)),
            content_type=CSV,
        )
        return _unduhan(response, nama)
    with baca_replika():
        path, _ = exports.xlsx_sementara(
            ekspor_.kolom,
            ekspor_.baris(),
            judul=exports.JUDUL[permintaan.jenis],
            teks=ekspor_.teks,
            nomor=ekspor_.nomor,
            lebar=ekspor_.lebar,
        )
    berkas = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    os.unlink(path)  # the open handle keeps the data until the response is sent
    return _unduhan(FileResponse(berkas, content_type=XLSX), nama)


def _berkas(request, uuid) -> BerkasEkspor:
    """A job in the user's scope; only its requester may follow or download it."""
    berkas = get_scoped_or_404(
        BerkasEkspor.objects.select_related("wilayah", "pemohon"), request.user, uuid=uuid
    )
    if berkas.pemohon_id != request.user.pk:
        raise PermissionDenied
    return berkas


def _kedaluwarsa(berkas: BerkasEkspor) -> bool:
    if berkas.kedaluwarsa_pada > timezone.now():
        return False
    hapus_berkas(berkas)
    return True


def hapus_berkas(berkas: BerkasEkspor) -> None:
    if berkas.berkas:
        path = Path(settings.MEDIA_ROOT) / berkas.berkas
        path.unlink(missing_ok=True)
        BerkasEkspor.objects.filter(pk=berkas.pk).update(berkas="")
        berkas.berkas = ""


def ekspor_status(request, uuid):
    berkas = _berkas(request, uuid)
    context = {
        "berkas": berkas,
        "kedaluwarsa": _kedaluwarsa(berkas),
        "menunggu": berkas.status in (StatusEkspor.ANTRI, StatusEkspor.PROSES),
        "css": "css/laporan.css",
    }
    if request.htmx:
        return render(request, "laporan/_ekspor_status.html", context)
    return render(request, "laporan/ekspor_status.html", context)


def ekspor_unduh(request, uuid):
    berkas = _berkas(request, uuid)
    if _kedaluwarsa(berkas):
        context = {"berkas": berkas, "kedaluwarsa": True, "css": "css/laporan.css"}
        return render(request, "laporan/ekspor_status.html", context, status=410)
    if berkas.status != StatusEkspor.SELESAI or not berkas.berkas:
        return redirect("laporan:ekspor-status", uuid=berkas.uuid)
    path = Path(settings.MEDIA_ROOT) / berkas.berkas
    if not path.is_file():
        raise Http404
    catat(
        aksi="ekspor_unduh",
        pelaku=request.user,
        objek=berkas,
        data={"jenis": berkas.jenis, "filter": berkas.parameter, "baris": berkas.jumlah_baris},
        request=request,
    )
    content_type = XLSX if berkas.format == "xlsx" else CSV
    response = FileResponse(path.open("rb"), content_type=content_type)
    return _unduhan(response, berkas.nama_unduhan or f"ekspor.{berkas.format}")
