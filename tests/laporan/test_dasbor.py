"""Dashboards: one per role, numbers equal the lists they link to, scope never widened by the
query string, sensitive categories suppressed outside the chain, a fixed number of queries."""

import html
import re

import pytest
from django.urls import reverse

from laporan.selectors import akhir_bulan, label_bulan
from pendataan.models import PPKS, Keluarga
from tests.laporan.conftest import (
    angka_tanpa_tautan,
    bagian,
    jumlah_daftar,
    sel_kepatuhan,
    tautan_angka,
)
from tests.matrix.ppks import buat_keluarga, buat_ppks
from tksk.models import Wilayah

PERAN = ["tksk_pahandut", "tksk_selat", "kab_palangkaraya", "kab_kapuas", "prov", "admin"]


def _halaman_turunan(content: str) -> list[str]:
    """Drill-down links of a dashboard (child areas)."""
    return sorted(set(re.findall(r'href="(/laporan/wilayah/[0-9.]+/[^"]*)"', content)))


# A kecamatan dashboard below each role's own area (its rows are desa): one more level of links.
KECAMATAN_DI_BAWAH = {
    "kab_palangkaraya": "62.71.03",
    "kab_kapuas": "62.03.01",
    "prov": "62.71.01",
    "admin": "62.03.01",
}


def _laporan_tanpa_tautan(content: bytes) -> list[str]:
    """The report numbers of a dashboard shown without a link to the report list: the
    compliance summary (its three report counts), the per-kabupaten "laporan masuk" and
    "diterima" numbers, and every grid cell of a submitted report. Written out element by
    element, so that a number printed plainly (not through `{% angka %}`) fails too."""
    salah = []
    for p in bagian(content, "kepatuhan-ringkas", "p"):
        if len(re.findall(r'<a class="angka[^"]*" href="/laporan/bulanan/\?', p)) != 3:
            salah.append(f"kepatuhan-ringkas: {p}")
    for td in bagian(content, "laporan-masuk", "td"):
        if not re.search(r'<a class="angka[^"]*" href="/laporan/bulanan/\?[^"]*status=masuk', td):
            salah.append(f"laporan-masuk: {td}")
    for mini in re.findall(r'<p class="kp-mini kp-tautan[^"]*">(.*?)</p>', content.decode()):
        if not re.search(r'<a class="angka[^"]*" href="/laporan/bulanan/\?', mini):
            salah.append(f"kp-mini: {mini}")
    for kelas, url in sel_kepatuhan(content):
        if kelas in ("kp-diterima", "kp-diajukan", "kp-dikembalikan") and url is None:
            salah.append(f"sel {kelas}")
    return salah


def _grid_tampil(client, response) -> list[tuple[str, str | None]]:
    """The compliance cells a user gets to see: in the page, or (the province, grouped by
    kabupaten) in each group, loaded on opening from the address the group names."""
    text = response.content.decode()
    alamat = re.findall(
        r'<p class="mb-1" hx-get="([^"]+)"[^>]*hx-select="\[data-kepatuhan-tabel\]"', text
    )
    if not alamat:
        return sel_kepatuhan(text)
    assert len(alamat) == len(response.context["kepatuhan"]["kelompok"])
    sel = []
    for url in alamat:
        isi = client.get(html.unescape(url), headers={"HX-Request": "true"}).content.decode()
        tabel = isi[isi.index("data-kepatuhan-tabel") :].split("</table>")[0]
        sel += sel_kepatuhan(tabel)
    return sel


def _grid_dilihat(client, response) -> list[dict]:
    """The compliance grids (context) a user gets: the page's own, or for the province, whose
    page holds only each kabupaten's summary, those of the kabupaten dashboards its groups load
    (as that same user)."""
    grid = response.context["kepatuhan"]
    if not grid["per_kabupaten"]:
        return [grid]
    text = response.content.decode()
    alamat = re.findall(
        r'<p class="mb-1" hx-get="([^"]+)"[^>]*hx-select="\[data-kepatuhan-tabel\]"', text
    )
    assert len(alamat) == len(grid["kelompok"])
    return [client.get(html.unescape(url)).context["kepatuhan"] for url in alamat]


