"""Import of the province's TKSK roster from a spreadsheet (and the same rows through the API).

The province downloads a template (.xlsx, sheets "TKSK" and "Petunjuk"), fills one row per TKSK
and uploads it. The file is opened with the household import's safe reader (size, zip bomb,
macro and external-link checks; formulas are never evaluated: a formula cell is an error of its
row). Every row is checked the way the profile form and the SK form check it, against the
database and against the other rows; the preview lists every row's errors and warnings. Only a
file without errors can be confirmed, and the confirmation writes every row through the
services in one transaction: all or nothing.

A row whose account or NIK already has a profile (or, without either, whose name is already
registered in that kecamatan) is skipped ("sudah terdaftar"), so importing the same roster
twice creates nothing twice.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from pendataan.impor.berkas_xlsx import _buka_xlsx
from pendataan.impor.kolom import Kolom
from pendataan.impor.konversi import PESAN_RUMUS, _nomor, _tanggal, _teks
from pendataan.impor.lembar import BerkasDitolak, Sel
from pendataan.nik import periksa_nik, peringatan_nik
from tenaga import services as svc
from tenaga.models import Asal, JenisKelamin, Pendidikan, ProfilTKSK, StatusTKSK
from tksk.audit import catat
from tksk.kapabilitas import wajib
from tksk.models import Role, Tingkat, User, Wilayah
from tksk.validators import normalisasi_telepon

LEMBAR = "TKSK"
BATAS_MB = 2
BATAS_BARIS = 2000

KOLOM = [
    Kolom("username", "wajib jika ada akun", "Nama pengguna akun TKSK di aplikasi ini.",
          "tksk.pahandut", teks=True),
    Kolom("kode_kecamatan", "wajib jika tanpa akun",
          "Kode Kemendagri kecamatan tugas. Bila ada akun, harus sama dengan wilayah akun.",
          "62.71.01", teks=True, lebar=14),
    Kolom("nama", "wajib", "Nama lengkap sesuai KTP.", "Rina Susanti", lebar=24),
    Kolom("nik", "tidak", "NIK 16 angka (kolom berformat Teks).", "6271015205900003",
          teks=True, lebar=18),
    Kolom("jenis_kelamin", "wajib", "L atau P.", "P", lebar=8),
    Kolom("tanggal_lahir", "tidak", "TTTT-BB-HH atau HH-BB-TTTT.", "1990-05-12", lebar=12),
    Kolom("pendidikan", "tidak", "sma, d3, s1, s2 atau lainnya.", "s1", lebar=10),
    Kolom("telepon", "tidak", "Nomor telepon/WA.", "081234567890", teks=True),
    Kolom("email", "tidak", "Alamat surel.", "rina@example.org", lebar=22),
    Kolom("alamat", "tidak", "Alamat tempat tinggal.", "Jl. Tjilik Riwut Km 2", lebar=24),
    Kolom("asal", "wajib", "karang_taruna, psm atau lainnya.", "karang_taruna", lebar=14),
    Kolom("asal_organisasi", "tidak", "Nama organisasi asal.", "Karang Taruna Pahandut",
          lebar=24),
    Kolom("tahun_rekrut", "tidak", "Tahun pertama direkrut (2009 atau sesudahnya).", "2012",
          lebar=10),
    Kolom("nomor_sk", "tidak", "Nomor SK yang berlaku. Bila diisi, kolom SK lain wajib.",
          "188.44/121/DINSOS/2025", teks=True, lebar=22),
    Kolom("tanggal_sk", "jika ada SK", "Tanggal SK.", "2025-01-02", lebar=12),
    Kolom("penerbit_sk", "jika ada SK", "Instansi penerbit SK.",
          "Dinas Sosial Provinsi Kalimantan Tengah", lebar=24),
    Kolom("sk_mulai", "jika ada SK", "SK berlaku mulai.", "2025-01-03", lebar=12),
    Kolom("sk_selesai", "jika ada SK", "SK berlaku sampai.", "2026-12-31", lebar=12),
    Kolom("serah_terima", "tidak",
          "Isi “ya” bila kecamatan ini sengaja punya dua TKSK aktif (masa serah terima).",
          "", lebar=12),
]  # fmt: skip
KUNCI = [k.kunci for k in KOLOM]
WAJIB_JUDUL = {"nama", "jenis_kelamin"}
TANGGAL = {
    "tanggal_lahir": "Tanggal lahir",
    "tanggal_sk": "Tanggal SK",
    "sk_mulai": "Tanggal mulai SK",
    "sk_selesai": "Tanggal akhir SK",
}
KOLOM_SK = ("nomor_sk", "tanggal_sk", "penerbit_sk", "sk_mulai", "sk_selesai")


def _normal(value) -> str:
    teks = unicodedata.normalize("NFKC", "" if value is None else str(value)).casefold()
    return re.sub(r"[^a-z0-9]+", "_", teks).strip("_")


def _peta(choices) -> dict[str, str]:
    peta = {}
    for value, label in choices.choices:
        peta[_normal(value)] = value
        peta[_normal(label)] = value
    return peta


PILIHAN = {
    "jenis_kelamin": _peta(JenisKelamin) | {"laki": "L", "pria": "L", "wanita": "P"},
    "pendidikan": _peta(Pendidikan),
    "asal": _peta(Asal) | {"kt": "karang_taruna", "pekerja_sosial_masyarakat": "psm"},
}


# --- reading --------------------------------------------------------------------------------


def baca_xlsx(uploaded) -> list[dict]:
    """Rows of the "TKSK" sheet as {"baris": n, "isian": {kolom: text}, "rumus": [kolom]}.
    Raises BerkasDitolak with an Indonesian message when the file as a whole is unusable."""
    nama = (getattr(uploaded, "name", "") or "").lower()
    if not nama.endswith(".xlsx"):
        raise BerkasDitolak("Unggah berkas .xlsx (unduh templatnya di halaman ini).")
    if uploaded.size > BATAS_MB * 1024 * 1024:
        raise BerkasDitolak(f"Ukuran berkas melebihi batas {BATAS_MB} MB.")
    uploaded.seek(0)
    data = uploaded.read()
    if not data.startswith(b"PK\x03\x04"):
        raise BerkasDitolak(
            "Isi berkas bukan .xlsx walaupun namanya berakhiran .xlsx. Simpan ulang dari "
            "Excel/LibreOffice sebagai .xlsx."
        )
    wb = _buka_xlsx(io.BytesIO(data))
    try:
        ws = next((w for w in wb.worksheets if w.title.strip().casefold() == "tksk"), None)
        if ws is None:
            raise BerkasDitolak("Berkas tidak berisi lembar “TKSK”. Gunakan templat impor.")
        ws.reset_dimensions()
        rows = ws.iter_rows()
        judul = [_normal(c.value) for c in next(rows, ())]
        kurang = sorted(WAJIB_JUDUL - set(judul))
        if not {"username", "kode_kecamatan"} & set(judul):
            kurang.append("username atau kode_kecamatan")
        if kurang:
            raise BerkasDitolak(
                f"Kolom {', '.join(kurang)} tidak ditemukan di baris judul (baris 1). "
                "Gunakan templat impor, atau samakan judul kolomnya."
            )
        hasil = []
        for nomor, cells in enumerate(rows, start=2):
            isian, rumus = {}, []
            for i, c in enumerate(cells):
                if i >= len(judul) or judul[i] not in KUNCI or c.value is None:
                    continue
                kunci = judul[i]
                if getattr(c, "data_type", None) == "f":
                    rumus.append(kunci)
                    continue
                sel = Sel(c.value)
                if kunci in ("nik",):
                    isian[kunci] = _nomor(sel)
                elif isinstance(c.value, (datetime, date)) or kunci not in TANGGAL:
                    isian[kunci] = _teks(sel)
                else:
                    isian[kunci] = str(c.value)
            if not any(v.strip() for v in isian.values()) and not rumus:
                continue
            hasil.append(
                {"baris": getattr(c, "row", None) or nomor, "isian": isian, "rumus": rumus}
            )
            if len(hasil) > BATAS_BARIS:
                raise BerkasDitolak(f"Lembar TKSK berisi lebih dari {BATAS_BARIS} baris data.")
        if not hasil:
            raise BerkasDitolak("Lembar TKSK belum berisi data (baris 2 dan seterusnya kosong).")
        return hasil
    finally:
        wb.close()


# --- checking -------------------------------------------------------------------------------


@dataclass
class HasilBaris:
    baris: int
    isian: dict
    galat: dict = field(default_factory=dict)  # kolom → [pesan]
    peringatan: list = field(default_factory=list)
    lewati: str = ""  # why an existing profile's row is skipped
    data: dict = field(default_factory=dict)  # for profil_simpan
    sk: dict | None = None  # for sk_tambah

    def tambah(self, kolom: str, pesan) -> None:
        for p in pesan if isinstance(pesan, list) else [pesan]:
            self.galat.setdefault(kolom, []).append(str(p))

    @property
    def nama(self) -> str:
        return str(self.isian.get("nama", ""))[:150]

    @property
    def status(self) -> str:
        return "galat" if self.galat else ("lewati" if self.lewati else "siap")


@dataclass
class Pemeriksaan:
    baris: list[HasilBaris]

    @property
    def ada_galat(self) -> bool:
        return any(b.galat for b in self.baris)

    def jumlah(self, status: str) -> int:
        return sum(1 for b in self.baris if b.status == status)

    # For the templates.
    @property
    def jumlah_siap(self) -> int:
        return self.jumlah("siap")

    @property
    def jumlah_lewati(self) -> int:
        return self.jumlah("lewati")

    @property
    def jumlah_galat(self) -> int:
        return self.jumlah("galat")


def _teks_isian(isian: dict, kunci: str, maks: int | None = None) -> str:
    value = isian.get(kunci)
    teks = "" if value is None else str(value).strip()
    return teks[:maks] if maks else teks


def _cek_pengelola(pelaku) -> None:
    wajib(
        pelaku, "tenaga.kelola", "Hanya Dinas Sosial provinsi dan admin yang mengimpor data TKSK."
    )


def periksa(*, pelaku, rows: list[dict]) -> Pemeriksaan:
    """Check every row (a fixed number of queries for the whole file)."""
    _cek_pengelola(pelaku)
    kec_boleh = {
        w.kode: w
        for w in Wilayah.objects.for_user(pelaku).filter(tingkat=Tingkat.KECAMATAN, aktif=True)
    }
    usernames = {_teks_isian(r["isian"], "username").casefold() for r in rows} - {""}
    akun = {
        u.username.casefold(): u
        for u in User.objects.annotate(kecil=Lower("username"))
        .filter(kecil__in=usernames)
        .select_related("wilayah")
    }
    kec_terisi = set(
        ProfilTKSK.objects.filter(status=StatusTKSK.AKTIF).values_list("kecamatan__kode", flat=True)
    )
    profil_akun = dict(ProfilTKSK.objects.filter(akun__isnull=False).values_list("akun_id", "nama"))
    profil_nik = dict(ProfilTKSK.objects.filter(nik__isnull=False).values_list("nik", "nama"))
    profil_nama = {
        (kode, nama.casefold())
        for kode, nama in ProfilTKSK.objects.values_list("kecamatan__kode", "nama")
    }
    dipakai_nik, dipakai_akun, dipakai_kec = {}, {}, {}
    hasil = []
    for row in rows:
        isian = {k: v for k, v in (row.get("isian") or {}).items() if k in KUNCI}
        b = HasilBaris(baris=int(row.get("baris") or len(hasil) + 2), isian=isian)
        for kunci in row.get("rumus") or []:
            b.tambah(kunci, PESAN_RUMUS)
        _periksa_baris(b, pelaku, kec_boleh, akun)
        # Existing profiles (by account, NIK, or name in the kecamatan) are skipped.
        u, kec = b.data.get("akun"), b.data.get("kecamatan")
        if u is not None and u.pk in profil_akun:
            b.lewati = f"Akun {u.username} sudah punya profil TKSK ({profil_akun[u.pk]})."
        elif b.data.get("nik") and b.data["nik"] in profil_nik:
            b.lewati = f"NIK ini sudah terdaftar untuk {profil_nik[b.data['nik']]}."
        elif u is None and kec is not None and (kec.kode, b.nama.casefold()) in profil_nama:
            b.lewati = f"{b.nama} sudah terdaftar di Kecamatan {kec.nama}."
        if not b.lewati:
            _periksa_antar_baris(b, dipakai_nik, dipakai_akun, dipakai_kec, kec_terisi)
        hasil.append(b)
    return Pemeriksaan(hasil)


def _periksa_baris(b: HasilBaris, pelaku, kec_boleh: dict, akun: dict) -> None:
    isian = b.isian
    data = {}
    nama = _teks_isian(isian, "nama")
    if not nama:
        b.tambah("nama", "Nama lengkap wajib diisi.")
    elif len(nama) > 150:
        b.tambah("nama", "Nama paling panjang 150 huruf.")
    data["nama"] = nama[:150]
    for kunci in ("jenis_kelamin", "pendidikan", "asal"):
        teks = _teks_isian(isian, kunci)
        if not teks:
            if kunci == "jenis_kelamin":
                b.tambah(kunci, "Jenis kelamin wajib diisi (L atau P).")
            data[kunci] = "lainnya" if kunci == "asal" else ""
            continue
        value = PILIHAN[kunci].get(_normal(teks))
        if value is None:
            pilihan = ", ".join(dict.fromkeys(PILIHAN[kunci].values()))
            b.tambah(
                kunci, f"Isian “{teks[:30]}” tidak dikenal untuk kolom {kunci}. Pilihan: {pilihan}."
            )
        data[kunci] = value or ""
    tanggal = {}
    for kunci, label in TANGGAL.items():
        value, pesan = _tanggal(Sel(isian.get(kunci)) if isian.get(kunci) else None, label)
        if pesan:
            b.tambah(kunci, pesan)
            value = None
        tanggal[kunci] = value
    if tanggal["tanggal_lahir"] and tanggal["tanggal_lahir"] > timezone.localdate():
        b.tambah("tanggal_lahir", "Tanggal lahir tidak boleh di masa depan.")
    data["tanggal_lahir"] = tanggal["tanggal_lahir"]
    try:
        data["nik"] = periksa_nik(_teks_isian(isian, "nik")) or None
    except ValidationError as error:
        b.tambah("nik", error.messages)
        data["nik"] = None
    if data["nik"] and not b.galat.get("jenis_kelamin"):
        b.peringatan += peringatan_nik(
            data["nik"], tanggal_lahir=data["tanggal_lahir"], jenis_kelamin=data["jenis_kelamin"]
        )
    data["telepon"] = normalisasi_telepon(_teks_isian(isian, "telepon"))[:20]
    email = _teks_isian(isian, "email", 254)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        b.tambah("email", "Alamat surel tidak valid.")
    data["email"] = email
    data["alamat"] = _teks_isian(isian, "alamat", 255)
    data["asal_organisasi"] = _teks_isian(isian, "asal_organisasi", 150)
    tahun = _teks_isian(isian, "tahun_rekrut")
    data["tahun_rekrut"] = None
    if tahun:
        if not tahun.isdigit() or not 2009 <= int(tahun) <= timezone.localdate().year:
            b.tambah(
                "tahun_rekrut",
                f"Tahun rekrut ditulis 4 angka, 2009 sampai {timezone.localdate().year}.",
            )
        else:
            data["tahun_rekrut"] = int(tahun)
    _periksa_tempat(b, data, kec_boleh, akun)
    _periksa_sk(b, tanggal)
    b.data = data


def _periksa_tempat(b: HasilBaris, data: dict, kec_boleh: dict, akun: dict) -> None:
    """The account (a TKSK account already assigned) and the kecamatan, in the user's scope."""
    username = _teks_isian(b.isian, "username")
    kode = _teks_isian(b.isian, "kode_kecamatan")
    data["akun"], data["kecamatan"] = None, None
    if username:
        u = akun.get(username.casefold())
        if u is None:
            b.tambah("username", f"Akun “{username[:40]}” tidak ditemukan.")
        elif u.role != Role.TKSK or not u.wilayah_id:
            b.tambah("username", f"Akun {u.username} bukan akun TKSK yang sudah ditugaskan.")
        elif u.wilayah.kode not in kec_boleh:
            b.tambah("username", f"Akun {u.username} bertugas di luar wilayah Anda.")
        else:
            data["akun"], data["kecamatan"] = u, kec_boleh[u.wilayah.kode]
            if kode and kode != u.wilayah.kode:
                b.tambah(
                    "kode_kecamatan",
                    f"Akun {u.username} bertugas di {u.wilayah.kode} "
                    f"({u.wilayah.nama}), bukan {kode[:20]}.",
                )
    elif not kode:
        b.tambah("kode_kecamatan", "Isi username akun TKSK atau kode kecamatan tugas.")
    if kode and data["kecamatan"] is None and not b.galat.get("username"):
        if kode not in kec_boleh:
            b.tambah(
                "kode_kecamatan",
                f"Kode “{kode[:20]}” bukan kecamatan di wilayah Anda (contoh: 62.71.01).",
            )
        else:
            data["kecamatan"] = kec_boleh[kode]


