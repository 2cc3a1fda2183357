"""Pendataan: households (Keluarga) with their members (Individu), PPKS identifications, the PSKS
inventory, their verification status, their history and the duplicate-NIK cases.

Every record has a UUID that is its only public identifier (URLs, API); sequential ids never leave
the database. Every scoped model declares `scope_path`, its lookup path to a Wilayah (see
tksk/scoping.py).
"""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tksk.models import KategoriPPKS, KategoriPSKS, Wilayah
from tksk.privasi import dalam_rantai
from tksk.scoping import ScopedQuerySet


class Lipat(models.Func):
    """A name folded for search: upper case without accents ("André" → "ANDRE"), the SQL
    function pendataan_lipat (unaccent + upper, IMMUTABLE so that it can be stored and indexed;
    made by migration pendataan/0007)."""

    function = "pendataan_lipat"
    output_field = models.TextField()


class StatusVerifikasi(models.TextChoices):
    DRAF = "draf", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan")
    TERVERIFIKASI = "terverifikasi", _("Terverifikasi")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")


class AlasanKembali(models.TextChoices):
    DATA_TIDAK_LENGKAP = "tidak_lengkap", _("Data tidak lengkap")
    DATA_TIDAK_SESUAI = "tidak_sesuai", _("Data tidak sesuai dokumen (KK/KTP)")
    NIK_BERMASALAH = "nik", _("NIK/No KK bermasalah")
    BUKAN_SASARAN = "bukan_sasaran", _("Tidak memenuhi kriteria kategori")
    GANDA = "ganda", _("Data ganda")
    LAINNYA = "lainnya", _("Lainnya")


