"""Offline sync: the stored answer of every operation (idempotency by op_id), the conflicts of
two edits of one field, and the change requests for verified records.

Conflicts and change requests carry the desa of their record (`scope_path`), so the TKSK of the
kecamatan and their kabupaten see them and nobody else.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tksk.models import Wilayah
from tksk.scoping import ScopedQuerySet


class Entitas(models.TextChoices):
    KELUARGA = "keluarga", _("Keluarga")
    INDIVIDU = "individu", _("Individu")
    PPKS = "ppks", _("PPKS")
    PSKS = "psks", _("PSKS")
    KEGIATAN = "kegiatan", _("Kegiatan")
    RUJUKAN = "rujukan", _("Rujukan")
    # Children of an activity recorded offline: a named participant, a follow-up, a photo.
    PESERTA = "peserta", _("Peserta kegiatan")
    TINDAK_LANJUT = "tindak_lanjut", _("Tindak lanjut")
    FOTO = "foto", _("Foto kegiatan")


class OperasiSinkron(models.Model):
    """The answer given to one operation of one user: a replay of the op_id gets it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    perangkat = models.ForeignKey(
        "tksk.Perangkat", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    op_id = models.UUIDField()
    entitas = models.CharField(max_length=20, choices=Entitas.choices)
    aksi = models.CharField(max_length=5)
    objek_uuid = models.UUIDField(null=True, blank=True)
    status = models.CharField(max_length=25)
    hasil = models.JSONField(default=dict)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "user__wilayah"

    class Meta:
        verbose_name = _("operasi sinkron")
        verbose_name_plural = _("operasi sinkron")
        constraints = [
            models.UniqueConstraint(fields=["user", "op_id"], name="operasi_sinkron_unik"),
        ]

    def __str__(self):
        return f"{self.entitas} {self.aksi} {self.status}"


class StatusAntrean(models.TextChoices):
    TERBUKA = "terbuka", _("Terbuka")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak")


class Konflik(models.Model):
    """One field edited offline on a device and, meanwhile, on the server to another value."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entitas = models.CharField(max_length=20, choices=Entitas.choices)
    objek_uuid = models.UUIDField(db_index=True)
    # For a member: the household, whose page shows the person.
    induk_uuid = models.UUIDField(null=True, blank=True)
    desa = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    field = models.CharField(_("kolom"), max_length=60)
    label = models.CharField(_("label"), max_length=100, blank=True)
    nilai_saya = models.JSONField(_("nilai di perangkat"), null=True)
    nilai_server = models.JSONField(_("nilai di server"), null=True)
    nilai_dasar = models.JSONField(_("nilai awal"), null=True)
    penulis_saya = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("dari perangkat")
    )
    penulis_server = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("di server oleh"),
    )
    versi_dasar = models.PositiveIntegerField(null=True, blank=True)
    op_id = models.UUIDField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=StatusAntrean.choices, default=StatusAntrean.TERBUKA, db_index=True
    )
    pilihan = models.CharField(max_length=10, blank=True)  # saya | server
    diselesaikan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    diselesaikan_pada = models.DateTimeField(null=True, blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "desa"

    class Meta:
        verbose_name = _("konflik")
        verbose_name_plural = _("konflik")
        ordering = ["-dibuat_pada", "-id"]

    def __str__(self):
        return f"Konflik {self.get_entitas_display()} · {self.label or self.field}"


class PermintaanPerubahan(models.Model):
    """An offline edit of a verified record: kept for the kabupaten to apply or refuse."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entitas = models.CharField(max_length=20, choices=Entitas.choices)
    objek_uuid = models.UUIDField(db_index=True)
    induk_uuid = models.UUIDField(null=True, blank=True)
    desa = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    data = models.JSONField(default=dict)
    dasar = models.JSONField(default=dict, blank=True)
    versi_dasar = models.PositiveIntegerField(null=True, blank=True)
    pengaju = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    op_id = models.UUIDField(null=True, blank=True)
    alasan_ditahan = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=StatusAntrean.choices, default=StatusAntrean.TERBUKA, db_index=True
    )
    catatan = models.TextField(_("catatan"), blank=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "desa"

    class Meta:
        verbose_name = _("permintaan perubahan")
        verbose_name_plural = _("permintaan perubahan")
        ordering = ["-dibuat_pada", "-id"]

    def __str__(self):
        return f"Permintaan perubahan {self.get_entitas_display()}"