def _periksa_sk(b: HasilBaris, tanggal: dict) -> None:
    if not any(_teks_isian(b.isian, k) for k in KOLOM_SK):
        return
    for kunci in KOLOM_SK:
        if not _teks_isian(b.isian, kunci) and kunci not in b.galat:
            b.tambah(kunci, "Wajib diisi bila nomor SK diisi.")
    mulai, selesai = tanggal["sk_mulai"], tanggal["sk_selesai"]
    if mulai and selesai and selesai < mulai:
        b.tambah("sk_selesai", "Tanggal akhir SK tidak boleh sebelum tanggal mulainya.")
    if not b.galat:
        b.sk = {
            "nomor": _teks_isian(b.isian, "nomor_sk", 100),
            "tanggal": tanggal["tanggal_sk"],
            "penerbit": _teks_isian(b.isian, "penerbit_sk", 150),
            "mulai": mulai,
            "selesai": selesai,
        }


def _periksa_antar_baris(b, dipakai_nik, dipakai_akun, dipakai_kec, kec_terisi) -> None:
    nik, u, kec = b.data.get("nik"), b.data.get("akun"), b.data.get("kecamatan")
    if nik and nik in dipakai_nik:
        b.tambah("nik", f"NIK ini sudah dipakai di baris {dipakai_nik[nik]}.")
    if u is not None and u.pk in dipakai_akun:
        b.tambah("username", f"Akun {u.username} sudah dipakai di baris {dipakai_akun[u.pk]}.")
    serah = _normal(b.isian.get("serah_terima")) in ("ya", "y", "yes", "1", "true")
    if kec is not None and not serah:
        if kec.kode in dipakai_kec:
            b.tambah(
                "kode_kecamatan",
                f"Kecamatan {kec.nama} sudah punya TKSK di baris "
                f"{dipakai_kec[kec.kode]}. Isi serah_terima “ya” bila "
                "memang ada dua TKSK aktif.",
            )
        elif kec.kode in kec_terisi:
            b.tambah(
                "kode_kecamatan",
                f"Kecamatan {kec.nama} sudah punya TKSK aktif. Isi "
                "serah_terima “ya” bila memang ada dua TKSK aktif.",
            )
    if nik:
        dipakai_nik.setdefault(nik, b.baris)
    if u is not None:
        dipakai_akun.setdefault(u.pk, b.baris)
    if kec is not None:
        dipakai_kec.setdefault(kec.kode, b.baris)


