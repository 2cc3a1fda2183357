"""REST API v1 for koordinasi: partners (`mitra`), activities (`kegiatan`) and referrals
(`rujukan`).

The door rules are the core's (`tksk.api`), as for pendataan's resources: every read
starts from `for_user` (for referrals it hides sensitive PPKS categories outside the recording
chain), every write goes through koordinasi/services/, creates are
idempotent by the client's `uuid`, updates need If-Match or `versi` (stale → 409, none → 428),
errors are flat `{key: [messages]}` in Indonesian.

* mitra: list/detail/create/update (only the registering level or above may change one: 403).
* kegiatan: list/detail/create/update by the TKSK (and admin); photos only through the web app.
* rujukan: list/detail/create, and `POST /rujukan/<uuid>/langkah/` for the next step.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions
from rest_framework.decorators import action

from koordinasi import services as svc
from koordinasi.models import (
    JenisKegiatan,
    JenisMitra,
    Kegiatan,
    Mitra,
    RiwayatRujukan,
    Rujukan,
    StatusRujukan,
)
from koordinasi.serializers import (
    KegiatanSerializer,
    LangkahRujukanSerializer,
    MitraSerializer,
    RujukanSerializer,
)
from pendataan.models import PSKS
from pendataan.selectors_ppks import ppks_visible
from tksk.api.galat import pesan_django
from tksk.api.saring import SaringSinkron
from tksk.api.skema import ETAG, GALAT, GALAT_400, IF_MATCH_OPSIONAL, skema_sumber
from tksk.api.versi import versi_if_match
from tksk.api.viewsets import SumberTulis
from tksk.kapabilitas import peran
from tksk.konkurensi import RecordChanged, cek_versi

PESAN_MITRA = "Pilih mitra yang ada di wilayah tugas Anda."


# --- filters ----------------------------------------------------------------------------------


class MitraSaring(SaringSinkron):
    desa = None  # partners are registered at a kecamatan or above
    wilayah = django_filters.CharFilter(
        field_name="wilayah__kode", help_text="Kode Kemendagri wilayah tempat mitra terdaftar."
    )
    jenis = django_filters.ChoiceFilter(choices=JenisMitra.choices)
    aktif = django_filters.BooleanFilter()

    class Meta:
        model = Mitra
        fields = ["wilayah", "jenis", "aktif", "search", "updated_since"]

    def cari(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(nama__icontains=value) | Q(narahubung__icontains=value))


class KegiatanSaring(SaringSinkron):
    jenis = django_filters.ChoiceFilter(choices=JenisKegiatan.choices)
    tanggal_dari = django_filters.DateFilter(field_name="tanggal", lookup_expr="gte")
    tanggal_sampai = django_filters.DateFilter(field_name="tanggal", lookup_expr="lte")

    class Meta:
        model = Kegiatan
        fields = ["desa", "jenis", "tanggal_dari", "tanggal_sampai", "search", "updated_since"]

    def cari(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(topik__icontains=value) | Q(tempat__icontains=value))


class RujukanSaring(SaringSinkron):
    status = django_filters.ChoiceFilter(choices=StatusRujukan.choices)
    mitra = django_filters.UUIDFilter(field_name="mitra__uuid", help_text="uuid mitra tujuan.")

    class Meta:
        model = Rujukan
        fields = ["desa", "status", "mitra", "search", "updated_since"]

    def cari(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(nomor__icontains=value) | Q(mitra__nama__icontains=value))


# --- partners ---------------------------------------------------------------------------------

MITRA_KOSONG = {
    "alamat": "",
    "narahubung": "",
    "telepon": "",
    "email": "",
    "layanan": "",
    "psks": None,
    "aktif": True,
}


@extend_schema_view(**skema_sumber("mitra", MitraSerializer, MitraSerializer, tulis=True))
class MitraViewSet(SumberTulis):
    """Partners, written through `mitra_simpan`."""

    model = Mitra
    serializer_class = MitraSerializer
    hasil_serializer_class = MitraSerializer
    filterset_class = MitraSaring
    peran_tulis = peran("koordinasi.mitra")

    def get_queryset(self):
        return (
            Mitra.objects.for_user(self.request.user)
            .select_related("wilayah", "psks", "dibuat_oleh", "diubah_oleh")
            .order_by("diubah_pada", "id")
        )

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        isi = {k: v for k, v in data.items() if k in svc._MITRA_KOLOM}
        if ganti:
            for key, value in MITRA_KOSONG.items():
                isi.setdefault(key, value)
        if isi.get("psks") is not None:
            isi["psks"] = PSKS.objects.for_user(self.request.user).filter(uuid=isi["psks"]).first()
            if isi["psks"] is None:
                raise DjangoValidationError({"psks": "Pilih data PSKS di wilayah tugas Anda."})
        hasil = svc.mitra_simpan(
            pelaku=self.request.user, data=isi, mitra=obj, versi=versi, uuid=uuid
        )
        return hasil, []


# --- activities -------------------------------------------------------------------------------

KEGIATAN_KOSONG = {
    "jam_mulai": None,
    "jam_selesai": None,
    "peserta_laki": 0,
    "peserta_perempuan": 0,
    "notulen": "",
}


@extend_schema_view(**skema_sumber("kegiatan", KegiatanSerializer, KegiatanSerializer, tulis=True))
class KegiatanViewSet(SumberTulis):
    """Activities, written through `kegiatan_simpan` (photos only through the web app)."""

    model = Kegiatan
    serializer_class = KegiatanSerializer
    hasil_serializer_class = KegiatanSerializer
    filterset_class = KegiatanSaring
    peran_tulis = peran("koordinasi.kegiatan")

    def get_queryset(self):
        return (
            Kegiatan.objects.for_user(self.request.user)
            .select_related("desa", "dibuat_oleh", "diubah_oleh")
            .prefetch_related(Prefetch("mitra", queryset=Mitra.objects.only("id", "uuid")))
            .order_by("diubah_pada", "id")
        )

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        isi = {k: v for k, v in data.items() if k in svc._KEGIATAN_KOLOM or k == "desa"}
        if ganti:
            for key, value in KEGIATAN_KOSONG.items():
                isi.setdefault(key, value)
        if "mitra" in data:
            dikirim = set(data["mitra"])
            mitra = list(
                Mitra.objects.for_user(self.request.user)
                .filter(uuid__in=dikirim)
                .values_list("pk", flat=True)
            )
            if len(mitra) != len(dikirim):
                raise DjangoValidationError({"mitra": PESAN_MITRA})
        elif ganti or obj is None:
            mitra = []
        else:
            mitra = [m.pk for m in obj.mitra.all()]
        hasil = svc.kegiatan_simpan(
            pelaku=self.request.user,
            data=isi,
            mitra=mitra,
            kegiatan=obj,
            versi=versi,
            uuid=uuid,
        )
        return hasil, []


# --- referrals --------------------------------------------------------------------------------

_skema_rujukan = skema_sumber("rujukan", RujukanSerializer, RujukanSerializer, tulis=True)
for _aksi in ("update", "partial_update"):
    _skema_rujukan.pop(_aksi)


@extend_schema_view(
    **_skema_rujukan,
    langkah=extend_schema(
        description="Catat langkah berikut rujukan (diterima, diproses, selesai, ditolak) "
        "lewat layanan yang sama dengan halaman web; status PPKS mengikuti (selesai menutupnya, "
        "ditolak mengembalikannya ke dalam penanganan). Status yang tidak mungkin dari status "
        "sekarang atau versi lama → 409 dengan data terkini.",
        request=LangkahRujukanSerializer,
        parameters=[IF_MATCH_OPSIONAL, ETAG],
        responses={
            200: RujukanSerializer,
            400: GALAT_400,
            **GALAT,
            409: OpenApiResponse(
                {
                    "type": "object",
                    "properties": {
                        "detail": {"type": "string"},
                        "terkini": {"$ref": "#/components/schemas/Rujukan"},
                    },
                    "required": ["detail", "terkini"],
                },
                description="Status atau versi tidak sesuai: data terkini.",
            ),
        },
    ),
)
class RujukanViewSet(SumberTulis):
    """Referrals, sent through `rujukan_kirim` and moved on through `rujukan_ubah_status`.
    Referrals are not edited: only their steps are recorded."""

    model = Rujukan
    serializer_class = RujukanSerializer
    hasil_serializer_class = RujukanSerializer
    filterset_class = RujukanSaring
    peran_tulis = peran("koordinasi.rujuk")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        langkah = RiwayatRujukan.objects.select_related("pelaku").order_by("waktu", "id")
        return (
            Rujukan.objects.for_user(self.request.user)
            .select_related("ppks", "mitra", "desa", "kecamatan", "dibuat_oleh", "diubah_oleh")
            .prefetch_related(Prefetch("langkah", queryset=langkah))
            .order_by("diubah_pada", "id")
        )

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        user = self.request.user
        ppks = ppks_visible(user).filter(uuid=data["ppks"]).first()
        mitra = Mitra.objects.for_user(user).filter(uuid=data["mitra"]).first()
        galat = {}
        if ppks is None:
            galat["ppks"] = ["Data PPKS tidak ditemukan di wilayah tugas Anda."]
        if mitra is None:
            galat["mitra"] = ["Pilih mitra aktif di wilayah tugas Anda."]
        if galat:
            raise DjangoValidationError(galat)
        hasil = svc.rujukan_kirim(pelaku=user, ppks=ppks, mitra=mitra, data=dict(data), uuid=uuid)
        return hasil, []

    @action(detail=True, methods=["post"])
    def langkah(self, request, uuid=None):
        obj = self.get_object()
        self.cek_peran()
        isian = LangkahRujukanSerializer(data=request.data)
        isian.is_valid(raise_exception=True)
        data = isian.validated_data
        versi = versi_if_match(request, obj)
        if versi is None:
            versi = data.get("versi")
        try:
            cek_versi(obj, versi)
            svc.rujukan_ubah_status(
                pelaku=request.user,
                rujukan=obj,
                ke=data["status"],
                tanggal=data.get("tanggal"),
                catatan=data.get("catatan", ""),
                versi=versi,
                request=request._request,
            )
        except RecordChanged:
            return self.konflik(self.segar(obj))
        except DjangoValidationError as error:
            transisi = [
                e.message for e in error.error_dict.get("status", []) if e.code == "transisi"
            ]
            if transisi:  # a step impossible from the current status: 409, as a stale version
                return self.konflik(self.segar(obj), transisi[0])
            raise exceptions.ValidationError(pesan_django(error)) from None
        return self.jawab(self.segar(obj))


def register(router):
    router.register("mitra", MitraViewSet, basename="mitra")
    router.register("kegiatan", KegiatanViewSet, basename="kegiatan")
    router.register("rujukan", RujukanViewSet, basename="rujukan")
