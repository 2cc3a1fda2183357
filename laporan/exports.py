"""Exports: recap tables (PDF/XLSX/CSV) and person-level data (CSV/XLSX), streamed or written by a
background job.

* Every cell of every CSV and XLSX (typed text, reference names such as area and category
  names, headers, notes) passes through `aman_untuk_spreadsheet`: a spreadsheet
  program never evaluates a value typed into the app (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`).
* NIK and No KK are text: in XLSX a string cell with the text format "@", never a number (Excel
  would round the 16th digit); they are masked unless the user asked for full numbers.
* Person-level rows are read with a server-side cursor (`.iterator(chunk_size=...)`) as plain
  tuples (`values_list`) and written row by row, so a million persons never sit in memory.
* CSV is UTF-8 with a byte order mark, so that Excel shows "Penyandang" and "Kabupaten Kapuas"
  correctly and keeps leading zeros of text columns.
"""

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from pendataan.models import (
    Agama,
    Hubungan,
    Individu,
    Keluarga,
    Pendidikan,
    StatusHidup,
    StatusKawin,
    StatusPenanganan,
    StatusVerifikasi,
    SubjekPPKS,
)
from pendataan.selectors_ppks import ppks_visible
from tksk.models import Tingkat, Wilayah
from tksk.privasi import samarkan

# First characters that make a spreadsheet read a cell as a formula (or a DDE command): the ASCII
# ones, tab and carriage return, and their full-width forms, which some spreadsheets normalise.
BAHAYA = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
BOM = "\ufeff"
# Invisible characters a formula can hide behind.
TERSEMBUNYI = BOM + "\u200b\u200c\u200d\u2060"
BARIS_PER_POTONG = 2000
CHUNK = 5000
MAKS_BARIS_XLSX = 1_000_000


def aman_untuk_spreadsheet(value):
    """A cell value that no spreadsheet evaluates: text starting with = + - @ (also after leading
    spaces or other whitespace), a tab or a carriage return gets a leading apostrophe. Numbers,
    dates and empty values are returned unchanged."""
    if not isinstance(value, str) or not value:
        return value
    awal = value[0]
    if awal not in BAHAYA and awal not in TERSEMBUNYI and not awal.isspace():
        return value  # the common case, decided on the first character
    # Leading whitespace, a byte order mark or zero-width characters hide a formula from a naive
    # check but not from every spreadsheet.
    sisa = value.lstrip().lstrip(TERSEMBUNYI).lstrip()
    if value[0] in BAHAYA or (sisa and sisa[0] in BAHAYA):
        return "'" + value
    return value


# --- writers ----------------------------------------------------------------------------------


class _Penampung:
    """A file-like object that only collects what csv.writer writes."""

    def __init__(self):
        self.bagian: list[str] = []

    def write(self, teks: str) -> None:
        self.bagian.append(teks)

    def ambil(self) -> bytes:
        data = "".join(self.bagian).encode("utf-8")
        self.bagian.clear()
        return data


def csv_potongan(kolom: list[str], baris: Iterable, *, teks: set[int] | None = None) -> Iterator:
    """CSV bytes in chunks (for StreamingHttpResponse or a file), BOM first. `teks` are the
    indexes of the columns that may hold typed text; None means every column."""
    penampung = _Penampung()
    tulis = csv.writer(penampung, lineterminator="\r\n").writerow
    penampung.write(BOM)
    tulis([aman_untuk_spreadsheet(k) for k in kolom])
    for n, row in enumerate(baris, start=1):
        # Every cell, reference names (area, category) included: `teks` is only documentation
        # of which columns hold typed text, never a reason to skip the guard.
        tulis([aman_untuk_spreadsheet(v) for v in row])
        if n % BARIS_PER_POTONG == 0:
            yield penampung.ambil()
    yield penampung.ambil()


def _gaya_xlsx():
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "font": Font(bold=True, color="FFFFFF"),
        "fill": PatternFill("solid", fgColor="1F5FA8"),
        "align": Alignment(vertical="center", wrap_text=True),
    }


