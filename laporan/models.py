"""Laporan: the summary tables the dashboards read, the monthly TKSK report and export jobs.

The summary tables (`Ringkasan*`) are derived data, kept by PostgreSQL triggers on the pendataan
tables (migration 0002, SQL in laporan/sql.py) and rebuilt from scratch by
`manage.py laporan_rebuild_ringkasan`. The application never writes them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tksk.models import Wilayah
from tksk.scoping import ScopedQuerySet


class Metrik(models.TextChoices):
    KELUARGA = "keluarga", _("Keluarga")
    INDIVIDU = "individu", _("Individu (hidup)")
    PPKS = "ppks", _("PPKS")
    PSKS = "psks", _("PSKS")


class RingkasanDesa(models.Model):
    """Current counts per desa × metric × category × verification status × sex.

    Persons count under their household's verification status (persons have none of their own;
    the person list filters on the household's) and only while alive. `kategori_id` is 0 for
    households and persons; `jenis_kelamin` is "" when not applicable. Rows whose count reaches 0
    stay (with n = 0): they still carry the time of the last change in their cell.
    """

    pk = models.CompositePrimaryKey("desa_id", "metrik", "kategori_id", "status", "jenis_kelamin")
    desa = models.ForeignKey(Wilayah, models.DO_NOTHING, db_constraint=False, related_name="+")
    metrik = models.CharField(max_length=10, choices=Metrik.choices)
    kategori_id = models.IntegerField(default=0)
    status = models.CharField(max_length=15)
    jenis_kelamin = models.CharField(max_length=1, default="", blank=True)
    n = models.BigIntegerField(default=0)
    diubah_pada = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()
    scope_path = "desa"

    class Meta:
        db_table = "laporan_ringkasan_desa"
        verbose_name = _("ringkasan desa")
        verbose_name_plural = _("ringkasan desa")

    def __str__(self) -> str:
        return f"{self.desa_id} {self.metrik} {self.kategori_id} {self.status}: {self.n}"


class RingkasanKecamatan(models.Model):
    """The same counts rolled up per kecamatan (no sex): what province and kabupaten dashboards
    read, so their cost follows the number of kecamatan, not of desa or of records."""

    pk = models.CompositePrimaryKey("kecamatan_id", "metrik", "kategori_id", "status")
    kecamatan = models.ForeignKey(Wilayah, models.DO_NOTHING, db_constraint=False, related_name="+")
    metrik = models.CharField(max_length=10, choices=Metrik.choices)
    kategori_id = models.IntegerField(default=0)
    status = models.CharField(max_length=15)
    n = models.BigIntegerField(default=0)
    diubah_pada = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()
    scope_path = "kecamatan"

    class Meta:
        db_table = "laporan_ringkasan_kecamatan"
        verbose_name = _("ringkasan kecamatan")
        verbose_name_plural = _("ringkasan kecamatan")

    def __str__(self) -> str:
        return f"{self.kecamatan_id} {self.metrik} {self.kategori_id} {self.status}: {self.n}"


class RingkasanBulan(models.Model):
    """New PPKS identifications per kecamatan × category × status × month of identification
    (the 12-month trend)."""

    pk = models.CompositePrimaryKey("kecamatan_id", "metrik", "kategori_id", "status", "bulan")
    kecamatan = models.ForeignKey(Wilayah, models.DO_NOTHING, db_constraint=False, related_name="+")
    metrik = models.CharField(max_length=10, choices=Metrik.choices)
    kategori_id = models.IntegerField(default=0)
    status = models.CharField(max_length=15)
    bulan = models.DateField()
    n = models.BigIntegerField(default=0)
    diubah_pada = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()
    scope_path = "kecamatan"

    class Meta:
        db_table = "laporan_ringkasan_bulan"
        verbose_name = _("ringkasan bulanan")
        verbose_name_plural = _("ringkasan bulanan")

    def __str__(self) -> str:
        return f"{self.kecamatan_id} {self.metrik} {self.bulan:%Y-%m}: {self.n}"


# --- Monthly TKSK report ----------------------------------------------------------------------


class StatusLaporan(models.TextChoices):
    DRAF = "draf", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan")
    DITERIMA = "diterima", _("Diterima")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")


class LaporanBulanan(models.Model):
    """The monthly report of one TKSK (one per TKSK per month).

    The numbers are compiled from the month's records; while a draft (or returned) the report
    shows them live, and on submission they are frozen in `data`, so later edits of the records
    never change a submitted report.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tksk = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="laporan_bulanan"
    )
    kecamatan = models.ForeignKey(
        Wilayah, models.PROTECT, related_name="+", limit_choices_to={"tingkat": "kecamatan"}
    )
    bulan = models.DateField(_("bulan"), help_text=_("tanggal 1 bulan laporan"))
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=StatusLaporan.choices,
        default=StatusLaporan.DRAF,
        db_index=True,
    )
    nomor_sk = models.CharField(_("nomor SK/ID TKSK"), max_length=100, blank=True)
    pendampingan_program = models.TextField(_("catatan pendampingan program"), blank=True)
    kejadian_khusus = models.TextField(_("kejadian khusus/bencana"), blank=True)
    kendala = models.TextField(_("kendala"), blank=True)
    rencana = models.TextField(_("rencana bulan depan"), blank=True)
    nama_camat = models.CharField(_("nama Camat"), max_length=150, blank=True)
    nip_camat = models.CharField(_("NIP Camat"), max_length=30, blank=True)
    # The compiled numbers and rows, frozen at submission (empty while a draft).
    data = models.JSONField(default=dict, blank=True, editable=False)
    dibekukan_pada = models.DateTimeField(null=True, blank=True, editable=False)
    diajukan_pertama_pada = models.DateTimeField(null=True, blank=True, editable=False)
    diajukan_pada = models.DateTimeField(null=True, blank=True, editable=False)
    ditinjau_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    ditinjau_pada = models.DateTimeField(null=True, blank=True, editable=False)
    catatan_tinjau = models.TextField(_("catatan peninjau"), blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True)
    versi = models.PositiveIntegerField(default=1)

    objects = ScopedQuerySet.as_manager()
    scope_path = "kecamatan"

    class Meta:
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        ordering = ["-bulan", "kecamatan__kode"]
        indexes = [models.Index(fields=["kecamatan", "bulan"])]
        constraints = [
            models.UniqueConstraint(fields=["tksk", "bulan"], name="laporan_satu_per_tksk_bulan"),
            models.CheckConstraint(condition=Q(bulan__day=1), name="laporan_bulan_tanggal_1"),
        ]

    def __str__(self) -> str:
        return f"Laporan bulanan {self.bulan:%m/%Y} · {self.kecamatan}"

    @property
    def beku(self) -> bool:
        return bool(self.dibekukan_pada)

    @property
    def boleh_diubah(self) -> bool:
        return self.status in (StatusLaporan.DRAF, StatusLaporan.DIKEMBALIKAN)


