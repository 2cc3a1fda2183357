"""Name and place lists for the synthetic demo data (demo.sintetis).

Our own compilation of given names that are common in Kalimantan Tengah: Banjar and Malay-Muslim,
Javanese (transmigrants and their descendants), Dayak (Ngaju, Ma'anyan, Ot Danum: Christian,
Hindu Kaharingan and Muslim Bakumpai families), Balinese transmigrants and Chinese-Indonesian
families. No list was copied from a published source; any name that matches a real person's does
so by chance, as it would in any Kalteng village.

The data are fictitious: they exist so that the demo and the benchmarks look and behave like the
real thing, never to describe real people.
"""

# Long literal lists, kept compact on purpose.
# fmt: off

# --- Islamic / Banjar / Malay given names (adults) ------------------------------------------------
ISLAM_L = (
    "Abdul", "Abdullah", "Achmad", "Ahmad", "Akhmad", "Ali", "Amat", "Anang", "Anwar", "Arbain",
    "Arifin", "Aspihani", "Asran", "Bahrani", "Bahrudin", "Basri", "Darmansyah", "Fahmi",
    "Fahriansyah", "Fakhrurrazi", "Fauzi", "Gazali", "Hafiz", "Haidir", "Hairani", "Hairul",
    "Hamdan", "Hamdani", "Hasan", "Hasanuddin", "Helmi", "Husin", "Ibrahim", "Idris", "Ilham",
    "Irfan", "Ismail", "Jailani", "Jamaludin", "Jumberi", "Jumri", "Kamaruddin", "Khairil",
    "Lukman", "Mahfud", "Mahmud", "Mahyudin", "Masrani", "Mawardi", "Muhammad", "Muhamad",
    "Mukhlis", "Murjani", "Mursidi", "Nasrullah", "Noor", "Norhadi", "Nurdin", "Rahmadi", "Rahmat",
    "Ramli", "Riduan", "Rifani", "Rizal", "Rusdi", "Rusli", "Saberan", "Sahrani", "Salman",
    "Samsudin", "Sarbani", "Syahrani", "Syaiful", "Syamsuri", "Syarkawi", "Syarifudin", "Taufik",
    "Usman", "Wahyudi", "Yusuf", "Zainal", "Zainuddin", "Zulkifli", "Agus", "Arman", "Bambang",
    "Budi", "Dedi", "Eko", "Fajar", "Firman", "Hendra", "Hendri", "Herman", "Indra", "Iwan", "Joko",
    "Kurniawan", "Rudi", "Sandi", "Yudi", "Yusran", "Aidil", "Akhyar", "Amin", "Rasyid", "Hadi",
    "Ikhsan", "Saipul", "Misrani", "Arsyad", "Gusti", "Jumadi", "Mulyadi",
)
ISLAM_P = (
    "Aisyah", "Ani", "Aminah", "Anisa", "Arbayah", "Asmah", "Aslamiah", "Basrah", "Dahliana",
    "Dewi", "Erna", "Fahriah", "Fatimah", "Fitri", "Fitriani", "Galuh", "Halimah", "Hamdanah",
    "Hasanah", "Hayati", "Herlina", "Ida", "Ifah", "Ijah", "Jamilah", "Jubaidah", "Jumiati",
    "Junaidah", "Kamariah", "Khadijah", "Laila", "Lailatul", "Mahyuni", "Maimunah", "Mariam",
    "Masitah", "Masliana", "Mardiana", "Nafisah", "Nasrah", "Noorhayati", "Norhasanah", "Norjanah",
    "Norlaila", "Normala", "Nur", "Nurhayati", "Nurul", "Rabiatul", "Rahmah", "Rahmawati", "Raudah",
    "Rina", "Rismawati", "Rusmini", "Rusnawati", "Saidah", "Salasiah", "Salmah", "Samsiah", "Sarah",
    "Siti", "Sri", "Suriani", "Syarifah", "Wahyuni", "Yanti", "Yuliana", "Zainab", "Zubaidah",
    "Zuraida", "Aida", "Darmawati", "Eka", "Hartini", "Indah", "Juliana", "Kartini", "Lestari",
    "Maulida", "Mawarni", "Nadiah", "Nurlela", "Purnama", "Ratna", "Risna", "Sapiah", "Sumarni",
    "Wati", "Yulianti", "Nuraini", "Hairiah", "Rukayah",
)

