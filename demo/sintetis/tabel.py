"""The province's mix the generator draws from (household sizes, ages, religions by kabupaten,
occupations, PPKS descriptions…) and the weighted draw itself."""

from bisect import bisect

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
