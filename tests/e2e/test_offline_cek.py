"""Offline checks in Debian's Chromium: the browser's NIK / No KK rules give the server's verdict
for every input, desa and categories are in the cached forms, a duplicate hint works from hashes,
a form posted after the session expired keeps its typing, and two devices editing one person
meet the conflict queue."""

import itertools
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from playwright.sync_api import expect

from pendataan.nik import periksa_nik, periksa_no_kk, peringatan_nik
from tests.conftest import PASSWORD
from tests.e2e import test_offline as _luring
from tests.e2e.conftest import screenshot
from tests.e2e.test_offline import (
    baris,
    idb,
    isi_keluarga,
    keluarga_di_server,
    satu_keluarga,
    siap_luring,
    tunggu,
    tunggu_kosong,
)
from tests.matrix.keluarga import nik_baru, no_kk_baru

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The offline tests' fixtures: the loopback proxy that really cuts the network, browser contexts
# behind it, and the TKSK.
jaringan = _luring.jaringan
konteks = _luring.konteks
tksk = _luring.tksk

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


# --- offline forms: the same refusals before an entry is queued ---------------------------------
# A NIK whose date block is day 32 and a No KK with serial 0000: 16 digits each, so the page's
# quick checks let them through; only the server's rules (and now the browser's copy) refuse.
NIK_HARI_32 = "6271013207840001"
KK_0000 = "6271011501120000"


def test_offline_entry_meets_the_servers_nik_rules_before_it_is_queued(konteks, jaringan, tksk):
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    no_kk = no_kk_baru()
    jaringan.putus()
    page.goto("/pendataan/keluarga/baru/")
    isi_keluarga(page, KK_0000)
    page.fill("#id_anggota-1-nik", NIK_HARI_32)
    page.get_by_role("button", name="Simpan", exact=True).click()
    # The worker could not reach the server; the page checks the typing before queueing it.
    galat = page.get_by_test_id("galat-aturan")
    expect(galat).to_have_count(2)
    expect(galat.nth(0)).to_have_text(
        "No KK tidak valid: 4 digit terakhir (nomor urut) tidak boleh 0000."
    )
    expect(galat.nth(1)).to_contain_text("Digit ke-7–8 NIK adalah tanggal lahir")
    expect(page.get_by_test_id("galat-aturan-ringkas")).to_be_visible()
    assert page.input_value("#id_anggota-1-nik") == NIK_HARI_32
    assert page.input_value("#id_anggota-2-nama") == "Budi Kahayan"
    assert not idb(page, "outbox")
    screenshot(page, "offline-aturan-nik")
    # Corrected, it is queued.
    page.fill("#id_no_kk", no_kk)
    page.fill("#id_anggota-1-nik", nik_baru(date(1984, 7, 21), "P"))
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan")
    (op,) = idb(page, "outbox")

    # The browser itself knows it is offline: the page takes the submit over, same rules.
    c.set_offline(True)
    page.goto("/pendataan/keluarga/baru/")
    isi_keluarga(page, no_kk_baru())
    page.fill("#id_anggota-0-nik", NIK_HARI_32)
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_test_id("galat-aturan")).to_contain_text("Digit ke-7–8 NIK")
    assert [o["op_id"] for o in idb(page, "outbox")] == [op["op_id"]]
    c.set_offline(False)

    jaringan.sambung()
    page.goto("/offline/")
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page)
    satu_keluarga(no_kk, op)