# Second elements that often follow an Islamic first name: "Ahmad Riduan", "Siti Rahmah".
ISLAM_BELAKANG_L = (
    "Fauzi", "Riduan", "Rifani", "Syahrani", "Gazali", "Hidayat", "Ramadhan", "Saputra",
    "Hidayatullah", "Rahman", "Rahmadi", "Arifin", "Hakim", "Yani", "Ansyari", "Rizki", "Ilham",
    "Maulana", "Firdaus", "Kurniawan", "Santoso", "Setiawan", "Wijaya", "Effendi", "Husaini",
    "Yusuf", "Anshari", "Nor", "Halim", "Fadillah", "Hamzah", "Junaidi", "Mahdi", "Zakaria",
)
ISLAM_BELAKANG_P = (
    "Rahmah", "Aminah", "Hasanah", "Fitriani", "Jubaidah", "Wahyuni", "Lestari", "Rahmawati",
    "Handayani", "Sari", "Fauziah", "Hayati", "Mariana", "Nurjanah", "Safitri", "Anggraini",
    "Yulianti", "Oktaviani", "Maulida", "Zahra", "Azizah", "Khairunnisa", "Ningsih", "Susanti",
)

# --- Javanese given names (transmigrant families) ----------------------------------------------
JAWA_L = (
    "Sugeng", "Slamet", "Suparman", "Sutrisno", "Supardi", "Suyatno", "Sukarmin", "Wagiman",
    "Paijo", "Parmin", "Mujiono", "Tukiran", "Sarijo", "Karno", "Sunarto", "Suwarno", "Sumadi",
    "Triyono", "Purwanto", "Hariyanto", "Widodo", "Nugroho", "Prasetyo", "Sulistyo", "Wahyono",
    "Darmaji", "Kasiman", "Legiman", "Marjono", "Ngadimin", "Ponimin", "Rebo", "Sarwono", "Subagyo",
    "Sumarno", "Supriyadi", "Susilo", "Tarmuji", "Untung", "Wiyono", "Bejo", "Darsono", "Giyanto",
    "Joko", "Margono", "Mulyono", "Nardi", "Pardi", "Rohmat", "Sukirno",
)
JAWA_P = (
    "Sumarni", "Ngatini", "Tukiyem", "Sarmini", "Tumiyem", "Poniyem", "Suparmi", "Sulastri",
    "Suyatmi", "Wagini", "Painem", "Parmi", "Rukmini", "Sri Wahyuni", "Sumiati", "Supriyati",
    "Suwarni", "Tri Wahyuni", "Watini", "Yatmi", "Darsih", "Giyem", "Juminten", "Kasiyem", "Lasmi",
    "Marsini", "Ngadiyem", "Partini", "Rusmiyati", "Sukarti", "Sumini", "Tarsih", "Tuminah",
    "Wartini", "Endang", "Lestari", "Rahayu", "Setyowati", "Siti Aminah", "Wiwik",
)
JAWA_BELAKANG = (
    "Santoso", "Susanto", "Wibowo", "Prasetyo", "Nugroho", "Purnomo", "Hartono", "Setiawan",
    "Wahyudi", "Saputro", "Raharjo", "Utomo", "Sulistyo", "Kuncoro", "Widodo", "Suryanto",
)

