"""The import's sheets and columns, the names people give them, and the words accepted for
each choice field."""

import re
import unicodedata
from dataclasses import dataclass

from pendataan.models import (
    Agama,
    AlasanTanpaNIK,
    Disabilitas,
    Hubungan,
    JenisKelamin,
    Pendidikan,
    StatusKawin,
    StatusPenanganan,
)

LEMBAR_KELUARGA = "Keluarga"
LEMBAR_PPKS = "PPKS"
LEMBAR_PETUNJUK = "Petunjuk"
LEMBAR_DAFTAR = "Daftar"


@dataclass(frozen=True)
class Kolom:
    kunci: str
    wajib: str
    penjelasan: str
    contoh: str = ""
    teks: bool = False  # formatted as Text ("@") in the template, so Excel keeps every digit
    lebar: int = 16


KOLOM_KELUARGA = [
    Kolom(
        "kode_keluarga",
        "wajib jika No KK kosong",
        "Kode bebas yang sama untuk semua anggota satu keluarga (misalnya K001). Jika kosong, "
        "anggota dikelompokkan menurut No KK.",
        "K001",
        teks=True,
        lebar=14,
    ),
    Kolom(
        "no_kk",
        "wajib jika ada",
        "Nomor Kartu Keluarga, 16 angka. Cukup ditulis di baris pertama keluarga; jika diulang, "
        "harus sama.",
        "6271010101100001",
        teks=True,
        lebar=20,
    ),
    Kolom(
        "alasan_tanpa_kk",
        "wajib jika No KK kosong",
        "Alasan keluarga ini belum/tidak memiliki KK.",
        "Belum pernah mengurus KK",
        lebar=24,
    ),
    Kolom(
        "kode_desa",
        "wajib",
        "Kode desa/kelurahan Kemendagri (lihat daftar di bawah) atau nama desa/kelurahan.",
        "62.71.01.1001",
        teks=True,
        lebar=16,
    ),
    Kolom("alamat", "wajib", "Alamat rumah (jalan, nomor, gang).", "Jl. G. Obos No. 12", lebar=28),
    Kolom("rt", "opsional", "Nomor RT, paling banyak 3 angka.", "003", teks=True, lebar=6),
    Kolom("rw", "opsional", "Nomor RW, paling banyak 3 angka.", "001", teks=True, lebar=6),
    Kolom("dusun", "opsional", "Dusun/lingkungan.", "", lebar=16),
    Kolom("latitude", "opsional", "Lintang (angka desimal, misalnya -2.2100).", "-2.2100"),
    Kolom("longitude", "opsional", "Bujur (angka desimal, misalnya 113.9100).", "113.9100"),
    Kolom(
        "nik",
        "wajib jika ada",
        "NIK anggota, 16 angka (kolom ini berformat Teks; jangan ubah ke Angka).",
        "6271011204850001",
        teks=True,
        lebar=20,
    ),
    Kolom(
        "alasan_tanpa_nik",
        "wajib jika NIK kosong",
        "Alasan orang ini belum memiliki NIK (lihat kode di bawah); ditandai perlu rujukan "
        "Dukcapil.",
        "bayi",
        lebar=18,
    ),
    Kolom("nama", "wajib", "Nama lengkap sesuai KTP/KK.", "Budi Santoso", lebar=26),
    Kolom("jenis_kelamin", "wajib", "L (laki-laki) atau P (perempuan).", "L", lebar=8),
    Kolom("tempat_lahir", "opsional", "Tempat lahir.", "Palangka Raya", lebar=16),
    Kolom(
        "tanggal_lahir",
        "opsional",
        "Tanggal lahir: sel bertipe Tanggal, atau teks TTTT-BB-HH atau HH-BB-TTTT.",
        "1985-04-12",
        lebar=14,
    ),
    Kolom(
        "hubungan",
        "wajib",
        "Status hubungan dalam keluarga (SHDK, lihat kode di bawah). Tepat satu anggota yang "
        "masih hidup sebagai kepala_keluarga.",
        "kepala_keluarga",
        lebar=16,
    ),
    Kolom("agama", "opsional", "Agama (lihat kode di bawah).", "islam", lebar=12),
    Kolom("pendidikan", "opsional", "Pendidikan terakhir (lihat kode di bawah).", "sma", lebar=14),
    Kolom("pekerjaan", "opsional", "Pekerjaan.", "Petani", lebar=16),
    Kolom("status_kawin", "opsional", "Status perkawinan (lihat kode di bawah).", "kawin_tercatat"),
    Kolom(
        "disabilitas",
        "opsional",
        "Jenis disabilitas, boleh lebih dari satu dipisah koma (lihat kode di bawah).",
        "fisik, sensorik",
    ),
    Kolom("nama_ibu", "opsional", "Nama ibu kandung.", "Fatimah", lebar=20),
]

