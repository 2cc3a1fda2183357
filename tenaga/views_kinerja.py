"""The performance record (rapor kinerja): one TKSK's year, and the table of all TKSK."""

from django.shortcuts import render
from django.utils import timezone

from laporan.selectors import label_bulan
from tenaga import kinerja
from tenaga import selectors as sel
from tenaga.views import DINAS, _profil
from tksk.views import role_required


def _tahun(request) -> int:
    sekarang = timezone.localdate().year
    try:
        tahun = int(request.GET.get("tahun", sekarang))
    except (TypeError, ValueError):
        return sekarang
    return tahun if 2009 <= tahun <= sekarang + 1 else sekarang


def profil_kinerja(request, uuid):
    profil = _profil(request, uuid)
    tahun = _tahun(request)
    data = kinerja.rekap([profil], tahun)[profil.pk]
    bulan = [(label_bulan(b), baris) for b, baris in sorted(data["bulan"].items())]
    return render(
        request,
        "tenaga/kinerja_profil.html",
        {"profil": profil, "tahun": tahun, "bulan": bulan, "total": data["total"],
         "tugas": kinerja.TUGAS},
    )  # fmt: skip


@role_required(*DINAS)
def kinerja_list(request):
    tahun = _tahun(request)
    profil = list(sel.profil_list(request.user).order_by("kecamatan__kode", "nama"))
    data = kinerja.rekap(profil, tahun)
    baris = [(p, data[p.pk]["total"]) for p in profil]
    return render(
        request,
        "tenaga/kinerja_list.html",
        {"baris": baris, "tahun": tahun, "tugas": kinerja.TUGAS},
    )
