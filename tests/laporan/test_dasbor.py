"""Dashboards: one per role, numbers equal the lists they link to, scope never widened by the
query string, sensitive categories suppressed outside the chain, a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from laporan.selectors import label_bulan
from pendataan.models import PPKS, Keluarga
from tests.laporan.conftest import jumlah_daftar, tautan_angka
from tests.matrix.ppks import buat_keluarga, buat_ppks

PERAN = ["tksk_pahandut", "tksk_selat", "kab_palangkaraya", "kab_kapuas", "prov", "admin"]


def _halaman_turunan(content: str) -> list[str]:
    """Drill-down links of a dashboard (child areas)."""
    return sorted(set(re.findall(r'href="(/laporan/wilayah/[0-9.]+/[^"]*)"', content)))


@pytest.mark.django_db
@pytest.mark.parametrize("username", PERAN)
def test_every_number_equals_the_list_it_links_to(client, world, data_dasbor, username):
    client.force_login(world.users[username])
    halaman = [reverse("laporan:index"), reverse("laporan:index") + "?status=terverifikasi"]
    awal = client.get(halaman[0])
    assert awal.status_code == 200
    # One level of drill-down too (a few children), and a category filter.
    halaman += [u.replace("&amp;", "&") for u in _halaman_turunan(awal.content.decode())][:3]
    halaman.append(reverse("laporan:index") + f"?kategori={data_dasbor['odha'].pk}")
    diperiksa = 0
    for url in halaman:
        response = client.get(url)
        assert response.status_code == 200, url
        tautan = sorted(set(tautan_angka(response.content)))
        assert tautan, f"{url}: no linked number"
        # Every non-zero number, and some zeros (a list page costs a few hundred ms).
        tautan = [t for t in tautan if t[1]] + [t for t in tautan if not t[1]][:4]
        for target, angka in tautan:
            assert jumlah_daftar(client, target) == angka, f"{username} {url}: {target}"
            diperiksa += 1
    assert diperiksa >= 10


@pytest.mark.django_db
def test_each_role_opens_on_its_own_area(client, world, data_dasbor):
    cases = {
        "tksk_pahandut": "Dasbor Kecamatan Pahandut",
        "kab_palangkaraya": "Dasbor Kota Palangkaraya",
        "kab_kapuas": "Dasbor Kabupaten Kapuas",
        "prov": "Dasbor Provinsi Kalimantan Tengah",
        "admin": "Dasbor Provinsi Kalimantan Tengah",
    }
    for username, judul in cases.items():
        client.force_login(world.users[username])
        response = client.get(reverse("laporan:index"))
        assert judul in response.content.decode(), username
        assert "Data per" in response.content.decode()
    client.force_login(world.users["unassigned"])
    response = client.get(reverse("laporan:index"))
    assert response.status_code == 200 and b'data-testid="tanpa-wilayah"' in response.content
    assert not tautan_angka(response.content)


def _kartu(response) -> dict:
    """The four headline numbers (keluarga, individu, ppks, psks) of a dashboard."""
    total = response.context["total"].nilai
    return {k: total[k].tampil for k in ("keluarga", "individu", "ppks", "psks")}


@pytest.mark.django_db
def test_headline_numbers_per_role(client, world, data_dasbor):
    expected = {
        # Pahandut: 4 households + 5 of PPKS subjects, each with its living head (the dead
        # child is not counted), 3 FM + 2 ODHA, 2 PSKS.
        "tksk_pahandut": {"keluarga": 9, "individu": 9, "ppks": 5, "psks": 2},
        "kab_palangkaraya": {"keluarga": 12, "individu": 12, "ppks": 6, "psks": 2},
        # The province's PPKS column leaves out sensitive categories (ODHA): 3 FM + 1 LUT.
        "prov": {"keluarga": 21, "individu": 21, "ppks": 4, "psks": 3},
        "admin": {"keluarga": 21, "individu": 21, "ppks": 12, "psks": 3},
    }
    for username, angka in expected.items():
        client.force_login(world.users[username])
        assert _kartu(client.get(reverse("laporan:index"))) == angka, username
    client.force_login(world.users["prov"])
    verified = client.get(reverse("laporan:index") + "?status=terverifikasi")
    assert _kartu(verified) == {"keluarga": 2, "individu": 2, "ppks": 1, "psks": 0}


@pytest.mark.django_db
def test_sensitive_counts_are_suppressed_and_unlinked_outside_the_chain(client, world, data_dasbor):
    odha = data_dasbor["odha"]

    def baris_odha(response):
        return next(r for r in response.context["matriks"]["baris"] if r["kategori"] == odha)

    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:index"))
    row = baris_odha(response)
    kolom = [w.kode for w in response.context["matriks"]["kolom"]]
    sel = dict(zip(kolom, row["sel"], strict=True))
    # Palangkaraya has 2 ODHA records: below 5, hidden; Kapuas has 6: shown, but not linked.
    assert sel["62.71"].tampil == "<5" and sel["62.71"].url is None
    assert sel["62.03"].tampil == 6 and sel["62.03"].url is None
    assert row["total"].tampil == 8
    # With exactly one hidden cell in the row the total would give it away: every other
    # single hidden cell is hidden too (here the zeros of the other kabupaten are below 5).
    assert sum(1 for c in row["sel"] if c.tampil == "<5") >= 2
    content = response.content.decode()
    assert "ODHA" in content and 'data-testid="catatan-sensitif"' in content
    # Inside the chain the same counts are plain numbers with their list link.
    client.force_login(world.users["kab_palangkaraya"])
    response = client.get(reverse("laporan:index"))
    row = baris_odha(response)
    assert row["total"].tampil == 2 and row["total"].url
    assert jumlah_daftar(client, row["total"].url) == 2
    response = client.get(reverse("laporan:index") + f"?kategori={odha.pk}")
    assert _kartu(response)["ppks"] == 2
    # The province filtering on the sensitive category: the per-kabupaten column is suppressed
    # like the matrix row, never leaving a single hidden cell beside its printed total.
    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:index") + f"?kategori={odha.pk}")
    kolom = {b.wilayah.kode: b.nilai["ppks"] for b in response.context["baris"]}
    assert kolom["62.71"].tampil == "<5" and kolom["62.71"].url is None
    assert kolom["62.03"].tampil == 6 and _kartu(response)["ppks"] == 8
    semua = [*kolom.values(), response.context["total"].nilai["ppks"]]
    assert sum(a.tampil == "<5" for a in semua) >= 2


@pytest.mark.django_db
def test_query_string_never_widens_the_scope(client, world, data_dasbor):
    client.force_login(world.users["kab_palangkaraya"])
    own = _kartu(client.get(reverse("laporan:index")))
    # Another area's code in the path: 404, whatever the level.
    for kode in ("62.03", "62.03.01", world.desa["selat"].kode, "62", "99.99"):
        assert client.get(reverse("laporan:wilayah", args=[kode])).status_code == 404, kode
    # Unknown parameters, repeated ones, another area's code as a parameter: same numbers.
    for query in (
        "?wilayah=62.03",
        "?wilayah=62&kecamatan=1&desa__kabupaten=1",
        "?status=terverifikasi&status=",
        "?kategori=999999&periode=bukan-bulan",
        "?periode=2999-01",
    ):
        response = client.get(reverse("laporan:index") + query)
        assert response.status_code == 200, query
        assert _kartu(response) == own, query
    # Recaps: an area outside scope is a 404, also as the last of repeated parameters.
    rekap = reverse("laporan:rekap-ppks")
    assert client.get(rekap + "?wilayah=62.03").status_code == 404
    assert client.get(rekap + "?wilayah=62.71&wilayah=62.03").status_code == 404
    assert client.get(rekap + "?wilayah=62.03&wilayah=62.71").status_code == 200
    client.force_login(world.users["tksk_pahandut"])
    assert client.get(reverse("laporan:wilayah", args=["62.71"])).status_code == 404
    assert client.get(reverse("laporan:wilayah", args=["62.71.03"])).status_code == 404
    desa = world.desa["pahandut"]
    response = client.get(reverse("laporan:wilayah", args=[desa.kode]))
    assert response.status_code == 200
    for url, angka in tautan_angka(response.content):
        assert f"desa={desa.pk}" in url or "koordinasi" in url
        assert jumlah_daftar(client, url) == angka


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,path,queries",
    [
        ("prov", "/laporan/", 16),
        ("prov", "/laporan/wilayah/62.71/", 15),
        ("kab_palangkaraya", "/laporan/", 16),
        ("tksk_pahandut", "/laporan/", 20),
        ("tksk_pahandut", "DESA", 10),
    ],
)
def test_dashboards_run_a_fixed_number_of_queries(
    client, world, data_dasbor, django_assert_num_queries, username, path, queries
):
    client.force_login(world.users[username])
    if path == "DESA":
        path = reverse("laporan:wilayah", args=[world.desa["pahandut"].kode])
    client.get(path)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
    # Ten times more records: the same number of queries.
    for kec in ("pahandut", "jekanraya", "selat"):
        for _ in range(10):
            buat_keluarga(world, kec)
            buat_ppks(world, kec, "PD")
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_filters_period_and_freshness(client, world, data_dasbor):
    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:index") + "?periode=2025-12")
    assert response.context["saringan"].bulan.isoformat() == "2025-12-01"
    tren = response.context["tren"]["bulan"]
    assert tren[-1]["label"] == "Des 2025" and tren[-1]["tampil"] == 1  # the LUT of 3 Dec
    assert label_bulan(response.context["saringan"].bulan) in response.content.decode()
    sekarang = client.get(reverse("laporan:index"))
    tren = sekarang.context["tren"]["bulan"]
    assert tren[-1]["tampil"] == 1  # the FM moved to this month (ODHA is left out here)
    sebelum = sekarang.context["data_per"]
    kel = Keluarga.objects.first()
    Keluarga.objects.filter(pk=kel.pk).update(status="diajukan")
    assert client.get(reverse("laporan:index")).context["data_per"] > sebelum


@pytest.mark.django_db
def test_tksk_sees_what_waits_for_them(client, world, data_dasbor):
    PPKS.objects.filter(desa__kecamatan=world.kec["pahandut"], kategori__singkatan="FM").update(
        status="dikembalikan", alasan_kembali="tidak_lengkap"
    )
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(reverse("laporan:index"))
    perhatian = response.context["perhatian"]
    assert perhatian["dikembalikan"]["ppks"].nilai == 3
    assert jumlah_daftar(client, perhatian["dikembalikan"]["ppks"].url) == 3
    assert perhatian["tindak_lanjut"].nilai == 0 and perhatian["rujukan"].nilai == 0
    assert b'data-testid="laporan-bulan-ini"' in response.content
    assert "Buat laporan" in response.content.decode()
    # The kabupaten does not get the TKSK's to-do panel, only the report status of the month.
    client.force_login(world.users["kab_palangkaraya"])
    response = client.get(reverse("laporan:wilayah", args=[world.kec["pahandut"].kode]))
    assert "perhatian" not in response.context and "laporan_sel" in response.context


@pytest.mark.django_db
def test_charts_are_svg_images_without_script(client, world, data_dasbor):
    import base64

    client.force_login(world.users["prov"])
    content = client.get(reverse("laporan:index")).content.decode()
    uris = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', content)
    assert len(uris) >= 4
    for uri in uris:
        svg = base64.b64decode(uri).decode()
        assert svg.startswith("<svg") and "<script" not in svg and "viewBox" in svg
    assert "<script>" not in content  # no inline script on the page