# --- Christian given names (mostly Dayak families) --------------------------------------------
KRISTEN_L = (
    "Yohanes", "Paulus", "Petrus", "Agustinus", "Markus", "Yakobus", "Stefanus", "Fransiskus",
    "Antonius", "Yosef", "Yusuf", "Daniel", "Samuel", "Elia", "Natanael", "Kristian", "Robertus",
    "Benediktus", "Ignatius", "Andreas", "Filipus", "Timotius", "Matius", "Lukas", "Simon", "Tomas",
    "Aleksander", "Adrianus", "Yulius", "Kornelius", "Nikolaus", "Gregorius", "Hendrikus",
    "Alfonsus", "Yeremia", "Yonathan", "Yosua", "Gideon", "Efraim", "Abraham", "Ishak", "Musa",
    "Harun", "Salomo", "Benyamin", "Nehemia", "Yesaya", "Zakharia", "Roni", "Demus", "Lewis",
    "Nahson", "Teras", "Arton", "Marthin", "Ferdinan", "Herson", "Karliansyah", "Sabinus", "Deddy",
    "Ardianus", "Yunus", "Edison", "Wilson", "Gusmiadi", "Priyanto", "Toni", "Yulianus",
)
KRISTEN_P = (
    "Maria", "Magdalena", "Theresia", "Agnes", "Elisabeth", "Yohana", "Debora", "Ester", "Lidia",
    "Marta", "Rut", "Kristina", "Veronika", "Fransiska", "Natalia", "Yuliana", "Susana", "Priska",
    "Rebeka", "Rahel", "Miriam", "Hana", "Dorkas", "Lois", "Febe", "Sara", "Ribka", "Naomi",
    "Sisilia", "Katarina", "Helena", "Monika", "Anastasia", "Yustina", "Margaretha", "Paulina",
    "Petronela", "Agustina", "Kristiani", "Imelda", "Herlina", "Lusiana", "Yesika", "Martini",
    "Evi", "Nely", "Rosalina", "Selvi", "Desi", "Yuni", "Melda", "Nopi", "Ria", "Santi", "Elly",
)

# --- Dayak given names and second (family/father's) names -------------------------------------
DAYAK_L = (
    "Tambun", "Bungai", "Sahay", "Liang", "Dohong", "Sabran", "Anyang", "Asang", "Baun", "Dambung",
    "Ijau", "Kutak", "Lambung", "Nyahu", "Rangka", "Sandan", "Usop", "Sinar", "Tuah", "Pasang",
    "Riwut", "Ahim", "Bangas", "Dasan", "Gauk", "Hanteran", "Kuhan", "Mahar", "Ngindra", "Rambang",
    "Sangkai", "Tarung", "Tuwe", "Uneng", "Asun", "Bajik", "Dulin", "Enteng", "Hilun", "Jalin",
    "Kahing", "Lengan", "Manau", "Nanyan", "Pahu", "Rumpun", "Sadar", "Tundan", "Unting", "Anggen",
    "Bingan", "Dengen", "Itat", "Lais", "Mangku", "Napas", "Ringkai", "Siun", "Tiung", "Uhing",
)
DAYAK_P = (
    "Itah", "Inah", "Iyah", "Kurik", "Ilis", "Idang", "Enyi", "Itut", "Anyi", "Ulin", "Elung",
    "Ineh", "Ingkit", "Isen", "Ukut", "Uneh", "Ambun", "Biting", "Dera", "Hinda", "Imat", "Juita",
    "Kuneng", "Lenti", "Mahing", "Nyaring", "Puspa", "Renta", "Sarai", "Tarai", "Umbing", "Yanti",
    "Saritha", "Mulyani", "Rini", "Neneng", "Jelita", "Tiarmi", "Seli", "Rina",
)
DAYAK_MARGA = (
    "Narang", "Sabran", "Taway", "Riwut", "Tarung", "Toendan", "Bangas", "Dohong", "Rangkap",
    "Sangkai", "Djaper", "Lambung", "Kurik", "Sahay", "Tuwe", "Anggen", "Bingan", "Ngabut", "Hanyi",
    "Lais", "Sinjan", "Tundjung", "Nahan", "Asan", "Ampun", "Simpei", "Tiung", "Baboe", "Kuhen",
    "Layang", "Liling", "Murang", "Nyaru", "Pandung", "Ribu", "Bahen", "Duyen", "Garu", "Hatung",
    "Ingan", "Jangkit", "Kanyan", "Lumbang", "Mambang", "Ngahan", "Panjang", "Rusan", "Sambung",
    "Tingang", "Usak",
)

