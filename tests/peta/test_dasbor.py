"""The dashboard map: the table's numbers area by area, the same suppression and drill-down, no
numbers or links outside the user's scope, accessible and CSP-clean."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from peta.dasbor import METRIK
from tksk.models import Wilayah

pytestmark = pytest.mark.django_db

# Map metric → the table column whose header starts with this text.
KOLOM = {
    "keluarga": "Keluarga",
    "individu": "Individu",
    "ppks": "PPKS",
    "ppks_terverifikasi": "PPKS terverifikasi",
    "ppks_diajukan": "PPKS menunggu",
    "psks": "PSKS",
    "kegiatan": "Kegiatan",
    "rujukan": "Rujukan",
    "laporan": "Laporan",
}
AREA = re.compile(
    r'<(a|g) (?:href="([^"]*)" )?(?:role="img" )?aria-label="([^"]*)" data-wilayah="([^"]+)" '
    r'data-teks="([^"]*)"><title>([^<]*)</title><path d="[^"]+" fill="([^"]+)"/>'
)


class _Tabel(HTMLParser):
    """The dashboard's per-area table: {kode: {header: cell text}} and the name links."""

    def __init__(self):
        super().__init__()
        self.dalam = self.kepala = False
        self.header, self.baris, self.tautan = [], {}, {}
        self.kode = self.sel = None
        self.teks = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("data-testid") == "tabel-wilayah":
            self.dalam = True
        if not self.dalam:
            return
        if tag == "thead":
            self.kepala = True
        if tag == "tr" and "data-wilayah" in a:
            self.kode, self.sel = a["data-wilayah"], []
        if tag in ("th", "td"):
            self.teks = ""
        if tag == "a" and self.kode and self.sel == [] and "href" in a:
            self.tautan[self.kode] = a["href"]

    def handle_endtag(self, tag):
        if not self.dalam:
            return
        if tag == "table":
            self.dalam = False
        if tag == "thead":
            self.kepala = False
        if tag in ("th", "td"):
            teks = " ".join(self.teks.split())
            if self.kepala:
                self.header.append(teks)
            elif self.kode is not None:
                self.sel.append(teks)
        if tag == "tr" and self.kode:
            self.baris[self.kode] = dict(zip(self.header, self.sel, strict=False))
            self.kode = None

    def handle_data(self, data):
        self.teks += data


def tabel(content: bytes) -> _Tabel:
    p = _Tabel()
    p.feed(content.decode())
    return p


def peta(content: bytes) -> dict:
    text = content.decode()
    bagian = re.search(r'<svg[^>]*class="peta-svg".*?</svg>', text, re.S)
    assert bagian, "no map on the page"
    return {
        m[3]: {
            "tag": m[0],
            "url": html.unescape(m[1]) if m[1] else None,
            "label": html.unescape(m[2]),
            "teks": html.unescape(m[4]),
            "title": html.unescape(m[5]),
            "fill": m[6],
        }
        for m in AREA.findall(bagian.group(0))
    }


def _kolom(t: _Tabel, metrik: str) -> str:
    awal = KOLOM[metrik]
    cocok = [h for h in t.header if h.startswith(awal)]
    # "PPKS" must not pick "PPKS terverifikasi"; the shortest header with the prefix is it.
    return min(cocok, key=len)


DASBOR = [
    ("prov", "/laporan/", "62"),
    ("prov", "/laporan/wilayah/62.71/", "62.71"),
    ("kab_palangkaraya", "/laporan/", "62.71"),
    ("kab_kapuas", "/laporan/wilayah/62.03.01/", "62.03.01"),
    ("tksk_pahandut", "/laporan/", "62.71.01"),
]


@pytest.mark.parametrize("username,path,kode", DASBOR)
def test_every_metric_shows_the_tables_numbers_area_by_area(
    client, world, data_laporan, username, path, kode
):
    client.force_login(world.users[username])
    pertama = client.get(path)
    assert pertama.status_code == 200
    pilihan = [m for m in METRIK if f"peta={m.kunci}" in pertama.content.decode()]
    assert len(pilihan) >= 5
    anak = set(Wilayah.objects.filter(induk__kode=kode).values_list("kode", flat=True))
    for m in pilihan:
        r = client.get(path, {"peta": m.kunci})
        t, p = tabel(r.content), peta(r.content)
        assert set(p) == anak == set(t.baris), m.kunci
        kolom = _kolom(t, m.kunci)
        for k, area in p.items():
            sel = t.baris[k][kolom]
            if sel == "–":
                assert area["teks"] == "", (m.kunci, k)
            else:
                assert area["teks"] and area["teks"] in sel, (m.kunci, k, sel, area["teks"])
            # Same drill-down: the area links where its name in the table links.
            assert area["url"] == html.unescape(t.tautan[k])
            assert area["tag"] == "a"


