"""Working without signal, in Debian's Chromium: the network really goes away (a loopback proxy in
front of the live server is cut, for the page and the service worker alike), and what was typed
reaches the server exactly once when it comes back."""

import json
import time
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import ARGS, CHROMIUM, PHONE, login, screenshot
from tests.e2e.proxy import Proxy
from tests.matrix.keluarga import nik_baru, no_kk_baru

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Reads a store of the app's IndexedDB without ever creating the database.
BACA_IDB = """async (store) => new Promise((resolve) => {
  const r = indexedDB.open('tksk-offline');
  r.onupgradeneeded = () => r.transaction.abort();
  r.onerror = () => resolve(null);
  r.onsuccess = () => {
    const db = r.result;
    if (!db.objectStoreNames.contains(store)) { db.close(); resolve(null); return; }
    const g = db.transaction(store).objectStore(store).getAll();
    g.onsuccess = () => { db.close(); resolve(g.result); };
  };
})"""


@pytest.fixture
def jaringan(live_server):
    proxy = Proxy(live_server.url)
    yield proxy
    proxy.tutup()


@pytest.fixture
def tksk(db):
    return make_user("tksk.sungai", "tksk", "62.71.01", first_name="Rahmat", last_name="Hidayat")


@pytest.fixture
def konteks(browser, jaringan):
    dibuka = []

    def buat():
        c = browser.new_context(viewport=PHONE, locale="id-ID", base_url=jaringan.url)
        c.set_default_timeout(15000)
        dibuka.append(c)
        return c

    yield buat
    for c in dibuka:
        c.close()


def idb(page, store):
    return page.evaluate(BACA_IDB, store)


def siap_luring(page, username="tksk.sungai"):
    """Log in online, let the worker install and cache the forms, and the device token arrive."""
    login(page, username, PASSWORD)
    page.goto("/pendataan/keluarga/baru/")
    tunggu(
        lambda: page.evaluate(
            "navigator.serviceWorker.getRegistration().then(r => !!(r && r.active))"
        ),
        timeout=90.0,
        apa="worker",
        keadaan=lambda: page.evaluate(
            """navigator.serviceWorker.getRegistration().then(r => r ? JSON.stringify({
              i: r.installing && r.installing.state, w: r.waiting && r.waiting.state,
              a: r.active && r.active.state}) : 'none')"""
        ),
    )
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    tunggu(
        lambda: page.evaluate(
            """async () => {
          for (const k of await caches.keys()) {
            const c = await caches.open(k);
            if (await c.match('/pendataan/keluarga/baru/', {ignoreVary: true})) return true;
          }
          return false;
        }"""
        )
    )
    tunggu(lambda: any(r["nama"] == "token" for r in idb(page, "setelan") or []), apa="token")


def isi_anggota(page, i, *, nama, jk, lahir, hubungan, nik=""):
    p = f"#id_anggota-{i}-"
    page.fill(p + "nik", nik or nik_baru(lahir, jk))
    page.fill(p + "nama", nama)
    page.select_option(p + "jenis_kelamin", jk)
    page.fill(p + "tanggal_lahir", lahir.isoformat())
    page.select_option(p + "hubungan", hubungan)


def baris(page, n):
    while page.locator("[data-anggota-baris]:not(.d-none)").count() < n:
        page.click("[data-tambah-anggota]")


def isi_keluarga(page, no_kk, anggota=3, kepala=True):
    page.fill("#id_no_kk", no_kk)
    page.select_option("#id_desa", index=1)
    page.fill("#id_alamat", "Jl. Sungai Kahayan RT 3")
    baris(page, anggota)
    orang = [
        ("Rahmat Kahayan", "L", date(1980, 3, 9), "kepala_keluarga" if kepala else "anak"),
        ("Siti Kahayan", "P", date(1984, 7, 21), "istri"),
        ("Budi Kahayan", "L", date(2010, 1, 5), "anak"),
    ]
    for i, (nama, jk, lahir, hub) in enumerate(orang[:anggota]):
        isi_anggota(page, i, nama=nama, jk=jk, lahir=lahir, hubungan=hub)


