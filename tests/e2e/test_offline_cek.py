"""Offline checks in Debian's Chromium: the browser's NIK / No KK rules give the server's verdict
for every input, desa and categories are in the cached forms, a duplicate hint works from hashes,
a form posted after the session expired keeps its typing, and two devices editing one person
meet the conflict queue."""

import itertools
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from pendataan.nik import periksa_nik, periksa_no_kk, peringatan_nik

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "nik_buruk.txt"
# Days the century rule and leap years turn on.
HARI = ["2026-12-03", "2000-02-28", "2000-03-01", "2024-02-29", "2099-12-31", "2001-01-01"]

# Characters of every class the rules tell apart, the awkward ones of each included: Python's
# whitespace that is not JavaScript's \s (U+001C, U+0085) and the reverse (U+FEFF), digits of
# other scripts, Han numerals (numeric for Python, letters by category), astral characters,
# combining marks, private-use and unassigned code points.
SISIPAN = [
    " ",
    "\u00a0",
    "\u2007",
    "\t",
    "\n",
    "\u001c",
    "\u0085",
    "\u2028",
    "\u3000",
    "\ufeff",
    "\u200b",
    "\u00ad",
    "\u2060",
    "\u0007",
    "-",
    "\u2013",
    "\u2014",
    "_",
    ".",
    ",",
    "/",
    "\\",
    ":",
    ";",
    "|",
    "\u00b7",
    "\u2022",
    "'",
    "a",
    "O",
    "\u00e9",
    "\u0661",
    "\uff16",
    "\u0966",
    "\u4e00",
    "\u3007",
    "\u216b",
    "\u00bd",
    "\u00b2",
    "\U0001f600",
    "\U0001d7d8",
    "\u0301",
    "\ue000",
    "\u0378",
    "*",
    "#",
    "=",
    "+",
    "@",
    "e",
    "E",
]


def _sah(tanggal: date, jk: str, urut: int, wilayah: str = "627101") -> str:
    hari = tanggal.day + (40 if jk == "P" else 0)
    return f"{wilayah}{hari:02d}{tanggal:%m%y}{urut:04d}"


def nik_sah() -> list[str]:
    """Valid NIKs from the Python side: both sexes, month ends, leap days, today and the day
    after it (a century earlier), several regions and serials."""
    tanggal = [
        date(1980, 3, 9),
        date(1999, 12, 31),
        date(2000, 2, 29),
        date(1996, 2, 29),
        date(2024, 2, 29),
        date(2026, 12, 3),
        date(2026, 12, 4),
        date(1926, 12, 4),
        date(2010, 1, 1),
        date(1955, 6, 30),
        date(2001, 11, 30),
    ]
    hasil = []
    for t, jk, urut in itertools.product(tanggal, "LP", (1, 9999, 4821)):
        hasil.append(_sah(t, jk, urut))
    hasil += [_sah(date(1985, 4, 12), "L", 1, w) for w in ("110101", "947101", "000000", "999999")]
    return hasil


def no_kk_sah() -> list[str]:
    return ["6271011501120001", "6271013213999999", "0000000000000001", "6271019999990042"]


def korpus() -> list[tuple[str, str]]:
    """(value, part of the refusal message) of each line of the bad-input corpus."""
    with open(CORPUS, encoding="utf-8") as f:
        baris = f.read().splitlines()
    return [tuple(b.split("\t")) for b in baris if b and not b.startswith("#")]


def masukan() -> list[str]:
    nilai = [""] + [v for v, _ in korpus()]
    sah = nik_sah()
    nilai += sah + no_kk_sah()
    contoh = [sah[0], sah[7], "6271011204850001"]
    for n, ch in itertools.product(contoh, SISIPAN):
        nilai += [ch + n, n + ch, n[:8] + ch + n[8:], n[:4] + ch + n[4:8] + ch + n[8:], ch]
    # Lengths around the limits; Excel's renderings; the text apostrophe; the date block.
    nilai += ["1" * 15, "1" * 17, "1" * 64, "1" * 65, " " * 70 + "6271011204850001", "'", "''1"]
    nilai += ["'6271011204850001", "6.27101E+15", "6,27E+15", "1e5", "12.00", "12,0", "1.5"]
    nilai += [
        f"627101{dd:02d}{mm:02d}{yy:02d}0001"
        for dd in (0, 1, 29, 30, 31, 32, 40, 41, 69, 70, 71, 72, 99)
        for mm in (0, 1, 2, 4, 12, 13)
        for yy in (0, 1, 24, 26, 27, 99)
    ]
    return list(dict.fromkeys(nilai))


