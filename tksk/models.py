"""Core models: the Kemendagri area hierarchy, accounts with their role and area, reference
categories, and the audit log."""

import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from tksk.scoping import ScopedQuerySet, sees_everything, user_area


class Tingkat(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten/Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa/Kelurahan")


class WilayahQuerySet(models.QuerySet):
    def for_user(self, user) -> "WilayahQuerySet":
        """Areas a user may see: their own area and everything below it."""
        if sees_everything(user):
            return self.all()
        area = user_area(user)
        if area is None:
            return self.none()
        return self.filter(Q(pk=area.pk) | Q(**{area.tingkat: area}))

    def desa(self):
        return self.filter(tingkat=Tingkat.DESA)


class Wilayah(models.Model):
    """An area in the Kemendagri hierarchy. The dotted code is the key; names may change by decree.

    Every row also points to its ancestors (and to itself at its own level) so that "everything in
    kabupaten X" is one indexed equality, not a prefix search or a recursive query.
    """

    kode = models.CharField(_("kode"), max_length=13, unique=True)
    nama = models.CharField(_("nama"), max_length=100)
    tingkat = models.CharField(_("tingkat"), max_length=10, choices=Tingkat.choices)
    induk = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="anak", verbose_name=_("induk")
    )
    provinsi = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    kabupaten = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    kecamatan = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    sumber = models.CharField(_("sumber"), max_length=200, blank=True)

    objects = WilayahQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]
        constraints = [
            # The composite key lets accounts reference (id, tingkat) so that the database itself
            # refuses a TKSK assigned to anything but a kecamatan.
            models.UniqueConstraint(fields=["id", "tingkat"], name="wilayah_id_tingkat_uniq"),
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def nama_lengkap(self) -> str:
        """Name with its level, e.g. "Kecamatan Pahandut" (kabupaten names already say it)."""
        if self.tingkat == Tingkat.KECAMATAN:
            return f"Kecamatan {self.nama}"
        if self.tingkat == Tingkat.PROVINSI:
            return (
                f"Provinsi {self.nama.title()}" if self.nama.isupper() else f"Provinsi {self.nama}"
            )
        if self.tingkat == Tingkat.DESA:
            prefix = "Kelurahan" if self.kode.rsplit(".", 1)[-1].startswith("1") else "Desa"
            return f"{prefix} {self.nama}"
        return self.nama

    def ancestor(self, tingkat: str) -> "Wilayah | None":
        return {
            Tingkat.PROVINSI: self.provinsi,
            Tingkat.KABUPATEN: self.kabupaten,
            Tingkat.KECAMATAN: self.kecamatan,
        }.get(tingkat, self if self.tingkat == tingkat else None)


class Role(models.TextChoices):
    TKSK = "tksk", _("TKSK")
    KABUPATEN = "kabupaten", _("Dinas Sosial Kabupaten/Kota")
    PROVINSI = "provinsi", _("Dinas Sosial Provinsi")
    ADMIN = "admin", _("Admin")


# The level of area each role is assigned to. Admins may be unassigned (the whole system) or
# limited to a province.
ROLE_TINGKAT = {
    Role.TKSK: Tingkat.KECAMATAN,
    Role.KABUPATEN: Tingkat.KABUPATEN,
    Role.PROVINSI: Tingkat.PROVINSI,
    Role.ADMIN: Tingkat.PROVINSI,
}


class AccountQuerySet(ScopedQuerySet):
    pass


class AccountManager(UserManager.from_queryset(AccountQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.TKSK)
    wilayah = models.ForeignKey(
        Wilayah,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pengguna",
        verbose_name=_("wilayah tugas"),
    )
    # Copy of wilayah.tingkat, tied to it by a composite foreign key (see migration 0002), so the
    # role/level rule below is enforced by the database, not only by forms.
    wilayah_tingkat = models.CharField(max_length=10, blank=True, default="", editable=False)
    # Bumped to end every session of this user (deactivation, logout, password change).
    sesi_versi = models.PositiveIntegerField(default=0, editable=False)
    privasi_disetujui = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AccountManager()

    # Accounts are scoped by their assigned area like any record.
    scope_path = "wilayah"

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                name="user_role_matches_wilayah_level",
                condition=(
                    Q(wilayah__isnull=True, wilayah_tingkat="")
                    | Q(role=Role.TKSK, wilayah_tingkat=Tingkat.KECAMATAN)
                    | Q(role=Role.KABUPATEN, wilayah_tingkat=Tingkat.KABUPATEN)
                    | Q(role__in=[Role.PROVINSI, Role.ADMIN], wilayah_tingkat=Tingkat.PROVINSI)
                ),
            ),
        ]

    def clean(self):
        super().clean()
        self.wilayah_tingkat = self.wilayah.tingkat if self.wilayah_id else ""

    def save(self, *args, **kwargs):
        self.wilayah_tingkat = self.wilayah.tingkat if self.wilayah_id else ""
        super().save(*args, **kwargs)

    def has_perm(self, perm, obj=None) -> bool:
        # The admin role manages everything in the Django admin too (whose querysets are scoped
        # by ScopedAdminMixin), without per-model permission rows.
        if self.is_active and self.role == Role.ADMIN:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.role == Role.ADMIN:
            return True
        return super().has_module_perms(app_label)

    def get_session_auth_hash(self) -> str:
        # Django checks this on every request: changing sesi_versi logs out every session.
        return salted_hmac(
            "tksk.User.get_session_auth_hash",
            f"{self.password}:{self.sesi_versi}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def role_label(self) -> str:
        return self.get_role_display()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def jabatan(self) -> str:
        """How the app addresses the user, e.g. "TKSK Kecamatan Pahandut, Kota Palangkaraya"."""
        area = self.wilayah
        if self.role == Role.ADMIN:
            return "Admin" + (f" {area.nama_lengkap}" if area else " Sistem")
        if area is None:
            return f"{self.get_role_display()} (belum ditugaskan)"
        if self.role == Role.TKSK:
            kab = area.kabupaten
            return f"TKSK {area.nama_lengkap}" + (f", {kab.nama_lengkap}" if kab else "")
        if self.role == Role.KABUPATEN:
            return f"Dinas Sosial {area.nama_lengkap}"
        return f"Dinas Sosial {area.nama_lengkap}"


class Kategori(models.Model):
    """Reference categories (PPKS and PSKS) are tables, not enums: a new regulation adds rows."""

    kode = models.CharField(_("kode"), max_length=10, unique=True)
    nomor = models.PositiveSmallIntegerField(_("nomor"))
    singkatan = models.CharField(_("singkatan"), max_length=10)
    nama = models.CharField(_("nama"), max_length=150)
    unit = models.CharField(_("unit subjek"), max_length=20)
    ringkasan = models.TextField(_("ringkasan"), blank=True)
    berlaku_mulai = models.DateField(_("berlaku mulai"), null=True, blank=True)
    berlaku_sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["nomor"]

    def __str__(self) -> str:
        return f"{self.singkatan} – {self.nama}"


class KategoriPPKS(Kategori):
    usia_min = models.PositiveSmallIntegerField(_("usia minimum"), null=True, blank=True)
    usia_max = models.PositiveSmallIntegerField(_("usia maksimum"), null=True, blank=True)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    sensitif = models.BooleanField(_("sensitif"), default=False)

    class Meta(Kategori.Meta):
        verbose_name = _("kategori PPKS")
        verbose_name_plural = _("kategori PPKS")


class KategoriPSKS(Kategori):
    class Meta(Kategori.Meta):
        verbose_name = _("kategori PSKS")
        verbose_name_plural = _("kategori PSKS")


class AuditLog(models.Model):
    """Append-only record of who did what. The app never updates or deletes rows; a database
    trigger (migration) refuses it as well."""

    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    pelaku = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    aksi = models.CharField(max_length=40, db_index=True)
    objek_tipe = models.CharField(max_length=60, blank=True)
    objek_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    objek_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    alamat_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("log audit")
        verbose_name_plural = _("log audit")
        ordering = ["-waktu"]

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.aksi} {self.objek_label}"


