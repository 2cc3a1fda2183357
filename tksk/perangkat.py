"""Device tokens: one row per device a user logged in on, the token itself stored only as a hash.

A raw token is `secrets.token_urlsafe(32)` (256 random bits), shown once when the device is made;
the database keeps its SHA-256, so a copy of the database does not hand out API access. Expiry
slides: `TKSK_TOKEN_IDLE_DAYS` unused ends it, `TKSK_TOKEN_MAX_DAYS` after creation ends it whatever
the use. A revoked row is kept (with why), so the device learns whether it was revoked on purpose
(`perangkat_dicabut`: a lost phone, the client wipes its data) or only has to log in again.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tksk.scoping import ScopedQuerySet

# Last use is written at most this often per device, so a busy client does not write per request.
INTERVAL_CATAT_PAKAI = timedelta(minutes=1)


class AlasanCabut(models.TextChoices):
    DICABUT = "dicabut", _("dicabut dari daftar perangkat")
    SEMUA = "semua", _("keluar dari semua perangkat")
    KELUAR = "keluar", _("keluar dari perangkat ini")
    SANDI = "sandi", _("kata sandi diganti")
    NONAKTIF = "nonaktif", _("akun dinonaktifkan")
    AKTIF_ULANG = "aktif_ulang", _("akun diaktifkan kembali")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def nama_dari_user_agent(user_agent: str) -> str:
    """ "Chrome di Android" from a User-Agent header; good enough for a person to recognise."""
    ua = user_agent or ""
    browsers = [
        (r"Edg/", "Edge"),
        (r"OPR/|Opera", "Opera"),
        (r"SamsungBrowser", "Samsung Internet"),
        (r"Firefox/|FxiOS", "Firefox"),
        (r"Chrome/|CriOS", "Chrome"),
        (r"Safari/", "Safari"),
    ]
    systems = [
        (r"Android", "Android"),
        (r"iPhone|iPad|iPod", "iOS"),
        (r"Windows", "Windows"),
        (r"Mac OS X|Macintosh", "macOS"),
        (r"CrOS", "ChromeOS"),
        (r"Linux", "Linux"),
    ]
    browser = next((name for pattern, name in browsers if re.search(pattern, ua)), None)
    system = next((name for pattern, name in systems if re.search(pattern, ua)), None)
    if browser and system:
        return f"{browser} di {system}"
    return browser or system or str(_("Perangkat tanpa nama"))


class PerangkatQuerySet(ScopedQuerySet):
    def aktif(self):
        return self.filter(dicabut__isnull=True, kedaluwarsa__gt=timezone.now())


class Perangkat(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="perangkat",
        verbose_name=_("pengguna"),
    )
    nama = models.CharField(_("nama perangkat"), max_length=100)
    kunci_hash = models.CharField(max_length=64, unique=True, editable=False)
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    terakhir_dipakai = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    alamat_terakhir = models.GenericIPAddressField(_("dari alamat"), null=True, blank=True)
    kedaluwarsa = models.DateTimeField(_("kedaluwarsa"))
    # The session the device was made from: logging out of it revokes the device.
    sesi_kunci = models.CharField(max_length=40, blank=True, default="", editable=False)
    dicabut = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)
    alasan_cabut = models.CharField(
        _("alasan dicabut"), max_length=12, choices=AlasanCabut.choices, blank=True, default=""
    )

    objects = PerangkatQuerySet.as_manager()

    # Scoped through its owner's area (the Django admin); the pages reach devices only through
    # their owner (`user.perangkat`), so nobody else's device is ever in reach.
    scope_path = "user__wilayah"

    class Meta:
        verbose_name = _("perangkat")
        verbose_name_plural = _("perangkat")
        ordering = ["-dibuat"]
        indexes = [models.Index(fields=["user", "dicabut"], name="perangkat_user_aktif")]

    def __str__(self):
        return f"{self.nama} ({self.user.username})"

    @property
    def batas_akhir(self):
        return self.dibuat + timedelta(days=settings.TKSK_TOKEN_MAX_DAYS)

    @property
    def aktif(self) -> bool:
        return self.dicabut is None and self.kedaluwarsa > timezone.now()

    def _kedaluwarsa_baru(self, now):
        return min(now + timedelta(days=settings.TKSK_TOKEN_IDLE_DAYS), self.batas_akhir)

    def catat_pakai(self, ip: str | None) -> None:
        """Record the use and slide the expiry, at most once a minute (one UPDATE, no read)."""
        now = timezone.now()
        last = self.terakhir_dipakai
        if last is not None and now - last < INTERVAL_CATAT_PAKAI and ip == self.alamat_terakhir:
            return
        self.terakhir_dipakai, self.alamat_terakhir = now, ip
        self.kedaluwarsa = self._kedaluwarsa_baru(now)
        Perangkat.objects.filter(pk=self.pk, dicabut__isnull=True).update(
            terakhir_dipakai=now, alamat_terakhir=ip, kedaluwarsa=self.kedaluwarsa
        )


def buat_perangkat(*, user, nama: str = "", user_agent: str = "", sesi_kunci: str = ""):
    """Make a device for `user`; returns (device, raw token). The raw token is never stored."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    perangkat = Perangkat(
        user=user,
        nama=(nama or "").strip()[:100] or nama_dari_user_agent(user_agent),
        kunci_hash=hash_token(raw),
        dibuat=now,
        sesi_kunci=sesi_kunci or "",
    )
    perangkat.kedaluwarsa = perangkat._kedaluwarsa_baru(now)
    perangkat.save(force_insert=True)
    return perangkat, raw


@transaction.atomic
def cabut_perangkat(*, queryset, alasan: str, pelaku=None, request=None) -> int:
    """Revoke the still-active devices of `queryset`, one audit entry per device."""
    from tksk.audit import catat

    rows = list(queryset.filter(dicabut__isnull=True).select_related("user"))
    if not rows:
        return 0
    now = timezone.now()
    Perangkat.objects.filter(pk__in=[p.pk for p in rows]).update(dicabut=now, alasan_cabut=alasan)
    for p in rows:
        catat(
            aksi="perangkat_cabut",
            pelaku=pelaku,
            objek=p.user,
            data={"perangkat": p.pk, "nama": p.nama, "alasan": alasan},
            request=request,
        )
    return len(rows)
