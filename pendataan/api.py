"""REST API v1 for pendataan: households with their members (`keluarga`), persons (`individu`,
read only: they are written through their household), PPKS and PSKS.

The API is one more door into the same code: every read starts from `for_user` (another area's
object is a 404, a list never holds it), every write goes through the services the web forms use
(`keluarga_simpan`, `ppks_simpan`, `psks_simpan`, `verifikasi_massal`).

Rules an outside client relies on (described in the OpenAPI schema as well):
* Idempotent creation: the client may send its own `uuid`. Repeating a create with the same uuid
  and the same body answers 200 with the stored record; the same uuid with another body answers
  409 with the stored record. Concurrent identical creates serialise on a lock per uuid, so a
  retry racing its original never duplicates a household.
* Optimistic concurrency: answers carry `versi` and `ETag: W/"<uuid>-<versi>"`. PUT/PATCH need
  `If-Match` (that ETag) or the `versi` field (If-Match wins when both are sent); a stale one
  answers 409 with the current record, none answers 428.
* PUT replaces: household fields left out are emptied, stored members left out of `anggota` are
  removed as mistaken entries (through the service, which refuses it for a person with PPKS
  records). PATCH merges: fields and members left out stay as they are.
* Validation errors: 400 with `{key: [messages]}` in Indonesian; keys are flat dotted paths, the
  same for serializer and service checks: `no_kk`, `anggota` (the member list as a whole),
  `anggota.1.nik` (position in the `anggota` list sent).
* NIK/No KK: full on detail and write answers, masked in lists unless `?nik=lengkap`; every answer
  carrying full numbers is logged (AuditLog aksi `api_lihat_nik`, with the count).
"""

import base64
import datetime as dt
import hashlib
import json
import re
import uuid as uuidlib

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

from pendataan import selectors
from pendataan.api_cari import CariNomor, saring_individu, saring_keluarga, skema_cari
from pendataan.models import (
    PPKS,
    PSKS,
    Individu,
    JenisPSKS,
    Keluarga,
    StatusPenanganan,
    StatusVerifikasi,
    SubjekPPKS,
)
from pendataan.riwayat import TRANSISI, RecordChanged
from pendataan.serializers import (
    CatatanSerializer,
    GalatSerializer,
    IndividuSerializer,
    KeluargaHasilSerializer,
    KeluargaSerializer,
    KembalikanSerializer,
    PPKSHasilSerializer,
    PPKSSerializer,
    PSKSHasilSerializer,
    PSKSSerializer,
    konflik_serializer,
)
from pendataan.services import (
    AKSI_VERIFIKASI,
    KELUARGA_FIELDS,
    kapabilitas_aksi,
    keluarga_simpan,
    verifikasi_massal,
)
from pendataan.services_ppks import ppks_simpan, psks_simpan
from tksk.audit import catat
from tksk.kapabilitas import boleh, peran
from tksk.logging import mask_numbers
from tksk.models import AuditLog
from tksk.pagination import Halaman
from tksk.uuid_klien import kunci_uuid

PESAN_BERUBAH = (
    "Data ini telah diubah pengguna lain sejak versi yang Anda kirim. Perubahan Anda tidak "
    "disimpan; `terkini` memuat data terbaru. Terapkan ulang perubahan Anda pada versi itu."
)
PESAN_UUID_BEDA = (
    "uuid ini sudah dipakai untuk data dengan isi yang berbeda. Untuk mengubah data itu, pakai "
    "PUT/PATCH dengan versi terkini; untuk data baru, buat uuid baru."
)
PESAN_UUID_LAIN = "uuid ini sudah dipakai data lain. Buat uuid baru untuk data ini."
PESAN_PERAN = "Peran Anda tidak dapat mengubah data ini."


# --- errors -----------------------------------------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Sertakan versi data yang terakhir Anda lihat: header If-Match berisi ETag dari jawaban "
        'sebelumnya (misalnya W/"<uuid>-3") atau kolom `versi`.'
    )
    default_code = "precondition_required"


class Dibatasi(exceptions.Throttled):
    default_detail = "Terlalu banyak permintaan berat (pencarian, halaman besar, NIK lengkap)."
    extra_detail_singular = "Coba lagi dalam {wait} detik."
    extra_detail_plural = "Coba lagi dalam {wait} detik."


