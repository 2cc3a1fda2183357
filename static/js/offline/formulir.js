/* The offline layer of the server-rendered forms: autosaved drafts, and a submit that goes to the
   outbox when there is no network (the browser knows it is offline, or the service worker could
   not reach the server and handed the typing back). Online, the form posts as it always did. */
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import * as aturan from "./aturan.js";
import * as ganda from "./ganda.js";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const POLA = [
  [new RegExp(`^/pendataan/(keluarga|ppks|psks)/baru/$`), (m) => ({ entitas: m[1], aksi: "buat" })],
  [new RegExp(`^/pendataan/(keluarga|ppks|psks)/(${UUID})/ubah/$`), (m) => ({ entitas: m[1], aksi: "ubah", uuid: m[2] })],
  [new RegExp(`^/koordinasi/kegiatan/baru/$`), () => ({ entitas: "kegiatan", aksi: "buat" })],
  [new RegExp(`^/koordinasi/kegiatan/(${UUID})/ubah/$`), (m) => ({ entitas: "kegiatan", aksi: "ubah", uuid: m[1] })],
  [new RegExp(`^/koordinasi/rujukan/baru/(${UUID})/$`), (m) => ({ entitas: "rujukan", aksi: "buat", ppks: m[1] })],
];
const NAMA_ENTITAS = { keluarga: "Keluarga", ppks: "PPKS", psks: "PSKS", kegiatan: "Kegiatan", rujukan: "Rujukan", individu: "Anggota" };
const LEWATI = /^(csrfmiddlewaretoken|lewati_ganda|kasus)$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

export function cocokkan(path) {
  for (const [pola, buat] of POLA) {
    const m = path.match(pola);
    if (m) return buat(m);
  }
  return null;
}

export { NAMA_ENTITAS };

/* Names that carry several values (multi-selects, groups of checkboxes). */
function jamak(form) {
  const hitung = {};
  const hasil = new Set();
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "select-multiple") hasil.add(el.name);
    if (el.type === "checkbox") hitung[el.name] = (hitung[el.name] || 0) + 1;
  }
  Object.keys(hitung).forEach((n) => { if (hitung[n] > 1) hasil.add(n); });
  return hasil;
}

export function isian(form) {
  const entries = [];
  new FormData(form).forEach((v, k) => { if (typeof v === "string") entries.push([k, v]); });
  return { entries: entries, jamak: Array.from(jamak(form)) };
}

function kelompok(entries, jamakNama) {
  // A member field is multi-valued in every row when it is in one (rows added later included).
  const akhiran = new Set(jamakNama.map((k) => k.replace(/^anggota-\d+-/, "anggota-*-")));
  const jm = { has: (k) => akhiran.has(k.replace(/^anggota-\d+-/, "anggota-*-")) };
  const data = {};
  const anggota = {};
  let versi = null;
  for (const [k, v] of entries) {
    if (LEWATI.test(k)) continue;
    if (k === "versi") { versi = v === "" ? null : parseInt(v, 10); continue; }
    const m = k.match(/^anggota-(\d+)-(.+)$/);
    const tujuan = m ? (anggota[m[1]] = anggota[m[1]] || {}) : data;
    const nama = m ? m[2] : k;
    if (jm.has(k)) (tujuan[nama] = tujuan[nama] || []).push(v);
    else tujuan[nama] = v;
  }
  // Empty multi-value fields are absent from FormData: name them as empty lists.
  for (const k of akhiran) {
    const m = k.match(/^anggota-\*-(.+)$/);
    if (m) Object.values(anggota).forEach((b) => { if (!(m[1] in b)) b[m[1]] = []; });
    else if (!(k in data)) data[k] = [];
  }
  return { data: data, anggota: anggota, versi: versi };
}

function kosong(baris) {
  return Object.entries(baris).every(([k, v]) => k === "DELETE" || k === "uuid" || k === "status_hidup" || (Array.isArray(v) ? !v.length : !String(v).trim()));
}

function sama(a, b) {
  const n = (x) => (Array.isArray(x) ? [...x].sort().join("\u0001") : x === undefined || x === null ? "" : String(x));
  return n(a) === n(b);
}

/* The operation for what was typed: `awal` is what the edit form showed before typing (for the
   base values of an edit), `uuidBaris` the member uuids given earlier to the same rows. */