# --- saving ---------------------------------------------------------------------------------


class ImporGagal(Exception):
    def __init__(self, pemeriksaan: Pemeriksaan):
        super().__init__("rows with errors")
        self.pemeriksaan = pemeriksaan


@transaction.atomic
def simpan(*, pelaku, rows: list[dict], nama_berkas: str = "") -> Pemeriksaan:
    """Check again (the database may have changed since the preview) and write every ready
    row through the services, in one transaction. Any error: nothing is written."""
    # One import at a time: two confirmations racing would both pass the duplicate checks.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('tenaga_impor'))")
    hasil = periksa(pelaku=pelaku, rows=rows)
    if hasil.ada_galat:
        raise ImporGagal(hasil)
    dibuat = 0
    for b in hasil.baris:
        if b.status != "siap":
            continue
        try:
            profil, _ = svc.profil_simpan(pelaku=pelaku, data=dict(b.data))
            if b.sk:
                svc.sk_tambah(pelaku=pelaku, profil=profil, data=b.sk)
        except ValidationError as error:
            # A check the preview could not see (a race): the whole import is refused.
            for kolom, pesan in getattr(error, "message_dict", {"": error.messages}).items():
                b.tambah(kolom or "nama", pesan)
            transaction.set_rollback(True)
            raise ImporGagal(hasil) from None
        dibuat += 1
    catat(
        aksi="tksk_impor",
        pelaku=pelaku,
        data={"berkas": nama_berkas[:100], "dibuat": dibuat, "dilewati": hasil.jumlah("lewati")},
    )
    return hasil