def ratakan(errors, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as flat dotted keys: {"anggota": [{}, {"nik": [..]}]} becomes
    {"anggota.1.nik": [..]}; a nested `non_field_errors` belongs to its parent key."""
    flat: dict[str, list[str]] = {}

    def walk(value, key):
        if isinstance(value, dict):
            for name, inner in value.items():
                if name in ("non_field_errors", api_settings.NON_FIELD_ERRORS_KEY) and key:
                    walk(inner, key)
                else:
                    walk(inner, f"{key}.{name}" if key else str(name))
        elif isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
            for i, inner in enumerate(value):
                walk(inner, f"{key}.{i}")
        elif isinstance(value, list):
            flat.setdefault(key or "non_field_errors", []).extend(str(v) for v in value)
        else:
            flat.setdefault(key or "non_field_errors", []).append(str(value))

    walk(errors, prefix)
    return flat


def pesan_django(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): messages
            for key, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


# --- versions (ETag / If-Match) ---------------------------------------------------------------


def etag(obj) -> str:
    return f'W/"{obj.uuid}-{obj.versi}"'


def versi_if_match(request, obj) -> int | None:
    """The version named by If-Match: None without the header, 0 (never a stored version, so
    the save is refused as stale) for an ETag of another record or version format."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    if header == "*":
        raise PreconditionRequired(
            "If-Match: * tidak memuat versi. Kirim ETag dari jawaban sebelumnya atau kolom versi."
        )
    for tag in header.split(","):
        tag = tag.strip()
        tag = tag[2:] if tag.startswith("W/") else tag
        uid, _, versi = tag.strip('"').rpartition("-")
        if uid == str(obj.uuid) and versi.isascii() and versi.isdigit() and len(versi) <= 9:
            return int(versi)
    return 0


def sidik(body) -> str:
    """Fingerprint of a create request's body (key order and spacing do not matter)."""
    teks = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha256:" + base64.b64encode(hashlib.sha256(teks.encode()).digest()).decode()


# --- throttling -------------------------------------------------------------------------------


def permintaan_berat(request, view) -> bool:
    if getattr(view, "action", None) == "cari":
        return True
    if getattr(view, "action", None) != "list":
        return False
    params = request.query_params
    ukuran = params.get("page_size", "")
    return bool(
        params.get("search", "").strip()
        or params.get("nik") == "lengkap"
        or (ukuran.isascii() and ukuran.isdigit() and int(ukuran) > Halaman.page_size)
    )


class BeratThrottle(UserRateThrottle):
    """Rate "berat" per user for heavy list requests (search, page_size over 50, full NIKs)."""

    scope = "berat"

    def get_rate(self):
        # Read at request time, so a changed setting applies without a restart of the class.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if not permintaan_berat(request, view):
            return True
        return super().allow_request(request, view)


# --- filters ----------------------------------------------------------------------------------


class SaringSinkron(django_filters.FilterSet):
    desa = django_filters.CharFilter(
        field_name="desa__kode", help_text="Kode Kemendagri desa/kelurahan, mis. 62.71.01.1002."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        method="sejak",
        help_text="Sinkronisasi bertahap: hanya data yang diubah pada/sesudah waktu ini (ISO "
        "8601, mis. 2026-01-31T08:00:00+07:00). Daftar selalu berurutan (diubah_pada, id), "
        "jadi halaman demi halaman tidak ada baris yang terlewat.",
    )
    search = django_filters.CharFilter(
        method="cari",
        max_length=100,
        help_text="Nama (sebagian). NIK/No KK tidak boleh di alamat (ditolak 400): cari dengan "
        "POST /api/v1/individu/cari/ atau /api/v1/keluarga/cari/. Nomor sebagian tidak dicari.",
    )

    def cari(self, queryset, name, value):
        return queryset

    def sejak(self, queryset, name, value):
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 parsing accepts.
        try:
            value = value.astimezone(dt.UTC)
        except OverflowError:  # beyond year 1 or 9999 once in UTC
            return queryset if value.year < 5000 else queryset.none()
        return queryset.filter(diubah_pada__gte=value)


class _SaringNIK(SaringSinkron):
    nik = django_filters.ChoiceFilter(
        choices=[("lengkap", "lengkap")],
        method="tanpa_saring",
        help_text="`lengkap`: tampilkan NIK/No KK lengkap di daftar (dicatat di log audit).",
    )

    def tanpa_saring(self, queryset, name, value):
        return queryset


class KeluargaSaring(_SaringNIK):
    status = django_filters.ChoiceFilter(choices=StatusVerifikasi.choices)

    class Meta:
        model = Keluarga
        fields = ["desa", "status", "search", "updated_since", "nik"]

    def cari(self, queryset, name, value):
        return selectors.cari_keluarga(queryset, value)[0]


class IndividuSaring(_SaringNIK):
    keluarga = django_filters.UUIDFilter(field_name="keluarga__uuid", help_text="uuid keluarga.")

    class Meta:
        model = Individu
        fields = ["desa", "keluarga", "search", "updated_since", "nik"]

    def cari(self, queryset, name, value):
        return selectors.cari_individu(queryset, value)[0]


def _saring_kategori(queryset, name, value):
    value = value.strip()
    return queryset.filter(Q(kategori__kode__iexact=value) | Q(kategori__singkatan__iexact=value))


class PPKSSaring(SaringSinkron):
    status = django_filters.ChoiceFilter(choices=StatusVerifikasi.choices)
    kategori = django_filters.CharFilter(
        method=_saring_kategori, max_length=20, help_text="Kode (PPKS-08) atau singkatan (LUT)."
    )
    subjek = django_filters.ChoiceFilter(choices=SubjekPPKS.choices)
    status_penanganan = django_filters.ChoiceFilter(choices=StatusPenanganan.choices)

    class Meta:
        model = PPKS
        fields = [
            "desa",
            "status",
            "kategori",
            "subjek",
            "status_penanganan",
            "search",
            "updated_since",
        ]

    def cari(self, queryset, name, value):
        nama, nomor, _pesan = selectors.pencarian(value)
        if nomor == "":
            return queryset.none()
        if nomor:
            return queryset.filter(
                Q(individu__nik=nomor)
                | Q(keluarga__no_kk=nomor)
                | Q(individu__keluarga__no_kk=nomor)
            )
        return queryset.filter(
            Q(individu__nama__icontains=nama)
            | Q(keluarga__nama_kepala__icontains=nama)
            | Q(nama_kelompok__icontains=nama)
        )


class PSKSSaring(SaringSinkron):
    status = django_filters.ChoiceFilter(choices=StatusVerifikasi.choices)
    kategori = django_filters.CharFilter(
        method=_saring_kategori, max_length=20, help_text="Kode (PSKS-05) atau singkatan (KT)."
    )
    jenis = django_filters.ChoiceFilter(choices=JenisPSKS.choices)

    class Meta:
        model = PSKS
        fields = ["desa", "status", "kategori", "jenis", "search", "updated_since"]

    def cari(self, queryset, name, value):
        nama, nomor, _pesan = selectors.pencarian(value)
        if nomor == "":
            return queryset.none()
        if nomor:
            return queryset.filter(individu__nik=nomor)
        return queryset.filter(Q(nama__icontains=nama) | Q(kontak_nama__icontains=nama))


# --- schema pieces ------------------------------------------------------------------------------

ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201, 409],
    description='Versi data: W/"<uuid>-<versi>". Kirim kembali sebagai If-Match saat mengubah.',
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='ETag yang terakhir Anda terima (W/"<uuid>-<versi>"). Wajib ini atau kolom '
    "`versi`; versi lama → 409 dengan data terkini, tanpa keduanya → 428.",
)
IF_MATCH_OPSIONAL = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Opsional: ETag yang terakhir Anda terima; versi lama → 409.",
)
GALAT_400 = OpenApiResponse(
    {
        "type": "object",
        "description": "Pesan per kolom dalam bahasa Indonesia. Kunci berupa jalur bertitik: "
        "`no_kk`, `anggota` (daftar anggota secara keseluruhan), `anggota.1.nik` (anggota ke-2 "
        "pada daftar yang dikirim), `non_field_errors` atau `detail`.",
        "additionalProperties": {
            "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
        },
        "example": {"no_kk": ["No KK harus 16 digit angka; yang diisi 15 digit."]},
    },
    description="Isian tidak valid; tidak ada yang disimpan.",
)
GALAT = {
    403: OpenApiResponse(GalatSerializer, description="Peran Anda tidak dapat melakukan ini."),
    404: OpenApiResponse(GalatSerializer, description="Tidak ada di wilayah tugas Anda."),
}
DIBATASI = {
    429: OpenApiResponse(
        GalatSerializer, description="Terlalu banyak permintaan berat; coba lagi nanti."
    )
}


