/* The outbox: one entry per operation, sent to POST /api/v1/sinkron/ in batches of at most 50
   with the device token (never the session's CSRF token, which goes stale offline). An entry is
   deleted only after the server has answered for it; a receipt stays 7 days. */
import * as db from "./db.js";

export const BATAS = 50;
const TUJUH_HARI = 7 * 24 * 3600 * 1000;
// The first pause before a retry (ms): rendered by the server from its settings.
const JEDA_AWAL = Number(globalThis.document && document.body && document.body.dataset.jedaAwal) || 5000;
const JEDA_MAKS = 5 * 60 * 1000;

// Outbox states: antre (waiting), ditolak (refused by the server, waits for a correction).
export const ANTRE = "antre";
export const DITOLAK = "ditolak";
// A photo is its own entry (its Blob in the "berkas" store), uploaded alone after its parent.
export const FOTO = "foto";

export function uuid4() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function beri(nama, detail) {
  window.dispatchEvent(new CustomEvent(nama, { detail: detail }));
}

export async function daftar() {
  const ops = await db.semua("outbox");
  return ops.sort((a, b) => a.dibuat - b.dibuat || (a.urut || 0) - (b.urut || 0));
}

export async function tambah(op) {
  op.keadaan = ANTRE;
  op.dibuat = op.dibuat || Date.now();
  op.percobaan = 0;
  await db.taruh("outbox", op);
  beri("tksk:outbox");
  mintaSinkronLatar();
  return op;
}

/* Several entries (an activity's children, their photos) in one transaction: all or none. */
export async function tambahBanyak(ops, berkas) {
  const kini = Date.now();
  ops.forEach((op, i) => {
    op.keadaan = ANTRE;
    op.dibuat = op.dibuat || kini;
    op.urut = op.urut ?? i;
    op.percobaan = 0;
  });
  await db.bersama(["outbox", "berkas"], function (tx) {
    ops.forEach((op) => tx.objectStore("outbox").put(op));
    (berkas || []).forEach((b) => tx.objectStore("berkas").put(b));
  });
  beri("tksk:outbox");
  mintaSinkronLatar();
  return ops;
}

/* A corrected entry replaces the refused one: a new op_id (the server remembers its refusal), the
   same record uuid, and its children now wait for the new op. */
export async function ganti(lama, baru) {
  const ops = await daftar();
  baru.keadaan = ANTRE;
  baru.dibuat = lama.dibuat;
  baru.percobaan = 0;
  await db.bersama(["outbox"], function (tx) {
    const s = tx.objectStore("outbox");
    s.delete(lama.op_id);
    s.put(baru);
    ops.forEach(function (op) {
      if (op.op_id !== lama.op_id && (op.setelah || []).includes(lama.op_id)) {
        op.setelah = op.setelah.map((x) => (x === lama.op_id ? baru.op_id : x));
        if (op.keadaan === DITOLAK && op.menunggu_induk) op.keadaan = ANTRE;
        s.put(op);
      }
    });
  });
  beri("tksk:outbox");
}

export async function tandaTerima() {
  const batas = Date.now() - TUJUH_HARI;
  const semua = await db.semua("tanda_terima");
  const lama = semua.filter((t) => t.waktu < batas);
  for (const t of lama) await db.hapus("tanda_terima", t.op_id);
  return semua.filter((t) => t.waktu >= batas).sort((a, b) => b.waktu - a.waktu);
}

function mintaSinkronLatar() {
  // Background Sync where the browser has it; the page drains on its own anyway.
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((reg) => (reg.sync ? reg.sync.register("tksk-kirim") : null))
    .catch(() => null);
}

// --- device token -------------------------------------------------------------------------------

function csrf() {
  const body = document.body && document.body.getAttribute("hx-headers");
  if (!body) return "";
  try { return JSON.parse(body)["X-CSRFToken"] || ""; } catch (e) { return ""; }
}

export function penggunaHalaman() {
  return (document.body && document.body.getAttribute("data-pengguna")) || "";
}

/* The user whose entries this page shows and sends: the page's, else the device token's (the
   offline home is served to nobody). A phone shared by two TKSK never sends, shows or exports
   one's work as the other's: an entry waits until its own user has logged in on the phone. */
export async function penggunaAktif() {
  const halaman = penggunaHalaman();
  if (halaman) return halaman;
  const tk = await db.setelan("token");
  return (tk && tk.pengguna) || "";
}

// An entry without a user predates the stamp and belongs to whoever is logged in.
export function milik(item, pengguna) {
  return !item.pengguna || !pengguna || item.pengguna === pengguna;
}

/* The outbox split for this page: {saya: the active user's entries, lain: everyone else's}. */
export async function bagian() {
  const pengguna = await penggunaAktif();
  const semua = await daftar();
  return {
    pengguna: pengguna,
    saya: semua.filter((o) => milik(o, pengguna)),
    lain: semua.filter((o) => !milik(o, pengguna)),
  };
}

