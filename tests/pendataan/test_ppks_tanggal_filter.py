"""PPKS list: the identification-date filter (`dari`/`sampai`, inclusive) that the dashboards'
monthly trend links to, and crafted parameters that must never widen the list."""

from datetime import date

import pytest
from django.urls import reverse

from pendataan.models import PPKS
from tests.matrix.ppks import buat_ppks

pytestmark = pytest.mark.django_db

LIST = reverse("pendataan:ppks-list")


def _identifikasi(world, kec, tanggal, singkatan="FM", **extra):
    p = buat_ppks(world, kec, singkatan, **extra)
    PPKS.objects.filter(pk=p.pk).update(tanggal_identifikasi=tanggal)
    return p


@pytest.fixture
def ppks(world):
    """Pahandut: 31 Dec 2025, 1 Jan, 31 Jan and 1 Feb 2026. Selat: 15 Jan 2026."""
    return {
        "des": _identifikasi(world, "pahandut", date(2025, 12, 31)),
        "awal": _identifikasi(world, "pahandut", date(2026, 1, 1)),
        "akhir": _identifikasi(world, "pahandut", date(2026, 1, 31)),
        "feb": _identifikasi(world, "pahandut", date(2026, 2, 1)),
        "selat": _identifikasi(world, "selat", date(2026, 1, 15)),
    }


def _daftar(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200, query
    return response, {p.pk for p in response.context["page"].paginator.object_list}


def _pk(ppks, *names):
    return {ppks[n].pk for n in names}


@pytest.mark.parametrize(
    "username,januari",
    [
        ("tksk_pahandut", ("awal", "akhir")),
        ("kab_palangkaraya", ("awal", "akhir")),
        ("kab_kapuas", ("selat",)),
        ("prov", ("awal", "akhir", "selat")),
        ("admin", ("awal", "akhir", "selat")),
    ],
)
def test_bounds_are_inclusive_and_within_scope(world, client, ppks, username, januari):
    client.force_login(world.users[username])
    _, pks = _daftar(client, "?dari=2026-01-01&sampai=2026-01-31")
    assert pks == _pk(ppks, *januari)
    # One bound only: from it on, or up to it.
    semua = _daftar(client)[1]
    assert _daftar(client, "?dari=2026-01-31")[1] == _pk(ppks, "akhir", "feb") & semua
    assert _daftar(client, "?sampai=2025-12-31")[1] == _pk(ppks, "des") & semua


def test_a_user_arriving_by_link_sees_the_dates_in_the_form(world, client, ppks):
    client.force_login(world.users["kab_palangkaraya"])
    response, pks = _daftar(
        client, f"?desa__kecamatan={world.kec['pahandut'].pk}&dari=2026-01-01&sampai=2026-01-31"
    )
    assert pks == _pk(ppks, "awal", "akhir")
    content = response.content.decode()
    assert "Diidentifikasi dari" in content and "Diidentifikasi sampai" in content
    assert 'type="date" name="dari"' in content and 'value="2026-01-01"' in content
    assert 'type="date" name="sampai"' in content and 'value="2026-01-31"' in content
    assert "<details open>" in content  # the filter panel is open when the list is filtered
    jumlah = content.split('data-testid="jumlah">')[1].split("</p>")[0]
    assert "2 identifikasi" in jumlah and "1 Januari 2026 – 31 Januari 2026" in jumlah


def test_the_dates_combine_with_the_dashboard_filters(world, client, ppks):
    """The trend's link: area, category, verification status and month together."""
    PPKS.objects.filter(pk=ppks["akhir"].pk).update(status="terverifikasi")
    lut = _identifikasi(world, "pahandut", date(2026, 1, 10), "LUT", status="terverifikasi")
    fm = ppks["akhir"].kategori
    client.force_login(world.users["prov"])
    kab = world.kab["palangkaraya"].pk
    base = f"?desa__kabupaten={kab}&dari=2026-01-01&sampai=2026-01-31"
    assert _daftar(client, base)[1] == _pk(ppks, "awal", "akhir") | {lut.pk}
    assert _daftar(client, base + "&status=terverifikasi")[1] == {ppks["akhir"].pk, lut.pk}
    query = base + f"&status=terverifikasi&kategori={fm.pk}"
    assert _daftar(client, query)[1] == {ppks["akhir"].pk}


def test_sensitive_categories_stay_out_of_the_list_outside_the_chain(world, client, ppks):
    odha = _identifikasi(world, "selat", date(2026, 1, 20), "ODHA")
    client.force_login(world.users["prov"])
    assert odha.pk not in _daftar(client, "?dari=2026-01-01&sampai=2026-01-31")[1]
    client.force_login(world.users["kab_kapuas"])
    assert odha.pk in _daftar(client, "?dari=2026-01-01&sampai=2026-01-31")[1]


@pytest.mark.parametrize(
    "query",
    [
        "?dari=2026-02-30",
        "?dari=bukan-tanggal",
        "?sampai=2026-13-01",
        "?dari=31-01-2026x",
        "?dari=2026-01-31&sampai=2026-01-01",  # the end before the start
        "?dari=2026-01-01&dari=",  # twice: a bound, then none
        "?dari=2026-01-01&dari=2025-01-01",
        "?sampai=2026-01-31&sampai=2099-12-31",
        "?desa__kabupaten={own_kab}&desa__kabupaten=",
        "?desa__kabupaten={own_kab}&desa__kabupaten={other_kab}",
        "?desa__kabupaten={other_kab}&dari=2026-01-01",
        "?kategori={fm}&kategori=",
        "?status=terverifikasi&status=",
    ],
)
@pytest.mark.parametrize("username", ["tksk_pahandut", "kab_palangkaraya"])
def test_crafted_parameters_never_widen_the_list(world, client, ppks, username, query):
    client.force_login(world.users[username])
    query = query.format(
        own_kab=world.kab["palangkaraya"].pk,
        other_kab=world.kab["kapuas"].pk,
        fm=ppks["awal"].kategori_id,
    )
    response, pks = _daftar(client, query)
    # A malformed, contradictory or doubled filter: an error next to an empty list (never the
    # unfiltered one, never a 500).
    assert pks == set(), query
    content = response.content.decode()
    assert 'data-testid="galat-saringan"' in content, query


@pytest.mark.parametrize("username", ["tksk_pahandut", "kab_palangkaraya", "prov"])
def test_empty_or_repeated_equal_values_are_the_scope_at_most(world, client, ppks, username):
    client.force_login(world.users[username])
    semua = _daftar(client)[1]
    assert _daftar(client, "?dari=&sampai=")[1] == semua
    januari = _daftar(client, "?dari=2026-01-01&sampai=2026-01-31")[1]
    same = "?dari=2026-01-01&dari=2026-01-01&sampai=2026-01-31"
    assert _daftar(client, same)[1] == januari
    lingkup = set(PPKS.objects.for_user(world.users[username]).values_list("pk", flat=True))
    assert semua <= lingkup and januari <= semua


def test_search_form_post_keeps_the_dates(world, client, ppks):
    """The filter form posts (so that a NIK never reaches a URL) and redirects a plain search to
    a GET URL with the filters, the dates among them."""
    client.force_login(world.users["tksk_pahandut"])
    response = client.post(LIST, {"q": "", "dari": "2026-01-01", "sampai": "2026-01-31"})
    assert response.status_code == 302
    assert "dari=2026-01-01" in response["Location"]
    assert _daftar(client, response["Location"][len(LIST) :])[1] == _pk(ppks, "awal", "akhir")
