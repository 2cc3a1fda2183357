"""Spreadsheet import of households (with their members) and PPKS identifications.

The TKSK downloads a template (.xlsx with the sheets "Keluarga", "PPKS" and "Petunjuk"), fills it
in or pastes from their own spreadsheet, and uploads it (.xlsx or .csv). The upload is checked by
content, stored under MEDIA_ROOT/impor/ with a random name, and examined by a background job
(`jalankan_impor`, run by `manage.py db_worker`): every row goes through the same checks as the
web form (households through `keluarga_buat_banyak`, which checks each as `keluarga_simpan` does
and writes the valid ones in bulk; PPKS rows likewise through `ppks_buat_banyak`) inside
transactions that are rolled back, so the preview shows exactly the errors and warnings the form
would give, by spreadsheet row number. On confirmation the same run is repeated and committed in
one transaction: the households whose rows are all valid and the valid PPKS rows, or nothing if
the result differs from the preview. History rows of what it creates say "impor" and name the
file.

Importing a file twice creates no duplicates: a household whose No KK (or whose members' NIKs)
already exist in the user's area with the same members is skipped as "sudah ada", and so is a PPKS
row whose subject already has that category open.

What the job needs between requests is kept in a JSON file beside the upload (owner, area, sha256,
status, the preview): it survives the session's rotation at login and its 30-minute idle timeout,
and both the web process and the worker read it. Everything is deleted after confirmation or after
24 hours.
"""

import csv
import fcntl
import hashlib
import io
import json
import logging
import os
import re
import time
import unicodedata
import uuid as uuidlib
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from pendataan.models import (
    PPKS,
    Agama,
    AlasanTanpaNIK,
    Disabilitas,
    Hubungan,
    Individu,
    JenisKelamin,
    Keluarga,
    Pendidikan,
    StatusKawin,
    StatusPenanganan,
    SubjekPPKS,
)
from pendataan.nik import periksa_nik, periksa_no_kk, peringatan_nik
from pendataan.services import PERAN_PENDATA, keluarga_buat_banyak, keluarga_periksa
from pendataan.services_ppks import ppks_buat_banyak
from tksk.audit import catat
from tksk.logging import mask_numbers
from tksk.models import KategoriPPKS, Tingkat, User, Wilayah
from tksk.scoping import sees_everything
from tksk.tasks import coba_ulang
from tksk.transaksi import kunci_kecamatan, ulangi_jika_bentrok

logger = logging.getLogger(__name__)

LEMBAR_KELUARGA = "Keluarga"
LEMBAR_PPKS = "PPKS"
LEMBAR_PETUNJUK = "Petunjuk"
LEMBAR_DAFTAR = "Daftar"
UMUR_UNGGAHAN = timedelta(hours=24)
PER_HALAMAN = 100


def batas_mb() -> float:
    return getattr(settings, "IMPOR_BATAS_MB", 5)


def batas_baris() -> int:
    return getattr(settings, "IMPOR_BATAS_BARIS", 20000)


# --- columns ---------------------------------------------------------------------------------


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


# --- reading files ---------------------------------------------------------------------------


@dataclass
class Sel:
    """A cell as read: the raw value (str, int, float, datetime…) and whether it was a formula.
    A text longer than PANJANG_SEL_MAKS keeps only its first characters; `panjang` then holds
    its real length, and the check reports it on that cell."""

    nilai: object
    rumus: bool = False
    panjang: int = 0


# The longest field of the form is 255 characters (alamat), and up to this limit the form's own
# message names each field's length; the PPKS descriptions have none in the form, but some five
# pages is more than any real one. A longer cell is a paste gone wrong or an attack (Excel stops
# at 32,767, a crafted file need not): it is refused on its own cell, neither kept nor echoed.
PANJANG_SEL_MAKS = 10_000
_CUPLIKAN = 40  # what is kept of a refused cell (the page shows names up to 60 characters)


def _sel(value, rumus: bool = False) -> Sel:
    if isinstance(value, str) and len(value) > PANJANG_SEL_MAKS:
        return Sel(value[:_CUPLIKAN].strip() + "…", rumus, panjang=len(value))
    return Sel(value, rumus)