/* The device token, asked for at first need with the page's session (a logged-in page online). */
export async function token() {
  const ada = await db.setelan("token");
  const pengguna = penggunaHalaman();
  if (ada && (!pengguna || ada.pengguna === pengguna)) return ada;
  const kunci = csrf();
  if (!pengguna || !kunci) return ada || null;
  const r = await fetch("/api/v1/auth/perangkat/", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": kunci },
    body: JSON.stringify({ nama: "" }),
  });
  if (!r.ok) return ada || null;
  const isi = await r.json();
  const baru = { token: isi.token, pengguna: pengguna };
  await db.aturSetelan("token", baru);
  return baru;
}

// --- draining -----------------------------------------------------------------------------------

let sedang = null;
let jeda = JEDA_AWAL;
let pengatur = null;

export function jadwalkan(ms) {
  clearTimeout(pengatur);
  pengatur = setTimeout(() => kirim().catch(() => null), ms);
}

function muatan(op) {
  return {
    op_id: op.op_id,
    entitas: op.entitas,
    aksi: op.aksi,
    uuid: op.uuid,
    setelah: op.setelah || [],
    data: op.data,
    versi_dasar: op.versi_dasar ?? null,
    dasar: op.dasar || {},
  };
}

export { muatan };

/* The operations that may go now: waiting, and every parent either acknowledged (gone from the
   outbox) or earlier in the same batch. A child of a refused parent waits for the correction. */
function pilih(ops, tunda) {
  const ada = new Map(ops.map((o) => [o.op_id, o]));
  const dipilih = [];
  const masuk = new Set();
  for (const op of ops) {
    if (op.keadaan !== ANTRE || tunda.has(op.op_id) || op.entitas === FOTO) continue;
    const siap = (op.setelah || []).every((p) => !ada.has(p) || masuk.has(p));
    if (!siap) continue;
    dipilih.push(op);
    masuk.add(op.op_id);
    if (dipilih.length === BATAS) break;
  }
  return dipilih;
}

async function terima(op, h) {
  const t = {
    op_id: op.op_id,
    entitas: op.entitas,
    aksi: op.aksi,
    uuid: op.uuid,
    label: op.label,
    pengguna: op.pengguna || "",
    status: h.status,
    pesan: h.pesan || "",
    url: h.url || "",
    waktu: Date.now(),
  };
  await db.bersama(["outbox", "tanda_terima", "berkas"], function (tx) {
    tx.objectStore("outbox").delete(op.op_id);
    tx.objectStore("berkas").delete(op.op_id);
    tx.objectStore("tanda_terima").put(t);
  });
}

async function satuKiriman(tk, ops, tunda) {
  const r = await kirimKe(tk, ops);
  if (!r) throw new Error("Belum tersambung ke server; dicoba lagi otomatis.");
  return jawab(r, ops, tunda);
}

function kirimKe(tk, ops) {
  // A network failure (no signal, a dropped link) answers null; the caller keeps everything.
  return fetch("/api/v1/sinkron/", {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/json", Authorization: "Token " + tk.token },
    body: JSON.stringify({ skema: 1, operasi: ops.map(muatan) }),
  }).catch(() => null);
}

async function jawab(r, ops, tunda) {
  if (r.status === 401) {
    await db.aturSetelan("dicabut", { waktu: Date.now(), kode: (await r.json().catch(() => ({}))).kode || "" });
    beri("tksk:dicabut");
    throw Object.assign(new Error("Perangkat ini tidak lagi diizinkan."), { dicabut: true });
  }
  if (!r.ok) throw new Error(`Server sedang bermasalah (${r.status}); dicoba lagi otomatis.`);
  const isi = await r.json();
  const menurutOp = new Map((isi.hasil || []).map((h) => [h.op_id, h]));
  for (const op of ops) {
    const h = menurutOp.get(op.op_id);
    if (!h) continue;
    if (h.status === "tersimpan" || h.status === "konflik" || h.status === "permintaan_perubahan") {
      await terima(op, h);
    } else if (h.status === "ditolak") {
      op.keadaan = DITOLAK;
      op.galat = h.galat || {};
      op.pesan = h.pesan || "Data ditolak server.";
      await db.taruh("outbox", op);
    } else {
      // menunggu_induk: stays waiting, goes again after its parent (in a later drain).
      tunda.add(op.op_id);
      op.percobaan = (op.percobaan || 0) + 1;
      await db.taruh("outbox", op);
    }
  }
  return ops.length;
}

// --- photos -------------------------------------------------------------------------------------

/* One photo as multipart, by XMLHttpRequest for its upload progress (fetch has none). Resolves
   {status, isi} or null when the network failed. */
