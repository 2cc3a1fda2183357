/* Entry of the offline layer on every page: registers the service worker, shows what waits,
   drains the outbox (page load, `online`, timer with backoff, "Kirim sekarang", Background Sync),
   lets a new worker take over only once nothing waits, and guards logout. */
import * as outbox from "./outbox.js";
import * as lencana from "./lencana.js";
import * as formulir from "./formulir.js";
import * as ganda from "./ganda.js";

const PANASKAN_SETIAP = 6 * 3600 * 1000;

async function segarkan() {
  await lencana.tampilkan();
  if (document.body.hasAttribute("data-offline-beranda")) {
    const beranda = await import("./beranda.js");
    await beranda.segarkan();
  }
}

// A page served to nobody (the login page, an ended session) does not send: what waits goes once
// the user has logged in again, or from the offline home (the device's own page).
const TANPA_PENGGUNA = !outbox.penggunaHalaman() && !document.body.hasAttribute("data-offline-beranda");

async function kirim() {
  if (TANPA_PENGGUNA) { await segarkan(); return; }
  try { await outbox.kirim(); } catch (e) { /* kept; retried with backoff */ }
  await segarkan();
  await izinkanPembaruan();
}

let registrasi = null;

async function izinkanPembaruan() {
  if (!registrasi || !registrasi.waiting) { lencana.aturPembaruan(false); return; }
  const ops = await outbox.daftar();
  lencana.aturPembaruan(ops.length > 0);
  if (!ops.length) registrasi.waiting.postMessage({ type: "lewati" });
  await lencana.tampilkan();
}

async function daftarkan() {
  if (!("serviceWorker" in navigator)) return;
  registrasi = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  registrasi.addEventListener("updatefound", () => {
    const baru = registrasi.installing;
    if (baru) baru.addEventListener("statechange", () => { if (baru.state === "installed") izinkanPembaruan(); });
  });
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "kirim") kirim();
  });
  await izinkanPembaruan();
  // A logged-in page keeps the offline forms fresh for this user (not on every page load).
  const pengguna = outbox.penggunaHalaman();
  const kunci = `tksk-panas-${pengguna}`;
  if (pengguna && navigator.onLine && Date.now() - Number(localStorage.getItem(kunci) || 0) > PANASKAN_SETIAP) {
    const reg = await navigator.serviceWorker.ready;
    if (reg.active) reg.active.postMessage({ type: "panaskan" });
    localStorage.setItem(kunci, String(Date.now()));
  }
}

function jagaKeluar() {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[action$='/accounts/logout/']") || form.dataset.dikonfirmasi) return;
    event.preventDefault();
    const n = (await outbox.bagian()).saya.length;
    if (n && !window.confirm(`${n} data belum terkirim dan akan tetap di perangkat ini. Ekspor dulu di halaman "Data di perangkat ini"? Pilih Batal untuk membuka halaman itu, OK untuk tetap keluar.`)) {
      location.assign("/offline/");
      return;
    }
    form.dataset.dikonfirmasi = "1";
    form.submit();
  }, true);
}

async function mulai() {
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-kirim-sekarang]")) kirim();
  });
  window.addEventListener("online", kirim);
  window.addEventListener("tksk:outbox", () => lencana.tampilkan());
  window.addEventListener("tksk:dicabut", segarkan);
  if (document.body.hasAttribute("data-offline-beranda")) (await import("./beranda.js")).pasang();
  jagaKeluar();
  // The device token is fetched once, on a logged-in page with a connection, so that the outbox
  // can be sent later from any page, the offline home included.
  // Only a TKSK records offline; other roles never get a device token from a page.
  if (outbox.penggunaHalaman() && document.body.dataset.peran === "tksk" && navigator.onLine) {
    outbox.token().then(() => ganda.segarkan()).catch(() => null);
  }
  // A form posted after the session ended comes back as the login page: keep its typing.
  await formulir.pulihkanSesi().catch(() => null);
  await formulir.pasang();
  await segarkan();
  daftarkan().catch(() => null);
  if ((await outbox.daftar()).length) kirim();
  // A quiet timer as well: the `online` event does not fire when a weak signal comes back.
  setInterval(async () => { if ((await outbox.daftar()).length) kirim(); }, 60000);
}

mulai();
