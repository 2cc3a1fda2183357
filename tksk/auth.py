"""Login throttling beyond django-axes.

Axes locks a *username at an address* (AXES_LOCKOUT_PARAMETERS). That alone lets one address try
many usernames; this second, looser limit counts every failure from one address, across usernames,
within the same cool-off window. It is high enough that one kecamatan office sharing an address is
never locked out by a colleague's typos.
"""

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from tksk.audit import client_ip
from tksk.forms import LoginForm


def address_failures(ip: str | None) -> int:
    if not ip:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def address_locked(request) -> bool:
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return address_failures(get_client_ip_address(request)) >= limit


def pesan_terkunci() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(n)s menit.") % {
        "n": minutes
    }


def lockout_response(request, original_response=None, credentials=None):
    """The lock-out answer, for our views and for django-axes (AXES_LOCKOUT_CALLABLE): its
    middleware replaces whatever a locked-out request answered, so an API client would otherwise
    get the HTML page instead of JSON."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": pesan_terkunci(), "kode": "terkunci"}, status=429)
        response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
        return response
    return render(request, "registration/lockout.html", status=429)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if settings.AXES_ENABLED and address_locked(request):
            return lockout_response(request)
        return super().post(request, *args, **kwargs)


class PerangkatTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <raw>` against the hashed device tokens. `request.auth` is the device.

    Every refusal is a 401 whose `kode` tells the offline client what to do with its unsent data:
    only `perangkat_dicabut` (this device revoked on purpose) makes it wipe them."""

    def authenticate_credentials(self, key):
        from tksk.perangkat import AlasanCabut, Perangkat, hash_token

        perangkat = (
            Perangkat.objects.select_related("user").filter(kunci_hash=hash_token(key)).first()
        )
        if perangkat is None or not perangkat.user.is_active:
            raise _gagal("token_tidak_sah", _("Token tidak sah. Silakan masuk kembali."))
        if perangkat.dicabut is not None:
            if perangkat.alasan_cabut == AlasanCabut.DICABUT:
                raise _gagal(
                    "perangkat_dicabut",
                    _("Perangkat ini telah dicabut dari akun Anda. Data di perangkat ini dihapus."),
                )
            raise _gagal("token_tidak_sah", _("Token tidak sah. Silakan masuk kembali."))
        if perangkat.kedaluwarsa <= timezone.now():
            raise _gagal("token_kedaluwarsa", _("Token sudah kedaluwarsa. Silakan masuk kembali."))
        return perangkat.user, perangkat

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            result[1].catat_pakai(client_ip(request._request))
        return result


def _gagal(kode, detail):
    return exceptions.AuthenticationFailed({"detail": detail, "kode": kode})