def tunggu(syarat, timeout=30.0, jeda=0.25, apa="", keadaan=None, page=None):
    """Poll `syarat`; with `page`, wait inside Playwright so that route handlers run meanwhile."""
    batas = time.monotonic() + timeout
    while True:
        hasil = syarat()
        if hasil:
            return hasil
        if time.monotonic() > batas:
            raise AssertionError(f"waktu habis menunggu {apa} {keadaan() if keadaan else ''}")
        if page is not None:
            page.wait_for_timeout(jeda * 1000)
        else:
            time.sleep(jeda)


def tunggu_kosong(page, timeout=30.0):
    tunggu(lambda: idb(page, "outbox") == [], timeout, jeda=0.05, page=page)


def keluarga_di_server(no_kk):
    from pendataan.models import Keluarga

    return list(Keluarga.objects.filter(no_kk=no_kk))


# --- 1, 11: a household with three members typed offline, reloaded, sent when online ----------
def test_household_offline_reload_then_online_exactly_once(konteks, jaringan, tksk):
    page = konteks().new_page()
    page.on("console", lambda m: print("CONSOLE", m.type, m.text))
    page.on("pageerror", lambda e: print("PAGEERROR", e))
    siap_luring(page)
    no_kk = no_kk_baru()

    jaringan.putus()
    page.goto("/pendataan/keluarga/baru/")
    isi_keluarga(page, no_kk)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan")
    page.get_by_text("Tersimpan di perangkat ini").wait_for()
    expect(page.get_by_test_id("item-antrean")).to_have_count(1)
    assert "Keluarga: Rahmat Kahayan" in page.get_by_test_id("item-antrean").inner_text()
    expect(page.get_by_test_id("belum-terkirim")).to_contain_text("1 belum terkirim")
    # 11: persistence was asked at this first offline save, and its answer is shown.
    penyimpanan = page.locator("[data-penyimpanan]")
    expect(penyimpanan).to_contain_text("Penyimpanan tetap:")
    assert penyimpanan.get_attribute("data-persisten") in ("ya", "ditolak")
    assert "Penyimpanan tetap:" in penyimpanan.inner_text()
    screenshot(page, "offline-beranda")
    assert keluarga_di_server(no_kk) == []
    # Any page, a form opened from the cache included, shows what waits.
    page.goto("/pendataan/ppks/baru/")
    expect(page.get_by_test_id("belum-terkirim")).to_contain_text("1 belum terkirim (terlama")
    screenshot(page, "offline-formulir-belum-terkirim")
    page.goto("/offline/")

    page.reload()
    expect(page.get_by_test_id("item-antrean")).to_have_count(1)
    (op,) = idb(page, "outbox")
    assert op["entitas"] == "keluarga" and op["aksi"] == "buat"
    assert len(op["data"]["anggota"]) == 3
    assert len({a["uuid"] for a in op["data"]["anggota"]}) == 3

    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page)
    (kel,) = keluarga_di_server(no_kk)
    assert str(kel.uuid) == op["uuid"]
    assert sorted(str(a.uuid) for a in kel.anggota.all()) == sorted(
        a["uuid"] for a in op["data"]["anggota"]
    )
    assert kel.anggota.count() == 3
    page.reload()
    page.get_by_test_id("antrean-kosong").wait_for()
    assert "Keluarga: Rahmat Kahayan" in page.get_by_test_id("item-terima").first.inner_text()
    expect(page.get_by_test_id("belum-terkirim")).to_have_count(0)


