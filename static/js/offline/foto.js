/* Photos, named participants and follow-ups of an activity, recorded with the activity itself,
   with or without signal. Photos are made small on the device (longest side at most 1600 px, JPEG
   quality stepped down until about 300 KB) and kept as Blobs; everything goes through the outbox
   as operations after the activity (children after their parent by its client uuid), and the
   photos are uploaded last, one by one, with a progress bar. The server checks them again. */
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import * as formulir from "./formulir.js";

export const SISI_MAKS = 1600;
export const BYTE_MAKS = 300 * 1024;
const KUALITAS = [0.85, 0.75, 0.65, 0.55, 0.45];

// --- making a photo small ---------------------------------------------------------------------

function keBlob(canvas, kualitas) {
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", kualitas));
}

async function bukaGambar(file) {
  if (globalThis.createImageBitmap) {
    try { return await createImageBitmap(file, { imageOrientation: "from-image" }); } catch (e) { /* below */ }
  }
  // The page's CSP allows data: images, not blob: ones.
  const url = await new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

function pratinjau(gambar, sisi) {
  const skala = Math.min(1, sisi / Math.max(gambar.width, gambar.height));
  const c = document.createElement("canvas");
  c.width = Math.max(1, Math.round(gambar.width * skala));
  c.height = Math.max(1, Math.round(gambar.height * skala));
  c.getContext("2d").drawImage(gambar, 0, 0, c.width, c.height);
  return c.toDataURL("image/jpeg", 0.7);
}

/* A JPEG Blob of `file` with its longest side at most `sisi` px and about `batas` bytes at most:
   the quality steps down first, then the size (a photo of fine detail). */
export async function kecilkan(file, sisi = SISI_MAKS, batas = BYTE_MAKS) {
  let gambar;
  try { gambar = await bukaGambar(file); } catch (e) {
    throw new Error("Berkas ini bukan foto yang dapat dibuka. Pilih foto JPEG atau PNG.");
  }
  const w0 = gambar.width, h0 = gambar.height;
  let skala = Math.min(1, sisi / Math.max(w0, h0));
  const canvas = document.createElement("canvas");
  const kecil = pratinjau(gambar, 128);
  try {
    for (let putaran = 0; putaran < 6; putaran++) {
      canvas.width = Math.max(1, Math.round(w0 * skala));
      canvas.height = Math.max(1, Math.round(h0 * skala));
      const ctx = canvas.getContext("2d");
      // A transparent PNG goes on white, as the server does.
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(gambar, 0, 0, canvas.width, canvas.height);
      for (const q of KUALITAS) {
        const blob = await keBlob(canvas, q);
        if (blob && blob.size <= batas) return { blob: blob, lebar: canvas.width, tinggi: canvas.height, kualitas: q, pratinjau: kecil };
      }
      skala *= 0.8;
    }
    const blob = await keBlob(canvas, KUALITAS[KUALITAS.length - 1]);
    return { blob: blob, lebar: canvas.width, tinggi: canvas.height, kualitas: KUALITAS[KUALITAS.length - 1], pratinjau: kecil };
  } finally {
    if (gambar.close) gambar.close();
    canvas.width = canvas.height = 0;
  }
}

export function kb(n) {
  return `${Math.max(1, Math.round(n / 1024)).toLocaleString("id-ID")} KB`;
}

// --- upload progress (any page that drains the outbox) -----------------------------------------

// The page may hold this module twice (its own script tag, and the outbox's import under the
// plain file name): the panel and the listeners are found through the page, never a variable.
const PANEL = "[data-testid=kemajuan-unggah]";

function buatPanel() {
  const div = document.createElement("div");
  div.className = "card card-body mb-3 border-primary";
  div.setAttribute("data-testid", "kemajuan-unggah");
  div.setAttribute("role", "status");
  div.setAttribute("aria-live", "polite");
  const judul = document.createElement("div");
  judul.className = "small fw-semibold";
  judul.setAttribute("data-kemajuan-judul", "");
  const bar = document.createElement("progress");
  bar.className = "w-100 my-2";
  bar.max = 100;
  bar.setAttribute("aria-label", "Kemajuan pengiriman");
  const ket = document.createElement("div");
  ket.className = "small text-body-secondary";
  ket.setAttribute("data-kemajuan-ket", "");
  div.append(judul, bar, ket);
  const tempat = document.querySelector("[data-kemajuan-tempat]") || document.querySelector("main") || document.body;
  tempat.prepend(div);
  return div;
}

/* Show the panel with a title, a percentage (null: still working, no figure) and a line below. */
export function tampilkanKemajuan(judul, persen, ket) {
  const panel = document.querySelector(PANEL) || buatPanel();
  clearTimeout(Number(panel.dataset.tutup || 0));
  panel.querySelector("[data-kemajuan-judul]").textContent = judul;
  const bar = panel.querySelector("progress");
  if (persen === null) { bar.removeAttribute("value"); bar.textContent = ""; } else { bar.value = persen; bar.textContent = `${persen}%`; }
  panel.querySelector("[data-kemajuan-ket]").textContent = ket || "";
}

function tutupKemajuan(ms) {
  const panel = document.querySelector(PANEL);
  if (!panel) return;
  clearTimeout(Number(panel.dataset.tutup || 0));
  panel.dataset.tutup = String(setTimeout(() => panel.remove(), ms));
}

export function pasangKemajuan() {
  if (document.documentElement.hasAttribute("data-kemajuan-unggah")) return;
  document.documentElement.setAttribute("data-kemajuan-unggah", "");
  window.addEventListener("tksk:unggah", (event) => {
    const d = event.detail || {};
    if (d.selesai) {
      if (d.ke === d.dari) {
        tampilkanKemajuan(`Foto ${d.ke} dari ${d.dari} terkirim`, 100, "Menunggu jawaban server selesai.");
        tutupKemajuan(4000);
      }
      return;
    }
    const persen = d.total ? Math.min(100, Math.round((100 * d.dimuat) / d.total)) : 0;
    const ket = d.total ? `${kb(d.dimuat)} dari ${kb(d.total)}` : "";
    tampilkanKemajuan(`Mengunggah foto ${d.ke} dari ${d.dari} · ${persen}%`, persen, ket);
  });
}

// --- the activity form ---------------------------------------------------------------------------

function el(tag, kelas, teks) {
  const e = document.createElement(tag);
  if (kelas) e.className = kelas;
  if (teks) e.textContent = teks;
  return e;
}

function kepalaDari(op) {
  const anggota = (op.data && op.data.anggota) || [];
  const kepala = anggota.find((a) => a.hubungan === "kepala_keluarga") || anggota[0];
  return (kepala && kepala.nama) || "Keluarga baru";
}

/* Households of one's own area for the participants' search: the server's list (cached on the
   device when the form was last opened with signal) and the ones typed offline, still waiting. */
async function keluargaSaya() {
  let simpan = await db.setelan("referensi_kegiatan");
  if (navigator.onLine) {
    try {
      const tk = await outbox.token();
      if (tk) {
        const headers = { Authorization: "Token " + tk.token };
        if (simpan && simpan.etag) headers["If-None-Match"] = simpan.etag;
        const r = await fetch("/api/v1/sinkron/referensi/", { credentials: "omit", headers: headers });
        if (r.status === 200) {
          const isi = await r.json();
          simpan = { etag: r.headers.get("ETag") || "", keluarga: isi.keluarga || [], pengguna: tk.pengguna, waktu: Date.now() };
          await db.aturSetelan("referensi_kegiatan", simpan);
        }
      }
    } catch (e) { /* no signal: the cached list */ }
  }
  const pengguna = outbox.penggunaHalaman();
  const daftar = simpan && (!pengguna || simpan.pengguna === pengguna) ? simpan.keluarga.map((k) => ({ uuid: k.uuid, kepala: k.kepala, no_kk: k.no_kk })) : [];
  const menunggu = (await outbox.daftar()).filter((o) => o.entitas === "keluarga" && o.aksi === "buat");
  for (const o of menunggu) daftar.push({ uuid: o.uuid, kepala: kepalaDari(o), no_kk: "belum terkirim", op_id: o.op_id });
  return { daftar: daftar, tersimpan: !!simpan };
}

function pasangFoto(bagian, keadaan) {
  const masuk = bagian.querySelector("[data-foto-masuk]");
  const ul = bagian.querySelector("[data-daftar-foto]");
  masuk.addEventListener("change", () => {
    for (const file of Array.from(masuk.files || [])) {
      const item = { id: outbox.uuid4(), keterangan: "", hasil: null, galat: "" };
      const li = el("li", "d-flex gap-2 align-items-start border rounded p-2 mb-2");
      li.setAttribute("data-testid", "foto-luring");
      const info = el("div", "flex-grow-1 small");
      const status = el("div", "text-body-secondary", `Memperkecil ${file.name}…`);
      info.appendChild(status);
      const ket = el("input", "form-control form-control-sm mt-1");
      ket.type = "text";
      ket.maxLength = 200;
      ket.placeholder = "Keterangan foto (boleh kosong)";
      ket.setAttribute("aria-label", "Keterangan foto");
      ket.addEventListener("input", () => { item.keterangan = ket.value; });
      info.appendChild(ket);
      const buang = el("button", "btn btn-sm btn-outline-danger flex-shrink-0", "Hapus");
      buang.type = "button";
      buang.addEventListener("click", () => {
        keadaan.foto = keadaan.foto.filter((f) => f !== item);
        li.remove();
      });
      li.append(info, buang);
      ul.appendChild(li);
      keadaan.foto.push(item);
      item.janji = kecilkan(file).then((h) => {
        item.hasil = h;
        const img = el("img", "rounded border flex-shrink-0");
        img.alt = "";
        img.width = 64;
        img.height = Math.max(1, Math.round((64 * h.tinggi) / h.lebar));
        img.src = h.pratinjau;
        li.prepend(img);
        status.textContent = `${h.lebar}×${h.tinggi} px · ${kb(h.blob.size)}`;
        status.setAttribute("data-ukuran-foto", String(h.blob.size));
      }).catch((e) => {
        item.galat = String(e.message || e);
        status.className = "text-danger";
        status.textContent = item.galat;
      });
    }
    masuk.value = "";
  });
}

function pasangPeserta(bagian, keadaan) {
  const cari = bagian.querySelector("[data-cari-peserta]");
  const hasil = bagian.querySelector("[data-hasil-peserta]");
  const terpilih = bagian.querySelector("[data-peserta-terpilih]");
  const ket = bagian.querySelector("[data-ket-peserta]");
  let sumber = { daftar: [], tersimpan: false };
  keluargaSaya().then((s) => {
    sumber = s;
    if (!s.tersimpan && !s.daftar.length) ket.textContent = "Daftar keluarga belum ada di perangkat ini: buka formulir ini sekali saat ada sinyal.";
  });
  const gambar = () => {
    terpilih.textContent = "";
    for (const k of keadaan.peserta) {
      const li = el("li", "list-group-item d-flex justify-content-between align-items-center gap-2 small");
      li.setAttribute("data-testid", "peserta-terpilih");
      li.appendChild(el("span", "text-break", `${k.kepala} · ${k.no_kk}`));
      const buang = el("button", "btn btn-sm btn-outline-danger", "Hapus");
      buang.type = "button";
      buang.addEventListener("click", () => { keadaan.peserta = keadaan.peserta.filter((p) => p !== k); gambar(); });
      li.appendChild(buang);
      terpilih.appendChild(li);
    }
  };
  cari.addEventListener("input", () => {
    const q = cari.value.trim().toLowerCase();
    hasil.textContent = "";
    if (q.length < 2) return;
    const cocok = sumber.daftar.filter((k) => (k.kepala || "").toLowerCase().includes(q) && !keadaan.peserta.some((p) => p.uuid === k.uuid)).slice(0, 10);
    if (!cocok.length) hasil.appendChild(el("div", "list-group-item small text-body-secondary", "Tidak ada keluarga dengan nama kepala itu di perangkat ini."));
    for (const k of cocok) {
      const b = el("button", "list-group-item list-group-item-action small", `+ ${k.kepala} · ${k.no_kk}`);
      b.type = "button";
      b.addEventListener("click", () => { keadaan.peserta.push(k); hasil.textContent = ""; cari.value = ""; gambar(); cari.focus(); });
      hasil.appendChild(b);
    }
  });
}

let nomorTl = 0;

function pasangTindakLanjut(bagian, form, keadaan) {
  const wadah = bagian.querySelector("[data-daftar-tl]");
  const besok = new Date(Date.now() + 7 * 864e5);
  const awal = `${besok.getFullYear()}-${String(besok.getMonth() + 1).padStart(2, "0")}-${String(besok.getDate()).padStart(2, "0")}`;
  bagian.querySelector("[data-tambah-tl]").addEventListener("click", () => {
    const n = ++nomorTl;
    const baris = el("div", "border rounded p-2 mb-2");
    baris.setAttribute("data-baris-tl", "");
    const bidang = (label, input) => {
      const d = el("div", "mb-2");
      input.id = `tl-luring-${n}-${label.kunci}`;
      input.setAttribute("data-tl", label.kunci);
      const l = el("label", "form-label small mb-1", label.teks);
      l.htmlFor = input.id;
      d.append(l, input);
      baris.appendChild(d);
      return input;
    };
    const uraian = bidang({ kunci: "uraian", teks: "Tindak lanjut" }, el("input", "form-control"));
    uraian.maxLength = 500;
    const mitra = bidang({ kunci: "mitra", teks: "Penanggung jawab" }, el("select", "form-select"));
    mitra.appendChild(new Option("TKSK (saya sendiri)", ""));
    form.querySelectorAll("input[name=mitra]").forEach((cb) => {
      const label = form.querySelector(`label[for="${CSS.escape(cb.id)}"]`);
      mitra.appendChild(new Option(label ? label.textContent.trim() : cb.value, cb.value));
    });
    const batas = bidang({ kunci: "batas_waktu", teks: "Batas waktu" }, el("input", "form-control"));
    batas.type = "date";
    batas.value = awal;
    const buang = el("button", "btn btn-sm btn-outline-danger", "Hapus tindak lanjut ini");
    buang.type = "button";
    buang.addEventListener("click", () => baris.remove());
    baris.appendChild(buang);
    wadah.appendChild(baris);
    uraian.focus();
  });
  keadaan.tindakLanjut = () => Array.from(wadah.querySelectorAll("[data-baris-tl]")).map((b) => {
    const v = (k) => b.querySelector(`[data-tl="${k}"]`);
    return { baris: b, uraian: v("uraian").value.trim(), mitra: v("mitra").value, batas_waktu: v("batas_waktu").value, input: v };
  }).filter((t) => t.uraian || t.mitra);
}

function tandai(input, pesan) {
  input.classList.add("is-invalid");
  const fb = el("div", "invalid-feedback d-block", pesan);
  fb.setAttribute("data-galat-tambahan", "");
  input.insertAdjacentElement("afterend", fb);
}

/* The browser's own checks of the extra parts (the server checks again): every problem at once. */
function periksa(bagian, keadaan) {
  bagian.querySelectorAll("[data-galat-tambahan]").forEach((n) => n.remove());
  bagian.querySelectorAll(".is-invalid").forEach((n) => n.classList.remove("is-invalid"));
  let pertama = null;
  for (const t of keadaan.tindakLanjut()) {
    if (!t.uraian) { tandai(t.input("uraian"), "Tuliskan tindak lanjutnya."); pertama = pertama || t.input("uraian"); }
    if (!t.batas_waktu) { tandai(t.input("batas_waktu"), "Isi batas waktu."); pertama = pertama || t.input("batas_waktu"); }
  }
  if (pertama) pertama.focus();
  return !pertama;
}

function ada(keadaan) {
  return keadaan.foto.length || keadaan.peserta.length || keadaan.tindakLanjut().length;
}

function anak(induk, label, entitas, data, setelah) {
  return {
    op_id: outbox.uuid4(),
    entitas: entitas,
    aksi: "buat",
    uuid: outbox.uuid4(),
    setelah: [induk.op_id, ...(setelah || [])],
    data: Object.assign({ kegiatan: induk.uuid }, data),
    versi_dasar: null,
    dasar: {},
    label: label,
    pengguna: induk.pengguna,
    // A refused child opens its activity's page, where it can be added by hand.
    path: `/koordinasi/kegiatan/${induk.uuid}/`,
  };
}

async function antrekanAnak(induk, keadaan) {
  const ops = [];
  const berkas = [];
  for (const k of keadaan.peserta) {
    ops.push(anak(induk, `Peserta kegiatan: ${k.kepala}`, "peserta", { tipe: "keluarga", peserta: k.uuid }, k.op_id ? [k.op_id] : []));
  }
  for (const t of keadaan.tindakLanjut()) {
    ops.push(anak(induk, `Tindak lanjut: ${t.uraian}`, "tindak_lanjut", { uraian: t.uraian, mitra: t.mitra, batas_waktu: t.batas_waktu }));
  }
  for (const f of keadaan.foto) {
    if (!f.hasil) continue;
    const op = anak(induk, `Foto kegiatan${f.keterangan.trim() ? ": " + f.keterangan.trim() : ""} (${kb(f.hasil.blob.size)})`, outbox.FOTO, { keterangan: f.keterangan.trim() });
    ops.push(op);
    berkas.push({ op_id: op.op_id, blob: f.hasil.blob, lebar: f.hasil.lebar, tinggi: f.hasil.tinggi, ukuran: f.hasil.blob.size });
  }
  await outbox.tambahBanyak(ops, berkas);
  return ops;
}

function kunciTombol(form, terkunci) {
  form.querySelectorAll("[type=submit]").forEach((b) => {
    if (terkunci) {
      b.dataset.teksAsli = b.dataset.teksAsli || b.textContent;
      b.textContent = "Menyimpan…";
    } else if (b.dataset.teksAsli) {
      b.textContent = b.dataset.teksAsli;
    }
    b.disabled = terkunci;
    b.setAttribute("aria-busy", terkunci ? "true" : "false");
  });
}

/* Online: send everything now and open the activity once the server has it; otherwise (or when
   the send fails) the offline home says it is kept on the device. */
async function kirimSekarang(milik) {
  const sisa = async () => new Set((await outbox.daftar()).map((o) => o.op_id));
  for (let i = 0; i < 3; i++) {
    try { await outbox.kirim(); } catch (e) { break; }
    const tunggu = await sisa();
    if (!milik.some((id) => tunggu.has(id))) break;
  }
  const tunggu = await sisa();
  if (milik.some((id) => tunggu.has(id))) return null;
  const tanda = await db.ambil("tanda_terima", milik[0]);
  return tanda && tanda.url ? tanda.url : null;
}

function pasangKegiatan() {
  const form = document.querySelector("form[data-testid=kegiatan-form]");
  const bagian = document.querySelector("[data-tambahan-luring]");
  const info = formulir.cocokkan(location.pathname);
  if (!form || !bagian || !info || form.hasAttribute("data-foto-terpasang")) return;
  form.setAttribute("data-foto-terpasang", "");
  // Drafts, corrections and the no-signal handover stay with formulir.js.
  const awal = formulir.isian(form);
  // Any save: Simpan stays disabled while it is on its way (re-enabled when the page comes back).
  document.addEventListener("submit", (event) => {
    if (event.target === form && !event.defaultPrevented) kunciTombol(form, true);
  });
  window.addEventListener("pageshow", () => kunciTombol(form, false));
  // Only a TKSK records offline (the device token); a correction of a refused entry has its
  // children queued already.
  if (document.body.dataset.peran !== "tksk" || /^#op=/.test(location.hash)) return;
  bagian.hidden = false;
  const nanti = form.querySelector("[data-ket-peserta-nanti]");
  if (nanti) nanti.hidden = true;
  const keadaan = { foto: [], peserta: [], tindakLanjut: () => [] };
  pasangFoto(bagian, keadaan);
  pasangPeserta(bagian, keadaan);
  pasangTindakLanjut(bagian, form, keadaan);
  pasangKemajuan();

  // Capture phase on the form: before formulir.js, after the page's own checks (document capture).
  form.addEventListener("submit", async (event) => {
    if (event.defaultPrevented || !ada(keadaan)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!periksa(bagian, keadaan)) return;
    kunciTombol(form, true);
    tampilkanKemajuan("Menyiapkan foto…", null, "");
    await Promise.all(keadaan.foto.map((f) => f.janji));
    localStorage.setItem(`tksk-draf-dikirim:${location.pathname}`, String(Date.now()));
    const induk = await formulir.antrekan(Object.assign({ path: location.pathname }, info), formulir.isian(form), awal, null);
    const ops = await antrekanAnak(induk, keadaan);
    if (navigator.onLine) {
      tampilkanKemajuan("Mengirim kegiatan ke server…", null, `${ops.length + 1} data`);
      const url = await kirimSekarang([induk.op_id, ...ops.map((o) => o.op_id)]);
      if (url) { location.assign(url); return; }
    }
    location.assign("/offline/#tersimpan");
  }, true);
}

pasangKegiatan();
