"""POST searches by NIK and No KK: the number travels in the body, never in the URL, where it
would end up in every access log. The list endpoints refuse a NIK-like parameter and name these.

Scoped like the lists (`get_queryset` starts from `for_user`), masked like the lists unless
`?nik=lengkap`, always counted as a heavy request for the rate limit."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action

from pendataan.models import Individu
from pendataan.nik import bersihkan_nomor

LABEL = {"nik": "NIK", "no_kk": "No KK"}
NIK_LENGKAP = OpenApiParameter(
    "nik", str, enum=["lengkap"], description="`lengkap`: NIK/No KK lengkap (dicatat di log audit)."
)


def _isian(nama):
    return inline_serializer(
        nama,
        {
            "nik": serializers.CharField(required=False, help_text="NIK lengkap, 16 digit."),
            "no_kk": serializers.CharField(required=False, help_text="No KK lengkap, 16 digit."),
        },
    )


def nomor_dari_badan(data) -> tuple[str, str]:
    """(key, clean 16-digit number) from a body {"nik": …} or {"no_kk": …}; 400 otherwise."""
    if not isinstance(data, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": ['Kirim objek JSON, mis. {"nik": "…"} atau {"no_kk": "…"}.']}
        )
    diisi = [k for k in LABEL if data.get(k) not in (None, "")]
    if len(diisi) != 1:
        raise exceptions.ValidationError(
            {"non_field_errors": ["Isi tepat satu dari `nik` atau `no_kk` (16 digit lengkap)."]}
        )
    kunci = diisi[0]
    try:
        nomor = bersihkan_nomor(data[kunci], label=LABEL[kunci])
    except DjangoValidationError as error:
        raise exceptions.ValidationError({kunci: error.messages}) from None
    return kunci, nomor


class CariNomor:
    """Mixin of the household and person resources: `POST <resource>/cari/`."""

    def saring_nomor(self, queryset, kunci: str, nomor: str):
        raise NotImplementedError

    @action(detail=False, methods=["post"], url_path="cari")
    def cari(self, request, *args, **kwargs):
        kunci, nomor = nomor_dari_badan(request.data)
        queryset = self.saring_nomor(self.get_queryset(), kunci, nomor)
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        self.catat_nomor(page)
        return self.get_paginated_response(data)


def skema_cari(nama: str, serializer):
    return extend_schema(
        summary=f"Cari {nama} dengan NIK/No KK lengkap",
        description=(
            "Nomor dikirim di isi permintaan, tidak di alamat: alamat tercatat di log server. "
            "Hanya data di wilayah tugas Anda; NIK/No KK disamarkan kecuali `?nik=lengkap`."
        ),
        request=_isian(f"Cari{nama.title()}"),
        parameters=[NIK_LENGKAP],
        responses={200: serializer(many=True)},
    )


def saring_keluarga(queryset, kunci, nomor):
    if kunci == "no_kk":
        return queryset.filter(no_kk=nomor)
    return queryset.filter(Exists(Individu.objects.filter(keluarga=OuterRef("pk"), nik=nomor)))


def saring_individu(queryset, kunci, nomor):
    if kunci == "nik":
        return queryset.filter(nik=nomor)
    return queryset.filter(keluarga__no_kk=nomor)
