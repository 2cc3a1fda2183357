"""The province's registry of its TKSK: the person behind an account, their SK periods, where
they served, their status, the bimtek they attended and the certificates they earned.

Every model reaches the kecamatan the TKSK serves in (`scope_path`), so the one scoping rule
applies: a TKSK sees their own profile, a kabupaten its kecamatan's, the province all of them.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tksk.models import Wilayah
from tksk.scoping import ScopedQuerySet


class Dicatat(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", editable=False
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", editable=False
    )
    diubah_pada = models.DateTimeField(auto_now=True)
    versi = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class JenisKelamin(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Asal(models.TextChoices):
    KARANG_TARUNA = "karang_taruna", _("Karang Taruna")
    PSM = "psm", _("Pekerja Sosial Masyarakat (PSM)")
    LAINNYA = "lainnya", _("Lainnya")


class Pendidikan(models.TextChoices):
    SMA = "sma", _("SMA/SMK/sederajat")
    D3 = "d3", _("Diploma (D1–D3)")
    S1 = "s1", _("S1/D4")
    S2 = "s2", _("S2 atau lebih tinggi")
    LAINNYA = "lainnya", _("Lainnya")


class StatusTKSK(models.TextChoices):
    AKTIF = "aktif", _("Aktif")
    CUTI = "cuti", _("Cuti")
    DIBERHENTIKAN = "diberhentikan", _("Diberhentikan")
    MENINGGAL = "meninggal", _("Meninggal dunia")


class ProfilTKSK(Dicatat):
    """One person, whatever their login: the account may change, the profile stays."""

    akun = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="profil_tksk",
        verbose_name=_("akun"),
        limit_choices_to={"role": "tksk"},
    )
    # The kecamatan served now (or last): kept equal to the account's area by the services.
    kecamatan = models.ForeignKey(
        Wilayah,
        models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan tugas"),
        limit_choices_to={"tingkat": "kecamatan"},
    )
    nama = models.CharField(_("nama lengkap"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    pendidikan = models.CharField(
        _("pendidikan terakhir"), max_length=10, choices=Pendidikan.choices, blank=True
    )
    telepon = models.CharField(_("telepon/WA"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    asal = models.CharField(_("asal"), max_length=15, choices=Asal.choices, default=Asal.LAINNYA)
    asal_organisasi = models.CharField(_("nama organisasi asal"), max_length=150, blank=True)
    tahun_rekrut = models.PositiveSmallIntegerField(
        _("tahun pertama direkrut"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=15, choices=StatusTKSK.choices, default=StatusTKSK.AKTIF
    )
    status_alasan = models.CharField(_("alasan status"), max_length=255, blank=True)
    status_tanggal = models.DateField(_("tanggal status"), null=True, blank=True)

    scope_path = "kecamatan"

    class Meta:
        verbose_name = _("profil TKSK")
        verbose_name_plural = _("profil TKSK")
        ordering = ["kecamatan__kode", "nama"]
        indexes = [models.Index(fields=["kecamatan", "status"])]

    def __str__(self) -> str:
        return self.nama

    @property
    def nik_samar(self) -> str:
        from tksk.privasi import samarkan

        return samarkan(self.nik)

    @property
    def sk_terakhir(self):
        # Uses the prefetched list when there is one (the profile page).
        daftar = list(self.sk.all())
        return max(daftar, key=lambda s: s.mulai) if daftar else None


class SKTKSK(models.Model):
    """One appointment decree (SK) and the period it covers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    profil = models.ForeignKey(ProfilTKSK, models.CASCADE, related_name="sk")
    nomor = models.CharField(_("nomor SK"), max_length=100)
    tanggal = models.DateField(_("tanggal SK"))
    penerbit = models.CharField(_("instansi penerbit"), max_length=150)
    mulai = models.DateField(_("berlaku mulai"))
    selesai = models.DateField(_("berlaku sampai"))
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "profil__kecamatan"

    class Meta:
        verbose_name = _("SK TKSK")
        verbose_name_plural = _("SK TKSK")
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(condition=Q(selesai__gte=F("mulai")), name="sk_selesai_mulai"),
        ]

    def __str__(self) -> str:
        return self.nomor


