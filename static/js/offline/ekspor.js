/* The encrypted export of unsent items: PBKDF2-SHA256 (310,000 iterations) derives an AES-256-GCM
   key from the passphrase; the server's import page opens the same format. */
import { muatan } from "./outbox.js";

export const ITERASI = 310000;

function b64(buf) {
  const bytes = new Uint8Array(buf);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export async function enkripsi(ops, kataSandi, pengguna) {
  const enc = new TextEncoder();
  const garam = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const bahan = await crypto.subtle.importKey("raw", enc.encode(kataSandi), "PBKDF2", false, ["deriveKey"]);
  const kunci = await crypto.subtle.deriveKey(
    { name: "PBKDF2", salt: garam, iterations: ITERASI, hash: "SHA-256" },
    bahan,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  const polos = JSON.stringify({ operasi: ops.map(muatan), dibuat: new Date().toISOString(), pengguna: pengguna });
  const sandi = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, kunci, enc.encode(polos));
  return {
    format: "tksk-outbox",
    versi: 1,
    kdf: "PBKDF2-SHA256",
    iterasi: ITERASI,
    garam: b64(garam),
    iv: b64(iv),
    data: b64(sandi),
  };
}

/* Offer the file for download; returns its name. */
export function unduh(berkas) {
  const nama = `tksk-belum-terkirim-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, "")}.json`;
  const blob = new Blob([JSON.stringify(berkas)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = nama;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  return nama;
}
