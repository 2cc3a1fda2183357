/* NIK and No KK rules in the browser, for the offline forms: the checks, their order and their
   messages are those of pendataan/nik.py (tests/e2e/test_offline_cek.py feeds the same inputs to
   both and fails on any different verdict). Change one, change the other.

   A verdict is { ok: true, nilai } (the cleaned number, "" for empty input) or
   { ok: false, kode, pesan }. The region prefix is never checked: it is where a NIK was first
   issued, not where the person lives. */

export const PANJANG = 16;
const BATAS_PANJANG = 64;
// Invisible characters that phones and copy-paste leave around a value; harmless at the ends.
const TAK_TERLIHAT = new Set(
  "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" +
  "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
);
const AWAL_RUMUS = ["=", "+", "-", "@"];
const EXCEL = /^(?:[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+|[0-9]+[.,]0+)$/;
const PEMISAH = new Set(".,/\\:;|\u00b7\u2022");
// Python's str.isspace(): not the same set as JavaScript's \s (U+001C–U+001F and U+0085 are in,
// U+FEFF is out).
const SPASI = new Set(
  "\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003" +
  "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
);
// Python's str.isnumeric() is true for these Han numerals too (category Lo, not N).
const ANGKA_HAN = new Set(
  "\u{3405}\u{3483}\u{382a}\u{3b4d}\u{4e00}\u{4e03}\u{4e07}\u{4e09}\u{4e5d}\u{4e8c}\u{4e94}" +
  "\u{4e96}\u{4ebf}\u{4ec0}\u{4edf}\u{4ee8}\u{4f0d}\u{4f70}\u{5104}\u{5146}\u{5169}\u{516b}" +
  "\u{516d}\u{5341}\u{5343}\u{5344}\u{5345}\u{534c}\u{53c1}\u{53c2}\u{53c3}\u{53c4}\u{56db}" +
  "\u{58f1}\u{58f9}\u{5e7a}\u{5efe}\u{5eff}\u{5f0c}\u{5f0d}\u{5f0e}\u{5f10}\u{62fe}\u{634c}" +
  "\u{67d2}\u{6f06}\u{7396}\u{767e}\u{8086}\u{842c}\u{8cae}\u{8cb3}\u{8d30}\u{9621}\u{9646}" +
  "\u{964c}\u{9678}\u{96f6}\u{f96b}\u{f973}\u{f978}\u{f9b2}\u{f9d1}\u{f9d3}\u{f9fd}\u{20001}" +
  "\u{20064}\u{200e2}\u{20121}\u{2092a}\u{20983}\u{2098c}\u{2099c}\u{20aea}\u{20afd}\u{20b19}" +
  "\u{22390}\u{22998}\u{23b1b}\u{2626d}\u{2f890}"
);
const KODE_LABEL = { NIK: "nik", "No KK": "no_kk" };

class Tolak {
  constructor(pesan, kode) { this.pesan = pesan; this.kode = kode; }
}

function tolak(pesan, kode, label) {
  const awalan = KODE_LABEL[label] || label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  throw new Tolak(pesan, `${awalan}_${kode}`);
}

function rapikanTepi(teks) {
  const cp = Array.from(teks);
  const tepi = (ch) => SPASI.has(ch) || TAK_TERLIHAT.has(ch);
  let awal = 0;
  let akhir = cp.length;
  while (awal < akhir && tepi(cp[awal])) awal++;
  while (akhir > awal && tepi(cp[akhir - 1])) akhir--;
  return cp.slice(awal, akhir).join("");
}

function jenisKarakter(ch) {
  if (/\p{N}/u.test(ch) || ANGKA_HAN.has(ch)) return "non_ascii"; // ASCII digits never reach here
  if (/\p{L}/u.test(ch)) return "huruf";
  // Spaces, dashes, dots, slashes: ways people group the digits when writing them down.
  if (SPASI.has(ch) || /[\p{Pd}\p{Pc}]/u.test(ch) || PEMISAH.has(ch)) return "pemisah";
  if (/[\p{Cf}\p{Cc}\p{Cs}\p{Co}\p{Cn}]/u.test(ch)) return "tersembunyi";
  return "huruf"; // symbols, emoji, combining marks: "only digits" is the useful message
}

function bersihkan(value, label) {
  if (value === null || value === undefined) return "";
  let teks = rapikanTepi(String(value));
  const panjang = Array.from(teks).length;
  if (panjang > BATAS_PANJANG) {
    tolak(`${label} harus 16 digit angka; yang diisi ${panjang} karakter.`, "length", label);
  }
  // A single leading apostrophe is how Excel marks a cell as text, not part of the number.
  if (teks.startsWith("'")) teks = teks.slice(1);
  if (!teks) return "";
  if (AWAL_RUMUS.includes(teks[0])) {
    tolak(
      `${label} diawali tanda “${teks[0]}” sehingga terbaca sebagai rumus spreadsheet. ` +
        `Isi ${label} hanya dengan 16 angka, tanpa tanda apa pun di depannya.`,
      "formula",
      label
    );
  }
  if (EXCEL.test(teks)) {
    tolak(
      `${label} telah diubah Excel menjadi angka ilmiah/desimal (misalnya 6,27E+15), ` +
        `sehingga digit aslinya hilang. Ubah format kolom ${label} menjadi Teks (Text), ` +
        `lalu ketik ulang ${label} dari KTP/KK.`,
      "excel",
      label
    );
  }
  const jenis = new Set();
  for (const ch of teks) if (!"0123456789".includes(ch)) jenis.add(jenisKarakter(ch));
  if (jenis.has("non_ascii")) {
    tolak(
      `${label} hanya boleh memakai angka biasa 0–9. Ada angka dari aksara lain ` +
        "(misalnya angka Arab atau angka lebar); ketik ulang dengan angka 0–9.",
      "digits_non_ascii",
      label
    );
  }
  if (jenis.has("huruf")) {
    tolak(`${label} hanya boleh berisi angka 0–9, tanpa huruf atau simbol.`, "letters", label);
  }
  if (jenis.has("tersembunyi")) {
    tolak(
      `${label} mengandung karakter tersembunyi di antara angkanya. Hapus isian, ` +
        "lalu ketik ulang 16 angkanya tanpa spasi atau tanda pemisah.",
      "separator",
      label
    );
  }
  if (jenis.size) {
    tolak(
      `${label} harus ditulis tanpa spasi atau tanda pemisah (titik, tanda hubung, ` +
        "garis miring); tulis 16 angka bersambung.",
      "separator",
      label
    );
  }
  if (teks.length !== PANJANG) {
    tolak(`${label} harus 16 digit angka; yang diisi ${teks.length} digit.`, "length", label);
  }
  return teks;
}

// --- dates: [year, month, day], compared as numbers -----------------------------------------

function kabisat(y) {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function ada(y, m, d) {
  const hari = [31, kabisat(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= hari[m - 1];
}

function nilaiTanggal(t) {
  return t[0] * 10000 + t[1] * 100 + t[2];
}

/* Today in Asia/Jakarta (the server's TIME_ZONE), not the phone's zone: babies born today. */
export function hariIni() {
  const bagian = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Jakarta", year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(new Date());
  const ambil = (j) => Number(bagian.find((p) => p.type === j).value);
  return [ambil("year"), ambil("month"), ambil("day")];
}

function keTanggal(today) {
  if (!today) return hariIni();
  if (Array.isArray(today)) return today;
  const m = String(today).match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : hariIni();
}

/* Century rule of pendataan/nik.py: the latest year <= today; a date after today is 100 years
   earlier; null if the date exists in neither century. */
function tanggalLahir(hari, bulan, yy, today) {
  const tahun = today[0] - ((((today[0] - yy) % 100) + 100) % 100);
  const kandidat = [];
  for (const y of [tahun, tahun - 100]) {
    if (!ada(y, bulan, hari)) continue;
    const t = [y, bulan, hari];
    if (nilaiTanggal(t) <= nilaiTanggal(today)) return t;
    kandidat.push(t);
  }
  return kandidat.length ? kandidat[0] : null;
}

const dua = (n) => String(n).padStart(2, "0");

function urai(nik, today) {
  const dd = Number(nik.slice(6, 8));
  const mm = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  if (!((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71))) {
    tolak(
      "Digit ke-7–8 NIK adalah tanggal lahir dan harus 01–31 (laki-laki) atau 41–71 " +
        `(perempuan, tanggal ditambah 40); yang diisi ${nik.slice(6, 8)}.`,
      "date",
      "NIK"
    );
  }
  if (!(mm >= 1 && mm <= 12)) {
    tolak(`Digit ke-9–10 NIK adalah bulan lahir dan harus 01–12; yang diisi ${nik.slice(8, 10)}.`, "date", "NIK");
  }
  const jenisKelamin = dd > 40 ? "P" : "L";
  const hari = dd > 40 ? dd - 40 : dd;
  const tanggal = tanggalLahir(hari, mm, yy, today);
  if (tanggal === null) {
    tolak(
      `Digit ke-7–12 NIK (${nik.slice(6, 12)}) bukan tanggal lahir yang ada: ` +
        `tanggal ${dua(hari)}-${nik.slice(8, 10)}-${nik.slice(10, 12)} tidak ada di kalender.`,
      "date",
      "NIK"
    );
  }
  if (nik.slice(12) === "0000") {
    tolak("NIK tidak valid: 4 digit terakhir (nomor urut) tidak boleh 0000.", "serial", "NIK");
  }
  return { kodeWilayah: `${nik.slice(0, 2)}.${nik.slice(2, 4)}.${nik.slice(4, 6)}`, jenisKelamin, tanggalLahir: tanggal };
}

function vonis(kerja) {
  try {
    return { ok: true, nilai: kerja() };
  } catch (e) {
    if (e instanceof Tolak) return { ok: false, kode: e.kode, pesan: e.pesan };
    throw e;
  }
}

export function periksaNik(value, { today } = {}) {
  return vonis(() => {
    const nik = bersihkan(value, "NIK");
    if (nik) urai(nik, keTanggal(today));
    return nik;
  });
}

export function periksaNoKk(value) {
  return vonis(() => {
    const noKk = bersihkan(value, "No KK");
    if (noKk.slice(12) === "0000") {
      tolak("No KK tidak valid: 4 digit terakhir (nomor urut) tidak boleh 0000.", "serial", "No KK");
    }
    return noKk;
  });
}

const JENIS_KELAMIN = { L: "L", "LAKI-LAKI": "L", P: "P", PEREMPUAN: "P" };

/* Warnings (never refusals) when the NIK's birth date or sex disagrees with the recorded ones;
   `tanggalLahir` as "YYYY-MM-DD". Day, month and 2-digit year are compared, as on the server. */
export function peringatanNik(nik, { tanggalLahir: dicatatTgl, jenisKelamin, today } = {}) {
  if (!nik) return [];
  let info;
  try {
    const bersih = bersihkan(nik, "NIK");
    if (!bersih) return [];
    info = urai(bersih, keTanggal(today));
  } catch (e) {
    if (e instanceof Tolak) return [];
    throw e;
  }
  const hasil = [];
  const t = info.tanggalLahir;
  const m = dicatatTgl ? String(dicatatTgl).match(/^(\d{4})-(\d{2})-(\d{2})$/) : null;
  if (m && (t[2] !== Number(m[3]) || t[1] !== Number(m[2]) || t[0] % 100 !== Number(m[1]) % 100)) {
    hasil.push(
      `Tanggal lahir pada NIK (${dua(t[2])}-${dua(t[1])}-${t[0]}) berbeda dengan tanggal lahir yang dicatat ` +
        `(${m[3]}-${m[2]}-${m[1]}). Data tetap disimpan; periksa kembali KTP/KK.`
    );
  }
  const dicatat = JENIS_KELAMIN[String(jenisKelamin || "").trim().toUpperCase()];
  if (dicatat && dicatat !== info.jenisKelamin) {
    const nama = { L: "laki-laki", P: "perempuan" };
    hasil.push(
      `Jenis kelamin pada NIK (${nama[info.jenisKelamin]}) berbeda dengan yang dicatat (${nama[dicatat]}). ` +
        "Pada NIK perempuan, tanggal lahir ditambah 40. " +
        "Data tetap disimpan; periksa kembali KTP/KK."
    );
  }
  return hasil;
}

/* The rule of a form field, by the label the server puts on it (data-nomor16="NIK" / "No KK"). */
export function periksaIsian(label, value) {
  return label === "No KK" ? periksaNoKk(value) : periksaNik(value);
}
