"""Shared data for the laporan tests: households, persons, PPKS (a sensitive category among them)
and PSKS in the three kecamatan of the test world, in several verification states."""

import html
import re
from datetime import date

import pytest
from django.utils import timezone

from pendataan.models import PPKS, Individu, Keluarga
from tests.matrix.ppks import buat_keluarga, buat_ppks, buat_psks
from tksk.models import KategoriPPKS

TAUTAN_ANGKA = re.compile(r'<a class="angka[^"]*" href="([^"]+)" data-jumlah="(\d+)">')


def tautan_angka(content: bytes | str) -> list[tuple[str, int]]:
    """Every number of a page that links to a list: (url, number)."""
    text = content.decode() if isinstance(content, bytes) else content
    return [(html.unescape(url), int(n)) for url, n in TAUTAN_ANGKA.findall(text)]


def jumlah_daftar(client, url: str) -> int:
    """The number of records the list at `url` shows (all pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.fixture
def data_dasbor(world):
    """Pahandut: 4 households (2 verified), a dead member, 3 FM + 2 ODHA (sensitive) PPKS,
    2 PSKS; Jekan Raya: 2 households, 1 LUT; Selat: 3 households, 6 ODHA."""
    bulan_ini = timezone.localdate().replace(day=1)
    dibuat = {}
    for kec, jumlah in (("pahandut", 4), ("jekanraya", 2), ("selat", 3)):
        dibuat[kec] = [buat_keluarga(world, kec) for _ in range(jumlah)]
    for kel, _ in dibuat["pahandut"][:2]:
        Keluarga.objects.filter(pk=kel.pk).update(status="terverifikasi")
    kel, _ = dibuat["pahandut"][0]
    Individu.objects.create(
        keluarga=kel,
        desa=kel.desa,
        alasan_tanpa_nik="bayi",
        nama="Almarhum",
        jenis_kelamin="P",
        hubungan="anak",
        status_hidup="meninggal",
    )
    for _ in range(3):
        p = buat_ppks(world, "pahandut", "FM")
    PPKS.objects.filter(pk=p.pk).update(status="terverifikasi", tanggal_identifikasi=bulan_ini)
    for _ in range(2):
        buat_ppks(world, "pahandut", "ODHA")
    lut = buat_ppks(world, "jekanraya", "LUT")
    PPKS.objects.filter(pk=lut.pk).update(tanggal_identifikasi=date(2025, 12, 3))
    for _ in range(6):
        buat_ppks(world, "selat", "ODHA", status="diajukan")
    buat_psks(world, "pahandut")
    buat_psks(world, "pahandut")
    buat_psks(world, "selat")
    return {"odha": KategoriPPKS.objects.get(singkatan="ODHA"), "bulan": bulan_ini}
