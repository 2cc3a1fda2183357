"""Serializer pieces every app's API shares: the error body and the 409 answer (schema only)."""

import functools

from rest_framework import serializers


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