def skema_sumber(nama: str, data, hasil, *, tulis: bool, verifikasi: bool):
    """extend_schema_view arguments for one resource."""
    konflik = konflik_serializer(data)
    skema = {
        "list": extend_schema(
            description=f"Daftar {nama} di wilayah tugas Anda, berurutan (diubah_pada, id).",
            responses={
                200: data,
                400: GALAT_400,
                404: OpenApiResponse(GalatSerializer, description="Nomor halaman tidak ada."),
                **DIBATASI,
            },
        ),
        "retrieve": extend_schema(
            description=f"Satu {nama} menurut uuid-nya; data wilayah lain menjawab 404.",
            parameters=[ETAG] if tulis else [],
            responses={200: data, 404: GALAT[404]},
        ),
    }
    if tulis:
        skema["create"] = extend_schema(
            description=f"Buat {nama}. Mengulang dengan uuid dan isi yang sama menjawab 200 "
            "dengan data yang tersimpan (tidak menggandakan); uuid sama dengan isi berbeda "
            "menjawab 409.",
            parameters=[ETAG],
            responses={
                201: hasil,
                200: OpenApiResponse(data, description="Sudah dibuat sebelumnya (ulangan)."),
                400: GALAT_400,
                403: GALAT[403],
                409: OpenApiResponse(konflik, description="uuid dipakai dengan isi berbeda."),
            },
        )
        for aksi in ("update", "partial_update"):
            skema[aksi] = extend_schema(
                description=(
                    f"Ganti {nama} (PUT: kolom yang tidak dikirim dikosongkan)."
                    if aksi == "update"
                    else f"Ubah sebagian {nama} (PATCH: yang tidak dikirim tetap)."
                ),
                parameters=[IF_MATCH, ETAG],
                responses={
                    200: hasil,
                    400: GALAT_400,
                    **GALAT,
                    409: OpenApiResponse(konflik, description="Versi lama: data terkini."),
                    428: OpenApiResponse(
                        GalatSerializer, description="Tanpa If-Match maupun versi."
                    ),
                },
            )
    if verifikasi:
        teks = {
            "ajukan": ("Ajukan untuk diverifikasi (TKSK).", CatatanSerializer),
            "verifikasi": ("Verifikasi (Dinas Sosial kabupaten/kota).", CatatanSerializer),
            "kembalikan": (
                "Kembalikan ke TKSK dengan alasan dan catatan (Dinas Sosial kabupaten/kota).",
                KembalikanSerializer,
            ),
        }
        for aksi, (keterangan, isian) in teks.items():
            skema[aksi] = extend_schema(
                description=f"{keterangan} Bila status sudah sesuai tujuan, jawabannya 200 tanpa "
                "perubahan; status yang tidak memungkinkan → 409.",
                request=isian,
                parameters=[IF_MATCH_OPSIONAL, ETAG],
                responses={
                    200: data,
                    400: GALAT_400,
                    **GALAT,
                    409: OpenApiResponse(konflik, description="Status atau versi tidak sesuai."),
                },
            )
    return skema