# --- the template ---------------------------------------------------------------------------


def templat_xlsx(pelaku) -> bytes:
    """The roster template: the columns with their explanations, codes of the user's kecamatan
    in the instructions, text format for the NIK and code columns."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    kecamatan = list(
        Wilayah.objects.for_user(pelaku)
        .filter(tingkat=Tingkat.KECAMATAN, aktif=True)
        .select_related("kabupaten")
        .order_by("kode")
    )
    wb = Workbook()
    ws = wb.active
    ws.title = LEMBAR
    tebal = Font(bold=True)
    for i, k in enumerate(KOLOM, start=1):
        huruf = get_column_letter(i)
        c = ws.cell(row=1, column=i, value=k.kunci)
        c.font, c.fill = tebal, PatternFill("solid", fgColor="DDEBF7")
        c.comment = Comment(f"{k.wajib}: {k.penjelasan}", "SI TKSK", width=300, height=100)
        ws.column_dimensions[huruf].width = k.lebar
        if k.teks:
            for r in range(2, 302):
                ws.cell(row=r, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    pet = wb.create_sheet("Petunjuk", 0)
    for huruf, lebar in zip("ABCD", (22, 20, 70, 26), strict=True):
        pet.column_dimensions[huruf].width = lebar
    baris = [1]

    def tulis(*nilai, font=None):
        for i, v in enumerate(nilai, start=1):
            c = pet.cell(row=baris[0], column=i, value=v)
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.number_format = "@"
            if font:
                c.font = font
        baris[0] += 1

    tulis("Petunjuk impor daftar TKSK", font=Font(bold=True, size=14))
    for teks in (
        "1. Isi lembar TKSK: satu baris untuk setiap TKSK. Jangan ubah judul kolom di baris 1.",
        "2. Isi username akun TKSK bila akunnya sudah ada (kecamatan tugas mengikuti akun); "
        "bila belum, isi kode_kecamatan.",
        "3. Kolom NIK dan kode berformat Teks agar Excel tidak mengubah angkanya.",
        "4. Sebelum disimpan, aplikasi menampilkan pratinjau semua kesalahan per baris. Berkas "
        "disimpan hanya bila tidak ada kesalahan, seluruhnya sekaligus.",
        "5. TKSK yang akunnya atau NIK-nya sudah terdaftar dilewati (tidak menjadi ganda).",
    ):
        tulis(teks)
    baris[0] += 1
    tulis("Kolom", "Wajib?", "Penjelasan", "Contoh", font=tebal)
    for k in KOLOM:
        tulis(k.kunci, k.wajib, k.penjelasan, k.contoh)
    baris[0] += 1
    tulis("Kode kecamatan di wilayah Anda", font=tebal)
    tulis("Kode", "Kabupaten/kota", "Kecamatan", font=tebal)
    for w in kecamatan:
        tulis(w.kode, w.kabupaten.nama if w.kabupaten_id else "", w.nama)
    wb.active = 0
    keluaran = io.BytesIO()
    wb.save(keluaran)
    return keluaran.getvalue()
