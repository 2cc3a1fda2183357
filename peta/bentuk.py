"""The stored shapes, held in memory: boundaries are the same for everyone and change only when
an admin replaces them, so a dashboard reads them without a query. One query loads all of them
(≈1.5 MB) the first time, and again after `UMUR` seconds, so a replacement shows within minutes
in every process (or at once after a restart)."""

import threading
import time
from dataclasses import dataclass

from peta.models import BentukWilayah

UMUR = 600

_kunci = threading.Lock()
_cache: dict = {"waktu": 0.0, "data": {}}


@dataclass(frozen=True)
class Bentuk:
    kode: str
    path: str
    kotak: tuple[float, float, float, float]
    label: tuple[float, float]

    @property
    def tingkat_kode(self) -> int:
        return self.kode.count(".")


def semua() -> dict[str, Bentuk]:
    """Every shape by area code."""
    sekarang = time.monotonic()
    if sekarang - _cache["waktu"] < UMUR and _cache["data"]:
        return _cache["data"]
    with _kunci:
        if sekarang - _cache["waktu"] < UMUR and _cache["data"]:
            return _cache["data"]
        data = {
            kode: Bentuk(kode, path, (x0, y0, x1, y1), (lx, ly))
            for kode, path, x0, y0, x1, y1, lx, ly in BentukWilayah.objects.values_list(
                "kode", "path", "x0", "y0", "x1", "y1", "label_x", "label_y"
            ).iterator(chunk_size=2000)
        }
        _cache.update(waktu=time.monotonic(), data=data)
        return data


def lupakan() -> None:
    """Drop the cache (after the shapes were replaced in this process)."""
    _cache.update(waktu=0.0, data={})


def _bersinggungan(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def tetangga(wilayah_kode: str) -> list[Bentuk]:
    """Shapes of the same level as `wilayah_kode` whose box meets its box: drawn as context."""
    data = semua()
    pusat = data.get(wilayah_kode)
    if pusat is None:
        return []
    titik = wilayah_kode.count(".")
    return [
        b
        for b in data.values()
        if b.kode != wilayah_kode
        and b.tingkat_kode == titik
        and _bersinggungan(b.kotak, pusat.kotak)
    ]