# --- the shared viewset behaviour ---------------------------------------------------------------


class _Dasar(viewsets.GenericViewSet):
    model = None
    hasil_serializer_class = None
    lookup_field = "uuid"
    pagination_class = Halaman
    filter_backends = [DjangoFilterBackend]
    throttle_classes = [BeratThrottle]

    def nomor_dalam(self, obj) -> int:
        """How many full NIK/No KK an answer about `obj` carries (for the audit log)."""
        return 0

    def nik_lengkap(self) -> bool:
        daftar = self.action in ("list", "cari")
        return not daftar or self.request.query_params.get("nik") == "lengkap"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["nik_lengkap"] = self.nik_lengkap()
        return context

    def throttled(self, request, wait):
        raise Dibatasi(wait)

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        elif isinstance(exc, exceptions.NotFound) and getattr(self, "action", None) == "list":
            exc = exceptions.NotFound("Halaman ini tidak ada; lihat `count` dan `next`.")
        elif isinstance(exc, (Http404, exceptions.NotFound)):
            exc = exceptions.NotFound("Data tidak ditemukan di wilayah tugas Anda.")
        elif isinstance(exc, exceptions.ParseError) and exc.get_codes() == "parse_error":
            exc = exceptions.ParseError("Isi permintaan bukan JSON yang valid.")
        elif isinstance(exc, exceptions.MethodNotAllowed):
            exc = exceptions.MethodNotAllowed(
                self.request.method,
                f"Metode {self.request.method} tidak tersedia untuk alamat ini.",
            )
        elif isinstance(exc, exceptions.AuthenticationFailed):
            exc = exceptions.AuthenticationFailed(
                "Token tidak valid, sudah dicabut, atau akunnya tidak aktif."
            )
        response = super().handle_exception(exc)
        if isinstance(exc, exceptions.ValidationError) and response is not None:
            response.data = ratakan(response.data)
        return response

    def catat_nomor(self, objs, *, objek=None) -> None:
        jumlah = sum(self.nomor_dalam(o) for o in objs) if self.nik_lengkap() else 0
        if jumlah:
            catat(
                aksi="api_lihat_nik",
                pelaku=self.request.user,
                objek=objek,
                data={"tipe": self.basename, "jumlah": jumlah, "aksi": self.action},
                request=self.request._request,
            )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        self.catat_nomor(page)
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return self.jawab(self.get_object())

    def jawab(self, obj, *, status=200, peringatan=None, hasil=False):
        context = {**self.get_serializer_context(), "peringatan": peringatan or []}
        cls = self.hasil_serializer_class if hasil else self.get_serializer_class()
        response = Response(cls(obj, context=context).data, status=status)
        self.catat_nomor([obj], objek=obj)
        if hasattr(obj, "versi"):
            response["ETag"] = etag(obj)
        return response

    def konflik(self, obj, detail: str):
        data = self.get_serializer_class()(obj, context=self.get_serializer_context()).data
        response = Response({"detail": detail, "terkini": data}, status=409)
        self.catat_nomor([obj], objek=obj)
        response["ETag"] = etag(obj)
        return response