def xlsx_tulis(
    path,
    kolom: list[str],
    baris: Iterable,
    *,
    judul: str = "Data",
    teks: set[int] | None = None,
    nomor: set[int] = frozenset(),
    lebar: list[int] | None = None,
    keterangan: list[str] | None = None,
) -> int:
    """Write an XLSX (write-only mode: rows go to disk as they come). Header bold on a filled
    background, frozen; `nomor` columns (NIK/No KK) are text cells with format "@"; no formula
    anywhere. A sheet holds at most a million rows; more continue on the next sheet. Returns the
    number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    gaya = _gaya_xlsx()
    wb = Workbook(write_only=True)

    def lembar(nomor_lembar: int):
        ws = wb.create_sheet(judul[:28] if nomor_lembar == 1 else f"{judul[:24]} ({nomor_lembar})")
        for i, w in enumerate(lebar or [], start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        # Frozen below the header (set before the first row: write-only sheets need that).
        ws.freeze_panes = f"A{len(keterangan or []) + 2}"
        for teks_ket in keterangan or []:
            ws.append([WriteOnlyCell(ws, value=aman_untuk_spreadsheet(teks_ket))])
        header = []
        for k in kolom:
            cell = WriteOnlyCell(ws, value=aman_untuk_spreadsheet(k))
            cell.font, cell.fill, cell.alignment = gaya["font"], gaya["fill"], gaya["align"]
            header.append(cell)
        ws.append(header)
        return ws

    nomor_lembar = 1
    ws = lembar(nomor_lembar)
    n = 0
    di_lembar = 0
    for row in baris:
        if di_lembar >= MAKS_BARIS_XLSX:
            nomor_lembar += 1
            ws = lembar(nomor_lembar)
            di_lembar = 0
        out = []
        for i, v in enumerate(row):
            v = aman_untuk_spreadsheet(v)  # every cell, like the CSV
            if i in nomor:
                cell = WriteOnlyCell(ws, value=None if v in (None, "") else str(v))
                cell.number_format = "@"
                out.append(cell)
            else:
                out.append(v)
        ws.append(out)
        n += 1
        di_lembar += 1
    wb.save(path)
    return n


def xlsx_sementara(*args, **kwargs) -> tuple[str, int]:
    """Write an XLSX to a temporary file (deleted by the caller); returns (path, rows)."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="tksk-")
    os.close(fd)
    try:
        n = xlsx_tulis(path, *args, **kwargs)
    except Exception:
        os.unlink(path)
        raise
    return path, n


# --- person-level exports -------------------------------------------------------------------


@dataclass
class Permintaan:
    """What a user asked to export: kind, area (in their scope), filters, masking."""

    jenis: str
    wilayah: Wilayah
    status: str = ""
    kategori_id: int | None = None
    nik_lengkap: bool = False
    format: str = "csv"

    def parameter(self) -> dict:
        return {
            "jenis": self.jenis,
            "wilayah": self.wilayah.kode,
            "status": self.status,
            "kategori": self.kategori_id,
            "nik_lengkap": self.nik_lengkap,
            "format": self.format,
        }


def _lookup_wilayah(wilayah: Wilayah) -> dict:
    if wilayah.tingkat == Tingkat.DESA:
        return {"desa": wilayah}
    return {f"desa__{wilayah.tingkat}": wilayah}


def _desa_nama(user, wilayah: Wilayah) -> dict[int, tuple[str, str, str]]:
    """desa id → (desa, kecamatan, kabupaten) names for the area (one query, ~1,600 rows at
    most for a province) instead of three joins per exported row."""
    qs = Wilayah.objects.for_user(user).filter(tingkat=Tingkat.DESA)
    qs = qs.filter(
        **({"pk": wilayah.pk} if wilayah.tingkat == Tingkat.DESA else {wilayah.tingkat: wilayah})
    )
    return {
        pk: (d, kec or "", kab or "")
        for pk, d, kec, kab in qs.values_list("pk", "nama", "kecamatan__nama", "kabupaten__nama")
    }


def _label(choices) -> dict:
    return {k: str(v) for k, v in choices}


STATUS_LABEL = _label(StatusVerifikasi.choices)


def _tanggal(nilai) -> str:
    return nilai.isoformat() if nilai else ""


def _waktu(nilai) -> str:
    return timezone.localtime(nilai).strftime("%Y-%m-%d %H:%M") if nilai else ""


class Ekspor:
    """A person-level export: columns, the scoped queryset and the row formatter."""

    kolom: list[str]
    teks: set[int]
    nomor: set[int]
    lebar: list[int]

    def __init__(self, user, permintaan: Permintaan):
        self.user = user
        self.p = permintaan
        self._desa = None

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def jumlah(self) -> int:
        return self.queryset().count()

    def desa(self):
        if self._desa is None:
            self._desa = _desa_nama(self.user, self.p.wilayah)
        return self._desa

    def nomor_tampil(self, nomor) -> str:
        if not nomor:
            return ""
        return nomor if self.p.nik_lengkap else samarkan(nomor)

    def baris(self) -> Iterator[list]:
        raise NotImplementedError