# --- 10: a cold start with no network opens the app shell --------------------------------------
def test_cold_start_offline_opens_the_offline_home(konteks, jaringan, tksk):
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    page.close()
    jaringan.putus()
    page = c.new_page()
    page.goto("/")
    page.get_by_role("heading", name="Data di perangkat ini", exact=True).wait_for()
    expect(page.get_by_test_id("antrean-kosong")).to_be_visible()
    # The stylesheet came from the precache too.
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    # A form opens from the worker's cache, with the network cut, quickly.
    mulai = time.monotonic()
    page.goto("/pendataan/keluarga/baru/")
    page.locator("#id_no_kk").wait_for()
    page.wait_for_load_state("load")
    durasi = time.monotonic() - mulai
    print(f"household form from the worker, network cut: {durasi * 1000:.0f} ms")
    assert durasi < 2.0


# --- drafts survive closing the page ---------------------------------------------------------
def test_draft_autosaves_and_is_restored(konteks, jaringan, tksk):
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    jaringan.putus()
    page.goto("/pendataan/keluarga/baru/")
    page.fill("#id_alamat", "Dusun Tumbang Talaken")
    baris(page, 2)
    page.fill("#id_anggota-1-nama", "Ani Talaken")
    page.wait_for_timeout(600)
    page.close()
    page = c.new_page()
    page.goto("/pendataan/keluarga/baru/")
    page.get_by_test_id("draf-dipulihkan").wait_for()
    assert page.input_value("#id_alamat") == "Dusun Tumbang Talaken"
    assert page.input_value("#id_anggota-1-nama") == "Ani Talaken"
    page.goto("/offline/")
    expect(page.get_by_test_id("item-draf")).to_have_count(1)
    # Posted (here into the outbox), the draft is gone; it never comes back over a new form.
    page.goto("/pendataan/keluarga/baru/")
    page.get_by_test_id("draf-dipulihkan").wait_for()
    # The browser's checks want a whole household before it is queued: complete the draft.
    isi_keluarga(page, no_kk_baru())
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan")
    expect(page.get_by_test_id("item-draf")).to_have_count(0)
    page.goto("/pendataan/keluarga/baru/")
    page.locator("#id_alamat").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_test_id("draf-dipulihkan").count() == 0
    assert page.input_value("#id_alamat") == ""


def simpan_luring(page, jaringan, no_kk, **kw):
    """Cut the network, type a household and tap Simpan: it lands in the outbox."""
    jaringan.putus()
    page.goto("/pendataan/keluarga/baru/")
    isi_keluarga(page, no_kk, **kw)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan")
    expect(page.get_by_test_id("item-antrean")).to_have_count(1)
    return idb(page, "outbox")[0]


def satu_keluarga(no_kk, op):
    (kel,) = keluarga_di_server(no_kk)
    assert str(kel.uuid) == op["uuid"]
    assert kel.anggota.count() == len(op["data"]["anggota"])
    return kel


# --- 2: closed and reopened (a persistent profile) before the network returns ------------------
def test_browser_closed_and_reopened_before_the_network_returns(browser, jaringan, tksk, tmp_path):
    profil = tmp_path / "profil"

    def buka():
        c = browser.browser_type.launch_persistent_context(
            str(profil),
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport=PHONE,
            locale="id-ID",
            base_url=jaringan.url,
        )
        c.set_default_timeout(15000)
        return c

    c = buka()
    page = c.pages[0] if c.pages else c.new_page()
    siap_luring(page)
    no_kk = no_kk_baru()
    op = simpan_luring(page, jaringan, no_kk)
    c.close()

    c = buka()
    try:
        page = c.pages[0] if c.pages else c.new_page()
        page.goto("/")
        page.get_by_role("heading", name="Data di perangkat ini", exact=True).wait_for()
        expect(page.get_by_test_id("item-antrean")).to_have_count(1)
        assert keluarga_di_server(no_kk) == []
        jaringan.sambung()
        page.get_by_role("button", name="Kirim sekarang").first.click()
        tunggu_kosong(page)
        satu_keluarga(no_kk, op)
    finally:
        c.close()


