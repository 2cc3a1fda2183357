"""The base viewsets of every resource: the door rules an outside client relies on.

* `SumberBaca` (read): lookups by `uuid`, pages, the heavy-request rate limit, Indonesian errors
  in the flat format, full NIK/No KK only on detail (or `?nik=lengkap`) and logged.
* `SumberTulis` (write): idempotent create by the client's `uuid` (same body → 200 with the
  stored record, other body → 409), update needing If-Match or `versi` (stale → 409 with the
  current record, none → 428), every write through the app's service (`simpan`).
"""

import uuid as uuidlib
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from tksk.api.galat import PreconditionRequired, pesan_django, ratakan
from tksk.api.pagination import Halaman
from tksk.api.throttle import BeratThrottle, Dibatasi
from tksk.api.versi import etag, sidik, versi_if_match
from tksk.audit import catat
from tksk.konkurensi import RecordChanged, pesan_berubah
from tksk.logging import mask_numbers
from tksk.models import AuditLog
from tksk.uuid_klien import kunci_uuid

PESAN_UUID_BEDA = (
    "uuid ini sudah dipakai untuk data dengan isi yang berbeda. Untuk mengubah data itu, pakai "
    "PUT/PATCH dengan versi terkini; untuk data baru, buat uuid baru."
)
PESAN_UUID_LAIN = "uuid ini sudah dipakai data lain. Buat uuid baru untuk data ini."
PESAN_PERAN = "Peran Anda tidak dapat mengubah data ini."


class SumberBaca(viewsets.GenericViewSet):
    model: Any = None  # the resource's model class
    hasil_serializer_class: Any = None  # the answer to a save (with `peringatan`)
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

    def konflik(self, obj, detail: str | None = None):
        """409 with the current record (`terkini`); by default the stale-version message."""
        detail = detail or pesan_berubah(obj)
        data = self.get_serializer_class()(obj, context=self.get_serializer_context()).data
        response = Response({"detail": detail, "terkini": data}, status=409)
        self.catat_nomor([obj], objek=obj)
        response["ETag"] = etag(obj)
        return response


class SumberTulis(SumberBaca):
    """Create (idempotent) and update with a version check, through the app's service."""

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
            return self.konflik(self.segar(obj))
        except DjangoValidationError as error:
            raise self.galat_simpan(error, serializer.validated_data) from None
        return self.jawab(self.segar(obj), peringatan=peringatan, hasil=True)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)
