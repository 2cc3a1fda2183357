"""REST API v1 for laporan: recaps of PPKS and PSKS per area and category, and the monthly TKSK
reports (read only).

* `GET /api/v1/rekap/ppks/?wilayah=KODE[&publik=1][&status=terverifikasi]` (and `rekap/psks/`):
  counts by the next level down × category for an area in the caller's scope (another area is a
  404), from the same selector as the dashboards and the recap exports, with the same small-cell
  rule ("<5" for sensitive categories outside the recording kecamatan's chain, every cell below 5
  with `publik=1`).
* `GET /api/v1/laporan-bulanan/` and `/<uuid>/`: reports in the caller's scope; the numbers are
  those frozen at submission (live ones while a draft), adapted to the caller like on the page.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from laporan import selectors as sel
from laporan.kompilasi import untuk_penampil
from laporan.models import LaporanBulanan
from tksk.api.pagination import Halaman
from tksk.routers import baca_replika

PARAMETER_REKAP = [
    OpenApiParameter("wilayah", str, description="kode wilayah, mis. 62.71 (bawaan: wilayah Anda)"),
    OpenApiParameter("publik", int, enum=[0, 1], description="1: angka di bawah 5 ditulis <5"),
    OpenApiParameter("status", str, enum=["terverifikasi"], description="hanya data terverifikasi"),
]


class RekapView(APIView):
    """Counts by the next level down × category for an area in the caller's scope."""

    jenis = "ppks"

    @extend_schema(
        parameters=PARAMETER_REKAP,
        responses={
            200: inline_serializer(
                "Rekap",
                {
                    "wilayah": serializers.DictField(),
                    "kategori": serializers.ListField(child=serializers.DictField()),
                    "baris": serializers.ListField(child=serializers.DictField()),
                    "total": serializers.DictField(),
                    "data_per": serializers.DateTimeField(allow_null=True),
                },
            )
        },
    )
    def get(self, request):
        user = request.user
        kode = request.query_params.get("wilayah", "")
        wilayah = sel.wilayah_untuk(user, kode) if kode else sel.wilayah_awal(user)
        if wilayah is None:
            # An account without an area sees nothing (not an error).
            return Response({"wilayah": None, "kategori": [], "baris": [], "total": None})
        with baca_replika():
            data = sel.rekap(
                user,
                self.jenis,
                wilayah,
                publik=request.query_params.get("publik") == "1",
                hanya_terverifikasi=request.query_params.get("status") == "terverifikasi",
            )
        kode_kategori = [k.kode for k in data["kategori"]]

        def baris(b):
            w = b["wilayah"]
            return {
                "kode": w.kode,
                "nama": w.nama,
                "tingkat": w.tingkat,
                "jumlah": dict(zip(kode_kategori, b["sel"], strict=True)),
                "total": b["total"],
            }

        return Response(
            {
                "wilayah": {"kode": wilayah.kode, "nama": wilayah.nama, "tingkat": wilayah.tingkat},
                "kategori": [
                    {"kode": k.kode, "singkatan": k.singkatan, "nama": k.nama}
                    for k in data["kategori"]
                ],
                "baris": [baris(b) for b in data["baris"]],
                "total": baris(data["total"]),
                "publik": data["publik"],
                "hanya_terverifikasi": data["hanya_terverifikasi"],
                "data_per": data["terakhir"],
            }
        )


class RekapPPKSView(RekapView):
    jenis = "ppks"


class RekapPSKSView(RekapView):
    jenis = "psks"


class LaporanBulananSerializer(serializers.ModelSerializer):
    kecamatan = serializers.SlugRelatedField(slug_field="kode", read_only=True)
    tksk = serializers.SerializerMethodField()
    bulan = serializers.DateField(format="%Y-%m")
    # Plain text in the schema (its values differ from the records' verification status).
    status = serializers.CharField(
        read_only=True, help_text="draf | diajukan | diterima | dikembalikan"
    )
    isi = serializers.SerializerMethodField()

    class Meta:
        model = LaporanBulanan
        fields = [
            "uuid",
            "kecamatan",
            "bulan",
            "status",
            "tksk",
            "diajukan_pada",
            "ditinjau_pada",
            "catatan_tinjau",
            "kendala",
            "rencana",
            "pendampingan_program",
            "kejadian_khusus",
            "isi",
        ]

    def get_tksk(self, obj) -> str:
        return obj.tksk.get_full_name() or obj.tksk.username

    def get_isi(self, obj) -> dict:
        """The frozen numbers (empty while a draft), as the caller may see them."""
        if not obj.beku or obj.boleh_diubah:
            return {}
        return untuk_penampil(obj.data, self.context["request"].user)


class LaporanBulananViewSet(viewsets.ReadOnlyModelViewSet):
    """Monthly TKSK reports in the caller's scope."""

    serializer_class = LaporanBulananSerializer
    lookup_field = "uuid"
    pagination_class = Halaman

    def get_queryset(self):
        qs = LaporanBulanan.objects.for_user(self.request.user).select_related("kecamatan", "tksk")
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return qs.order_by("-bulan", "kecamatan__kode", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["draf", "diajukan", "diterima", "dikembalikan"])
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router):
    router.register("laporan-bulanan", LaporanBulananViewSet, basename="laporan-bulanan")


urlpatterns = [
    path("rekap/ppks/", RekapPPKSView.as_view(), name="rekap-ppks"),
    path("rekap/psks/", RekapPSKSView.as_view(), name="rekap-psks"),
]
