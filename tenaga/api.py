"""REST API v1 for the TKSK registry: profiles (`tksk`) and the roster import.

The door rules are the core's (`tksk.api`), as for every resource: every read starts from
the scoped queryset (a kabupaten sees its own kecamatan's TKSK, the province all of them,
another area's profile is a 404), every write goes through tenaga/services.py and the import
through tenaga/impor.py (the checks of the spreadsheet import, all rows or none). Creates are
idempotent by the client's `uuid`; updates need If-Match or `versi` (stale → 409, none → 428).

* read (list, detail): Dinas Sosial kabupaten/kota, provinsi and admin; a TKSK reads their own
  profile in the web app (403 here).
* write (create, update, `POST /tksk/impor/`): admin only (403 for everyone else).
* NIK: written in full, always answered masked (`nik_samar`).
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from pendataan.nik import periksa_nik
from tenaga import impor
from tenaga import services as svc
from tenaga.models import SKTKSK, Asal, JenisKelamin, Pendidikan, ProfilTKSK, StatusTKSK
from tksk.api.saring import SaringSinkron
from tksk.api.serializers import HasilSimpanMixin, TanpaValidatorDB, pilihan, uuid_field
from tksk.api.skema import GALAT, GALAT_400, skema_sumber
from tksk.api.viewsets import SumberTulis
from tksk.kapabilitas import izin_api, peran
from tksk.konkurensi import cek_versi
from tksk.models import Role, Tingkat, User, Wilayah

KOSONG = {
    "akun": None,
    "kecamatan": None,
    "pendidikan": "",
    "asal": Asal.LAINNYA,
    "tanggal_lahir": None,
    "tahun_rekrut": None,
    **dict.fromkeys(("telepon", "email", "alamat", "asal_organisasi"), ""),
}

JenisKelaminField = pilihan("JenisKelaminTKSKField", JenisKelamin.choices)
PendidikanField = pilihan("PendidikanTKSKField", Pendidikan.choices)
AsalField = pilihan("AsalTKSKField", Asal.choices)
StatusField = pilihan("StatusTKSKField", StatusTKSK.choices)


@extend_schema_field(OpenApiTypes.STR)
class AkunField(serializers.Field):
    """The TKSK account by its username, among the accounts of the caller's area."""

    def to_representation(self, value):
        return value.username

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError("Tulis username akun TKSK.")
        user = self.context["request"].user
        akun = (
            User.objects.filter(username=data.strip(), role=Role.TKSK, wilayah__isnull=False)
            .filter(wilayah__in=Wilayah.objects.for_user(user))
            .select_related("wilayah")
            .first()
        )
        if akun is None:
            raise serializers.ValidationError("Akun TKSK ini tidak ada di wilayah Anda.")
        return akun


@extend_schema_field(OpenApiTypes.STR)
class KecamatanField(serializers.Field):
    """A kecamatan by its Kemendagri code, inside the caller's scope."""

    def to_representation(self, value):
        return value.kode

    def to_internal_value(self, data):
        user = self.context["request"].user
        w = (
            Wilayah.objects.for_user(user)
            .filter(kode=str(data).strip()[:20], tingkat=Tingkat.KECAMATAN)
            .first()
        )
        if w is None:
            raise serializers.ValidationError("Kode kecamatan tidak ada di wilayah Anda.")
        return w


class SKSerializer(serializers.ModelSerializer):
    class Meta:
        model = SKTKSK
        fields = ["nomor", "tanggal", "penerbit", "mulai", "selesai"]
        read_only_fields = fields


