"""Small plane geometry on the stored shapes (map units, peta/proyeksi.py): whether a point lies
in an area, how far it is from its edge, and points inside an area for the demo data. The paths
are the ones the loader writes (`M x y` then relative `l dx dy` moves, each ring closed by `z`),
read back into rings; a few thousand vertices at most, so plain Python is fast enough."""

import math
import re
from functools import lru_cache

from peta import proyeksi

_TOKEN = re.compile(r"[MmLlZz]|-?\d+(?:\.\d+)?")


@lru_cache(maxsize=512)
def cincin(path: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The rings of an SVG path of absolute `M`, relative or absolute `l`/`L` and `z`."""
    rings, ring = [], []
    x = y = 0.0
    perintah = "M"
    angka: list[float] = []
    for tok in _TOKEN.findall(path):
        if tok in "MmLlZz":
            perintah = tok
            if tok in "Zz":
                if len(ring) >= 3:
                    rings.append(tuple(ring))
                ring = []
            continue
        angka.append(float(tok))
        if len(angka) < 2:
            continue
        dx, dy = angka
        angka = []
        if perintah in "ML":
            x, y = dx, dy
        else:  # relative: m after the first pair, or l
            x, y = x + dx, y + dy
        if perintah in "Mm":
            if len(ring) >= 3:
                rings.append(tuple(ring))
            ring = [(x, y)]
            perintah = "l" if perintah == "m" else "L"
        else:
            ring.append((x, y))
    if len(ring) >= 3:
        rings.append(tuple(ring))
    return tuple(rings)


def di_dalam(rings, x: float, y: float) -> bool:
    """Even-odd rule (as the map is filled): inside an odd number of rings."""
    dalam = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            x1, y1 = ring[i]
            x2, y2 = ring[(i + 1) % n]
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                dalam = not dalam
    return dalam


def jarak_tepi(rings, x: float, y: float) -> float:
    """Distance from the point to the nearest edge of any ring (map units)."""
    terbaik = math.inf
    for ring in rings:
        n = len(ring)
        for i in range(n):
            x1, y1 = ring[i]
            x2, y2 = ring[(i + 1) % n]
            dx, dy = x2 - x1, y2 - y1
            panjang = dx * dx + dy * dy
            t = 0.0
            if panjang:
                t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / panjang))
            terbaik = min(terbaik, math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)))
    return terbaik


def berisi(path: str, lng: float, lat: float, *, toleransi: float = 0.0) -> bool:
    """Whether the WGS84 point lies in the shape, or within `toleransi` map units of its edge."""
    x, y = proyeksi.titik(lng, lat)
    rings = cincin(path)
    return di_dalam(rings, x, y) or (toleransi > 0 and jarak_tepi(rings, x, y) <= toleransi)


def ke_lnglat(x: float, y: float) -> tuple[float, float]:
    """The inverse of proyeksi.titik."""
    return x / (proyeksi.SKALA * proyeksi.COS) + proyeksi.LNG0, proyeksi.LAT0 - y / proyeksi.SKALA


def titik_acak(rng, paths: list[str], kotak, *, percobaan: int = 200):
    """A (lng, lat) inside every one of `paths` (e.g. a desa and its kecamatan), drawn in
    `kotak`, rounded to 6 decimals as stored; None when `percobaan` draws all miss."""
    x0, y0, x1, y1 = kotak
    semua = [cincin(p) for p in paths]
    for _ in range(percobaan):
        lng, lat = ke_lnglat(x0 + rng.random() * (x1 - x0), y0 + rng.random() * (y1 - y0))
        lng, lat = round(lng, 6), round(lat, 6)
        x, y = proyeksi.titik(lng, lat)
        if all(di_dalam(r, x, y) for r in semua):
            return lng, lat
    return None