class EksporKeluarga(Ekspor):
    kolom = [
        "No KK", "Nama kepala keluarga", "Alamat", "RT", "RW", "Dusun/lingkungan",
        "Desa/kelurahan", "Kecamatan", "Kabupaten/kota", "Jumlah anggota", "Status verifikasi",
        "Terakhir diubah",
    ]  # fmt: skip
    teks = {1, 2, 3, 4, 5}
    nomor = {0}
    lebar = [20, 28, 36, 5, 5, 18, 22, 20, 26, 10, 16, 17]

    def queryset(self):
        qs = Keluarga.objects.for_user(self.user).filter(**_lookup_wilayah(self.p.wilayah))
        if self.p.status:
            qs = qs.filter(status=self.p.status)
        return qs

    def baris(self):
        desa = self.desa()
        kosong = ("", "", "")
        rows = (
            self.queryset()
            .order_by("id")  # the primary key's order: streamed without a sort
            .values_list(
                "no_kk",
                "nama_kepala",
                "alamat",
                "rt",
                "rw",
                "dusun",
                "desa_id",
                "jumlah_anggota",
                "status",
                "diubah_pada",
            )  # fmt: skip
            .iterator(chunk_size=CHUNK)
        )
        for no_kk, nama, alamat, rt, rw, dusun, desa_id, jumlah, status, diubah in rows:
            d = desa.get(desa_id, kosong)
            yield [
                self.nomor_tampil(no_kk), nama, alamat, rt, rw, dusun, d[0], d[1], d[2],
                jumlah, STATUS_LABEL.get(status, status), _waktu(diubah),
            ]  # fmt: skip


class EksporIndividu(Ekspor):
    kolom = [
        "NIK", "No KK", "Nama", "Jenis kelamin", "Tempat lahir", "Tanggal lahir",
        "Hubungan dalam keluarga", "Agama", "Pendidikan", "Pekerjaan", "Status perkawinan",
        "Status", "Desa/kelurahan", "Kecamatan", "Kabupaten/kota", "Status verifikasi keluarga",
    ]  # fmt: skip
    teks = {2, 4, 9}
    nomor = {0, 1}
    lebar = [20, 20, 28, 10, 18, 12, 18, 12, 20, 22, 18, 10, 22, 20, 26, 16]

    def queryset(self):
        qs = Individu.objects.for_user(self.user).filter(**_lookup_wilayah(self.p.wilayah))
        if self.p.status:
            qs = qs.filter(keluarga__status=self.p.status)
        return qs

    def baris(self):
        desa = self.desa()
        kosong = ("", "", "")
        jk = {"L": "Laki-laki", "P": "Perempuan"}
        hub, agama = _label(Hubungan.choices), _label(Agama.choices)
        didik, kawin = _label(Pendidikan.choices), _label(StatusKawin.choices)
        hidup = _label(StatusHidup.choices)
        rows = (
            self.queryset()
            # Members of a household together, in the order of the index the join walks: the
            # first rows leave the database at once, no sort of a million rows on disk.
            .order_by("keluarga_id", "id")
            .values_list(
                "nik",
                "keluarga__no_kk",
                "nama",
                "jenis_kelamin",
                "tempat_lahir",
                "tanggal_lahir",
                "hubungan",
                "agama",
                "pendidikan",
                "pekerjaan",
                "status_kawin",
                "status_hidup",
                "desa_id",
                "keluarga__status",
            )  # fmt: skip
            .iterator(chunk_size=CHUNK)
        )
        samar = not self.p.nik_lengkap
        for (
            nik, no_kk, nama, kelamin, tempat, lahir, hubungan, ag, pend, kerja, kw, st_hidup,
            desa_id, status,
        ) in rows:  # fmt: skip
            d = desa.get(desa_id, kosong)
            if samar:
                nik = samarkan(nik) if nik else ""
                no_kk = samarkan(no_kk) if no_kk else ""
            yield [
                nik or "", no_kk or "", nama, jk.get(kelamin, kelamin), tempat,
                lahir, hub.get(hubungan, hubungan),
                agama.get(ag, ag), didik.get(pend, pend), kerja, kawin.get(kw, kw),
                hidup.get(st_hidup, st_hidup), d[0], d[1], d[2], STATUS_LABEL.get(status, status),
            ]  # fmt: skip


