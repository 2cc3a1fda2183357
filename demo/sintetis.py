"""Synthetic demo data: households with their members, PPKS and PSKS across Kalimantan Tengah.

`buat_data_sintetis(target, seed=...)` tops the database up to `target` households (every
Keluarga row counts, so a re-run with the same target adds nothing). The people are fictitious but
behave like a real register: household compositions with plausible ages, NIKs whose date block
matches the birth date (about 2% deliberately do not, to exercise the warnings), a No KK per
household, the religion, education and occupation mix of the province, about 1% without NIK with a
reason, PPKS and PSKS entries and every verification status.

Speed matters (100,000 households, ~380,000 persons, in well under three minutes on two cores):
rows are generated as plain lists from precomputed tables and written with PostgreSQL COPY, ids
are reserved from the tables' sequences once per batch, and the auto_now fields are written
explicitly (COPY bypasses Model.save, so their values are ours).

Reproducible: every household draws from its own generator seeded by (seed, household number), so
the same seed on the same database state gives the same people, and a top-up continues the
numbering. NIK and No KK serials come from counters that start after the highest serial already
stored under the same prefix, so they never collide with existing rows. Dates are relative to
today: on another day the same people come out with their dates shifted.
"""

import json
import random
import time
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as jam
from functools import partial

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from demo import names as N
from pendataan.models import PPKS, PSKS, Individu, Keluarga, Riwayat
from tksk.audit import catat
from tksk.models import KategoriPPKS, KategoriPSKS, Role, Tingkat, User, Wilayah

# fmt: off
# The demo accounts' kecamatan: each gets every 20th household, so demo users always see data.
KECAMATAN_DEMO = ("62.71.01", "62.71.03", "62.03.01")
PORSI_DEMO = 20

# Rough population of each kabupaten/kota in thousands (2020 census order of magnitude): the
# households are spread in this proportion, then by the size of each kecamatan.
PENDUDUK_KABUPATEN = {
    "62.01": 270, "62.02": 430, "62.03": 410, "62.04": 130, "62.05": 155, "62.06": 160,
    "62.07": 160, "62.08": 65, "62.09": 95, "62.10": 135, "62.11": 135, "62.12": 110,
    "62.13": 115, "62.71": 295,
}
# Remote upriver kabupaten, where Komunitas Adat Terpencil groups are recorded.
KABUPATEN_TERPENCIL = {"62.05", "62.06", "62.07", "62.09", "62.10", "62.12"}

# Religion mix (Islam the majority; Kaharingan is registered as Hindu).
AGAMA_UMUM = {"islam": 80, "kristen": 13, "katolik": 3, "hindu": 3.5, "buddha": 0.5}
AGAMA_KABUPATEN = {
    "62.71": {"islam": 68, "kristen": 25, "katolik": 3, "hindu": 3, "buddha": 1},
    "62.03": {"islam": 85, "kristen": 10, "katolik": 1, "hindu": 3.8, "buddha": 0.2},
    "62.04": {"islam": 70, "kristen": 25, "katolik": 1, "hindu": 3.8, "buddha": 0.2},
    "62.06": {"islam": 60, "kristen": 20, "katolik": 2, "hindu": 17.5, "buddha": 0.5},
    "62.09": {"islam": 55, "kristen": 20, "katolik": 20, "hindu": 4.5, "buddha": 0.5},
    "62.10": {"islam": 32, "kristen": 47, "katolik": 3, "hindu": 17.5, "buddha": 0.5},
    "62.12": {"islam": 60, "kristen": 25, "katolik": 10, "hindu": 4.8, "buddha": 0.2},
    "62.13": {"islam": 50, "kristen": 42, "katolik": 3, "hindu": 4.8, "buddha": 0.2},
}
# Cultural background given the religion: decides the name pools and where migrants came from.
BUDAYA_AGAMA = {
    "islam": {"banjar": 50, "jawa": 32, "dayak_islam": 18},
    "kristen": {"dayak": 88, "jawa": 5, "tionghoa": 4, "lain": 3},
    "katolik": {"dayak": 85, "jawa": 8, "tionghoa": 5, "lain": 2},
    "hindu": {"kaharingan": 85, "bali": 15},
    "buddha": {"tionghoa": 100},
}
# Where adults of each background were born when not in Kalteng (keys of names.ASAL_LUAR), and
# how often that is the case.
ASAL_BUDAYA = {"banjar": "banjar", "dayak_islam": "banjar", "jawa": "jawa", "bali": "bali"}
PENDATANG = {"jawa": 0.25, "bali": 0.25}

UKURAN_KELUARGA = {1: 8, 2: 15, 3: 22, 4: 24, 5: 16, 6: 8, 7: 4, 8: 3}
UMUR_KEPALA = {(20, 29): 15, (30, 39): 27, (40, 49): 25, (50, 59): 18, (60, 69): 10, (70, 84): 5}
SELISIH_UMUR_ISTRI = {-3: 2, -2: 3, -1: 5, 0: 8, 1: 10, 2: 13, 3: 13, 4: 11, 5: 9, 6: 7, 7: 6,
                      8: 5, 10: 4, 12: 3, 15: 1}
# Mother's age at her children's births (days): the first at 19-27, then at least two years apart,
# none after 42.
IBU_MIN = 19 * 365
IBU_MAKS = 42 * 365
JARAK_ANAK = 730

STATUS_LAMA = {"draf": 13, "diajukan": 19, "terverifikasi": 58, "dikembalikan": 10}
STATUS_BARU = {"draf": 40, "diajukan": 35, "terverifikasi": 15, "dikembalikan": 10}
CATATAN_KEMBALI = {
    "tidak_lengkap": ("Tanggal lahir salah satu anak belum diisi, mohon dilengkapi.",
                      "Pendidikan dan pekerjaan anggota keluarga belum lengkap."),
    "tidak_sesuai": ("Nama kepala keluarga berbeda dengan yang tertulis di KK, mohon dicek.",
                     "Jumlah anggota tidak sama dengan KK terbaru."),
    "nik": ("NIK salah satu anggota tidak sesuai KTP, mohon dicek ulang.",),
    "bukan_sasaran": ("Kondisi keluarga di atas kriteria, mohon asesmen ulang.",),
    "lainnya": ("Mohon lampirkan foto rumah dan KK.", "Alamat kurang jelas, mohon dilengkapi."),
}
PENANGANAN_LAMA = {"belum": 20, "dalam": 30, "dirujuk": 20, "selesai": 30}
PENANGANAN_BARU = {"belum": 50, "dalam": 30, "dirujuk": 12, "selesai": 8}

PELAJAR = "Pelajar/Mahasiswa"
BTB = "Belum/Tidak Bekerja"
MRT = "Mengurus Rumah Tangga"
PEKERJAAN = {
    ("L", False): {"Petani/Pekebun": 38, "Buruh Harian Lepas": 15, "Buruh Tani/Perkebunan": 10,
                   "Nelayan/Perikanan": 6, "Wiraswasta": 10, "Pedagang": 6,
                   "Karyawan Swasta": 6, "Sopir": 2, "Tukang Kayu": 2, BTB: 3},
    ("L", True): {"Wiraswasta": 22, "Karyawan Swasta": 20, "Pedagang": 12,
                  "Buruh Harian Lepas": 15, "Sopir": 5, "Petani/Pekebun": 4, "Tukang Batu": 3,
                  BTB: 5},
    ("P", False): {MRT: 52, "Petani/Pekebun": 18, "Pedagang": 9, "Wiraswasta": 5,
                   "Buruh Harian Lepas": 5, "Buruh Tani/Perkebunan": 5, "Karyawan Swasta": 2,
                   BTB: 4},
    ("P", True): {MRT: 50, "Pedagang": 13, "Wiraswasta": 10, "Karyawan Swasta": 11,
                  "Buruh Harian Lepas": 4, "Petani/Pekebun": 2, BTB: 6},
}
PEKERJAAN_TERDIDIK = {"Pegawai Negeri Sipil": 45, "Guru": 25, "Karyawan Swasta": 15,
                      "Karyawan BUMN": 5, "Perawat": 5, "Bidan": 5}
