/* What every page shows while something waits: "N belum terkirim" with the age of the oldest, a
   "Kirim sekarang" button, a waiting update, and a device the server no longer accepts. */
import * as db from "./db.js";
import * as outbox from "./outbox.js";

export function umur(ms) {
  const menit = Math.max(0, Math.round((Date.now() - ms) / 60000));
  if (menit < 1) return "baru saja";
  if (menit < 60) return `${menit} menit lalu`;
  const jam = Math.round(menit / 60);
  if (jam < 48) return `${jam} jam lalu`;
  return `${Math.round(jam / 24)} hari lalu`;
}

function wadah() {
  let el = document.querySelector("[data-offline-status]");
  if (!el) {
    el = document.createElement("div");
    el.setAttribute("data-offline-status", "");
    const main = document.querySelector("main") || document.body;
    main.insertBefore(el, main.firstChild);
  }
  return el;
}

export let pembaruanMenunggu = false;
export function aturPembaruan(v) { pembaruanMenunggu = v; }

export async function tampilkan() {
  const el = wadah();
  const { saya: ops, lain } = await outbox.bagian();
  const dicabut = await db.setelan("dicabut");
  const galat = await db.setelan("galat_terakhir");
  el.textContent = "";
  const tambah = (kelas, testid) => {
    const d = document.createElement("div");
    d.className = `alert alert-${kelas} d-flex flex-wrap align-items-center gap-2 py-2`;
    d.setAttribute("role", "status");
    d.setAttribute("data-testid", testid);
    el.appendChild(d);
    return d;
  };
  if (ops.length) {
    const ditolak = ops.filter((o) => o.keadaan === outbox.DITOLAK).length;
    const d = tambah("warning", "belum-terkirim");
    const teks = document.createElement("span");
    teks.className = "me-auto";
    teks.textContent = `${ops.length} belum terkirim (terlama ${umur(ops[0].dibuat)})` +
      (ditolak ? ` · ${ditolak} perlu diperbaiki` : "") +
      (galat && galat.pesan ? ` · ${galat.pesan}` : "");
    d.appendChild(teks);
    // A page served to nobody (the login page) does not send: the items go after the login.
    const beranda = document.body.hasAttribute("data-offline-beranda");
    if (outbox.penggunaHalaman() || beranda) {
      const kirim = document.createElement("button");
      kirim.type = "button";
      kirim.className = "btn btn-sm btn-primary";
      kirim.textContent = "Kirim sekarang";
      kirim.setAttribute("data-kirim-sekarang", "");
      d.appendChild(kirim);
    } else {
      teks.textContent += " · dikirim setelah Anda masuk";
    }
    if (!beranda) {
      const a = document.createElement("a");
      a.className = "btn btn-sm btn-outline-secondary";
      a.href = "/offline/";
      a.textContent = "Lihat";
      d.appendChild(a);
    }
  }
  if (lain.length) {
    const siapa = [...new Set(lain.map((o) => o.pengguna))].join(", ");
    tambah("secondary", "milik-lain").textContent =
      `${lain.length} data milik ${siapa} menunggu di perangkat ini; terkirim saat pengguna itu masuk lagi.`;
  }
  if (pembaruanMenunggu && ops.length) {
    tambah("info", "pembaruan-menunggu").textContent = "Pembaruan tersedia — kirim data dulu";
  }
  if (dicabut) {
    const d = tambah("danger", "perangkat-dicabut");
    d.textContent = "Perangkat ini tidak lagi diizinkan mengirim data. Ekspor data yang belum terkirim, lalu hapus data di perangkat ini. ";
    const a = document.createElement("a");
    a.href = "/offline/#hapus";
    a.className = "alert-link";
    a.textContent = "Buka Data di perangkat ini";
    d.appendChild(a);
  }
}
