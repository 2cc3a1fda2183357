"""Serializers of the REST API v1 for partners (`mitra`), activities (`kegiatan`) and referrals
(`rujukan`).

Like every app's serializers they only translate between JSON and the plain dicts of the
services (`mitra_simpan`, `kegiatan_simpan`, `rujukan_kirim`, `rujukan_ubah_status`), which check
the rules; they never write. Areas are Kemendagri codes, related records their `uuid`, dates ISO.

Choice fields carry their enum inline in the schema: the property names (`jenis`, `status`) are
shared with the pendataan resources, and drf-spectacular would otherwise name the different
choice sets after the same property.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from koordinasi import services as svc
from koordinasi.models import (
    JenisKegiatan,
    JenisMitra,
    Kegiatan,
    Mitra,
    RiwayatRujukan,
    Rujukan,
    StatusRujukan,
)
from tksk.api.serializers import (
    KodeDesaField,
    SerializerIndonesia,
    TanpaValidatorDB,
    UUIDRujukanField,
    koordinat_field,
    pilihan,
    uuid_field,
)
from tksk.models import Tingkat, Wilayah

KODE_WILAYAH = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2})?)?")
MAKS_INT = 2_147_483_647


JenisMitraField = pilihan("JenisMitraField", JenisMitra.choices)
JenisKegiatanField = pilihan("JenisKegiatanField", JenisKegiatan.choices)
StatusRujukanField = pilihan("StatusRujukanField", StatusRujukan.choices)


@extend_schema_field(
    {"type": "string", "pattern": r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2})?)?$", "example": "62.71.01"}
)
class KodeWilayahMitraField(serializers.Field):
    """The area a partner is registered at (province, kabupaten/kota or kecamatan), as its
    Kemendagri code, resolved inside the caller's scope."""

    default_error_messages = {
        "invalid": "Tulis kode wilayah Kemendagri (provinsi, kabupaten/kota atau kecamatan), "
        "misalnya 62.71.01.",
        "di_luar": "Wilayah ini tidak ada di cakupan tugas Anda.",
    }

    def to_representation(self, value):
        return value.kode

    def to_internal_value(self, data):
        if not isinstance(data, str) or not KODE_WILAYAH.fullmatch(data.strip()):
            self.fail("invalid")
        user = self.context["request"].user
        wilayah = (
            Wilayah.objects.for_user(user)
            .exclude(tingkat=Tingkat.DESA)
            .filter(kode=data.strip())
            .first()
        )
        if wilayah is None:
            self.fail("di_luar")
        return wilayah


