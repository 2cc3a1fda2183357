"""The performance record (rapor kinerja): one TKSK's year as a page and a PDF, and the table of
all TKSK."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from laporan.selectors import label_bulan
from tenaga import kinerja
from tenaga import selectors as sel
from tenaga.views import _profil
from tksk import pdf
from tksk.kapabilitas import perlu
from tksk.models import Wilayah, kop_untuk

DAFTAR = {
    "keluarga": "pendataan:keluarga-list",
    "ppks": "pendataan:ppks-list",
    "rujukan": "koordinasi:rujukan-list",
    "kegiatan": "koordinasi:kegiatan-list",
}


class Tautan:
    """The lists behind a count: what a TKSK's account recorded from `awal` to `akhir`, by the
    same recorder and dates the performance record counts by (households and PPKS by the local
    date of recording, referrals by the date sent, activities by their date). The four list
    addresses are resolved once per page, not for each of 136 rows."""

    def __init__(self):
        self.alamat = {kunci: reverse(nama) for kunci, nama in DAFTAR.items()}

    def __call__(self, profil, awal: date, akhir: date) -> dict:
        if not profil.akun_id:
            return {}
        dari, sampai = awal.isoformat(), akhir.isoformat()
        pendataan = urlencode(
            {"pembuat": profil.akun.uuid, "dicatat_dari": dari, "dicatat_sampai": sampai}
        )
        koordinasi = urlencode({"pembuat": profil.akun.uuid, "dari": dari, "sampai": sampai})
        return {
            kunci: f"{alamat}?{pendataan if kunci in ('keluarga', 'ppks') else koordinasi}"
            for kunci, alamat in self.alamat.items()
        }

    def tahun(self, profil, data: dict) -> dict:
        """Links for a year's totals: from the first month served to the end of the last."""
        bulan = sorted(data["bulan"])
        return self(profil, bulan[0], _akhir_bulan(bulan[-1])) if bulan else {}


def _akhir_bulan(bulan: date) -> date:
    return (bulan.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _tahun(request) -> int:
    sekarang = timezone.localdate().year
    try:
        tahun = int(request.GET.get("tahun", sekarang))
    except (TypeError, ValueError):
        return sekarang
    return tahun if 2009 <= tahun <= sekarang + 1 else sekarang


def _konteks_rapor(request, uuid) -> dict:
    profil = _profil(request, uuid)
    tahun = _tahun(request)
    data = kinerja.rekap([profil], tahun, pembaca=request.user)[profil.pk]
    tautan = Tautan()
    kecamatan = Wilayah.objects.in_bulk({b["kecamatan_id"] for b in data["bulan"].values()})
    bulan = []
    for b, baris in sorted(data["bulan"].items()):
        baris = {**baris, "kecamatan": kecamatan.get(baris["kecamatan_id"])}
        baris["lapor_label"] = kinerja.LABEL_LAPOR.get(baris["lapor"], baris["lapor"])
        baris["tautan"] = tautan(profil, b, _akhir_bulan(b))
        bulan.append((label_bulan(b), baris))
    return {"profil": profil, "tahun": tahun, "bulan": bulan, "total": data["total"],
            "tautan": tautan.tahun(profil, data), "tugas": kinerja.TUGAS}  # fmt: skip


def profil_kinerja(request, uuid):
    return render(request, "tenaga/kinerja_profil.html", _konteks_rapor(request, uuid))


def profil_kinerja_pdf(request, uuid):
    context = _konteks_rapor(request, uuid)
    profil = context["profil"]
    # A provincial document: the province's letterhead.
    kop = kop_untuk(profil.kecamatan.provinsi)
    context |= {
        "kop": kop,
        "logo": pdf.logo_data_uri(kop.logo) if kop else None,
        "pencetak": request.user,
        "sk": sel.sk_untuk_laporan(profil.akun_id, timezone.localdate().replace(day=1))
        if profil.akun_id
        else None,
        "dicetak": timezone.localtime(),
    }
    try:
        isi = pdf.render_pdf("tenaga/pdf/rapor.html", context)
    except pdf.PDFGagal:
        return render(request, "laporan/pdf_gagal.html", status=503)
    pdf.catat_cetak(request=request, objek=profil, dokumen="rapor_kinerja", tahun=context["tahun"])
    return pdf.pdf_response(isi, f"rapor-kinerja-{profil.nama}-{context['tahun']}.pdf")


@perlu("tenaga.lihat")
def kinerja_list(request):
    tahun = _tahun(request)
    profil = list(sel.profil_list(request.user).order_by("kecamatan__kode", "nama"))
    data = kinerja.rekap(profil, tahun, pembaca=request.user)
    tautan = Tautan()
    baris = [(p, data[p.pk]["total"], tautan.tahun(p, data[p.pk])) for p in profil]
    return render(
        request,
        "tenaga/kinerja_list.html",
        {"baris": baris, "tahun": tahun, "tugas": kinerja.TUGAS},
    )
