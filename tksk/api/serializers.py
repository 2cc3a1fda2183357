"""Serializer pieces every app's API shares: Indonesian messages where DRF's translation lacks
them, model serializers without database validators (the services check uniqueness), fields for
desa codes, uuids, coordinates and inline choices, the warnings of a save, the error body and
the 409 answer (schema only)."""

import functools
import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from tksk.models import Tingkat, Wilayah

KODE_DESA = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
PESAN_BUKAN_DAFTAR = "Kirim daftar (array JSON)."
PESAN_BUKAN_OBJEK = "Kirim objek JSON berisi kolom-kolom data."


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$",
        "example": "62.71.01.1002",
    }
)
class KodeDesaField(serializers.Field):
    """A desa/kelurahan given and shown as its Kemendagri code, resolved inside the caller's
    scope: another area's desa is refused like an unknown one."""

    default_error_messages = {
        "invalid": "Tulis kode desa/kelurahan Kemendagri, misalnya 62.71.01.1002.",
        "di_luar": "Desa/kelurahan ini tidak ada di wilayah tugas Anda.",
    }

    def to_representation(self, value):
        return value.kode

    def to_internal_value(self, data):
        if not isinstance(data, str) or not KODE_DESA.fullmatch(data.strip()):
            self.fail("invalid")
        user = self.context["request"].user
        desa = (
            Wilayah.objects.for_user(user).filter(tingkat=Tingkat.DESA, kode=data.strip()).first()
        )
        if desa is None:
            self.fail("di_luar")
        return desa


@extend_schema_field(OpenApiTypes.UUID)
class UUIDRujukanField(serializers.UUIDField):
    """A household or person named by its uuid (resolved by the service inside the scope)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": "Tulis uuid yang valid."})
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        return getattr(value, "uuid", value)

    def to_representation(self, value):
        return str(value) if value else None


def koordinat_field(help_text: str):
    """A latitude or longitude as the models store it (optional, six decimals)."""
    return serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text=help_text,
    )


def uuid_field(**kwargs):
    kwargs.setdefault("error_messages", {"invalid": "Tulis uuid yang valid."})
    return serializers.UUIDField(**kwargs)


# Messages that DRF's Indonesian translation lacks, by field type and error code.
PESAN_JENIS = {
    serializers.BooleanField: {"invalid": "Isi dengan true atau false."},
    serializers.DecimalField: {"invalid": "Isi dengan angka desimal, misalnya -2.2100."},
    serializers.UUIDField: {"invalid": "Tulis uuid yang valid."},
    serializers.ListField: {"not_a_list": PESAN_BUKAN_DAFTAR},
    serializers.CharField: {"invalid": "Isi dengan teks."},
}
PESAN_SURROGATE = "Teks mengandung karakter yang tidak valid (U+{code_point:X})."


def indonesiakan(field) -> None:
    """Fill in the Indonesian messages DRF's translation lacks."""
    for jenis, pesan in PESAN_JENIS.items():
        if isinstance(field, jenis):
            for kode, teks in pesan.items():
                field.error_messages[kode] = teks
    for validator in getattr(field, "validators", []):
        if isinstance(validator, ProhibitSurrogateCharactersValidator):
            validator.message = PESAN_SURROGATE
    child = getattr(field, "child", None)
    if child is not None and not isinstance(child, serializers.BaseSerializer):
        indonesiakan(child)


class SerializerIndonesia(serializers.Serializer):
    default_error_messages = {"invalid": PESAN_BUKAN_OBJEK}

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            indonesiakan(field)
        return fields


class TanpaValidatorDB(SerializerIndonesia, serializers.ModelSerializer):
    """ModelSerializer without the model's database validators: the services check uniqueness
    (with messages that reveal nothing about other areas)."""

    def get_validators(self):
        return []


class HasilSimpanMixin(serializers.Serializer):
    peringatan = serializers.SerializerMethodField(
        help_text="Peringatan yang tidak menolak penyimpanan (misalnya tanggal lahir pada NIK "
        "berbeda dengan yang dicatat, usia tidak sesuai kategori). Periksa kembali datanya."
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_peringatan(self, obj) -> list[str]:
        return list(self.context.get("peringatan", []))


class GalatSerializer(serializers.Serializer):
    """Pesan kesalahan."""

    detail = serializers.CharField()


@functools.cache
def konflik_serializer(data_serializer):
    """Only for the schema: a 409 answer with the record's current state (one class per data
    serializer, so that several operations share one schema component)."""
    name = data_serializer.__name__.replace("Serializer", "")
    return type(
        f"Konflik{name}Serializer",
        (serializers.Serializer,),
        {
            "detail": serializers.CharField(),
            "terkini": data_serializer(read_only=True),
            "__doc__": "Permintaan bertentangan dengan keadaan data saat ini; `terkini` memuat "
            "data terbaru (dengan versinya).",
        },
    )


def pilihan(nama: str, choices) -> type:
    """A ChoiceField whose enum stays inline in the schema (wrapped in allOf, which
    drf-spectacular's enum hook leaves alone). The property names `jenis` and `status` are
    shared between resources: a named enum component for one would rename the others'."""
    nilai = [value for value, _label in choices]
    keterangan = "; ".join(f"`{value}`: {label}" for value, label in choices)

    @extend_schema_field({"allOf": [{"type": "string", "enum": nilai}], "description": keterangan})
    class Pilihan(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    Pilihan.__name__ = Pilihan.__qualname__ = nama
    return Pilihan