# --- 3: the network drops in the middle of a sync -------------------------------------------------
def test_network_drops_mid_sync_one_copy_after_retry(konteks, jaringan, tksk, settings):
    settings.OFFLINE_JEDA_AWAL_MS = 300
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    no_kk = no_kk_baru()
    op = simpan_luring(page, jaringan, no_kk)
    panggilan = []

    def potong(route):
        panggilan.append(time.monotonic())
        if len(panggilan) == 1:
            # The server receives and stores the batch; its answer never reaches the phone.
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    c.route("**/api/v1/sinkron/", potong)
    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page)
    assert len(panggilan) >= 2
    satu_keluarga(no_kk, op)
    from pendataan.models import Individu, Keluarga

    assert Keluarga.objects.count() == 1 and Individu.objects.count() == 3


# --- 4: 500 three times, then 200 ------------------------------------------------------------
def test_server_errors_are_retried_with_backoff_never_dropped(konteks, jaringan, tksk, settings):
    settings.OFFLINE_JEDA_AWAL_MS = 400
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    no_kk = no_kk_baru()
    op = simpan_luring(page, jaringan, no_kk)
    panggilan = []

    def gagal_tiga_kali(route):
        panggilan.append(time.monotonic())
        if len(panggilan) <= 3:
            route.fulfill(status=500, body="galat")
        else:
            route.continue_()

    c.route("**/api/v1/sinkron/", gagal_tiga_kali)
    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu(lambda: len(panggilan) >= 3, apa="three failures", jeda=0.05, page=page)
    # Still waiting after three failures: nothing dropped.
    assert [o["op_id"] for o in idb(page, "outbox")] == [op["op_id"]]
    tunggu_kosong(page)
    assert len(panggilan) == 4
    jeda = [b - a for a, b in zip(panggilan, panggilan[1:], strict=False)]
    # Backoff: each pause longer than the one before (400 ms, 800 ms, 1600 ms).
    assert jeda[0] >= 0.35 and jeda[1] > jeda[0] and jeda[2] > jeda[1], jeda
    satu_keluarga(no_kk, op)


# --- 5: a validation error on replay: the form reopens with the typing and the message ----------
def test_refused_entry_reopens_its_form_with_typing_and_message(konteks, jaringan, tksk):
    from pendataan.models import Keluarga
    from tksk.models import Tingkat, Wilayah

    page = konteks().new_page()
    siap_luring(page)
    no_kk = no_kk_baru()
    simpan_luring(page, jaringan, no_kk)
    # Meanwhile the same No KK reaches the server from elsewhere: only the server can know, so the
    # browser's own checks let it through and the server's form refuses it.
    desa = Wilayah.objects.filter(tingkat=Tingkat.DESA, kode__startswith="62.71.01.").first()
    Keluarga.objects.create(no_kk=no_kk, desa=desa, alamat="Jl. Lain")
    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu(lambda: (idb(page, "outbox") or [{}])[0].get("keadaan") == "ditolak", apa="refusal")
    page.reload()
    item = page.get_by_test_id("item-antrean")
    expect(item).to_contain_text("Keluarga")
    expect(page.get_by_test_id("belum-terkirim")).to_contain_text("1 perlu diperbaiki")
    page.get_by_role("link", name="Buka dan perbaiki").click()
    page.get_by_test_id("dibuka-ulang").wait_for()
    assert page.input_value("#id_no_kk") == no_kk
    assert page.input_value("#id_alamat") == "Jl. Sungai Kahayan RT 3"
    assert page.input_value("#id_anggota-2-nama") == "Budi Kahayan"
    pesan = page.get_by_test_id("galat-offline").first.inner_text()
    assert "KK" in pesan, pesan
    screenshot(page, "offline-ditolak-dibuka")
    assert len(keluarga_di_server(no_kk)) == 1  # only the other one

    baru = no_kk_baru()
    page.fill("#id_no_kk", baru)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan")
    tunggu_kosong(page)
    (kel,) = keluarga_di_server(baru)
    assert kel.anggota.count() == 3
    assert kel.anggota.filter(hubungan="kepala_keluarga").count() == 1