class SumberTulis(_Dasar):
    """Create (idempotent), update with a version check, and the verification actions."""

    peran_tulis: frozenset = frozenset()

    def simpan(self, *, obj, data: dict, versi: int | None, ganti: bool, uuid=None):
        """Save through the service; returns (obj, warnings). `uuid`: the client's uuid of a
        new record (the services take it, so that a retried create finds the stored row)."""
        raise NotImplementedError

    def cek_peran(self) -> None:
        if self.request.user.role not in self.peran_tulis:
            raise exceptions.PermissionDenied(PESAN_PERAN)

    def segar(self, obj):
        return self.get_queryset().get(pk=obj.pk)

    def galat_simpan(self, error: DjangoValidationError, data: dict) -> exceptions.ValidationError:
        return exceptions.ValidationError(pesan_django(error))

    def create(self, request, *args, **kwargs):
        self.cek_peran()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        uid = data.get("uuid") or uuidlib.uuid4()
        sidik_ini = sidik(request.data)
        galat = None
        with transaction.atomic():
            kunci_uuid(uid)
            ada = self.model.objects.filter(uuid=uid).first()
            if ada is not None:
                return self.buat_ulang(ada, sidik_ini)
            try:
                obj, peringatan = self.simpan(obj=None, data=data, versi=None, ganti=True, uuid=uid)
            except DjangoValidationError as error:
                if self.model.objects.filter(uuid=uid).exists():
                    # Saved meanwhile by a request that did not take the lock (its unique
                    # violation surfaced as a field error): the stored record answers.
                    return self.buat_ulang(self.model.objects.get(uuid=uid), sidik_ini)
                # Not re-raised inside the transaction: a duplicate-NIK case the service opened
                # for the Dinas must be kept although the save is refused.
                galat = error
            else:
                catat(
                    aksi="api_buat",
                    pelaku=request.user,
                    objek=obj,
                    data={"tipe": self.basename, "sidik": sidik_ini},
                    request=request._request,
                )
        if galat is not None:
            raise self.galat_simpan(galat, data)
        return self.jawab(self.segar(obj), status=201, peringatan=peringatan, hasil=True)

    def buat_ulang(self, ada, sidik_ini: str):
        """A create whose uuid exists: the same request again (200), or a clash (409/400)."""
        terlihat = self.get_queryset().filter(pk=ada.pk).first()
        if terlihat is None:
            raise exceptions.ValidationError({"uuid": [PESAN_UUID_LAIN]})
        tercatat = (
            AuditLog.objects.filter(aksi="api_buat", objek_uuid=ada.uuid)
            .values_list("data", flat=True)
            .first()
        )
        if tercatat and tercatat.get("sidik") == mask_numbers(sidik_ini):
            return self.jawab(terlihat, status=200)
        return self.konflik(terlihat, PESAN_UUID_BEDA)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        self.cek_peran()
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        versi = versi_if_match(request, obj)
        if versi is None:
            versi = serializer.validated_data.get("versi")
        if versi is None:
            raise PreconditionRequired()
        try:
            obj, peringatan = self.simpan(
                obj=obj, data=serializer.validated_data, versi=versi, ganti=not partial
            )
        except RecordChanged:
            return self.konflik(self.segar(obj), PESAN_BERUBAH)
        except DjangoValidationError as error:
            raise self.galat_simpan(error, serializer.validated_data) from None
        return self.jawab(self.segar(obj), peringatan=peringatan, hasil=True)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    # --- verification --------------------------------------------------------------------

    def verifikasi_aksi(self, request, aksi: str, isian_class):
        obj = self.get_object()
        if not boleh(request.user, kapabilitas_aksi(aksi)):
            raise exceptions.PermissionDenied("Peran Anda tidak dapat melakukan tindakan ini.")
        isian = isian_class(data=request.data)
        isian.is_valid(raise_exception=True)
        ke = AKSI_VERIFIKASI[aksi]
        with transaction.atomic():
            terkunci = self.model.objects.select_for_update().get(pk=obj.pk)
            versi = versi_if_match(request, terkunci)
            if versi is not None and versi != terkunci.versi:
                return self.konflik(self.segar(obj), PESAN_BERUBAH)
            if terkunci.status != ke:
                if (terkunci.status, ke) not in TRANSISI:
                    return self.konflik(
                        self.segar(obj),
                        f"Status {StatusVerifikasi(terkunci.status).label} tidak dapat diubah "
                        f"menjadi {StatusVerifikasi(ke).label}.",
                    )
                try:
                    verifikasi_massal(
                        pelaku=request.user,
                        objek=[terkunci],
                        aksi=aksi,
                        alasan=isian.validated_data.get("alasan", ""),
                        catatan=isian.validated_data.get("catatan", ""),
                    )
                except DjangoValidationError as error:
                    raise exceptions.ValidationError(pesan_django(error)) from None
                # The transition saves only its own fields; incremental sync (`updated_since`)
                # must still see the record.
                self.model.objects.filter(pk=obj.pk).update(diubah_pada=timezone.now())
        return self.jawab(self.segar(obj))

    @action(detail=True, methods=["post"])
    def ajukan(self, request, uuid=None):
        return self.verifikasi_aksi(request, "ajukan", CatatanSerializer)

    @action(detail=True, methods=["post"])
    def verifikasi(self, request, uuid=None):
        return self.verifikasi_aksi(request, "verifikasi", CatatanSerializer)

    @action(detail=True, methods=["post"])
    def kembalikan(self, request, uuid=None):
        return self.verifikasi_aksi(request, "kembalikan", KembalikanSerializer)


