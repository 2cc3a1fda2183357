"""Activities without signal, in Debian's Chromium with the network really cut (the loopback proxy
of test_offline.py): an activity with participants, a follow-up and a photo made small on the
phone; a referral; the photo's upload progress online; and an IndexedDB schema migration with
items waiting."""

import uuid
from datetime import date
from io import BytesIO

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, PHONE, screenshot
from tests.e2e.proxy import Proxy
from tests.e2e.test_offline import idb, siap_luring, tunggu, tunggu_kosong
from tests.matrix.keluarga import anggota_data, buat_keluarga
from tests.matrix.koordinasi import buat_mitra
from tests.matrix.ppks import buat_ppks
from tests.security import media_fixture  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PENGGUNA = "tksk_pahandut"


@pytest.fixture
def jaringan(live_server):
    """The cuttable network of test_offline.py."""
    proxy = Proxy(live_server.url)
    yield proxy
    proxy.tutup()


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


def foto_besar(lebar=4000, tinggi=3000) -> bytes:
    """A camera-sized JPEG: gradients, shapes and grain (a flat image would be unrealistically
    small after compression)."""
    from PIL import Image, ImageDraw, ImageFilter

    gambar = Image.linear_gradient("L").resize((lebar, tinggi)).convert("RGB")
    gambar = Image.merge(
        "RGB",
        (
            gambar.getchannel(0),
            Image.linear_gradient("L").rotate(90).resize((lebar, tinggi)),
            Image.effect_noise((lebar, tinggi), 40).filter(ImageFilter.GaussianBlur(1)),
        ),
    )
    d = ImageDraw.Draw(gambar)
    for i in range(0, lebar, 250):
        d.ellipse(
            (i, i * tinggi // lebar, i + 400, i * tinggi // lebar + 300), outline="white", width=9
        )
    keluaran = BytesIO()
    gambar.save(keluaran, "JPEG", quality=92)
    return keluaran.getvalue()


def isi_kegiatan(page, topik):
    page.select_option("#id_jenis", "rapat_koordinasi")
    page.fill("#id_topik", topik)
    page.select_option("#id_desa", index=1)
    page.fill("#id_tempat", "Balai Desa Pahandut")
    page.fill("#id_peserta_laki", "6")
    page.fill("#id_peserta_perempuan", "9")


def tambah_peserta(page, nama):
    page.fill("#cari-peserta-luring", nama[:6])
    page.locator("[data-hasil-peserta] button", has_text=nama).click()


def referensi_tersimpan(page):
    tunggu(
        lambda: any(r["nama"] == "referensi_kegiatan" for r in idb(page, "setelan") or []),
        apa="daftar keluarga",
    )


def foto_di_perangkat(page):
    """Sizes of the photos kept in the outbox's Blob store."""
    return page.evaluate(
        """() => new Promise((resolve) => {
          const r = indexedDB.open('tksk-offline');
          r.onsuccess = () => {
            const db = r.result;
            const g = db.transaction('berkas').objectStore('berkas').getAll();
            g.onsuccess = () => { db.close(); resolve(g.result.map((b) => ({
              ukuran: b.blob.size, jenis: b.blob.type, lebar: b.lebar, tinggi: b.tinggi}))); };
          };
        })"""
    )


# --- item 2 and 9: an activity with two participants, a follow-up and a photo, offline ---------
@pytest.mark.usefixtures("media")
def test_activity_with_participants_follow_up_and_photo_offline_exactly_once(
    konteks, jaringan, world, media
):
    from PIL import Image

    from koordinasi.models import FotoKegiatan, Kegiatan, TindakLanjut

    satu = buat_keluarga(world, "pahandut", anggota=[anggota_data(nama="Rahmat Kahayan")])
    dua = buat_keluarga(world, "pahandut", anggota=[anggota_data(nama="Siti Barito")])
    # Another kecamatan's household is never offered.
    buat_keluarga(world, "selat", anggota=[anggota_data(nama="Rahmat Selat")])
    page = konteks().new_page()
    page.on("pageerror", lambda e: print("PAGEERROR", e))
    siap_luring(page, PENGGUNA)
    # Opened once with signal: the form keeps the area's households on the device.
    page.goto("/koordinasi/kegiatan/baru/")
    referensi_tersimpan(page)

    jaringan.putus()
    page.goto("/koordinasi/kegiatan/baru/")
    expect(page.get_by_test_id("tambahan-luring")).to_be_visible()
    isi_kegiatan(page, "Koordinasi bantuan korban banjir")
    besar = foto_besar()
    assert len(besar) > 1024 * 1024
    page.set_input_files(
        "#foto-luring", files=[{"name": "kamera.jpg", "mimeType": "image/jpeg", "buffer": besar}]
    )
    ukuran = page.locator("[data-ukuran-foto]")
    expect(ukuran).to_have_count(1, timeout=30000)
    expect(ukuran).to_contain_text("1600×1200 px")
    page.get_by_test_id("foto-luring").locator("input").fill("Rapat di balai desa")
    page.fill("#cari-peserta-luring", "Rahmat")
    expect(page.locator("[data-hasil-peserta] button")).to_have_count(1)  # not Rahmat Selat
    tambah_peserta(page, "Rahmat Kahayan")
    tambah_peserta(page, "Siti Barito")
    expect(page.get_by_test_id("peserta-terpilih")).to_have_count(2)
    page.click("[data-tambah-tl]")
    page.fill("[data-tl=uraian]", "Kirim data korban ke Dinas Sosial kabupaten")
    screenshot(page, "offline-kegiatan-formulir")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/offline/#tersimpan", timeout=30000)

    expect(page.get_by_test_id("item-antrean")).to_have_count(5)
    ops = idb(page, "outbox")
    jenis = sorted(o["entitas"] for o in ops)
    assert jenis == ["foto", "kegiatan", "peserta", "peserta", "tindak_lanjut"]
    (induk,) = [o for o in ops if o["entitas"] == "kegiatan"]
    for o in ops:
        if o is not induk:
            assert o["setelah"] == [induk["op_id"]] and o["data"]["kegiatan"] == induk["uuid"]
    (berkas,) = foto_di_perangkat(page)
    assert berkas["jenis"] == "image/jpeg" and berkas["ukuran"] <= 300 * 1024
    assert max(berkas["lebar"], berkas["tinggi"]) == 1600
    expect(page.get_by_test_id("belum-terkirim")).to_contain_text("5 belum terkirim")
    screenshot(page, "offline-kegiatan-antre")
    assert not Kegiatan.objects.exists()

    page.reload()  # still there after a reload with no network
    expect(page.get_by_test_id("item-antrean")).to_have_count(5)
    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page, timeout=60.0)

    (keg,) = Kegiatan.objects.all()
    assert str(keg.uuid) == induk["uuid"] and keg.topik == "Koordinasi bantuan korban banjir"
    assert sorted(keg.peserta_keluarga.values_list("pk", flat=True)) == sorted([satu.pk, dua.pk])
    (tl,) = TindakLanjut.objects.all()
    assert tl.kegiatan == keg and tl.uraian == "Kirim data korban ke Dinas Sosial kabupaten"
    (foto,) = FotoKegiatan.objects.all()
    assert foto.kegiatan == keg and foto.keterangan == "Rapat di balai desa"
    assert max(foto.lebar, foto.tinggi) <= 1600
    disimpan = (media / foto.berkas.name).read_bytes()
    assert len(disimpan) <= 310 * 1024 and foto.ukuran == len(disimpan)
    with Image.open(BytesIO(disimpan)) as img:
        assert max(img.size) <= 1600 and img.format == "JPEG"
    assert foto_di_perangkat(page) == []  # the Blob went with its acknowledged entry
    page.reload()
    expect(page.get_by_test_id("item-terima")).to_have_count(5)