function kirimFoto(tk, op, berkas, ke, dari) {
  return new Promise((resolve) => {
    const fd = new FormData();
    fd.append("op_id", op.op_id);
    fd.append("uuid", op.uuid);
    fd.append("kegiatan", op.data.kegiatan);
    fd.append("keterangan", op.data.keterangan || "");
    fd.append("foto", berkas.blob, "foto.jpg");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/sinkron/foto/");
    xhr.setRequestHeader("Authorization", "Token " + tk.token);
    const kabar = (dimuat, total) => beri("tksk:unggah", { op_id: op.op_id, label: op.label, dimuat: dimuat, total: total, ke: ke, dari: dari });
    kabar(0, berkas.blob.size);
    xhr.upload.onprogress = (e) => kabar(e.loaded, e.lengthComputable ? e.total : berkas.blob.size);
    xhr.onload = () => {
      let isi = {};
      try { isi = JSON.parse(xhr.responseText); } catch (e) { isi = {}; }
      resolve({ status: xhr.status, isi: isi });
    };
    xhr.onerror = xhr.onabort = xhr.ontimeout = () => resolve(null);
    xhr.send(fd);
  });
}

/* Upload the photos whose parents the server has acknowledged (gone from the outbox). */
async function unggahFoto(tk) {
  let n = 0;
  const ops = (await daftar()).filter((o) => milik(o, tk.pengguna));
  const ada = new Set(ops.map((o) => o.op_id));
  const siap = ops.filter((o) => o.entitas === FOTO && o.keadaan === ANTRE && (o.setelah || []).every((p) => !ada.has(p)));
  if (siap.length) await import("./foto.js").then((m) => m.pasangKemajuan()).catch(() => null);
  for (const [i, op] of siap.entries()) {
    const berkas = await db.ambil("berkas", op.op_id);
    if (!berkas) {
      op.keadaan = DITOLAK;
      op.pesan = "Berkas foto ini tidak ada lagi di perangkat.";
      await db.taruh("outbox", op);
      continue;
    }
    const r = await kirimFoto(tk, op, berkas, i + 1, siap.length);
    beri("tksk:unggah", { op_id: op.op_id, selesai: true, ke: i + 1, dari: siap.length });
    if (!r) throw new Error("Belum tersambung ke server; foto dikirim lagi otomatis.");
    if (r.status === 401) {
      await db.aturSetelan("dicabut", { waktu: Date.now(), kode: r.isi.kode || "" });
      beri("tksk:dicabut");
      throw Object.assign(new Error("Perangkat ini tidak lagi diizinkan."), { dicabut: true });
    }
    if (r.status !== 200) throw new Error(`Server sedang bermasalah (${r.status}); foto dikirim lagi otomatis.`);
    if (r.isi.status === "tersimpan") {
      await terima(op, r.isi);
      n += 1;
    } else {
      op.keadaan = DITOLAK;
      op.galat = r.isi.galat || {};
      op.pesan = Object.values(op.galat).flat().join(" ") || r.isi.pesan || "Foto ditolak server.";
      await db.taruh("outbox", op);
    }
    beri("tksk:outbox");
  }
  return n;
}

async function kurasi() {
  const tk = await token();
  if (!tk) throw new Error("Belum ada token perangkat: buka aplikasi sekali saat ada sinyal.");
  if (await db.setelan("dicabut")) throw Object.assign(new Error("Perangkat dicabut."), { dicabut: true });
  let terkirim = 0;
  const tunda = new Set();
  for (let putaran = 0; putaran < 1000; putaran++) {
    const ops = pilih((await daftar()).filter((o) => milik(o, tk.pengguna)), tunda);
    if (!ops.length) break;
    terkirim += await satuKiriman(tk, ops, tunda);
    beri("tksk:outbox");
  }
  terkirim += await unggahFoto(tk);
  return terkirim;
}

/* Drain the outbox. Errors (no network, 5xx) keep every entry and retry with a growing pause. */
export function kirim() {
  if (sedang) return sedang;
  const kerja = async () => {
    try {
      const n = await kurasi();
      jeda = JEDA_AWAL;
      await db.aturSetelan("galat_terakhir", null);
      return n;
    } catch (e) {
      await db.aturSetelan("galat_terakhir", { pesan: String(e.message || e), waktu: Date.now() });
      if (!e.dicabut) {
        jadwalkan(jeda);
        jeda = Math.min(jeda * 2, JEDA_MAKS);
      }
      throw e;
    } finally {
      beri("tksk:outbox");
    }
  };
  // One drain at a time across tabs where the browser has Web Locks.
  const dikunci = navigator.locks ? navigator.locks.request("tksk-kirim", kerja) : kerja();
  sedang = dikunci.finally(() => { sedang = null; });
  return sedang;
}