# --- 8: a new service worker while items wait ---------------------------------------------------
VERSI_AKTIF = """() => new Promise((resolve) => {
  navigator.serviceWorker.getRegistration().then((r) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = (e) => resolve(e.data.versi);
    r.active.postMessage({type: 'versi'}, [ch.port2]);
  });
})"""


def test_new_worker_waits_until_the_outbox_is_empty(konteks, jaringan, tksk, monkeypatch):
    from tksk import views_pwa

    c = konteks()
    page = c.new_page()
    siap_luring(page)
    lama = page.evaluate(VERSI_AKTIF)
    no_kk = no_kk_baru()
    op = simpan_luring(page, jaringan, no_kk)
    # The server is back but refuses to answer the outbox for now.
    c.route("**/api/v1/sinkron/", lambda route: route.abort("connectionreset"))
    jaringan.sambung()
    monkeypatch.setattr(views_pwa, "_versi", lambda: "versi0baru01")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    tunggu(
        lambda: page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r.waiting)"),
        apa="waiting worker",
    )
    page.reload()
    expect(page.get_by_test_id("pembaruan-menunggu")).to_have_text(
        "Pembaruan tersedia — kirim data dulu"
    )
    page.wait_for_timeout(500)
    assert page.evaluate(VERSI_AKTIF) == lama
    assert [o["op_id"] for o in idb(page, "outbox")] == [op["op_id"]]

    c.unroute("**/api/v1/sinkron/")
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page)
    tunggu(lambda: page.evaluate(VERSI_AKTIF) == "versi0baru01", apa="takeover")
    satu_keluarga(no_kk, op)


# --- 12: export unsent → wipe the phone → import the file on the server ---------------------------
def test_export_wipe_and_import_on_the_server(konteks, jaringan, tksk, tmp_path):
    page = konteks().new_page()
    siap_luring(page)
    no_kk = no_kk_baru()
    op = simpan_luring(page, jaringan, no_kk)
    page.fill("#kata-sandi-ekspor", "sungai kahayan 2026")
    with page.expect_download() as unduhan:
        page.get_by_role("button", name="Ekspor berkas").click()
    berkas = tmp_path / "ekspor.json"
    unduhan.value.save_as(berkas)
    expect(page.locator("[data-hasil-ekspor]")).to_contain_text("1 data diekspor")
    amplop = json.loads(berkas.read_text())
    assert amplop["format"] == "tksk-outbox" and amplop["iterasi"] == 310000
    assert no_kk not in berkas.read_text()  # encrypted

    page.goto("/offline/#hapus")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Hapus data di perangkat ini").click()
    page.wait_for_url("**/offline/#dihapus")
    page.get_by_role("heading", name="Data di perangkat ini", exact=True).wait_for()
    tunggu(lambda: idb(page, "outbox") in ([], None), apa="wipe", page=page)
    # The cached form pages went with it; the app shell stays.
    tunggu(
        lambda: page.evaluate(
            """async () => {
              for (const k of await caches.keys()) {
                if (await (await caches.open(k)).match('/pendataan/keluarga/baru/')) return false;
              }
              return true;
            }"""
        ),
        apa="form cache wiped",
        page=page,
    )
    assert keluarga_di_server(no_kk) == []

    jaringan.sambung()
    for _ in range(2):
        page.goto("/sinkron/impor/")
        page.set_input_files("input[type=file]", str(berkas))
        page.fill("input[type=password]", "sungai kahayan 2026")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")
        expect(page.locator("main")).to_contain_text("tersimpan")
    satu_keluarga(no_kk, op)