# --- item 9 online: the photo goes after its activity with a progress bar; Simpan is disabled ---
@pytest.mark.usefixtures("media")
def test_online_save_uploads_the_photo_after_the_activity_with_a_progress_bar(
    konteks, jaringan, world
):
    from koordinasi.models import FotoKegiatan, Kegiatan

    page = konteks().new_page()
    siap_luring(page, PENGGUNA)
    page.goto("/koordinasi/kegiatan/baru/")
    isi_kegiatan(page, "Penyuluhan sosial lansia")
    page.set_input_files(
        "#foto-luring",
        files=[{"name": "kamera.jpg", "mimeType": "image/jpeg", "buffer": foto_besar(3000, 4000)}],
    )
    expect(page.locator("[data-ukuran-foto]")).to_contain_text("1200×1600 px", timeout=30000)
    # A slow uplink (about 40 KB/s, as a weak mobile signal) so that the bar is seen moving.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 50, "downloadThroughput": -1, "uploadThroughput": 40000},
    )
    page.get_by_role("button", name="Simpan", exact=True).click()
    panel = page.get_by_test_id("kemajuan-unggah")
    expect(panel).to_contain_text("Mengunggah foto 1 dari 1", timeout=30000)
    # The activity is on the server before its photo; the button waits with the upload.
    (keg,) = Kegiatan.objects.all()
    expect(page.locator("form[data-testid=kegiatan-form] [type=submit]")).to_be_disabled()
    bar = panel.locator("progress")
    tunggu(lambda: 0 < float(bar.get_attribute("value") or 0) < 100, page=page, apa="kemajuan")
    assert not FotoKegiatan.objects.exists()
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "foto-kemajuan-unggah.png"))
    page.wait_for_url(f"**/koordinasi/kegiatan/{keg.uuid}/", timeout=60000)
    expect(page.get_by_test_id("daftar-foto").locator("img")).to_have_count(1)
    (foto,) = FotoKegiatan.objects.all()
    assert foto.kegiatan == keg and (foto.lebar, foto.tinggi) == (1200, 1600)


