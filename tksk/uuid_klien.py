"""Creates with a uuid chosen by the client (offline devices, the API): a retry of a create finds
the stored row instead of making a second one.

The uuid is a public identifier, so a uuid that exists outside the acting user's area is refused
with the same words as a missing record: its existence is never revealed.
"""

import uuid as uuidlib

from django.core.exceptions import PermissionDenied
from django.db import connection

PESAN_UMUM = "Data tidak ditemukan di wilayah tugas Anda."


def uuid_sah(value) -> uuidlib.UUID | None:
    if value in (None, ""):
        return None
    if isinstance(value, uuidlib.UUID):
        return value
    try:
        return uuidlib.UUID(str(value))
    except ValueError:
        return None


def kunci_uuid(nilai: uuidlib.UUID) -> None:
    """Serialise creates of one uuid until the transaction ends: a retry racing its original
    waits, then finds the stored record."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)",
            [int.from_bytes(nilai.bytes[:8], "big", signed=True)],
        )


def yang_tersimpan(terlihat, model, nilai):
    """The stored row with uuid `nilai` from the user's queryset `terlihat`, None when no row has
    it; PermissionDenied (generic) when it exists out of the user's reach. Call inside the
    transaction of the create, after `kunci_uuid`."""
    if nilai is None:
        return None
    ada = terlihat.filter(uuid=nilai).first()
    if ada is not None:
        return ada
    if model._default_manager.filter(uuid=nilai).exists():
        raise PermissionDenied(PESAN_UMUM)
    return None
