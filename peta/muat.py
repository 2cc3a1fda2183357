"""Loading boundary shapes from GeoJSON into BentukWilayah, with the standard library only.

`muat_bawaan()` loads the shapes shipped in data/peta/ (idempotent: a re-run changes nothing, and
a shape an admin replaced with an official file is kept). `periksa()` compares a replacement file
with the wilayah table and the stored shapes; `terapkan()` writes it, in one transaction.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from peta.models import BentukWilayah
from peta.proyeksi import path_svg, titik
from tksk.models import Wilayah

DATA_DIR = Path(settings.BASE_DIR) / "data" / "peta"
BERKAS_BAWAAN = [f"{t}_62.geojson" for t in ("provinsi", "kabupaten", "kecamatan", "desa")]
SUMBER_BAWAAN = "wilayah_boundaries (Cahya DSN, MIT), disederhanakan"
# Kalimantan Tengah with a margin: a file with lat/lng swapped, or of another province, fails.
BATAS_LNG, BATAS_LAT = (108.0, 118.0), (-5.0, 3.0)


class BerkasSalah(ValueError):
    """A replacement file that cannot be applied; the message says why, in Indonesian."""


@dataclass
class Fitur:
    kode: str
    nama: str
    path: str
    kotak: tuple[float, float, float, float]
    label: tuple[float, float]
    sidik: str


@dataclass
class Perubahan:
    baru: list[str] = field(default_factory=list)
    berubah: list[str] = field(default_factory=list)
    tetap: list[str] = field(default_factory=list)
    hilang: list[str] = field(default_factory=list)  # active areas of the file's levels, absent
    tak_dikenal: list[str] = field(default_factory=list)  # codes not in the wilayah table

    @property
    def boleh(self) -> bool:
        return not self.hilang and not self.tak_dikenal

    def ringkas(self) -> str:
        def daftar(kodes):
            return ", ".join(kodes[:10]) + (f" … (+{len(kodes) - 10})" if len(kodes) > 10 else "")

        baris = [
            f"baru {len(self.baru)}, berubah {len(self.berubah)}, tetap {len(self.tetap)}, "
            f"hilang {len(self.hilang)}, kode tak dikenal {len(self.tak_dikenal)}"
        ]
        for label, kodes in (
            ("Baru", self.baru),
            ("Berubah", self.berubah),
            ("Hilang dari berkas (wilayah aktif tanpa bentuk)", self.hilang),
            ("Kode tidak ada di tabel wilayah", self.tak_dikenal),
        ):
            if kodes:
                baris.append(f"{label}: {daftar(kodes)}")
        return "\n".join(baris)


def _sidik(geometry: dict) -> str:
    teks = json.dumps(geometry["coordinates"], separators=(",", ":"))
    return hashlib.sha256(teks.encode()).hexdigest()


def _periksa_koordinat(kode: str, geometry: dict) -> None:
    def cincin(coords):
        if geometry["type"] == "Polygon":
            return coords
        return [r for poly in coords for r in poly]

    for ring in cincin(geometry.get("coordinates") or []):
        for pt in ring:
            lng, lat = pt[0], pt[1]
            if not (BATAS_LNG[0] <= lng <= BATAS_LNG[1] and BATAS_LAT[0] <= lat <= BATAS_LAT[1]):
                raise BerkasSalah(
                    f"{kode}: koordinat [{lng}, {lat}] di luar Kalimantan Tengah "
                    "(urutan harus [bujur, lintang], WGS84)."
                )


def baca(path: Path) -> list[Fitur]:
    """Features of a GeoJSON FeatureCollection, projected. Raises BerkasSalah."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BerkasSalah(f"Berkas tidak dapat dibaca sebagai GeoJSON: {e}") from e
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BerkasSalah("Berkas harus berupa GeoJSON FeatureCollection.")
    hasil, dilihat = [], set()
    for i, f in enumerate(data.get("features") or [], start=1):
        props = f.get("properties") or {}
        kode = str(props.get("kode") or "").strip()
        geometry = f.get("geometry") or {}
        if not kode:
            raise BerkasSalah(f"Fitur ke-{i} tidak memiliki properti 'kode'.")
        if kode in dilihat:
            raise BerkasSalah(f"Kode {kode} muncul lebih dari sekali.")
        dilihat.add(kode)
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BerkasSalah(f"{kode}: geometri harus Polygon atau MultiPolygon.")
        _periksa_koordinat(kode, geometry)
        try:
            d, kotak = path_svg(geometry)
        except (ValueError, TypeError, IndexError) as e:
            raise BerkasSalah(f"{kode}: geometri tidak sah ({e}).") from e
        if "lat" in props and "lng" in props:
            label = titik(float(props["lng"]), float(props["lat"]))
        else:
            label = ((kotak[0] + kotak[2]) / 2, (kotak[1] + kotak[3]) / 2)
        hasil.append(Fitur(kode, str(props.get("nama", "")), d, kotak, label, _sidik(geometry)))
    if not hasil:
        raise BerkasSalah("Berkas tidak berisi fitur.")
    return hasil