# --- households ---------------------------------------------------------------------------------

KELUARGA_KOSONG = {
    "no_kk": "",
    "alasan_tanpa_kk": "",
    "rt": "",
    "rw": "",
    "dusun": "",
    "latitude": None,
    "longitude": None,
}
ANGGOTA_KOSONG = {
    "nik": "",
    "alasan_tanpa_nik": "",
    "nama": "",
    "jenis_kelamin": "",
    "tempat_lahir": "",
    "tanggal_lahir": None,
    "hubungan": "",
    "agama": "",
    "pendidikan": "",
    "pekerjaan": "",
    "status_kawin": "",
    "disabilitas": [],
    "status_hidup": "",
    "nama_ibu": "",
}
_KUNCI_ANGGOTA = re.compile(r"anggota\.(\d+)(?:\.(\w+))?$")


@extend_schema_view(
    **skema_sumber(
        "keluarga", KeluargaSerializer, KeluargaHasilSerializer, tulis=True, verifikasi=True
    )
)
@extend_schema_view(cari=skema_cari("keluarga", KeluargaSerializer))
class KeluargaViewSet(CariNomor, SumberTulis):
    """Households with their members (`anggota`), written through `keluarga_simpan`."""

    model = Keluarga
    serializer_class = KeluargaSerializer
    hasil_serializer_class = KeluargaHasilSerializer
    filterset_class = KeluargaSaring
    peran_tulis = peran("pendataan.ubah")

    def get_queryset(self):
        anggota = (
            Individu.objects.select_related("desa")
            .annotate(_urut=selectors.URUTAN_ANGGOTA)
            .order_by("_urut", "tanggal_lahir", "nama", "id")
        )
        return (
            Keluarga.objects.for_user(self.request.user)
            .select_related("desa", "dibuat_oleh", "diubah_oleh", "diverifikasi_oleh")
            .prefetch_related(Prefetch("anggota", queryset=anggota))
            .order_by("diubah_pada", "id")
        )

    def nomor_dalam(self, obj) -> int:
        return bool(obj.no_kk) + sum(1 for a in obj.anggota.all() if a.nik)

    def saring_nomor(self, queryset, kunci, nomor):
        return saring_keluarga(queryset, kunci, nomor)

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        self._dibuang = []  # stored members left out of a PUT, for the error messages
        rumah = {k: data[k] for k in KELUARGA_FIELDS if k in data}
        if ganti:
            for key, value in KELUARGA_KOSONG.items():
                rumah.setdefault(key, value)
        if rumah.get("no_kk") is None and "no_kk" in rumah:
            rumah["no_kk"] = ""
        galat: dict[str, list[str]] = {}
        anggota, dikirim = [], set()
        for i, item in enumerate(data.get("anggota") or []):
            item = dict(item)
            uid = item.pop("uuid", None)
            if uid is not None:
                if obj is None:
                    galat[f"anggota.{i}.uuid"] = [
                        "Jangan kirim uuid anggota saat membuat keluarga; uuid anggota dibuat "
                        "server."
                    ]
                elif uid in dikirim:
                    galat[f"anggota.{i}.uuid"] = ["Anggota yang sama dikirim dua kali."]
                dikirim.add(uid)
                item["uuid"] = str(uid)
            if "nik" in item and item["nik"] is None:
                item["nik"] = ""
            if ganti and not item.get("hapus"):
                for key, value in ANGGOTA_KOSONG.items():
                    item.setdefault(key, value)
            anggota.append(item)
        if galat:
            raise exceptions.ValidationError(galat)
        if ganti and obj is not None:
            for tersimpan in obj.anggota.all():
                if tersimpan.uuid not in dikirim:
                    self._dibuang.append(tersimpan)
                    anggota.append({"uuid": str(tersimpan.uuid), "hapus": True})
        self._jumlah_dikirim = len(data.get("anggota") or [])
        hasil = keluarga_simpan(
            pelaku=self.request.user,
            keluarga=obj,
            data=rumah,
            anggota=anggota,
            versi=versi,
            uuid=uuid,
        )
        return hasil.keluarga, hasil.peringatan

    def galat_simpan(self, error, data):
        """The service's keys, with the members a PUT removes (appended after the ones sent)
        reported on `anggota` by name."""
        pesan: dict[str, list[str]] = {}
        dikirim = getattr(self, "_jumlah_dikirim", 0)
        for key, messages in pesan_django(error).items():
            cocok = _KUNCI_ANGGOTA.match(key)
            if cocok and int(cocok.group(1)) >= dikirim:
                dibuang = self._dibuang[int(cocok.group(1)) - dikirim]
                key = "anggota"
                messages = [
                    f"{dibuang.nama} (tidak dikirim, jadi akan dihapus): {m}" for m in messages
                ]
            pesan.setdefault(key, []).extend(messages)
        return exceptions.ValidationError(pesan)