def _nama_logo(instance, filename) -> str:
    # Random names: an uploaded file's name never reaches the disk.
    return f"kop/{secrets.token_hex(16)}.png"


class KopSurat(models.Model):
    """The letterhead of letters and printed documents, edited by admins.

    One row without an area is the default (the provincial Dinas Sosial); a row for a kabupaten
    (or any area) overrides it for documents made there. `kop_untuk` picks the closest.
    """

    wilayah = models.ForeignKey(
        Wilayah,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("berlaku untuk wilayah"),
        help_text=_("Kosongkan untuk kop bawaan; isi untuk kop khusus kabupaten/kota."),
    )
    nama_instansi = models.TextField(
        _("nama instansi"),
        help_text=_(
            "Satu baris per tingkat, mis. PEMERINTAH PROVINSI KALIMANTAN TENGAH lalu DINAS SOSIAL."
        ),
    )
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    telepon = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=_nama_logo,
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
    )
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "wilayah"

    class Meta:
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")
        constraints = [
            # One letterhead per area, and one default (NULL counts as a value here).
            models.UniqueConstraint(
                fields=["wilayah"], name="kopsurat_satu_per_wilayah", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        baris = self.nama_instansi.strip().splitlines()
        return " ".join(b.strip() for b in baris if b.strip()) or "Kop surat"

    @property
    def baris_instansi(self) -> list[str]:
        return [b.strip() for b in self.nama_instansi.splitlines() if b.strip()]


def kop_untuk(wilayah) -> KopSurat | None:
    """The letterhead for a document made in `wilayah`: the row of that area or its closest
    ancestor (desa, kecamatan, kabupaten, provinsi), else the default row, else None."""
    urutan = []
    if wilayah is not None:
        urutan = [
            i
            for i in (
                wilayah.pk,
                wilayah.kecamatan_id,
                wilayah.kabupaten_id,
                wilayah.provinsi_id,
            )
            if i
        ]
    rows = {
        k.wilayah_id: k
        for k in KopSurat.objects.filter(Q(wilayah_id__in=urutan) | Q(wilayah__isnull=True))
    }
    for key in [*urutan, None]:
        if key in rows:
            return rows[key]
    return None


from tksk.perangkat import Perangkat  # noqa: E402,F401  (device tokens live in their own module)


class JobLease(models.Model):
    """A running background job's lease: which worker process holds it and when that worker last
    said it was alive. A lease whose heartbeat is older than JOB_LEASE_DETIK belongs to a worker
    that died (SIGKILL, power loss): tksk.lease takes the job back (see docs/DEPLOYMENT.md)."""

    task_id = models.UUIDField(primary_key=True)
    task_path = models.TextField()
    worker_id = models.CharField(max_length=64)
    pid = models.IntegerField()
    host = models.CharField(max_length=255)
    mulai = models.DateTimeField(_("mulai"))
    detak = models.DateTimeField(_("detak terakhir"), db_index=True)
    # The file the job is writing (relative to MEDIA_ROOT), removed when the lease is taken back.
    berkas = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("sewa pekerjaan")
        verbose_name_plural = _("sewa pekerjaan")

    def __str__(self):
        return f"{self.task_path} @ {self.worker_id} ({self.pid})"