class Penugasan(models.Model):
    """Where a TKSK served, from when to when; opened and closed when the account moves."""

    profil = models.ForeignKey(ProfilTKSK, models.CASCADE, related_name="penugasan")
    kecamatan = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"), null=True, blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    # The profile's current kecamatan: a TKSK's whole history is seen where they serve now.
    scope_path = "profil__kecamatan"

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["-mulai", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profil"], condition=Q(selesai__isnull=True), name="penugasan_satu_terbuka"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kecamatan} sejak {self.mulai:%d-%m-%Y}"


class StatusUsulan(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DITERIMA = "diterima", _("Diterima")
    DITOLAK = "ditolak", _("Ditolak")


class UsulanPerubahan(models.Model):
    """A kabupaten's proposed change to a profile, applied only when the province accepts it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    profil = models.ForeignKey(ProfilTKSK, models.CASCADE, related_name="usulan")
    data = models.JSONField(default=dict)
    alasan = models.TextField(_("alasan usulan"))
    status = models.CharField(
        max_length=10, choices=StatusUsulan.choices, default=StatusUsulan.DIAJUKAN
    )
    diusulkan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    diusulkan_pada = models.DateTimeField(auto_now_add=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    catatan = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "profil__kecamatan"

    class Meta:
        verbose_name = _("usulan perubahan profil")
        verbose_name_plural = _("usulan perubahan profil")
        ordering = ["-diusulkan_pada"]

    def __str__(self) -> str:
        return f"Usulan untuk {self.profil}"


# --- training -----------------------------------------------------------------------------------


class Bimtek(Dicatat):
    """A training event. Held for an area (usually the province): seen by everyone below it."""

    judul = models.CharField(_("judul"), max_length=200)
    penyelenggara = models.CharField(_("penyelenggara"), max_length=150)
    wilayah = models.ForeignKey(Wilayah, models.PROTECT, related_name="+", editable=False)
    mulai = models.DateField(_("tanggal mulai"))
    selesai = models.DateField(_("tanggal selesai"))
    tempat = models.CharField(_("tempat"), max_length=200)
    jam_pelajaran = models.PositiveSmallIntegerField(_("jumlah jam pelajaran"))
    penandatangan_nama = models.CharField(_("nama penandatangan"), max_length=150, blank=True)
    penandatangan_jabatan = models.CharField(_("jabatan penandatangan"), max_length=150, blank=True)

    scope_path = "wilayah"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("bimtek")
        verbose_name_plural = _("bimtek")
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(
                condition=Q(selesai__gte=F("mulai")), name="bimtek_selesai_mulai"
            ),
        ]

    def __str__(self) -> str:
        return self.judul

    @property
    def hari(self):
        from datetime import timedelta

        return [self.mulai + timedelta(days=i) for i in range((self.selesai - self.mulai).days + 1)]


def _nama_materi(instance, filename) -> str:
    # Random names: an uploaded file's name never reaches the disk.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"bimtek/{secrets.token_hex(16)}.{ext}"


class MateriBimtek(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bimtek = models.ForeignKey(Bimtek, models.CASCADE, related_name="materi")
    nama = models.CharField(_("nama berkas"), max_length=150)
    berkas = models.FileField(upload_to=_nama_materi)
    jenis = models.CharField(max_length=10)
    ukuran = models.PositiveIntegerField()
    diunggah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    diunggah_pada = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "bimtek__wilayah"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("materi bimtek")
        verbose_name_plural = _("materi bimtek")
        ordering = ["diunggah_pada"]

    def __str__(self) -> str:
        return self.nama


class PesertaBimtek(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bimtek = models.ForeignKey(Bimtek, models.CASCADE, related_name="peserta")
    profil = models.ForeignKey(ProfilTKSK, models.PROTECT, related_name="pelatihan")
    nilai_pre = models.DecimalField(
        _("nilai pre-test"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    nilai_post = models.DecimalField(
        _("nilai post-test"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    nomor_sertifikat = models.CharField(
        _("nomor sertifikat"), max_length=60, unique=True, null=True, blank=True
    )
    # The public verification link (in the certificate's QR code) carries this, never an id.
    token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe)

    objects = ScopedQuerySet.as_manager()
    scope_path = "profil__kecamatan"

    class Meta:
        verbose_name = _("peserta bimtek")
        verbose_name_plural = _("peserta bimtek")
        ordering = ["profil__kecamatan__kode", "profil__nama"]
        constraints = [
            models.UniqueConstraint(fields=["bimtek", "profil"], name="peserta_sekali"),
        ]

    def __str__(self) -> str:
        return f"{self.profil} · {self.bimtek}"


class Kehadiran(models.Model):
    peserta = models.ForeignKey(PesertaBimtek, models.CASCADE, related_name="kehadiran")
    tanggal = models.DateField()
    hadir = models.BooleanField(default=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "peserta__profil__kecamatan"

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["peserta", "tanggal"], name="hadir_sekali_sehari"),
        ]

    def __str__(self) -> str:
        return f"{self.peserta} {self.tanggal:%d-%m-%Y}"


class AksesVerifikasi(models.Model):
    """One request to the public certificate check, for its rate limit."""

    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    alamat_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("akses verifikasi sertifikat")
        verbose_name_plural = _("akses verifikasi sertifikat")

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M}"


class StatusBerkas(models.TextChoices):
    ANTRI = "antri", _("Menunggu giliran")
    PROSES = "proses", _("Sedang dibuat")
    SELESAI = "selesai", _("Selesai")
    GAGAL = "gagal", _("Gagal")


class BerkasSertifikat(models.Model):
    """Every certificate of one bimtek as one PDF, made by a background job (136 participants
    take longer than a request may). The file lives under MEDIA_ROOT/sertifikat/ with a random
    name, is served only to the user who asked for it while the bimtek is in their scope, and is
    deleted when it expires. `selesai` counts the certificates rendered so far (the progress)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bimtek = models.ForeignKey(Bimtek, models.CASCADE, related_name="berkas_sertifikat")
    pemohon = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=StatusBerkas.choices, default=StatusBerkas.ANTRI
    )
    jumlah = models.PositiveIntegerField(default=0)
    selesai = models.PositiveIntegerField(default=0)
    # The site's address when asked: the job has no request to build the QR links from.
    dasar_url = models.CharField(max_length=200)
    berkas = models.CharField(max_length=200, blank=True)
    pesan = models.CharField(max_length=255, blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)
    kedaluwarsa_pada = models.DateTimeField(db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "bimtek__wilayah"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("berkas sertifikat")
        verbose_name_plural = _("berkas sertifikat")
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"Sertifikat {self.bimtek} ({self.get_status_display()})"

    @property
    def persen(self) -> int:
        return round(100 * self.selesai / self.jumlah) if self.jumlah else 0
