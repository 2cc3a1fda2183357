/* The duplicate hint of the household form, offline too: a NIK typed is compared with the NIKs of
   the TKSK's own households by a salted hash (SHA-256 of the server's per-user salt + NIK). The
   phone keeps the hashes, never the numbers. The server stays the judge of duplicates. */
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { periksaNik } from "./aturan.js";

const SEGARKAN_SETIAP = 15 * 60 * 1000;
// Hex digits of the hash the server sends (sinkron/api.py PANJANG_SIDIK).
const PANJANG_SIDIK = 16;

/* Fetch the reference data with the device token (304 when unchanged) and keep what the hint
   needs. Called on a logged-in TKSK page with a connection. */
export async function segarkan({ paksa = false } = {}) {
  const pengguna = outbox.penggunaHalaman();
  const kunci = `tksk-referensi-${pengguna}`;
  if (!pengguna || (!paksa && Date.now() - Number(localStorage.getItem(kunci) || 0) < SEGARKAN_SETIAP)) return;
  const tk = await outbox.token();
  if (!tk) return;
  const ada = await db.setelan("referensi");
  const headers = { Authorization: "Token " + tk.token };
  if (ada && ada.pengguna === pengguna && ada.etag) headers["If-None-Match"] = ada.etag;
  const r = await fetch("/api/v1/sinkron/referensi/", { credentials: "omit", headers: headers }).catch(() => null);
  if (!r || (r.status !== 200 && r.status !== 304)) return;
  localStorage.setItem(kunci, String(Date.now()));
  if (r.status === 304) return;
  const isi = await r.json();
  // Only the hashes and, for the hint's wording, each household's uuid and head of family.
  const keluarga = (isi.keluarga || []).map((k) => ({ uuid: k.uuid, kepala: k.kepala }));
  await db.aturSetelan("referensi", {
    pengguna: pengguna,
    etag: r.headers.get("ETag") || "",
    garam: isi.garam_nik || "",
    sidik: isi.sidik_nik || {},
    keluarga: keluarga,
    waktu: Date.now(),
  });
}

async function sha256(teks) {
  const hasil = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(teks));
  return Array.from(new Uint8Array(hasil), (b) => b.toString(16).padStart(2, "0")).join("");
}

/* The household (uuid and head's name) of the user's own data that holds this NIK, or null. */
export async function cari(nik, kecuali) {
  const v = periksaNik(nik);
  if (!v.ok || !v.nilai) return null;
  const ref = await db.setelan("referensi");
  if (!ref || !ref.garam || !window.crypto || !crypto.subtle) return null;
  const pengguna = outbox.penggunaHalaman();
  if (pengguna && ref.pengguna !== pengguna) return null;
  const i = ref.sidik[(await sha256(ref.garam + v.nilai)).slice(0, PANJANG_SIDIK)];
  const keluarga = i === undefined ? null : ref.keluarga[i];
  if (!keluarga || keluarga.uuid === kecuali) return null;
  return keluarga;
}

function tampilkan(el, hasil) {
  let p = el.parentNode.querySelector("[data-petunjuk-ganda]");
  if (!hasil) { if (p) p.remove(); return; }
  if (!p) {
    p = document.createElement("div");
    p.className = "form-text text-warning-emphasis";
    p.setAttribute("data-petunjuk-ganda", "");
    p.setAttribute("data-testid", "petunjuk-ganda");
    p.setAttribute("role", "status");
    el.insertAdjacentElement("afterend", p);
  }
  const siapa = hasil.kepala ? ` (Kepala Keluarga: ${hasil.kepala})` : "";
  p.textContent = `NIK ini sudah tercatat pada keluarga lain di data Anda${siapa}. Periksa agar orang yang sama tidak dicatat dua kali.`;
}

/* Watch the NIK fields of a form (rows added later included). `kecuali`: the household being
   edited, whose own members are no duplicates. */
export function pasang(form, kecuali) {
  const periksa = async (el) => tampilkan(el, await cari(el.value, kecuali).catch(() => null));
  const nik = (el) => el && el.matches && el.matches('[data-nomor16="NIK"]');
  form.addEventListener("change", (e) => { if (nik(e.target)) periksa(e.target); });
  form.addEventListener("input", (e) => { if (nik(e.target) && e.target.value.replace(/\D/g, "").length >= 16) periksa(e.target); });
  form.querySelectorAll('[data-nomor16="NIK"]').forEach((el) => { if (el.value) periksa(el); });
}
