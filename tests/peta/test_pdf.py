"""The map in the recap PDF: drawn by WeasyPrint beside the table of the same totals."""

import subprocess

import pytest
from django.urls import reverse

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db


def _pdf(client, query):
    r = client.get(reverse("laporan:rekap-ppks") + query)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    return r.content


@pytest.mark.parametrize(
    "username,query,nama,judul",
    [
        ("prov", "?wilayah=62&format=pdf&publik=1", "rekap-provinsi", "per kabupaten/kota"),
        ("kab_palangkaraya", "?wilayah=62.71&format=pdf", "rekap-kabupaten", "per kecamatan"),
    ],
)
def test_recap_pdf_has_the_map_beside_its_table(
    client, world, data_dasbor, username, query, nama, judul
):
    client.force_login(world.users[username])
    isi = _pdf(client, query)
    teks = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=isi, capture_output=True, check=True
    ).stdout.decode()
    assert f"Peta PPKS {judul}" in teks
    assert "Batas wilayah bersifat indikatif" in teks  # text inside the map's SVG
    # The page with the map is drawn (an image with colour on it), looked at as PNG.
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"peta-{nama}.pdf"
    pdf.write_bytes(isi)
    for lama in ARTIFACTS.glob(f"peta-{nama}-*.png"):
        lama.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / f"peta-{nama}")], check=True
    )
    halaman = sorted(ARTIFACTS.glob(f"peta-{nama}-*.png"))
    assert len(halaman) >= 2
    # The map and its table share one page: it comes right after the first (the big table).
    info = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-", "-"], input=isi, capture_output=True
    )
    halaman_dua = info.stdout.decode()
    assert f"Peta PPKS {judul}" in halaman_dua and "Batas wilayah bersifat indikatif" in halaman_dua
