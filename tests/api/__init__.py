"""Helpers shared by the REST API tests: clients, request bodies in the contract's shape."""

import itertools
import uuid
from datetime import date
from pathlib import Path

from rest_framework.test import APIClient

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
_urut = itertools.count(1)


def klien(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def nik(tanggal: date = date(1985, 4, 12), jenis_kelamin: str = "L", kode: str = "627101") -> str:
    """A valid NIK with a fresh serial (region prefix is informational only)."""
    hari = tanggal.day + (40 if jenis_kelamin == "P" else 0)
    return f"{kode}{hari:02d}{tanggal:%m%y}{6000 + next(_urut) % 4000:04d}"


def no_kk() -> str:
    return f"62710120016{next(_urut) % 100000:05d}"


def anggota(nama="Budi Santoso", hubungan="kepala_keluarga", **extra) -> dict:
    tanggal = extra.pop("tanggal_lahir", date(1985, 4, 12))
    jk = extra.pop("jenis_kelamin", "L")
    data = {
        "nik": nik(tanggal, jk),
        "nama": nama,
        "jenis_kelamin": jk,
        "tempat_lahir": "Palangka Raya",
        "tanggal_lahir": tanggal.isoformat(),
        "hubungan": hubungan,
    }
    data.update(extra)
    return data


def badan_keluarga(di_desa, *, jumlah: int = 2, **extra) -> dict:
    """The create body of the contract: uuid, no_kk, desa, alamat, rt, rw, anggota[...]."""
    susunan = [
        ("Budi Santoso", "kepala_keluarga", "L", date(1980, 5, 12)),
        ("Siti Aminah", "istri", "P", date(1983, 9, 3)),
        ("Andi Santoso", "anak", "L", date(2006, 2, 20)),
        ("Rina Santoso", "anak", "P", date(2010, 7, 14)),
        ("Dodi Santoso", "anak", "L", date(2016, 11, 1)),
    ]
    body = {
        "uuid": str(uuid.uuid4()),
        "no_kk": no_kk(),
        "desa": di_desa.kode,
        "alamat": "Jl. Tjilik Riwut No. 5",
        "rt": "004",
        "rw": "002",
        "anggota": [
            anggota(nama, hubungan, jenis_kelamin=jk, tanggal_lahir=lahir)
            for nama, hubungan, jk, lahir in susunan[:jumlah]
        ],
    }
    body.update(extra)
    return body


def teks_berbahaya() -> list[str]:
    """The shared bad-input corpus (one value per line) plus a 10,000-character string."""
    baris = (CORPUS / "teks_berbahaya.txt").read_text(encoding="utf-8").splitlines()
    return [b for b in baris if b] + ["A" * 10_000]