export function bangunOp(info, isi, awal, lama) {
  const baru = kelompok(isi.entries, isi.jamak);
  const dulu = awal ? kelompok(awal.entries, awal.jamak) : { data: {}, anggota: {} };
  const uuidBaris = (lama && lama.uuid_baris) || {};
  const op = {
    op_id: outbox.uuid4(),
    entitas: info.entitas,
    aksi: info.aksi,
    uuid: info.uuid || (lama && lama.uuid) || outbox.uuid4(),
    setelah: [],
    versi_dasar: info.aksi === "ubah" ? baru.versi : null,
    dasar: {},
    data: {},
    uuid_baris: {},
    // The form row of each member in data.anggota: the server's "anggota.<i>.<field>" errors
    // count in data.anggota, the form in its rows (skipped empty rows make them differ).
    baris_form: [],
    pengguna: outbox.penggunaHalaman() || info.pengguna || (lama && lama.pengguna) || "",
    path: info.path,
    isian: isi,
    awal: awal || null,
  };
  if (info.aksi === "buat") {
    op.data = baru.data;
  } else {
    for (const [k, v] of Object.entries(baru.data)) {
      if (!sama(v, dulu.data[k])) { op.data[k] = v; op.dasar[k] = dulu.data[k] ?? ""; }
    }
  }
  if (info.ppks) op.data.ppks = info.ppks;
  if (info.entitas === "keluarga") {
    const anggota = [];
    const dasarAnggota = [];
    Object.keys(baru.anggota).sort((a, b) => a - b).forEach((i) => {
      const baris = baru.anggota[i];
      const tersimpan = baris.uuid;
      const hapus = baris.DELETE === "on";
      if (!tersimpan) {
        if (hapus || kosong(baris)) return;
        const u = uuidBaris[i] || outbox.uuid4();
        op.uuid_baris[i] = u;
        const isiBaris = Object.assign({}, baris, { uuid: u });
        delete isiBaris.DELETE;
        anggota.push(isiBaris);
        op.baris_form.push(i);
        return;
      }
      op.baris_form.push(i);
      if (hapus) { anggota.push({ uuid: tersimpan, hapus: true }); return; }
      if (info.aksi === "buat") { anggota.push(baris); return; }
      const sebelum = Object.values(dulu.anggota).find((b) => b.uuid === tersimpan) || {};
      const ubah = { uuid: tersimpan };
      const dasar = { uuid: tersimpan };
      for (const [k, v] of Object.entries(baris)) {
        if (k === "uuid" || k === "DELETE") continue;
        if (!sama(v, sebelum[k])) { ubah[k] = v; dasar[k] = sebelum[k] ?? ""; }
      }
      if (Object.keys(ubah).length > 1) { anggota.push(ubah); dasarAnggota.push(dasar); } else op.baris_form.pop();
    });
    if (anggota.length || info.aksi === "buat") op.data.anggota = anggota;
    if (dasarAnggota.length) op.dasar.anggota = dasarAnggota;
  }
  op.label = label(op);
  return op;
}

function label(op) {
  const d = op.data || {};
  const kepala = (d.anggota || []).find((a) => a.hubungan === "kepala_keluarga") || (d.anggota || [])[0];
  const nama = d.nama || d.judul || (kepala && kepala.nama) || d.alamat || "";
  return `${NAMA_ENTITAS[op.entitas] || op.entitas}${op.aksi === "ubah" ? " (ubah)" : ""}${nama ? ": " + nama : ""}`;
}

/* Parents in the outbox: a value naming the record uuid of a waiting create (a referral for a
   PPKS typed offline, a member for a household typed offline). */
async function tautkan(op) {
  const ops = await outbox.daftar();
  const nilai = new Set();
  const kumpul = (v) => {
    if (Array.isArray(v)) v.forEach(kumpul);
    else if (v && typeof v === "object") Object.values(v).forEach(kumpul);
    else if (typeof v === "string") nilai.add(v);
  };
  kumpul(op.data);
  if (op.aksi === "ubah") nilai.add(op.uuid);
  op.setelah = ops.filter((o) => o.op_id !== op.op_id && o.aksi === "buat" && nilai.has(o.uuid) && o.uuid !== op.uuid)
    .map((o) => o.op_id)
    .concat(ops.filter((o) => o.aksi === "buat" && o.uuid === op.uuid && op.aksi === "ubah").map((o) => o.op_id));
  op.setelah = Array.from(new Set(op.setelah));
}

