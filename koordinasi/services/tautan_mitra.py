"""The partner's link without login: its use log and rate limit."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from koordinasi.models import AksesTautan, Rujukan
from koordinasi.services.rujukan import hash_token


def tautan_dibatasi(*, token_hash: str, alamat_ip: str | None) -> bool:
    """Whether this address or this token has been used too often recently
    (RUJUKAN_TAUTAN_BATAS_IP / RUJUKAN_TAUTAN_BATAS_TOKEN per RUJUKAN_TAUTAN_JENDELA_MENIT)."""
    menit = int(getattr(settings, "RUJUKAN_TAUTAN_JENDELA_MENIT", 10))
    batas_ip = int(getattr(settings, "RUJUKAN_TAUTAN_BATAS_IP", 30))
    batas_token = int(getattr(settings, "RUJUKAN_TAUTAN_BATAS_TOKEN", 20))
    baru = AksesTautan.objects.filter(waktu__gte=timezone.now() - timedelta(minutes=menit))
    if alamat_ip and baru.filter(alamat_ip=alamat_ip).count() >= batas_ip:
        return True
    return baru.filter(token_hash=token_hash).count() >= batas_token


def tautan_catat(
    *, rujukan, token_hash: str, alamat_ip, aksi: str, status_ke: str = "", agen: str = ""
) -> AksesTautan:
    return AksesTautan.objects.create(
        rujukan=rujukan,
        token_hash=token_hash,
        alamat_ip=alamat_ip,
        aksi=aksi,
        status_ke=status_ke,
        agen=(agen or "")[:200],
    )


def tautan_cari(token: str) -> Rujukan | None:
    """The referral a partner-link token belongs to (whatever its state), or None."""
    if not token or len(token) > 100:
        return None
    return (
        Rujukan.objects.select_related("ppks__kategori", "mitra", "kecamatan")
        .filter(token_hash=hash_token(token))
        .first()
    )