PENDIDIKAN_DEWASA = {
    "muda": {"tidak_sekolah": 2, "belum_tamat_sd": 4, "sd": 18, "smp": 22, "sma": 38,
             "diploma": 5, "s1": 10, "pascasarjana": 1},
    "paruh": {"tidak_sekolah": 5, "belum_tamat_sd": 10, "sd": 30, "smp": 20, "sma": 26,
              "diploma": 3, "s1": 5, "pascasarjana": 1},
    "lansia": {"tidak_sekolah": 20, "belum_tamat_sd": 25, "sd": 35, "smp": 10, "sma": 8,
               "diploma": 1, "s1": 1},
}
JENIS_DISABILITAS = {"fisik": 45, "sensorik": 25, "intelektual": 15, "mental": 15}

# (deskripsi, kebutuhan) alternatives per PPKS category.
URAIAN_PPKS = {
    "FM": (("Penghasilan tidak tetap, di bawah garis kemiskinan; rumah belum layak huni.",
            "Usulan PKH dan Program Sembako; rehab RTLH."),
           ("Kepala keluarga buruh harian dengan tanggungan banyak; makan dua kali sehari.",
            "Bantuan sembako, PBI-JK."),
           ("Keluarga tinggal di rumah panggung kayu yang lapuk, tanpa jamban sendiri.",
            "Rehab rumah, jamban sehat, usulan DTSEN.")),
    "LUT": (("Lansia tinggal dengan keluarga miskin, kebutuhan dasar tidak terpenuhi.",
             "Pendampingan, ATENSI lansia, PBI-JK."),
            ("Lansia sakit-sakitan, tidak ada yang merawat pada siang hari.",
             "Perawatan sosial di rumah (home care), kunjungan Puskesmas.")),
    "PD": (("Penyandang disabilitas dewasa, tidak bekerja, bergantung pada keluarga.",
            "Alat bantu (kursi roda/tongkat), ATENSI disabilitas."),
           ("Disabilitas sejak lahir, belum terdaftar sebagai penerima bantuan.",
            "Pendataan DTSEN, pelatihan keterampilan.")),
    "ADK": (("Anak dengan disabilitas, belum mendapat layanan terapi.",
             "Layanan terapi, sekolah inklusi, alat bantu."),),
    "AT": (("Anak putus sekolah; orang tua tidak mampu memenuhi kebutuhan dasar.",
            "Bantuan pendidikan (PIP), pendampingan."),
           ("Anak diasuh nenek karena orang tua merantau dan tidak mengirim nafkah.",
            "Pendampingan keluarga pengasuh, bantuan pendidikan.")),
    "ABT": (("Balita gizi kurang dari keluarga tidak mampu.",
             "Rujukan Puskesmas, pemberian makanan tambahan."),),
    "PRSE": (("Perempuan kepala keluarga, penghasilan tidak tetap dari berjualan kecil-kecilan.",
              "Bantuan usaha ekonomi produktif (UEP), pelatihan."),),
    "KBA": (("Rumah terendam banjir; perabot dan persediaan makanan rusak.",
             "Logistik, sembako, perbaikan rumah."),
            ("Rumah rusak ringan akibat banjir luapan sungai.", "Bahan bangunan, air bersih.")),
    "GEL": (("Tidak memiliki tempat tinggal tetap, tidur di sekitar pasar.",
             "Penjangkauan, rujukan Dukcapil untuk adminduk, tempat tinggal sementara."),),
    "PGM": (("Meminta-minta di persimpangan jalan.", "Penjangkauan dan rehabilitasi sosial."),),
    "ODHA": (("Dalam pengobatan ARV, membutuhkan pendampingan.", "Pendampingan, PBI-JK."),),
    "NAPZA": (("Pasca rehabilitasi, membutuhkan pendampingan reintegrasi.",
               "Pendampingan, pelatihan kerja."),),
    "KTK": (("Korban kekerasan dalam rumah tangga.", "Rujukan UPTD PPA, pendampingan."),),
    "ABH": (("Anak berhadapan dengan hukum, dalam proses diversi.",
             "Pendampingan Peksos, koordinasi Bapas."),),
    "BWBLP": (("Baru bebas dari lembaga pemasyarakatan, belum memiliki pekerjaan.",
               "Pelatihan keterampilan, bantuan usaha."),),
    "PMBS": (("Pekerja migran yang dipulangkan, tanpa pekerjaan.",
              "Pemulangan, bantuan usaha."),),
    "KBSP": (("Konflik keluarga berkepanjangan, pengasuhan anak terabaikan.",
              "Konseling keluarga (LK3), pendampingan."),),
    "KAT": (("Komunitas di hulu sungai, akses hanya lewat sungai, bergantung pada ladang "
             "berpindah.", "Pemberdayaan KAT, layanan adminduk, air bersih."),),
}
# Rare, sensitive categories and who in the household they can concern: (min age, max age, sex).
SENSITIF = {"ODHA": (18, 120, ""), "NAPZA": (15, 45, ""), "KTK": (10, 120, "P"),
            "ABH": (12, 17, ""), "BWBLP": (19, 120, "L"), "PMBS": (18, 50, ""), "KBSP": None}
# fmt: on

BATCH = 5000
HARI_18_BULAN = 548


def _tabel(bobot: dict) -> tuple:
    """(values, cumulative weights, total) for fast weighted draws with bisect."""
    nilai = tuple(bobot)
    kumulatif, total = [], 0.0
    for v in nilai:
        total += bobot[v]
        kumulatif.append(total)
    return nilai, tuple(kumulatif), total


def _pilih(r, tabel):
    nilai, kumulatif, total = tabel
    return nilai[bisect(kumulatif, r() * total)]


def _uuid(rng) -> str:
    """Version-4 UUID from a seeded generator (reproducible, unlike uuid.uuid4())."""
    n = rng.getrandbits(128)
    n = (n & ~(0xF000 << 64) & ~(0xC000 << 48)) | (0x4000 << 64) | (0x8000 << 48)
    return f"{n:032x}"


@dataclass
class Hasil:
    sudah_ada: int = 0
    keluarga: int = 0
    individu: int = 0
    ppks: int = 0
    psks: int = 0
    riwayat: int = 0
    detik: float = 0.0

    def __str__(self) -> str:
        if not self.keluarga:
            return f"Data sintetis: sudah ada {self.sudah_ada} keluarga, tidak ada yang ditambah."
        return (
            f"Data sintetis: {self.keluarga} keluarga, {self.individu} individu, {self.ppks} PPKS, "
            f"{self.psks} PSKS ditambahkan dalam {self.detik:.1f} detik "
            f"(sebelumnya {self.sudah_ada} keluarga)."
        )


@dataclass
class _Batch:
    """Rows of one batch. Ids and references in them are batch-local until _simpan."""

    keluarga: list = field(default_factory=list)
    individu: list = field(default_factory=list)
    ppks: list = field(default_factory=list)
    psks: list = field(default_factory=list)
    riwayat: list = field(default_factory=list)