# --- persons ----------------------------------------------------------------------------------


@extend_schema_view(
    **skema_sumber("individu", IndividuSerializer, None, tulis=False, verifikasi=False)
)
@extend_schema_view(cari=skema_cari("individu", IndividuSerializer))
class IndividuViewSet(CariNomor, _Dasar):
    """Persons (read only): they are created, changed and removed through their household."""

    model = Individu
    serializer_class = IndividuSerializer
    filterset_class = IndividuSaring

    def get_queryset(self):
        return (
            Individu.objects.for_user(self.request.user)
            .select_related("desa", "keluarga")
            .order_by("diubah_pada", "id")
        )

    def nomor_dalam(self, obj) -> int:
        return 1 if obj.nik else 0

    def saring_nomor(self, queryset, kunci, nomor):
        return saring_individu(queryset, kunci, nomor)


# --- PPKS and PSKS ------------------------------------------------------------------------------

PPKS_TULIS = [
    "kategori",
    "subjek",
    "individu",
    "keluarga",
    "nama_kelompok",
    "perkiraan_kk",
    "perkiraan_jiwa",
    "desa",
    "tanggal_identifikasi",
    "deskripsi",
    "kebutuhan",
    "status_penanganan",
]
PSKS_TULIS = [
    "kategori",
    "nama",
    "jenis",
    "desa",
    "alamat",
    "kontak_nama",
    "telepon",
    "kapasitas",
    "layanan",
    "aktif",
    "latitude",
    "longitude",
]