KOLOM_PPKS = [
    Kolom(
        "kode_keluarga",
        "salah satu subjek",
        "Kode keluarga dari lembar Keluarga: PPKS untuk keluarga itu (atau, bersama "
        "nama_anggota, untuk salah satu anggotanya).",
        "K001",
        teks=True,
        lebar=14,
    ),
    Kolom(
        "no_kk",
        "salah satu subjek",
        "No KK keluarga (di berkas ini atau yang sudah tercatat di wilayah Anda).",
        "",
        teks=True,
        lebar=20,
    ),
    Kolom(
        "nik",
        "salah satu subjek",
        "NIK orang yang diidentifikasi (di berkas ini atau yang sudah tercatat di wilayah Anda).",
        "6271011204850001",
        teks=True,
        lebar=20,
    ),
    Kolom(
        "nama_anggota",
        "opsional",
        "Untuk anggota tanpa NIK: nama anggota, bersama kode_keluarga atau no_kk.",
        "",
        lebar=22,
    ),
    Kolom(
        "nama_kelompok",
        "salah satu subjek",
        "Untuk kelompok/komunitas: nama kelompok (isi juga kode_desa).",
        "",
        lebar=22,
    ),
    Kolom("kode_desa", "untuk kelompok", "Kode desa/kelurahan kelompok.", "", teks=True),
    Kolom("perkiraan_kk", "opsional", "Kelompok: perkiraan jumlah KK.", "", lebar=10),
    Kolom("perkiraan_jiwa", "opsional", "Kelompok: perkiraan jumlah jiwa.", "", lebar=10),
    Kolom(
        "kategori",
        "wajib",
        "Kategori PPKS: kode (PPKS-24) atau singkatan (FM), lihat daftar di bawah.",
        "FM",
        lebar=10,
    ),
    Kolom(
        "tanggal_identifikasi",
        "wajib",
        "Tanggal identifikasi: sel bertipe Tanggal, atau teks TTTT-BB-HH atau HH-BB-TTTT.",
        "2026-10-01",
        lebar=14,
    ),
    Kolom("deskripsi", "opsional", "Deskripsi kondisi.", "Penghasilan tidak tetap", lebar=30),
    Kolom("kebutuhan", "opsional", "Kebutuhan.", "Bantuan pangan", lebar=30),
    Kolom(
        "status_penanganan",
        "opsional",
        "belum, dalam, dirujuk atau selesai (kosong = belum ditangani).",
        "belum",
        lebar=14,
    ),
]