# --- a referral typed offline on a form opened before ----------------------------------------
def test_referral_offline_is_sent_once(konteks, jaringan, world):
    from koordinasi.models import Rujukan

    ppks = buat_ppks(world, "pahandut")
    buat_mitra(world, "pahandut", nama="UPT Puskesmas Pahandut")
    page = konteks().new_page()
    siap_luring(page, PENGGUNA)
    alamat = f"/koordinasi/rujukan/baru/{ppks.uuid}/"
    page.goto(alamat)  # opened with signal: the worker keeps this form
    jaringan.putus()
    page.goto(alamat)
    page.select_option("#id_mitra", label="UPT Puskesmas Pahandut")
    page.fill("#id_alasan", "Lansia tinggal sendiri, butuh pemeriksaan")
    page.fill("#id_layanan", "Pemeriksaan kesehatan")
    page.get_by_role("button", name="Kirim rujukan").click()
    page.wait_for_url("**/offline/#tersimpan", timeout=30000)
    (op,) = idb(page, "outbox")
    assert op["entitas"] == "rujukan" and op["data"]["ppks"] == str(ppks.uuid)
    assert not Rujukan.objects.exists()
    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page)
    (r,) = Rujukan.objects.all()
    assert str(r.uuid) == op["uuid"] and r.ppks == ppks
    ppks.refresh_from_db()
    assert ppks.status_penanganan == "dirujuk"