class ProfilSerializer(TanpaValidatorDB):
    """Profil TKSK."""

    uuid = uuid_field(required=False, help_text="Boleh dibuat klien (pembuatan idempoten).")
    akun = AkunField(required=False, allow_null=True, help_text="Username akun TKSK.")
    kecamatan = KecamatanField(
        required=False, help_text="Kode kecamatan tugas; bila ada akun, mengikuti wilayah akun."
    )
    nik = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="NIK 16 angka."
    )
    nik_samar = serializers.CharField(read_only=True, help_text="NIK tersamar.")
    jenis_kelamin = JenisKelaminField()
    pendidikan = PendidikanField(required=False, allow_blank=True)
    asal = AsalField(required=False)
    status = StatusField(read_only=True)
    sk = SKSerializer(many=True, read_only=True)
    versi = serializers.IntegerField(
        required=False, help_text="Wajib saat mengubah (atau If-Match)."
    )

    class Meta:
        model = ProfilTKSK
        fields = [
            "uuid",
            "akun",
            "kecamatan",
            "nama",
            "nik",
            "nik_samar",
            "jenis_kelamin",
            "tanggal_lahir",
            "pendidikan",
            "telepon",
            "email",
            "alamat",
            "asal",
            "asal_organisasi",
            "tahun_rekrut",
            "status",
            "status_alasan",
            "status_tanggal",
            "sk",
            "versi",
            "dibuat_pada",
            "diubah_pada",
        ]
        read_only_fields = ["status_alasan", "status_tanggal", "dibuat_pada", "diubah_pada"]

    def validate_nik(self, value):
        try:
            return periksa_nik(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class ProfilHasilSerializer(HasilSimpanMixin, ProfilSerializer):
    """Profil TKSK yang disimpan, dengan peringatan NIK."""

    class Meta(ProfilSerializer.Meta):
        fields = [*ProfilSerializer.Meta.fields, "peringatan"]


class ImporSerializer(serializers.Serializer):
    baris = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        max_length=impor.BATAS_BARIS,
        help_text="Satu objek per TKSK, dengan kunci kolom templat impor: "
        + ", ".join(impor.KUNCI)
        + ". Nilai berupa teks; tanggal TTTT-BB-HH.",
    )
    simpan = serializers.BooleanField(
        default=False, help_text="false: hanya diperiksa (pratinjau); true: disimpan."
    )


class HasilBarisSerializer(serializers.Serializer):
    baris = serializers.IntegerField(help_text="Urutan dalam `baris` yang dikirim, mulai 1.")
    status = serializers.ChoiceField(choices=["siap", "lewati", "galat"])
    galat = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    peringatan = serializers.ListField(child=serializers.CharField())
    lewati = serializers.CharField(help_text="Alasan dilewati (sudah terdaftar).")


class HasilImporSerializer(serializers.Serializer):
    disimpan = serializers.BooleanField()
    siap = serializers.IntegerField()
    lewati = serializers.IntegerField()
    galat = serializers.IntegerField()
    baris = HasilBarisSerializer(many=True)


class ProfilSaring(SaringSinkron):
    desa = None
    kecamatan = django_filters.CharFilter(field_name="kecamatan__kode")
    kabupaten = django_filters.CharFilter(field_name="kecamatan__kabupaten__kode")
    status = django_filters.ChoiceFilter(choices=StatusTKSK.choices)

    class Meta:
        model = ProfilTKSK
        fields = ["kecamatan", "kabupaten", "status", "search", "updated_since"]

    def cari(self, queryset, name, value):
        return queryset.filter(Q(nama__icontains=value.strip()))


def _hasil_impor(hasil: impor.Pemeriksaan, disimpan: bool) -> dict:
    return {
        "disimpan": disimpan,
        "siap": hasil.jumlah_siap,
        "lewati": hasil.jumlah_lewati,
        "galat": hasil.jumlah_galat,
        "baris": [
            {
                "baris": b.baris,
                "status": b.status,
                "galat": b.galat,
                "peringatan": b.peringatan,
                "lewati": b.lewati,
            }
            for b in hasil.baris
        ],
    }


