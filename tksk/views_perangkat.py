""" "Perangkat saya" (one's own devices) and an admin revoking a user's devices.

A device is only ever looked up through its owner: one's own (`request.user.perangkat`) or a user
the admin may see (`User.objects.for_user`). Anybody else's device answers 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tksk import services
from tksk.kapabilitas import perlu
from tksk.models import User
from tksk.perangkat import Perangkat
from tksk.scoping import get_scoped_or_404


def _device_of(user, pk):
    try:
        return user.perangkat.aktif().get(pk=pk)
    except (Perangkat.DoesNotExist, ValueError):
        raise Http404 from None


def perangkat_list(request):
    perangkat = request.user.perangkat.aktif().order_by("-terakhir_dipakai", "-dibuat")
    return render(request, "tksk/perangkat_list.html", {"perangkat": perangkat})


@require_POST
def perangkat_cabut(request, pk):
    perangkat = _device_of(request.user, pk)
    services.perangkat_cabut(actor=request.user, perangkat=perangkat)
    messages.success(
        request,
        _("Perangkat %(nama)s dicabut; datanya dihapus saat perangkat itu tersambung lagi.")
        % {"nama": perangkat.nama},
    )
    return redirect("tksk:perangkat-list")


@require_POST
def perangkat_cabut_semua(request):
    jumlah = services.perangkat_cabut_semua(actor=request.user, user=request.user)
    messages.success(
        request,
        _(
            "Anda keluar dari %(n)s perangkat. "
            "Data yang belum terkirim tetap tersimpan di perangkat itu."
        )
        % {"n": jumlah},
    )
    return redirect("tksk:perangkat-list")


@require_POST
@perlu("akun.kelola")
def akun_perangkat_cabut(request, uuid):
    """An admin revokes one device (`perangkat` posted) or every device of the account."""
    user = get_scoped_or_404(User.objects, request.user, uuid=uuid)
    pk = request.POST.get("perangkat")
    if pk:
        perangkat = _device_of(user, pk)
        services.perangkat_cabut(actor=request.user, perangkat=perangkat)
        pesan = _("Perangkat %(nama)s milik %(akun)s dicabut.") % {
            "nama": perangkat.nama,
            "akun": user.username,
        }
    else:
        jumlah = services.perangkat_cabut_semua(actor=request.user, user=user)
        pesan = _("%(n)s perangkat milik %(akun)s dicabut.") % {"n": jumlah, "akun": user.username}
    messages.success(request, pesan)
    return redirect("tksk:akun-update", uuid=user.uuid)