async function mintaPersisten() {
  if (!navigator.storage || !navigator.storage.persist) return;
  if (await db.setelan("persist_ditanya")) return;
  let hasil = false;
  try { hasil = await navigator.storage.persist(); } catch (e) { hasil = false; }
  await db.aturSetelan("persist_ditanya", { waktu: Date.now(), hasil: hasil });
}

/* Keep the typing as an operation. Returns the queued op. */
export async function antrekan(info, isi, awal, lama) {
  const op = bangunOp(info, isi, awal, lama);
  await tautkan(op);
  if (lama) await outbox.ganti(lama, op);
  else await outbox.tambah(op);
  await db.hapus("draf", info.path);
  await mintaPersisten();
  return op;
}

// --- drafts -------------------------------------------------------------------------------------

function isiKe(form, isi) {
  const nilai = {};
  isi.entries.forEach(([k, v]) => (nilai[k] = nilai[k] || []).push(v));
  // Member rows first: the add button builds rows the way the page does.
  const total = form.querySelector("[name$='-TOTAL_FORMS']");
  const tombol = document.querySelector("[data-tambah-anggota]");
  if (total && tombol && nilai[total.name]) {
    const mau = parseInt(nilai[total.name][0], 10) || 0;
    for (let i = parseInt(total.value, 10) || 0; i < mau; i++) tombol.click();
  }
  for (const el of form.elements) {
    if (!el.name || LEWATI.test(el.name) || el.name === "versi" || el.type === "file") continue;
    const v = nilai[el.name];
    if (el.type === "checkbox" || el.type === "radio") el.checked = !!v && v.includes(el.value || "on");
    else if (el.type === "select-multiple") Array.from(el.options).forEach((o) => (o.selected = !!v && v.includes(o.value)));
    else if (v !== undefined && el.type !== "hidden") el.value = v[0];
    else if (v !== undefined && el.type === "hidden" && el.name.endsWith("-uuid")) el.value = v[0];
  }
  form.querySelectorAll("[data-hapus-input]").forEach((box) => {
    if (box.checked) box.closest("[data-anggota-baris]").classList.add("d-none");
  });
}

function pesan(form, kelas, teks, testid) {
  const div = document.createElement("div");
  div.className = `alert alert-${kelas}`;
  div.setAttribute("role", "status");
  if (testid) div.setAttribute("data-testid", testid);
  div.textContent = teks;
  form.parentNode.insertBefore(div, form);
  return div;
}

function tandaiGalat(form, galat, barisForm) {
  const umum = [];
  for (const [kunci, daftar] of Object.entries(galat || {})) {
    const m = kunci.match(/^anggota\.(\d+)\.(.+)$/);
    const baris = m ? ((barisForm || [])[Number(m[1])] ?? m[1]) : null;
    const nama = m ? `anggota-${baris}-${m[2]}` : kunci;
    const el = form.querySelector(`[name="${CSS.escape(nama)}"]`);
    if (!el || kunci === "__all__") { umum.push(...daftar); continue; }
    el.classList.add("is-invalid");
    const fb = document.createElement("div");
    fb.className = "invalid-feedback d-block";
    fb.setAttribute("data-testid", "galat-offline");
    fb.textContent = daftar.join(" ");
    el.insertAdjacentElement("afterend", fb);
  }
  if (umum.length) pesan(form, "danger", umum.join(" "), "galat-offline");
}

/* The server's NIK / No KK rules (aturan.js) on every visible number field, before an entry is
   queued offline: a refusal the server would give is shown now, next to its field. Returns the
   number of refused fields. */