@pytest.mark.django_db
@pytest.mark.parametrize("username", PERAN)
def test_every_number_equals_the_list_it_links_to(client, world, data_laporan, username):
    data_koordinasi = data_laporan
    client.force_login(world.users[username])
    halaman = [reverse("laporan:index"), reverse("laporan:index") + "?status=terverifikasi"]
    awal = client.get(halaman[0])
    assert awal.status_code == 200
    # One level of drill-down too (a few children), a kecamatan below a wider area, and a
    # category filter.
    halaman += [u.replace("&amp;", "&") for u in _halaman_turunan(awal.content.decode())][:3]
    if username in KECAMATAN_DI_BAWAH:
        halaman.append(reverse("laporan:wilayah", args=[KECAMATAN_DI_BAWAH[username]]))
    halaman.append(reverse("laporan:index") + f"?kategori={data_koordinasi['odha'].pk}")
    diperiksa = set()
    for url in halaman:
        response = client.get(url)
        assert response.status_code == 200, url
        if "status=" not in url and "kategori=" not in url:
            # Without a status or category filter every number of the cards, the area table,
            # the referral outcomes and the to-do panel has a list that counts it: a number
            # shown without its link is a regression.
            assert angka_tanpa_tautan(response.content) == [], url
            # Each month of the PPKS trend links to that month's PPKS list.
            for tren in bagian(response.content, "tren", "table"):
                assert len(re.findall(r'<a class="angka[^"]*" href="[^"]*dari=', tren)) == 12, url
        assert _laporan_tanpa_tautan(response.content) == [], url
        tautan = sorted(set(tautan_angka(response.content)))
        assert tautan, f"{url}: no linked number"
        # Every non-zero number, and some zeros (a list page costs a few hundred ms).
        tautan = [t for t in tautan if t[1]] + [t for t in tautan if not t[1]][:4]
        for target, angka in tautan:
            if (target, angka) not in diperiksa:
                assert jumlah_daftar(client, target) == angka, f"{username} {url}: {target}"
                diperiksa.add((target, angka))
    assert len(diperiksa) >= 10
    # The new links are among those followed: activities and, above a kecamatan, referrals.
    assert any("/koordinasi/kegiatan/" in t for t, n in diperiksa if n), username
    if username not in ("tksk_pahandut", "tksk_selat"):
        assert any("/koordinasi/rujukan/" in t for t, n in diperiksa if n), username
    # The monthly reports counted (accepted, waiting, returned, "laporan masuk") and the months
    # of the PPKS trend are among them too.
    assert any(t.startswith("/laporan/bulanan/?bulan=") for t, n in diperiksa if n), username
    assert any("/pendataan/ppks/" in t and "dari=" in t for t, n in diperiksa if n), username


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
        ("prov", "/laporan/", 18),
        ("prov", "/laporan/wilayah/62.71/", 18),
        ("kab_palangkaraya", "/laporan/", 17),
        ("tksk_pahandut", "/laporan/", 18),
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


@pytest.mark.django_db
def test_activity_and_referral_numbers_per_area(client, world, data_koordinasi):
    bulan = data_koordinasi["bulan"]
    periode = f"dari={bulan:%Y-%m-%d}&sampai={akhir_bulan(bulan):%Y-%m-%d}"

    def koordinasi(username, path=None):
        client.force_login(world.users[username])
        return client.get(path or reverse("laporan:index")).context["koordinasi"]

    # The province: per kabupaten, the month's first and last day included, the days around
    # it not; referrals of a sensitive category are left out, as from the list it links to.
    koor = koordinasi("prov")
    assert koor["per_anak"]["62.71"]["kegiatan"].nilai == 4
    assert koor["per_anak"]["62.03"]["kegiatan"].nilai == 2
    assert koor["kegiatan"].nilai == 6
    assert koor["per_anak"]["62.71"]["rujukan"].nilai == 2
    assert koor["per_anak"]["62.03"]["rujukan"].nilai == 0
    assert koor["rujukan"].nilai == 2
    url = koor["per_anak"]["62.71"]["rujukan"].url
    assert url.startswith(reverse("koordinasi:rujukan-list")) and "wilayah=62.71" in url
    assert periode in url
    # The whole scope needs no area parameter.
    assert "wilayah=" not in koor["rujukan"].url and "wilayah=" not in koor["kegiatan"].url
    assert jumlah_daftar(client, koor["per_anak"]["62.03"]["kegiatan"].url) == 2
    # Inside the chain the sensitive referrals count (and are listed).
    koor = koordinasi("kab_kapuas")
    assert koor["per_anak"]["62.03.01"]["rujukan"].nilai == 2
    assert jumlah_daftar(client, koor["per_anak"]["62.03.01"]["rujukan"].url) == 2
    koor = koordinasi("kab_palangkaraya")
    assert koor["per_anak"]["62.71.01"]["rujukan"].nilai == 3
    assert koor["per_anak"]["62.71.03"]["rujukan"].nilai == 0
    assert koor["per_anak"]["62.71.01"]["kegiatan"].nilai == 3
    # The admin sees the province whole, sensitive referrals included.
    assert koordinasi("admin")["rujukan"].nilai == 5
    # A kecamatan dashboard: activities per desa, each linked with its desa.
    koor = koordinasi("tksk_pahandut")
    desa, desa_lain = world.desa["pahandut"], data_koordinasi["desa_lain"]
    assert koor["per_anak"][desa.kode]["kegiatan"].nilai == 2
    assert f"wilayah={desa.kode}" in koor["per_anak"][desa.kode]["kegiatan"].url
    assert koor["per_anak"][desa_lain.kode]["kegiatan"].nilai == 1
    assert koor["kegiatan"].nilai == 3 and koor["per_anak"][desa.kode]["rujukan"] is None
    # The kabupaten looking at that kecamatan: the same numbers, the links carry the area.
    koor = koordinasi("kab_palangkaraya", reverse("laporan:wilayah", args=["62.71.01"]))
    assert koor["kegiatan"].nilai == 3 and "wilayah=62.71.01" in koor["kegiatan"].url
    assert jumlah_daftar(client, koor["kegiatan"].url) == 3