def vonis_py(fungsi, nilai, today):
    try:
        return {"ok": True, "nilai": fungsi(nilai, today=today)}
    except ValidationError as error:
        return {"ok": False, "kode": error.code, "pesan": error.messages[0]}


VONIS_JS = """async ({url, kasus, hari}) => {
  const a = await import(url);
  const hasil = [];
  for (const h of hari) for (const v of kasus) {
    hasil.push([a.periksaNik(v, {today: h}), a.periksaNoKk(v)]);
  }
  return hasil;
}"""


def test_nik_and_no_kk_rules_give_the_same_verdict_in_the_browser(page_factory, live_server):
    from django.templatetags.static import static

    page = page_factory()
    page.goto("/accounts/login/")
    kasus = masukan()
    assert len(kasus) > 1000
    url = static("js/offline/aturan.js")
    js = page.evaluate(VONIS_JS, {"url": url, "kasus": kasus, "hari": HARI})
    beda = []
    diterima = ditolak = 0
    for (h, v), (nik_js, kk_js) in zip(itertools.product(HARI, kasus), js, strict=True):
        today = date.fromisoformat(h)
        nik_py = vonis_py(periksa_nik, v, today)
        kk_py = vonis_py(periksa_no_kk, v, today)
        if nik_py != nik_js:
            beda.append(("NIK", h, repr(v), nik_py, nik_js))
        if kk_py != kk_js:
            beda.append(("No KK", h, repr(v), kk_py, kk_js))
        diterima += nik_py["ok"]
        ditolak += not nik_py["ok"]
    assert not beda, f"{len(beda)} verdicts differ, e.g. {beda[:5]}"
    # Both kinds of verdict were exercised, every corpus line among the refusals.
    assert diterima > 100 and ditolak > 1000
    for nilai, potongan in korpus():
        assert potongan in vonis_py(periksa_nik, nilai, date(2026, 12, 3))["pesan"]


PERINGATAN_JS = """async ({url, kasus}) => {
  const a = await import(url);
  return kasus.map(([nik, tgl, jk, h]) =>
    a.peringatanNik(nik, {tanggalLahir: tgl, jenisKelamin: jk, today: h}));
}"""


def test_nik_warnings_are_the_same_in_the_browser(page_factory, live_server):
    from django.templatetags.static import static

    page = page_factory()
    page.goto("/accounts/login/")
    dicatat = [None, date(1980, 3, 9), date(2080, 3, 9), date(1980, 3, 10), date(2000, 2, 29)]
    kasus = [
        (nik, t.isoformat() if t else "", jk, h)
        for nik in nik_sah()[::3] + ["", "6271013204850001", "bukan nik"]
        for t in dicatat
        for jk in ("", "L", "P", "perempuan", " laki-laki ")
        for h in HARI[:2]
    ]
    js = page.evaluate(PERINGATAN_JS, {"url": static("js/offline/aturan.js"), "kasus": kasus})
    beda = []
    ada_peringatan = 0
    for (nik, t, jk, h), dari_js in zip(kasus, js, strict=True):
        py = peringatan_nik(
            nik,
            tanggal_lahir=date.fromisoformat(t) if t else None,
            jenis_kelamin=jk,
            today=date.fromisoformat(h),
        )
        ada_peringatan += bool(py)
        if py != dari_js:
            beda.append((nik, t, jk, h, py, dari_js))
    assert not beda, f"{len(beda)} warnings differ, e.g. {beda[:3]}"
    assert ada_peringatan > 50
