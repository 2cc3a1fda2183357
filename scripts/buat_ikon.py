"""Draws the app icons (192, 512 and maskable variants) into static/img/ for the web manifest.

Run again after changing the colours: `python scripts/buat_ikon.py`.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WARNA = (13, 110, 253)  # the navbar's bg-primary, also the manifest's theme_color
PUTIH = (255, 255, 255)
TUJUAN = Path(__file__).resolve().parents[1] / "static" / "img"


def _huruf(ukuran: int):
    for nama in ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(nama, ukuran)
        except OSError:
            continue
    return ImageFont.load_default()


def gambar(sisi: int, maskable: bool) -> Image.Image:
    img = Image.new("RGB", (sisi, sisi), WARNA if maskable else PUTIH)
    d = ImageDraw.Draw(img)
    if not maskable:
        # A rounded tile on white; a maskable icon fills the whole square instead, since the
        # launcher cuts its own shape (the safe zone is the middle 80%).
        d.rounded_rectangle([0, 0, sisi - 1, sisi - 1], radius=sisi // 6, fill=WARNA)
    teks = "TKSK"
    huruf = _huruf(int(sisi * (0.2 if maskable else 0.26)))
    kiri, atas, kanan, bawah = d.textbbox((0, 0), teks, font=huruf)
    d.text(
        ((sisi - (kanan - kiri)) / 2 - kiri, (sisi - (bawah - atas)) / 2 - atas),
        teks,
        font=huruf,
        fill=PUTIH,
    )
    return img


def main():
    TUJUAN.mkdir(parents=True, exist_ok=True)
    for sisi in (192, 512):
        gambar(sisi, False).save(TUJUAN / f"ikon-{sisi}.png", optimize=True)
        gambar(sisi, True).save(TUJUAN / f"ikon-maskable-{sisi}.png", optimize=True)
    gambar(180, True).save(TUJUAN / "ikon-apple-180.png", optimize=True)


if __name__ == "__main__":
    main()