class DaftarMitraField(serializers.ListField):
    """The partners of an activity as a list of uuids (prefetched `mitra`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", uuid_field())
        kwargs.setdefault("error_messages", {"not_a_list": "Kirim daftar (array JSON)."})
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return [m.uuid for m in instance.mitra.all()]


class _Dicatat(TanpaValidatorDB):
    """Fields every koordinasi record has; all but `uuid` (on create) and `versi` are read
    only."""

    uuid = uuid_field(
        required=False,
        help_text="Boleh dibuat klien saat membuat data: mengulang permintaan buat dengan uuid "
        "dan isi yang sama mengembalikan data yang sudah ada (tidak menggandakan). Diabaikan "
        "saat mengubah.",
    )
    versi = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAKS_INT,
        help_text="Versi data (naik setiap kali diubah). Saat mengubah, kirim versi yang "
        "terakhir Anda lihat di sini atau sebagai header If-Match (ETag); bila data sudah "
        "diubah orang lain, jawabannya 409 dengan data terkini. Diabaikan saat membuat.",
    )
    dibuat_oleh = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Nama pengguna pembuat."
    )
    diubah_oleh = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Nama pengguna yang terakhir mengubah.",
    )

    BACA_SAJA = ["dibuat_oleh", "dibuat_pada", "diubah_oleh", "diubah_pada"]


class MitraSerializer(_Dicatat):
    """Mitra (pemangku kepentingan) yang terdaftar di satu tingkat wilayah. Mitra kabupaten atau
    provinsi terlihat oleh semua kecamatan di bawahnya, tetapi hanya dapat diubah oleh tingkat
    yang mendaftarkannya atau di atasnya."""

    wilayah = KodeWilayahMitraField(
        help_text="Kode Kemendagri wilayah tempat mitra terdaftar (kecamatan, kabupaten/kota "
        "atau provinsi) di cakupan tugas Anda."
    )
    psks = UUIDRujukanField(
        required=False, allow_null=True, help_text="uuid data PSKS terkait (opsional)."
    )

    jenis = JenisMitraField()
    # Checked by the service (peta/koordinat.py): both or neither, inside Kalimantan Tengah.
    latitude = koordinat_field("Lintang (opsional, untuk peta), misalnya -2.210000.")
    longitude = koordinat_field(
        "Bujur (opsional), misalnya 113.910000. Isi keduanya atau kosongkan keduanya."
    )

    class Meta:
        model = Mitra
        fields = [
            "uuid",
            "jenis",
            "nama",
            "wilayah",
            "alamat",
            "narahubung",
            "telepon",
            "email",
            "layanan",
            "psks",
            "aktif",
            "latitude",
            "longitude",
            *_Dicatat.BACA_SAJA,
            "versi",
        ]
        read_only_fields = [*_Dicatat.BACA_SAJA]
        extra_kwargs = {"nama": {"required": True}}


class KegiatanSerializer(_Dicatat):
    """Kegiatan TKSK (rapat koordinasi, bimbingan, kunjungan…). Foto diunggah lewat aplikasi
    web, bukan lewat API."""

    desa = KodeDesaField(help_text="Kode Kemendagri desa/kelurahan di wilayah tugas Anda.")
    mitra = DaftarMitraField(
        required=False,
        help_text="uuid mitra yang terlibat (di wilayah tugas Anda). PUT: daftar lengkap "
        "(tidak dikirim = tanpa mitra); PATCH: tidak dikirim = tetap.",
    )
    jumlah_peserta = serializers.IntegerField(read_only=True)

    jenis = JenisKegiatanField()

    class Meta:
        model = Kegiatan
        fields = [
            "uuid",
            "jenis",
            "tanggal",
            "jam_mulai",
            "jam_selesai",
            "desa",
            "tempat",
            "topik",
            "mitra",
            "peserta_laki",
            "peserta_perempuan",
            "jumlah_peserta",
            "notulen",
            *_Dicatat.BACA_SAJA,
            "versi",
        ]
        read_only_fields = [*_Dicatat.BACA_SAJA]
        extra_kwargs = {
            "tanggal": {"required": True},
            "tempat": {"required": True},
            "topik": {"required": True},
            "peserta_laki": {"max_value": MAKS_INT},
            "peserta_perempuan": {"max_value": MAKS_INT},
        }


class LangkahSerializer(serializers.ModelSerializer):
    """Satu langkah rujukan (status, tanggal, catatan)."""

    status_dari = serializers.CharField(read_only=True, help_text="Status sebelumnya.")
    status_ke = StatusRujukanField(read_only=True)
    pelaku = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = RiwayatRujukan
        fields = [
            "status_dari",
            "status_ke",
            "tanggal",
            "catatan",
            "pelaku",
            "oleh_mitra",
            "nama_pengisi",
            "waktu",
        ]
        read_only_fields = fields


class RujukanSerializer(_Dicatat):
    """Rujukan satu data PPKS ke mitra, dengan nomor surat dan langkah-langkahnya. Rujukan
    PPKS kategori sensitif hanya terlihat di rantai kecamatan pencatatnya."""

    ppks = UUIDRujukanField(help_text="uuid data PPKS yang dirujuk (di wilayah tugas Anda).")
    mitra = UUIDRujukanField(help_text="uuid mitra aktif tujuan rujukan.")
    desa = KodeDesaField(read_only=True, help_text="Desa data PPKS-nya.")
    kecamatan = serializers.SlugRelatedField(
        slug_field="kode", read_only=True, help_text="Kecamatan pemilik penomoran surat."
    )
    status = StatusRujukanField(
        read_only=True, help_text="Diubah lewat POST /api/v1/rujukan/<uuid>/langkah/."
    )
    tanggal_kirim = serializers.DateField(
        required=False, help_text="Tanggal surat (bawaan: hari ini; paling lama 60 hari lalu)."
    )
    penandatangan_nama = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text="Bawaan: nama Anda."
    )
    penandatangan_jabatan = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Bawaan: jabatan Anda."
    )
    catatan = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Catatan langkah pertama (dikirim).",
    )
    langkah = LangkahSerializer(many=True, read_only=True)

    class Meta:
        model = Rujukan
        fields = [
            "uuid",
            "nomor",
            "ppks",
            "mitra",
            "desa",
            "kecamatan",
            "alasan",
            "layanan",
            "urgensi",
            "status",
            "tanggal_kirim",
            "dijawab_pada",
            "ditutup_pada",
            "penandatangan_nama",
            "penandatangan_jabatan",
            "penandatangan_nip",
            "catatan",
            "langkah",
            *_Dicatat.BACA_SAJA,
            "versi",
        ]
        read_only_fields = ["nomor", "dijawab_pada", "ditutup_pada", *_Dicatat.BACA_SAJA]
        extra_kwargs = {
            "alasan": {"required": True},
            "layanan": {"required": True},
            "urgensi": {"required": False},
        }

    def validate_tanggal_kirim(self, tanggal):
        # The entry window of the web form, reported with the other fields' errors.
        try:
            return svc.cek_tanggal_surat(tanggal)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class LangkahRujukanSerializer(SerializerIndonesia):
    """Langkah berikut sebuah rujukan (diterima, diproses, selesai, ditolak)."""

    status = StatusRujukanField(help_text="Status tujuan; hanya maju (selesai/ditolak final).")
    tanggal = serializers.DateField(
        required=False, help_text="Tanggal langkah (bawaan: hari ini; tidak di masa depan)."
    )
    catatan = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Catatan; wajib bila ditolak (alasan penolakan).",
    )
    versi = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAKS_INT,
        help_text="Opsional: versi yang terakhir Anda lihat (atau header If-Match).",
    )
