"""Reads for the maps. Household points: only the TKSK of the kecamatan and the Dinas of its
kabupaten, one desa at a time, never a household touched by a sensitive PPKS category."""

from django.db.models import Exists, OuterRef

from pendataan.models import PPKS, Keluarga
from tksk.models import Role, Tingkat, Wilayah

PERAN_TITIK = (Role.TKSK, Role.KABUPATEN)


def boleh_titik(user, desa: Wilayah) -> bool:
    """Whether `user` may see the household points of `desa` (a desa in their scope)."""
    if desa.tingkat != Tingkat.DESA or user.role not in PERAN_TITIK or not user.wilayah_id:
        return False
    if user.role == Role.TKSK:
        return user.wilayah_id == desa.kecamatan_id
    return user.wilayah_id == desa.kabupaten_id


def titik_keluarga(user, desa: Wilayah) -> list[tuple[float, float]]:
    """(lng, lat) of the desa's households with GPS, from the user's scoped queryset, leaving out
    every household with a PPKS record of a sensitive category (its own or a member's)."""
    sensitif = PPKS.objects.filter(kategori__sensitif=True)
    qs = (
        Keluarga.objects.for_user(user)
        .filter(desa=desa, latitude__isnull=False, longitude__isnull=False)
        .exclude(Exists(sensitif.filter(keluarga=OuterRef("pk"))))
        .exclude(Exists(sensitif.filter(individu__keluarga=OuterRef("pk"))))
        .order_by("pk")
    )
    return [(float(lng), float(lat)) for lng, lat in qs.values_list("longitude", "latitude")]
