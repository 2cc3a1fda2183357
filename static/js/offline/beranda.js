/* The offline home "Data di perangkat ini": waiting items (a refused one opens its form again),
   drafts, receipts of the last 7 days, storage persistence, export and wipe. */
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { enkripsi, unduh } from "./ekspor.js";
import { umur } from "./lencana.js";

function li(teks, testid) {
  const el = document.createElement("li");
  el.className = "list-group-item small";
  if (testid) el.setAttribute("data-testid", testid);
  if (teks) el.textContent = teks;
  return el;
}

function tautan(href, teks, kelas) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = teks;
  if (kelas) a.className = kelas;
  return a;
}

async function penyimpanan() {
  const el = document.querySelector("[data-penyimpanan]");
  const tanya = await db.setelan("persist_ditanya");
  let tetap = null;
  if (navigator.storage && navigator.storage.persisted) tetap = await navigator.storage.persisted();
  const bagian = [];
  if (tetap) bagian.push("Penyimpanan tetap: aktif. Browser tidak akan menghapus data ini sendiri.");
  else if (tanya) bagian.push("Penyimpanan tetap: ditolak browser. Pasang aplikasi ke layar utama agar data tidak dihapus saat memori penuh.");
  else bagian.push("Penyimpanan tetap: belum diminta (diminta saat pertama kali menyimpan tanpa sinyal).");
  if (navigator.storage && navigator.storage.estimate) {
    const e = await navigator.storage.estimate();
    bagian.push(`Terpakai ${(e.usage / 1048576).toFixed(1)} MB.`);
  }
  el.textContent = bagian.join(" ");
  el.setAttribute("data-persisten", tetap ? "ya" : tanya ? "ditolak" : "belum");
}

async function antrean() {
  const ul = document.querySelector("[data-daftar-antrean]");
  const { saya: ops, lain } = await outbox.bagian();
  ul.textContent = "";
  if (!ops.length) ul.appendChild(li("Tidak ada yang menunggu dikirim.", "antrean-kosong"));
  // Another user's entries are counted, never shown: their labels name the people recorded.
  const perPengguna = new Map();
  lain.forEach((o) => perPengguna.set(o.pengguna, (perPengguna.get(o.pengguna) || 0) + 1));
  for (const [pengguna, n] of perPengguna) {
    ul.appendChild(li(`${n} data milik ${pengguna}: dikirim saat ${pengguna} masuk di perangkat ini.`, "antrean-lain"));
  }
  for (const op of ops) {
    const el = li("", "item-antrean");
    const judul = document.createElement("div");
    judul.className = "fw-semibold";
    judul.textContent = op.label;
    el.appendChild(judul);
    const ket = document.createElement("div");
    ket.className = "text-body-secondary";
    ket.textContent = `Disimpan ${umur(op.dibuat)}` + (op.percobaan ? ` · ${op.percobaan} kali dicoba` : "");
    el.appendChild(ket);
    if (op.keadaan === outbox.DITOLAK) {
      const g = document.createElement("div");
      g.className = "text-danger";
      g.textContent = op.pesan || "Ditolak server.";
      el.appendChild(g);
      el.appendChild(tautan(`${op.path}#op=${encodeURIComponent(op.op_id)}`, "Buka dan perbaiki", "btn btn-sm btn-outline-danger mt-1"));
    }
    ul.appendChild(el);
  }
}

async function draf() {
  const ul = document.querySelector("[data-daftar-draf]");
  const pengguna = await outbox.penggunaAktif();
  const semua = (await db.semua("draf")).filter((d) => outbox.milik(d, pengguna));
  ul.textContent = "";
  if (!semua.length) ul.appendChild(li("Tidak ada draf."));
  for (const d of semua.sort((a, b) => b.waktu - a.waktu)) {
    const el = li("", "item-draf");
    el.appendChild(tautan(d.kunci, d.judul || d.kunci));
    el.appendChild(document.createTextNode(` · ${umur(d.waktu)}`));
    ul.appendChild(el);
  }
}

async function terima() {
  const ul = document.querySelector("[data-daftar-terima]");
  const pengguna = await outbox.penggunaAktif();
  const semua = (await outbox.tandaTerima()).filter((t) => outbox.milik(t, pengguna));
  ul.textContent = "";
  if (!semua.length) ul.appendChild(li("Belum ada."));
  const STATUS = { tersimpan: "diterima server", konflik: "diterima, sebagian menunggu penyelesaian konflik", permintaan_perubahan: "diterima sebagai permintaan perubahan" };
  for (const t of semua) {
    const el = li("", "item-terima");
    el.appendChild(t.url ? tautan(t.url, t.label) : document.createTextNode(t.label));
    el.appendChild(document.createTextNode(` · ${STATUS[t.status] || t.status} · ${umur(t.waktu)}`));
    ul.appendChild(el);
  }
}

const PETA = "/peta/kecamatan.svg";

async function peta() {
  // Shown only when the worker cached it for this user (a TKSK); served from that cache offline.
  const ada = "caches" in window && (await caches.match(PETA, { ignoreVary: true }));
  const bagian = document.querySelector("[data-bagian-peta]");
  if (!ada) { bagian.classList.add("d-none"); return; }
  const img = bagian.querySelector("[data-peta-luring]");
  if (!img.getAttribute("src")) img.src = PETA;
  bagian.classList.remove("d-none");
}

export async function segarkan() {
  await Promise.all([penyimpanan(), antrean(), draf(), terima(), peta()]);
  const dicabut = await db.setelan("dicabut");
  document.querySelector("[data-bagian-hapus]").classList.toggle("d-none", !dicabut && location.hash !== "#hapus");
}

export function pasang() {
  if (location.hash === "#tersimpan") document.querySelector("[data-tersimpan]").classList.remove("d-none");
  window.addEventListener("hashchange", segarkan);
  const sinyal = document.querySelector("[data-sinyal]");
  const tulisSinyal = () => { sinyal.textContent = navigator.onLine ? "Ada jaringan" : "Tanpa sinyal"; };
  tulisSinyal();
  window.addEventListener("online", tulisSinyal);
  window.addEventListener("offline", tulisSinyal);

  document.querySelector("[data-form-ekspor]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const hasil = document.querySelector("[data-hasil-ekspor]");
    const sandi = document.getElementById("kata-sandi-ekspor").value;
    if (sandi.length < 8) { hasil.textContent = "Kata sandi paling sedikit 8 karakter."; return; }
    // Only the active user's entries: the server imports a file as the user who uploads it.
    const { saya: ops, pengguna } = await outbox.bagian();
    if (!ops.length) { hasil.textContent = "Tidak ada data yang belum terkirim."; return; }
    hasil.textContent = "Mengenkripsi…";
    const nama = unduh(await enkripsi(ops, sandi, pengguna || ops[0].pengguna || ""));
    await db.aturSetelan("diekspor", { waktu: Date.now(), jumlah: ops.length });
    hasil.textContent = `${ops.length} data diekspor ke ${nama}. Simpan berkas dan kata sandinya terpisah.`;
  });

  document.querySelector("[data-hapus-semua]").addEventListener("click", async () => {
    const n = (await outbox.daftar()).length;
    const diekspor = await db.setelan("diekspor");
    const tanya = n && !diekspor
      ? `${n} data belum terkirim dan belum diekspor. Tetap hapus semua data di perangkat ini?`
      : "Hapus semua data aplikasi di perangkat ini?";
    if (!window.confirm(tanya)) return;
    await db.hapusSemua();
    localStorage.clear();
    if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: "hapus-formulir" });
    location.replace("/offline/#dihapus");
  });
}