export function periksaAturan(form) {
  form.querySelectorAll("[data-galat-aturan]").forEach((n) => n.remove());
  form.querySelectorAll("[data-nomor16].is-invalid").forEach((el) => el.classList.remove("is-invalid"));
  let galat = 0;
  form.querySelectorAll("[data-nomor16]").forEach((el) => {
    const baris = el.closest("[data-anggota-baris]");
    if (el.disabled || el.closest(".d-none, [hidden], template")) return;
    const hapus = baris && baris.querySelector("[data-hapus-lama], [data-hapus-input]");
    if (hapus && hapus.checked) return;
    const v = aturan.periksaIsian(el.getAttribute("data-nomor16"), el.value);
    if (v.ok) return;
    galat += 1;
    el.classList.add("is-invalid");
    const fb = document.createElement("div");
    fb.className = "invalid-feedback d-block";
    fb.setAttribute("data-galat-aturan", "");
    fb.setAttribute("data-testid", "galat-aturan");
    fb.textContent = v.pesan;
    el.insertAdjacentElement("afterend", fb);
  });
  if (galat) {
    const el = form.querySelector("[data-nomor16].is-invalid");
    if (el) el.focus();
  }
  return galat;
}

// --- a form posted after the session expired ------------------------------------------------
// Online, a form posts as always. What was typed is kept for one navigation: when the answer is
// the login page (the session ended meanwhile), it goes to the outbox and is sent after the user
// logs in again; any other answer (saved, or the form with its errors) drops the mark.
const KIRIMAN_SESI = "tksk-kiriman-sesi";
const HALAMAN_MASUK = "/accounts/login/";
const SESI_BERLAKU = 10 * 60 * 1000;

function catatKiriman(info, form, awal, sekarang) {
  localStorage.setItem(KIRIMAN_SESI, JSON.stringify({ path: info.path, waktu: sekarang }));
  // Started before the page goes; the answer of the server takes longer than this write.
  db.taruh("draf", {
    kunci: info.path, isian: isian(form), awal: awal, waktu: sekarang,
    judul: document.title.split(" · ")[0], pengguna: outbox.penggunaHalaman(), dikirim: sekarang,
  });
}

export async function pulihkanSesi() {
  const teks = localStorage.getItem(KIRIMAN_SESI);
  if (!teks) return null;
  localStorage.removeItem(KIRIMAN_SESI);
  let k = null;
  try { k = JSON.parse(teks); } catch (e) { return null; }
  if (!k || Date.now() - k.waktu > SESI_BERLAKU) return null;
  // The login page for this form (a redirect), or the refused CSRF check at the form's address.
  const tujuan = (new URLSearchParams(location.search).get("next") || "").split("?")[0];
  const masuk = location.pathname === HALAMAN_MASUK && tujuan === k.path;
  const csrf = location.pathname === k.path && document.querySelector("[data-csrf-gagal]");
  if (!masuk && !csrf) return null;
  const info = cocokkan(k.path);
  const draf = info && (await db.ambil("draf", k.path));
  if (!draf || !draf.dikirim) return null;
  info.path = k.path;
  info.pengguna = draf.pengguna;
  const op = await antrekan(info, draf.isian, draf.awal, null);
  localStorage.removeItem(`tksk-draf-dikirim:${k.path}`);
  const tempat = document.querySelector("main form[method=post]") || document.querySelector("[data-csrf-gagal] h1");
  if (tempat) {
    const p = pesan(tempat, "warning", "Sesi Anda berakhir — isian Anda tersimpan di perangkat ini. Masuk lagi; isian dikirim sendiri setelah itu.", "sesi-berakhir");
    if (!masuk) tempat.insertAdjacentElement("afterend", p);
  }
  return op;
}

function waktu(ms) {
  return new Date(ms).toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "short" });
}

