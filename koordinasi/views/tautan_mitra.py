"""The partner's page reached by the referral link, without login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from koordinasi import selectors as sel
from koordinasi import services as svc
from koordinasi.forms import TautanMitraForm
from koordinasi.models import StatusRujukan
from koordinasi.views.umum import _tambah_galat
from tksk.audit import client_ip


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
