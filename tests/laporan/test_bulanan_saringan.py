"""The monthly report list's filters (month, area, status), as the dashboards link to it: each
narrows the user's scope, none widens it, whatever the query string holds."""

import pytest
from django.urls import reverse

from laporan.models import LaporanBulanan
from laporan.selectors import bulan_ini, geser_bulan

DAFTAR = reverse("laporan:bulanan-list")


@pytest.fixture
def laporan(world):
    """Pahandut: this month accepted, last month submitted, and last month's report of the TKSK
    who left (returned). Jekan Raya: this month a draft. Selat: this month submitted, last
    month accepted."""
    bulan = bulan_ini()
    lalu = geser_bulan(bulan, -1)

    def lapor(username, kec, bln, status):
        return LaporanBulanan.objects.create(
            tksk=world.users[username], kecamatan=world.kec[kec], bulan=bln, status=status
        )

    return {
        "bulan": bulan,
        "lalu": lalu,
        "semua": [
            lapor("tksk_pahandut", "pahandut", bulan, "diterima"),
            lapor("tksk_pahandut", "pahandut", lalu, "diajukan"),
            lapor("inactive", "pahandut", lalu, "dikembalikan"),
            lapor("tksk_jekanraya", "jekanraya", bulan, "draf"),
            lapor("tksk_selat", "selat", bulan, "diajukan"),
            lapor("tksk_selat", "selat", lalu, "diterima"),
        ],
    }


def _daftar(client, query=""):
    response = client.get(DAFTAR + query)
    assert response.status_code == 200, query
    return response, {lap.pk for lap in response.context["page"].paginator.object_list}


def _lingkup(world, username) -> set[int]:
    return set(LaporanBulanan.objects.for_user(world.users[username]).values_list("pk", flat=True))