def test_desa_and_categories_work_in_the_cached_forms(konteks, jaringan, tksk):
    from pendataan.models import KategoriPPKS, KategoriPSKS
    from tksk.models import Tingkat, Wilayah
    from tksk.views_pwa import FORMULIR_OFFLINE

    page = konteks().new_page()
    siap_luring(page)
    tunggu(
        lambda: page.evaluate(
            """async (urls) => {
              for (const k of await caches.keys()) {
                const c = await caches.open(k);
                const ada = await Promise.all(urls.map((u) => c.match(u, {ignoreVary: true})));
                if (ada.every(Boolean)) return true;
              }
              return false;
            }""",
            ["/pendataan/ppks/baru/", "/pendataan/psks/baru/"],
        ),
        apa="forms cached",
    )
    assert "pendataan:ppks-create" in FORMULIR_OFFLINE
    desa = sorted(
        Wilayah.objects.for_user(tksk).filter(tingkat=Tingkat.DESA).values_list("pk", flat=True)
    )
    assert len(desa) > 3
    jaringan.putus()

    def pilihan(selector):
        return page.eval_on_selector_all(
            f"{selector} option", "os => os.map(o => o.value).filter(Boolean)"
        )

    page.goto("/pendataan/keluarga/baru/")
    assert sorted(int(v) for v in pilihan("#id_desa")) == desa
    page.select_option("#id_desa", str(desa[-1]))
    page.goto("/pendataan/ppks/baru/")
    assert len(pilihan("#id_kategori")) == KategoriPPKS.objects.count() == 26
    assert sorted(int(v) for v in pilihan("#id_desa")) == desa
    page.goto("/pendataan/psks/baru/")
    assert len(pilihan("#id_kategori")) == KategoriPSKS.objects.count() == 12
    assert sorted(int(v) for v in pilihan("#id_desa")) == desa


def test_duplicate_hint_offline_from_salted_hashes_never_the_nik(konteks, jaringan, tksk):
    from pendataan.services import keluarga_simpan
    from tests.matrix.keluarga import anggota_data
    from tksk.models import Wilayah

    desa = Wilayah.objects.for_user(tksk).filter(tingkat="desa").order_by("kode").first()
    ada = anggota_data("Sri Katingan", tanggal_lahir=date(1979, 5, 2), jenis_kelamin="P")
    keluarga_simpan(
        pelaku=tksk, data={"no_kk": no_kk_baru(), "desa": desa, "alamat": "Katingan"}, anggota=[ada]
    )
    page = konteks().new_page()
    siap_luring(page)
    tunggu(lambda: any(r["nama"] == "referensi" for r in idb(page, "setelan") or []), apa="ref")
    tersimpan = json.dumps(idb(page, "setelan"))
    assert ada["nik"] not in tersimpan
    jaringan.putus()
    page.goto("/pendataan/keluarga/baru/")
    baris(page, 2)
    page.fill("#id_anggota-0-nik", nik_baru(date(1990, 1, 1), "L"))
    page.fill("#id_anggota-1-nik", ada["nik"])
    petunjuk = page.get_by_test_id("petunjuk-ganda")
    expect(petunjuk).to_have_count(1)
    expect(petunjuk).to_contain_text("sudah tercatat pada keluarga lain di data Anda")
    expect(petunjuk).to_contain_text("Sri Katingan")
    # The hint sits under the duplicate, not under the new number.
    assert page.locator("#id_anggota-1-nik ~ [data-petunjuk-ganda]").count() == 1
    page.fill("#id_anggota-1-nik", nik_baru(date(1979, 5, 2), "P"))
    page.locator("#id_anggota-1-nik").dispatch_event("change")
    expect(petunjuk).to_have_count(0)


# --- item 12: a form posted after the session ended keeps its typing -----------------------------
@pytest.mark.parametrize(
    "kue",
    [("sessionid",), ("sessionid", "csrftoken")],
    ids=["login-redirect", "csrf-403"],
)
def test_form_posted_after_the_session_ended_is_sent_once_after_login(konteks, jaringan, tksk, kue):
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    page.goto("/pendataan/keluarga/baru/")
    # The session ends while the form is open (logged out elsewhere, idle timeout, cookies gone).
    for nama in kue:
        c.clear_cookies(name=nama)
    no_kk = no_kk_baru()
    isi_keluarga(page, no_kk)
    page.get_by_role("button", name="Simpan", exact=True).click()
    pesan = page.get_by_test_id("sesi-berakhir")
    expect(pesan).to_contain_text("Sesi Anda berakhir — isian Anda tersimpan")
    screenshot(page, f"sesi-berakhir-{'-'.join(kue)}")
    (op,) = idb(page, "outbox")
    assert op["entitas"] == "keluarga" and len(op["data"]["anggota"]) == 3
    assert op["pengguna"] == "tksk.sungai"
    # Nothing leaves before the user has logged in again.
    page.wait_for_timeout(1500)
    assert keluarga_di_server(no_kk) == []
    if "/accounts/login/" not in page.url:
        page.get_by_role("link", name="Masuk lagi").click()
    page.fill("#id_username", "tksk.sungai")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/pendataan/keluarga/baru/")
    tunggu_kosong(page)
    satu_keluarga(no_kk, op)
    # The typing does not come back as a draft over the next new household.
    page.reload()
    page.locator("#id_alamat").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_test_id("draf-dipulihkan").count() == 0
    assert page.input_value("#id_alamat") == ""
    assert len(keluarga_di_server(no_kk)) == 1


