"""NIK and No KK checks (pendataan.nik). Pure functions: no database."""

import re
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from pendataan.nik import (
    NikInfo,
    bersihkan_nomor,
    periksa_nik,
    periksa_no_kk,
    peringatan_nik,
    urai_nik,
)
from tksk.privasi import samarkan

TODAY = date(2025, 6, 1)
VALID = "6271011204850001"  # 12-04-1985, laki-laki
PROPERTY = settings(max_examples=200, deadline=None)


def buat_nik(wilayah: str, lahir: date, jk: str, urut: int) -> str:
    hari = lahir.day + (40 if jk == "P" else 0)
    return f"{wilayah}{hari:02d}{lahir.month:02d}{lahir.year % 100:02d}{urut:04d}"


def tolak(fungsi, value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        fungsi(value, today=TODAY, **kwargs)
    return exc.value


def ganti_angka(teks: str, nol: str) -> str:
    """Rewrite ASCII digits in another script whose zero is `nol`."""
    return teks.translate({ord("0") + i: ord(nol) + i for i in range(10)})


# --- valid NIKs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nik", "kode", "jk", "lahir"),
    [
        ("6271035708900001", "62.71.03", "P", date(1990, 8, 17)),  # DOMAIN.md example
        ("6271031708900001", "62.71.03", "L", date(1990, 8, 17)),
        ("6203017108900002", "62.03.01", "P", date(1990, 8, 31)),  # day 71 = women, 31st
        ("6271036902000001", "62.71.03", "P", date(2000, 2, 29)),  # 2000 is a leap year
        ("6271032902000001", "62.71.03", "L", date(2000, 2, 29)),
        ("9999991708900001", "99.99.99", "L", date(1990, 8, 17)),  # unknown region: accepted
        ("1050241708900001", "10.50.24", "L", date(1990, 8, 17)),  # legacy code: accepted
        ("6271031705250001", "62.71.03", "L", date(2025, 5, 17)),  # this year, before today
        ("6271030106250001", "62.71.03", "L", date(2025, 6, 1)),  # born today
        ("6271031708250001", "62.71.03", "L", date(1925, 8, 17)),  # after today: 100 years ago
        ("6271030101000009", "62.71.03", "L", date(2000, 1, 1)),
    ],
)
def test_nik_valid(nik, kode, jk, lahir):
    assert periksa_nik(nik, today=TODAY) == nik
    assert urai_nik(nik, today=TODAY) == NikInfo(kode, jk, lahir)


@pytest.mark.parametrize(
    "value",
    [
        f" {VALID} ",
        f"\xa0{VALID}\u200b",
        f"\ufeff{VALID}\n",
        f"\t{VALID}\u2060\r\n",
        f"\u200e{VALID}\u200f",
        f"'{VALID}",  # Excel's text marker
        f" '{VALID} ",
    ],
)
def test_harmless_padding_is_removed(value):
    assert periksa_nik(value, today=TODAY) == VALID


@pytest.mark.parametrize("value", [None, "", "   ", "\u200b", "\xa0\ufeff", "'"])
def test_empty_returns_empty_string(value):
    # Whether the field is required is the caller's decision.
    assert periksa_nik(value, today=TODAY) == ""
    assert periksa_no_kk(value, today=TODAY) == ""
    assert bersihkan_nomor(value, label="NIK") == ""


def test_default_today_uses_local_date():
    assert periksa_nik("6271035708900001") == "6271035708900001"
    assert urai_nik("6271035708900001").tanggal_lahir == date(1990, 8, 17)


# --- refusals -----------------------------------------------------------------------------

FULLWIDTH = ganti_angka("6271035708900001", "\uff10")
ARABIC_INDIC = ganti_angka("6271035708900001", "\u0660")

