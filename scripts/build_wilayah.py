#!/usr/bin/env python3
"""Build data/wilayah_62.csv from the npm registry package idn-area-data.

The package ships the Kemendagri area codes as CSV files (codes already dotted):
    data/provinces.csv  code,name
    data/regencies.csv  code,province_code,name
    data/districts.csv  code,regency_code,name
    data/villages.csv   code,district_code,name
We keep one province and write a single file with columns kode,nama,tingkat,induk.
Names are copied as the package has them; codes are the key.

Usage: python scripts/build_wilayah.py [--province 62] [--version 4.0.1] [--output PATH]
Needs only the standard library and `npm` (for `npm pack`, which downloads the
tarball and checks it against the registry's integrity hash).
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import NoReturn

PACKAGE = "idn-area-data"
DEFAULT_VERSION = "4.0.1"
DEFAULT_PROVINCE = "62"
# sha512 of the 4.0.1 tarball (`npm view idn-area-data@4.0.1 dist.integrity`), so a
# rebuild is known to read exactly the data the committed CSV came from.
PINNED_INTEGRITY = {
    "4.0.1": "sha512-PhNSIl5T7swVwwWxJOFMtCaeHAF9TUu0HLDf+36EIWZro9j7au83AFIJiBQGL+iRsBDA2"
    "OlpJ5fjiqxNYndzOQ==",
}

# (package file, parent column, tingkat) per level, top-down.
LEVELS = [
    ("provinces.csv", None, "provinsi"),
    ("regencies.csv", "province_code", "kabupaten"),
    ("districts.csv", "regency_code", "kecamatan"),
    ("villages.csv", "district_code", "desa"),
]
# tingkat -> tingkat of its parent.
PARENT_TINGKAT = {LEVELS[i][2]: LEVELS[i - 1][2] for i in range(1, len(LEVELS))}
# Kemendagri code shape per level (Permendagri 58/2021): 62, 62.71, 62.71.01, 62.71.01.1001.
CODE_RE = {
    "provinsi": re.compile(r"\d{2}"),
    "kabupaten": re.compile(r"\d{2}\.\d{2}"),
    "kecamatan": re.compile(r"\d{2}\.\d{2}\.\d{2}"),
    "desa": re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}"),
}

# Known counts for Kalimantan Tengah in idn-area-data 4.0.1: kabupaten -> (kecamatan, desa).
EXPECTED_62 = {
    "62.01": (6, 94),
    "62.02": (17, 185),
    "62.03": (17, 231),
    "62.04": (6, 93),
    "62.05": (9, 103),
    "62.06": (13, 161),
    "62.07": (10, 100),
    "62.08": (5, 32),
    "62.09": (8, 88),
    "62.10": (12, 127),
    "62.11": (8, 99),
    "62.12": (10, 125),
    "62.13": (10, 103),
    "62.71": (5, 30),
}

FIELDS = ["kode", "nama", "tingkat", "induk"]


def fail(msg: str) -> NoReturn:
    sys.exit(f"build_wilayah: ERROR: {msg}")


def dotted(code: str, tingkat: str) -> str:
    """Return the dotted form; older package versions stored codes without dots."""
    code = code.strip()
    if "." in code or tingkat == "provinsi":
        return code
    cuts = {"kabupaten": [2], "kecamatan": [2, 4], "desa": [2, 4, 6]}[tingkat]
    parts, start = [], 0
    for cut in cuts + [len(code)]:
        parts.append(code[start:cut])
        start = cut
    return ".".join(parts)


def fetch_tarball(version: str, workdir: Path) -> Path:
    """`npm pack` into a temp dir; no install, no node_modules, nothing global."""
    spec = f"{PACKAGE}@{version}"
    try:
        out = subprocess.run(
            ["npm", "pack", spec],
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except FileNotFoundError:
        fail("npm not found on PATH")
    except subprocess.CalledProcessError as exc:
        fail(f"npm pack {spec} failed:\n{exc.stderr}")
    tarball = workdir / out.strip().splitlines()[-1]
    if not tarball.is_file():
        fail(f"npm pack did not produce {tarball.name}")

    pinned = PINNED_INTEGRITY.get(version)
    if pinned:
        digest = hashlib.sha512(tarball.read_bytes()).digest()
        actual = "sha512-" + base64.b64encode(digest).decode()
        if actual != pinned:
            fail(f"{spec} integrity mismatch: {actual} != {pinned}")
    return tarball


def read_csv(tar: tarfile.TarFile, name: str) -> list[dict[str, str]]:
    try:
        member = tar.extractfile(f"package/data/{name}")
    except KeyError:
        member = None
    if member is None:
        fail(f"package/data/{name} not in the tarball (package layout changed?)")
    text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
    return list(csv.DictReader(text))


def build_rows(tarball: Path, province: str) -> list[dict[str, str]]:
    rows = []
    # Read the CSVs straight out of the tarball: nothing else in it is needed.
    with tarfile.open(tarball, "r:gz") as tar:
        for filename, parent_col, tingkat in LEVELS:
            for rec in read_csv(tar, filename):
                kode = dotted(rec["code"], tingkat)
                induk = dotted(rec[parent_col], PARENT_TINGKAT[tingkat]) if parent_col else ""
                if kode.split(".")[0] != province:
                    continue
                rows.append({"kode": kode, "nama": rec["name"], "tingkat": tingkat, "induk": induk})
    # Fixed-width segments, so a plain string sort puts every parent before its children.
    rows.sort(key=lambda r: r["kode"])
    return rows


def check(rows: list[dict[str, str]], province: str) -> None:
    """Fail loudly on anything that would give the app a broken wilayah tree."""
    by_kode = {}
    for r in rows:
        if r["kode"] in by_kode:
            fail(f"duplicate kode {r['kode']}")
        by_kode[r["kode"]] = r
        if not CODE_RE[r["tingkat"]].fullmatch(r["kode"]):
            fail(f"bad {r['tingkat']} code {r['kode']!r}")
        if not r["nama"].strip():
            fail(f"empty name for {r['kode']}")
        if r["tingkat"] == "provinsi":
            continue
        parent = by_kode.get(r["induk"])  # sorted, so the parent was seen already
        if parent is None:
            fail(f"{r['kode']}: induk {r['induk']!r} does not exist")
        if parent["tingkat"] != PARENT_TINGKAT[r["tingkat"]]:
            fail(f"{r['kode']}: induk {r['induk']} is a {parent['tingkat']}")
        if not r["kode"].startswith(r["induk"] + "."):
            fail(f"{r['kode']}: code does not extend induk {r['induk']}")

    count = Counter(r["tingkat"] for r in rows)
    if count["provinsi"] != 1:
        fail(f"expected 1 provinsi {province}, got {count['provinsi']}")
    # Every kabupaten needs a kecamatan and every kecamatan a desa (TKSK work per kecamatan).
    children = Counter(r["induk"] for r in rows)
    for r in rows:
        if r["tingkat"] in ("kabupaten", "kecamatan") and not children[r["kode"]]:
            fail(f"{r['tingkat']} {r['kode']} has no children")

    if province == "62":
        per_kab = {}
        for kab in (r["kode"] for r in rows if r["tingkat"] == "kabupaten"):
            kec = sum(1 for r in rows if r["tingkat"] == "kecamatan" and r["induk"] == kab)
            desa = sum(1 for r in rows if r["tingkat"] == "desa" and r["kode"][:5] == kab)
            per_kab[kab] = (kec, desa)
        if per_kab != EXPECTED_62:
            diff = {
                k: (per_kab.get(k), EXPECTED_62.get(k))
                for k in sorted(per_kab.keys() | EXPECTED_62.keys())
                if per_kab.get(k) != EXPECTED_62.get(k)
            }
            fail(f"62 counts differ (kab: (got), (expected)): {diff}")
        # 1,721 codes below the province (14 + 136 + 1,571), plus the province row itself.
        totals = (count["kabupaten"], count["kecamatan"], count["desa"], len(rows))
        if totals != (14, 136, 1571, 1722):
            fail(f"62 totals kab/kec/desa/rows {totals} != (14, 136, 1571, 1722)")


def write_csv(rows: list[dict[str, str]], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(output.suffix + ".tmp")
    # UTF-8 without BOM, LF endings; csv quotes any field that needs it.
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(output)  # only replace the old file once the new one is complete


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default=DEFAULT_PROVINCE, help="2-digit province code")
    parser.add_argument("--version", default=DEFAULT_VERSION, help=f"{PACKAGE} version")
    parser.add_argument("--output", type=Path, help="default: data/wilayah_<province>.csv")
    args = parser.parse_args()
    if not re.fullmatch(r"\d{2}", args.province):
        fail(f"--province must be two digits, got {args.province!r}")
    output = args.output or (
        Path(__file__).resolve().parent.parent / "data" / f"wilayah_{args.province}.csv"
    )

    with tempfile.TemporaryDirectory(prefix="build_wilayah-") as tmp:
        tarball = fetch_tarball(args.version, Path(tmp))
        rows = build_rows(tarball, args.province)
    if not rows:
        fail(f"no rows for province {args.province}")
    check(rows, args.province)
    write_csv(rows, output)

    count = Counter(r["tingkat"] for r in rows)
    print(
        f"{PACKAGE}@{args.version} province {args.province}: "
        f"{count['provinsi']} provinsi, {count['kabupaten']} kabupaten/kota, "
        f"{count['kecamatan']} kecamatan, {count['desa']} desa/kelurahan "
        f"({len(rows)} rows) -> {output}"
    )


if __name__ == "__main__":
    main()