# --- 13: a month of work: 500 waiting operations -------------------------------------------------
def test_500_operations_drain_in_batches(konteks, jaringan, world):
    import uuid

    from pendataan.models import PPKS, Individu, Keluarga
    from tests.matrix.keluarga import anggota_data
    from tests.sinkron.conftest import op as op_baru
    from tests.sinkron.conftest import op_keluarga
    from tksk.models import KategoriPPKS

    kategori = KategoriPPKS.objects.get(singkatan="FM").pk
    ops = []
    for i in range(100):
        o = op_keluarga(
            world,
            anggota=[
                anggota_data(nama=f"Kepala {i}"),
                anggota_data(nama=f"Istri {i}", hubungan="istri", jenis_kelamin="P"),
                anggota_data(nama=f"Anak {i}", hubungan="anak"),
                anggota_data(nama=f"Anak Dua {i}", hubungan="anak", jenis_kelamin="P"),
            ],
        )
        ops.append(o)
        for a in o["data"]["anggota"]:
            data = {
                "subjek": "individu",
                "individu": a["uuid"],
                "kategori": kategori,
                "tanggal_identifikasi": "2026-01-15",
                "status_penanganan": "belum",
            }
            ops.append(op_baru("ppks", "buat", uuid.uuid4(), data, setelah=[o["op_id"]]))
    assert len(ops) == 500

    c = konteks()
    page = c.new_page()
    siap_luring(page, "tksk_pahandut")
    jaringan.putus()
    page.goto("/offline/")
    page.evaluate(
        """async (ops) => {
          const m = await import('/static/js/offline/outbox.js');
          const t = Date.now();
          for (let i = 0; i < ops.length; i++) {
            const o = ops[i];
            o.label = o.entitas; o.path = '/pendataan/keluarga/baru/'; o.dibuat = t; o.urut = i;
            await m.tambah(o);
          }
        }""",
        ops,
    )
    page.reload()
    expect(page.get_by_test_id("belum-terkirim")).to_contain_text("500 belum terkirim")
    kiriman = []
    c.on("request", lambda r: kiriman.append(r) if r.url.endswith("/api/v1/sinkron/") else None)
    jaringan.sambung()
    mulai = time.monotonic()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page, timeout=120.0)
    detik = time.monotonic() - mulai
    print(f"\n500 operations drained from the browser: {detik:.1f} s in {len(kiriman)} requests")
    assert len(kiriman) == 10
    assert Keluarga.objects.count() == 100 and Individu.objects.count() == 400
    assert PPKS.objects.count() == 400
    assert detik < 90


# --- a revoked device: told at its next contact, offers the export, then the wipe ---------------
def test_revoked_device_offers_export_then_wipe(konteks, jaringan, tksk):
    from tksk.perangkat import Perangkat, cabut_perangkat

    page = konteks().new_page()
    siap_luring(page)
    no_kk = no_kk_baru()
    simpan_luring(page, jaringan, no_kk)
    cabut_perangkat(queryset=Perangkat.objects.filter(user=tksk), alasan="HP hilang")
    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    expect(page.get_by_test_id("perangkat-dicabut")).to_contain_text("tidak lagi diizinkan")
    expect(page.get_by_role("button", name="Hapus data di perangkat ini")).to_be_visible()
    # Nothing was dropped: the item waits for the export.
    assert len(idb(page, "outbox")) == 1
    assert keluarga_di_server(no_kk) == []
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Hapus data di perangkat ini").click()
    page.wait_for_url("**/offline/#dihapus")
    tunggu(lambda: idb(page, "outbox") in ([], None), apa="wipe", page=page)


# --- logout with unsent items asks first ---------------------------------------------------------
def test_logout_with_unsent_items_asks_first(konteks, jaringan, tksk):
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    simpan_luring(page, jaringan, no_kk_baru())
    c.route("**/api/v1/sinkron/", lambda route: route.abort("connectionreset"))
    jaringan.sambung()
    page.goto("/profil/")
    pesan = []

    def tolak(dialog):
        pesan.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", tolak)
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/offline/")
    assert "1 data belum terkirim" in pesan[0]
    # Still logged in: the session was not ended.
    page.goto("/profil/")
    assert "/accounts/login/" not in page.url