def _skema() -> dict:
    """The shared resource schema, plus the 403 a TKSK gets on every read here."""
    skema = skema_sumber("profil TKSK", ProfilSerializer, ProfilHasilSerializer, tulis=True)
    baca = {
        "list": "Daftar profil TKSK di wilayah Anda, berurutan (diubah_pada, id).",
        "retrieve": "Satu profil TKSK menurut uuid-nya; wilayah lain menjawab 404.",
    }
    for aksi, keterangan in baca.items():
        skema[aksi] = extend_schema(
            description=keterangan + " Untuk Dinas Sosial kabupaten/kota, provinsi dan admin.",
            responses={200: ProfilSerializer, 400: GALAT_400, **GALAT},
        )
    return skema


@extend_schema_view(**_skema())
class ProfilViewSet(SumberTulis):
    """Profil TKSK, ditulis melalui `profil_simpan` (hanya admin)."""

    model = ProfilTKSK
    serializer_class = ProfilSerializer
    hasil_serializer_class = ProfilHasilSerializer
    filterset_class = ProfilSaring
    permission_classes = [
        IsAuthenticated,
        izin_api(
            "tenaga.lihat",
            "Data TKSK lewat API untuk Dinas Sosial kabupaten/kota, provinsi dan admin.",
        ),
    ]
    peran_tulis = peran("tenaga.ubah_api")

    def get_queryset(self):
        return (
            ProfilTKSK.objects.for_user(self.request.user)
            .select_related("akun", "kecamatan")
            .prefetch_related(Prefetch("sk", queryset=SKTKSK.objects.order_by("-mulai")))
            .order_by("diubah_pada", "id")
        )

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        if obj is not None:
            cek_versi(obj, versi)
        kolom = ["akun", "kecamatan", "nik", *svc.BOLEH_DIUSULKAN]
        isi = {k: data[k] for k in kolom if k in data}
        if obj is not None:
            dasar = {k: getattr(obj, k) for k in kolom}
            if ganti:
                # PUT replaces: what is left out is emptied (the stored NIK stays).
                dasar = {**KOSONG, "nik": obj.nik}
            isi = {**dasar, **isi}
        isi.setdefault("akun", None)
        isi.setdefault("kecamatan", None)
        return svc.profil_simpan(
            pelaku=self.request.user, data=isi, profil=obj, versi=versi, uuid=uuid
        )

    @extend_schema(
        description="Impor daftar TKSK (baris seperti templat spreadsheet). `simpan=false` "
        "hanya memeriksa; `simpan=true` menyimpan semua baris yang siap dalam satu transaksi, "
        "atau tidak sama sekali bila ada satu baris yang salah (400). Baris yang akun atau "
        "NIK-nya sudah terdaftar dilewati. Hanya admin.",
        request=ImporSerializer,
        responses={
            200: OpenApiResponse(HasilImporSerializer, description="Hasil pemeriksaan."),
            201: OpenApiResponse(HasilImporSerializer, description="Disimpan."),
            400: OpenApiResponse(HasilImporSerializer, description="Ada baris yang salah."),
            403: GALAT[403],
        },
    )
    @action(detail=False, methods=["post"])
    def impor(self, request):
        self.cek_peran()
        isian = ImporSerializer(data=request.data)
        if not isian.is_valid():
            raise exceptions.ValidationError(isian.errors)
        rows = [
            {"baris": i, "isian": {k: "" if v is None else str(v) for k, v in r.items()}}
            for i, r in enumerate(isian.validated_data["baris"], start=1)
        ]
        if not isian.validated_data["simpan"]:
            hasil = impor.periksa(pelaku=request.user, rows=rows)
            return Response(_hasil_impor(hasil, False), status=200)
        try:
            hasil = impor.simpan(pelaku=request.user, rows=rows, nama_berkas="API")
        except impor.ImporGagal as gagal:
            return Response(_hasil_impor(gagal.pemeriksaan, False), status=400)
        return Response(_hasil_impor(hasil, True), status=201)


def register(router):
    router.register("tksk", ProfilViewSet, basename="tksk")