@pytest.mark.django_db
def test_referral_outcomes_are_linked_and_leave_out_sensitive_categories(
    client, world, data_koordinasi
):
    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:index"))
    rujukan = response.context["rujukan"]
    # Twelve months: 3 FM of Pahandut and the LUT of Jekan Raya (the ODHA ones are not listed
    # for the province, so not counted either).
    assert rujukan["total"].nilai == 4
    assert jumlah_daftar(client, rujukan["total"].url) == 4
    assert jumlah_daftar(client, rujukan["tanpa_jawaban"].url) == rujukan["tanpa_jawaban"].nilai
    assert rujukan["tanpa_jawaban"].nilai >= 1  # the LUT, unanswered for 40 days
    dikirim = next(r["angka"] for r in rujukan["per_status"] if r["label"] == "Dikirim")
    assert dikirim.nilai == 4 and "status=dikirim" in dikirim.url
    content = response.content.decode()
    assert 'data-testid="rujukan-status"' in content and "maupun jumlah rujukan" in content
    client.force_login(world.users["admin"])
    rujukan = client.get(reverse("laporan:index")).context["rujukan"]
    assert rujukan["total"].nilai == 7
    assert jumlah_daftar(client, rujukan["total"].url) == 7


# --- monthly reports and the PPKS trend ---------------------------------------------------------


def _laporan_di(page) -> list:
    return list(page.paginator.object_list)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["tksk_pahandut", "kab_palangkaraya", "prov", "admin"])
def test_compliance_cells_link_to_their_kecamatan_and_month(client, world, data_laporan, username):
    """A cell is one kecamatan × month: once a report was submitted it links to that month's
    reports of that kecamatan (all of them: the cell shows the most advanced). A kecamatan
    that sent nothing has no report to list: its cell, and the "belum" count, are not links."""
    client.force_login(world.users[username])
    response = client.get(reverse("laporan:index"))
    grids = _grid_dilihat(client, response)
    diikuti = 0
    for grid, row in ((g, r) for g in grids for r in g["baris"]):
        for b, cell in zip(grid["bulan"], row["sel"], strict=True):
            if cell.kode in ("belum", "berjalan"):
                assert cell.url is None, (row["kecamatan"].kode, b["bulan"])
                continue
            assert cell.url, (row["kecamatan"].kode, b["bulan"])
            halaman = client.get(cell.url)
            assert halaman.status_code == 200, cell.url
            laporan = _laporan_di(halaman.context["page"])
            assert laporan, cell.url
            assert {(lap.kecamatan_id, lap.bulan) for lap in laporan} == {
                (row["kecamatan"].pk, b["bulan"])
            }
            urutan = ["draf", "dikembalikan", "diajukan", "diterima"]
            assert max((lap.status for lap in laporan), key=urutan.index) == cell.kode
            diikuti += 1
    # Submitted reports' cells: Pahandut 3, Jekan Raya 1, Selat 2 (the draft is not one).
    assert diikuti == {"tksk_pahandut": 3, "kab_palangkaraya": 4}.get(username, 6)
    # The rendered grid: the same cells linked, the others not.
    kelas = _grid_tampil(client, response)
    assert len(kelas) == sum(len(g["baris"]) * len(g["bulan"]) for g in grids)
    assert kelas and all((url is None) == (k in ("kp-belum", "kp-berjalan")) for k, url in kelas), (
        kelas
    )
    # Two reports of Pahandut two months ago (the TKSK who left, the one in office): the cell
    # shows the accepted one and lists both.
    baris = [r for g in grids for r in g["baris"]]
    pahandut = next(r for r in baris if r["kecamatan"] == world.kec["pahandut"])
    dua = pahandut["sel"][-3]
    assert dua.kode == "diterima" and jumlah_daftar(client, dua.url) == 2