# --- scenario 9: an IndexedDB schema migration with items waiting ------------------------------
# The schema as the previous release (version 2) made it: its two migrations, verbatim.
SKEMA_LAMA = """async ({ token, ops }) => {
  await new Promise((resolve) => {
    const d = indexedDB.deleteDatabase('tksk-offline');
    d.onsuccess = d.onerror = d.onblocked = () => resolve();
  });
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('tksk-offline', 2);
    req.onupgradeneeded = (event) => {
      const db = req.result;
      if (event.oldVersion < 1) {
        const outbox = db.createObjectStore('outbox', { keyPath: 'op_id' });
        outbox.createIndex('keadaan', 'keadaan');
        db.createObjectStore('draf', { keyPath: 'kunci' });
        db.createObjectStore('setelan', { keyPath: 'nama' });
      }
      req.transaction.objectStore('outbox').createIndex('dibuat', 'dibuat');
      db.createObjectStore('tanda_terima', { keyPath: 'op_id' }).createIndex('waktu', 'waktu');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction(['outbox', 'setelan', 'draf'], 'readwrite');
    tx.objectStore('setelan').put({ nama: 'token', nilai: token });
    tx.objectStore('draf').put({ kunci: '/pendataan/ppks/baru/', waktu: Date.now(),
      judul: 'PPKS baru', isian: { entries: [['deskripsi', 'draf lama']], jamak: [] } });
    ops.forEach((o) => tx.objectStore('outbox').put(o));
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const versi = db.version;
  db.close();
  return versi;
}"""

VERSI_DB = """() => new Promise((resolve) => {
  const r = indexedDB.open('tksk-offline');
  r.onsuccess = () => {
    const db = r.result;
    const v = [db.version, Array.from(db.objectStoreNames)];
    db.close();
    resolve(v);
  };
})"""


def test_schema_migration_with_items_waiting_replays_them(konteks, jaringan, world):
    from pendataan.models import Individu, Keluarga
    from tests.sinkron.conftest import op, op_keluarga

    page = konteks().new_page()
    siap_luring(page, PENGGUNA)
    (token,) = [r["nilai"] for r in idb(page, "setelan") if r["nama"] == "token"]
    kel = op_keluarga(world)
    keg = op(
        "kegiatan",
        "buat",
        uuid.uuid4(),
        {
            "jenis": "kunjungan_rumah",
            "tanggal": date.today().isoformat(),
            "desa": world.desa["pahandut"].pk,
            "tempat": "Rumah warga",
            "topik": "Kunjungan lansia",
            "peserta_laki": "1",
            "peserta_perempuan": "1",
        },
    )
    ops = []
    for i, o in enumerate([kel, keg]):
        o.update(
            keadaan="antre",
            dibuat=1_700_000_000_000 + i,
            percobaan=2,
            label=o["entitas"],
            path="/pendataan/keluarga/baru/",
            pengguna=PENGGUNA,
        )
        ops.append(o)

    # The old release's database, holding two waiting items, written on a page of the origin
    # with no app code (a plain file). The network is then cut: nothing leaves before the update.
    page.goto("/static/img/logo.svg")
    assert page.evaluate(SKEMA_LAMA, {"token": token, "ops": ops}) == 2
    assert page.evaluate(VERSI_DB)[0] == 2
    jaringan.putus()
    page.goto("/offline/")  # the new code, from the worker's cache
    expect(page.get_by_test_id("item-antrean")).to_have_count(2)
    versi, stores = page.evaluate(VERSI_DB)
    assert versi == 3 and "berkas" in stores
    assert len(idb(page, "outbox")) == 2
    assert [d["kunci"] for d in idb(page, "draf")] == ["/pendataan/ppks/baru/"]

    jaringan.sambung()
    page.get_by_role("button", name="Kirim sekarang").first.click()
    tunggu_kosong(page)
    (k,) = Keluarga.objects.filter(uuid=kel["uuid"])
    assert Individu.objects.filter(keluarga=k).count() == len(kel["data"]["anggota"])
    from koordinasi.models import Kegiatan

    assert Kegiatan.objects.filter(uuid=keg["uuid"]).count() == 1
    page.reload()
    expect(page.get_by_test_id("item-terima")).to_have_count(2)
