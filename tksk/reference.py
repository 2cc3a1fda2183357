"""Loading reference data shipped in data/: the wilayah of a province and the PPKS/PSKS
categories. Idempotent: a re-run changes nothing, a renamed area is updated, nothing referenced is
deleted (areas missing from the file are marked inactive instead)."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tksk.models import KategoriPPKS, KategoriPSKS, Tingkat, Wilayah

DATA_DIR = Path(settings.BASE_DIR) / "data"
WILAYAH_SOURCE = "Kepmendagri 300.2.2-2138/2025 via idn-area-data 4.0.1 (ODbL)"
# Categories whose records are data pribadi spesifik or stigmatising (DOMAIN.md §8): hidden from
# lists outside the recording kecamatan's chain and never counted below 5 outside it.
SENSITIVE_PPKS = {"ABH", "TS", "KMIN", "ODHA", "NAPZA", "KPO", "KTK"}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0


@transaction.atomic
def load_wilayah(province: str = "62", path: Path | None = None) -> LoadResult:
    path = path or DATA_DIR / f"wilayah_{province}.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kode"].split(".")[0] == province]
    existing = {w.kode: w for w in Wilayah.objects.filter(kode__regex=rf"^{province}(\.|$)")}
    result = LoadResult()
    by_kode: dict[str, Wilayah] = {}
    # Rows are sorted by code, so a parent always comes before its children.
    for row in sorted(rows, key=lambda r: (len(r["kode"]), r["kode"])):
        induk = by_kode.get(row["induk"]) if row["induk"] else None
        w = existing.get(row["kode"])
        if w is None:
            w = Wilayah(kode=row["kode"])
            result.created += 1
        elif (w.nama, w.tingkat, w.induk_id, w.aktif) == (
            row["nama"],
            row["tingkat"],
            induk.pk if induk else None,
            True,
        ):
            by_kode[w.kode] = w
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        w.nama, w.tingkat, w.induk, w.aktif, w.sumber = (
            row["nama"],
            row["tingkat"],
            induk,
            True,
            WILAYAH_SOURCE,
        )
        w.save()
        by_kode[w.kode] = w
    # Ancestor links (and the self-link at each row's own level) for one-equality scoping.
    for w in by_kode.values():
        links = _ancestor_links(w, by_kode)
        if any(getattr(w, f"{k}_id") != v for k, v in links.items()):
            for k, v in links.items():
                setattr(w, f"{k}_id", v)
            w.save(update_fields=list(links))
    gone = [k for k in existing if k not in by_kode and existing[k].aktif]
    result.deactivated = Wilayah.objects.filter(kode__in=gone).update(aktif=False)
    return result


def _ancestor_links(w: Wilayah, by_kode: dict[str, Wilayah]) -> dict[str, int | None]:
    parts = w.kode.split(".")
    links = {}
    for depth, level in enumerate([Tingkat.PROVINSI, Tingkat.KABUPATEN, Tingkat.KECAMATAN]):
        code = ".".join(parts[: depth + 1]) if len(parts) > depth else None
        links[level.value] = by_kode[code].pk if code in by_kode else None
    return links


@transaction.atomic
def load_kategori() -> tuple[int, int]:
    def read(name):
        with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def number(value):
        return int(value) if value not in ("", None) else None

    for row in read("ppks_categories.csv"):
        KategoriPPKS.objects.update_or_create(
            kode=row["code"],
            defaults={
                "nomor": int(row["no"]),
                "singkatan": row["short"],
                "nama": row["name"],
                "unit": row["subject_unit"],
                "ringkasan": row["summary"],
                "usia_min": number(row["age_min"]),
                "usia_max": number(row["age_max"]),
                "jenis_kelamin": row["sex"],
                "sensitif": row["short"] in SENSITIVE_PPKS,
            },
        )
    for row in read("psks_categories.csv"):
        KategoriPSKS.objects.update_or_create(
            kode=row["code"],
            defaults={
                "nomor": int(row["no"]),
                "singkatan": row["short"],
                "nama": row["name"],
                "unit": row["subject_unit"],
                "ringkasan": row["summary"],
            },
        )
    return KategoriPPKS.objects.count(), KategoriPSKS.objects.count()