# --- Balinese transmigrant families (Hindu) ---------------------------------------------------
BALI_AWALAN_L = (
    "I Wayan", "I Made", "I Nyoman", "I Ketut", "I Putu", "I Kadek", "I Komang",
)
BALI_AWALAN_P = (
    "Ni Wayan", "Ni Made", "Ni Nyoman", "Ni Ketut", "Ni Putu", "Ni Luh", "Ni Kadek",
)
BALI_L = (
    "Sudarsana", "Suarta", "Wirawan", "Artawan", "Sukadana", "Suardika", "Widiana", "Mertayasa",
    "Darmawan", "Adnyana", "Budiarta", "Suparta", "Wisnawa", "Arsana", "Sudiarta", "Gunawan",
)
BALI_P = (
    "Sriani", "Ariani", "Sukerti", "Suartini", "Wartini", "Sumiasih", "Darmini", "Yuliantari",
    "Puspitasari", "Sukarmi", "Widiastuti", "Astiti", "Mariani", "Suarni", "Kartika", "Lestari",
)

# --- Chinese-Indonesian families ----------------------------------------------------------------
TIONGHOA_L = (
    "Hendra", "Budi", "Suryadi", "Wilson", "Hartono", "Andi", "Tommy", "Johan", "Rudy", "Hendrik",
    "Willy", "Ricky", "Sunaryo", "Benny", "Ferry", "Steven", "Edwin", "Jimmy", "Irwan", "Kelvin",
)
TIONGHOA_P = (
    "Lina", "Susanti", "Lilis", "Meiliana", "Sherly", "Lily", "Yenny", "Fenny", "Mega", "Linda",
    "Vivian", "Silvia", "Elis", "Novi", "Cindy", "Jenny", "Merry", "Winda", "Erlina", "Shinta",
)
TIONGHOA_MARGA = (
    "Wijaya", "Gunawan", "Halim", "Salim", "Tanjaya", "Santoso", "Kurniawan", "Liem", "Tan",
    "Tjandra", "Kusuma", "Hartanto", "Setiadi", "Sutanto", "Lim", "Widjaja",
)

# --- Names given to children born from about 2000 on --------------------------------------------
MODERN_ISLAM_L = (
    "Muhammad Rizky", "Ahmad Fadil", "Naufal", "Rafi", "Azka", "Alif", "Fathir", "Zidan", "Arkan",
    "Raffa", "Farel", "Dafa", "Aditya", "Bima", "Rizky", "Fadli", "Hafidz", "Ilham", "Faris",
    "Muhammad Alfatih", "Muhammad Fikri", "Akhmad Zaki", "Ahmad Syauqi", "Rafka", "Haikal", "Fahri",
    "Dimas", "Bayu", "Rangga", "Satria", "Rendy", "Gilang", "Yoga", "Ardi", "Reza",
    "Muhammad Ikhsan", "Abdurrahman", "Umar", "Hamzah", "Kenzo", "Arfan", "Habibi", "Nizar",
)
MODERN_ISLAM_P = (
    "Aisyah", "Nabila", "Zahra", "Salsabila", "Keisya", "Nayla", "Aulia", "Putri", "Annisa",
    "Khansa", "Alya", "Syifa", "Azzahra", "Citra", "Nadhira", "Zaskia", "Khalisa", "Naila", "Rahma",
    "Fadhilah", "Dinda", "Ayu", "Intan", "Wulan", "Tiara", "Indah", "Mutiara", "Adelia", "Hafizah",
    "Amira", "Raisa", "Kayla", "Aqila", "Najwa", "Ghina", "Siti Nurhaliza", "Nur Aini", "Sinta",
    "Melati", "Anggun", "Safira", "Zahwa", "Nurul Hikmah",
)
MODERN_KRISTEN_L = (
    "Kevin", "Jonathan", "Gabriel", "Christian", "Yosua", "Immanuel", "Daniel", "Samuel", "Natan",
    "Febrian", "Michael", "Steven", "Rafael", "Yehezkiel", "Kristofer", "Elkana", "Yoel", "Evan",
    "Glen", "Hizkia", "Ezra", "Vincent", "Bryan", "Nikolas", "Adven", "Dio", "Rio", "Ivan",
)
MODERN_KRISTEN_P = (
    "Grace", "Michelle", "Angelica", "Gracia", "Cindy", "Yessica", "Priska", "Claudia", "Jesika",
    "Vania", "Nathalia", "Theresia", "Gabriela", "Kezia", "Christin", "Elsa", "Felicia",
    "Tesalonika", "Jovita", "Angel", "Clara", "Yemima", "Novita", "Olivia", "Sheren", "Febiola",
    "Keren",
)

