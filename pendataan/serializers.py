"""Serializers of the REST API v1 for households, persons, PPKS and PSKS.

They only translate between JSON and the plain dicts of the services (`keluarga_simpan`,
`ppks_simpan`, `psks_simpan`): they never write. Field names are the models'; areas are
Kemendagri codes, categories their codes, people and households their `uuid`.

NIK and No KK: full on detail pages and in the answer to a save; masked (`6271********0001`) in
lists unless the list is asked for with `?nik=lengkap`. The view decides (context `nik_lengkap`)
and logs every answer that carries full numbers (AuditLog aksi `api_lihat_nik`).
"""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pendataan.models import (
    PPKS,
    PSKS,
    AlasanKembali,
    Disabilitas,
    Individu,
    Keluarga,
)
from tksk.api.serializers import (
    PESAN_BUKAN_DAFTAR,
    HasilSimpanMixin,
    KodeDesaField,
    SerializerIndonesia,
    TanpaValidatorDB,
    UUIDRujukanField,
    koordinat_field,
    uuid_field,
)
from tksk.privasi import samarkan

# Category codes ("PPKS-08", "PSKS-05") or short names ("LUT", "KT"); never bare numbers.
KODE_KATEGORI = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,19}")

NOMOR_HELP = (
    "{label} 16 digit. Lengkap pada detail dan pada jawaban simpan; pada daftar disamarkan "
    "(6271********0001) kecuali daftar diminta dengan `?nik=lengkap`. Setiap jawaban yang "
    "memuat nomor lengkap dicatat di log audit (aksi `api_lihat_nik`)."
)