@extend_schema_view(
    **skema_sumber("PPKS", PPKSSerializer, PPKSHasilSerializer, tulis=True, verifikasi=True)
)
class PPKSViewSet(SumberTulis):
    """PPKS identifications. Sensitive categories stay hidden outside the recording chain
    (`PPKS.objects.for_user`)."""

    model = PPKS
    serializer_class = PPKSSerializer
    hasil_serializer_class = PPKSHasilSerializer
    filterset_class = PPKSSaring
    peran_tulis = peran("ppks.catat")

    def get_queryset(self):
        return (
            PPKS.objects.for_user(self.request.user)
            .select_related(
                "kategori",
                "desa",
                "individu",
                "keluarga",
                "dibuat_oleh",
                "diubah_oleh",
                "diverifikasi_oleh",
            )
            .order_by("diubah_pada", "id")
        )

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        isi = {}
        if obj is not None and not ganti:
            isi = {
                "kategori": obj.kategori.kode,
                "subjek": obj.subjek,
                "individu": obj.individu.uuid if obj.individu_id else None,
                "keluarga": obj.keluarga.uuid if obj.keluarga_id else None,
                "nama_kelompok": obj.nama_kelompok,
                "perkiraan_kk": obj.perkiraan_kk,
                "perkiraan_jiwa": obj.perkiraan_jiwa,
                "desa": obj.desa,
                "tanggal_identifikasi": obj.tanggal_identifikasi,
                "deskripsi": obj.deskripsi,
                "kebutuhan": obj.kebutuhan,
                "status_penanganan": obj.status_penanganan,
            }
        isi.update({k: data[k] for k in PPKS_TULIS if k in data})
        return ppks_simpan(pelaku=self.request.user, ppks=obj, data=isi, versi=versi, uuid=uuid)


@extend_schema_view(
    **skema_sumber("PSKS", PSKSSerializer, PSKSHasilSerializer, tulis=True, verifikasi=True)
)
class PSKSViewSet(SumberTulis):
    """The PSKS inventory (social-welfare resources)."""

    model = PSKS
    serializer_class = PSKSSerializer
    hasil_serializer_class = PSKSHasilSerializer
    filterset_class = PSKSSaring
    peran_tulis = peran("ppks.catat")

    def get_queryset(self):
        return (
            PSKS.objects.for_user(self.request.user)
            .select_related(
                "kategori", "desa", "individu", "dibuat_oleh", "diubah_oleh", "diverifikasi_oleh"
            )
            .order_by("diubah_pada", "id")
        )

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        isi = {}
        if obj is not None and not ganti:
            isi = {
                "kategori": obj.kategori.kode,
                "nama": obj.nama,
                "jenis": obj.jenis,
                "desa": obj.desa,
                "alamat": obj.alamat,
                "kontak_nama": obj.kontak_nama,
                "telepon": obj.telepon,
                "kapasitas": obj.kapasitas,
                "layanan": obj.layanan,
                "aktif": obj.aktif,
                "latitude": obj.latitude,
                "longitude": obj.longitude,
            }
        isi.update({k: data[k] for k in PSKS_TULIS if k in data})
        return psks_simpan(pelaku=self.request.user, psks=obj, data=isi, versi=versi, uuid=uuid)


def register(router):
    router.register("keluarga", KeluargaViewSet, basename="keluarga")
    router.register("individu", IndividuViewSet, basename="individu")
    router.register("ppks", PPKSViewSet, basename="ppks")
    router.register("psks", PSKSViewSet, basename="psks")
