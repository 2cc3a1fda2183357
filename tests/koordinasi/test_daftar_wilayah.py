"""The area and period filters of the activity and referral lists (what the dashboards link
to): an area is narrowed inside the user's scope, a crafted parameter never widens a list, and
the period bounds are inclusive on the date the dashboards count."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from koordinasi.models import Kegiatan, Rujukan
from pendataan.models import Keluarga
from tests.matrix.koordinasi import buat_kegiatan, buat_mitra, buat_rujukan
from tests.matrix.ppks import buat_ppks
from tksk.models import Tingkat, Wilayah

KEGIATAN = reverse("koordinasi:kegiatan-list")
RUJUKAN = reverse("koordinasi:rujukan-list")
HARI = date(2026, 3, 10)


@pytest.fixture
def data(world):
    """Two activities and two referrals in each kecamatan of the test world (one in a second
    desa of Pahandut), and a referral of a sensitive category in Pahandut."""
    desa_lain = (
        Wilayah.objects.filter(induk=world.kec["pahandut"])
        .exclude(pk=world.desa["pahandut"].pk)
        .order_by("kode")
        .first()
    )
    for kec in ("pahandut", "jekanraya", "selat"):
        mitra = buat_mitra(world, kec)
        buat_kegiatan(world, kec, tanggal=HARI)
        buat_rujukan(world, kec, mitra=mitra, tanggal_kirim=HARI)
        if kec == "pahandut":
            buat_kegiatan(world, kec, tanggal=HARI, desa=desa_lain)
            ppks = buat_ppks(world, kec)
            # A PPKS lives where its subject lives: move the household, the copy follows.
            Keluarga.objects.filter(pk=ppks.individu.keluarga_id).update(desa=desa_lain)
            ppks.refresh_from_db()
            buat_rujukan(world, kec, ppks=ppks, mitra=mitra, tanggal_kirim=HARI)
        else:
            buat_kegiatan(world, kec, tanggal=HARI)
            buat_rujukan(world, kec, mitra=mitra, tanggal_kirim=HARI)
    odha = buat_ppks(world, "pahandut", "ODHA")
    buat_rujukan(world, "pahandut", ppks=odha, tanggal_kirim=HARI)
    return {"desa_lain": desa_lain}


def _tampil(client, url, query=""):
    """(status code, primary keys listed) of a list page."""
    response = client.get(url + query)
    if response.status_code != 200:
        return response.status_code, set()
    return 200, {obj.pk for obj in response.context["page"].paginator.object_list}


def _cakupan(user, url) -> set:
    qs = Kegiatan.objects.for_user(user) if url == KEGIATAN else Rujukan.objects.for_user(user)
    return set(qs.values_list("pk", flat=True))


@pytest.mark.parametrize("url", [KEGIATAN, RUJUKAN])
def test_area_filter_narrows_within_scope(world, client, data, url):
    model = Kegiatan if url == KEGIATAN else Rujukan
    client.force_login(world.users["kab_palangkaraya"])
    _, semua = _tampil(client, url)
    assert semua == _cakupan(world.users["kab_palangkaraya"], url)
    for kode, saring in (
        ("62.71", {"desa__kabupaten__kode": "62.71"}),
        ("62.71.01", {"desa__kecamatan__kode": "62.71.01"}),
        ("62.71.03", {"desa__kecamatan__kode": "62.71.03"}),
        (data["desa_lain"].kode, {"desa": data["desa_lain"]}),
    ):
        status, pks = _tampil(client, url, f"?wilayah={kode}")
        assert status == 200, kode
        assert pks and pks == set(
            model.objects.filter(pk__in=semua, **saring).values_list("pk", flat=True)
        ), kode
    # The filter is shown in the form, with the chosen area selected.
    html = client.get(url + "?wilayah=62.71.03").content.decode()
    assert 'name="wilayah"' in html and 'value="62.71.03" selected' in html
    assert "di Kecamatan Jekan Raya" in html


@pytest.mark.parametrize("url", [KEGIATAN, RUJUKAN])
@pytest.mark.parametrize(
    "username,queries",
    [
        (
            "tksk_pahandut",
            {
                "?wilayah=62.71.03": 404,  # another kecamatan
                "?wilayah=62.71": 404,  # the kabupaten above: not the TKSK's to list
                "?wilayah=62": 404,
                "?wilayah=62.03.01.2001": 404,
                "?wilayah=bukan-kode": 404,
                "?wilayah=62.71.01%25": 404,
                "?wilayah=62.71.01&wilayah=62.03.01": 404,  # the last of repeated codes counts
                "?wilayah=62.03.01&wilayah=62.71.01": 200,
                "?wilayah=": 200,
                "?wilayah=%20": 200,
                "?wilayah=62.71.01&kecamatan=1&desa__kabupaten=1": 200,
            },
        ),
        (
            "kab_palangkaraya",
            {
                "?wilayah=62.03": 404,
                "?wilayah=62.03.01": 404,
                "?wilayah=62": 404,
                "?wilayah=62.71&wilayah=62.03": 404,
                "?wilayah=62.03&wilayah=62.71": 200,
            },
        ),
        ("prov", {"?wilayah=63": 404, "?wilayah=99.99": 404, "?wilayah=62.03&wilayah=62": 200}),
    ],
)
def test_crafted_area_never_widens_the_list(world, client, data, url, username, queries):
    user = world.users[username]
    client.force_login(user)
    cakupan = _cakupan(user, url)
    assert cakupan
    for query, harapan in queries.items():
        status, pks = _tampil(client, url, query)
        # Another area's code answers as a missing one does (existence is not revealed);
        # anything else lists the user's own scope at most.
        assert status == harapan, query
        assert pks <= cakupan, query
        if harapan == 200:
            assert pks, query
    if username == "tksk_pahandut":
        assert _tampil(client, url, "?wilayah=") == (200, cakupan)


def test_referral_list_hides_sensitive_categories_outside_the_chain_with_any_filter(
    world, client, data
):
    client.force_login(world.users["prov"])
    odha = Rujukan.objects.get(ppks__kategori__singkatan="ODHA")
    for query in ("", "?wilayah=62.71.01", f"?wilayah={odha.desa.kode}", "?status=dikirim"):
        status, pks = _tampil(client, RUJUKAN, query + ("&" if query else "?") + "dari=2026-03-10")
        assert status == 200 and odha.pk not in pks, query
    client.force_login(world.users["kab_palangkaraya"])
    assert odha.pk in _tampil(client, RUJUKAN, f"?wilayah={odha.desa.kode}")[1]


@pytest.mark.parametrize("url", [KEGIATAN, RUJUKAN])
def test_period_bounds_are_inclusive(world, client, data, url):
    client.force_login(world.users["tksk_pahandut"])
    kolom = "tanggal" if url == KEGIATAN else "tanggal_kirim"
    model = Kegiatan if url == KEGIATAN else Rujukan
    pertama = model.objects.filter(desa__kecamatan=world.kec["pahandut"]).order_by("pk").first()
    model.objects.filter(pk=pertama.pk).update(**{kolom: HARI - timedelta(days=1)})
    _, semua = _tampil(client, url)
    for query, harapan in (
        ("?dari=2026-03-10&sampai=2026-03-10", semua - {pertama.pk}),
        ("?dari=2026-03-09&sampai=2026-03-09", {pertama.pk}),
        ("?dari=2026-03-09&sampai=2026-03-10", semua),
        ("?dari=2026-03-11", set()),
        ("?sampai=2026-03-09", {pertama.pk}),
        ("?dari=2026-03-10&sampai=2026-03-09", set()),
    ):
        assert _tampil(client, url, query) == (200, harapan), query
    html = client.get(url + "?dari=2026-03-09&sampai=2026-03-10").content.decode()
    assert 'value="2026-03-09"' in html and 'value="2026-03-10"' in html
    assert "9 Maret 2026 – 10 Maret 2026" in html


def test_area_choices_follow_the_scope(world, client, data):
    client.force_login(world.users["tksk_pahandut"])
    pilihan = client.get(KEGIATAN).context["wilayah_pilihan"]
    assert pilihan and {w.tingkat for w in pilihan} == {Tingkat.DESA}
    assert all(w.kode.startswith("62.71.01.") for w in pilihan)
    client.force_login(world.users["kab_kapuas"])
    pilihan = client.get(RUJUKAN).context["wilayah_pilihan"]
    assert {w.tingkat for w in pilihan} == {Tingkat.KECAMATAN, Tingkat.DESA}
    assert all(w.kode.startswith("62.03.") for w in pilihan)
    client.force_login(world.users["prov"])
    response = client.get(KEGIATAN + f"?wilayah={data['desa_lain'].kode}")
    pilihan = response.context["wilayah_pilihan"]
    assert {w.tingkat for w in pilihan} == {Tingkat.KABUPATEN, Tingkat.KECAMATAN, Tingkat.DESA}
    # A desa reached from a dashboard link is offered (and selected) too.
    assert f'value="{data["desa_lain"].kode}" selected' in response.content.decode()
    client.force_login(world.users["unassigned"])
    response = client.get(KEGIATAN)
    assert response.context["wilayah_pilihan"] == []
    assert client.get(KEGIATAN + "?wilayah=62.71.01").status_code == 404