@pytest.mark.django_db
def test_missing_reports_are_not_linked(client, world, data_laporan):
    """ "Belum masuk" counts kecamatan without a submitted report: no list of reports can show
    an absence, so the number stays plain text (and a draft does not make it a link)."""
    client.force_login(world.users["kab_palangkaraya"])
    lalu = data_laporan["lalu"]
    response = client.get(reverse("laporan:index") + f"?periode={lalu:%Y-%m}")
    grid = response.context["kepatuhan"]
    jekan = next(r for r in grid["baris"] if r["kecamatan"] == world.kec["jekanraya"])
    assert jekan["sel"][-1].kode in ("belum", "berjalan")  # only a draft
    assert jekan["sel"][-1].url is None and jekan["sel"][-1].laporan is not None
    tanpa = [r["sel"][-1].kode for r in grid["baris"] if r["sel"][-1].url is None]
    assert grid["ringkas"]["belum"] + grid["ringkas"]["berjalan"] == len(tanpa) >= 1
    ringkas = bagian(response.content, "kepatuhan-ringkas", "p")[0]
    assert bagian(ringkas, "belum-masuk", "span") == [str(grid["ringkas"]["belum"])]
    assert "<a" not in ringkas.split("belum-masuk")[1]
    # The three report counts before it are links.
    assert len(tautan_angka(ringkas)) == 3


@pytest.mark.django_db
def test_report_counts_equal_the_report_list(client, world, data_laporan):
    bulan, lalu, dua = data_laporan["bulan"], data_laporan["lalu"], data_laporan["dua"]
    # The kabupaten: "N laporan … menunggu tinjauan" counts the month's submitted reports and
    # links to exactly those (Pahandut's report of last month also waits, but not this month).
    client.force_login(world.users["kab_palangkaraya"])
    response = client.get(reverse("laporan:index"))
    menunggu = response.context["kepatuhan"]["ringkas"]["diajukan"]
    assert menunggu.nilai == 1
    assert f"bulan={bulan:%Y-%m}" in menunggu.url and "status=diajukan" in menunggu.url
    assert jumlah_daftar(client, menunggu.url) == 1
    tautan = bagian(response.content, "menunggu-tinjauan", "div")[0]
    assert tautan_angka(tautan) == [(menunggu.url, 1)]
    assert jumlah_daftar(client, reverse("laporan:bulanan-list") + "?status=diajukan") == 2
    response = client.get(reverse("laporan:index") + f"?periode={lalu:%Y-%m}")
    menunggu = response.context["kepatuhan"]["ringkas"]["diajukan"]
    assert menunggu.nilai == 1 and f"bulan={lalu:%Y-%m}" in menunggu.url
    assert jumlah_daftar(client, menunggu.url) == 1
    # The province: "laporan masuk" per kabupaten (submitted, accepted or returned).
    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:index"))
    masuk = {b.wilayah.kode: b.laporan for b in response.context["baris"]}
    kecamatan = Wilayah.objects.filter(tingkat="kecamatan")
    assert masuk["62.71"]["masuk"].nilai == 2 and masuk["62.03"]["masuk"].nilai == 1
    for kode in ("62.71", "62.03"):  # "x/y": y the kecamatan of the kabupaten
        assert masuk[kode]["jumlah"] == kecamatan.filter(kabupaten__kode=kode).count()
    for kode, angka in masuk.items():
        assert jumlah_daftar(client, angka["masuk"].url) == angka["masuk"].nilai, kode
        assert f"wilayah={kode}" in angka["masuk"].url and "status=masuk" in angka["masuk"].url
    ringkas = response.context["kepatuhan"]["ringkas"]
    assert {k: ringkas[k].nilai for k in ("diterima", "diajukan", "dikembalikan")} == {
        "diterima": 1,
        "diajukan": 1,
        "dikembalikan": 1,
    }
    for k in ("diterima", "diajukan", "dikembalikan"):
        assert "wilayah=" not in ringkas[k].url  # the province is the user's whole scope
        assert jumlah_daftar(client, ringkas[k].url) == ringkas[k].nilai, k
    # Two months ago Pahandut has two reports (the TKSK who left and the one in office): the
    # numbers count reports, as the list they open does.
    response = client.get(reverse("laporan:index") + f"?periode={dua:%Y-%m}")
    kelompok = {g["kabupaten"].kode: g for g in response.context["kepatuhan"]["kelompok"]}
    assert kelompok["62.71"]["masuk"].nilai == 2
    assert kelompok["62.71"]["diterima"].nilai == 1
    assert jumlah_daftar(client, kelompok["62.71"]["masuk"].url) == 2
    assert jumlah_daftar(client, kelompok["62.71"]["diterima"].url) == 1
    # The TKSK's list is their kecamatan's, as their grid is.
    client.force_login(world.users["tksk_pahandut"])
    ringkas = client.get(reverse("laporan:index") + f"?periode={dua:%Y-%m}").context["kepatuhan"]
    assert ringkas["ringkas"]["diterima"].nilai == 1
    assert ringkas["ringkas"]["dikembalikan"].nilai == 1
    for k in ("diterima", "dikembalikan"):
        assert jumlah_daftar(client, ringkas["ringkas"][k].url) == 1