# --- an edit offline sends only what changed, with its base values ---------------------------
def test_household_edit_offline_sends_changed_fields_with_their_base(konteks, jaringan, world):
    from tests.matrix.keluarga import anggota_data, buat_keluarga

    kel = buat_keluarga(
        world,
        "pahandut",
        anggota=[
            anggota_data(nama="Kepala Edit", pekerjaan="Nelayan"),
            anggota_data(nama="Istri Edit", hubungan="istri", jenis_kelamin="P"),
        ],
    )
    kepala = kel.anggota.get(nama="Kepala Edit")
    page = konteks().new_page()
    siap_luring(page, "tksk_pahandut")
    url = f"/pendataan/keluarga/{kel.uuid}/ubah/"
    page.goto(url)  # opened online once: the edit form is now cached
    page.locator("#id_alamat").wait_for()
    jaringan.putus()
    page.goto(url)
    page.fill("#id_alamat", "Jl. Tepi Sungai 9")
    baris_kepala = page.locator(
        "[data-anggota-baris]", has=page.locator(f"input[value='{kepala.uuid}']")
    )
    baris_kepala.locator("input[name$='-pekerjaan']").fill("Petani karet")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan")
    (op,) = idb(page, "outbox")
    assert op["aksi"] == "ubah" and op["uuid"] == str(kel.uuid)
    assert op["versi_dasar"] == kel.versi
    assert op["data"]["alamat"] == "Jl. Tepi Sungai 9"
    assert op["dasar"]["alamat"] == "Jl. Tjilik Riwut No. 5"
    assert "no_kk" not in op["data"]  # unchanged fields are not sent
    assert op["data"]["anggota"] == [{"uuid": str(kepala.uuid), "pekerjaan": "Petani karet"}]
    assert op["dasar"]["anggota"] == [{"uuid": str(kepala.uuid), "pekerjaan": "Nelayan"}]
    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page)
    kel.refresh_from_db()
    kepala.refresh_from_db()
    assert kel.alamat == "Jl. Tepi Sungai 9" and kepala.pekerjaan == "Petani karet"
    assert kel.anggota.count() == 2


# --- 7: an offline edit of a verified record becomes a change request -------------------------
def test_offline_edit_of_a_verified_household_is_a_change_request(konteks, jaringan, world):
    from sinkron.models import PermintaanPerubahan
    from tests.matrix.keluarga import buat_keluarga

    kel = buat_keluarga(world, "pahandut", status="terverifikasi")
    page = konteks().new_page()
    siap_luring(page, "tksk_pahandut")
    url = f"/pendataan/keluarga/{kel.uuid}/ubah/"
    page.goto(url)
    page.locator("#id_alamat").wait_for()
    jaringan.putus()
    page.goto(url)
    page.fill("#id_alamat", "Jl. Alamat Baru 1")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan")
    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page)
    page.reload()
    expect(page.get_by_test_id("item-terima")).to_contain_text("permintaan perubahan")
    kel.refresh_from_db()
    assert kel.alamat == "Jl. Tjilik Riwut No. 5"
    assert PermintaanPerubahan.objects.count() == 1


# --- the TKSK's own kecamatan map comes with the offline app ------------------------------------
def test_kecamatan_map_on_the_offline_home_with_the_network_cut(konteks, jaringan, tksk):
    c = konteks()
    page = c.new_page()
    siap_luring(page)
    tunggu(
        lambda: page.evaluate("caches.match('/peta/kecamatan.svg').then(Boolean)"),
        apa="map cached",
    )
    page.close()
    jaringan.putus()
    page = c.new_page()
    page.goto("/offline/")
    peta = page.get_by_test_id("peta-luring")
    expect(peta).to_be_visible()
    page.wait_for_function(
        "document.querySelector('[data-peta-luring]').naturalWidth > 0", timeout=15000
    )
    screenshot(page, "offline-peta-360")