REFUSED = [
    # formula prefixes
    ("=6271011204850001", "nik_formula"),
    (" =6271011204850001", "nik_formula"),
    ("+6271011204850001", "nik_formula"),
    ("-6271011204850001", "nik_formula"),
    ("@6271011204850001", "nik_formula"),
    ('=HYPERLINK("http://x")', "nik_formula"),
    ("'=6271011204850001", "nik_formula"),
    # numbers mangled by Excel
    ("6.27101120485E15", "nik_excel"),
    ("6.27101120485e+15", "nik_excel"),
    ("6,27101E+15", "nik_excel"),
    ("6.271011204850001E+15", "nik_excel"),
    ("6271011204850001.0", "nik_excel"),
    ("6271011204850001,00", "nik_excel"),
    # digits from other scripts are refused, not converted
    (FULLWIDTH, "nik_digits_non_ascii"),
    (ARABIC_INDIC, "nik_digits_non_ascii"),
    (ganti_angka(VALID, "\u06f0"), "nik_digits_non_ascii"),  # Extended Arabic-Indic
    (ganti_angka(VALID, "\u0966"), "nik_digits_non_ascii"),  # Devanagari
    ("627101120485000\u0661", "nik_digits_non_ascii"),  # one digit is enough
    ("627101120485000\u00b9", "nik_digits_non_ascii"),  # superscript one
    # separators and hidden characters inside
    ("6271 0357 0890 0001", "nik_separator"),
    ("6271-0357-0890-0001", "nik_separator"),
    ("6271.0357.0890.0001", "nik_separator"),
    ("62.71.03.570890.0001", "nik_separator"),
    ("6271/0357/0890/0001", "nik_separator"),
    ("6271_0357_0890_0001", "nik_separator"),
    ("6271\u20130357\u20130890\u20130001", "nik_separator"),  # en dash from autocorrect
    ("62710357\xa008900001", "nik_separator"),
    ("62710357\u200b08900001", "nik_separator"),  # zero-width space
    ("62710357\u202e08900001", "nik_separator"),  # right-to-left override
    ("62710357\x0008900001", "nik_separator"),
    # letters and symbols
    ("62710357O8900001", "nik_letters"),  # letter O for zero
    ("NIK 6271035708900001", "nik_letters"),
    ("tidak ada", "nik_letters"),
    ("6271#35708900001", "nik_letters"),
    ("627103570890000\U0001f600", "nik_letters"),
    # length
    ("627103570890001", "nik_length"),
    ("62710357089000011", "nik_length"),
    ("1", "nik_length"),
    # date block
    ("6271033208900001", "nik_date"),  # day 32
    ("6271034008900001", "nik_date"),  # day 40
    ("6271030008900001", "nik_date"),  # day 00
    ("6271037208900001", "nik_date"),  # day 72
    ("6271031713900001", "nik_date"),  # month 13
    ("6271031700900001", "nik_date"),  # month 00
    ("6271033104900001", "nik_date"),  # 31 April
    ("6271037104900001", "nik_date"),  # 31 April, women
    ("6271033002900001", "nik_date"),  # 30 February
    ("6271032902010001", "nik_date"),  # 29 Feb 1901/2001: neither is a leap year
    ("6271032902900001", "nik_date"),
    # serial
    ("6271031708900000", "nik_serial"),
]


@pytest.mark.parametrize(("value", "code"), REFUSED)
def test_nik_refused(value, code):
    err = tolak(periksa_nik, value)
    assert err.code == code
    # Messages are specific and never echo the whole number.
    assert err.messages[0]
    assert "6271035708900001" not in err.messages[0]
    assert "6271011204850001" not in err.messages[0]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("=6271011204850001", "rumus spreadsheet"),
        ("6.27101120485E15", "Teks (Text)"),
        (FULLWIDTH, "angka biasa 0–9"),
        ("6271 0357 0890 0001", "tanpa spasi atau tanda pemisah"),
        ("62710357\u200b08900001", "karakter tersembunyi"),
        ("62710357O8900001", "hanya boleh berisi angka"),
        ("6271031713900001", "bulan lahir"),
        ("6271033208900001", "41–71"),
        ("6271033104900001", "31-04-90"),
        ("6271031708900000", "0000"),
    ],
)
def test_messages_say_what_is_wrong(value, fragment):
    assert fragment in tolak(periksa_nik, value).messages[0]


def test_length_message():
    err = tolak(periksa_nik, "627103570890001")
    assert err.messages == ["NIK harus 16 digit angka; yang diisi 15 digit."]


@pytest.mark.parametrize("value", ["1" * 10_000, "x" * 10_000, " 1" * 5_000])
def test_huge_input_refused_quickly_without_echo(value):
    mulai = time.perf_counter()
    err = tolak(periksa_nik, value)
    assert time.perf_counter() - mulai < 0.05
    assert err.code == "nik_length"
    assert len(err.messages[0]) < 120


def test_urai_nik_refuses_invalid():
    with pytest.raises(ValidationError):
        urai_nik("6271033208900001", today=TODAY)
    with pytest.raises(ValidationError):
        urai_nik("", today=TODAY)


def test_century_29_february_00_depends_on_today():
    # Before 29 Feb 2000 existed, the only real date is still 2000-02-29 (1900 was not leap).
    assert urai_nik("6271032902000001", today=date(2000, 1, 1)).tanggal_lahir == date(2000, 2, 29)
    # In 2100 (not a leap year) the NIK still means 2000-02-29.
    assert urai_nik("6271032902000001", today=date(2100, 3, 1)).tanggal_lahir == date(2000, 2, 29)


# --- No KK --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["6271031708900001", "6271039999990001", "6271030000000001", " 6271034508900001 "],
)
def test_no_kk_accepts_any_date_block(value):
    assert periksa_no_kk(value, today=TODAY) == value.strip()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("6271031708900000", "no_kk_serial"),
        ("627103170890001", "no_kk_length"),
        ("6271 0317 0890 0001", "no_kk_separator"),
        ("=6271031708900001", "no_kk_formula"),
        ("6.27103170890E15", "no_kk_excel"),
        (FULLWIDTH, "no_kk_digits_non_ascii"),
        ("KK6271031708900001", "no_kk_letters"),
    ],
)
def test_no_kk_refused(value, code):
    err = tolak(periksa_no_kk, value)
    assert err.code == code
    assert "No KK" in err.messages[0]


