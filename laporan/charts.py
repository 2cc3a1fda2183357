"""Charts drawn on the server as SVG: the same chart in the page (an <img> with a data: URI, so
no JavaScript and no inline markup) and in the PDF (WeasyPrint draws the same image).

Sized for a 360 px phone: the drawing is 360 units wide and scales with its container, and the
text stays at least 11 units high. Every text is XML-escaped here; values hidden by small-cell
suppression ("<5") are written as such, without a bar.
"""

import base64
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
BIRU = "#1f5fa8"
BIRU_MUDA = "#8fb3dc"
ABU = "#6c757d"
GARIS = "#dee2e6"
LEBAR = 360


def _e(teks) -> str:
    return escape(str(teks), {'"': "&quot;"})


def _angka(n) -> str:
    return f"{n:,}".replace(",", ".") if isinstance(n, int) else str(n)


def _skala(maks: int) -> int:
    """A round upper bound for the axis (1, 2, 2.5, 5 × 10^k)."""
    if maks <= 4:
        return 4
    pangkat = 10 ** math.floor(math.log10(maks))
    for f in (1, 2, 2.5, 5, 10):
        if maks <= f * pangkat:
            return int(f * pangkat)
    return maks


@dataclass
class Grafik:
    svg: str
    judul: str
    lebar: int
    tinggi: int

    @property
    def uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def _svg(lebar: int, tinggi: int, judul: str, isi: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lebar} {tinggi}" '
        f'width="{lebar}" height="{tinggi}" role="img" aria-label="{_e(judul)}" '
        f'font-family="{FONT}">'
        f"<title>{_e(judul)}</title>"
        f'<rect width="{lebar}" height="{tinggi}" fill="#fff"/>' + "".join(isi) + "</svg>"
    )


def _potong(teks: str, maks: int) -> str:
    return teks if len(teks) <= maks else teks[: maks - 1].rstrip() + "…"


def batang(items: list[tuple[str, object]], *, judul: str, warna: str = BIRU) -> Grafik:
    """Horizontal bars, one per item (label, value); values may be "<5" (no bar)."""
    kiri, kanan, baris, atas = 132, 44, 20, 8
    tinggi = atas + baris * max(len(items), 1) + 22
    lebar_batang = LEBAR - kiri - kanan
    angka = [v for _, v in items if isinstance(v, int)]
    skala = _skala(max(angka, default=0))
    isi = []
    for k in range(5):
        x = kiri + lebar_batang * k / 4
        isi.append(
            f'<line x1="{x:.1f}" y1="{atas}" x2="{x:.1f}" y2="{tinggi - 20}" '
            f'stroke="{GARIS}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{tinggi - 6}" font-size="10" fill="{ABU}" '
            f'text-anchor="middle">{_angka(round(skala * k / 4))}</text>'
        )
    for i, (label, nilai) in enumerate(items):
        y = atas + i * baris
        isi.append(
            f'<text x="{kiri - 6}" y="{y + 14}" font-size="11" fill="#212529" '
            f'text-anchor="end">{_e(_potong(label, 18))}</text>'
        )
        if isinstance(nilai, int) and nilai > 0:
            w = max(lebar_batang * nilai / skala, 1.5)
            isi.append(
                f'<rect x="{kiri}" y="{y + 4}" width="{w:.1f}" height="{baris - 7}" '
                f'fill="{warna}" rx="2"/>'
            )
        else:
            w = 0
        warna_teks = ABU if not isinstance(nilai, int) else "#212529"
        isi.append(
            f'<text x="{kiri + w + 4:.1f}" y="{y + 14}" font-size="11" fill="{warna_teks}">'
            f"{_e(_angka(nilai))}</text>"
        )
    return Grafik(_svg(LEBAR, tinggi, judul, isi), judul, LEBAR, tinggi)


