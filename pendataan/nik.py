"""NIK and No KK checks shared by the web form, the spreadsheet import and the API.

Rules (DOMAIN.md §6): 16 ASCII digits, stored as text. NIK digits 7-12 are the birth date
(DDMMYY, women day + 40), 13-16 a serial that is never 0000. The region prefix is where the NIK was
first registered, so it is informational only and never a reason to refuse. Messages never echo the
whole number (it is personal data and ends up in logs and import reports).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = [
    "NikInfo",
    "bersihkan_nomor",
    "periksa_nik",
    "urai_nik",
    "periksa_no_kk",
    "peringatan_nik",
    "mirip_nomor",
]

PANJANG = 16
# Anything far longer than a NIK is refused before any per-character work.
_BATAS_PANJANG = 64
# Invisible characters that phones and copy-paste leave around a value; harmless at the ends only.
_TAK_TERLIHAT = frozenset(
    "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# Characters a spreadsheet treats as the start of a formula (CSV/formula injection).
_AWAL_RUMUS = ("=", "+", "-", "@")
# What Excel makes of a 16-digit number in a General/Number column: 6.27101E+15, 6,27E+15,
# 6271011204850001.0. [0-9], not \d: \d also matches Arabic-Indic and fullwidth digits.
_EXCEL = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+|[0-9]+[.,]0+")
_PEMISAH = frozenset(".,/\\:;|\u00b7\u2022")
_KODE_LABEL = {"NIK": "nik", "No KK": "no_kk"}


@dataclass(frozen=True)
class NikInfo:
    kode_wilayah: str  # "62.71.03": first-registration region, informational only
    jenis_kelamin: str  # "L" or "P"
    tanggal_lahir: date


def _hari_ini() -> date:
    # Local date in Asia/Jakarta, not the server's (UTC) date: matters for babies born today.
    return timezone.localdate() if settings.USE_TZ else date.today()


def _tolak(pesan: str, kode: str, label: str):
    awalan = _KODE_LABEL.get(label) or re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    raise ValidationError(pesan, code=f"{awalan}_{kode}")


def _rapikan_tepi(teks: str) -> str:
    # Index scan rather than a regex: linear even for long runs of whitespace.
    def tepi(ch):
        return ch.isspace() or ch in _TAK_TERLIHAT

    awal, akhir = 0, len(teks)
    while awal < akhir and tepi(teks[awal]):
        awal += 1
    while akhir > awal and tepi(teks[akhir - 1]):
        akhir -= 1
    return teks[awal:akhir]


def _jenis_karakter(ch: str) -> str:
    if ch.isnumeric():
        return "non_ascii"  # ASCII digits never reach here
    if ch.isalpha():
        return "huruf"
    kategori = unicodedata.category(ch)
    # Spaces, dashes, dots, slashes: ways people group the digits when writing them down.
    if ch.isspace() or kategori in ("Pd", "Pc") or ch in _PEMISAH:
        return "pemisah"
    if kategori in ("Cf", "Cc", "Cs", "Co", "Cn"):
        return "tersembunyi"
    return "huruf"  # symbols, emoji, combining marks: "only digits" is the useful message


def bersihkan_nomor(value, *, label: str) -> str:
    """Trim harmless padding and refuse anything that is not exactly 16 ASCII digits.

    Returns "" for empty input: whether the field is required is the caller's decision.
    """
    if value is None:
        return ""
    teks = _rapikan_tepi(str(value))
    if len(teks) > _BATAS_PANJANG:
        _tolak(
            _("%(label)s harus 16 digit angka; yang diisi %(n)d karakter.")
            % {"label": label, "n": len(teks)},
            "length",
            label,
        )
    # A single leading apostrophe is how Excel marks a cell as text, not part of the number.
    if teks.startswith("'"):
        teks = teks[1:]
    if not teks:
        return ""
    if teks.startswith(_AWAL_RUMUS):
        _tolak(
            _(
                "%(label)s diawali tanda “%(tanda)s” sehingga terbaca sebagai rumus spreadsheet. "
                "Isi %(label)s hanya dengan 16 angka, tanpa tanda apa pun di depannya."
            )
            % {"label": label, "tanda": teks[0]},
            "formula",
            label,
        )
    if _EXCEL.fullmatch(teks):
        _tolak(
            _(
                "%(label)s telah diubah Excel menjadi angka ilmiah/desimal (misalnya 6,27E+15), "
                "sehingga digit aslinya hilang. Ubah format kolom %(label)s menjadi Teks (Text), "
                "lalu ketik ulang %(label)s dari KTP/KK."
            )
            % {"label": label},
            "excel",
            label,
        )
    jenis = {_jenis_karakter(ch) for ch in teks if ch not in "0123456789"}
    if "non_ascii" in jenis:
        _tolak(
            _(
                "%(label)s hanya boleh memakai angka biasa 0–9. Ada angka dari aksara lain "
                "(misalnya angka Arab atau angka lebar); ketik ulang dengan angka 0–9."
            )
            % {"label": label},
            "digits_non_ascii",
            label,
        )
    if "huruf" in jenis:
        _tolak(
            _("%(label)s hanya boleh berisi angka 0–9, tanpa huruf atau simbol.")
            % {"label": label},
            "letters",
            label,
        )
    if "tersembunyi" in jenis:
        _tolak(
            _(
                "%(label)s mengandung karakter tersembunyi di antara angkanya. Hapus isian, "
                "lalu ketik ulang 16 angkanya tanpa spasi atau tanda pemisah."
            )
            % {"label": label},
            "separator",
            label,
        )
    if jenis:
        _tolak(
            _(
                "%(label)s harus ditulis tanpa spasi atau tanda pemisah (titik, tanda hubung, "
                "garis miring); tulis 16 angka bersambung."
            )
            % {"label": label},
            "separator",
            label,
        )
    if len(teks) != PANJANG:
        _tolak(
            _("%(label)s harus 16 digit angka; yang diisi %(n)d digit.")
            % {"label": label, "n": len(teks)},
            "length",
            label,
        )
    return teks


def _tanggal_lahir(hari: int, bulan: int, yy: int, today: date) -> date | None:
    """Century rule: the latest year <= today; a date after today is 100 years earlier.

    Returns None if the date exists in neither century. Only 29 Feb of "00" depends on the
    century (2000 is a leap year, 1900 and 2100 are not): pick the century where it exists.
    """
    tahun = today.year - (today.year - yy) % 100  # latest year <= today's year ending in yy
    ada = []
    for y in (tahun, tahun - 100):
        try:
            tanggal = date(y, bulan, hari)
        except ValueError:
            continue
        if tanggal <= today:
            return tanggal
        ada.append(tanggal)
    return ada[0] if ada else None


def _urai(nik: str, today: date) -> NikInfo:
    """Check the date block and serial of a clean 16-digit NIK and parse it."""
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if not (1 <= dd <= 31 or 41 <= dd <= 71):
        _tolak(
            _(
                "Digit ke-7–8 NIK adalah tanggal lahir dan harus 01–31 (laki-laki) atau 41–71 "
                "(perempuan, tanggal ditambah 40); yang diisi %(dd)s."
            )
            % {"dd": nik[6:8]},
            "date",
            "NIK",
        )
    if not 1 <= mm <= 12:
        _tolak(
            _("Digit ke-9–10 NIK adalah bulan lahir dan harus 01–12; yang diisi %(mm)s.")
            % {"mm": nik[8:10]},
            "date",
            "NIK",
        )
    jenis_kelamin = "P" if dd > 40 else "L"
    hari = dd - 40 if dd > 40 else dd
    tanggal = _tanggal_lahir(hari, mm, yy, today)
    if tanggal is None:
        _tolak(
            _(
                "Digit ke-7–12 NIK (%(blok)s) bukan tanggal lahir yang ada: "
                "tanggal %(tgl)s tidak ada di kalender."
            )
            % {"blok": nik[6:12], "tgl": f"{hari:02d}-{nik[8:10]}-{nik[10:12]}"},
            "date",
            "NIK",
        )
    if nik[12:] == "0000":
        _tolak(
            _("NIK tidak valid: 4 digit terakhir (nomor urut) tidak boleh 0000."), "serial", "NIK"
        )
    return NikInfo(f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}", jenis_kelamin, tanggal)


def periksa_nik(value, *, today: date | None = None) -> str:
    """The clean 16-digit NIK, "" for empty input; ValidationError otherwise."""
    nik = bersihkan_nomor(value, label="NIK")
    if nik:
        _urai(nik, today or _hari_ini())
    return nik


def urai_nik(nik: str, *, today: date | None = None) -> NikInfo:
    """Region, sex and birth date encoded in a valid NIK; ValidationError if it is not valid."""
    bersih = bersihkan_nomor(nik, label="NIK")
    if not bersih:
        _tolak(_("NIK belum diisi."), "required", "NIK")
    return _urai(bersih, today or _hari_ini())


def periksa_no_kk(value, *, today: date | None = None) -> str:
    """The clean 16-digit No KK, "" for empty input; ValidationError otherwise.

    The date block (date of recording) is not checked: real KKs carry odd dates. `today` is
    accepted for symmetry with periksa_nik.
    """
    no_kk = bersihkan_nomor(value, label="No KK")
    if no_kk[12:] == "0000":
        _tolak(
            _("No KK tidak valid: 4 digit terakhir (nomor urut) tidak boleh 0000."),
            "serial",
            "No KK",
        )
    return no_kk


_JENIS_KELAMIN = {"L": "L", "LAKI-LAKI": "L", "P": "P", "PEREMPUAN": "P"}


def peringatan_nik(
    nik: str,
    *,
    tanggal_lahir: date | None,
    jenis_kelamin: str | None,
    today: date | None = None,
) -> list[str]:
    """Warnings when the NIK's birth date or sex disagrees with the recorded ones.

    Recorded values are authoritative (Dukcapil does not reissue a NIK for a corrected birth
    date), so these are never errors. Dates compare day, month and 2-digit year, so the century
    guess never produces a false warning. An empty or invalid NIK gives no warnings: that is
    periksa_nik's job.
    """
    if not nik:
        return []
    try:
        info = urai_nik(nik, today=today)
    except ValidationError:
        return []
    hasil = []
    t = info.tanggal_lahir
    if tanggal_lahir and (t.day, t.month, t.year % 100) != (
        tanggal_lahir.day,
        tanggal_lahir.month,
        tanggal_lahir.year % 100,
    ):
        hasil.append(
            _(
                "Tanggal lahir pada NIK (%(nik)s) berbeda dengan tanggal lahir yang dicatat "
                "(%(dicatat)s). Data tetap disimpan; periksa kembali KTP/KK."
            )
            % {"nik": t.strftime("%d-%m-%Y"), "dicatat": tanggal_lahir.strftime("%d-%m-%Y")}
        )
    dicatat = _JENIS_KELAMIN.get((jenis_kelamin or "").strip().upper())
    if dicatat and dicatat != info.jenis_kelamin:
        nama = {"L": _("laki-laki"), "P": _("perempuan")}
        hasil.append(
            _(
                "Jenis kelamin pada NIK (%(nik)s) berbeda dengan yang dicatat (%(dicatat)s). "
                "Pada NIK perempuan, tanggal lahir ditambah 40. "
                "Data tetap disimpan; periksa kembali KTP/KK."
            )
            % {"nik": nama[info.jenis_kelamin], "dicatat": nama[dicatat]}
        )
    return hasil


def mirip_nomor(value) -> bool:
    """Whether a value looks like a whole NIK or No KK: 16 digits, bare or grouped with the
    separators people write (spaces, dots, dashes, slashes). Used to keep such values out of
    URLs, where they would end up in access logs."""
    if value is None:
        return False
    teks = _rapikan_tepi(str(value)).removeprefix("'")
    digits = sum(1 for ch in teks if ch.isnumeric())
    if digits < PANJANG:
        return False
    # Sixteen digits or more in a row, anywhere in the value, are always refused.
    if re.search(r"\d{16}", teks):
        return True
    return digits == PANJANG and all(
        ch.isnumeric() or _jenis_karakter(ch) in ("pemisah", "tersembunyi") for ch in teks
    )