# --- warnings -----------------------------------------------------------------------------


def test_warning_birth_date():
    assert peringatan_nik(
        "6271035708900001", tanggal_lahir=date(1990, 8, 18), jenis_kelamin="P", today=TODAY
    ) == [
        "Tanggal lahir pada NIK (17-08-1990) berbeda dengan tanggal lahir yang dicatat "
        "(18-08-1990). Data tetap disimpan; periksa kembali KTP/KK."
    ]


def test_warning_sex():
    (pesan,) = peringatan_nik(
        "6271035708900001", tanggal_lahir=date(1990, 8, 17), jenis_kelamin="L", today=TODAY
    )
    assert pesan.startswith(
        "Jenis kelamin pada NIK (perempuan) berbeda dengan yang dicatat (laki-laki)."
    )
    assert "Data tetap disimpan" in pesan


@pytest.mark.parametrize(
    ("nik", "lahir", "jk"),
    [
        ("", date(1990, 1, 1), "L"),
        ("6271035708900001", date(1990, 8, 17), "P"),
        ("6271035708900001", date(1990, 8, 17), "perempuan"),
        ("6271035708900001", None, None),  # nothing recorded to compare with
        ("6271031708200001", date(1920, 8, 17), "L"),  # century differs only by guess
        ("6271033208900001", date(1990, 8, 17), "L"),  # invalid NIK: periksa_nik's job
    ],
)
def test_no_warning(nik, lahir, jk):
    assert peringatan_nik(nik, tanggal_lahir=lahir, jenis_kelamin=jk, today=TODAY) == []


# --- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("6271035708900001", "6271********0001"),
        (None, ""),
        ("", ""),
        ("12345", "*2345"),
        ("1234", "****"),
        ("12345678901234567890", "*" * 16 + "7890"),
    ],
)
def test_samarkan(value, masked):
    assert samarkan(value) == masked


# --- properties ---------------------------------------------------------------------------

wilayah = st.from_regex(r"[0-9]{6}", fullmatch=True)
jenis_kelamin = st.sampled_from("LP")
urut = st.integers(1, 9999)
hari_ini = st.one_of(st.just(date.today()), st.dates(date(2000, 1, 1), date(2099, 12, 31)))


@PROPERTY
@given(st.data(), hari_ini, wilayah, jenis_kelamin, urut)
def test_property_built_nik_round_trips(data, today, kode, jk, nomor):
    lahir = data.draw(st.dates(date(1900, 1, 1), today))
    nik = buat_nik(kode, lahir, jk, nomor)
    assert periksa_nik(nik, today=today) == nik
    info = urai_nik(nik, today=today)
    assert info.jenis_kelamin == jk
    assert info.kode_wilayah == f"{kode[:2]}.{kode[2:4]}.{kode[4:]}"
    if (lahir.year + 100, lahir.month, lahir.day) > (today.year, today.month, today.day):
        assert info.tanggal_lahir == lahir  # within the last 100 years: no ambiguity
    else:
        t = info.tanggal_lahir
        assert (t.day, t.month, t.year % 100) == (lahir.day, lahir.month, lahir.year % 100)
        assert t <= today


nearly_nik = st.text(alphabet="0123456789 .,-+=@eE'\u200b\u202e\xa0\u0660\uff10aO", max_size=24)


@PROPERTY
@given(st.one_of(st.text(), nearly_nik, st.from_regex(r"\s*[0-9]{16}\s*", fullmatch=True)))
def test_property_only_validation_error_and_clean_output(value):
    try:
        hasil = periksa_nik(value, today=TODAY)
    except ValidationError as err:
        assert err.code.startswith("nik_")
        return
    assert hasil == "" or re.fullmatch(r"[0-9]{16}", hasil, flags=re.ASCII)


@PROPERTY
@given(st.one_of(st.none(), st.text(), st.from_regex(r"[0-9]{1,40}", fullmatch=True)))
def test_property_samarkan_reveals_at_most_8(value):
    masked = samarkan(value)
    assert sum(ch != "*" for ch in masked) <= 8
    assert len(masked) == len(value or "")


@PROPERTY
@given(
    st.dates(date(1900, 1, 1), TODAY),
    jenis_kelamin,
    st.dates(date(1900, 1, 1), TODAY),
    jenis_kelamin,
    st.booleans(),
)
def test_property_warnings_iff_mismatch(lahir, jk, dicatat, jk_dicatat, sama):
    if sama:
        dicatat, jk_dicatat = lahir, jk
    nik = buat_nik("627103", lahir, jk, 1)
    warnings = peringatan_nik(nik, tanggal_lahir=dicatat, jenis_kelamin=jk_dicatat, today=TODAY)
    beda_tanggal = (lahir.day, lahir.month, lahir.year % 100) != (
        dicatat.day,
        dicatat.month,
        dicatat.year % 100,
    )
    assert len(warnings) == beda_tanggal + (jk != jk_dicatat)