class RiwayatLaporan(models.Model):
    """Every transition of a monthly report: who, when, from/to, and the note."""

    laporan = models.ForeignKey(LaporanBulanan, models.CASCADE, related_name="riwayat")
    waktu = models.DateTimeField(auto_now_add=True)
    pelaku = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    status_dari = models.CharField(max_length=15, blank=True)
    status_ke = models.CharField(max_length=15)
    catatan = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "laporan__kecamatan"

    class Meta:
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        ordering = ["waktu", "id"]

    def __str__(self) -> str:
        return f"{self.status_dari or '—'} → {self.status_ke}"


# --- Export jobs ------------------------------------------------------------------------------


class StatusEkspor(models.TextChoices):
    ANTRI = "antri", _("Menunggu giliran")
    PROSES = "proses", _("Sedang disiapkan")
    SELESAI = "selesai", _("Siap diunduh")
    GAGAL = "gagal", _("Gagal")


class BerkasEkspor(models.Model):
    """A person-level export too large to stream in one request, prepared by a background job.

    The file lives under MEDIA_ROOT/ekspor/ with a random name, is served only to the user who
    asked for it (and only while it is still in their scope), and is deleted when it expires.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pemohon = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    wilayah = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    jenis = models.CharField(max_length=10)  # keluarga / individu / ppks
    format = models.CharField(max_length=5)  # csv / xlsx
    parameter = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=StatusEkspor.choices, default=StatusEkspor.ANTRI
    )
    jumlah_baris = models.PositiveIntegerField(null=True, blank=True)
    berkas = models.CharField(max_length=200, blank=True)
    nama_unduhan = models.CharField(max_length=150, blank=True)
    pesan = models.CharField(max_length=255, blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)
    kedaluwarsa_pada = models.DateTimeField(db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "wilayah"

    class Meta:
        verbose_name = _("berkas ekspor")
        verbose_name_plural = _("berkas ekspor")
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"Ekspor {self.jenis} {self.format} ({self.get_status_display()})"