@lru_cache(maxsize=8)
def _baca_bawaan(path: str, mtime: float) -> tuple[Fitur, ...]:
    # The shipped files are read once per process (the tests load them after every flush).
    return tuple(baca(Path(path)))


def periksa(fitur: list[Fitur]) -> Perubahan:
    """What applying `fitur` would change; codes checked against the wilayah table."""
    wilayah = {
        kode: (tingkat, aktif)
        for kode, tingkat, aktif in Wilayah.objects.values_list("kode", "tingkat", "aktif")
    }
    ada = dict(BentukWilayah.objects.values_list("kode", "sidik"))
    hasil = Perubahan()
    tingkat_berkas = set()
    for f in fitur:
        if f.kode not in wilayah:
            hasil.tak_dikenal.append(f.kode)
            continue
        tingkat_berkas.add(wilayah[f.kode][0])
        if f.kode not in ada:
            hasil.baru.append(f.kode)
        elif ada[f.kode] != f.sidik:
            hasil.berubah.append(f.kode)
        else:
            hasil.tetap.append(f.kode)
    dalam_berkas = {f.kode for f in fitur}
    hasil.hilang = sorted(
        kode
        for kode, (tingkat, aktif) in wilayah.items()
        if aktif and tingkat in tingkat_berkas and kode not in dalam_berkas
    )
    return hasil


@transaction.atomic
def terapkan(fitur: list[Fitur], *, sumber: str, timpa: bool = True) -> Perubahan:
    """Write the shapes (new ones created, changed ones updated). With `timpa=False` a stored
    shape from another source (an official replacement) is left as it is."""
    perubahan = periksa(fitur)
    if perubahan.tak_dikenal:
        raise BerkasSalah(perubahan.ringkas())
    id_wilayah = dict(Wilayah.objects.values_list("kode", "pk"))
    ada = {b.kode: b for b in BentukWilayah.objects.all()}
    buat, ubah = [], []
    for f in fitur:
        b = ada.get(f.kode)
        if b is None:
            b = BentukWilayah(wilayah_id=id_wilayah[f.kode], kode=f.kode)
            buat.append(b)
        elif (b.sidik, b.sumber) == (f.sidik, sumber) or (not timpa and b.sumber != sumber):
            continue  # unchanged, or an official replacement the shipped file must not undo
        else:
            ubah.append(b)
        b.path = f.path
        b.x0, b.y0, b.x1, b.y1 = f.kotak
        b.label_x, b.label_y = f.label
        b.sidik, b.sumber = f.sidik, sumber
    BentukWilayah.objects.bulk_create(buat, batch_size=500)
    kolom = ["path", "x0", "y0", "x1", "y1", "label_x", "label_y", "sidik", "sumber"]
    BentukWilayah.objects.bulk_update(ubah, kolom, batch_size=500)
    return perubahan


def fitur_bawaan() -> list[Fitur]:
    hasil = []
    for nama in BERKAS_BAWAAN:
        path = DATA_DIR / nama
        hasil.extend(_baca_bawaan(str(path), path.stat().st_mtime))
    return hasil


def muat_bawaan() -> Perubahan:
    """Load the shipped shapes for every area that has none (or still the shipped one)."""
    return terapkan(fitur_bawaan(), sumber=SUMBER_BAWAAN, timpa=False)