class JenisKelamin(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Hubungan(models.TextChoices):
    """Status hubungan dalam keluarga (SHDK) as on the Kartu Keluarga."""

    KEPALA_KELUARGA = "kepala_keluarga", _("Kepala Keluarga")
    SUAMI = "suami", _("Suami")
    ISTRI = "istri", _("Istri")
    ANAK = "anak", _("Anak")
    MENANTU = "menantu", _("Menantu")
    CUCU = "cucu", _("Cucu")
    ORANG_TUA = "orang_tua", _("Orang Tua")
    MERTUA = "mertua", _("Mertua")
    FAMILI_LAIN = "famili_lain", _("Famili Lain")
    PEMBANTU = "pembantu", _("Pembantu")
    LAINNYA = "lainnya", _("Lainnya")


class Agama(models.TextChoices):
    ISLAM = "islam", _("Islam")
    KRISTEN = "kristen", _("Kristen")
    KATOLIK = "katolik", _("Katolik")
    HINDU = "hindu", _("Hindu")
    BUDDHA = "buddha", _("Buddha")
    KHONGHUCU = "khonghucu", _("Khonghucu")
    KEPERCAYAAN = "kepercayaan", _("Kepercayaan terhadap Tuhan YME")


class Pendidikan(models.TextChoices):
    TIDAK_SEKOLAH = "tidak_sekolah", _("Tidak/belum sekolah")
    BELUM_TAMAT_SD = "belum_tamat_sd", _("Belum tamat SD/sederajat")
    SD = "sd", _("Tamat SD/sederajat")
    SMP = "smp", _("SLTP/sederajat")
    SMA = "sma", _("SLTA/sederajat")
    D1_D3 = "diploma", _("Diploma I–III")
    S1 = "s1", _("Diploma IV/Strata I")
    S2_S3 = "pascasarjana", _("Strata II/III")


class StatusKawin(models.TextChoices):
    BELUM_KAWIN = "belum_kawin", _("Belum kawin")
    KAWIN_TERCATAT = "kawin_tercatat", _("Kawin tercatat")
    KAWIN_BELUM_TERCATAT = "kawin_belum_tercatat", _("Kawin belum tercatat")
    CERAI_HIDUP = "cerai_hidup", _("Cerai hidup")
    CERAI_MATI = "cerai_mati", _("Cerai mati")


class Disabilitas(models.TextChoices):
    FISIK = "fisik", _("Fisik")
    INTELEKTUAL = "intelektual", _("Intelektual")
    MENTAL = "mental", _("Mental")
    SENSORIK = "sensorik", _("Sensorik")


class AlasanTanpaNIK(models.TextChoices):
    BAYI = "bayi", _("Bayi baru lahir, belum didaftarkan")
    GELANDANGAN = "gelandangan", _("Gelandangan/tanpa tempat tinggal tetap")
    KAT = "kat", _("Warga Komunitas Adat Terpencil")
    HILANG = "dokumen_hilang", _("Dokumen hilang/rusak")
    TIDAK_TERDAFTAR = "tidak_terdaftar", _("Belum pernah terdaftar di Dukcapil")
    LAINNYA = "lainnya", _("Lainnya")


class StatusHidup(models.TextChoices):
    HIDUP = "hidup", _("Hidup")
    MENINGGAL = "meninggal", _("Meninggal")
    PINDAH = "pindah", _("Pindah")


class RecordQuerySet(ScopedQuerySet):
    pass


class Tercatat(models.Model):
    """Fields every verified record has: public UUID, area, verification status, who/when, and a
    version number for optimistic concurrency (a stale save is refused, not silently applied)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    desa = models.ForeignKey(
        Wilayah,
        models.PROTECT,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
        limit_choices_to={"tingkat": "desa"},
    )
    status = models.CharField(
        _("status verifikasi"),
        max_length=15,
        choices=StatusVerifikasi.choices,
        default=StatusVerifikasi.DRAF,
        db_index=True,
    )
    alasan_kembali = models.CharField(
        _("alasan dikembalikan"), max_length=20, choices=AlasanKembali.choices, blank=True
    )
    catatan_verifikasi = models.TextField(_("catatan verifikasi"), blank=True)
    diverifikasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    diverifikasi_pada = models.DateTimeField(null=True, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(auto_now=True, db_index=True)
    versi = models.PositiveIntegerField(default=1)

    objects = RecordQuerySet.as_manager()
    scope_path = "desa"

    class Meta:
        abstract = True


class Keluarga(Tercatat):
    no_kk = models.CharField(_("No KK"), max_length=16, unique=True, null=True, blank=True)
    alasan_tanpa_kk = models.CharField(_("alasan tanpa No KK"), max_length=200, blank=True)
    alamat = models.CharField(_("alamat"), max_length=255)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    dusun = models.CharField(_("dusun/lingkungan"), max_length=100, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Kept by the services so lists never need a subquery per row.
    nama_kepala = models.CharField(_("nama kepala keluarga"), max_length=150, blank=True)
    jumlah_anggota = models.PositiveSmallIntegerField(default=0)
    # The head's name folded for search (pendataan.selectors.pencarian), kept by the database.
    nama_kepala_cari = models.GeneratedField(
        expression=Lipat(F("nama_kepala")), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        indexes = [
            models.Index(fields=["desa", "status"]),
            models.Index(fields=["desa", "-diubah_pada"]),
            # Incremental sync pages by (diubah_pada, id) within an area.
            models.Index(fields=["desa", "diubah_pada", "id"]),
            # The monthly report counts one month's new households of a kecamatan.
            models.Index(fields=["desa", "dibuat_pada"]),
            # A TKSK's performance record counts their households per month of a year.
            models.Index(fields=["dibuat_oleh", "dibuat_pada"], name="keluarga_pembuat_waktu"),
            GinIndex(
                fields=["nama_kepala_cari"], opclasses=["gin_trgm_ops"], name="keluarga_kepala_trgm"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="keluarga_no_kk_16_digits",
                condition=Q(no_kk__isnull=True) | Q(no_kk__regex=r"^[0-9]{16}$"),
            ),
        ]

    def __str__(self) -> str:
        return f"Keluarga {self.nama_kepala or '—'}"


class IndividuQuerySet(ScopedQuerySet):
    def hidup(self):
        return self.filter(status_hidup=StatusHidup.HIDUP)


class Individu(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    keluarga = models.ForeignKey(Keluarga, models.CASCADE, related_name="anggota")
    # Copy of keluarga.desa (kept by database triggers, laporan/sql_salinan.py): persons are
    # listed and counted by area without joining their household.
    desa = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    alasan_tanpa_nik = models.CharField(
        _("alasan tanpa NIK"), max_length=20, choices=AlasanTanpaNIK.choices, blank=True
    )
    nama = models.CharField(_("nama lengkap"), max_length=150)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices)
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    hubungan = models.CharField(
        _("hubungan dalam keluarga"), max_length=20, choices=Hubungan.choices
    )
    agama = models.CharField(_("agama"), max_length=20, choices=Agama.choices, blank=True)
    pendidikan = models.CharField(
        _("pendidikan"), max_length=20, choices=Pendidikan.choices, blank=True
    )
    pekerjaan = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    status_kawin = models.CharField(
        _("status perkawinan"), max_length=25, choices=StatusKawin.choices, blank=True
    )
    disabilitas = models.JSONField(_("disabilitas"), default=list, blank=True)
    status_hidup = models.CharField(
        _("status"), max_length=10, choices=StatusHidup.choices, default=StatusHidup.HIDUP
    )
    nama_ibu = models.CharField(_("nama ibu kandung"), max_length=150, blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True, db_index=True)
    # The name folded for search (pendataan.selectors.pencarian), kept by the database: stored,
    # so that the trigram index's rechecks compare a column instead of calling unaccent per row.
    nama_cari = models.GeneratedField(
        expression=Lipat(F("nama")), output_field=models.TextField(), db_persist=True
    )

    objects = IndividuQuerySet.as_manager()
    scope_path = "desa"

    class Meta:
        verbose_name = _("individu")
        verbose_name_plural = _("individu")
        # `nama__icontains` (UPPER(nama) LIKE '%…%', the API's filters) keeps its trigram index
        # individu_nama_trgm from migration pendataan/0005; the search box uses nama_cari.
        indexes = [
            models.Index(fields=["desa", "jenis_kelamin"]),
            GinIndex(
                fields=["nama_cari"], opclasses=["gin_trgm_ops"], name="individu_nama_cari_trgm"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="individu_nik_16_digits",
                condition=Q(nik__isnull=True) | Q(nik__regex=r"^[0-9]{16}$"),
            ),
            models.CheckConstraint(
                name="individu_tanpa_nik_ada_alasan",
                condition=Q(nik__isnull=False) | ~Q(alasan_tanpa_nik=""),
            ),
            # At most one living head per household (at least one: the services).
            models.UniqueConstraint(
                fields=["keluarga"],
                condition=Q(hubungan="kepala_keluarga", status_hidup="hidup"),
                name="individu_satu_kepala_keluarga",
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def perlu_rujukan_dukcapil(self) -> bool:
        return not self.nik


class PPKSQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """PPKS records whose identity the user may see: the scoping rule, and sensitive
        categories (KategoriPPKS.sensitif: ABH, TS, KMIN, ODHA, NAPZA, KPO, KTK — data pribadi
        spesifik under UU 27/2022, identities protected by UU 11/2012 SPPA) only inside the
        recording kecamatan's chain. Every door (pages, household pages, verification, API,
        exports) uses this, so none can show such a record to the province."""
        queryset = super().for_user(user)
        return queryset if dalam_rantai(user) else queryset.exclude(kategori__sensitif=True)

    def for_counting(self, user):
        """Every record in scope, sensitive ones included, for aggregates only: counts shown to
        users outside the chain must go through `tksk.privasi.tampil`."""
        return super().for_user(user)


class SubjekPPKS(models.TextChoices):
    INDIVIDU = "individu", _("Individu")
    KELUARGA = "keluarga", _("Keluarga")
    KELOMPOK = "kelompok", _("Kelompok/komunitas")


class StatusPenanganan(models.TextChoices):
    BELUM = "belum", _("Belum ditangani")
    DALAM = "dalam", _("Dalam penanganan")
    DIRUJUK = "dirujuk", _("Dirujuk")
    SELESAI = "selesai", _("Selesai")


class PPKS(Tercatat):
    """One identification of a need: a category for a person, a household or a named group."""

    kategori = models.ForeignKey(KategoriPPKS, models.PROTECT, verbose_name=_("kategori"))
    subjek = models.CharField(_("subjek"), max_length=10, choices=SubjekPPKS.choices)
    individu = models.ForeignKey(
        Individu, models.PROTECT, null=True, blank=True, related_name="ppks"
    )
    keluarga = models.ForeignKey(
        Keluarga, models.PROTECT, null=True, blank=True, related_name="ppks"
    )
    nama_kelompok = models.CharField(_("nama kelompok/komunitas"), max_length=200, blank=True)
    perkiraan_kk = models.PositiveIntegerField(_("perkiraan jumlah KK"), null=True, blank=True)
    perkiraan_jiwa = models.PositiveIntegerField(_("perkiraan jumlah jiwa"), null=True, blank=True)
    tanggal_identifikasi = models.DateField(_("tanggal identifikasi"), db_index=True)
    deskripsi = models.TextField(_("deskripsi kondisi"), blank=True)
    kebutuhan = models.TextField(_("kebutuhan"), blank=True)
    status_penanganan = models.CharField(
        _("status penanganan"),
        max_length=10,
        choices=StatusPenanganan.choices,
        default=StatusPenanganan.BELUM,
        db_index=True,
    )
    # Counting by sex needs no join to Individu. This and `desa` are copies of the subject's,
    # kept by database triggers (laporan/sql_salinan.py); empty for households and groups.
    jenis_kelamin = models.CharField(max_length=1, blank=True)
    # The subject's name folded for search (a person's nama_cari, a household's head, a group's
    # own name), a copy kept by the same triggers: the PPKS list searches 71,000 PPKS through one
    # trigram index instead of every matching person of the province.
    nama_cari = models.TextField(blank=True, default="", editable=False)

    objects = PPKSQuerySet.as_manager()

    class Meta:
        verbose_name = _("PPKS")
        verbose_name_plural = _("PPKS")
        indexes = [
            models.Index(fields=["desa", "kategori"]),
            # The monthly report reads one month's identifications and changes of a kecamatan.
            models.Index(fields=["desa", "tanggal_identifikasi"]),
            models.Index(fields=["desa", "diubah_pada"]),
            # A TKSK's performance record counts their identifications per month of a year.
            models.Index(
                fields=["dibuat_oleh", "dibuat_pada"],
                include=["kategori"],
                name="ppks_pembuat_waktu",
            ),
            GinIndex(fields=["nama_cari"], opclasses=["gin_trgm_ops"], name="ppks_nama_cari_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                name="ppks_subjek_sesuai",
                condition=(
                    Q(subjek="individu", individu__isnull=False)
                    | Q(subjek="keluarga", keluarga__isnull=False, individu__isnull=True)
                    | Q(subjek="kelompok", individu__isnull=True, keluarga__isnull=True)
                    & ~Q(nama_kelompok="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kategori.singkatan} · {self.nama_subjek}"

    @property
    def nama_subjek(self) -> str:
        if self.individu_id:
            return self.individu.nama
        if self.keluarga_id:
            return str(self.keluarga)
        return self.nama_kelompok


class JenisPSKS(models.TextChoices):
    INDIVIDU = "individu", _("Perorangan")
    LEMBAGA = "lembaga", _("Lembaga")
    KELUARGA = "keluarga", _("Keluarga")


class PSKS(Tercatat):
    kategori = models.ForeignKey(KategoriPSKS, models.PROTECT, verbose_name=_("kategori"))
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=10, choices=JenisPSKS.choices)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    kontak_nama = models.CharField(_("narahubung"), max_length=150, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    kapasitas = models.PositiveIntegerField(_("kapasitas"), null=True, blank=True)
    layanan = models.TextField(_("layanan"), blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)
    individu = models.ForeignKey(
        Individu, models.SET_NULL, null=True, blank=True, related_name="psks"
    )
    # Optional location for the maps (both or neither, inside the province: peta/koordinat.py).
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("PSKS")
        verbose_name_plural = _("PSKS")
        indexes = [models.Index(fields=["desa", "kategori"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="psks_koordinat_sepasang",
            )
        ]

    def __str__(self) -> str:
        return self.nama


class Riwayat(models.Model):
    """History of every change to a household, person, PPKS or PSKS (bulk changes included), and
    every verification transition. 16-digit numbers are stored masked."""

    objek_tipe = models.CharField(max_length=20, db_index=True)  # keluarga/individu/ppks/psks
    objek_uuid = models.UUIDField(db_index=True)
    # The household a person belongs to, so a household page shows its members' history too.
    keluarga_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    desa = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    pelaku = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    aksi = models.CharField(max_length=20)  # buat, ubah, hapus, transisi, mutasi, impor
    perubahan = models.JSONField(default=dict, blank=True)  # {field: [lama, baru]}
    status_dari = models.CharField(max_length=15, blank=True)
    status_ke = models.CharField(max_length=15, blank=True)
    alasan = models.CharField(max_length=20, blank=True)
    catatan = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "desa"

    class Meta:
        verbose_name = _("riwayat")
        verbose_name_plural = _("riwayat")
        ordering = ["-waktu", "-id"]
        # The performance record of every TKSK (tenaga.kinerja) counts, per month of a year, the
        # PPKS whose handling each moved on and the verification outcomes in each kecamatan:
        # small partial indexes answer both by index-only scans (the history is append-only).
        indexes = [
            models.Index(
                fields=["pelaku", "waktu"],
                name="riwayat_penanganan",
                condition=models.Q(objek_tipe="ppks", perubahan__has_key="status_penanganan"),
            ),
            models.Index(
                fields=["waktu", "desa", "status_ke"],
                name="riwayat_verifikasi",
                condition=models.Q(status_ke__in=["terverifikasi", "dikembalikan"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objek_tipe} {self.aksi} {self.waktu:%Y-%m-%d %H:%M}"


class StatusKasus(models.TextChoices):
    TERBUKA = "terbuka", _("Terbuka")
    MUTASI = "mutasi", _("Diselesaikan: dipindahkan (mutasi)")
    DITOLAK = "ditolak", _("Diselesaikan: entri baru ditolak")


class KasusGanda(models.Model):
    """A NIK or No KK entered in one area that already exists in another. The reporter is told
    only that it exists elsewhere; the Dinas that supervises both areas (the kabupaten, or the
    province across kabupaten) resolves it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jenis = models.CharField(max_length=5, choices=[("nik", "NIK"), ("no_kk", "No KK")])
    individu_lama = models.ForeignKey(
        Individu, models.CASCADE, null=True, blank=True, related_name="+"
    )
    keluarga_lama = models.ForeignKey(
        Keluarga, models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Where the new entry was made: its household if it was saved, and the data that could not be.
    keluarga_baru = models.ForeignKey(
        Keluarga, models.CASCADE, null=True, blank=True, related_name="kasus_ganda"
    )
    desa_baru = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    data_baru = models.JSONField(default=dict, blank=True)
    # The lowest area that contains both records: the queue it belongs to.
    penyelesai = models.ForeignKey(Wilayah, models.PROTECT, related_name="+")
    pelapor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=StatusKasus.choices, default=StatusKasus.TERBUKA, db_index=True
    )
    diselesaikan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    diselesaikan_pada = models.DateTimeField(null=True, blank=True)
    catatan = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "penyelesai"

    class Meta:
        verbose_name = _("kasus NIK ganda")
        verbose_name_plural = _("kasus NIK ganda")
        ordering = ["-dibuat_pada"]

    def __str__(self) -> str:
        return f"Kasus {self.get_jenis_display()} ganda ({self.get_status_display()})"