def kolom(items: list[tuple[str, object]], *, judul: str, warna: str = BIRU) -> Grafik:
    """Vertical columns (a monthly trend), labels under each column."""
    kiri, kanan, atas, bawah = 36, 8, 18, 34
    tinggi = 200
    tinggi_area = tinggi - atas - bawah
    n = max(len(items), 1)
    lebar_slot = (LEBAR - kiri - kanan) / n
    angka = [v for _, v in items if isinstance(v, int)]
    skala = _skala(max(angka, default=0))
    isi = []
    for k in range(5):
        y = atas + tinggi_area * (1 - k / 4)
        isi.append(
            f'<line x1="{kiri}" y1="{y:.1f}" x2="{LEBAR - kanan}" y2="{y:.1f}" '
            f'stroke="{GARIS}" stroke-width="1"/>'
            f'<text x="{kiri - 4}" y="{y + 4:.1f}" font-size="10" fill="{ABU}" '
            f'text-anchor="end">{_angka(round(skala * k / 4))}</text>'
        )
    for i, (label, nilai) in enumerate(items):
        x = kiri + i * lebar_slot
        tengah = x + lebar_slot / 2
        if isinstance(nilai, int) and nilai > 0:
            h = tinggi_area * nilai / skala
            isi.append(
                f'<rect x="{x + lebar_slot * 0.15:.1f}" y="{atas + tinggi_area - h:.1f}" '
                f'width="{lebar_slot * 0.7:.1f}" height="{h:.1f}" fill="{warna}" rx="1.5"/>'
            )
            y_nilai = atas + tinggi_area - h - 3
        else:
            y_nilai = atas + tinggi_area - 3
        isi.append(
            f'<text x="{tengah:.1f}" y="{max(y_nilai, 11):.1f}" font-size="9" '
            f'fill="#212529" text-anchor="middle">{_e(_angka(nilai))}</text>'
        )
        bulan, _, tahun = str(label).partition(" ")
        isi.append(
            f'<text x="{tengah:.1f}" y="{tinggi - bawah + 13}" font-size="10" fill="#212529" '
            f'text-anchor="middle">{_e(bulan)}</text>'
        )
        if tahun and (i == 0 or bulan == "Jan"):
            isi.append(
                f'<text x="{tengah:.1f}" y="{tinggi - bawah + 26}" font-size="9" '
                f'fill="{ABU}" text-anchor="middle">{_e(tahun)}</text>'
            )
    isi.append(
        f'<line x1="{kiri}" y1="{atas + tinggi_area}" x2="{LEBAR - kanan}" '
        f'y2="{atas + tinggi_area}" stroke="{ABU}" stroke-width="1"/>'
    )
    return Grafik(_svg(LEBAR, tinggi, judul, isi), judul, LEBAR, tinggi)


def donat(items: list[tuple[str, int, str]], *, judul: str) -> Grafik:
    """Shares of a whole (label, value, colour) as a ring with a legend: referral outcomes."""
    tinggi = max(150, 24 + 24 * len(items))
    cx, cy, r, tebal = 75, 75, 58, 22
    total = sum(v for _, v, _ in items)
    isi = []
    if total == 0:
        isi.append(
            f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{GARIS}" '
            f'stroke-width="{tebal}"/>'
        )
    else:
        sudut = -math.pi / 2
        for _, nilai, warna in items:
            if nilai <= 0:
                continue
            bagian = 2 * math.pi * nilai / total
            if bagian >= 2 * math.pi - 1e-9:
                isi.append(
                    f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{warna}" '
                    f'stroke-width="{tebal}"/>'
                )
                break
            x1, y1 = cx + r * math.cos(sudut), cy + r * math.sin(sudut)
            sudut += bagian
            x2, y2 = cx + r * math.cos(sudut), cy + r * math.sin(sudut)
            besar = 1 if bagian > math.pi else 0
            isi.append(
                f'<path d="M{x1:.2f},{y1:.2f} A{r},{r} 0 {besar} 1 {x2:.2f},{y2:.2f}" '
                f'fill="none" stroke="{warna}" stroke-width="{tebal}"/>'
            )
    isi.append(
        f'<text x="{cx}" y="{cy + 6}" font-size="16" font-weight="bold" fill="#212529" '
        f'text-anchor="middle">{_angka(total)}</text>'
    )
    for i, (label, nilai, warna) in enumerate(items):
        y = 24 + i * 24
        isi.append(
            f'<rect x="164" y="{y - 12}" width="14" height="14" fill="{warna}" rx="2"/>'
            f'<text x="184" y="{y}" font-size="13" fill="#212529">'
            f"{_e(_potong(label, 16))}: {_e(_angka(nilai))}</text>"
        )
    return Grafik(_svg(LEBAR, tinggi, judul, isi), judul, LEBAR, tinggi)
