"""Writing the audit log. Personal numbers never reach it: values are masked before storage."""

from tksk.logging import mask_numbers
from tksk.models import AuditLog


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Axes has already resolved the client address (proxy-aware, per settings).
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def _masked(value):
    if isinstance(value, str):
        return mask_numbers(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(v) for v in value]
    return value


def _baris(*, aksi: str, pelaku, objek, data: dict | None, request) -> AuditLog:
    return AuditLog(
        aksi=aksi,
        pelaku=pelaku if getattr(pelaku, "pk", None) else None,
        objek_tipe=objek._meta.label if objek is not None else "",
        objek_uuid=getattr(objek, "uuid", None),
        objek_label=mask_numbers(str(objek))[:200] if objek is not None else "",
        data=_masked(data or {}),
        alamat_ip=client_ip(request),
    )


def catat(
    *, aksi: str, pelaku=None, objek=None, data: dict | None = None, request=None
) -> AuditLog:
    baris = _baris(aksi=aksi, pelaku=pelaku, objek=objek, data=data, request=request)
    baris.save(force_insert=True)
    return baris


def catat_banyak(*, aksi: str, pelaku=None, objek_data: list[tuple], request=None) -> None:
    """One audit row per (object, data) pair, written with one INSERT per thousand."""
    AuditLog.objects.bulk_create(
        [
            _baris(aksi=aksi, pelaku=pelaku, objek=objek, data=data, request=request)
            for objek, data in objek_data
        ],
        batch_size=1000,
    )