class EksporPPKS(Ekspor):
    kolom = [
        "Kode kategori", "Kategori", "Subjek", "Nama subjek", "NIK", "Desa/kelurahan",
        "Kecamatan", "Kabupaten/kota", "Tanggal identifikasi", "Status penanganan",
        "Status verifikasi",
    ]  # fmt: skip
    teks = {3}
    nomor = {4}
    lebar = [10, 34, 12, 28, 20, 22, 20, 26, 14, 18, 16]

    def queryset(self):
        # Sensitive categories only inside the recording kecamatan's chain (ppks_visible).
        qs = ppks_visible(self.user).filter(**_lookup_wilayah(self.p.wilayah))
        if self.p.status:
            qs = qs.filter(status=self.p.status)
        if self.p.kategori_id:
            qs = qs.filter(kategori_id=self.p.kategori_id)
        return qs

    def baris(self):
        desa = self.desa()
        kosong = ("", "", "")
        subjek_label = _label(SubjekPPKS.choices)
        penanganan = _label(StatusPenanganan.choices)
        rows = (
            self.queryset()
            .order_by("id")
            .values_list(
                "kategori__singkatan",
                "kategori__nama",
                "subjek",
                "individu__nama",
                "keluarga__nama_kepala",
                "nama_kelompok",
                "individu__nik",
                "desa_id",
                "tanggal_identifikasi",
                "status_penanganan",
                "status",
            )  # fmt: skip
            .iterator(chunk_size=CHUNK)
        )
        for sing, nama_k, subjek, ind, kel, kelompok, nik, desa_id, tgl, tangani, status in rows:
            d = desa.get(desa_id, kosong)
            yield [
                sing, nama_k, subjek_label.get(subjek, subjek), ind or kel or kelompok or "",
                self.nomor_tampil(nik), d[0], d[1], d[2], _tanggal(tgl),
                penanganan.get(tangani, tangani), STATUS_LABEL.get(status, status),
            ]  # fmt: skip


JENIS = {"keluarga": EksporKeluarga, "individu": EksporIndividu, "ppks": EksporPPKS}
JUDUL = {"keluarga": "Keluarga", "individu": "Individu", "ppks": "PPKS"}


def ekspor_untuk(user, permintaan: Permintaan) -> Ekspor:
    return JENIS[permintaan.jenis](user, permintaan)


def nama_unduhan(permintaan: Permintaan) -> str:
    stempel = timezone.localtime().strftime("%Y%m%d-%H%M")
    kode = permintaan.wilayah.kode.replace(".", "")
    return f"{permintaan.jenis}-{kode}-{stempel}.{permintaan.format}"


def tulis_berkas(ekspor: Ekspor, path) -> int:
    """Write a person-level export to `path` (CSV or XLSX); returns the number of rows."""
    if ekspor.p.format == "xlsx":
        return xlsx_tulis(
            path,
            ekspor.kolom,
            ekspor.baris(),
            judul=JUDUL[ekspor.p.jenis],
            teks=ekspor.teks,
            nomor=ekspor.nomor,
            lebar=ekspor.lebar,
        )
    n = 0

    def hitung():
        nonlocal n
        for row in ekspor.baris():
            n += 1
            yield row

    with open(path, "wb") as f:
        for potong in csv_potongan(ekspor.kolom, hitung(), teks=ekspor.teks):
            f.write(potong)
    return n


# --- recap exports ----------------------------------------------------------------------------


def rekap_tabel(data: dict) -> tuple[list[str], list[list]]:
    """Header and rows of a recap (children × categories, then the total row)."""
    kolom = ["Kode wilayah", data["label_anak"]]
    kolom += [f"{k.singkatan} – {k.nama}" for k in data["kategori"]] + ["Jumlah"]
    rows = []
    for b in [*data["baris"], data["total"]]:
        w = b["wilayah"]
        label = w.nama if b is not data["total"] else f"Jumlah {w.nama_lengkap}"
        rows.append([w.kode, label, *b["sel"], b["total"]])
    return kolom, rows


def rekap_keterangan(data: dict, user) -> list[str]:
    w = data["wilayah"]
    waktu = data["terakhir"].strftime("%d-%m-%Y %H:%M") if data["terakhir"] else "-"
    ket = [
        f"Rekap {data['judul']} per {data['label_anak'].lower()} dan kategori, {w.nama_lengkap}",
        f"Data per {waktu} WIB; "
        + ("hanya data terverifikasi" if data["hanya_terverifikasi"] else "semua status"),
    ]
    if data["publik"]:
        ket.append("Versi publik: angka di bawah 5 ditulis <5.")
    ket.append(f"Diunduh oleh {user.get_full_name() or user.username}, {_waktu(timezone.now())}")
    return ket