# Modern names without a religious flavour, given across communities.
MODERN_NETRAL_L = (
    "Bayu", "Dimas", "Rangga", "Satria", "Rizal", "Aditya", "Bima", "Gilang", "Yoga", "Ardi",
    "Rendy", "Dafa", "Farel", "Arya", "Galih", "Putra", "Wira", "Aldi", "Fandi", "Tegar",
)
MODERN_NETRAL_P = (
    "Dinda", "Ayu", "Intan", "Wulan", "Tiara", "Putri", "Indah", "Mega", "Citra", "Sinta",
    "Melati", "Anggun", "Dewi", "Rani", "Nadia", "Salsa", "Bunga", "Sekar", "Kirana", "Laras",
)

# Names used alone, without a second or family name: common among older Javanese, Dayak and

# Banjar people, and on KKs written long ago.
NAMA_TUNGGAL_L = (
    "Sukarmin", "Wagiman", "Paijo", "Parmin", "Mujiono", "Tukiran", "Sarijo", "Karno", "Legiman",
    "Ngadimin", "Ponimin", "Bejo", "Rebo", "Pardi", "Nardi", "Kasiman", "Tarmuji", "Untung",
    "Sabran", "Usop", "Dulin", "Ahim", "Gauk", "Hilun", "Kuhan", "Manau", "Pahu", "Siun", "Uneng",
    "Amat", "Anang", "Jumri", "Saberan", "Arbain", "Jumberi", "Husin", "Basri", "Idris", "Ramli",
    "Asran", "Masrani", "Murjani", "Sarbani", "Jailani", "Mahmud", "Rusli", "Usman", "Noor",
)
NAMA_TUNGGAL_P = (
    "Ngatini", "Tukiyem", "Sarmini", "Tumiyem", "Poniyem", "Painem", "Parmi", "Giyem", "Juminten",
    "Kasiyem", "Lasmi", "Tarsih", "Tuminah", "Wagini", "Yatmi", "Darsih", "Itah", "Inah", "Iyah",
    "Idang", "Enyi", "Itut", "Anyi", "Ukut", "Uneh", "Kuneng", "Umbing", "Arbayah", "Asmah",
    "Basrah", "Ifah", "Ijah", "Masitah", "Salasiah", "Samsiah", "Sapiah", "Rukayah", "Jubaidah",
    "Kamariah", "Maimunah", "Salmah", "Norjanah", "Hamdanah", "Aslamiah", "Rabiatul", "Zubaidah",
)

# --- Places -------------------------------------------------------------------------------------

# The usual birthplace name for each kabupaten/kota (its main town).
KOTA_KABUPATEN = {
    "62.01": "Pangkalan Bun",
    "62.02": "Sampit",
    "62.03": "Kuala Kapuas",
    "62.04": "Buntok",
    "62.05": "Muara Teweh",
    "62.06": "Kasongan",
    "62.07": "Kuala Pembuang",
    "62.08": "Sukamara",
    "62.09": "Nanga Bulik",
    "62.10": "Kuala Kurun",
    "62.11": "Pulang Pisau",
    "62.12": "Puruk Cahu",
    "62.13": "Tamiang Layang",
    "62.71": "Palangka Raya",
}

# Where people who moved to Kalteng were born, with the region prefix their NIK was first issued

