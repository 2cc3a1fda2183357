"""The verification actions of pendataan's records (`ajukan`, `verifikasi`, `kembalikan`):
the same transitions and roles as the web app's verification (`verifikasi_massal`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action

from pendataan.models import StatusVerifikasi
from pendataan.riwayat import TRANSISI
from pendataan.serializers import CatatanSerializer, KembalikanSerializer
from pendataan.services import AKSI_VERIFIKASI, kapabilitas_aksi, verifikasi_massal
from tksk.api.galat import pesan_django
from tksk.api.serializers import konflik_serializer
from tksk.api.skema import ETAG, GALAT, GALAT_400, IF_MATCH_OPSIONAL
from tksk.api.versi import versi_if_match
from tksk.kapabilitas import boleh
from tksk.konkurensi import RecordChanged, cek_versi


def skema_verifikasi(data) -> dict:
    """extend_schema_view arguments for the three actions of a resource answered by `data`."""
    konflik = konflik_serializer(data)
    skema = {}
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


class VerifikasiAksi:
    """Mixin of a SumberTulis: the three verification actions, version-checked when If-Match
    is sent; a status already at the goal answers 200 unchanged, an impossible one 409."""

    def verifikasi_aksi(self, request, aksi: str, isian_class):
        obj = self.get_object()
        if not boleh(request.user, kapabilitas_aksi(aksi)):
            raise exceptions.PermissionDenied("Peran Anda tidak dapat melakukan tindakan ini.")
        isian = isian_class(data=request.data)
        isian.is_valid(raise_exception=True)
        ke = AKSI_VERIFIKASI[aksi]
        with transaction.atomic():
            terkunci = self.model.objects.select_for_update().get(pk=obj.pk)
            try:
                cek_versi(terkunci, versi_if_match(request, terkunci))
            except RecordChanged:
                return self.konflik(self.segar(obj))
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
