"""Recaps (next level down × category) as HTML, CSV, XLSX, PDF and through the API; small-cell
suppression with secondary suppression."""

import csv
import io
import subprocess

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from laporan.models import LaporanBulanan
from laporan.selectors import bulan_ini
from tksk import privasi
from tksk.models import AuditLog, KategoriPPKS


def _csv(response):
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_recap_csv_per_next_level(client, world, data_dasbor):
    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:rekap-ppks") + "?wilayah=62&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    kategori = list(KategoriPPKS.objects.order_by("nomor"))
    assert rows[0][:2] == ["Kode wilayah", "Kabupaten/Kota"]
    assert rows[0][2:-1] == [f"{k.singkatan} – {k.nama}" for k in kategori]
    per_kode = {r[0]: r for r in rows[1:]}
    assert len(per_kode) == 15  # 14 kabupaten/kota + the total row
    odha = 2 + [k.singkatan for k in kategori].index("ODHA")
    fm = 2 + [k.singkatan for k in kategori].index("FM")
    assert per_kode["62.71"][fm] == "3"
    # Sensitive: Palangkaraya's 2 ODHA are hidden from the province, Kapuas' 6 are not.
    assert per_kode["62.71"][odha] == "<5" and per_kode["62.03"][odha] == "6"
    assert per_kode["62"][odha] == "8"
    log = AuditLog.objects.get(aksi="ekspor_rekap")
    assert log.data == {
        "jenis": "ppks",
        "wilayah": "62",
        "format": "csv",
        "publik": False,
        "status": "semua",
        "baris": 15,
    }
    # The kabupaten (inside the chain) sees its own kecamatan rows with exact counts.
    client.force_login(world.users["kab_palangkaraya"])
    rows = _csv(client.get(reverse("laporan:rekap-ppks") + "?wilayah=62.71&format=csv"))
    per_kode = {r[0]: r for r in rows[1:]}
    assert rows[0][1] == "Kecamatan" and per_kode["62.71.01"][odha] == "2"
    # A TKSK gets desa rows of their kecamatan; another kecamatan is a 404.
    client.force_login(world.users["tksk_pahandut"])
    rows = _csv(client.get(reverse("laporan:rekap-ppks") + "?wilayah=62.71.01&format=csv"))
    assert rows[0][1] == "Desa/Kelurahan"
    assert client.get(reverse("laporan:rekap-ppks") + "?wilayah=62.71.03").status_code == 404


@pytest.mark.django_db
def test_public_recap_hides_small_counts_and_cannot_be_recovered(client, world, data_dasbor):
    client.force_login(world.users["kab_palangkaraya"])
    rows = _csv(client.get(reverse("laporan:rekap-ppks") + "?wilayah=62.71&format=csv&publik=1"))
    for row in rows[1:]:
        for cell in row[2:]:
            assert cell == "<5" or int(cell.replace(".", "")) >= 5, row
    # Every line with a hidden cell has at least two (or its total is hidden too).
    for row in rows[1:]:
        assert sum(c == "<5" for c in row[2:-1]) != 1 or row[-1] == "<5"


@pytest.mark.django_db
def test_recap_xlsx_numbers_styles_and_no_formula(client, world, data_dasbor):
    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:rekap-psks") + "?wilayah=62&format=xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    kepala = next(r for r in ws.iter_rows() if r[0].value == "Kode wilayah")
    assert all(c.font.b for c in kepala) and kepala[0].fill.fgColor.rgb.endswith("1F5FA8")
    assert ws.freeze_panes == f"A{kepala[0].row + 1}"
    angka = 0
    for row in ws.iter_rows(min_row=kepala[0].row + 1):
        for cell in row:
            assert cell.data_type != "f"
            if cell.column > 2:
                assert isinstance(cell.value, int) or cell.value == "<5"
                angka += isinstance(cell.value, int)
    assert angka > 100
    total = next(r for r in ws.iter_rows() if r[0].value == "62")
    assert total[-1].value == 3


@pytest.mark.django_db
def test_recap_pdf_with_charts(client, world, data_dasbor):
    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:rekap-ppks") + "?wilayah=62&format=pdf&publik=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    teks = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True
    ).stdout.decode()
    for harus in (
        "REKAP PPKS PER KABUPATEN/KOTA DAN KATEGORI",
        "Kabupaten Kapuas",
        "Kota Palangkaraya",
        "Versi publik",
        "Halaman 1 dari ",
        "Per kategori",
        "FM · Fakir Miskin",  # text of the SVG chart
    ):
        assert harus in teks, harus
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True)
    assert "841.89 x 595.276" in info.stdout.decode()  # A4 landscape


@pytest.mark.django_db
def test_recap_page_links_down_and_downloads(client, world, data_dasbor):
    client.force_login(world.users["kab_palangkaraya"])
    response = client.get(reverse("laporan:rekap-ppks"))
    content = response.content.decode()
    assert response.status_code == 200 and "Rekap PPKS · Kota Palangkaraya" in content
    assert "?wilayah=62.71.01" in content and "format=pdf" in content


@pytest.mark.django_db
def test_api_recap_and_reports(client, world, data_dasbor):
    client.force_login(world.users["prov"])
    data = client.get(reverse("api:rekap-ppks") + "?wilayah=62").json()
    per_kode = {b["kode"]: b for b in data["baris"]}
    assert per_kode["62.71"]["jumlah"]["PPKS-16"] == "<5"  # ODHA, sensitive
    assert per_kode["62.03"]["jumlah"]["PPKS-16"] == 6
    assert data["total"]["total"] == 12
    assert client.get(reverse("api:rekap-ppks") + "?wilayah=99").status_code == 404
    client.force_login(world.users["kab_kapuas"])
    assert client.get(reverse("api:rekap-psks") + "?wilayah=62.71").status_code == 404
    data = client.get(reverse("api:rekap-psks")).json()
    assert data["wilayah"]["kode"] == "62.03" and data["total"]["total"] == 1
    for kec in ("pahandut", "selat"):
        LaporanBulanan.objects.create(
            tksk=world.users[f"tksk_{kec}"], kecamatan=world.kec[kec], bulan=bulan_ini()
        )
    data = client.get(reverse("api:laporan-bulanan-list")).json()
    assert data["count"] == 1 and data["results"][0]["kecamatan"] == "62.03.01"


def test_secondary_suppression_examples():
    # Row: [1, 7, 9 | total 17]: the 1 alone would be recovered from the total.
    assert privasi.sekunder_baris([1, 7, 9, 17], [True, False, False, False]) == [
        True,
        True,
        False,
        False,
    ]
    # Nothing hidden: nothing changes; two hidden: nothing more to hide.
    assert privasi.sekunder_baris([5, 7, 12], [False, False, False]) == [False, False, False]
    assert privasi.sekunder_baris([1, 2, 9, 12], [True, True, False, False]) == [
        True,
        True,
        False,
        False,
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5),
        min_size=2,
        max_size=5,
    )
)
def test_no_line_keeps_a_single_hidden_cell(rows):
    lebar = min(len(r) for r in rows)
    grid = [r[:lebar] + [sum(r[:lebar])] for r in rows]
    grid.append([sum(col) for col in zip(*grid, strict=True)])
    primer = [[n < 5 and n > 0 for n in row] for row in grid]
    mask = privasi.sekunder(grid, primer)
    for i, row in enumerate(mask):
        assert sum(row) != 1, (grid, mask)
        assert all(mask[i][j] for j, p in enumerate(primer[i]) if p)
    for j in range(len(grid[0])):
        assert sum(mask[i][j] for i in range(len(grid))) != 1, (grid, mask)
