/* IndexedDB of the offline app. The schema grows by forward-only migrations: MIGRASI[i] takes a
   database of version i to version i + 1, so a phone with items waiting under an older version
   keeps them through an update. Never edit a migration that has shipped; add one. */

export const NAMA_DB = "tksk-offline";

const MIGRASI = [
  // 0 -> 1: the outbox, drafts and small settings (device token, flags).
  function (db) {
    const outbox = db.createObjectStore("outbox", { keyPath: "op_id" });
    outbox.createIndex("keadaan", "keadaan");
    db.createObjectStore("draf", { keyPath: "kunci" });
    db.createObjectStore("setelan", { keyPath: "nama" });
  },
  // 1 -> 2: receipts of acknowledged operations (kept 7 days) and the outbox in creation order.
  function (db, tx) {
    tx.objectStore("outbox").createIndex("dibuat", "dibuat");
    db.createObjectStore("tanda_terima", { keyPath: "op_id" }).createIndex("waktu", "waktu");
  },
  // 2 -> 3: photos waiting to be uploaded, as Blobs under the op_id of their outbox entry (the
  // entry itself stays small and exportable as JSON).
  function (db) {
    db.createObjectStore("berkas", { keyPath: "op_id" });
  },
];

export const VERSI_SKEMA = MIGRASI.length;

let janji = null;

export function buka() {
  if (janji) return janji;
  janji = new Promise(function (resolve, reject) {
    const req = indexedDB.open(NAMA_DB, VERSI_SKEMA);
    req.onupgradeneeded = function (event) {
      for (let v = event.oldVersion; v < VERSI_SKEMA; v++) MIGRASI[v](req.result, req.transaction);
    };
    req.onsuccess = function () {
      const db = req.result;
      // Another tab with a newer version asks to upgrade: let it, and reopen next time.
      db.onversionchange = function () { db.close(); janji = null; };
      // iOS Safari may drop the connection under memory pressure: reopen on the next call.
      db.onclose = function () { janji = null; };
      resolve(db);
    };
    req.onerror = function () { janji = null; reject(req.error); };
    req.onblocked = function () { janji = null; reject(new Error("IndexedDB terkunci oleh tab lain")); };
  });
  return janji;
}

function jalankan(store, mode, kerja) {
  return buka().then(function (db) {
    return new Promise(function (resolve, reject) {
      const tx = db.transaction(store, mode);
      let hasil;
      const r = kerja(tx.objectStore(store), tx);
      if (r && "onsuccess" in r) r.onsuccess = function () { hasil = r.result; };
      else hasil = r;
      tx.oncomplete = function () { resolve(hasil); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  });
}

export const ambil = (store, kunci) => jalankan(store, "readonly", (s) => s.get(kunci));
export const semua = (store) => jalankan(store, "readonly", (s) => s.getAll());
export const taruh = (store, nilai) => jalankan(store, "readwrite", (s) => s.put(nilai));
export const hapus = (store, kunci) => jalankan(store, "readwrite", (s) => s.delete(kunci));
export const kosongkan = (store) => jalankan(store, "readwrite", (s) => s.clear());

/* Several writes in one transaction (a corrected entry replaces the refused one atomically). */
export function bersama(stores, kerja) {
  return buka().then(function (db) {
    return new Promise(function (resolve, reject) {
      const tx = db.transaction(stores, "readwrite");
      kerja(tx);
      tx.oncomplete = function () { resolve(); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  });
}

export async function setelan(nama) {
  const row = await ambil("setelan", nama);
  return row ? row.nilai : undefined;
}

export function aturSetelan(nama, nilai) {
  return taruh("setelan", { nama: nama, nilai: nilai });
}

/* Wipe everything of this app on this device (a revoked device, or the user's choice). */
export async function hapusSemua() {
  const db = await buka();
  db.close();
  janji = null;
  await new Promise(function (resolve) {
    const req = indexedDB.deleteDatabase(NAMA_DB);
    req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
  });
  await new Promise(function (resolve) {
    const req = indexedDB.deleteDatabase("tksk-sw");
    req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
  });
}