# under (kode kecamatan without dots). Only the format matters: the app never checks these.
ASAL_LUAR = {
    "banjar": (
        ("Banjarmasin", "637101"), ("Banjarmasin", "637103"), ("Martapura", "630301"),
        ("Amuntai", "630801"), ("Barabai", "630701"), ("Kandangan", "630601"),
    ),
    "jawa": (
        ("Surabaya", "357801"), ("Semarang", "337401"), ("Yogyakarta", "347101"),
        ("Malang", "350701"), ("Kediri", "350601"), ("Blitar", "350501"), ("Klaten", "331001"),
        ("Wonogiri", "331201"), ("Ngawi", "352101"), ("Banyuwangi", "351001"),
        ("Lamongan", "352401"), ("Madiun", "351901"),
    ),
    "bali": (
        ("Tabanan", "510201"), ("Gianyar", "510401"), ("Karangasem", "510701"),
        ("Bangli", "510601"), ("Buleleng", "510801"),
    ),
    "lain": (
        ("Pontianak", "617101"), ("Samarinda", "647201"), ("Makassar", "737101"),
        ("Medan", "127101"), ("Kupang", "537101"), ("Jakarta", "317101"),
    ),
}
JALAN_KOTA = (
    "Jl. Tjilik Riwut", "Jl. G. Obos", "Jl. RTA Milono", "Jl. Yos Sudarso", "Jl. Ahmad Yani",
    "Jl. Diponegoro", "Jl. Imam Bonjol", "Jl. Temanggung Tilung", "Jl. Rajawali", "Jl. Mahir Mahar",
    "Jl. Beliang", "Jl. Seth Adji", "Jl. Kinibalu", "Jl. Hiu Putih", "Jl. Sisingamangaraja",
    "Jl. Merdeka", "Jl. Pahlawan", "Jl. Pelita", "Jl. Cempaka", "Jl. Mawar", "Jl. Kenanga",
    "Jl. Melati", "Jl. Anggrek", "Jl. Flamboyan", "Jl. Teratai", "Jl. Garuda", "Jl. Kutilang",
    "Jl. Cendrawasih", "Jl. Nangka", "Jl. Manggis", "Jl. Rambutan", "Jl. Sawo", "Jl. Durian",
    "Jl. Padat Karya", "Jl. Pramuka", "Jl. Veteran", "Jl. Sudirman", "Jl. Dr. Sutomo",
    "Jl. Kartini", "Jl. Hasanudin", "Jl. Pattimura", "Jl. Samudin Aman", "Jl. Tingang", "Jl. Pilau",
    "Jl. Bukit Keminting", "Jl. Antang", "Jl. Lawu", "Jl. Rinjani", "Jl. Dharmasugondo",
)
JALAN_DESA = (
    "Jl. Poros Desa", "Jl. Lintas Kalimantan", "Jl. Trans Kalimantan", "Jl. Pelabuhan",
    "Jl. Tepian Sungai", "Jl. Usaha Tani", "Jl. Jalur II", "Jl. Jalur III", "Jl. Sawit",
    "Jl. Karet", "Jl. Handil Sejahtera", "Jl. Handil Makmur", "Jl. Simpang Tiga", "Jl. Balai Desa",
    "Jl. Masjid", "Jl. Gereja", "Jl. Sekolah", "Jl. Lapangan", "Jl. Dermaga", "Jl. Kebun",
    "Gg. Keluarga", "Gg. Damai", "Gg. Rukun", "Gg. Harapan", "Jl. Batang Garing", "Jl. Betang",
)

# --- PSKS names ---------------------------------------------------------------------------------
KARANG_TARUNA = (
    "Tunas Harapan", "Bina Bersama", "Karya Muda", "Pemuda Betang", "Huma Betang", "Bahalap",
    "Tunas Bangsa", "Maju Bersama", "Sinar Muda", "Handep Hapakat", "Isen Mulang", "Bina Karya",
)
LKS = (
    "LKSA Panti Asuhan Harapan Kasih", "LKS Lanjut Usia Tresna Betang",
    "Yayasan Peduli Disabilitas", "LKSA Nurul Hikmah", "LKS Anak Bangsa Mandiri",
    "Yayasan Sosial Kasih Bunda", "LKS Rehabilitasi Harapan Baru", "LKSA Al-Ikhlas",
    "LKS Bina Insani", "Yayasan Pelita Hati",
)
WKSBM = (
    "Majelis Taklim Al-Ikhlas", "Majelis Taklim Nurul Iman", "Rukun Kematian Warga",
    "Persekutuan Doa Kaum Ibu", "Arisan PKK", "Kelompok Tani Sumber Rezeki", "Paguyuban Warga",
)
USAHA_AWAL = (
    "PT Agro", "PT Borneo", "PT Mitra", "CV Kahayan", "PT Barito", "PT Katingan", "CV Sinar",
)
USAHA_AKHIR = (
    "Lestari Abadi", "Makmur Sentosa", "Sejahtera Jaya", "Karya Mandiri", "Hijau Permai",
)
# fmt: on