# fmt: off
# Columns written by COPY, in row order. Every other column gets its model default (_kolom_tetap),
# so a field added later with a default does not break the generator.
KOLOM = {
    Keluarga: ("id", "uuid", "status", "alasan_kembali", "catatan_verifikasi",
               "diverifikasi_pada", "dibuat_pada", "diubah_pada", "versi", "no_kk",
               "alasan_tanpa_kk", "alamat", "rt", "rw", "dusun", "nama_kepala", "jumlah_anggota",
               "desa_id", "dibuat_oleh_id", "diubah_oleh_id", "diverifikasi_oleh_id"),
    Individu: ("id", "uuid", "nik", "alasan_tanpa_nik", "nama", "jenis_kelamin", "tempat_lahir",
               "tanggal_lahir", "hubungan", "agama", "pendidikan", "pekerjaan", "status_kawin",
               "disabilitas", "status_hidup", "nama_ibu", "dibuat_pada", "diubah_pada", "desa_id",
               "keluarga_id"),
    PPKS: ("id", "uuid", "status", "alasan_kembali", "catatan_verifikasi", "diverifikasi_pada",
           "dibuat_pada", "diubah_pada", "versi", "subjek", "nama_kelompok", "perkiraan_kk",
           "perkiraan_jiwa", "tanggal_identifikasi", "deskripsi", "kebutuhan",
           "status_penanganan", "jenis_kelamin", "desa_id", "dibuat_oleh_id", "diubah_oleh_id",
           "diverifikasi_oleh_id", "individu_id", "kategori_id", "keluarga_id"),
    PSKS: ("id", "uuid", "status", "alasan_kembali", "catatan_verifikasi", "diverifikasi_pada",
           "dibuat_pada", "diubah_pada", "versi", "nama", "jenis", "alamat", "kontak_nama",
           "telepon", "kapasitas", "layanan", "aktif", "desa_id", "dibuat_oleh_id",
           "diubah_oleh_id", "diverifikasi_oleh_id", "individu_id", "kategori_id"),
    Riwayat: ("id", "objek_tipe", "objek_uuid", "keluarga_uuid", "waktu", "aksi", "perubahan",
              "status_dari", "status_ke", "alasan", "catatan", "desa_id", "pelaku_id"),
}
# Positions of the batch-local references that _simpan turns into database ids.
I_KELUARGA = KOLOM[Individu].index("keluarga_id")
P_INDIVIDU = KOLOM[PPKS].index("individu_id")
P_KELUARGA = KOLOM[PPKS].index("keluarga_id")
S_INDIVIDU = KOLOM[PSKS].index("individu_id")
# fmt: on


def _kolom_tetap(model) -> tuple[tuple[str, ...], tuple]:
    """Columns the generator does not fill, with the model default written for every row."""
    diisi = set(KOLOM[model])
    nama, nilai = [], []
    for f in model._meta.concrete_fields:
        if f.column in diisi or f.generated:  # a generated column is the database's to write
            continue
        if f.has_default():
            v = f.get_default()
            v = json.dumps(v) if f.get_internal_type() == "JSONField" else v
        elif f.null:
            v = None
        else:
            raise RuntimeError(
                f"demo.sintetis: kolom {model._meta.db_table}.{f.column} wajib diisi tetapi "
                "tidak punya nilai bawaan; tambahkan ke generator."
            )
        nama.append(f.column)
        nilai.append(v)
    return tuple(nama), tuple(nilai)