KOLOM_RUMAH = [
    "no_kk",
    "alasan_tanpa_kk",
    "kode_desa",
    "alamat",
    "rt",
    "rw",
    "dusun",
    "latitude",
    "longitude",
]
WAJIB_KOLOM = {
    LEMBAR_KELUARGA: {"no_kk", "kode_desa", "alamat", "nik", "nama", "jenis_kelamin", "hubungan"},
    LEMBAR_PPKS: {"kategori", "tanggal_identifikasi"},
}
SUBJEK_PPKS = {"kode_keluarga", "no_kk", "nik", "nama_kelompok"}
KOLOM_NOMOR = {"nik", "no_kk"}
# Column names people use in their own spreadsheets.
ALIAS = {
    "nomor_kk": "no_kk",
    "nomor_kartu_keluarga": "no_kk",
    "no_kartu_keluarga": "no_kk",
    "kk": "no_kk",
    "nomor_induk_kependudukan": "nik",
    "no_nik": "nik",
    "nama_lengkap": "nama",
    "jk": "jenis_kelamin",
    "l_p": "jenis_kelamin",
    "kelamin": "jenis_kelamin",
    "tgl_lahir": "tanggal_lahir",
    "shdk": "hubungan",
    "hubungan_dalam_keluarga": "hubungan",
    "status_hubungan": "hubungan",
    "status_perkawinan": "status_kawin",
    "pendidikan_terakhir": "pendidikan",
    "nama_ibu_kandung": "nama_ibu",
    "desa": "kode_desa",
    "desa_kelurahan": "kode_desa",
    "kelurahan": "kode_desa",
    "kode_wilayah": "kode_desa",
    "lintang": "latitude",
    "bujur": "longitude",
    "kategori_ppks": "kategori",
    "tanggal": "tanggal_identifikasi",
    "tgl_identifikasi": "tanggal_identifikasi",
    "kondisi": "deskripsi",
    "deskripsi_kondisi": "deskripsi",
    "nama_individu": "nama_anggota",
    "penanganan": "status_penanganan",
}
_LABEL_KOLOM = {"desa": "kode_desa"}


def _normal_judul(value) -> str:
    teks = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip().lower()
    teks = re.sub(r"[^a-z0-9]+", "_", teks).strip("_")
    return ALIAS.get(teks, teks)


# --- choices: codes, labels and the words people write ---------------------------------------


def _normal(value: str) -> str:
    teks = unicodedata.normalize("NFKC", value).casefold()
    return re.sub(r"[\s_\-/.]+", " ", teks).strip()


def _peta(choices, **tambahan) -> dict[str, str]:
    peta = {}
    for value, label in choices.choices:
        peta[_normal(value)] = value
        peta[_normal(str(label))] = value
    for kata, value in tambahan.items():
        peta[_normal(kata.replace("_", " "))] = value
    return peta


PILIHAN = {
    "jenis_kelamin": _peta(
        JenisKelamin, lk="L", laki_laki="L", pria="L", pr="P", wanita="P", perempuan="P"
    ),
    "hubungan": _peta(
        Hubungan,
        kepala="kepala_keluarga",
        kk="kepala_keluarga",
        orangtua="orang_tua",
        famili="famili_lain",
        lain_lain="lainnya",
    ),
    "agama": _peta(
        Agama,
        protestan="kristen",
        kristen_protestan="kristen",
        budha="buddha",
        konghucu="khonghucu",
        kepercayaan="kepercayaan",
    ),
    "pendidikan": _peta(
        Pendidikan,
        tidak_sekolah="tidak_sekolah",
        belum_sekolah="tidak_sekolah",
        tidak_belum_sekolah="tidak_sekolah",
        belum_tamat_sd="belum_tamat_sd",
        tamat_sd="sd",
        sltp="smp",
        mts="smp",
        slta="sma",
        smk="sma",
        ma="sma",
        d1="diploma",
        d2="diploma",
        d3="diploma",
        d4="s1",
        s2="pascasarjana",
        s3="pascasarjana",
    ),
    "status_kawin": _peta(StatusKawin),
    "alasan_tanpa_nik": _peta(AlasanTanpaNIK, dokumen_hilang="dokumen_hilang"),
    "status_penanganan": _peta(
        StatusPenanganan,
        belum_ditangani="belum",
        dalam_penanganan="dalam",
        sudah_ditangani="selesai",
    ),
}
DISABILITAS = _peta(Disabilitas)
# "KAWIN" on older KKs means a registered marriage; said in a warning, not silently.
KAWIN_SAJA = "kawin"


def daftar_pilihan(nama: str) -> str:
    choices = {
        "jenis_kelamin": JenisKelamin,
        "hubungan": Hubungan,
        "agama": Agama,
        "pendidikan": Pendidikan,
        "status_kawin": StatusKawin,
        "alasan_tanpa_nik": AlasanTanpaNIK,
        "status_penanganan": StatusPenanganan,
        "disabilitas": Disabilitas,
    }[nama]
    return ", ".join(choices.values)