def test_numbers_are_not_just_zeros(client, world, data_laporan):
    client.force_login(world.users["prov"])
    r = client.get("/laporan/", {"peta": "keluarga"})
    t, p = tabel(r.content), peta(r.content)
    assert int(p["62.71"]["teks"]) > int(p["62.03"]["teks"]) > 0
    assert t.baris["62.71"]["Keluarga"] == p["62.71"]["teks"]
    assert p["62.71"]["label"].endswith(f": {p['62.71']['teks']} keluarga")
    assert p["62.71"]["fill"] != p["62.03"]["fill"]  # different classes, different colours
    assert p["62.01"]["teks"] == "0"


def test_a_sensitive_category_is_suppressed_on_the_map_as_in_the_table(client, world, data_laporan):
    odha = data_laporan["odha"]
    client.force_login(world.users["prov"])
    r = client.get("/laporan/", {"kategori": odha.pk, "peta": "ppks"})
    t, p = tabel(r.content), peta(r.content)
    kolom = _kolom(t, "ppks")
    assert t.baris["62.71"][kolom] == "<5"
    assert p["62.71"]["teks"] == "<5"
    assert p["62.71"]["fill"] == "url(#peta-tekan)"
    assert "kurang dari 5" in p["62.71"]["label"] and "2" not in p["62.71"]["label"]
    # Secondary suppression reaches the map too: whatever the table hides, the map hides.
    for k, area in p.items():
        if t.baris[k][kolom] == "<5":
            assert area["teks"] == "<5" and area["fill"] == "url(#peta-tekan)"


def test_neighbours_outside_the_scope_carry_no_number_name_or_link(client, world, data_laporan):
    client.force_login(world.users["kab_palangkaraya"])
    r = client.get("/laporan/")
    text = r.content.decode()
    svg = re.search(r'<svg[^>]*class="peta-svg".*?</svg>', text, re.S).group(0)
    luar = re.search(r'<g aria-hidden="true"[^>]*>(.*?)</g>', svg, re.S)
    assert luar, "the neighbouring kabupaten are drawn as context"
    isi = luar.group(1)
    assert isi.count("<path") >= 2
    assert "<a" not in isi and "<title" not in isi and "data-wilayah" not in isi
    kecamatan = set(Wilayah.objects.filter(induk__kode="62.71").values_list("kode", flat=True))
    assert set(peta(r.content)) == kecamatan
    assert svg.count("<a ") == len(kecamatan)
    # No other area's name appears on the map.
    for w in Wilayah.objects.filter(tingkat="kabupaten").exclude(kode="62.71"):
        assert f">{w.nama}<" not in svg and f'"{w.nama}:' not in svg
    # A kabupaten of another area stays a 404, map or not.
    assert client.get("/laporan/wilayah/62.03/").status_code == 404


def test_map_is_accessible_and_csp_clean(client, world, data_laporan):
    client.force_login(world.users["prov"])
    r = client.get("/laporan/")
    text = r.content.decode()
    seksi = re.search(r'<section class="seksi peta".*?</section>', text, re.S).group(0)
    assert " style=" not in seksi and "<style" not in seksi and "<script" not in seksi
    assert '<title id="peta-judul">' in seksi and 'aria-labelledby="peta-judul"' in seksi
    for k, area in peta(r.content).items():
        nama = Wilayah.objects.get(kode=k).nama
        assert area["label"].startswith(f"{nama}: ") and area["label"] == area["title"]
        assert area["url"]  # an <a href>: reachable by keyboard
    # The table stays on the page as the map's alternative.
    assert 'data-testid="tabel-wilayah"' in text
    assert "Batas wilayah bersifat indikatif" in seksi


def test_an_unknown_metric_falls_back_and_the_selector_marks_the_current_one(
    client, world, data_laporan
):
    client.force_login(world.users["prov"])
    r = client.get("/laporan/", {"peta": "<script>"})
    assert r.status_code == 200
    assert "Keluarga per kabupaten/kota" in r.content.decode()
    r = client.get("/laporan/", {"peta": "psks"})
    assert 'aria-current="true">PSKS</a>' in r.content.decode()


def test_report_compliance_is_categorical_on_a_kabupaten(client, world, data_laporan):
    client.force_login(world.users["prov"])
    p = peta(client.get("/laporan/wilayah/62.71/", {"peta": "laporan"}).content)
    assert p["62.71.01"]["teks"].startswith("Diterima")
    assert p["62.71.01"]["fill"] == "#3b528b"
    assert p["62.71.03"]["teks"].startswith("Diajukan")
    assert p["62.71.03"]["fill"] != p["62.71.01"]["fill"]


def test_a_desa_dashboard_has_no_choropleth(client, world, data_laporan):
    client.force_login(world.users["tksk_pahandut"])
    r = client.get(reverse("laporan:wilayah", args=[world.desa["pahandut"].kode]))
    assert r.status_code == 200 and 'class="peta-svg"' not in r.content.decode()