class Generator:
    """Generates household number `nomor` for one seed into a batch (see `keluarga`)."""

    def __init__(self, *, seed: int, salt: tuple, hari_ini: date, sekarang: datetime):
        self.seed = seed
        self.hari_ini = hari_ini
        self.sekarang = sekarang
        self.zona = timezone.get_current_timezone()
        self.catatan_impor = f"Data sintetis untuk demo (seed_demo, seed {seed})."
        # UUIDs come from one stream per load; see buat_data_sintetis for the salt.
        self.urng = random.Random(f"uuid:{seed}:{salt}")  # noqa: S311 (demo data, not secrets)
        self._muat_wilayah()
        self._muat_pengguna()
        self._muat_kategori()
        self._muat_yang_ada()
        self._siapkan_tabel()

    # --- lookup tables, loaded once -----------------------------------------------------------

    def _muat_wilayah(self):
        wilayah = list(
            Wilayah.objects.filter(kode__startswith="62", aktif=True).values(
                "id", "kode", "nama", "tingkat", "kecamatan_id", "kabupaten_id"
            )
        )
        kode = {w["id"]: w["kode"] for w in wilayah}
        desa_per_kec: dict[int, list] = {}
        for w in sorted(wilayah, key=lambda w: w["kode"]):
            if w["tingkat"] == Tingkat.DESA:
                desa_per_kec.setdefault(w["kecamatan_id"], []).append(w)
        if not desa_per_kec:
            raise RuntimeError("Wilayah belum dimuat: jalankan `manage.py load_wilayah` dulu.")
        self.kecamatan = {}
        luas_kab: dict[int, int] = {}
        for w in wilayah:
            if w["tingkat"] != Tingkat.KECAMATAN or w["id"] not in desa_per_kec:
                continue
            desa = [
                # Kelurahan (code 1xxx) are urban and hold about three times a desa's households.
                (d["id"], d["nama"], d["kode"].rsplit(".", 1)[1].startswith("1"))
                for d in desa_per_kec[w["id"]]
            ]
            bobot = {i: 3 if kota else 1 for i, (_, _, kota) in enumerate(desa)}
            self.kecamatan[w["id"]] = {
                "id": w["id"],
                "kode": w["kode"],
                "nama": w["nama"],
                "digit": w["kode"].replace(".", ""),
                "kab_id": w["kabupaten_id"],
                "kab_kode": kode[w["kabupaten_id"]],
                "desa": desa,
                "tabel_desa": _tabel(bobot),
                "ukuran": sum(bobot.values()),
            }
            luas_kab[w["kabupaten_id"]] = luas_kab.get(w["kabupaten_id"], 0) + sum(bobot.values())
        # Province-wide weights: the kabupaten's population split by its kecamatan's sizes.
        bobot_kec = {
            k["id"]: PENDUDUK_KABUPATEN.get(k["kab_kode"], 100)
            * k["ukuran"]
            / luas_kab[k["kab_id"]]
            for k in sorted(self.kecamatan.values(), key=lambda k: k["kode"])
        }
        self.tabel_kec = _tabel(bobot_kec)
        per_kode = {k["kode"]: k["id"] for k in self.kecamatan.values()}
        self.kec_demo = [per_kode[k] for k in KECAMATAN_DEMO if k in per_kode]
        self.kec_digit = tuple(sorted(k["digit"] for k in self.kecamatan.values()))
        # Flood-hit desa (1 in 25), fixed by the seed: their households share a flood date.
        rng = random.Random(f"banjir:{self.seed}")  # noqa: S311
        semua_desa = sorted(d[0] for k in self.kecamatan.values() for d in k["desa"])
        self.banjir = {
            d: self.hari_ini - timedelta(days=rng.randrange(20, HARI_18_BULAN))
            for d in rng.sample(semua_desa, max(1, len(semua_desa) // 25))
        }

    def _muat_pengguna(self):
        """Who records (the kecamatan's TKSK) and who verifies (the kabupaten's Dinas), if any."""
        self.tksk, self.dinas, self.nama_tksk = {}, {}, {}
        akun = User.objects.filter(is_active=True, wilayah__isnull=False).order_by("id")
        for user in akun.only("id", "role", "wilayah_id", "first_name", "last_name"):
            if user.role == Role.TKSK:
                self.tksk.setdefault(user.wilayah_id, user.id)
                if user.get_full_name():
                    self.nama_tksk.setdefault(user.wilayah_id, user.get_full_name())
            elif user.role == Role.KABUPATEN:
                self.dinas.setdefault(user.wilayah_id, user.id)

    def _muat_kategori(self):
        self.kat_ppks = dict(KategoriPPKS.objects.values_list("singkatan", "id"))
        self.kat_psks = dict(KategoriPSKS.objects.values_list("singkatan", "id"))

    def _muat_yang_ada(self):
        """Serial counters per 12-digit prefix, starting after what the database already holds,
        and the areas that already have their one-per-area PSKS and KAT entries."""
        with connection.cursor() as c:
            c.execute(
                "SELECT left(nik, 12), max(right(nik, 4)::int) FROM pendataan_individu "
                "WHERE nik ~ '^[0-9]{16}$' GROUP BY 1"
            )
            self.seri_nik = dict(c.fetchall())
            c.execute(
                "SELECT left(no_kk, 12), max(right(no_kk, 4)::int) FROM pendataan_keluarga "
                "WHERE no_kk ~ '^[0-9]{16}$' GROUP BY 1"
            )
            self.seri_kk = dict(c.fetchall())
        psks = PSKS.objects.values_list
        self.desa_ada_kt = set(
            psks("desa_id", flat=True).filter(kategori_id=self.kat_psks.get("KT"))
        )
        self.kec_ada_psks = set(
            psks("desa__kecamatan_id", flat=True).filter(kategori_id=self.kat_psks.get("TKSK"))
        )
        self.kec_ada_kat = set(
            PPKS.objects.filter(kategori_id=self.kat_ppks.get("KAT")).values_list(
                "desa__kecamatan_id", flat=True
            )
        )

    def _siapkan_tabel(self):
        self.t_ukuran = _tabel(UKURAN_KELUARGA)
        self.t_selisih = _tabel(SELISIH_UMUR_ISTRI)
        self.t_umur_kepala = _tabel(UMUR_KEPALA)
        self.t_agama = {k: _tabel(v) for k, v in AGAMA_KABUPATEN.items()}
        self.t_agama_umum = _tabel(AGAMA_UMUM)
        self.t_budaya = {k: _tabel(v) for k, v in BUDAYA_AGAMA.items()}
        self.t_status_lama = _tabel(STATUS_LAMA)
        self.t_status_baru = _tabel(STATUS_BARU)
        self.t_tangani_lama = _tabel(PENANGANAN_LAMA)
        self.t_tangani_baru = _tabel(PENANGANAN_BARU)
        self.t_kerja = {k: _tabel(v) for k, v in PEKERJAAN.items()}
        self.t_terdidik = _tabel(PEKERJAAN_TERDIDIK)
        self.t_didik = {k: _tabel(v) for k, v in PENDIDIKAN_DEWASA.items()}
        self.t_disabilitas = _tabel(JENIS_DISABILITAS)
        self.alasan_kembali = tuple(CATATAN_KEMBALI)

    # --- identifiers --------------------------------------------------------------------------

    def _nomor(self, penghitung: dict, wilayah: str, blok: str) -> str:
        """Next serial for region + date block; past 9999 the next kecamatan code takes over."""
        for awal in (wilayah, *self.kec_digit):
            awalan = awal + blok
            n = penghitung.get(awalan, 0) + 1
            if n <= 9999:
                penghitung[awalan] = n
                return f"{awalan}{n:04d}"
        raise RuntimeError("Nomor urut NIK/No KK habis.")

    def nik(self, r, wilayah: str, lahir: date, jk: str) -> str:
        """NIK with the date block of the birth date (2% deliberately off: typo or wrong sex)."""
        tanggal = lahir
        if r() < 0.02:
            x = r()
            if x < 0.15:
                jk = "P" if jk == "L" else "L"
            elif x < 0.55:
                tanggal = lahir + timedelta(days=1 + int(r() * 3))
            elif x < 0.8:
                tanggal = lahir - timedelta(days=1 + int(r() * 40))
            else:
                tanggal = lahir.replace(day=min(lahir.day, 28)) - timedelta(days=365)
            if tanggal > self.hari_ini:
                tanggal = lahir - timedelta(days=1)
        hari = tanggal.day + (40 if jk == "P" else 0)
        return self._nomor(
            self.seri_nik, wilayah, f"{hari:02d}{tanggal.month:02d}{tanggal.year % 100:02d}"
        )

    def no_kk(self, wilayah: str, tanggal: date) -> str:
        """No KK: kecamatan, date of recording (DDMMYY, no +40), serial."""
        return self._nomor(
            self.seri_kk, wilayah, f"{tanggal.day:02d}{tanggal.month:02d}{tanggal.year % 100:02d}"
        )

    # --- names --------------------------------------------------------------------------------

    def nama(self, rng, jk: str, budaya: str, agama: str, lahir: int, marga: str = "") -> str:
        """A full name for someone of this background born in year `lahir`."""
        ch = rng.choice
        r = rng.random
        laki = jk == "L"
        modern = lahir >= 2000
        tua = lahir < 1965
        kristen = agama in ("kristen", "katolik")
        if tua and r() < 0.4 and budaya in ("banjar", "dayak_islam", "jawa"):
            return ch(N.NAMA_TUNGGAL_L if laki else N.NAMA_TUNGGAL_P)
        if budaya == "bali":
            awalan = ch(N.BALI_AWALAN_L if laki else N.BALI_AWALAN_P)
            return f"{awalan} {ch(N.BALI_L if laki else N.BALI_P)}"
        if budaya == "tionghoa":
            return f"{ch(N.TIONGHOA_L if laki else N.TIONGHOA_P)} {marga or ch(N.TIONGHOA_MARGA)}"
        if kristen:
            if modern:
                depan = ch(N.MODERN_KRISTEN_L if laki else N.MODERN_KRISTEN_P)
            elif budaya == "dayak" and r() < 0.25:
                depan = ch(N.DAYAK_L if laki else N.DAYAK_P)
            else:
                depan = ch(N.KRISTEN_L if laki else N.KRISTEN_P)
            if budaya == "jawa":
                return f"{depan} {ch(N.JAWA_BELAKANG)}" if laki else depan
            if tua and r() < 0.3:
                return depan
            return f"{depan} {marga or ch(N.DAYAK_MARGA)}"
        if budaya == "kaharingan":
            if modern and r() < 0.5:
                depan = ch(N.MODERN_NETRAL_L if laki else N.MODERN_NETRAL_P)
            else:
                depan = ch(N.DAYAK_L if laki else N.DAYAK_P)
            if tua and r() < 0.5:
                return depan
            return f"{depan} {marga or ch(N.DAYAK_MARGA)}"
        # Muslim Banjar, Bakumpai/Dayak and Javanese families.
        if modern:
            depan = ch(
                (N.MODERN_ISLAM_L if laki else N.MODERN_ISLAM_P)
                if r() < 0.7
                else (N.MODERN_NETRAL_L if laki else N.MODERN_NETRAL_P)
            )
        elif budaya == "jawa":
            depan = ch(N.JAWA_L if laki else N.JAWA_P)
            if r() < 0.5 or " " in depan:
                return depan
            return f"{depan} {ch(N.JAWA_BELAKANG if laki else N.ISLAM_BELAKANG_P)}"
        else:
            depan = ch(N.ISLAM_L if laki else N.ISLAM_P)
        if " " in depan or r() < 0.35:
            return depan
        belakang = ch(N.ISLAM_BELAKANG_L if laki else N.ISLAM_BELAKANG_P)
        return depan if belakang == depan else f"{depan} {belakang}"

    # --- one household ------------------------------------------------------------------------

    def keluarga(self, nomor: int, b: _Batch) -> None:
        """Append household number `nomor` with its members, PPKS, PSKS and history to `b`."""
        rng = random.Random((self.seed << 40) + nomor)  # noqa: S311
        r = rng.random

        slot = nomor % PORSI_DEMO
        kec_id = self.kec_demo[slot] if slot < len(self.kec_demo) else _pilih(r, self.tabel_kec)
        kec = self.kecamatan[kec_id]
        desa_id, desa_nama, kota = kec["desa"][_pilih(r, kec["tabel_desa"])]
        agama = _pilih(r, self.t_agama.get(kec["kab_kode"], self.t_agama_umum))
        budaya = _pilih(r, self.t_budaya[agama])
        marga = ""
        if budaya in ("dayak", "kaharingan", "lain"):
            marga = rng.choice(N.DAYAK_MARGA)
        elif budaya == "tionghoa":
            marga = rng.choice(N.TIONGHOA_MARGA)
        gelandangan = r() < 0.003 and budaya in ("banjar", "jawa", "dayak_islam", "dayak")

        anggota = self._susunan(r, gelandangan, kota)

        # The household row's dates and verification.
        umur_catatan = int(r() * HARI_18_BULAN)
        dibuat = self.sekarang - timedelta(days=umur_catatan, seconds=int(r() * 36000))
        status, alasan, catatan, diverif, versi, diubah = self._status(r, rng, umur_catatan, dibuat)
        tksk = self.tksk.get(kec_id)
        k_lokal = len(b.keluarga)
        k_uuid = _uuid(self.urng)

        kota_lahir = N.KOTA_KABUPATEN.get(kec["kab_kode"], "Palangka Raya")
        asal_luar = N.ASAL_LUAR[ASAL_BUDAYA.get(budaya, "lain")]
        pendatang = PENDATANG.get(budaya, 0.05)
        nama_ibu_anak = nama_kepala = ""
        kk_sejak = date(2012, 1, 1)  # the KK was last issued after its youngest NIK holder's birth
        orang = []  # (local id, hubungan, jk, age in years, disabilities, name, birth date)
        for hub, jk, umur, kawin in anggota:
            lahir = self.hari_ini - timedelta(days=umur)
            umur_th = umur // 365
            nama = self.nama(
                rng, jk, budaya, agama, lahir.year, marga if jk == "L" or hub == "anak" else ""
            )
            if hub == "kepala_keluarga":
                nama_kepala = nama
            if hub == "istri" or (hub == "kepala_keluarga" and jk == "P"):
                nama_ibu_anak = nama
            if hub == "anak" and nama_ibu_anak:
                ibu = nama_ibu_anak
            else:
                ibu = self.nama(rng, "P", budaya, agama, lahir.year - 25)
            # Birthplace, and so where the NIK was first issued (~10% outside the kecamatan).
            x = r()
            if umur_th >= 20 and x < pendatang:
                tempat, wilayah_nik = rng.choice(asal_luar)
            else:
                tempat, wilayah_nik = (kota_lahir if x < 0.6 else kec["nama"]), kec["digit"]
                if r() < 0.04:
                    wilayah_nik = rng.choice(self.kec_digit)  # moved within the province
            alasan_tanpa = ""
            if gelandangan:
                alasan_tanpa = "gelandangan"
            elif umur < 365 and r() < 0.5:
                alasan_tanpa = "bayi"
            elif umur_th >= 17 and r() < 0.002:
                alasan_tanpa = "dokumen_hilang" if r() < 0.5 else "tidak_terdaftar"
            nik = None if alasan_tanpa else self.nik(r, wilayah_nik, lahir, jk)
            if nik and lahir > kk_sejak:
                kk_sejak = lahir
            pendidikan = self._pendidikan(r, umur_th, kota)
            pekerjaan = self._pekerjaan(r, umur_th, jk, kota, pendidikan, hub)
            disabilitas = ()
            if r() < (0.006 if umur_th < 18 else 0.015 if umur_th < 60 else 0.06):
                disabilitas = (_pilih(r, self.t_disabilitas),)
                lain = _pilih(r, self.t_disabilitas)
                if r() < 0.1 and lain != disabilitas[0]:
                    disabilitas = (*disabilitas, lain)
                if umur_th >= 18 and r() < 0.6:
                    pekerjaan = BTB
            # Born after the household was recorded: added later, which updated the household.
            m_dibuat = dibuat
            if lahir >= dibuat.date():
                tambah = (lahir - dibuat.date()).days + 1 + int(r() * 20)
                m_dibuat = min(dibuat + timedelta(days=tambah), self.sekarang)
                if m_dibuat > diubah:
                    diubah = m_dibuat
                    diverif = diubah if diverif else None
            i_lokal = len(b.individu)
            b.individu.append(
                [i_lokal, _uuid(self.urng), nik, alasan_tanpa, nama, jk, tempat, lahir, hub,
                 agama, pendidikan, pekerjaan, kawin, json.dumps(list(disabilitas)), "hidup", ibu,
                 m_dibuat, max(m_dibuat, diubah), desa_id, k_lokal]
            )  # fmt: skip
            orang.append((i_lokal, hub, jk, umur_th, disabilitas, nama, lahir))

        if gelandangan:
            no_kk, tanpa_kk = None, "Tidak memiliki KK: gelandangan, tanpa tempat tinggal tetap."
            alamat, rt, rw, dusun = f"Tidak tetap, sekitar pasar {kec['nama']}", "", "", ""
        else:
            rentang = max((dibuat.date() - kk_sejak).days, 1)
            tanggal_kk = min(kk_sejak + timedelta(days=int(r() * rentang)), self.hari_ini)
            no_kk, tanpa_kk = self.no_kk(kec["digit"], tanggal_kk), ""
            alamat, rt, rw, dusun = self._alamat(r, rng, kota)
        verifikator = self.dinas.get(kec["kab_id"]) if diverif else None
        b.keluarga.append(
            [k_lokal, k_uuid, status, alasan, catatan, diverif, dibuat, diubah, versi, no_kk,
             tanpa_kk, alamat, rt, rw, dusun, nama_kepala, len(anggota), desa_id, tksk, tksk,
             verifikator]
        )  # fmt: skip
        # One history row per household (not per person: that would double the data), and the
        # return with its note for returned ones.
        b.riwayat.append(
            ["keluarga", k_uuid, k_uuid, dibuat, "impor", "{}", "", "", "", self.catatan_impor,
             desa_id, tksk]
        )  # fmt: skip
        if status == "dikembalikan":
            b.riwayat.append(
                ["keluarga", k_uuid, k_uuid, diverif, "transisi", "{}", "diajukan", "dikembalikan",
                 alasan, catatan, desa_id, verifikator]
            )  # fmt: skip

        self._ppks(rng, b, kec, desa_id, desa_nama, k_lokal, dibuat, orang, gelandangan)
        self._psks(rng, b, kec, desa_id, desa_nama, dibuat, orang, nama_kepala, budaya, agama)

    def _susunan(self, r, gelandangan: bool, kota: bool) -> list[list]:
        """The members as [hubungan, jenis_kelamin, age in days, status_kawin], head first."""

        def umur(tahun_min, tahun_max):
            return int((tahun_min + r() * (tahun_max - tahun_min + 1)) * 365.25)

        if gelandangan:
            return [["kepala_keluarga", "L" if r() < 0.8 else "P", umur(25, 65),
                     "belum_kawin" if r() < 0.6 else "cerai_hidup"]]  # fmt: skip
        ukuran = _pilih(r, self.t_ukuran)
        if ukuran == 1:
            x = r()
            if x < 0.5:  # elderly widow(er)
                return [["kepala_keluarga", "P" if r() < 0.65 else "L", umur(60, 88), "cerai_mati"]]
            if x < 0.85:  # young single adult
                return [["kepala_keluarga", "L" if r() < 0.6 else "P", umur(20, 35), "belum_kawin"]]
            return [["kepala_keluarga", "L" if r() < 0.5 else "P", umur(35, 59), "cerai_hidup"]]

        x = r()
        jenis = "pasangan" if x < 0.8 else ("ibu" if x < 0.94 else "ayah")
        a, z = _pilih(r, self.t_umur_kepala)
        if jenis != "pasangan":
            a, z = max(a, 28), max(z, 45)
        umur_kepala = umur(a, z)
        sisa = ukuran - (2 if jenis == "pasangan" else 1)
        n_cucu = n_ortu = n_famili = 0
        if umur_kepala >= 45 * 365 and sisa >= 2 and r() < 0.3:
            n_cucu = 1 if r() < 0.6 else 2
        if umur_kepala <= 55 * 365 and sisa - n_cucu >= 1 and r() < 0.12:
            n_ortu = 1
        if sisa - n_cucu - n_ortu >= 2 and r() < 0.03:
            n_famili = 1
        n_anak = sisa - n_cucu - n_ortu - n_famili
        if umur_kepala >= 60 * 365 and n_anak > 2:  # older couples: grandchildren, not children
            n_cucu += n_anak - 2
            n_anak = 2

        if jenis == "pasangan":
            umur_ibu = umur_kepala - int(_pilih(r, self.t_selisih) * 365.25) - int(r() * 300)
        elif jenis == "ibu":
            umur_ibu = umur_kepala
        else:  # the children's mother is not in the household
            umur_ibu = umur_kepala - 3 * 365
        # Mother's age at each birth; she (and the head) are older than the last one if needed.
        usia_lahir = []
        if n_anak:
            usia_lahir = [IBU_MIN + int(r() * 8 * 365)]
            for _ in range(n_anak - 1):
                usia_lahir.append(usia_lahir[-1] + JARAK_ANAK + int(r() * 3 * 365))
            if usia_lahir[-1] > IBU_MAKS:
                pertama = min(usia_lahir[0], IBU_MAKS - (n_anak - 1) * JARAK_ANAK)
                usia_lahir = [pertama + i * JARAK_ANAK for i in range(n_anak)]
            if umur_ibu < usia_lahir[-1]:
                tambah = usia_lahir[-1] - umur_ibu + int(r() * 3 * 365)
                umur_ibu += tambah
                umur_kepala += tambah
        umur_ibu = max(umur_ibu, 18 * 365)

        anggota = []
        if jenis == "pasangan":
            kawin = "kawin_tercatat" if r() < (0.9 if kota else 0.8) else "kawin_belum_tercatat"
            anggota.append(["kepala_keluarga", "L", umur_kepala, kawin])
            anggota.append(["istri", "P", umur_ibu, kawin])
        elif jenis == "ibu":
            kawin = "cerai_mati" if umur_kepala > 50 * 365 and r() < 0.7 else "cerai_hidup"
            anggota.append(["kepala_keluarga", "P", umur_kepala, kawin])
        else:
            anggota.append(["kepala_keluarga", "L", umur_kepala,
                            "cerai_mati" if r() < 0.6 else "cerai_hidup"])  # fmt: skip
        if n_ortu:
            umur_ortu = min(umur_kepala + int((22 + r() * 14) * 365.25), 95 * 365)
            anggota.append(["orang_tua" if r() < 0.6 else "mertua", "P" if r() < 0.7 else "L",
                            umur_ortu, "cerai_mati"])  # fmt: skip
        for usia in usia_lahir:
            umur_anak = umur_ibu - usia
            kawin = "cerai_hidup" if umur_anak > 24 * 365 and r() < 0.08 else "belum_kawin"
            anggota.append(["anak", "L" if r() < 0.51 else "P", umur_anak, kawin])
        batas_cucu = min(max(1, umur_kepala - 38 * 365), 16 * 365)
        for _ in range(n_cucu):
            anggota.append(["cucu", "L" if r() < 0.51 else "P", int(r() * batas_cucu),
                            "belum_kawin"])  # fmt: skip
        for _ in range(n_famili):
            anggota.append(["famili_lain", "L" if r() < 0.5 else "P", umur(10, 25), "belum_kawin"])
        return anggota

    # --- attributes -----------------------------------------------------------------------------

    def _status(self, r, rng, umur_hari: int, dibuat: datetime) -> tuple:
        """(status, alasan_kembali, catatan, diverifikasi_pada, versi, diubah_pada) of a record
        created `umur_hari` days ago: recent ones are more often still in draft."""
        status = _pilih(r, self.t_status_baru if umur_hari < 30 else self.t_status_lama)
        diubah = min(
            dibuat + timedelta(seconds=int(r() * min(umur_hari, 60) * 86400)), self.sekarang
        )
        versi = 1 if r() < 0.8 else 2 + int(r() * 2)
        alasan = catatan = ""
        diverif = None
        if status in ("terverifikasi", "dikembalikan"):
            diverif = diubah
            if status == "dikembalikan":
                alasan = rng.choice(self.alasan_kembali)
                catatan = rng.choice(CATATAN_KEMBALI[alasan])
        return status, alasan, catatan, diverif, versi, diubah

    def _pendidikan(self, r, umur: int, kota: bool) -> str:
        if umur < 5:
            return "tidak_sekolah"
        if umur < 7:
            return "tidak_sekolah" if r() < 0.7 else "belum_tamat_sd"
        if umur < 13:
            return "belum_tamat_sd"
        if umur < 16:
            return "sd"
        if umur < 19:
            return "smp"
        if umur < 23:
            x = r()
            return "sma" if x < 0.8 else ("smp" if x < 0.95 else "sd")
        kelompok = "muda" if umur < 40 else ("paruh" if umur < 60 else "lansia")
        if kota and kelompok != "muda" and r() < 0.3:
            kelompok = "muda"
        return _pilih(r, self.t_didik[kelompok])

    def _pekerjaan(self, r, umur: int, jk: str, kota: bool, pendidikan: str, hub: str) -> str:
        if umur < 5:
            return BTB
        if umur < 19:
            return PELAJAR if r() < 0.9 else BTB
        terdidik = pendidikan in ("diploma", "s1", "pascasarjana")
        if umur < 24 and (terdidik or pendidikan == "sma") and r() < 0.35:
            return PELAJAR
        if umur >= 60:
            x = r()
            if terdidik and x < 0.5:
                return "Pensiunan"
            if jk == "P":
                return MRT if x < 0.6 else BTB
            return "Petani/Pekebun" if not kota and x < 0.5 else BTB
        if terdidik and r() < 0.55:
            return _pilih(r, self.t_terdidik)
        if hub == "anak" and r() < 0.3:
            return BTB
        return _pilih(r, self.t_kerja[(jk, kota)])

    def _alamat(self, r, rng, kota: bool) -> tuple[str, str, str, str]:
        """(alamat, rt, rw, dusun): town streets with RW, village roads with a dusun."""
        rt = f"{1 + int(r() * (20 if kota else 8)):03d}"
        if kota:
            alamat = f"{rng.choice(N.JALAN_KOTA)} No. {1 + int(r() * 120)}"
            return alamat, rt, f"{1 + int(r() * 8):03d}", ""
        alamat = rng.choice(N.JALAN_DESA)
        if r() < 0.4:
            alamat = f"{alamat} No. {1 + int(r() * 60)}"
        dusun = f"Dusun {('I', 'II', 'III', 'IV')[int(r() * 4)]}"
        return alamat, rt, "" if r() < 0.6 else "001", dusun

    def _tercatat(self, r, rng, sejak: date, tetap: bool = False, setelah=None) -> tuple:
        """(tanggal, status..., dibuat) of a PPKS/PSKS identified on or after `sejak` (on it
        when `tetap`), entered into the app up to two days later, and not before `setelah` (the
        household it concerns was entered)."""
        tanggal = sejak
        if not tetap and r() >= 0.7:
            tanggal = sejak + timedelta(days=int(r() * ((self.hari_ini - sejak).days + 1)))
        umur_hari = (self.hari_ini - tanggal).days
        pagi = datetime.combine(tanggal, jam(8), tzinfo=self.zona)
        dibuat = pagi + timedelta(days=min(int(r() * 3), umur_hari), seconds=int(r() * 36000))
        if setelah is not None and dibuat <= setelah:
            dibuat = setelah + timedelta(seconds=60 + int(r() * 3600))
        dibuat = min(dibuat, self.sekarang)
        umur_hari = min(umur_hari, (self.sekarang - dibuat).days)
        return (tanggal, umur_hari, *self._status(r, rng, umur_hari, dibuat), dibuat)

    # --- PPKS and PSKS --------------------------------------------------------------------------

    def _ppks(self, rng, b, kec, desa_id, desa_nama, k_lokal, dibuat, orang, gelandangan):
        """About a quarter of households: Fakir Miskin most often, plus what their members'
        ages, sex and disabilities suggest; flood victims in flood-hit desa.

        A PPKS is dated between the household's recording and today, so a person qualifies by
        age only if they fit the category's age range over that whole span."""
        r = rng.random
        sejak = dibuat.date()

        def usia(o):
            """(age when the household was recorded or None if born later, age today)."""
            lahir = o[6]
            if lahir > sejak:
                return None, o[3]
            awal = sejak.year - lahir.year - ((sejak.month, sejak.day) < (lahir.month, lahir.day))
            return awal, o[3]

        def cocok(o, muda, tua):
            awal, kini = usia(o)
            return awal is not None and awal >= muda and kini <= tua

        daftar = []  # (category, member's local id or None for the household, member's sex)
        kepala = orang[0]
        if gelandangan:
            daftar.append(("GEL", kepala[0], kepala[2]))
            if r() < 0.3:
                daftar.append(("PGM", kepala[0], kepala[2]))
        else:
            terpilih = r() < 0.2
            if terpilih and r() < 0.72:
                daftar.append(("FM", None, ""))
            for o in orang:
                i_lokal, jk, disabilitas = o[0], o[2], o[4]
                if disabilitas and r() < (0.8 if terpilih else 0.45):
                    if cocok(o, 18, 200):
                        daftar.append(("PD", i_lokal, jk))
                    elif cocok(o, 0, 17):
                        daftar.append(("ADK", i_lokal, jk))
                if not terpilih:
                    continue
                x = r()
                if x < 0.35 and cocok(o, 60, 200):
                    daftar.append(("LUT", i_lokal, jk))
                elif x < 0.06 and cocok(o, 6, 17):
                    daftar.append(("AT", i_lokal, jk))
                elif x < 0.04 and cocok(o, 0, 5):
                    daftar.append(("ABT", i_lokal, jk))
            if terpilih:
                tanpa_pasangan = not any(o[1] in ("istri", "suami") for o in orang)
                if kepala[2] == "P" and tanpa_pasangan and cocok(kepala, 18, 59) and r() < 0.6:
                    daftar.append(("PRSE", kepala[0], "P"))
                if r() < 0.03:
                    singkatan = rng.choice(tuple(SENSITIF))
                    syarat = SENSITIF[singkatan]
                    if syarat is None:  # a household category
                        daftar.append((singkatan, None, ""))
                    else:
                        muda, tua, jk = syarat
                        calon = [o for o in orang if cocok(o, muda, tua) and (not jk or o[2] == jk)]
                        if calon:
                            o = rng.choice(calon)
                            daftar.append((singkatan, o[0], o[2]))
                if not daftar:
                    daftar.append(("FM", None, ""))
        catat = partial(self._catat_ppks, b, rng, kec, desa_id, setelah=dibuat)
        for singkatan, i_lokal, jk in daftar:
            if i_lokal is None:
                catat(singkatan, sejak, keluarga=k_lokal)
            else:
                catat(singkatan, sejak, individu=i_lokal, jk=jk)
        banjir = self.banjir.get(desa_id)
        if banjir and not gelandangan and r() < 0.5:
            kejadian = min(banjir + timedelta(days=int(r() * 10)), self.hari_ini)
            catat("KBA", kejadian, keluarga=k_lokal, tetap=True)
        # A Komunitas Adat Terpencil group, decided on the first household of a remote kecamatan.
        if kec["kab_kode"] in KABUPATEN_TERPENCIL and kec["id"] not in self.kec_ada_kat:
            self.kec_ada_kat.add(kec["id"])
            if r() < 0.35:
                kk = 15 + int(r() * 50)
                nama = f"Komunitas Adat Terpencil Hulu {desa_nama}"
                catat("KAT", sejak, kelompok=nama, kk=kk, jiwa=int(kk * (3.4 + r())))

    def _catat_ppks(
        self, b, rng, kec, desa_id, singkatan, sejak, *, individu=None, keluarga=None, jk="",
        kelompok="", kk=None, jiwa=None, tetap=False, setelah=None,
    ):  # fmt: skip
        """One PPKS row with its history row, linked as the PPKS service links them: a person's
        PPKS to the person only (sex copied), a household's to the household, a group to
        neither."""
        r = rng.random
        tanggal, umur_hari, status, alasan, catatan, diverif, versi, diubah, dibuat = (
            self._tercatat(r, rng, sejak, tetap, setelah)
        )
        tangani = _pilih(r, self.t_tangani_baru if umur_hari < 180 else self.t_tangani_lama)
        deskripsi, kebutuhan = rng.choice(URAIAN_PPKS[singkatan])
        if individu is not None:
            subjek = "individu"
        elif keluarga is not None:
            subjek = "keluarga"
        else:
            subjek = "kelompok"
        tksk = self.tksk.get(kec["id"])
        verifikator = self.dinas.get(kec["kab_id"]) if diverif else None
        p_uuid = _uuid(self.urng)
        b.ppks.append(
            [len(b.ppks), p_uuid, status, alasan, catatan, diverif, dibuat, diubah, versi, subjek,
             kelompok, kk, jiwa, tanggal, deskripsi, kebutuhan, tangani, jk, desa_id, tksk, tksk,
             verifikator, individu, self.kat_ppks[singkatan], keluarga]
        )  # fmt: skip
        b.riwayat.append(
            ["ppks", p_uuid, None, dibuat, "impor", "{}", "", "", "", self.catatan_impor,
             desa_id, tksk]
        )  # fmt: skip

    def _psks(self, rng, b, kec, desa_id, desa_nama, dibuat, orang, nama_kepala, budaya, agama):
        """PSKS: some members serve as PSM, Tagana or WPKS; some desa have a Karang Taruna
        recorded; each kecamatan gets its TKSK and a few institutions on its first household."""
        r = rng.random
        baru = []  # (category, name, jenis, contact, capacity, services, member's local id)
        if r() < 0.008:
            calon = [o for o in orang if 25 <= o[3] <= 60]
            if calon:
                o = rng.choice(calon)
                layanan = "Pendampingan warga, pendataan PPKS, penyaluran bantuan."
                baru.append(("PSM", o[5], "individu", o[5], None, layanan, o[0]))
        if r() < 0.004:
            calon = [o for o in orang if 18 <= o[3] <= 40]
            if calon:
                o = rng.choice(calon)
                layanan = "Siaga bencana banjir dan karhutla, dapur umum."
                baru.append(("TAGANA", o[5], "individu", o[5], None, layanan, o[0]))
        if r() < 0.0015:
            calon = [o for o in orang if o[2] == "P" and 25 <= o[3] <= 65]
            if calon:
                o = rng.choice(calon)
                layanan = "Penggerak kegiatan PKK dan posyandu."
                baru.append(("WPKS", o[5], "individu", o[5], None, layanan, o[0]))
        if r() < 0.001 and nama_kepala:
            baru.append(("KP", f"Keluarga {nama_kepala}", "keluarga", nama_kepala, None,
                         "Keluarga teladan, penggerak gotong royong.", None))  # fmt: skip
        if desa_id not in self.desa_ada_kt:
            self.desa_ada_kt.add(desa_id)
            if r() < 0.3:
                ketua = self.nama(rng, "L" if r() < 0.7 else "P", budaya, agama, 1995)
                baru.append(("KT", f"Karang Taruna {rng.choice(N.KARANG_TARUNA)} {desa_nama}",
                             "lembaga", ketua, 20 + int(r() * 60),
                             "Kegiatan pemuda, bakti sosial, siaga bencana.", None))  # fmt: skip
        if kec["id"] not in self.kec_ada_psks:
            self.kec_ada_psks.add(kec["id"])
            nama_tksk = self.nama_tksk.get(kec["id"]) or self.nama(rng, "L", budaya, agama, 1985)
            baru.append(("TKSK", nama_tksk, "individu", nama_tksk, None,
                         f"TKSK Kecamatan {kec['nama']}.", None))  # fmt: skip
            if r() < 0.7:
                baru.append((
                    "LKS", f"{rng.choice(N.LKS)} {kec['nama']}", "lembaga",
                    self.nama(rng, "P", budaya, agama, 1975), 15 + int(r() * 50),
                    "Pengasuhan dan rehabilitasi sosial berbasis lembaga.", None,
                ))  # fmt: skip
            if r() < 0.5:
                baru.append((
                    "DU", f"{rng.choice(N.USAHA_AWAL)} {rng.choice(N.USAHA_AKHIR)}", "lembaga",
                    self.nama(rng, "L", budaya, agama, 1980), None,
                    "CSR: rehab RTLH, bantuan pendidikan, sembako.", None,
                ))  # fmt: skip
            if r() < 0.6:
                baru.append((
                    "WKSBM", f"{rng.choice(N.WKSBM)} {desa_nama}", "lembaga",
                    self.nama(rng, "P", budaya, agama, 1970), None,
                    "Jejaring warga: santunan duka, arisan, pengajian.", None,
                ))  # fmt: skip
        tksk = self.tksk.get(kec["id"])
        for singkatan, nama, jenis, kontak, kapasitas, layanan, i_lokal in baru:
            _, _, status, alasan, catatan, diverif, versi, diubah, dibuat_p = self._tercatat(
                r, rng, dibuat.date(), setelah=dibuat
            )
            verifikator = self.dinas.get(kec["kab_id"]) if diverif else None
            s_uuid = _uuid(self.urng)
            alamat = "" if jenis == "individu" else f"Desa/Kel. {desa_nama}"
            b.psks.append(
                [len(b.psks), s_uuid, status, alasan, catatan, diverif, dibuat_p, diubah, versi,
                 nama, jenis, alamat, kontak, "", kapasitas, layanan, True, desa_id, tksk, tksk,
                 verifikator, i_lokal, self.kat_psks[singkatan]]
            )  # fmt: skip
            b.riwayat.append(
                ["psks", s_uuid, None, dibuat_p, "impor", "{}", "", "", "", self.catatan_impor,
                 desa_id, tksk]
            )  # fmt: skip


def _cadangkan_id(cursor, tabel: str, jumlah: int) -> int:
    """Reserve `jumlah` consecutive ids from the table's sequence; returns the first. Safe
    because the tables are locked against other writers for the whole load."""
    if not jumlah:
        return 0
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
        "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
        [tabel, tabel, jumlah],
    )
    return cursor.fetchone()[0] - jumlah + 1


def _tulis(cursor, model, baris: list, tetap: tuple) -> None:
    kolom, nilai_tetap = tetap
    daftar_kolom = ", ".join(KOLOM[model] + kolom)
    with cursor.copy(f"COPY {model._meta.db_table} ({daftar_kolom}) FROM STDIN") as copy:
        tulis = copy.write_row
        if nilai_tetap:
            for row in baris:
                tulis((*row, *nilai_tetap))
        else:
            for row in baris:
                tulis(row)


def _simpan(cursor, b: _Batch, tetap: dict) -> None:
    """Turn batch-local ids into reserved database ids and COPY the rows, parents first."""
    k0 = _cadangkan_id(cursor, Keluarga._meta.db_table, len(b.keluarga))
    i0 = _cadangkan_id(cursor, Individu._meta.db_table, len(b.individu))
    p0 = _cadangkan_id(cursor, PPKS._meta.db_table, len(b.ppks))
    s0 = _cadangkan_id(cursor, PSKS._meta.db_table, len(b.psks))
    r0 = _cadangkan_id(cursor, Riwayat._meta.db_table, len(b.riwayat))
    for row in b.keluarga:
        row[0] += k0
    for row in b.individu:
        row[0] += i0
        row[I_KELUARGA] += k0
    for row in b.ppks:
        row[0] += p0
        if row[P_INDIVIDU] is not None:
            row[P_INDIVIDU] += i0
        if row[P_KELUARGA] is not None:
            row[P_KELUARGA] += k0
    for row in b.psks:
        row[0] += s0
        if row[S_INDIVIDU] is not None:
            row[S_INDIVIDU] += i0
    for n, row in enumerate(b.riwayat):
        row.insert(0, r0 + n)
    for model in (Keluarga, Individu, PPKS, PSKS, Riwayat):
        _tulis(cursor, model, getattr(b, model._meta.model_name), tetap[model])


def buat_data_sintetis(target: int, *, seed: int = 2026, batch: int = BATCH, log=None) -> Hasil:
    """Top the database up to `target` households (every Keluarga row counts) with synthetic
    data for `seed`. All or nothing: one transaction. Returns what was added."""
    if seed < 0 or target < 0:
        raise ValueError("target dan seed harus bilangan bulat >= 0")
    mulai = time.perf_counter()
    tabel = [m._meta.db_table for m in KOLOM]
    with transaction.atomic(), connection.cursor() as c:
        # Other writers wait until the load commits, so the count, the serial counters and the
        # reserved id ranges stay true for the whole load.
        c.execute(f"LOCK TABLE {', '.join(tabel)} IN SHARE ROW EXCLUSIVE MODE")
        c.execute("SET LOCAL statement_timeout = 0")
        sudah_ada = Keluarga.objects.count()
        hasil = Hasil(sudah_ada=sudah_ada)
        if target <= sudah_ada:
            return hasil
        # Ids only grow, so a load whose rows still exist ran with a lower salt: the UUIDs of a
        # new load never repeat an earlier load's with the same seed, yet a fresh database with
        # the same seed gets the same UUIDs.
        salt = tuple(
            m.objects.aggregate(x=Max("id"))["x"] or 0 for m in (Keluarga, PPKS, PSKS, Riwayat)
        )
        gen = Generator(
            seed=seed, salt=salt, hari_ini=timezone.localdate(), sekarang=timezone.now()
        )
        tetap = {m: _kolom_tetap(m) for m in KOLOM}
        for awal in range(sudah_ada, target, batch):
            b = _Batch()
            for nomor in range(awal, min(awal + batch, target)):
                gen.keluarga(nomor, b)
            _simpan(c.cursor, b, tetap)  # c.cursor: psycopg's own cursor, which has copy()
            hasil.keluarga += len(b.keluarga)
            hasil.individu += len(b.individu)
            hasil.ppks += len(b.ppks)
            hasil.psks += len(b.psks)
            hasil.riwayat += len(b.riwayat)
            if log:
                log(f"  {hasil.keluarga} / {target - sudah_ada} keluarga")
        # The deferred foreign keys are checked now rather than at the caller's commit, so the
        # time reported is the whole cost; fresh statistics give the first queries good plans.
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's default for the caller
        for t in tabel:
            c.execute(f"ANALYZE {t}")
        # Rows of kecamatan without a TKSK account name nobody: the audit log says who/when.
        catat(
            aksi="seed_sintetis",
            data={"seed": seed, "keluarga": hasil.keluarga, "individu": hasil.individu},
        )
    hasil.detik = time.perf_counter() - mulai
    return hasil