def test_a_form_saved_online_is_not_queued_again_when_the_session_ends_later(
    konteks, jaringan, tksk
):
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    page.goto("/pendataan/keluarga/baru/")
    no_kk = no_kk_baru()
    isi_keluarga(page, no_kk)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/pendataan/keluarga/*/")
    assert len(keluarga_di_server(no_kk)) == 1
    c.clear_cookies(name="sessionid")
    page.goto("/pendataan/keluarga/baru/")
    page.wait_for_url("**/accounts/login/**")
    page.wait_for_timeout(500)
    assert page.get_by_test_id("sesi-berakhir").count() == 0
    assert not idb(page, "outbox")


# --- scenario 6 of OFFLINE.md: two devices edit one person offline ------------------------------
def _cache_punya(page, url):
    return page.evaluate(
        """async (url) => {
          for (const k of await caches.keys()) {
            if (await (await caches.open(k)).match(url, {ignoreVary: true})) return true;
          }
          return false;
        }""",
        url,
    )


def _ubah_luring(page, url, isian):
    page.goto(url)
    for selector, nilai in isian.items():
        page.fill(selector, nilai)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan")
    expect(page.get_by_test_id("item-antrean")).to_have_count(1)


def test_two_devices_edit_one_person_offline_merge_and_conflict(konteks, jaringan, tksk):
    from pendataan.models import Individu, Keluarga
    from pendataan.services import keluarga_simpan
    from sinkron.models import Konflik
    from tests.conftest import make_user
    from tests.matrix.keluarga import anggota_data
    from tksk.models import AuditLog, Wilayah

    rekan = make_user("tksk.sungai2", "tksk", "62.71.01", first_name="Dewi", last_name="Lestari")
    desa = Wilayah.objects.for_user(tksk).filter(tingkat="desa").order_by("kode").first()
    kel = keluarga_simpan(
        pelaku=tksk,
        data={"no_kk": no_kk_baru(), "desa": desa, "alamat": "Jl. Awal 1"},
        anggota=[anggota_data("Rahmat Seruyan", pekerjaan="Petani")],
    ).keluarga
    orang = kel.anggota.get()
    url = f"/pendataan/keluarga/{kel.uuid}/ubah/"

    # Two phones, each logged in once with a connection; the edit form cached when opened.
    hp_a = konteks().new_page()
    siap_luring(hp_a, "tksk.sungai2")
    hp_b = konteks().new_page()
    siap_luring(hp_b, "tksk.sungai")
    for hp in (hp_a, hp_b):
        hp.goto(url)
        tunggu(lambda hp=hp: _cache_punya(hp, url), apa="edit form cached")

    jaringan.putus()
    _ubah_luring(hp_a, url, {"#id_alamat": "Jl. Dermaga 7"})
    _ubah_luring(
        hp_b, url, {"#id_alamat": "Jl. Pasar Lama 2", "#id_anggota-0-pekerjaan": "Nelayan"}
    )
    # Phone B is put away (its page unloaded, so no retry timer of its own can fire) until
    # phone A has sent: the order the assertions below describe, whatever the machine's load.
    hp_b.goto("about:blank")
    jaringan.sambung()
    hp_a.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(hp_a)
    hp_b.goto("/offline/")  # opening the app drains its outbox
    tunggu_kosong(hp_b)
    (terima,) = idb(hp_b, "tanda_terima")
    assert terima["status"] == "konflik"

    # The occupation, changed on one side only, is merged; the address waits in the queue.
    kel.refresh_from_db()
    assert kel.alamat == "Jl. Dermaga 7"
    assert Individu.objects.get(pk=orang.pk).pekerjaan == "Nelayan"
    (k,) = Konflik.objects.filter(objek_uuid=kel.uuid)
    assert (k.field, k.nilai_saya, k.nilai_server, k.nilai_dasar) == (
        "alamat",
        "Jl. Pasar Lama 2",
        "Jl. Dermaga 7",
        "Jl. Awal 1",
    )
    assert (k.penulis_saya, k.penulis_server) == (tksk, rekan)
    assert Keluarga.objects.count() == 1 and Individu.objects.count() == 1

    # The TKSK resolves it on the conflict page (mine / theirs / base), at 360 px.
    hp_b.goto("/sinkron/konflik/")
    daftar = hp_b.get_by_test_id("daftar-konflik")
    expect(daftar).to_contain_text("Jl. Pasar Lama 2")
    expect(daftar).to_contain_text("Jl. Dermaga 7")
    screenshot(hp_b, "konflik-daftar")
    daftar.get_by_role("link").first.click()
    nilai = hp_b.get_by_test_id("nilai-konflik")
    expect(nilai).to_contain_text("Dewi Lestari")
    expect(nilai).to_contain_text("Rahmat Hidayat")
    expect(nilai).to_contain_text("Jl. Awal 1")
    screenshot(hp_b, "konflik-detail")
    hp_b.get_by_role("button", name="Pakai nilai perangkat").click()
    expect(hp_b.get_by_text("Konflik diselesaikan.")).to_be_visible()
    kel.refresh_from_db()
    assert kel.alamat == "Jl. Pasar Lama 2"
    assert Individu.objects.get(pk=orang.pk).pekerjaan == "Nelayan"
    k.refresh_from_db()
    assert k.status == "selesai" and k.pilihan == "saya" and k.diselesaikan_oleh == tksk
    (jejak,) = AuditLog.objects.filter(aksi="konflik_selesai")
    assert jejak.pelaku == tksk
    assert jejak.data["penulis_saya"] == "tksk.sungai"
    assert jejak.data["penulis_server"] == "tksk.sungai2"
    assert jejak.data["field"] == "alamat" and jejak.data["pilihan"] == "saya"


# --- a phone shared by two TKSK: one's entries never go, nor show, under the other's name -------
def _setelan(page, nama):
    return next((r["nilai"] for r in idb(page, "setelan") or [] if r["nama"] == nama), None)


def _masuk_di_hp(page, username):
    """The session ends (cookies gone) and a TKSK logs in on the same phone with a connection."""
    page.context.clear_cookies()
    siap_luring(page, username)
    tunggu(lambda: (_setelan(page, "token") or {}).get("pengguna") == username, apa="own token")


def test_shared_phone_sends_each_entry_only_as_its_own_user(konteks, jaringan, tksk):
    from tests.conftest import make_user

    make_user("tksk.sungai2", "tksk", "62.71.01", first_name="Dewi", last_name="Lestari")
    hp = konteks().new_page()
    siap_luring(hp, "tksk.sungai")
    no_kk = no_kk_baru()
    jaringan.putus()
    hp.goto("/pendataan/keluarga/baru/")
    isi_keluarga(hp, no_kk)
    hp.get_by_role("button", name="Simpan", exact=True).click()
    hp.wait_for_url("**/offline/#tersimpan")
    hp.goto("about:blank")  # the phone is put down; the signal comes back
    jaringan.sambung()

    # A colleague logs in on the same phone: the app drains on opening, not her colleague's entry.
    _masuk_di_hp(hp, "tksk.sungai2")
    hp.goto("/offline/")
    tunggu(lambda: _setelan(hp, "galat_terakhir") is None, apa="a drain that succeeded")
    assert len(idb(hp, "outbox")) == 1
    assert keluarga_di_server(no_kk) == []
    lain = hp.get_by_test_id("antrean-lain")
    expect(lain).to_contain_text("1 data milik tksk.sungai")
    expect(hp.get_by_test_id("item-antrean")).to_have_count(0)
    expect(hp.locator("[data-daftar-antrean]")).not_to_contain_text("Rahmat Kahayan")
    expect(hp.get_by_test_id("milik-lain")).to_contain_text("terkirim saat pengguna itu masuk")
    expect(hp.get_by_test_id("belum-terkirim")).to_have_count(0)
    screenshot(hp, "hp-bersama-milik-lain")

    # Its own user logs in again: it goes, in his name, exactly once.
    _masuk_di_hp(hp, "tksk.sungai")
    tunggu_kosong(hp)
    (kel,) = keluarga_di_server(no_kk)
    assert kel.dibuat_oleh == tksk
    (terima,) = idb(hp, "tanda_terima")
    assert (terima["status"], terima["pengguna"]) == ("tersimpan", "tksk.sungai")