@pytest.mark.django_db
def test_month_area_and_status_narrow_the_list(client, world, laporan):
    bulan, lalu = laporan["bulan"], laporan["lalu"]
    client.force_login(world.users["kab_palangkaraya"])
    cases = {
        "": 4,
        f"?bulan={bulan:%Y-%m}": 2,
        f"?bulan={lalu:%Y-%m}": 2,
        "?wilayah=62.71.01": 3,
        "?wilayah=62.71": 4,  # the user's own kabupaten: their whole scope
        f"?wilayah=62.71.01&bulan={lalu:%Y-%m}": 2,
        f"?wilayah=62.71.01&bulan={lalu:%Y-%m}&status=diajukan": 1,
        "?status=masuk": 3,  # every report but the draft
        "?status=draf": 1,
        f"?status=masuk&bulan={bulan:%Y-%m}&wilayah=62.71.03": 0,
        # Empty values are no filter: the user's scope, not more.
        "?bulan=&wilayah=&status=": 4,
    }
    for query, n in cases.items():
        response, pks = _daftar(client, query)
        assert len(pks) == n, query
        assert b'data-testid="galat-saringan"' not in response.content, query
    # The filter form shows what the list is narrowed to (a user arriving by a dashboard link).
    response, _ = _daftar(client, f"?wilayah=62.71.01&bulan={lalu:%Y-%m}&status=masuk")
    content = response.content.decode()
    assert f'value="{lalu:%Y-%m}"' in content and 'type="month"' in content
    assert '<option value="62.71.01" selected>' in content
    assert '<option value="masuk" selected>' in content
    jumlah = content.split('data-testid="jumlah">')[1].split("</p>")[0]
    assert "Kecamatan Pahandut" in jumlah and "sudah masuk" in jumlah
    for label in ("Bulan", "Status", "Wilayah", "Saring"):
        assert label in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,luar,dalam",
    [
        # (user, codes outside their scope, a code inside it)
        ("tksk_pahandut", ["62.71.03", "62.71", "62.03.01", "62"], "62.71.01"),
        ("kab_palangkaraya", ["62.03", "62.03.01", "62"], "62.71.01"),
        ("kab_kapuas", ["62.71", "62.71.01", "62"], "62.03.01"),
        ("prov", ["63", "63.01"], "62.03"),
        ("unassigned", ["62.71.01", "62"], None),
    ],
)
def test_crafted_parameters_never_widen_the_list(client, world, laporan, username, luar, dalam):
    client.force_login(world.users[username])
    lingkup = _lingkup(world, username)
    # Another area's code, or an unknown one, is a 404, whatever else the query holds.
    for kode in [*luar, "99.99", "bukan-kode", "62.71.01' OR '1'='1"]:
        for query in (f"?wilayah={kode}", f"?wilayah={kode}&status=diterima&bulan=2026-01"):
            assert client.get(DAFTAR + query).status_code == 404, (username, query)
    if dalam is None:
        assert _daftar(client)[1] == set()
        return
    _, sempit = _daftar(client, f"?wilayah={dalam}")
    assert sempit and sempit <= lingkup
    bulan = f"{laporan['bulan']:%Y-%m}"
    # A parameter given twice with different values (another area, an empty one), a malformed
    # month or status, a desa code: an error above an empty list, never a wider one, never 500.
    salah = [
        f"?wilayah={dalam}&wilayah={luar[0]}",
        f"?wilayah={luar[0]}&wilayah={dalam}",
        f"?wilayah={dalam}&wilayah=",
        f"?bulan={bulan}&bulan=",
        f"?bulan={bulan}&bulan=2000-01",
        "?status=diterima&status=",
        "?bulan=2026-13",
        "?bulan=2026-1-1",
        "?bulan=abc",
        "?bulan=0000-00",
        "?status=semua",
        "?status=draf'--",
        f"?wilayah={world.desa['pahandut'].kode}"
        if username != "kab_kapuas"
        else f"?wilayah={world.desa['selat'].kode}",
    ]
    for query in salah:
        response, pks = _daftar(client, query)
        assert pks == set(), (username, query)
        assert b'data-testid="galat-saringan"' in response.content, (username, query)
    # The same value twice is the same filter.
    assert _daftar(client, f"?wilayah={dalam}&wilayah={dalam}")[1] == sempit
    # Whatever the query, nothing outside the scope is ever listed.
    for query in ("", "?wilayah=", "?status=masuk", f"?bulan={bulan}", "?page=999"):
        assert _daftar(client, query)[1] <= lingkup, query


@pytest.mark.django_db
def test_a_tksk_lists_their_kecamatan_reports(client, world, laporan):
    """The list a TKSK's dashboard links to is their kecamatan's, as their compliance grid is:
    the report of the TKSK who held the post before is there too."""
    client.force_login(world.users["tksk_pahandut"])
    _, pks = _daftar(client, f"?bulan={laporan['lalu']:%Y-%m}")
    assert len(pks) == 2
    assert {lap.tksk.username for lap in LaporanBulanan.objects.filter(pk__in=pks)} == {
        "tksk_pahandut",
        "nonaktif",
    }
    response, _ = _daftar(client)
    assert 'id="saring-wilayah"' not in response.content.decode()  # nothing to choose from
    client.force_login(world.users["tksk_jekanraya"])
    assert len(_daftar(client)[1]) == 1


@pytest.mark.django_db
def test_area_choices_follow_the_scope(client, world, laporan):
    client.force_login(world.users["kab_palangkaraya"])
    content = _daftar(client)[0].content.decode()
    assert 'value="62.71.01"' in content and 'value="62.71.03"' in content
    assert 'value="62.03' not in content
    # The province: its kabupaten/kota, and the kecamatan of the one chosen only.
    client.force_login(world.users["prov"])
    content = _daftar(client)[0].content.decode()
    assert 'value="62.71"' in content and 'value="62.03"' in content
    assert 'value="62.71.01"' not in content
    content = _daftar(client, "?wilayah=62.71.03")[0].content.decode()
    assert '<option value="62.71.03" selected>' in content and 'value="62.71.01"' in content
    assert 'value="62.03.01"' not in content