def _angka(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def pesan_panjang(panjang: int) -> str:
    return (
        f"Isi sel ini {_angka(panjang)} karakter, melebihi batas {_angka(PANJANG_SEL_MAKS)} "
        "karakter per sel. Periksa apakah teks tertempel berlebihan, lalu persingkat isinya."
    )


@dataclass
class Baris:
    nomor: int  # row number as the spreadsheet shows it (the header is row 1)
    sel: dict[str, Sel]

    def kosong(self) -> bool:
        return all(_kosong(s.nilai) for s in self.sel.values())


@dataclass
class Lembar:
    nama: str
    kolom: list[str]
    baris: list[Baris] = field(default_factory=list)
    tak_dikenal: list[str] = field(default_factory=list)
    # A CSV that is not UTF-8 is read as Windows-1252: the encoding, and a few of its cells with
    # accented letters, so the page can ask the user to check them.
    pengodean: str = "utf-8"
    contoh_aksen: list[str] = field(default_factory=list)


class BerkasDitolak(ValidationError):
    """The upload as a whole cannot be read (type, size, structure)."""


def _kosong(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_TAK_DIKENAL_MAKS = 20  # unknown headers named on the page; a header row may run to XFD
# openpyxl builds every row as wide as the last column asked for; the import's columns sit in
# the first few dozen, and no real sheet puts them past IV (the old Excel's last column).
KOLOM_MAKS = 256


def _kolom_dari_judul(nama_lembar: str, judul: list) -> tuple[list[str | None], list[str]]:
    dikenal = {k.kunci for k in (KOLOM_KELUARGA if nama_lembar == LEMBAR_KELUARGA else KOLOM_PPKS)}
    kolom, tak_dikenal, lainnya = [], [], 0
    for value in judul:
        kunci = _normal_judul(value)
        if kunci in dikenal and kunci not in kolom:
            kolom.append(kunci)
        else:
            kolom.append(None)
            if kunci and len(tak_dikenal) < _TAK_DIKENAL_MAKS:
                teks = str(value).strip()
                tak_dikenal.append(teks if len(teks) <= 60 else teks[:_CUPLIKAN] + "…")
            elif kunci:
                lainnya += 1
    if lainnya:
        tak_dikenal.append(f"dan {_angka(lainnya)} kolom lain")
    while kolom and kolom[-1] is None:
        kolom.pop()  # nothing right of the last known column is read
    if len(kolom) > KOLOM_MAKS:
        raise BerkasDitolak(
            f"Lembar {nama_lembar}: kolom {kolom[-1]} ada di kolom ke-{_angka(len(kolom))}. "
            f"Letakkan kolom impor dalam {KOLOM_MAKS} kolom pertama (A sampai IV): hapus kolom "
            "kosong di antaranya, lalu unggah lagi."
        )
    return kolom, tak_dikenal


def _cek_judul(lembar: Lembar) -> None:
    ada = set(lembar.kolom)
    kurang = sorted(WAJIB_KOLOM[lembar.nama] - ada)
    if lembar.nama == LEMBAR_KELUARGA and not ({"kode_keluarga", "no_kk"} & ada):
        kurang.append("kode_keluarga atau no_kk")
    if lembar.nama == LEMBAR_PPKS and not (SUBJEK_PPKS & ada):
        kurang.append("nik, no_kk, kode_keluarga atau nama_kelompok")
    if kurang:
        raise BerkasDitolak(
            f"Lembar {lembar.nama}: kolom {', '.join(kurang)} tidak ditemukan di baris judul "
            "(baris 1). Gunakan templat impor, atau samakan judul kolomnya."
        )


def _jenis_lembar_csv(judul: list) -> str:
    kunci = {_normal_judul(v) for v in judul}
    if {"hubungan", "jenis_kelamin"} & kunci:
        return LEMBAR_KELUARGA
    if "kategori" in kunci:
        return LEMBAR_PPKS
    raise BerkasDitolak(
        "Baris pertama CSV harus berisi judul kolom lembar Keluarga (nik, nama, jenis_kelamin, "
        "hubungan, …) atau lembar PPKS (kategori, tanggal_identifikasi, …)."
    )


# A part of a real workbook compresses perhaps 20:1 (repetitive XML); far more is a zip bomb.
RASIO_ZIP_MAKS = 200
_UKURAN_RASIO_MIN = 1024 * 1024  # small parts may compress very well; they do no harm
# openpyxl streams the worksheets but parses every other part whole, the shared strings (each
# distinct text of the workbook) into a list that costs about 7 bytes of memory per byte of
# XML. A full file of IMPOR_BATAS_BARIS rows needs some 6 MB of shared strings and well under
# 1 MB of styles; these limits keep the peak memory of a hostile file under 300 MB.
TEKS_BERSAMA_MAKS = 20 * 1024 * 1024
_XML_LAIN_MAKS = 10 * 1024 * 1024
_KEPALA_BAGIAN = 65536


def _jenis_bagian(kepala: bytes) -> str:
    """A part by its root element: a worksheet, the shared strings, other XML, or binary."""
    if not kepala.lstrip().startswith(b"<"):
        return "biner"
    akar = re.search(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)", kepala)
    nama = akar.group(1) if akar else b""
    return {b"worksheet": "lembar", b"sst": "teks"}.get(nama, "xml")


def _tanpa_dimensi(kepala: bytes) -> bool:
    """Whether the sheet lacks its <dimension> before the data. openpyxl then parses the whole
    sheet once only to find it (a million rows: tens of seconds) before reading a row; Excel,
    LibreOffice, Google Sheets and openpyxl always write it."""
    dimensi = re.search(rb"<(\w+:)?dimension\b", kepala)
    data = kepala.find(b"sheetData")
    return dimensi is None or (data >= 0 and data < dimensi.start())


def _periksa_isi_arsip(arsip: zipfile.ZipFile, nama: set[str]) -> None:
    """Refuse a workbook that carries macros (an .xlsm renamed .xlsx), links to other files,
    or a part that decompresses out of all proportion, before openpyxl reads any of it."""
    jenis = arsip.read("[Content_Types].xml")[:200_000].lower()
    if any(n.lower().endswith("vbaproject.bin") for n in nama) or b"macroenabled" in jenis:
        raise BerkasDitolak(
            "Berkas berisi makro (buku kerja .xlsm yang namanya diganti .xlsx). Makro tidak "
            "diimpor demi keamanan: buka di Excel, lalu Simpan Sebagai “Buku Kerja Excel "
            "(.xlsx)” tanpa makro."
        )
    if any(n.lower().startswith("xl/externallinks/") for n in nama):
        raise BerkasDitolak(
            "Berkas berisi tautan ke buku kerja lain (external link). Hapus tautannya di Excel "
            "(Data → Edit Links → Break Link), simpan, lalu unggah lagi."
        )
    for info in arsip.infolist():
        besar = info.file_size
        if besar > _UKURAN_RASIO_MIN and besar > RASIO_ZIP_MAKS * max(info.compress_size, 1):
            raise BerkasDitolak(
                "Isi berkas .xlsx tidak wajar: satu bagiannya mengembang lebih dari "
                f"{RASIO_ZIP_MAKS} kali saat dibuka. Simpan ulang dari Excel/LibreOffice."
            )
        if besar <= _UKURAN_RASIO_MIN:
            continue
        # A part is judged by its content, not its name (the workbook's relations may name any
        # path); zipfile never reads more than the size the archive declares.
        with arsip.open(info) as f:
            kepala = f.read(_KEPALA_BAGIAN)
        jenis = _jenis_bagian(kepala)
        if jenis == "lembar" and _tanpa_dimensi(kepala):
            raise BerkasDitolak(
                "Lembar dalam berkas .xlsx tidak mencatat ukurannya (dimension), seperti yang "
                "selalu ditulis Excel dan LibreOffice. Buka berkas di Excel/LibreOffice, simpan "
                "ulang sebagai .xlsx, lalu unggah lagi."
            )
        if (jenis == "teks" and besar > TEKS_BERSAMA_MAKS) or (
            jenis == "xml" and besar > _XML_LAIN_MAKS
        ):
            raise BerkasDitolak(
                "Isi teks berkas .xlsx terlalu besar untuk diimpor. Bagi data menjadi beberapa "
                "berkas."
            )


def _buka_xlsx(path: Path):
    import openpyxl

    try:
        with zipfile.ZipFile(path) as arsip:
            nama = set(arsip.namelist())
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= nama:
                raise BerkasDitolak(
                    "Isi berkas bukan buku kerja Excel (.xlsx). Simpan ulang dari "
                    "Excel/LibreOffice sebagai .xlsx."
                )
            # A small file that unpacks to gigabytes is refused before anything reads it.
            if sum(i.file_size for i in arsip.infolist()) > batas_mb() * 1024 * 1024 * 40:
                raise BerkasDitolak("Isi berkas .xlsx terlalu besar untuk diimpor.")
            _periksa_isi_arsip(arsip, nama)
    except zipfile.BadZipFile:
        raise BerkasDitolak(
            "Berkas bukan .xlsx yang utuh. Simpan ulang dari Excel/LibreOffice sebagai .xlsx."
        ) from None
    try:
        # Raw values: formulas as their text, never evaluated; numbers as numbers.
        return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:
        raise BerkasDitolak(
            "Berkas .xlsx tidak dapat dibaca. Simpan ulang dari Excel/LibreOffice sebagai .xlsx."
        ) from None


def _lembar_xlsx(wb) -> dict[str, object]:
    """The workbook's import sheets by their canonical name (matched case-insensitively)."""
    hasil = {}
    for ws in wb.worksheets:
        nama = ws.title.strip().casefold()
        for kanonik in (LEMBAR_KELUARGA, LEMBAR_PPKS):
            if nama == kanonik.casefold():
                hasil[kanonik] = ws
    return hasil


def baris_mentah_maks(batas: int) -> int:
    """Rows read in all, empty ones included. A format dragged far below the data leaves rows
    that are styled but empty, each of which openpyxl still parses; a sheet may have 1,048,576
    of them (tens of seconds). The template formats 2,000 rows and a real sheet at the row limit
    with twice as many formatted blank rows again stays under this, so reaching it means a
    hostile or broken file. It is refused, not cut off: data further down would be lost
    without a word."""
    return max(3 * batas, 10_000)


# Text kept in memory for one file, in characters: 20,000 rows of a real household sheet hold
# a few million; the cap bounds what cells repeated inline (not shared) could pile up.
TEKS_MAKS = 30_000_000


def _tolak_baris_mentah(nama: str, maks: int) -> BerkasDitolak:
    return BerkasDitolak(
        f"Lembar {nama} berisi lebih dari {_angka(maks)} baris, termasuk baris kosong yang "
        "diberi format. Hapus baris kosong di bawah data (pilih barisnya, klik kanan → Hapus), "
        "simpan, lalu unggah lagi."
    )


def _tolak_teks(nama: str) -> BerkasDitolak:
    return BerkasDitolak(
        f"Isi teks lembar {nama} terlalu besar untuk diimpor. Bagi berkas menjadi beberapa bagian."
    )


def baca_xlsx(path: Path, *, batas: int | None = None) -> dict[str, Lembar]:
    batas = batas or batas_baris()
    mentah_maks = baris_mentah_maks(batas)
    teks_total = 0
    wb = _buka_xlsx(path)
    try:
        lembar_ws = _lembar_xlsx(wb)
        if not lembar_ws:
            raise BerkasDitolak(
                "Berkas tidak berisi lembar “Keluarga” atau “PPKS”. Unduh templat impor dan isi "
                "data pada lembar tersebut."
            )
        hasil = {}
        for nama, ws in lembar_ws.items():
            ws.reset_dimensions()  # dimensions written by other tools may be wrong
            judul = next(ws.iter_rows(max_row=1), ())
            kolom, tak_dikenal = _kolom_dari_judul(nama, [c.value for c in judul])
            lembar = Lembar(nama, [k for k in kolom if k], tak_dikenal=tak_dikenal)
            _cek_judul(lembar)
            # Cells right of the last known column are not even built (a row may reach XFD).
            rows = ws.iter_rows(min_row=2, max_col=max(len(kolom), 1))
            # Only the known columns are visited (a header may put one at column XFD).
            dikenal = [(i, k) for i, k in enumerate(kolom) if k]
            nomor = 1
            for cells in rows:
                nomor += 1
                if nomor > mentah_maks:
                    raise _tolak_baris_mentah(nama, mentah_maks)
                sel = {}
                for i, kunci in dikenal:
                    if i >= len(cells):
                        break
                    c = cells[i]
                    value = getattr(c, "value", None)
                    if value is None:
                        continue
                    nomor = getattr(c, "row", None) or nomor
                    rumus = getattr(c, "data_type", None) == "f"
                    sel[kunci] = s = _sel(value, rumus)
                    if isinstance(s.nilai, str):
                        teks_total += len(s.nilai)
                if teks_total > TEKS_MAKS:
                    raise _tolak_teks(nama)
                baris = Baris(nomor, sel)
                if baris.kosong():
                    continue
                lembar.baris.append(baris)
                if len(lembar.baris) > batas:
                    raise BerkasDitolak(
                        f"Lembar {nama} berisi lebih dari {batas:,} baris data".replace(",", ".")
                        + ". Bagi berkas menjadi beberapa bagian."
                    )
            hasil[nama] = lembar
        return hasil
    finally:
        wb.close()


def _dekode_csv(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8, or else Windows-1252 (which the page then says)."""
    if b"\x00" in data[:65536]:
        raise BerkasDitolak("Isi berkas bukan teks CSV (berisi data biner).")
    pengodean = "utf-8"
    try:
        teks = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel's "CSV (dipisahkan koma)" on Windows writes the ANSI code page.
            teks = data.decode("cp1252")
            pengodean = "cp1252"
        except UnicodeDecodeError:
            raise BerkasDitolak(
                "Berkas CSV tidak dapat dibaca. Simpan sebagai “CSV UTF-8 (dipisahkan koma)”."
            ) from None
    kontrol = sum(
        1 for ch in teks[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n"
    )
    if kontrol > 0:
        raise BerkasDitolak("Isi berkas bukan teks CSV (berisi karakter kontrol).")
    return teks, pengodean


def _pemisah(baris_judul: str) -> str:
    """Indonesian Excel writes `;` (the decimal separator is the comma); others write `,`."""
    jumlah = {p: baris_judul.count(p) for p in (";", ",", "\t")}
    pemisah = max(jumlah, key=jumlah.get)
    if not jumlah[pemisah]:
        raise BerkasDitolak(
            "Baris judul CSV hanya berisi satu kolom. Pisahkan kolom dengan koma (,) atau titik "
            "koma (;)."
        )
    return pemisah


CONTOH_AKSEN_MAKS = 5


def baca_csv(path: Path, *, batas: int | None = None) -> dict[str, Lembar]:
    batas = batas or batas_baris()
    mentah_maks = baris_mentah_maks(batas)
    teks, pengodean = _dekode_csv(path.read_bytes())
    if not teks.strip():
        raise BerkasDitolak("Berkas CSV kosong.")
    pemisah = _pemisah(teks.lstrip().splitlines()[0])
    reader = csv.reader(io.StringIO(teks, newline=""), delimiter=pemisah)
    try:
        judul = next(reader)
        nama = _jenis_lembar_csv(judul)
        kolom, tak_dikenal = _kolom_dari_judul(nama, judul)
        lembar = Lembar(nama, [k for k in kolom if k], tak_dikenal=tak_dikenal)
        lembar.pengodean = pengodean
        _cek_judul(lembar)
        for nomor, cells in enumerate(reader, start=2):
            if nomor > mentah_maks:
                raise _tolak_baris_mentah(nama, mentah_maks)
            sel = {
                kolom[i]: _sel(value)
                for i, value in enumerate(cells)
                if i < len(kolom) and kolom[i] is not None and value != ""
            }
            if pengodean != "utf-8" and len(lembar.contoh_aksen) < CONTOH_AKSEN_MAKS:
                _catat_aksen(lembar, sel)
            baris = Baris(nomor, sel)
            if baris.kosong():
                continue
            lembar.baris.append(baris)
            if len(lembar.baris) > batas:
                raise BerkasDitolak(
                    f"Berkas berisi lebih dari {batas:,} baris data".replace(",", ".")
                    + ". Bagi berkas menjadi beberapa bagian."
                )
    except csv.Error as error:
        if "field limit" in str(error):
            # The csv module's own cap (131,072 characters), far above PANJANG_SEL_MAKS.
            raise BerkasDitolak(
                f"Baris {reader.line_num} berkas CSV berisi sel lebih dari "
                f"{_angka(csv.field_size_limit())} karakter. Periksa apakah teks tertempel "
                "berlebihan, atau apakah ada tanda kutip yang tidak ditutup."
            ) from None
        raise BerkasDitolak("Berkas CSV rusak (tanda kutip tidak berpasangan).") from None
    return {nama: lembar}


def _catat_aksen(lembar: Lembar, sel: dict[str, Sel]) -> None:
    """Cells with letters outside ASCII, shown on the page so the user can see whether the
    Windows-1252 reading got them right (NIK-like numbers masked, long text cut)."""
    for s in sel.values():
        teks = str(s.nilai).strip()
        if teks.isascii() or s.panjang:
            continue
        contoh = mask_numbers(teks if len(teks) <= 60 else teks[:57] + "…")
        if contoh not in lembar.contoh_aksen:
            lembar.contoh_aksen.append(contoh)
        if len(lembar.contoh_aksen) >= CONTOH_AKSEN_MAKS:
            return


def baca_berkas(path: Path, jenis: str) -> dict[str, Lembar]:
    return baca_xlsx(path) if jenis == "xlsx" else baca_csv(path)


def periksa_berkas(uploaded) -> str:
    """Check an uploaded file (Django UploadedFile) by name, size and content; returns "xlsx" or
    "csv", or raises BerkasDitolak with an Indonesian message."""
    nama = (uploaded.name or "").strip()
    ext = nama.rsplit(".", 1)[-1].casefold() if "." in nama else ""
    if ext == "xls":
        raise BerkasDitolak(
            "Format .xls (Excel 97–2003) tidak didukung. Buka berkas di Excel, lalu Simpan "
            "Sebagai “Buku Kerja Excel (.xlsx)”."
        )
    if ext not in ("xlsx", "csv"):
        raise BerkasDitolak("Unggah berkas .xlsx (Excel) atau .csv.")
    batas = batas_mb()
    if uploaded.size > batas * 1024 * 1024:
        raise BerkasDitolak(
            f"Ukuran berkas {uploaded.size / 1024 / 1024:.1f} MB melebihi batas {batas:g} MB. "
            "Bagi data menjadi beberapa berkas."
        )
    if uploaded.size == 0:
        raise BerkasDitolak("Berkas kosong.")
    uploaded.seek(0)
    awal = uploaded.read(8)
    uploaded.seek(0)
    adalah_zip = awal.startswith(b"PK\x03\x04")
    if ext == "xlsx" and not adalah_zip:
        raise BerkasDitolak(
            "Isi berkas bukan .xlsx walaupun namanya berakhiran .xlsx. Simpan ulang dari "
            "Excel/LibreOffice sebagai .xlsx."
        )
    if ext == "csv" and adalah_zip:
        raise BerkasDitolak(
            "Isi berkas adalah buku kerja Excel, bukan CSV. Ganti akhiran namanya menjadi .xlsx "
            "atau simpan ulang sebagai CSV."
        )
    return ext


# --- storage between the preview and the confirmation ---------------------------------------


def folder_impor() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "impor"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


class Status:
    ANTRI = "antri"  # waiting for the check
    MEMERIKSA = "memeriksa"
    SIAP = "siap"  # preview ready
    ANTRI_SIMPAN = "antri_simpan"
    MENYIMPAN = "menyimpan"
    SELESAI = "selesai"
    GAGAL = "gagal"

    BERJALAN = (ANTRI, MEMERIKSA, ANTRI_SIMPAN, MENYIMPAN)


@dataclass
class Unggahan:
    token: str
    meta: dict

    @property
    def berkas(self) -> Path:
        return folder_impor() / f"{self.token}.{self.meta['jenis']}"

    @property
    def status(self) -> str:
        return self.meta["status"]

    @property
    def dibuat(self) -> datetime:
        return datetime.fromisoformat(self.meta["dibuat"])

    @property
    def kedaluwarsa(self) -> datetime:
        return self.dibuat + UMUR_UNGGAHAN

    @property
    def berjalan(self) -> bool:
        return self.status in Status.BERJALAN


def _token_sah(token) -> str | None:
    try:
        return str(uuidlib.UUID(str(token)))
    except ValueError:
        return None


def _path_meta(token: str) -> Path:
    return folder_impor() / f"{token}.json"


@contextmanager
def _kunci(token: str):
    """Serialises read-modify-write of one upload's metadata between the web and the worker."""
    with open(folder_impor() / f"{token}.lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _tulis_meta(token: str, meta: dict) -> None:
    path = _path_meta(token)
    sementara = path.with_suffix(".tmp")
    fd = os.open(sementara, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, default=str)
    os.replace(sementara, path)


def muat(token) -> Unggahan | None:
    token = _token_sah(token)
    if token is None:
        return None
    try:
        meta = json.loads(_path_meta(token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    unggahan = Unggahan(token, meta)
    if timezone.now() > unggahan.kedaluwarsa:
        hapus(unggahan)
        return None
    return unggahan


def ubah(token: str, **perubahan) -> Unggahan | None:
    with _kunci(token):
        unggahan = muat(token)
        if unggahan is None:
            return None
        unggahan.meta.update(perubahan)
        _tulis_meta(token, unggahan.meta)
        return unggahan


def pindah_status(token: str, dari: tuple, ke: str, **perubahan) -> Unggahan | None:
    """Move the upload to status `ke` if it is in one of `dari` (a double click, or the worker
    and a second tab, cannot start the same step twice). None if it was not."""
    with _kunci(token):
        unggahan = muat(token)
        if unggahan is None or unggahan.status not in dari:
            return None
        unggahan.meta.update(status=ke, **perubahan)
        _tulis_meta(token, unggahan.meta)
        return unggahan


def hapus(unggahan: Unggahan, *, simpan_meta: bool = False) -> None:
    """Delete the uploaded file (and the preview with its personal data). With `simpan_meta` the
    metadata stays (counts only) until it expires, to show the result page."""
    folder = folder_impor()
    for ext in ("xlsx", "csv", "tmp", "laporan.json", "laporan.tmp"):
        (folder / f"{unggahan.token}.{ext}").unlink(missing_ok=True)
    if not simpan_meta:
        _path_meta(unggahan.token).unlink(missing_ok=True)
        (folder / f"{unggahan.token}.lock").unlink(missing_ok=True)


def bersihkan_kedaluwarsa() -> int:
    """Delete uploads older than 24 hours, whatever their state. Returns how many files went."""
    batas = time.time() - UMUR_UNGGAHAN.total_seconds()
    jumlah = 0
    for path in folder_impor().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < batas:
                path.unlink(missing_ok=True)
                jumlah += 1
        except FileNotFoundError:
            continue
    return jumlah


def milik_cakupan(unggahan: Unggahan, user) -> bool:
    """The upload belongs to the area of the user who made it; whoever may record data in that
    area may see and confirm it (the scoping rule, as for every other record)."""
    if not (user.is_active and user.role in PERAN_PENDATA):
        return False
    wilayah_id = unggahan.meta.get("wilayah_id")
    if wilayah_id is None:
        return sees_everything(user)
    return Wilayah.objects.for_user(user).filter(pk=wilayah_id).exists()


def untuk_pengguna(user, batas: int = 5) -> list[Unggahan]:
    """The user's own unfinished or recent uploads, newest first."""
    hasil = []
    for path in folder_impor().glob("*.json"):
        unggahan = muat(path.stem)
        if unggahan is not None and unggahan.meta.get("user_id") == user.pk:
            hasil.append(unggahan)
    hasil.sort(key=lambda u: u.meta["dibuat"], reverse=True)
    return hasil[:batas]


def terima(*, pelaku, uploaded, jenis: str) -> Unggahan:
    """Store a checked upload under a random name and queue its check. The header row is read
    now, so a wrong file is refused at once (BerkasDitolak) rather than in the background."""
    if not (pelaku.is_active and pelaku.role in PERAN_PENDATA):
        raise PermissionDenied
    bersihkan_kedaluwarsa()
    token = str(uuidlib.uuid4())
    path = folder_impor() / f"{token}.{jenis}"
    sha = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        for chunk in uploaded.chunks():
            sha.update(chunk)
            f.write(chunk)
    try:
        lembar = baca_berkas(path, jenis)
    except BerkasDitolak:
        path.unlink(missing_ok=True)
        raise
    nama = Path(uploaded.name).name[:120]
    meta = {
        "user_id": pelaku.pk,
        "wilayah_id": pelaku.wilayah_id,
        "nama_berkas": nama,
        "jenis": jenis,
        "ukuran": path.stat().st_size,
        "sha256": sha.hexdigest(),
        "dibuat": timezone.now().isoformat(),
        "status": Status.ANTRI,
        "baris": {n: len(lb.baris) for n, lb in lembar.items()},
        "progres": {"selesai": 0, "total": 0},
    }
    for lb in lembar.values():
        if lb.pengodean != "utf-8":
            meta["pengodean"] = lb.pengodean
            meta["contoh_aksen"] = lb.contoh_aksen
    pernah = pernah_diimpor(meta["sha256"], pelaku.wilayah_id)
    if pernah:
        meta["pernah_diimpor"] = pernah.isoformat()
    _tulis_meta(token, meta)
    catat(
        aksi="impor_unggah",
        pelaku=pelaku,
        data={
            "token": token,
            "sha256": meta["sha256"],
            "berkas": nama,
            "ukuran": meta["ukuran"],
            "baris": meta["baris"],
        },
    )
    jalankan_impor.enqueue(token, "periksa")
    return Unggahan(token, meta)


def minta_simpan(*, pelaku, unggahan: Unggahan) -> bool:
    """Queue the confirmed import. False if the preview is not (or no longer) waiting for it."""
    if not milik_cakupan(unggahan, pelaku):
        raise PermissionDenied
    if not (unggahan.meta.get("ringkasan") or {}).get("bisa_disimpan"):
        return False
    berubah = pindah_status(
        unggahan.token, (Status.SIAP,), Status.ANTRI_SIMPAN, pengonfirmasi_id=pelaku.pk
    )
    if berubah is None:
        return False
    jalankan_impor.enqueue(unggahan.token, "simpan")
    return True


def batalkan(*, pelaku, unggahan: Unggahan) -> bool:
    if not milik_cakupan(unggahan, pelaku):
        raise PermissionDenied
    with _kunci(unggahan.token):
        terkini = muat(unggahan.token)
        if terkini is None or terkini.status in (Status.MENYIMPAN, Status.ANTRI_SIMPAN):
            return False
        hapus(terkini)
    catat(aksi="impor_batal", pelaku=pelaku, data={"token": unggahan.token})
    return True


# --- converting cell values ------------------------------------------------------------------

_FORMAT_TANGGAL = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
PESAN_RUMUS = (
    "Sel ini berisi rumus Excel, bukan nilai. Ganti dengan nilainya (Salin, lalu Tempel "
    "Khusus → Nilai) dan unggah lagi."
)


def _teks(sel: Sel | None) -> str:
    if sel is None or sel.nilai is None:
        return ""
    value = sel.nilai
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _nomor(sel: Sel | None) -> str:
    """NIK/No KK as text. A numeric cell is never converted back to digits (Excel keeps 15
    significant digits, so the last one may already be lost): it is passed on in the scientific
    notation Excel shows, which the NIK check refuses with its "format the column as Text"
    message."""
    if sel is None or sel.nilai is None:
        return ""
    value = sel.nilai
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{float(value):.5E}"
    return str(value).strip()


def _tanggal(sel: Sel | None, label: str) -> tuple[object, str | None]:
    """(value for the service, conversion message or None)."""
    if sel is None or _kosong(sel.nilai):
        return None, None
    value = sel.nilai
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, (int, float)):
        return str(value), (
            f"{label} berupa angka, bukan tanggal. Format sel sebagai Tanggal, atau tulis "
            "TTTT-BB-HH (misalnya 1985-04-12)."
        )
    teks = str(value).strip()
    for fmt in _FORMAT_TANGGAL:
        try:
            return datetime.strptime(teks, fmt).date(), None
        except ValueError:
            continue
    return teks, (
        f"{label} “{teks[:20]}” tidak dikenali. Tulis TTTT-BB-HH (misalnya 1985-04-12) atau "
        "HH-BB-TTTT (12-04-1985), dengan tanggal yang ada di kalender."
    )


def _pilihan(sel: Sel | None, nama: str) -> tuple[str, str | None]:
    teks = _teks(sel)
    if not teks:
        return "", None
    value = PILIHAN[nama].get(_normal(teks))
    if value is None:
        return teks, (
            f"Isian “{teks[:30]}” tidak dikenal untuk kolom {nama}. "
            f"Pilihan: {daftar_pilihan(nama)}."
        )
    return value, None


def _desimal(sel: Sel | None) -> tuple[object, str | None]:
    if sel is None or _kosong(sel.nilai):
        return None, None
    value = sel.nilai
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)), None
    teks = str(value).strip().replace(",", ".").replace("\u2212", "-")
    try:
        return Decimal(teks), None
    except InvalidOperation:
        return teks, None  # the service says what is wrong


# --- the check (and the save) ----------------------------------------------------------------


class _Batal(Exception):
    """Rolls back a savepoint on purpose."""


@dataclass
class _Rumah:
    kunci: str
    baris: list[Baris] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    sumber: dict = field(default_factory=dict)  # household field -> row number that gave it
    anggota: list[dict] = field(default_factory=list)
    status: str = ""  # siap | sudah_ada | galat
    keluarga: Keluarga | None = None
    anggota_baru: list = field(default_factory=list)  # its members, when this run created it
    keluarga_uuid: str = ""
    nama_kepala: str = ""


@dataclass
class _Konteks:
    pelaku: object
    desa_kode: dict
    desa_nama: dict
    kategori: dict
    # The note on the history rows of what the import creates (which file).
    catatan_riwayat: str = ""
    masalah: dict = field(default_factory=dict)  # (lembar, baris) -> dict

    def item(self, lembar: str, baris: int, nama: str = "") -> dict:
        key = (lembar, baris)
        if key not in self.masalah:
            self.masalah[key] = {
                "lembar": lembar,
                "baris": baris,
                "nama": nama,
                "galat": [],
                "peringatan": [],
            }
        elif nama and not self.masalah[key]["nama"]:
            self.masalah[key]["nama"] = nama
        return self.masalah[key]

    def galat(self, lembar, baris, kolom, pesan, *, nama="", keluarga_uuid=None) -> None:
        entry = {"kolom": _LABEL_KOLOM.get(kolom, kolom), "pesan": mask_numbers(str(pesan))}
        if keluarga_uuid:
            entry["keluarga_uuid"] = keluarga_uuid
        daftar = self.item(lembar, baris, nama)["galat"]
        if entry not in daftar:
            daftar.append(entry)

    def peringatan(self, lembar, baris, pesan, *, nama="") -> None:
        daftar = self.item(lembar, baris, nama)["peringatan"]
        pesan = mask_numbers(str(pesan))
        if pesan not in daftar:
            daftar.append(pesan)

    def ada_galat(self, lembar, baris) -> bool:
        item = self.masalah.get((lembar, baris))
        return bool(item and item["galat"])


def _kategori_peta() -> dict[str, KategoriPPKS]:
    peta = {}
    for k in KategoriPPKS.objects.all():
        nomor = f"{k.nomor:02d}"
        for kunci in (
            k.kode,
            k.singkatan,
            k.nama,
            f"PMKS-{nomor}",
            f"PPKS {nomor}",
            nomor,
            str(k.nomor),
        ):
            peta[_normal(kunci)] = k
    return peta


def _desa_peta(pelaku) -> tuple[dict, dict]:
    kode, nama = {}, {}
    for w in Wilayah.objects.for_user(pelaku).filter(tingkat=Tingkat.DESA, aktif=True):
        kode[w.kode] = w
        nama.setdefault(_normal(w.nama), []).append(w)
        nama.setdefault(_normal(w.nama_lengkap), []).append(w)
    return kode, nama


def _cari_desa(ktx: _Konteks, teks: str) -> Wilayah | None:
    if not teks:
        return None
    found = ktx.desa_kode.get(teks.strip())
    if found is not None:
        return found
    calon = ktx.desa_nama.get(_normal(teks), [])
    return calon[0] if len(calon) == 1 else None


def _pesan_desa(ktx: _Konteks, teks: str) -> str:
    if teks and len(ktx.desa_nama.get(_normal(teks), [])) > 1:
        return (
            f"Ada beberapa desa/kelurahan bernama “{teks[:40]}” di wilayah Anda; tulis kodenya "
            "(lihat lembar Petunjuk)."
        )
    return (
        "Kode desa/kelurahan tidak dikenal atau di luar wilayah tugas Anda. Lihat daftar kode di "
        "lembar Petunjuk templat."
    )


def _susun_rumah(ktx: _Konteks, lembar: Lembar) -> list[_Rumah]:
    """Group member rows into households and turn cells into service data, noting conversion
    problems (they take precedence over the service's messages for the same cell)."""
    L = LEMBAR_KELUARGA
    rumah: dict[str, _Rumah] = {}
    no_kk_ke_kunci: dict[str, tuple[str, int]] = {}
    for b in lembar.baris:
        nama = _teks(b.sel.get("nama"))
        kode = _teks(b.sel.get("kode_keluarga"))
        # The cell's own text: a numeric No KK is refused later, but two of them (rounded alike
        # in scientific notation) must not fall into one household first.
        no_kk = _teks(b.sel.get("no_kk"))
        if kode:
            kunci = f"kode:{_normal(kode)}"
        elif no_kk:
            kunci = f"kk:{no_kk}"
        else:
            kunci = f"baris:{b.nomor}"
            ktx.galat(
                L,
                b.nomor,
                "kode_keluarga",
                "Isi kode_keluarga atau no_kk supaya baris ini dapat dikelompokkan ke keluarganya.",
                nama=nama,
            )
        r = rumah.setdefault(kunci, _Rumah(kunci))
        r.baris.append(b)
        for kol, sel in b.sel.items():
            if sel.panjang:
                ktx.galat(L, b.nomor, kol, pesan_panjang(sel.panjang), nama=nama)
            elif sel.rumus and kol not in KOLOM_NOMOR:
                ktx.galat(L, b.nomor, kol, PESAN_RUMUS, nama=nama)
        # Household columns: from the first row that fills them; a different value later is an
        # error on that row (the file says two things about one household).
        for kol in KOLOM_RUMAH:
            sel = b.sel.get(kol)
            teks = _teks(sel)
            if not teks:
                continue
            if kol not in r.sumber:
                r.sumber[kol] = b.nomor
                r.data[kol] = sel
            else:
                if _teks(r.data[kol]) != teks:
                    ktx.galat(
                        L,
                        b.nomor,
                        kol,
                        f"Berbeda dengan isian baris {r.sumber[kol]} untuk keluarga yang sama. "
                        "Kosongkan, atau samakan isiannya.",
                        nama=nama,
                    )
        if no_kk:
            sebelumnya = no_kk_ke_kunci.setdefault(no_kk, (kunci, b.nomor))
            if sebelumnya[0] != kunci:
                ktx.galat(
                    L,
                    b.nomor,
                    "no_kk",
                    f"No KK ini sudah dipakai keluarga lain di berkas ini (baris {sebelumnya[1]}).",
                    nama=nama,
                )

    hasil = list(rumah.values())
    nik_pertama: dict[str, int] = {}
    for r in hasil:
        r.data = _data_rumah(ktx, r)
        for b in r.baris:
            r.anggota.append(_data_anggota(ktx, b))
            nik = r.anggota[-1].get("nik") or ""
            if nik and nik.isascii() and nik.isdigit():
                pertama = nik_pertama.setdefault(nik, b.nomor)
                if pertama != b.nomor:
                    ktx.galat(
                        L,
                        b.nomor,
                        "nik",
                        f"NIK ini sudah dipakai di baris {pertama} berkas ini. Satu NIK untuk satu "
                        "orang.",
                        nama=r.anggota[-1].get("nama", ""),
                    )
    return hasil


def _data_rumah(ktx: _Konteks, r: _Rumah) -> dict:
    L = LEMBAR_KELUARGA
    sel = r.data
    baris_pertama = r.baris[0].nomor
    data = {
        "no_kk": _nomor(sel.get("no_kk")),
        "alasan_tanpa_kk": _teks(sel.get("alasan_tanpa_kk")),
        "alamat": _teks(sel.get("alamat")),
        "rt": _teks(sel.get("rt")),
        "rw": _teks(sel.get("rw")),
        "dusun": _teks(sel.get("dusun")),
    }
    for kol in ("latitude", "longitude"):
        data[kol], _ = _desimal(sel.get(kol))
    kode_desa = _teks(sel.get("kode_desa"))
    desa = _cari_desa(ktx, kode_desa)
    if desa is not None:
        data["desa"] = desa
    elif kode_desa:
        ktx.galat(
            L, r.sumber.get("kode_desa", baris_pertama), "kode_desa", _pesan_desa(ktx, kode_desa)
        )
    else:
        data["desa"] = None  # the service: "Pilih desa/kelurahan."
    return data


def _data_anggota(ktx: _Konteks, b: Baris) -> dict:
    L = LEMBAR_KELUARGA
    nama = _teks(b.sel.get("nama"))
    data = {
        "nik": _nomor(b.sel.get("nik")),
        "nama": nama,
        "tempat_lahir": _teks(b.sel.get("tempat_lahir")),
        "pekerjaan": _teks(b.sel.get("pekerjaan")),
        "nama_ibu": _teks(b.sel.get("nama_ibu")),
    }
    for kol in ("alasan_tanpa_nik", "jenis_kelamin", "hubungan", "agama", "pendidikan"):
        data[kol], pesan = _pilihan(b.sel.get(kol), kol)
        if pesan:
            ktx.galat(L, b.nomor, kol, pesan, nama=nama)
    kawin = _teks(b.sel.get("status_kawin"))
    if _normal(kawin) == KAWIN_SAJA:
        data["status_kawin"] = StatusKawin.KAWIN_TERCATAT
        ktx.peringatan(
            L, b.nomor, "Status kawin “Kawin” dibaca sebagai “Kawin tercatat”.", nama=nama
        )
    else:
        data["status_kawin"], pesan = _pilihan(b.sel.get("status_kawin"), "status_kawin")
        if pesan:
            ktx.galat(L, b.nomor, "status_kawin", pesan, nama=nama)
    data["tanggal_lahir"], pesan = _tanggal(b.sel.get("tanggal_lahir"), "Tanggal lahir")
    if pesan:
        ktx.galat(L, b.nomor, "tanggal_lahir", pesan, nama=nama)
    disabilitas = []
    for bagian in re.split(r"[,;/]", _teks(b.sel.get("disabilitas"))):
        if not bagian.strip() or _normal(bagian) in ("tidak", "tidak ada", "-", "none"):
            continue
        value = DISABILITAS.get(_normal(bagian))
        if value is None:
            ktx.galat(
                L,
                b.nomor,
                "disabilitas",
                f"Jenis disabilitas “{bagian.strip()[:30]}” tidak dikenal. Pilihan: "
                f"{daftar_pilihan('disabilitas')} (pisahkan dengan koma).",
                nama=nama,
            )
        else:
            disabilitas.append(value)
    data["disabilitas"] = disabilitas
    return data


def _anggota_sama(file_anggota: list[dict], tersimpan: list[Individu]) -> bool:
    def kunci(nik, nama):
        return nik if nik else f"nama:{_normal(nama or '')}"

    return Counter(kunci(a.get("nik"), a.get("nama")) for a in file_anggota) == Counter(
        kunci(i.nik, i.nama) for i in tersimpan
    )


def _cari_tanpa_kunci(ktx: _Konteks, r: _Rumah) -> Keluarga | None:
    """A household with neither No KK nor NIK (homeless people, remote communities) is matched
    on its desa, its head's name and its members' names."""
    kepala = next((a for a in r.anggota if a.get("hubungan") == Hubungan.KEPALA_KELUARGA), None)
    if kepala is None or not r.data.get("desa") or not kepala.get("nama"):
        return None
    calon = Keluarga.objects.for_user(ktx.pelaku).filter(
        no_kk__isnull=True, desa=r.data["desa"], nama_kepala__iexact=kepala["nama"]
    )
    for kel in calon:
        if _anggota_sama(r.anggota, list(Individu.objects.filter(keluarga=kel))):
            return kel
    return None


def _cari_yang_sudah_ada(ktx: _Konteks, semua: list[_Rumah]) -> None:
    """Mark households already in the user's area with the same members as "sudah ada": by No KK,
    else by the members' NIKs (a few queries for the whole file), else by names."""
    no_kk = {r.data["no_kk"] for r in semua if r.data.get("no_kk")}
    nik = {a["nik"] for r in semua for a in r.anggota if a.get("nik")}
    terlihat = Keluarga.objects.for_user(ktx.pelaku)
    kel_kk = {k.no_kk: k for k in terlihat.filter(no_kk__in=no_kk)} if no_kk else {}
    nik_kel = (
        dict(
            Individu.objects.for_user(ktx.pelaku).filter(nik__in=nik).values_list("nik", "keluarga")
        )
        if nik
        else {}
    )
    calon_ids = {k.pk for k in kel_kk.values()} | set(nik_kel.values())
    anggota_ada: dict[int, list[Individu]] = {}
    for ind in Individu.objects.filter(keluarga_id__in=calon_ids).only("nik", "nama", "keluarga"):
        anggota_ada.setdefault(ind.keluarga_id, []).append(ind)
    kel_by_id = {k.pk: k for k in kel_kk.values()}
    kurang = calon_ids - set(kel_by_id)
    if kurang:
        kel_by_id.update({k.pk: k for k in Keluarga.objects.filter(pk__in=kurang)})
    for r in semua:
        kel = None
        if r.data.get("no_kk"):
            kel = kel_kk.get(r.data["no_kk"])
        else:
            ids = {nik_kel.get(a.get("nik")) for a in r.anggota if a.get("nik")}
            if len(ids) == 1 and None not in ids:
                kel = kel_by_id.get(ids.pop())
            elif not any(a.get("nik") for a in r.anggota):
                kel = _cari_tanpa_kunci(ktx, r)
                if kel is not None:
                    anggota_ada[kel.pk] = list(Individu.objects.filter(keluarga=kel))
                else:
                    ktx.peringatan(
                        LEMBAR_KELUARGA,
                        r.baris[0].nomor,
                        "Keluarga tanpa No KK dan tanpa NIK hanya dapat dicocokkan menurut desa "
                        "dan nama anggotanya; pastikan belum pernah dicatat dengan nama lain.",
                        nama=r.anggota[0].get("nama", ""),
                    )
        if kel is not None and _anggota_sama(r.anggota, anggota_ada.get(kel.pk, [])):
            r.status = "sudah_ada"
            r.keluarga = kel
            r.keluarga_uuid = str(kel.uuid)
            r.nama_kepala = kel.nama_kepala


_PESAN_GANDA = {
    "nik_ganda": (
        "NIK ini sudah terdaftar di wilayah lain (data di sana tidak ditampilkan). Keluarga ini "
        "tidak diimpor; kasus NIK ganda diteruskan ke Dinas Sosial untuk diperiksa."
    ),
    "no_kk_ganda": (
        "No KK ini sudah terdaftar di wilayah lain (data di sana tidak ditampilkan). Keluarga ini "
        "tidak diimpor; kasus No KK ganda diteruskan ke Dinas Sosial untuk diperiksa."
    ),
}


def _pasang_galat_layanan(ktx: _Konteks, r: _Rumah, error: ValidationError) -> None:
    L = LEMBAR_KELUARGA
    pertama = r.baris[0].nomor
    items = error.error_dict.items() if hasattr(error, "error_dict") else [("", error.error_list)]
    for key, errors in items:
        if key.startswith("anggota."):
            bagian = key.split(".")
            try:
                b = r.baris[int(bagian[1])]
            except (IndexError, ValueError):
                b = r.baris[0]
            nomor, kolom = b.nomor, (bagian[2] if len(bagian) > 2 else "")
            nama = _teks(b.sel.get("nama"))
        elif key == "anggota":
            nomor, kolom, nama = pertama, "hubungan", r.anggota[0].get("nama", "")
        else:
            kolom = "kode_desa" if key == "desa" else key
            nomor = r.sumber.get(kolom, pertama)
            nama = ""
        item = ktx.masalah.get((L, nomor))
        sudah = {g["kolom"] for g in item["galat"]} if item else set()
        if kolom and _LABEL_KOLOM.get(kolom, kolom) in sudah:
            continue  # the conversion message says it better
        for e in errors:
            pesan = _PESAN_GANDA.get(e.code) or " ".join(e.messages)
            tautan = None
            if e.code in ("nik_terdaftar", "no_kk_terdaftar") and e.params:
                tautan = e.params.get("keluarga_uuid")
                if e.code == "no_kk_terdaftar":
                    pesan += (
                        " Susunan anggotanya berbeda dengan berkas ini; ubah keluarga itu lewat "
                        "formulirnya."
                    )
            ktx.galat(L, nomor, kolom, pesan, nama=nama, keluarga_uuid=tautan)


def _proses_rumah(ktx: _Konteks, bagian: list[_Rumah]) -> None:
    """Check and write a chunk of households through the services: those with conversion errors
    are only checked (to list every other problem), the rest are created together by
    keluarga_buat_banyak, which checks each exactly as the form's save does."""
    L = LEMBAR_KELUARGA
    baru: list[tuple[_Rumah, dict]] = []
    for r in bagian:
        if r.status == "sudah_ada":
            continue
        data = {k: v for k, v in r.data.items() if not (k == "desa" and v is None)}
        if any(ktx.ada_galat(L, b.nomor) for b in r.baris):
            try:
                keluarga_periksa(pelaku=ktx.pelaku, data=data, anggota=r.anggota)
            except ValidationError as error:
                _pasang_galat_layanan(ktx, r, error)
        else:
            baru.append((r, data))
    hasil = keluarga_buat_banyak(
        pelaku=ktx.pelaku,
        daftar=[(data, r.anggota) for r, data in baru],
        aksi_riwayat="impor",
        catatan_riwayat=ktx.catatan_riwayat,
    )
    for (r, _), h in zip(baru, hasil, strict=True):
        if isinstance(h, ValidationError):
            _pasang_galat_layanan(ktx, r, h)
        else:
            r.status = "siap"
            r.keluarga = h.keluarga
            r.anggota_baru = h.anggota
            r.keluarga_uuid = str(h.keluarga.uuid)
            r.nama_kepala = h.keluarga.nama_kepala
    for r in bagian:
        if r.status != "sudah_ada":
            _akhiri_rumah(ktx, r)


def _akhiri_rumah(ktx: _Konteks, r: _Rumah) -> None:
    L = LEMBAR_KELUARGA
    if r.status != "siap":
        r.status = "galat"
        if not any(ktx.ada_galat(L, b.nomor) for b in r.baris):
            ktx.galat(L, r.baris[0].nomor, "", "Keluarga ini tidak dapat disimpan.")
        for b in r.baris:
            if not ktx.ada_galat(L, b.nomor):
                # The row itself is fine, but it is not imported without its household.
                ktx.peringatan(
                    L,
                    b.nomor,
                    "Baris ini benar, tetapi tidak diimpor karena baris lain keluarganya "
                    "bermasalah.",
                    nama=_teks(b.sel.get("nama")),
                )
    # Warnings exactly as the form gives them: NIK against birth date and sex.
    for b, a in zip(r.baris, r.anggota, strict=True):
        for pesan in peringatan_nik(
            a.get("nik") or "",
            tanggal_lahir=a.get("tanggal_lahir")
            if isinstance(a.get("tanggal_lahir"), date)
            else None,
            jenis_kelamin=a.get("jenis_kelamin"),
        ):
            ktx.peringatan(L, b.nomor, pesan, nama=a.get("nama", ""))


# --- PPKS rows -------------------------------------------------------------------------------


@dataclass
class _BarisPPKS:
    baris: Baris
    data: dict = field(default_factory=dict)
    kunci_subjek: tuple | None = None
    # The subject was created by this run: no identification of it can exist yet.
    subjek_baru: bool = False
    kolom_subjek: str = "nik"  # the column an error about the subject belongs to
    status: str = ""
    nama: str = ""
    uuid: str = ""


class _IndeksPPKS:
    """Lookups for the PPKS rows, made once per file: households and people of the file, and
    (one query each) the stored people and households the rows name."""

    def __init__(self, ktx: _Konteks, baris: list[Baris], semua_rumah: list[_Rumah]):
        self.rumah_kode = {r.kunci: r for r in semua_rumah}
        self.rumah_kk = {r.data.get("no_kk"): r for r in semua_rumah if r.data.get("no_kk")}
        self.baris_nik = {
            a.get("nik"): (r, b)
            for r in semua_rumah
            for b, a in zip(r.baris, r.anggota, strict=True)
            if a.get("nik")
        }
        nik_diminta = {_nomor(b.sel.get("nik")) for b in baris} - {""}
        self.individu_nik = {
            i.nik: i
            for i in Individu.objects.for_user(ktx.pelaku)
            .filter(nik__in=nik_diminta - set(self.baris_nik))
            .select_related("keluarga")
        }
        kk_diminta = {_nomor(b.sel.get("no_kk")) for b in baris} - {""}
        self.keluarga_kk = {
            k.no_kk: k
            for k in Keluarga.objects.for_user(ktx.pelaku).filter(
                no_kk__in=kk_diminta - set(self.rumah_kk)
            )
        }
        self.terlihat: dict[tuple, int] = {}

    def rumah_file(self, b: Baris) -> _Rumah | None:
        """The household of this file a row is about (its PPKS is checked with it)."""
        nik = _nomor(b.sel.get("nik"))
        if nik:
            return self.baris_nik[nik][0] if nik in self.baris_nik else None
        kode = _teks(b.sel.get("kode_keluarga"))
        if kode:
            return self.rumah_kode.get(f"kode:{_normal(kode)}")
        return self.rumah_kk.get(_nomor(b.sel.get("no_kk")))


def _proses_ppks(ktx: _Konteks, daftar: list[Baris], idx: _IndeksPPKS) -> list[_BarisPPKS]:
    P = LEMBAR_PPKS
    rumah_kode, rumah_kk, baris_nik = idx.rumah_kode, idx.rumah_kk, idx.baris_nik
    individu_nik, keluarga_kk = idx.individu_nik, idx.keluarga_kk

    def rumah_dari(b: Baris) -> tuple[_Rumah | None, Keluarga | None, str | None]:
        """(household of this file, stored household, error)."""
        kode = _teks(b.sel.get("kode_keluarga"))
        no_kk = _nomor(b.sel.get("no_kk"))
        if kode:
            r = rumah_kode.get(f"kode:{_normal(kode)}")
            if r is None:
                return None, None, f"Kode keluarga “{kode[:20]}” tidak ada di lembar Keluarga."
            return r, None, None
        r = rumah_kk.get(no_kk)
        if r is not None:
            return r, None, None
        kel = keluarga_kk.get(no_kk)
        if kel is None:
            return (
                None,
                None,
                ("No KK ini tidak ada di lembar Keluarga maupun di data keluarga wilayah Anda."),
            )
        return None, kel, None

    def keluarga_tersimpan(r: _Rumah) -> tuple[Keluarga | None, str | None]:
        if r.status in ("siap", "sudah_ada") and r.keluarga is not None:
            return r.keluarga, None
        return None, (
            f"Keluarga ini (lembar Keluarga baris {r.baris[0].nomor}) tidak diimpor karena ada "
            "kesalahan; perbaiki dulu baris keluarganya."
        )

    hasil: list[_BarisPPKS] = []
    siap: list[_BarisPPKS] = []
    terlihat = idx.terlihat
    anggota_cache: dict[int, list[Individu]] = {}
    for b in daftar:
        item = _BarisPPKS(b)
        hasil.append(item)
        for kol, sel in b.sel.items():
            if sel.panjang:
                ktx.galat(P, b.nomor, kol, pesan_panjang(sel.panjang))
            elif sel.rumus and kol not in KOLOM_NOMOR:
                ktx.galat(P, b.nomor, kol, PESAN_RUMUS)
        kategori_teks = _teks(b.sel.get("kategori"))
        kategori = ktx.kategori.get(_normal(kategori_teks)) if kategori_teks else None
        if kategori_teks and kategori is None:
            ktx.galat(
                P,
                b.nomor,
                "kategori",
                f"Kategori “{kategori_teks[:20]}” tidak dikenal. Tulis kodenya (PPKS-01 … PPKS-26) "
                "atau singkatannya (misalnya FM, LUT); lihat lembar Petunjuk.",
            )
        tanggal, pesan = _tanggal(b.sel.get("tanggal_identifikasi"), "Tanggal identifikasi")
        if pesan:
            ktx.galat(P, b.nomor, "tanggal_identifikasi", pesan)
        status_penanganan, pesan = _pilihan(b.sel.get("status_penanganan"), "status_penanganan")
        if pesan:
            ktx.galat(P, b.nomor, "status_penanganan", pesan)
        data = {
            "kategori": kategori or kategori_teks,
            "tanggal_identifikasi": tanggal,
            "deskripsi": _teks(b.sel.get("deskripsi")),
            "kebutuhan": _teks(b.sel.get("kebutuhan")),
            "status_penanganan": status_penanganan or StatusPenanganan.BELUM,
        }
        # Subject: a person (by NIK, or by name within a household), a household, or a group.
        nik = _nomor(b.sel.get("nik"))
        no_kk = _nomor(b.sel.get("no_kk"))
        # A malformed number gets the NIK check's own message (Excel notation, spaces, …).
        for kolom, nilai, periksa in (("nik", nik, periksa_nik), ("no_kk", no_kk, periksa_no_kk)):
            try:
                periksa(nilai)
            except ValidationError as error:
                ktx.galat(P, b.nomor, kolom, error.messages[0])
        nama_anggota = _teks(b.sel.get("nama_anggota"))
        ada_rumah = bool(_teks(b.sel.get("kode_keluarga")) or no_kk)
        nama_kelompok = _teks(b.sel.get("nama_kelompok"))
        subjek_galat = None
        if nik:
            data["subjek"] = SubjekPPKS.INDIVIDU
            ind = individu_nik.get(nik)
            if nik in baris_nik:
                r, bk = baris_nik[nik]
                kel, subjek_galat = keluarga_tersimpan(r)
                item.nama = _teks(bk.sel.get("nama"))
                item.subjek_baru = r.status == "siap"
                if kel is not None and ind is None:
                    ind = next((a for a in r.anggota_baru if a.nik == nik), None)
                    if ind is None:
                        ind = Individu.objects.filter(keluarga=kel, nik=nik).first()
            if ind is not None and not subjek_galat:
                data["individu"] = str(ind.uuid)
                item.nama = ind.nama
                item.kunci_subjek = ("individu", ind.pk)
            elif not subjek_galat:
                subjek_galat = (
                    "NIK ini tidak ada di lembar Keluarga maupun di data wilayah Anda. Catat "
                    "keluarganya terlebih dahulu."
                )
            kolom_subjek = "nik"
        elif ada_rumah:
            r, kel, subjek_galat = rumah_dari(b)
            if r is not None:
                kel, subjek_galat = keluarga_tersimpan(r)
                item.subjek_baru = r.status == "siap"
            kolom_subjek = "kode_keluarga" if _teks(b.sel.get("kode_keluarga")) else "no_kk"
            if kel is not None and nama_anggota:
                data["subjek"] = SubjekPPKS.INDIVIDU
                if kel.pk not in anggota_cache:
                    anggota_cache[kel.pk] = (
                        r.anggota_baru
                        if r is not None and r.anggota_baru
                        else list(Individu.objects.filter(keluarga=kel))
                    )
                cocok = [
                    i for i in anggota_cache[kel.pk] if _normal(i.nama) == _normal(nama_anggota)
                ]
                if len(cocok) == 1:
                    data["individu"] = str(cocok[0].uuid)
                    item.nama = cocok[0].nama
                    item.kunci_subjek = ("individu", cocok[0].pk)
                else:
                    kolom_subjek = "nama_anggota"
                    subjek_galat = (
                        f"Anggota bernama “{nama_anggota[:40]}” tidak ditemukan di keluarga ini."
                        if not cocok
                        else f"Ada {len(cocok)} anggota bernama “{nama_anggota[:40]}”; pakai NIK."
                    )
            elif kel is not None:
                data["subjek"] = SubjekPPKS.KELUARGA
                data["keluarga"] = str(kel.uuid)
                item.nama = f"Keluarga {kel.nama_kepala}"
                item.kunci_subjek = ("keluarga", kel.pk)
            else:
                data["subjek"] = SubjekPPKS.INDIVIDU if nama_anggota else SubjekPPKS.KELUARGA
        elif nama_kelompok:
            data["subjek"] = SubjekPPKS.KELOMPOK
            data["nama_kelompok"] = nama_kelompok
            kode_desa = _teks(b.sel.get("kode_desa"))
            desa = _cari_desa(ktx, kode_desa)
            data["desa"] = desa
            if desa is None:
                ktx.galat(P, b.nomor, "kode_desa", _pesan_desa(ktx, kode_desa))
            else:
                item.kunci_subjek = ("kelompok", desa.pk, _normal(nama_kelompok))
            for kol in ("perkiraan_kk", "perkiraan_jiwa"):
                data[kol] = _teks(b.sel.get(kol)) or None
            item.nama = nama_kelompok
            kolom_subjek = "nama_kelompok"
        else:
            kolom_subjek = "nik"
            subjek_galat = (
                "Isi subjek PPKS: nik (orang), kode_keluarga/no_kk (keluarga), atau nama_kelompok."
            )
        sudah = ktx.masalah.get((P, b.nomor), {}).get("galat", [])
        if subjek_galat and not any(g["kolom"] == kolom_subjek for g in sudah):
            ktx.galat(P, b.nomor, kolom_subjek, subjek_galat, nama=item.nama)
        item.data = data
        if item.kunci_subjek and kategori is not None:
            kunci = (*item.kunci_subjek, kategori.pk)
            pertama = terlihat.setdefault(kunci, b.nomor)
            if pertama != b.nomor:
                ktx.galat(
                    P,
                    b.nomor,
                    "kategori",
                    f"Sama dengan baris {pertama}: subjek dan kategori yang sama.",
                    nama=item.nama,
                )
            elif not item.subjek_baru and _ppks_sudah_ada(item, kategori):
                item.status = "sudah_ada"
                continue
        if ktx.ada_galat(P, b.nomor):
            item.status = "galat"
            continue
        item.kolom_subjek = kolom_subjek
        siap.append(item)
    # Every row that passed the file's own checks, through the service in one go.
    disimpan = ppks_buat_banyak(
        pelaku=ktx.pelaku,
        daftar=[item.data for item in siap],
        aksi_riwayat="impor",
        catatan_riwayat=ktx.catatan_riwayat,
    )
    for item, h in zip(siap, disimpan, strict=True):
        nomor = item.baris.nomor
        if isinstance(h, ValidationError):
            item.status = "galat"
            kolom = {"individu": item.kolom_subjek, "keluarga": item.kolom_subjek}
            for key, errors in h.message_dict.items():
                ktx.galat(
                    P,
                    nomor,
                    kolom.get(key, "kode_desa" if key == "desa" else key),
                    " ".join(errors),
                    nama=item.nama,
                )
            continue
        obj, peringatan = h
        item.status = "siap"
        item.uuid = str(obj.uuid)
        for pesan in peringatan:
            ktx.peringatan(P, nomor, pesan, nama=item.nama)
    return hasil


def _ppks_sudah_ada(item: _BarisPPKS, kategori: KategoriPPKS) -> bool:
    """The same open category for the same subject (what ppks_simpan refuses as a duplicate) is
    taken as this row imported before."""
    jenis = item.kunci_subjek[0]
    qs = PPKS.objects.filter(kategori=kategori, subjek=jenis).exclude(
        status_penanganan=StatusPenanganan.SELESAI
    )
    if jenis == "individu":
        qs = qs.filter(individu_id=item.kunci_subjek[1])
    elif jenis == "keluarga":
        qs = qs.filter(keluarga_id=item.kunci_subjek[1])
    else:
        qs = qs.filter(
            desa_id=item.kunci_subjek[1], nama_kelompok__iexact=item.data["nama_kelompok"]
        )
    return qs.exists()


# --- the run ---------------------------------------------------------------------------------


def pernah_diimpor(sha256: str, wilayah_id):
    """When the very same file was last imported in this area (None if never)."""
    from tksk.models import AuditLog

    catatan = (
        AuditLog.objects.filter(
            aksi="impor", data__sha256=mask_numbers(sha256), data__wilayah_id=wilayah_id
        )
        .order_by("-waktu")
        .first()
    )
    return catatan.waktu if catatan else None


# Households per transaction of the check. The check is rolled back anyway; short transactions
# keep the database from piling up row versions and savepoints (the cost per household of one
# long transaction grows with its length).
RUMAH_PER_TRANSAKSI = 200


@contextmanager
def _transaksi(*, batalkan: bool):
    with transaction.atomic():
        yield
        if batalkan:
            transaction.set_rollback(True)


def _jalankan(ktx: _Konteks, lembar: dict[str, Lembar], *, simpan: bool, progres=None):
    """Run every household, then every PPKS row, through the services.

    The check (simpan=False) goes in chunks of RUMAH_PER_TRANSAKSI households, each chunk with the
    PPKS rows about its households, each rolled back; rows about stored records or groups run
    last. Chunks are independent: the only links between households of one file (a NIK or No KK
    used twice) are found before any service runs. The import (simpan=True) runs in the caller's
    transaction.
    """
    semua_rumah: list[_Rumah] = []
    if LEMBAR_KELUARGA in lembar:
        semua_rumah = _susun_rumah(ktx, lembar[LEMBAR_KELUARGA])
        _cari_yang_sudah_ada(ktx, semua_rumah)
    baris = lembar[LEMBAR_PPKS].baris if LEMBAR_PPKS in lembar else []
    idx = _IndeksPPKS(ktx, baris, semua_rumah)
    ppks_rumah: dict[str, list[Baris]] = {}
    ppks_lain: list[Baris] = []
    for b in baris:
        r = idx.rumah_file(b)
        if r is None:
            ppks_lain.append(b)
        else:
            ppks_rumah.setdefault(r.kunci, []).append(b)

    ukuran = len(semua_rumah) if simpan else RUMAH_PER_TRANSAKSI
    hasil_ppks: dict[int, _BarisPPKS] = {}
    selesai = 0
    for awal in range(0, len(semua_rumah), max(ukuran, 1)):
        bagian = semua_rumah[awal : awal + ukuran]
        with _transaksi(batalkan=not simpan):
            _proses_rumah(ktx, bagian)
            selesai += len(bagian)
            if progres:
                progres(selesai, len(semua_rumah))
            daftar = [b for r in bagian for b in ppks_rumah.get(r.kunci, [])]
            for item in _proses_ppks(ktx, daftar, idx):
                hasil_ppks[item.baris.nomor] = item
    if ppks_lain:
        with _transaksi(batalkan=not simpan):
            for item in _proses_ppks(ktx, ppks_lain, idx):
                hasil_ppks[item.baris.nomor] = item
    if progres and semua_rumah:
        progres(len(semua_rumah), len(semua_rumah))
    return semua_rumah, [hasil_ppks[b.nomor] for b in baris]


def proses(
    *,
    pelaku,
    lembar: dict[str, Lembar],
    simpan: bool,
    sha256: str = "",
    nama_berkas: str = "",
    token: str = "",
    harapan: dict | None = None,
    progres=None,
) -> dict:
    """Check (simpan=False) or import (simpan=True) a parsed file; returns the report.

    Every household and PPKS row goes through keluarga_buat_banyak/ppks_buat_banyak (the same
    checks as keluarga_simpan/ppks_simpan): the check rolls back what they wrote; the import
    keeps it, in one transaction. An import whose set of valid households/rows differs from
    `harapan` (the preview the user confirmed) is rolled back too and reported with "berubah":
    nothing is saved that the user did not see.
    """
    if not (pelaku.is_active and pelaku.role in PERAN_PENDATA):
        raise PermissionDenied
    if simpan:
        return _simpan(
            pelaku=pelaku,
            lembar=lembar,
            sha256=sha256,
            nama_berkas=nama_berkas,
            token=token,
            harapan=harapan,
            progres=progres,
        )
    ktx = _konteks(pelaku, nama_berkas, sha256)
    mulai = time.monotonic()
    semua_rumah, baris_ppks = _jalankan(ktx, lembar, simpan=False, progres=progres)
    laporan = _laporan(ktx, lembar, semua_rumah, baris_ppks)
    laporan["detik"] = round(time.monotonic() - mulai, 1)
    return laporan


def _konteks(pelaku, nama_berkas: str, sha256: str) -> "_Konteks":
    desa_kode, desa_nama = _desa_peta(pelaku)
    return _Konteks(
        pelaku,
        desa_kode,
        desa_nama,
        _kategori_peta(),
        catatan_riwayat=f"Diimpor dari berkas {nama_berkas} (sha256 {sha256[:12]}…).",
    )


@ulangi_jika_bentrok
def _simpan(*, pelaku, lembar, sha256, nama_berkas, token, harapan, progres) -> dict:
    """The confirmed import, one transaction; run again from a fresh context if PostgreSQL
    aborts it for a deadlock with another writer of the kecamatan."""
    ktx = _konteks(pelaku, nama_berkas, sha256)
    mulai = time.monotonic()
    with transaction.atomic():
        # Serialised with batch verifications of the same kecamatan (summary rows).
        kunci_kecamatan(w.kecamatan_id for w in ktx.desa_kode.values())
        if token:
            # One confirmation per upload, even with two workers or a retried job.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"impor:{token}"])
            if _sudah_dikonfirmasi(token):
                return {"sudah_diimpor": True}
        semua_rumah, baris_ppks = _jalankan(ktx, lembar, simpan=True, progres=progres)
        laporan = _laporan(ktx, lembar, semua_rumah, baris_ppks)
        laporan["detik"] = round(time.monotonic() - mulai, 1)
        if harapan is not None and himpunan_siap(laporan) != harapan:
            transaction.set_rollback(True)
            laporan["berubah"] = True
            return laporan
        r = laporan["ringkasan"]
        catat(
            aksi="impor",
            pelaku=pelaku,
            data={
                "token": token,
                "sha256": sha256,
                "berkas": nama_berkas,
                "wilayah_id": pelaku.wilayah_id,
                "baris_keluarga": r["keluarga"]["baris"],
                "baris_ppks": r["ppks"]["baris"],
                "keluarga_disimpan": r["keluarga"]["siap"],
                "anggota_disimpan": r["keluarga"]["anggota"],
                "ppks_disimpan": r["ppks"]["siap"],
                "keluarga_sudah_ada": r["keluarga"]["sudah_ada"],
                "ppks_sudah_ada": r["ppks"]["sudah_ada"],
                "keluarga_galat": r["keluarga"]["galat"],
                "ppks_galat": r["ppks"]["galat"],
                "detik": laporan["detik"],
            },
        )
    return laporan


def _sudah_dikonfirmasi(token: str) -> bool:
    from tksk.models import AuditLog

    return AuditLog.objects.filter(aksi="impor", data__token=token).exists()


def _laporan(ktx: _Konteks, lembar, semua_rumah: list[_Rumah], baris_ppks) -> dict:
    keluarga = [
        {
            "kunci": r.kunci,
            "baris": [r.baris[0].nomor, r.baris[-1].nomor],
            "status": r.status,
            "nama_kepala": r.nama_kepala
            or next(
                (a.get("nama", "") for a in r.anggota if a.get("hubungan") == "kepala_keluarga"),
                r.anggota[0].get("nama", "") if r.anggota else "",
            ),
            "anggota": len(r.anggota),
            "uuid": r.keluarga_uuid if r.status == "sudah_ada" else "",
        }
        for r in semua_rumah
    ]
    ppks = [{"baris": p.baris.nomor, "status": p.status, "nama": p.nama} for p in baris_ppks]
    masalah = sorted(
        ktx.masalah.values(),
        key=lambda m: (0 if m["lembar"] == LEMBAR_KELUARGA else 1, m["baris"]),
    )
    hitung_k = Counter(k["status"] for k in keluarga)
    hitung_p = Counter(p["status"] for p in ppks)
    ringkasan = {
        "keluarga": {
            "baris": len(lembar[LEMBAR_KELUARGA].baris) if LEMBAR_KELUARGA in lembar else 0,
            "jumlah": len(keluarga),
            "siap": hitung_k["siap"],
            "anggota": sum(k["anggota"] for k in keluarga if k["status"] == "siap"),
            "sudah_ada": hitung_k["sudah_ada"],
            "galat": hitung_k["galat"],
        },
        "ppks": {
            "baris": len(ppks),
            "siap": hitung_p["siap"],
            "sudah_ada": hitung_p["sudah_ada"],
            "galat": hitung_p["galat"],
        },
        "baris_galat": sum(1 for m in masalah if m["galat"]),
        "baris_peringatan": sum(1 for m in masalah if m["peringatan"] and not m["galat"]),
        "tak_dikenal": {n: lb.tak_dikenal for n, lb in lembar.items() if lb.tak_dikenal},
    }
    ringkasan["bisa_disimpan"] = bool(ringkasan["keluarga"]["siap"] or ringkasan["ppks"]["siap"])
    return {"ringkasan": ringkasan, "keluarga": keluarga, "ppks": ppks, "masalah": masalah}


def himpunan_siap(laporan: dict) -> dict:
    """What a confirmation will save: compared with the preview the user saw."""
    return {
        "keluarga": sorted(
            k["kunci"] for k in laporan.get("keluarga", []) if k["status"] == "siap"
        ),
        "ppks": sorted(p["baris"] for p in laporan.get("ppks", []) if p["status"] == "siap"),
    }


# --- the background job ----------------------------------------------------------------------


def _path_laporan(token: str) -> Path:
    return folder_impor() / f"{token}.laporan.json"


def baca_laporan(unggahan: Unggahan) -> dict:
    try:
        return json.loads(_path_laporan(unggahan.token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _tulis_laporan(token: str, laporan: dict) -> None:
    path = _path_laporan(token)
    sementara = path.with_suffix(".tmp")
    fd = os.open(sementara, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(laporan, f, ensure_ascii=False, default=str)
    os.replace(sementara, path)


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            sha.update(chunk)
    return sha.hexdigest()


PESAN_GAGAL = (
    "Berkas tidak dapat diproses karena kesalahan sistem. Coba unggah lagi; jika terulang, "
    "hubungi admin."
)


@task()
def jalankan_impor(token: str, aksi: str) -> str:
    """Check ("periksa") or import ("simpan") an upload; the state lives in its metadata."""
    simpan = aksi == "simpan"
    if simpan:
        unggahan = pindah_status(token, (Status.ANTRI_SIMPAN,), Status.MENYIMPAN)
    else:
        unggahan = pindah_status(token, (Status.ANTRI,), Status.MEMERIKSA)
    if unggahan is None:
        return "dilewati"
    meta = unggahan.meta

    def progres(selesai, total):
        ubah(token, progres={"selesai": selesai, "total": total})

    try:
        pelaku = User.objects.select_related("wilayah").get(
            pk=meta.get("pengonfirmasi_id") if simpan else meta["user_id"]
        )
        if not milik_cakupan(unggahan, pelaku):
            raise PermissionDenied
        if _sha256(unggahan.berkas) != meta["sha256"]:
            raise BerkasDitolak("Berkas yang tersimpan berubah sejak diunggah. Unggah lagi.")
        lembar = baca_berkas(unggahan.berkas, meta["jenis"])
        # A dropped connection gets two more tries (the run is one transaction, rolled back
        # whole, and a confirmation is recorded once) before the job fails.
        laporan = coba_ulang(
            lambda: proses(
                pelaku=pelaku,
                lembar=lembar,
                simpan=simpan,
                sha256=meta["sha256"],
                nama_berkas=meta["nama_berkas"],
                token=token,
                harapan=meta.get("siap") if simpan else None,
                progres=progres,
            )
        )
    except BerkasDitolak as error:
        ubah(token, status=Status.GAGAL, pesan=" ".join(error.messages))
        return Status.GAGAL
    except (PermissionDenied, User.DoesNotExist, FileNotFoundError):
        ubah(token, status=Status.GAGAL, pesan="Akun ini tidak lagi dapat mengimpor data ini.")
        return Status.GAGAL
    except Exception:
        logger.exception("Impor %s gagal", token)
        ubah(token, status=Status.GAGAL, pesan=PESAN_GAGAL)
        return Status.GAGAL
    if laporan.get("sudah_diimpor"):
        ubah(token, status=Status.SELESAI)
        return Status.SELESAI
    _tulis_laporan(token, laporan)
    if not simpan or laporan.get("berubah"):
        ubah(
            token,
            status=Status.SIAP,
            ringkasan=laporan["ringkasan"],
            siap=himpunan_siap(laporan),
            berubah=bool(laporan.get("berubah")),
            detik_periksa=laporan["detik"],
        )
        return Status.SIAP
    terkini = ubah(
        token, status=Status.SELESAI, ringkasan=laporan["ringkasan"], detik_simpan=laporan["detik"]
    )
    # The file and the preview (personal data) go; the counts stay for the result page.
    hapus(terkini or unggahan, simpan_meta=True)
    return Status.SELESAI


# --- the template ----------------------------------------------------------------------------


def _pilihan_petunjuk() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        ("jenis_kelamin", list(JenisKelamin.choices)),
        ("hubungan (SHDK)", list(Hubungan.choices)),
        ("agama", list(Agama.choices)),
        ("pendidikan", list(Pendidikan.choices)),
        ("status_kawin", list(StatusKawin.choices)),
        ("alasan_tanpa_nik", list(AlasanTanpaNIK.choices)),
        ("disabilitas", list(Disabilitas.choices)),
        ("status_penanganan (PPKS)", list(StatusPenanganan.choices)),
    ]


def templat_xlsx(pelaku) -> bytes:
    """The import template, generated for the user: their desa codes in the instructions and in
    the drop-down of kode_desa; NIK/No KK columns formatted as Text so Excel keeps every digit."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    desa = list(
        Wilayah.objects.for_user(pelaku)
        .filter(tingkat=Tingkat.DESA, aktif=True)
        .select_related("kecamatan")
        .order_by("kode")
    )
    kategori = list(KategoriPPKS.objects.order_by("nomor"))
    tebal = Font(bold=True)
    judul_fill = PatternFill("solid", fgColor="DDEBF7")
    baris_format = 2000

    wb = Workbook()
    ws_kel = wb.active
    ws_kel.title = LEMBAR_KELUARGA
    ws_ppks = wb.create_sheet(LEMBAR_PPKS)
    ws_pet = wb.create_sheet(LEMBAR_PETUNJUK)
    ws_daftar = wb.create_sheet(LEMBAR_DAFTAR)

    # Lists for the drop-downs live on a hidden sheet (a list typed into the validation itself
    # is limited to 255 characters).
    daftar = {
        "jenis_kelamin": JenisKelamin.values,
        "hubungan": Hubungan.values,
        "agama": Agama.values,
        "pendidikan": Pendidikan.values,
        "status_kawin": StatusKawin.values,
        "alasan_tanpa_nik": AlasanTanpaNIK.values,
        "status_penanganan": StatusPenanganan.values,
        "kode_desa": [w.kode for w in desa],
        "kategori": [k.singkatan for k in kategori] + [k.kode for k in kategori],
    }
    rentang = {}
    for i, (nama, nilai) in enumerate(daftar.items(), start=1):
        huruf = get_column_letter(i)
        ws_daftar.cell(row=1, column=i, value=nama).font = tebal
        for j, v in enumerate(nilai, start=2):
            c = ws_daftar.cell(row=j, column=i, value=v)
            c.number_format = "@"
        if nilai:
            rentang[nama] = f"{LEMBAR_DAFTAR}!${huruf}$2:${huruf}${len(nilai) + 1}"
    ws_daftar.sheet_state = "hidden"

    def siapkan(ws, kolom: list[Kolom]):
        for i, k in enumerate(kolom, start=1):
            huruf = get_column_letter(i)
            c = ws.cell(row=1, column=i, value=k.kunci)
            c.font, c.fill = tebal, judul_fill
            c.comment = Comment(f"{k.wajib}: {k.penjelasan}", "SI TKSK", width=300, height=120)
            ws.column_dimensions[huruf].width = k.lebar
            if k.teks:
                ws.column_dimensions[huruf].number_format = "@"
                for r in range(2, baris_format + 2):
                    ws.cell(row=r, column=i).number_format = "@"
            if k.kunci in rentang:
                dv = DataValidation(
                    type="list",
                    formula1=f"={rentang[k.kunci]}",
                    allow_blank=True,
                    showErrorMessage=k.kunci != "kode_desa",
                    errorTitle="Isian tidak dikenal",
                    error=f"Pilih {k.kunci} dari daftar (lihat lembar Petunjuk).",
                )
                dv.add(f"{huruf}2:{huruf}{baris_format + 1}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"

    siapkan(ws_kel, KOLOM_KELUARGA)
    siapkan(ws_ppks, KOLOM_PPKS)

    # Instructions.
    ws_pet.column_dimensions["A"].width = 24
    ws_pet.column_dimensions["B"].width = 22
    ws_pet.column_dimensions["C"].width = 70
    ws_pet.column_dimensions["D"].width = 22
    bungkus = Alignment(wrap_text=True, vertical="top")
    baris = [1]

    def tulis(*nilai, font=None):
        for i, v in enumerate(nilai, start=1):
            c = ws_pet.cell(row=baris[0], column=i, value=v)
            c.alignment = bungkus
            c.number_format = "@"
            if font:
                c.font = font
        baris[0] += 1

    tulis("Petunjuk impor data keluarga dan PPKS", font=Font(bold=True, size=14))
    for teks in (
        "1. Isi lembar Keluarga: satu baris untuk setiap anggota keluarga. Anggota satu keluarga "
        "memakai kode_keluarga (atau No KK) yang sama; data keluarga (No KK, desa, alamat, RT/RW) "
        "cukup diisi di baris pertama keluarga itu.",
        "2. Isi lembar PPKS (boleh kosong): satu baris untuk setiap identifikasi PPKS, dengan "
        "subjek orang (nik, atau kode_keluarga + nama_anggota), keluarga (kode_keluarga atau "
        "no_kk) atau kelompok (nama_kelompok + kode_desa).",
        "3. Kolom NIK, No KK, kode_keluarga, RT/RW dan kode_desa berformat Teks. Jangan ubah ke "
        "Angka: Excel akan mengubah 16 digit NIK menjadi 6,27E+15 dan angka terakhirnya hilang.",
        "4. Jangan mengubah judul kolom di baris 1. Kolom tambahan milik Anda diabaikan.",
        "5. Unggah berkas ini (.xlsx), atau simpan tiap lembar sebagai CSV. Sebelum disimpan, "
        "aplikasi menampilkan pratinjau: setiap kesalahan dan peringatan per nomor baris.",
        "6. Keluarga dengan satu baris yang salah tidak diimpor sama sekali; perbaiki lalu unggah "
        "lagi. Keluarga yang sudah pernah diimpor dilewati (tidak menjadi ganda).",
        f"Batas: {batas_mb():g} MB per berkas, {batas_baris():,} baris per lembar.".replace(
            ",", "."
        ),
    ):
        ws_pet.merge_cells(start_row=baris[0], start_column=1, end_row=baris[0], end_column=4)
        tulis(teks)
        ws_pet.row_dimensions[baris[0] - 1].height = 32
    baris[0] += 1
    for nama_lembar, kolom in ((LEMBAR_KELUARGA, KOLOM_KELUARGA), (LEMBAR_PPKS, KOLOM_PPKS)):
        tulis(f"Kolom lembar {nama_lembar}", font=Font(bold=True, size=12))
        tulis("Kolom", "Wajib?", "Penjelasan", "Contoh", font=tebal)
        for k in kolom:
            tulis(k.kunci, k.wajib, k.penjelasan, k.contoh)
        baris[0] += 1
    tulis("Kode yang dapat dipakai", font=Font(bold=True, size=12))
    tulis(
        "Boleh ditulis kodenya (kolom Kode) atau namanya (kolom Arti); huruf besar/kecil bebas.",
    )
    for nama, pilihan in _pilihan_petunjuk():
        tulis(nama, font=tebal)
        tulis("Kode", "Arti", font=tebal)
        for kode, label in pilihan:
            tulis(kode, str(label))
        baris[0] += 1
    tulis("Kategori PPKS", font=tebal)
    tulis("Kode", "Singkatan", "Nama", font=tebal)
    for k in kategori:
        tulis(k.kode, k.singkatan, k.nama)
    baris[0] += 1
    tulis("Kode desa/kelurahan di wilayah Anda", font=tebal)
    tulis("Kode", "Kecamatan", "Desa/kelurahan", font=tebal)
    for w in desa:
        tulis(w.kode, w.kecamatan.nama if w.kecamatan_id else "", w.nama_lengkap)

    wb.move_sheet(ws_pet, offset=-2)  # Petunjuk first, so it is what opens
    wb.active = 0
    keluaran = io.BytesIO()
    wb.save(keluaran)
    return keluaran.getvalue()
