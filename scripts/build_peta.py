"""Rebuild the dashboard boundaries in data/peta/ from the full GeoJSON of the source data set.

    .venv/bin/python scripts/build_peta.py SOURCE_DIR

SOURCE_DIR holds kabupaten_62.geojson, kecamatan_62.geojson and desa_62.geojson (WGS84,
[lng, lat], each feature with `kode`, `nama`, `lat`, `lng`). Each level is simplified as a
coverage (shared borders stay shared: no gaps or overlaps between neighbours) with a tolerance
fitted to the scale it is drawn at, coordinates are rounded, and the province outline is the
union of its kabupaten. Needs shapely (a development dependency only: the application reads the
result with the standard library, see peta/muat.py).
"""

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "peta"
# Tolerance in degrees (1e-3 ≈ 110 m) per level: a kabupaten is drawn across a whole province
# map, a desa across one kecamatan's.
TOLERANSI = {"kabupaten": 0.01, "kecamatan": 0.005, "desa": 0.0015}
DESIMAL = {"provinsi": 4, "kabupaten": 4, "kecamatan": 4, "desa": 4}


def _poligon(geom):
    """Only the polygonal part: repairing a ring can leave stray lines or points."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    bagian = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(bagian) if bagian else shapely.Polygon()


def _bulat(geom, desimal: int) -> dict:
    geom = _poligon(shapely.set_precision(geom, 10**-desimal))
    return mapping(geom)


def _tulis(nama: str, fitur: list[dict]) -> Path:
    path = OUT / f"{nama}_62.geojson"
    data = {"type": "FeatureCollection", "features": fitur}
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")
    return path


def bangun(sumber: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    kabupaten_geom = []
    for tingkat in ("kabupaten", "kecamatan", "desa"):
        src = json.loads((sumber / f"{tingkat}_62.geojson").read_text())
        fitur = src["features"]
        geoms = [_poligon(shapely.make_valid(shape(f["geometry"]))) for f in fitur]
        sederhana = shapely.coverage_simplify(geoms, TOLERANSI[tingkat])
        keluar = []
        for f, g in zip(fitur, sederhana, strict=True):
            g = _poligon(shapely.make_valid(g)) if not g.is_valid else g
            if g.is_empty:  # a sliver simplified away: keep the original instead
                g = shape(f["geometry"])
            p = f["properties"]
            keluar.append(
                {
                    "type": "Feature",
                    "properties": {k: p[k] for k in ("kode", "nama", "lat", "lng")},
                    "geometry": _bulat(g, DESIMAL[tingkat]),
                }
            )
        if tingkat == "kabupaten":
            kabupaten_geom = [shape(f["geometry"]) for f in keluar]
        path = _tulis(tingkat, keluar)
        print(f"{path.relative_to(ROOT)}: {len(keluar)} features, {path.stat().st_size:,} bytes")
    prov = shapely.union_all(kabupaten_geom)
    titik = prov.representative_point()
    fitur = [
        {
            "type": "Feature",
            "properties": {
                "kode": "62",
                "nama": "Kalimantan Tengah",
                "lat": round(titik.y, 5),
                "lng": round(titik.x, 5),
            },
            "geometry": _bulat(prov, DESIMAL["provinsi"]),
        }
    ]
    path = _tulis("provinsi", fitur)
    print(f"{path.relative_to(ROOT)}: 1 feature, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bangun(Path(sys.argv[1]))
