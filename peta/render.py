"""A choropleth drawn on the server as SVG, for the page (inline, so every area is a keyboard-
reachable link) and for the PDF (WeasyPrint draws the same markup).

Colours are presentation attributes (`fill="…"`), as in laporan/charts.py: the strict CSP forbids
style attributes, not these. The palette is viridis (sequential, readable with every common colour
vision deficiency and in greyscale); areas without data and areas whose count is suppressed get
two distinct hatchings, areas outside the user's scope a plain grey with no name or number.
Every text is XML-escaped here.
"""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
VIRIDIS = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
ABU_LUAR = "#e9ecef"
GARIS_LUAR = "#ced4da"
TEKS = "#212529"
LEBAR = 360
TINGGI_MAKS = 400


def _e(teks) -> str:
    return escape(str(teks), {'"': "&quot;"})


def _n(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


@dataclass
class Area:
    """One child area on the map, as the table shows it."""

    kode: str
    nama: str
    teks: str  # the number as displayed ("1.234", "<5", "3/5", "Diterima"), "" without data
    nilai: float | None = None  # what the colour is chosen by; None: no data or suppressed
    tekan: bool = False  # suppressed (small count)
    url: str | None = None
    kategori: str | None = None  # categorical metrics: the class key


@dataclass
class Kelas:
    label: str
    warna: str  # a colour or a pattern reference
    simbol: str = ""  # "" a swatch; a point symbol's key (SIMBOL) for the point layers


@dataclass
class Titik:
    """A point drawn over the areas (a PSKS or a partner): position in map units, hover text."""

    jenis: str
    x: float
    y: float
    judul: str


# Point symbols, told apart by shape as well as colour: PSKS a white circle, partners an orange
# diamond, both with a dark outline that stands out on every viridis class.
SIMBOL = {
    "psks": ("PSKS", "#ffffff"),
    "mitra": ("Mitra", "#e66100"),
}
GARIS_TITIK = "#212529"


def _simbol(jenis: str, x: float, y: float, r: float, isi: str = "", attr: str = "") -> str:
    warna = SIMBOL[jenis][1]
    if jenis == "psks":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{warna}"{attr}>{isi}</circle>'
    d = r * 1.25
    return (
        f'<path d="M{_n(x)} {_n(y - d)}l{_n(d)} {_n(d)}l{_n(-d)} {_n(d)}l{_n(-d)} {_n(-d)}z" '
        f'fill="{warna}"{attr}>{isi}</path>'
    )


@dataclass
class Peta:
    svg: str
    judul: str
    kelas: list[Kelas] = field(default_factory=list)


def kelas_kuantil(nilai: list[float], k: int = 5) -> list[float]:
    """Lower bounds of up to `k` quantile classes (each distinct value its own class when there
    are at most `k`)."""
    xs = sorted(nilai)
    if not xs:
        return []
    beda = sorted(set(xs))
    if len(beda) <= k:
        return beda
    batas = {xs[0]}
    for i in range(1, k):
        batas.add(xs[min(len(xs) - 1, (i * len(xs)) // k)])
    return sorted(batas)


def _warna_kelas(n: int) -> list[str]:
    if n == 1:
        return [VIRIDIS[2]]
    return [VIRIDIS[round(i * (len(VIRIDIS) - 1) / (n - 1))] for i in range(n)]


def _fmt(v: float) -> str:
    return f"{int(v):,}".replace(",", ".") if float(v).is_integer() else f"{v:.1f}"


def legenda_kuantil(batas: list[float], maks: float, satuan: str = "") -> list[Kelas]:
    warna = _warna_kelas(len(batas))
    hasil = []
    for i, lo in enumerate(batas):
        if i + 1 < len(batas):
            hi = batas[i + 1] - 1
            label = _fmt(lo) if hi <= lo else f"{_fmt(lo)}–{_fmt(hi)}"
        else:
            label = _fmt(lo) if maks <= lo else f"{_fmt(lo)}–{_fmt(maks)}"
        hasil.append(Kelas(label + satuan, warna[i]))
    return hasil


POLA = (
    '<defs><pattern id="peta-tekan" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f8f9fa"/>'
    '<rect width="2" height="6" fill="#6c757d"/></pattern>'
    '<pattern id="peta-kosong" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1" fill="#adb5bd"/>'
    "</pattern></defs>"
)
TEKAN = Kelas("Disamarkan (<5)", "url(#peta-tekan)")
KOSONG = Kelas("Tidak ada data", "url(#peta-kosong)")
LUAR = Kelas("Sekitar (tanpa angka)", ABU_LUAR)  # fits one legend column at 360 px


def gambar(
    *,
    judul: str,
    satuan: str,
    kotak: tuple[float, float, float, float],
    areas: list[tuple[Area, str]],
    luar: list[str],
    garis_induk: str | None,
    kategori: list[tuple[str, str, str]] | None = None,
    titik: list[Titik] | None = None,
) -> Peta:
    """The map of `areas` (each with its SVG path) inside `kotak`, neighbours `luar` drawn as
    plain context, and the legend below. `kategori` (key, label, colour) makes it categorical.
    `titik` are drawn over the areas, small (a hover shows the name), hidden from screen
    readers: the page says how many there are and the lists name them."""
    x0, y0, x1, y1 = kotak
    w, h = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    pad = 6
    s = min((LEBAR - 2 * pad) / w, (TINGGI_MAKS - 2 * pad) / h)
    tinggi_peta = h * s + 2 * pad
    tx = (LEBAR - w * s) / 2
    garis = 0.9 / s

    if kategori is not None:
        warna_kat = {k: c for k, _, c in kategori}
        dipakai = {a.kategori for a, _ in areas}
        kelas = [Kelas(label, c) for k, label, c in kategori if k in dipakai]

        def isi(a: Area) -> str:
            return warna_kat.get(a.kategori, KOSONG.warna)
    else:
        angka = [a.nilai for a, _ in areas if a.nilai is not None]
        batas = kelas_kuantil(angka)
        kelas = legenda_kuantil(batas, max(angka, default=0))
        warna = _warna_kelas(len(batas)) if batas else []

        def isi(a: Area) -> str:
            if a.tekan:
                return TEKAN.warna
            if a.nilai is None:
                return KOSONG.warna
            i = max(j for j, lo in enumerate(batas) if lo <= a.nilai)
            return warna[i]

    if any(a.tekan for a, _ in areas):
        kelas.append(TEKAN)
    if any(a.nilai is None and not a.tekan and a.kategori is None for a, _ in areas):
        kelas.append(KOSONG)
    if luar:
        kelas.append(LUAR)
    titik = titik or []
    for jenis, (nama_jenis, warna_jenis) in SIMBOL.items():
        n = sum(1 for t in titik if t.jenis == jenis)
        if n:
            kelas.append(Kelas(f"{nama_jenis} ({_fmt(n)} titik)", warna_jenis, jenis))

    bagian = [
        f'<g transform="translate({_n(tx)} {pad}) scale({_n(s)}) translate({_n(-x0)} {_n(-y0)})" '
        f'stroke-linejoin="round" stroke-width="{_n(garis)}">'
    ]
    if luar:
        bagian.append(
            f'<g aria-hidden="true" fill="{ABU_LUAR}" stroke="{GARIS_LUAR}">'
            + "".join(f'<path d="{d}"/>' for d in luar)
            + "</g>"
        )
    bagian.append('<g stroke="#ffffff" fill-rule="evenodd">')
    for a, d in areas:
        label = f"{a.nama}: {a.teks or 'tidak ada data'} {satuan}".strip()
        if a.tekan:
            label = f"{a.nama}: kurang dari 5 {satuan} (disamarkan)"
        jalur = f'<path d="{d}" fill="{isi(a)}"/>'
        if a.url:
            bagian.append(
                f'<a href="{_e(a.url)}" aria-label="{_e(label)}" data-wilayah="{_e(a.kode)}" '
                f'data-teks="{_e(a.teks)}"><title>{_e(label)}</title>{jalur}</a>'
            )
        else:
            bagian.append(
                f'<g role="img" aria-label="{_e(label)}" data-wilayah="{_e(a.kode)}" '
                f'data-teks="{_e(a.teks)}"><title>{_e(label)}</title>{jalur}</g>'
            )
    bagian.append("</g>")
    if titik:
        r = 4 / s
        bagian.append(
            f'<g class="peta-titik" aria-hidden="true" '
            f'stroke="{GARIS_TITIK}" stroke-width="{_n(garis * 1.2)}">'
        )
        bagian += [
            _simbol(
                t.jenis, t.x, t.y, r, f"<title>{_e(t.judul)}</title>", f' data-titik="{t.jenis}"'
            )
            for t in titik
        ]
        bagian.append("</g>")
    if garis_induk:
        bagian.append(
            f'<path d="{garis_induk}" fill="none" stroke="#495057" '
            f'stroke-width="{_n(garis * 1.6)}" aria-hidden="true"/>'
        )
    bagian.append("</g>")

    # Legend: two columns of swatches under the map, then the disclaimer.
    y = tinggi_peta + 16
    bagian.append(
        f'<text x="8" y="{_n(y)}" font-size="12" font-weight="bold" fill="{TEKS}">'
        f"{_e(judul)}</text>"
    )
    y += 8
    for i, k in enumerate(kelas):
        kol, brs = i % 2, i // 2
        x, yy = 8 + kol * 176, y + brs * 20
        if k.simbol:
            contoh = _simbol(
                k.simbol, x + 8, yy + 7, 5, attr=f' stroke="{GARIS_TITIK}" stroke-width="1"'
            )
        else:
            contoh = (
                f'<rect x="{x}" y="{_n(yy)}" width="16" height="14" fill="{k.warna}" '
                f'stroke="#adb5bd" stroke-width="0.5"/>'
            )
        bagian.append(
            contoh + f'<text x="{x + 22}" y="{_n(yy + 11.5)}" font-size="11" fill="{TEKS}">'
            f"{_e(k.label)}</text>"
        )
    y += ((len(kelas) + 1) // 2) * 20 + 14
    bagian.append(
        f'<text x="8" y="{_n(y)}" font-size="11" fill="#6c757d">'
        "Batas wilayah bersifat indikatif.</text>"
    )
    tinggi = y + 8
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="peta-svg" viewBox="0 0 {LEBAR} '
        f'{_n(tinggi)}" width="{LEBAR}" height="{_n(tinggi)}" role="group" '
        f'aria-labelledby="peta-judul" font-family="{FONT}">'
        f'<title id="peta-judul">{_e(judul)}</title>{POLA}'
        f'<rect width="{LEBAR}" height="{_n(tinggi)}" fill="#ffffff"/>' + "".join(bagian) + "</svg>"
    )
    return Peta(svg, judul, kelas)


def titik(
    *, judul: str, kotak, path: str, titik_xy: list[tuple[float, float]], luar: list[str]
) -> str:
    """One desa with household points (no names, no links: positions only)."""
    x0, y0, x1, y1 = kotak
    w, h = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    pad = 8
    s = min((LEBAR - 2 * pad) / w, (TINGGI_MAKS - 2 * pad) / h)
    tx = (LEBAR - w * s) / 2
    tinggi = h * s + 2 * pad + 40
    r = 3.2 / s
    bagian = [
        f'<g transform="translate({_n(tx)} {pad}) scale({_n(s)}) translate({_n(-x0)} {_n(-y0)})" '
        f'stroke-width="{_n(0.9 / s)}">'
    ]
    if luar:
        bagian.append(
            f'<g aria-hidden="true" fill="{ABU_LUAR}" stroke="{GARIS_LUAR}">'
            + "".join(f'<path d="{d}"/>' for d in luar)
            + "</g>"
        )
    bagian.append(f'<path d="{path}" fill="#f8f9fa" stroke="#495057" fill-rule="evenodd"/>')
    bagian.append(f'<g fill="{VIRIDIS[3]}" stroke="#ffffff" stroke-width="{_n(0.6 / s)}">')
    bagian += [f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"/>' for x, y in titik_xy]
    bagian.append("</g></g>")
    y = h * s + 2 * pad + 16
    bagian.append(
        f'<text x="8" y="{_n(y)}" font-size="11" fill="#6c757d">'
        "Batas wilayah bersifat indikatif; titik dari GPS pendataan.</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="peta-svg" viewBox="0 0 {LEBAR} '
        f'{_n(tinggi)}" width="{LEBAR}" height="{_n(tinggi)}" role="img" '
        f'aria-labelledby="peta-judul" font-family="{FONT}">'
        f'<title id="peta-judul">{_e(judul)}</title>'
        f'<rect width="{LEBAR}" height="{_n(tinggi)}" fill="#ffffff"/>' + "".join(bagian) + "</svg>"
    )


def kecamatan_offline(*, judul: str, kotak, desa: list[tuple[str, str, str]]) -> str:
    """A kecamatan's desa as a standalone SVG (no numbers: it stays valid offline for long)."""
    x0, y0, x1, y1 = kotak
    w, h = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    s = min(LEBAR / w, TINGGI_MAKS / h)
    bagian = [
        f'<g transform="scale({_n(s)}) translate({_n(-x0)} {_n(-y0)})" fill="#e7f0fa" '
        f'stroke="#1f5fa8" stroke-width="{_n(0.9 / s)}" fill-rule="evenodd">'
    ]
    for kode, nama, d in desa:
        bagian.append(
            f'<g data-wilayah="{_e(kode)}" aria-label="{_e(nama)}"><title>{_e(nama)}</title>'
            f'<path d="{d}"/></g>'
        )
    bagian.append("</g>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(w * s)} {_n(h * s)}" '
        f'width="{_n(w * s)}" height="{_n(h * s)}" role="group" aria-labelledby="peta-judul" '
        f'font-family="{FONT}"><title id="peta-judul">{_e(judul)}</title>'
        + "".join(bagian)
        + "</svg>\n"
    )
