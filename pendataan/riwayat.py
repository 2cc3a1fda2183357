"""History and verification transitions shared by every pendataan record (Keluarga, PPKS, PSKS).

Services call these inside their own transaction; nothing here commits on its own.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Model
from django.utils import timezone

from pendataan.models import Individu, Riwayat, StatusVerifikasi
from tksk.kapabilitas import boleh
from tksk.logging import mask_numbers

# The allowed moves from one status to another, and the capability each needs.
TRANSISI = {
    (StatusVerifikasi.DRAF, StatusVerifikasi.DIAJUKAN): "pendataan.ajukan",
    (StatusVerifikasi.DIKEMBALIKAN, StatusVerifikasi.DIAJUKAN): "pendataan.ajukan",
    (StatusVerifikasi.DIAJUKAN, StatusVerifikasi.TERVERIFIKASI): "pendataan.verifikasi",
    (StatusVerifikasi.DIAJUKAN, StatusVerifikasi.DIKEMBALIKAN): "pendataan.verifikasi",
}


def boleh_transisi(user, obj, ke: str) -> bool:
    """Whether `user` may move `obj` from its current status to `ke`: an allowed path, and the
    capability that path needs."""
    kapabilitas = TRANSISI.get((obj.status, ke))
    return kapabilitas is not None and boleh(user, kapabilitas)


def _plain(value):
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str):
        return mask_numbers(value)
    return value


def snapshot(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def objek_tipe(obj) -> str:
    return obj._meta.model_name


def riwayat_baru(
    *, obj, pelaku, aksi: str, perubahan: dict | None = None, keluarga_uuid=None, **extra
) -> Riwayat:
    """An unsaved history row about `obj` (for bulk writes; catat_riwayat saves one)."""
    if keluarga_uuid is None and isinstance(obj, Individu):
        keluarga_uuid = obj.keluarga.uuid
    if "catatan" in extra:
        extra["catatan"] = mask_numbers(extra["catatan"])
    return Riwayat(
        objek_tipe=objek_tipe(obj),
        objek_uuid=obj.uuid,
        keluarga_uuid=keluarga_uuid,
        desa_id=obj.desa_id,
        pelaku=pelaku if getattr(pelaku, "pk", None) else None,
        aksi=aksi,
        perubahan=perubahan or {},
        **extra,
    )


def catat_riwayat(**kwargs) -> Riwayat:
    """Save one history row. History is append-only: the database refuses UPDATE and DELETE."""
    row = riwayat_baru(**kwargs)
    row.save(force_insert=True)
    return row


def naikkan_versi(obj, pelaku) -> None:
    """Bump the version in the same UPDATE as the save, so two concurrent saves cannot both win."""
    type(obj).objects.filter(pk=obj.pk).update(versi=F("versi") + 1, diubah_oleh=pelaku)
    obj.refresh_from_db(fields=["versi", "diubah_pada"])


def setelah_diubah(obj) -> str | None:
    """A change to a verified or returned record sends it back for verification. Returns the
    previous status when it changed."""
    if obj.status in (StatusVerifikasi.TERVERIFIKASI,):
        before = obj.status
        obj.status = StatusVerifikasi.DIAJUKAN
        return before
    return None


def transisi(obj, *, pelaku, ke: str, alasan: str = "", catatan: str = "") -> Riwayat:
    """Move one record to status `ke`, checking the role and the allowed path; records it."""
    dari = obj.status
    kapabilitas = TRANSISI.get((dari, ke))
    if kapabilitas is None:
        raise ValidationError(
            f"Status {StatusVerifikasi(dari).label} tidak dapat diubah menjadi "
            f"{StatusVerifikasi(ke).label}."
        )
    if not boleh(pelaku, kapabilitas):
        raise PermissionDenied("Peran Anda tidak dapat melakukan perubahan status ini.")
    if ke == StatusVerifikasi.DIKEMBALIKAN and not alasan:
        raise ValidationError({"alasan": "Pilih alasan pengembalian."})
    obj.status = ke
    # diubah_pada too: a client syncing with updated_since must see the new status.
    update = ["status", "diubah_pada"]
    if ke in (StatusVerifikasi.TERVERIFIKASI, StatusVerifikasi.DIKEMBALIKAN):
        obj.diverifikasi_oleh, obj.diverifikasi_pada = pelaku, timezone.now()
        obj.alasan_kembali = alasan if ke == StatusVerifikasi.DIKEMBALIKAN else ""
        obj.catatan_verifikasi = catatan
        update += ["diverifikasi_oleh", "diverifikasi_pada", "alasan_kembali", "catatan_verifikasi"]
    obj.save(update_fields=update)
    return catat_riwayat(
        obj=obj,
        pelaku=pelaku,
        aksi="transisi",
        status_dari=dari,
        status_ke=ke,
        alasan=alasan,
        catatan=catatan,
    )