class NomorField(serializers.CharField):
    """NIK or No KK: checked by the services (pendataan.nik), masked in lists."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("trim_whitespace", False)  # the NIK rules trim, with their own messages
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value and not self.context.get("nik_lengkap"):
            return samarkan(value)
        return value


@extend_schema_field(
    {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9-]{0,19}$", "example": "PPKS-08"}
)
class KodeKategoriField(serializers.Field):
    """A PPKS/PSKS category shown as its code; given as its code or short name (the service
    resolves it)."""

    default_error_messages = {
        "invalid": "Tulis kode kategori (misalnya PPKS-08 atau PSKS-05) atau singkatannya (LUT)."
    }

    def to_representation(self, value):
        return value.kode

    def to_internal_value(self, data):
        if not isinstance(data, str) or not KODE_KATEGORI.fullmatch(data.strip()):
            self.fail("invalid")
        return data.strip()


# --- households and persons -------------------------------------------------------------------


class AnggotaSerializer(TanpaValidatorDB):
    """Anggota keluarga (kolom seperti pada Kartu Keluarga)."""

    uuid = uuid_field(
        required=False,
        help_text="Anggota yang sudah tersimpan (saat mengubah keluarga). Jangan dikirim saat "
        "membuat keluarga: uuid anggota dibuat server.",
    )
    nik = NomorField(max_length=None, help_text=NOMOR_HELP.format(label="NIK"))
    desa = KodeDesaField(
        read_only=True, help_text="Desa keluarganya (mengikuti keluarga; tidak dapat diubah)."
    )
    disabilitas = serializers.ListField(
        child=serializers.ChoiceField(choices=Disabilitas.choices),
        required=False,
        error_messages={"not_a_list": PESAN_BUKAN_DAFTAR},
    )
    hapus = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="true: hapus anggota (uuid wajib) karena salah input. Orang yang pindah atau "
        "meninggal tidak dihapus: ubah status_hidup.",
    )

    class Meta:
        model = Individu
        fields = [
            "uuid",
            "nik",
            "alasan_tanpa_nik",
            "nama",
            "jenis_kelamin",
            "tempat_lahir",
            "tanggal_lahir",
            "hubungan",
            "agama",
            "pendidikan",
            "pekerjaan",
            "status_kawin",
            "disabilitas",
            "status_hidup",
            "nama_ibu",
            "desa",
            "diubah_pada",
            "hapus",
        ]
        read_only_fields = ["desa", "diubah_pada"]
        # Whether a field is needed depends on new/existing member: the service says so, per
        # field, in Indonesian.
        extra_kwargs = {
            name: {"required": False}
            for name in ["nama", "jenis_kelamin", "hubungan", "tanggal_lahir", "tempat_lahir"]
        }


class IndividuSerializer(AnggotaSerializer):
    """Individu (hanya baca: individu dibuat dan diubah lewat keluarganya)."""

    keluarga = UUIDRujukanField(read_only=True, help_text="uuid keluarganya.")

    class Meta(AnggotaSerializer.Meta):
        fields = [f for f in AnggotaSerializer.Meta.fields if f not in ("hapus", "diubah_pada")] + [
            "keluarga",
            "dibuat_pada",
            "diubah_pada",
        ]
        # The viewset is read only; the fields keep their blank choices in the schema.
        read_only_fields = ["desa", "keluarga", "dibuat_pada", "diubah_pada"]


class _Tercatat(TanpaValidatorDB):
    """Fields every verified record has; all but `uuid` (on create) and `versi` are read only."""

    uuid = uuid_field(
        required=False,
        help_text="Boleh dibuat klien saat membuat data: mengulang permintaan buat dengan uuid "
        "dan isi yang sama mengembalikan data yang sudah ada (tidak menggandakan). Diabaikan "
        "saat mengubah.",
    )
    versi = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2_147_483_647,
        help_text="Versi data (naik setiap kali diubah). Saat mengubah, kirim versi yang "
        "terakhir Anda lihat di sini atau sebagai header If-Match (ETag); bila data sudah "
        "diubah orang lain, jawabannya 409 dengan data terkini. Diabaikan saat membuat.",
    )
    alasan_kembali = serializers.ChoiceField(
        choices=AlasanKembali.choices, allow_blank=True, read_only=True
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
    diverifikasi_oleh = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Nama pengguna Dinas Sosial yang memverifikasi atau mengembalikan.",
    )

    BACA_SAJA = [
        "status",
        "alasan_kembali",
        "catatan_verifikasi",
        "diverifikasi_oleh",
        "diverifikasi_pada",
        "dibuat_oleh",
        "dibuat_pada",
        "diubah_oleh",
        "diubah_pada",
    ]


class KeluargaSerializer(_Tercatat):
    """Keluarga beserta anggotanya. Status verifikasi, pembuat/pengubah dan versi hanya dapat
    dibaca; mengirimnya tidak mengubah apa pun."""

    no_kk = NomorField(max_length=None, help_text=NOMOR_HELP.format(label="No KK"))
    desa = KodeDesaField(help_text="Kode Kemendagri desa/kelurahan di wilayah tugas Anda.")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, coerce_to_string=False
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, coerce_to_string=False
    )
    anggota = AnggotaSerializer(
        many=True,
        help_text="Anggota keluarga. Membuat (POST) dan PUT: daftar lengkap; PUT menghapus "
        "anggota tersimpan yang tidak dikirim (sebagai salah input; ditolak bila tercatat di "
        "PPKS). PATCH: hanya anggota yang dikirim diubah/ditambah (uuid = anggota tersimpan, "
        "tanpa uuid = anggota baru, hapus=true = hapus); yang tidak dikirim tetap.",
    )

    class Meta:
        model = Keluarga
        fields = [
            "uuid",
            "no_kk",
            "alasan_tanpa_kk",
            "desa",
            "alamat",
            "rt",
            "rw",
            "dusun",
            "latitude",
            "longitude",
            "nama_kepala",
            "jumlah_anggota",
            "anggota",
            *_Tercatat.BACA_SAJA,
            "versi",
        ]
        read_only_fields = ["nama_kepala", "jumlah_anggota", *_Tercatat.BACA_SAJA]
        extra_kwargs = {"alamat": {"required": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anggota"].error_messages["not_a_list"] = PESAN_BUKAN_DAFTAR


class KeluargaHasilSerializer(HasilSimpanMixin, KeluargaSerializer):
    """Keluarga yang baru disimpan, dengan peringatan penyimpanannya."""

    class Meta(KeluargaSerializer.Meta):
        fields = [*KeluargaSerializer.Meta.fields, "peringatan"]


# --- PPKS and PSKS --------------------------------------------------------------------------


class PPKSSerializer(_Tercatat):
    """Satu identifikasi PPKS: kategori untuk individu, keluarga, atau kelompok/komunitas."""

    kategori = KodeKategoriField(help_text="Kode kategori PPKS (PPKS-01…PPKS-26) atau singkatan.")
    individu = UUIDRujukanField(
        required=False, allow_null=True, help_text="uuid individu (subjek individu)."
    )
    keluarga = UUIDRujukanField(
        required=False, allow_null=True, help_text="uuid keluarga (subjek keluarga)."
    )
    desa = KodeDesaField(
        required=False,
        allow_null=True,
        help_text="Hanya untuk subjek kelompok; untuk individu/keluarga desa mengikuti "
        "subjeknya (yang dikirim diabaikan).",
    )
    nama_subjek = serializers.CharField(read_only=True)

    class Meta:
        model = PPKS
        fields = [
            "uuid",
            "kategori",
            "subjek",
            "individu",
            "keluarga",
            "nama_kelompok",
            "perkiraan_kk",
            "perkiraan_jiwa",
            "desa",
            "nama_subjek",
            "tanggal_identifikasi",
            "deskripsi",
            "kebutuhan",
            "status_penanganan",
            "jenis_kelamin",
            *_Tercatat.BACA_SAJA,
            "versi",
        ]
        read_only_fields = ["jenis_kelamin", *_Tercatat.BACA_SAJA]
        extra_kwargs = {
            "subjek": {"required": True},
            "tanggal_identifikasi": {"required": True},
            "perkiraan_kk": {"max_value": 2_147_483_647},
            "perkiraan_jiwa": {"max_value": 2_147_483_647},
        }


class PPKSHasilSerializer(HasilSimpanMixin, PPKSSerializer):
    """PPKS yang baru disimpan, dengan peringatan kewajaran (usia/jenis kelamin/subjek)."""

    class Meta(PPKSSerializer.Meta):
        fields = [*PPKSSerializer.Meta.fields, "peringatan"]


class PSKSSerializer(_Tercatat):
    """Satu potensi dan sumber kesejahteraan sosial (PSKS)."""

    kategori = KodeKategoriField(help_text="Kode kategori PSKS (PSKS-01…PSKS-12) atau singkatan.")
    desa = KodeDesaField(help_text="Kode Kemendagri desa/kelurahan di wilayah tugas Anda.")
    individu = UUIDRujukanField(read_only=True, allow_null=True)
    # Checked by the service (peta/koordinat.py): both or neither, inside Kalimantan Tengah.
    latitude = koordinat_field("Lintang (opsional, untuk peta), misalnya -2.210000.")
    longitude = koordinat_field(
        "Bujur (opsional), misalnya 113.910000. Isi keduanya atau kosongkan keduanya."
    )

    class Meta:
        model = PSKS
        fields = [
            "uuid",
            "kategori",
            "nama",
            "jenis",
            "desa",
            "alamat",
            "kontak_nama",
            "telepon",
            "kapasitas",
            "layanan",
            "aktif",
            "latitude",
            "longitude",
            "individu",
            *_Tercatat.BACA_SAJA,
            "versi",
        ]
        read_only_fields = [*_Tercatat.BACA_SAJA]
        extra_kwargs = {
            "nama": {"required": True},
            "jenis": {"required": True},
            "kapasitas": {"max_value": 2_147_483_647},
        }


class PSKSHasilSerializer(HasilSimpanMixin, PSKSSerializer):
    """PSKS yang baru disimpan, dengan peringatannya."""

    class Meta(PSKSSerializer.Meta):
        fields = [*PSKSSerializer.Meta.fields, "peringatan"]


# --- verification and errors -----------------------------------------------------------------


class CatatanSerializer(SerializerIndonesia):
    """Catatan tindakan verifikasi."""

    catatan = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Catatan (opsional)."
    )


# The same choice set as `alasan_kembali` of the records: one enum in the schema, not two names
# for it (drf-spectacular names enums after the property).
@extend_schema_field({"$ref": "#/components/schemas/AlasanKembaliEnum"})
class AlasanKembaliField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=AlasanKembali.choices, **kwargs)


class KembalikanSerializer(CatatanSerializer):
    """Alasan dan catatan pengembalian ke TKSK."""

    alasan = AlasanKembaliField()
    catatan = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Catatan untuk TKSK: apa yang perlu diperbaiki.",
    )
