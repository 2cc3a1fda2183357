"""Koordinasi: partners (Mitra), activities (Kegiatan) with their photos and follow-ups, and
referrals (Rujukan) from a PPKS record to a partner, tracked to their outcome.

Every record has a UUID that is its only public identifier. Every model declares `scope_path`,
its lookup path to a Wilayah (see tksk/scoping.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pendataan.models import PPKS, PSKS, Individu, Keluarga
from tksk.models import Wilayah
from tksk.privasi import dalam_rantai
from tksk.scoping import ScopedQuerySet


class Dicatat(models.Model):
    """Who/when and a version number for optimistic concurrency (a stale save is refused)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(auto_now=True)
    versi = models.PositiveIntegerField(default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


# --- Mitra -----------------------------------------------------------------------------------


class JenisMitra(models.TextChoices):
    PEMERINTAH = "pemerintah", _("Instansi pemerintah (kecamatan, desa, Puskesmas, Dukcapil…)")
    LEMBAGA_PSKS = "lembaga_psks", _("Lembaga PSKS (Karang Taruna, LKS, LK3, WKSBM, Tagana)")
    PERORANGAN_PSKS = "perorangan_psks", _("Perorangan PSKS (PSM, penyuluh sosial)")
    PENDAMPING = "pendamping", _("Pendamping program (PKH, BPNT, dll.)")
    DUNIA_USAHA = "dunia_usaha", _("Dunia usaha (CSR)")
    TOKOH = "tokoh", _("Tokoh masyarakat/agama")
    LAINNYA = "lainnya", _("Lainnya")


class Mitra(Dicatat):
    """A stakeholder the TKSK works with. Registered at one level (a kecamatan, or a kabupaten or
    the province): every kecamatan below a kabupaten's partner sees it, but only the registering
    level and above may change it."""

    jenis = models.CharField(_("jenis mitra"), max_length=20, choices=JenisMitra.choices)
    nama = models.CharField(_("nama mitra"), max_length=200)
    wilayah = models.ForeignKey(
        Wilayah, models.PROTECT, related_name="+", verbose_name=_("terdaftar di wilayah")
    )
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    narahubung = models.CharField(_("narahubung"), max_length=150, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    layanan = models.TextField(_("layanan yang diberikan"), blank=True)
    psks = models.ForeignKey(
        PSKS,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="mitra",
        verbose_name=_("data PSKS terkait"),
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    # Optional location for the maps (both or neither, inside the province: peta/koordinat.py).
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # The partner link names a sensitive PPKS category (ODHA, trafficking, …) only to a partner
    # that handles such cases; everyone else reads "layanan perlindungan khusus".
    perlindungan_khusus = models.BooleanField(
        _("menangani kasus perlindungan khusus"),
        default=False,
        help_text=_(
            "Centang hanya untuk lembaga yang memang menangani kasus sensitif (mis. UPTD PPA, "
            "layanan HIV Puskesmas, rumah aman). Mitra lain tidak melihat nama kategori "
            "sensitif pada tautan rujukan."
        ),
    )

    scope_path = "wilayah"
    # A kabupaten's or the province's partners are seen by every kecamatan below them.
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        ordering = [Lower("nama")]
        indexes = [models.Index(fields=["wilayah", "aktif"])]
        constraints = [
            models.UniqueConstraint(
                Lower("nama"),
                "wilayah",
                name="mitra_nama_unik_per_wilayah",
                violation_error_message=_(
                    "Mitra dengan nama ini sudah terdaftar di wilayah yang sama."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="mitra_koordinat_sepasang",
                violation_error_message=_(
                    "Isi lintang dan bujur sekaligus, atau kosongkan keduanya."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.nama


# --- Kegiatan --------------------------------------------------------------------------------


class JenisKegiatan(models.TextChoices):
    RAPAT_KOORDINASI = "rapat_koordinasi", _("Rapat koordinasi")
    BIMBINGAN_SOSIAL = "bimbingan_sosial", _("Bimbingan sosial")
    PENYULUHAN_SOSIAL = "penyuluhan_sosial", _("Penyuluhan sosial")
    PENDAMPINGAN = "pendampingan", _("Pendampingan")
    ASESMEN = "asesmen", _("Asesmen")
    KUNJUNGAN_RUMAH = "kunjungan_rumah", _("Kunjungan rumah")
    RESPON_BENCANA = "respon_bencana", _("Respon bencana")


class Kegiatan(Dicatat):
    jenis = models.CharField(_("jenis kegiatan"), max_length=20, choices=JenisKegiatan.choices)
    tanggal = models.DateField(_("tanggal"), db_index=True)
    jam_mulai = models.TimeField(_("jam mulai"), null=True, blank=True)
    jam_selesai = models.TimeField(_("jam selesai"), null=True, blank=True)
    desa = models.ForeignKey(
        Wilayah,
        models.PROTECT,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
        limit_choices_to={"tingkat": "desa"},
    )
    tempat = models.CharField(_("tempat"), max_length=200)
    topik = models.CharField(_("topik"), max_length=255)
    mitra = models.ManyToManyField(
        Mitra, blank=True, related_name="kegiatan", verbose_name=_("mitra yang terlibat")
    )
    peserta_laki = models.PositiveIntegerField(_("peserta laki-laki"), default=0)
    peserta_perempuan = models.PositiveIntegerField(_("peserta perempuan"), default=0)
    # Optional: the persons or households of one's own area who took part.
    peserta_individu = models.ManyToManyField(Individu, blank=True, related_name="+")
    peserta_keluarga = models.ManyToManyField(Keluarga, blank=True, related_name="+")
    notulen = models.TextField(_("notulen/hasil kegiatan"), blank=True)

    scope_path = "desa"

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["-tanggal", "-jam_mulai", "-id"]
        indexes = [models.Index(fields=["desa", "tanggal"])]
        constraints = [
            models.CheckConstraint(
                name="kegiatan_jam_urut",
                condition=Q(jam_mulai__isnull=True)
                | Q(jam_selesai__isnull=True)
                | Q(jam_selesai__gte=models.F("jam_mulai")),
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()}: {self.topik}"

    @property
    def jumlah_peserta(self) -> int:
        return self.peserta_laki + self.peserta_perempuan


class FotoKegiatan(models.Model):
    """A photo of an activity, re-encoded on upload (EXIF and GPS removed), stored under a random
    name outside the static tree and served only through a scoped view."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kegiatan = models.ForeignKey(Kegiatan, models.CASCADE, related_name="foto")
    berkas = models.FileField(max_length=200)
    kecil = models.FileField(max_length=200)
    lebar = models.PositiveIntegerField()
    tinggi = models.PositiveIntegerField()
    ukuran = models.PositiveIntegerField(help_text=_("ukuran berkas tampilan (byte)"))
    keterangan = models.CharField(_("keterangan"), max_length=200, blank=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    diunggah_pada = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "kegiatan__desa"

    class Meta:
        verbose_name = _("foto kegiatan")
        verbose_name_plural = _("foto kegiatan")
        ordering = ["diunggah_pada", "id"]

    def __str__(self) -> str:
        return self.keterangan or f"Foto {self.uuid}"


class StatusTindakLanjut(models.TextChoices):
    BELUM = "belum", _("Belum dikerjakan")
    PROSES = "proses", _("Sedang dikerjakan")
    SELESAI = "selesai", _("Selesai")
    BATAL = "batal", _("Dibatalkan")


TINDAK_LANJUT_TERBUKA = (StatusTindakLanjut.BELUM, StatusTindakLanjut.PROSES)


class TindakLanjut(Dicatat):
    """A follow-up agreed at an activity: what, who (a partner, or the TKSK when empty), by when."""

    kegiatan = models.ForeignKey(Kegiatan, models.CASCADE, related_name="tindak_lanjut")
    uraian = models.CharField(_("tindak lanjut"), max_length=500)
    mitra = models.ForeignKey(
        Mitra,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tindak_lanjut",
        verbose_name=_("penanggung jawab"),
    )
    batas_waktu = models.DateField(_("batas waktu"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=StatusTindakLanjut.choices,
        default=StatusTindakLanjut.BELUM,
        db_index=True,
    )
    catatan = models.TextField(_("catatan"), blank=True)
    selesai_pada = models.DateField(_("tanggal selesai"), null=True, blank=True)

    scope_path = "kegiatan__desa"

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["batas_waktu", "id"]

    def __str__(self) -> str:
        return self.uraian

    @property
    def terlambat(self) -> bool:
        return self.status in TINDAK_LANJUT_TERBUKA and self.batas_waktu < timezone.localdate()

    @property
    def penanggung_jawab(self) -> str:
        return self.mitra.nama if self.mitra_id else "TKSK"


# --- Rujukan ---------------------------------------------------------------------------------


class StatusRujukan(models.TextChoices):
    DIKIRIM = "dikirim", _("Dikirim")
    DITERIMA = "diterima", _("Diterima")
    DIPROSES = "diproses", _("Diproses")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak")


RUJUKAN_TERTUTUP = (StatusRujukan.SELESAI, StatusRujukan.DITOLAK)
# Steps move forward only (a partner may skip one: received and done the same day);
# done and refused are final.
TRANSISI_RUJUKAN = {
    StatusRujukan.DIKIRIM: (
        StatusRujukan.DITERIMA,
        StatusRujukan.DIPROSES,
        StatusRujukan.SELESAI,
        StatusRujukan.DITOLAK,
    ),
    StatusRujukan.DITERIMA: (
        StatusRujukan.DIPROSES,
        StatusRujukan.SELESAI,
        StatusRujukan.DITOLAK,
    ),
    StatusRujukan.DIPROSES: (StatusRujukan.SELESAI, StatusRujukan.DITOLAK),
    StatusRujukan.SELESAI: (),
    StatusRujukan.DITOLAK: (),
}


class Urgensi(models.TextChoices):
    BIASA = "biasa", _("Biasa")
    SEGERA = "segera", _("Segera")
    DARURAT = "darurat", _("Darurat")


class RujukanQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Referrals whose person the user may see: the scoping rule, and (as for the PPKS
        records, see PPKSQuerySet) sensitive categories only inside the recording kecamatan's
        chain. Every door (lists, detail, letter, API, sync) starts here."""
        queryset = super().for_user(user)
        return queryset if dalam_rantai(user) else queryset.exclude(ppks__kategori__sensitif=True)

    def for_counting(self, user):
        """Every referral in scope, sensitive ones included, for aggregates only: counts shown
        to users outside the chain go through small-count suppression."""
        return super().for_user(user)


class Rujukan(Dicatat):
    """A referral of one PPKS record to a partner, with its reference number, its steps and the
    partner link (a long random token whose SHA-256 alone is stored)."""

    nomor = models.CharField(_("nomor surat"), max_length=40, unique=True)
    nomor_urut = models.PositiveIntegerField()
    tahun = models.PositiveSmallIntegerField()
    # The kecamatan whose numbering the reference belongs to (that of the PPKS record).
    kecamatan = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    ppks = models.ForeignKey(PPKS, models.PROTECT, related_name="rujukan", verbose_name=_("PPKS"))
    # Copy of ppks.desa: referrals are scoped and counted by area without a join.
    desa = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    mitra = models.ForeignKey(
        Mitra, models.PROTECT, related_name="rujukan", verbose_name=_("dirujuk ke")
    )
    alasan = models.TextField(_("alasan rujukan"))
    layanan = models.TextField(_("layanan yang dibutuhkan"))
    urgensi = models.CharField(
        _("tingkat urgensi"), max_length=10, choices=Urgensi.choices, default=Urgensi.BIASA
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=StatusRujukan.choices,
        default=StatusRujukan.DIKIRIM,
        db_index=True,
    )
    tanggal_kirim = models.DateField(_("tanggal dikirim"), db_index=True)
    # First answer of the partner (any step after "dikirim"): "no answer after N days" is
    # status == dikirim and tanggal_kirim older than N days.
    dijawab_pada = models.DateTimeField(null=True, blank=True)
    ditutup_pada = models.DateTimeField(null=True, blank=True)
    penandatangan_nama = models.CharField(_("nama penandatangan"), max_length=150)
    penandatangan_jabatan = models.CharField(_("jabatan penandatangan"), max_length=200)
    penandatangan_nip = models.CharField(
        _("NIP/nomor induk penandatangan"), max_length=30, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    token_garam = models.CharField(max_length=64, blank=True, editable=False)
    tautan_berlaku_sampai = models.DateTimeField(null=True, editable=False)

    objects = RujukanQuerySet.as_manager()
    scope_path = "desa"

    class Meta:
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        ordering = ["-tanggal_kirim", "-nomor_urut"]
        indexes = [models.Index(fields=["desa", "status", "tanggal_kirim"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "tahun", "nomor_urut"], name="rujukan_nomor_urut_unik"
            ),
        ]

    def __str__(self) -> str:
        return f"Rujukan {self.nomor}"

    @property
    def tertutup(self) -> bool:
        return self.status in RUJUKAN_TERTUTUP


class RiwayatRujukan(models.Model):
    """One step of a referral: the status it moved to, the date the step happened and a note,
    made by a user of the app or by the partner through the partner link."""

    rujukan = models.ForeignKey(Rujukan, models.CASCADE, related_name="langkah")
    status_dari = models.CharField(max_length=10, blank=True)
    status_ke = models.CharField(max_length=10, choices=StatusRujukan.choices)
    tanggal = models.DateField(_("tanggal"))
    catatan = models.TextField(_("catatan"), blank=True)
    pelaku = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    oleh_mitra = models.BooleanField(default=False)
    nama_pengisi = models.CharField(_("nama petugas mitra"), max_length=150, blank=True)
    waktu = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "rujukan__desa"

    class Meta:
        verbose_name = _("riwayat rujukan")
        verbose_name_plural = _("riwayat rujukan")
        ordering = ["waktu", "id"]

    def __str__(self) -> str:
        return f"{self.rujukan_id}: {self.status_dari or '—'} → {self.status_ke}"


class NomorRujukan(models.Model):
    """The last reference number given per kecamatan and year (locked while a number is taken,
    so two referrals sent at the same moment never share one)."""

    kecamatan = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField()
    terakhir = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "kecamatan"

    class Meta:
        verbose_name = _("penomoran rujukan")
        verbose_name_plural = _("penomoran rujukan")
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "tahun"], name="nomor_rujukan_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.kecamatan_id}/{self.tahun}: {self.terakhir}"


class AksesTautan(models.Model):
    """Every use of a partner link (and every unknown token tried), for the record and for the
    rate limit. The token itself is never stored, only its SHA-256."""

    rujukan = models.ForeignKey(
        Rujukan, models.CASCADE, null=True, blank=True, related_name="akses_tautan"
    )
    token_hash = models.CharField(max_length=64)
    alamat_ip = models.GenericIPAddressField(null=True, blank=True)
    waktu = models.DateTimeField(default=timezone.now)
    aksi = models.CharField(max_length=20)  # lihat, ubah, tidak_dikenal, kedaluwarsa, gagal
    status_ke = models.CharField(max_length=10, blank=True)
    agen = models.CharField(max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "rujukan__desa"

    class Meta:
        verbose_name = _("akses tautan mitra")
        verbose_name_plural = _("akses tautan mitra")
        ordering = ["-waktu"]
        indexes = [
            models.Index(fields=["token_hash", "waktu"]),
            models.Index(fields=["alamat_ip", "waktu"]),
        ]

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.aksi}"