export async function pasang() {
  const info = cocokkan(location.pathname);
  const form = info && (document.querySelector("form[method=post][id^=form-], form[method=post][data-testid$=-form]") || document.querySelector("main form[method=post]"));
  if (!form) return;
  info.path = location.pathname;
  const awal = isian(form);
  let lama = null;

  // A refused entry reopened for correction: its typing and the server's messages.
  const dibuka = location.hash.match(/^#op=(.+)$/);
  if (dibuka) {
    lama = await db.ambil("outbox", decodeURIComponent(dibuka[1]));
    if (lama) {
      isiKe(form, lama.isian);
      tandaiGalat(form, lama.galat, lama.baris_form);
      pesan(form, "warning", `Data ini ditolak server: ${(lama.pesan || "periksa isian yang ditandai").replace(/\.+$/, "")}. Perbaiki lalu simpan lagi.`, "dibuka-ulang");
    }
  }
  const tersimpanAwal = lama && lama.awal ? lama.awal : awal;

  // Typing the service worker could not deliver (no network at Simpan).
  if (new URLSearchParams(location.search).has("tanpa-sinyal")) {
    const k = await ambilKiriman(location.pathname);
    if (k) {
      const isi = { entries: k.entries, jamak: awal.jamak };
      isiKe(form, isi);
      if (!periksaAturan(form)) {
        await antrekan(info, isi, tersimpanAwal, null);
        location.replace("/offline/#tersimpan");
        return;
      }
      // Refused by the same rules as the server's: nothing queued, the typing kept as a draft.
      await db.taruh("draf", { kunci: info.path, isian: isi, waktu: Date.now(), judul: document.title.split(" · ")[0] });
      pesan(form, "danger", "Belum tersimpan: perbaiki isian yang ditandai, lalu simpan lagi.", "galat-aturan-ringkas");
      history.replaceState(null, "", location.pathname);
    }
  }

  // A draft of this form, unless the server just answered it with errors (its typing is shown).
  const adaGalat = form.querySelector(".is-invalid, .alert-danger");
  let draf = await db.ambil("draf", info.path);
  // A draft posted online is done with: the server now holds it (or shows it with its errors).
  const dikirim = Number(localStorage.getItem(`tksk-draf-dikirim:${info.path}`) || 0);
  if (draf && dikirim && draf.waktu <= dikirim) {
    await db.hapus("draf", info.path);
    draf = null;
  }
  localStorage.removeItem(`tksk-draf-dikirim:${info.path}`);
  if (draf && !lama && !adaGalat) {
    isiKe(form, draf.isian);
    const p = pesan(form, "info", `Draf dari ${waktu(draf.waktu)} dipulihkan. `, "draf-dipulihkan");
    const buang = document.createElement("button");
    buang.type = "button";
    buang.className = "btn btn-sm btn-outline-secondary";
    buang.textContent = "Buang draf";
    buang.addEventListener("click", async () => { await db.hapus("draf", info.path); location.reload(); });
    p.appendChild(buang);
  }

  let tunda = null;
  const simpanDraf = () => {
    clearTimeout(tunda);
    tunda = setTimeout(() => {
      db.taruh("draf", { kunci: info.path, isian: isian(form), waktu: Date.now(), judul: document.title.split(" · ")[0] });
    }, 300);
  };
  form.addEventListener("input", simpanDraf);
  form.addEventListener("change", simpanDraf);
  ganda.pasang(form, info.uuid);

  form.addEventListener("submit", async (event) => {
    clearTimeout(tunda);
    // The browser's own checks (static/js/formulir.js) refused it: nothing leaves, nothing queued.
    if (event.defaultPrevented) return;
    // Synchronous, so that it is written before the page goes.
    const sekarang = Date.now();
    localStorage.setItem(`tksk-draf-dikirim:${info.path}`, String(sekarang));
    // Online (and not a correction), the form posts as always; the worker catches a failure.
    if (navigator.onLine && !lama) {
      if (!(event.submitter && event.submitter.hasAttribute("formnovalidate"))) catatKiriman(info, form, tersimpanAwal, sekarang);
      return;
    }
    event.preventDefault();
    if (periksaAturan(form)) return;
    const tombol = form.querySelector("[type=submit]");
    if (tombol) tombol.disabled = true;
    await antrekan(info, isian(form), tersimpanAwal, lama);
    if (navigator.onLine) outbox.kirim().catch(() => null);
    location.assign("/offline/#tersimpan");
  });
}

function ambilKiriman(path) {
  return new Promise((resolve) => {
    const req = indexedDB.open("tksk-sw", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("kiriman", { keyPath: "path" });
    req.onerror = () => resolve(null);
    req.onsuccess = () => {
      const d = req.result;
      const tx = d.transaction("kiriman", "readwrite");
      const s = tx.objectStore("kiriman");
      const g = s.get(path);
      g.onsuccess = () => { if (g.result) s.delete(path); };
      tx.oncomplete = () => { d.close(); resolve(g.result || null); };
      tx.onerror = () => { d.close(); resolve(null); };
    };
  });
}
