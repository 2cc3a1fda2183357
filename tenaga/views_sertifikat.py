"""Every certificate of a bimtek as one PDF: the request, the progress page (refreshed by
htmx) and the download. Thin: tenaga.sertifikat_massal and the job in tenaga.tasks do the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tenaga import sertifikat_massal as massal
from tenaga.models import BerkasSertifikat, StatusBerkas
from tenaga.views_bimtek import _bimtek
from tksk.audit import catat
from tksk.kapabilitas import perlu
from tksk.pdf import nama_berkas_aman
from tksk.scoping import get_scoped_or_404


@require_POST
@perlu("tenaga.kelola")
def minta(request, uuid):
    bimtek = _bimtek(request, uuid)
    try:
        berkas = massal.minta(
            pelaku=request.user, bimtek=bimtek, dasar_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tenaga:bimtek-detail", bimtek.uuid)
    return redirect("tenaga:sertifikat-massal-status", berkas.uuid)


def _berkas(request, uuid) -> BerkasSertifikat:
    """A job of a bimtek in the user's scope; only its requester may follow or download it."""
    berkas = get_scoped_or_404(
        BerkasSertifikat.objects.select_related("bimtek"), request.user, uuid=uuid
    )
    if berkas.pemohon_id != request.user.pk:
        raise PermissionDenied
    return berkas


def _kedaluwarsa(berkas: BerkasSertifikat) -> bool:
    if berkas.kedaluwarsa_pada > timezone.now():
        return False
    massal.hapus_berkas(berkas)
    return True


def status(request, uuid):
    berkas = _berkas(request, uuid)
    context = {
        "berkas": berkas,
        "kedaluwarsa": _kedaluwarsa(berkas),
        "menunggu": berkas.status in (StatusBerkas.ANTRI, StatusBerkas.PROSES),
    }
    if request.htmx:
        return render(request, "tenaga/_sertifikat_massal_status.html", context)
    return render(request, "tenaga/sertifikat_massal_status.html", context)


def unduh(request, uuid):
    berkas = _berkas(request, uuid)
    if _kedaluwarsa(berkas):
        context = {"berkas": berkas, "kedaluwarsa": True}
        return render(request, "tenaga/sertifikat_massal_status.html", context, status=410)
    if berkas.status != StatusBerkas.SELESAI or not berkas.berkas:
        return redirect("tenaga:sertifikat-massal-status", berkas.uuid)
    path = massal.path_berkas(berkas)
    if not path.is_file():
        raise Http404
    catat(
        aksi="sertifikat_massal_unduh",
        pelaku=request.user,
        objek=berkas.bimtek,
        data={"jumlah": berkas.jumlah},
        request=request,
    )
    response = FileResponse(path.open("rb"), content_type="application/pdf")
    nama = nama_berkas_aman(f"sertifikat-{berkas.bimtek.judul}.pdf")
    response["Content-Disposition"] = f'attachment; filename="{nama}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
