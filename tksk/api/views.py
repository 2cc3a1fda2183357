"""REST API v1: the shared pieces (token login, scoping, versions, idempotent creation) and the
read-only wilayah resource. Each app adds its resources in its own `api.py`.

Every resource starts from `Model.objects.for_user(user)`: another area's object is a 404 and a
list never contains it, whatever the filters say.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import filters, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from tksk.api.pagination import Halaman
from tksk.audit import catat
from tksk.auth import address_locked, pesan_terkunci
from tksk.models import Wilayah
from tksk.perangkat import AlasanCabut, Perangkat, buat_perangkat, cabut_perangkat


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    nama = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PerangkatRequestSerializer(serializers.Serializer):
    nama = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PerangkatSerializer(serializers.ModelSerializer):
    class Meta:
        model = Perangkat
        fields = ["id", "nama", "dibuat", "kedaluwarsa"]


TOKEN_RESPONSE = inline_serializer(
    "TokenPerangkat", {"token": serializers.CharField(), "perangkat": PerangkatSerializer()}
)


def _device_response(request, user, nama, *, sesi_kunci="", code=status.HTTP_200_OK):
    perangkat, raw = buat_perangkat(
        user=user,
        nama=nama,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        sesi_kunci=sesi_kunci,
    )
    catat(
        aksi="api_token",
        pelaku=user,
        data={"perangkat": perangkat.pk, "nama": perangkat.nama},
        request=request,
    )
    return Response({"token": raw, "perangkat": PerangkatSerializer(perangkat).data}, status=code)


class TokenView(APIView):
    """Exchange a username and password for a new device token (`Authorization: Token <token>`).

    Protected like the login page: the same lock-out per username and address (django-axes), the
    same looser limit per address, and a request rate limit."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TOKEN_RESPONSE})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request
        if address_locked(http_request):
            return _locked()
        user = authenticate(
            http_request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(http_request, "axes_locked_out", False):
            return _locked()
        if user is None:
            return Response(
                {"detail": _("Nama pengguna atau kata sandi salah.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return _device_response(http_request, user, data.validated_data.get("nama", ""))


class PerangkatBaruView(APIView):
    """A device token for the browser that is logged in with its session (the page's CSRF token
    is required). The device is tied to that session: logging out of it revokes the device."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PerangkatRequestSerializer, responses={201: TOKEN_RESPONSE})
    def post(self, request):
        data = PerangkatRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request
        return _device_response(
            http_request,
            request.user,
            data.validated_data.get("nama", ""),
            sesi_kunci=http_request.session.session_key or "",
            code=status.HTTP_201_CREATED,
        )


def _locked():
    return Response(
        {"detail": pesan_terkunci(), "kode": "terkunci"},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(int(settings.AXES_COOLOFF_TIME.total_seconds()))},
    )


class TokenRevokeView(APIView):
    """Revoke the calling device's token (logout on this device); the next request with it is
    refused with `token_tidak_sah`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if isinstance(request.auth, Perangkat):
            cabut_perangkat(
                queryset=Perangkat.objects.filter(pk=request.auth.pk),
                alasan=AlasanCabut.KELUAR,
                pelaku=request.user,
                request=request._request,
            )
        catat(aksi="api_token_cabut", pelaku=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        return self.delete(request)


class WilayahSerializer(serializers.ModelSerializer):
    induk = serializers.SlugRelatedField(slug_field="kode", read_only=True)

    class Meta:
        model = Wilayah
        fields = ["kode", "nama", "tingkat", "induk", "aktif"]


class WilayahViewSet(viewsets.ReadOnlyModelViewSet):
    """Areas in the caller's scope: their own area and everything below it."""

    serializer_class = WilayahSerializer
    lookup_field = "kode"
    lookup_value_regex = r"[0-9.]+"
    pagination_class = Halaman
    filter_backends = [filters.OrderingFilter]
    ordering = ["kode"]

    def get_queryset(self):
        queryset = Wilayah.objects.for_user(self.request.user).select_related("induk")
        tingkat = self.request.query_params.get("tingkat")
        induk = self.request.query_params.get("induk")
        if tingkat:
            queryset = queryset.filter(tingkat=tingkat)
        if induk:
            queryset = queryset.filter(induk__kode=induk)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("tingkat", str, enum=["provinsi", "kabupaten", "kecamatan", "desa"]),
            OpenApiParameter("induk", str, description="kode wilayah induk, mis. 62.71"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def api_view_exempt(urlpatterns):
    """DRF authenticates API requests itself (token or session); the site-wide login redirect
    must not answer them with an HTML login page."""
    for pattern in urlpatterns:
        callback = getattr(pattern, "callback", None)
        if callback is not None:
            pattern.callback = login_not_required(callback)
        for inner in getattr(pattern, "url_patterns", []):
            api_view_exempt([inner])
    return urlpatterns