@pytest.mark.django_db
def test_trend_months_link_to_the_ppks_list_of_that_month(client, world, data_laporan):
    bulan, lalu = data_laporan["bulan"], data_laporan["lalu"]
    odha = data_laporan["odha"]
    # The first day of this month and the last of the previous one: each counted in its month.
    lut = PPKS.objects.get(kategori__singkatan="LUT")
    PPKS.objects.filter(pk=lut.pk).update(tanggal_identifikasi=bulan)
    fm = PPKS.objects.filter(kategori__singkatan="FM").order_by("pk").first()
    PPKS.objects.filter(pk=fm.pk).update(tanggal_identifikasi=akhir_bulan(lalu))

    def tren(username, query=""):
        path = reverse("laporan:index")
        if username == "tksk_pahandut_desa":
            username = "tksk_pahandut"
            path = reverse("laporan:wilayah", args=[world.desa["pahandut"].kode])
        client.force_login(world.users[username])
        response = client.get(path + query)
        assert response.status_code == 200
        return {b["bulan"]: b["angka"] for b in response.context["tren"]["bulan"]}

    def sama_dengan_daftar(angka_per_bulan, label):
        for b, angka in angka_per_bulan.items():
            assert angka.url, (label, b)
            assert f"dari={b:%Y-%m-%d}&sampai={akhir_bulan(b):%Y-%m-%d}" in angka.url
            assert jumlah_daftar(client, angka.url) == angka.nilai, (label, b, angka.url)

    kapuas = tren("kab_kapuas")
    assert kapuas[lalu].nilai == 1  # the ODHA of Selat: inside the chain
    sama_dengan_daftar(kapuas, "kab_kapuas")
    sama_dengan_daftar(tren("kab_kapuas", f"?kategori={odha.pk}"), "kab_kapuas ODHA")
    prov = tren("prov")
    assert prov[lalu].nilai == 1 and prov[bulan].nilai == 2  # FM; LUT + the verified FM
    sama_dengan_daftar(prov, "prov")
    verified = tren("prov", "?status=terverifikasi")
    assert all("status=terverifikasi" in a.url for a in verified.values())
    sama_dengan_daftar(verified, "prov terverifikasi")
    # A kabupaten and a kecamatan seen from above: the links carry the area.
    client.force_login(world.users["prov"])
    for kode in ("62.71", "62.71.03"):
        response = client.get(reverse("laporan:wilayah", args=[kode]))
        angka = {b["bulan"]: b["angka"] for b in response.context["tren"]["bulan"]}
        assert all("desa__" in a.url for a in angka.values()), kode
        sama_dengan_daftar(angka, f"prov {kode}")
    sama_dengan_daftar(tren("tksk_pahandut"), "tksk")
    desa = tren("tksk_pahandut_desa")
    assert all(f"desa={world.desa['pahandut'].pk}" in a.url for a in desa.values())
    sama_dengan_daftar(desa, "desa")
    # A sensitive category outside the chain: suppressed numbers, no list to link to.
    tersembunyi = tren("prov", f"?kategori={odha.pk}")
    assert all(a.url is None for a in tersembunyi.values())
    assert tersembunyi[lalu].tampil == "<5"
