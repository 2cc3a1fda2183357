"""From WGS84 [lng, lat] to map units: an equirectangular projection centred on the province
(it lies on the equator, so a degree of longitude and of latitude are almost the same length
and the province keeps its proportions). y grows southwards, as SVG's does. One unit is 1/100°
(≈1.1 km); paths keep two decimals (≈11 m), ample for a dashboard."""

import math

LNG0 = 110.0
LAT0 = 1.5  # north of the province: y is positive everywhere in it
SKALA = 100.0
COS = math.cos(math.radians(-1.5))  # the province's middle latitude


def titik(lng: float, lat: float) -> tuple[float, float]:
    return round((lng - LNG0) * SKALA * COS, 2), round((LAT0 - lat) * SKALA, 2)


def _n(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _cincin(ring) -> tuple[str, list[tuple[float, float]]]:
    pts = [titik(lng, lat) for lng, lat in ring]
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts = pts[:-1]
    # Drop points that round onto the previous one.
    bersih = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    if len(bersih) < 3:
        return "", []
    x, y = bersih[0]
    bagian = [f"M{_n(x)} {_n(y)}"]
    # Relative moves are shorter than absolute ones.
    for (ax, ay), (bx, by) in zip(bersih, bersih[1:], strict=False):
        bagian.append(f"l{_n(bx - ax)} {_n(by - ay)}")
    return "".join(bagian) + "z", bersih


def path_svg(geometry: dict) -> tuple[str, tuple[float, float, float, float]]:
    """SVG path data (even-odd rings) and bounding box of a GeoJSON Polygon/MultiPolygon."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"geometri {geometry['type']} bukan poligon")
    d, semua = [], []
    for poly in polygons:
        for ring in poly:
            teks, pts = _cincin(ring)
            if teks:
                d.append(teks)
                semua.extend(pts)
    if not semua:
        raise ValueError("geometri kosong")
    xs, ys = [p[0] for p in semua], [p[1] for p in semua]
    return "".join(d), (min(xs), min(ys), max(xs), max(ys))
