"""The kabupaten filter of the household and person lists (the province dashboard links each
kabupaten row to them): narrowed within the user's scope, another kabupaten refused as an
invalid choice, never widening what is listed."""

import pytest
from django.urls import reverse

from pendataan.models import Individu, Keluarga
from tests.matrix.keluarga import anggota_data, buat_keluarga
from tksk.models import Tingkat, Wilayah

LIST = reverse("pendataan:keluarga-list")
PERSONS = reverse("pendataan:individu-list")
GALAT = "Pilih kabupaten/kota di wilayah tugas Anda."


@pytest.fixture
def warga(world):
    for kec in ("pahandut", "jekanraya", "selat"):
        buat_keluarga(world, kec, anggota=[anggota_data(f"Warga {kec}")])


def _nama(response) -> set[str]:
    """Household heads (or persons) listed, all pages."""
    return {
        getattr(obj, "nama_kepala", None) or obj.nama
        for obj in response.context["page"].paginator.object_list
    }


@pytest.fixture
def kabupaten_lain():
    """A kabupaten of another province: outside even the province user's scope."""
    prov = Wilayah.objects.create(kode="63", nama="KALIMANTAN SELATAN", tingkat=Tingkat.PROVINSI)
    prov.provinsi = prov
    prov.save(update_fields=["provinsi"])
    kab = Wilayah.objects.create(
        kode="63.01", nama="Kabupaten Tanah Laut", tingkat=Tingkat.KABUPATEN, induk=prov
    )
    kab.provinsi, kab.kabupaten = prov, kab
    kab.save(update_fields=["provinsi", "kabupaten"])
    return kab


@pytest.mark.parametrize("url", [LIST, PERSONS])
def test_province_filters_by_kabupaten(world, client, warga, url):
    client.force_login(world.users["prov"])
    response = client.get(url + f"?kabupaten={world.kab['kapuas'].pk}")
    assert _nama(response) == {"Warga selat"}
    response = client.get(url + f"?kabupaten={world.kab['palangkaraya'].pk}")
    assert _nama(response) == {"Warga pahandut", "Warga jekanraya"}
    html = response.content.decode()
    # Shown in the filter form (open, the chosen kabupaten selected) with its Indonesian label.
    assert '<select name="kabupaten"' in html and "Kabupaten/kota" in html
    assert f'<option value="{world.kab["palangkaraya"].pk}" selected>' in html
    assert '<details class="mb-3 border rounded p-2" open>' in html
    assert _nama(client.get(url + "?kabupaten=")) == {
        "Warga pahandut",
        "Warga jekanraya",
        "Warga selat",
    }


@pytest.mark.parametrize("url", [LIST, PERSONS])
def test_kabupaten_outside_scope_is_an_error_not_a_leak(world, client, warga, kabupaten_lain, url):
    kapuas, palangkaraya = world.kab["kapuas"].pk, world.kab["palangkaraya"].pk
    cases = {
        "prov": [f"?kabupaten={kabupaten_lain.pk}", f"?kabupaten={world.desa['selat'].pk}"],
        "kab_palangkaraya": [
            f"?kabupaten={kapuas}",
            f"?kabupaten={palangkaraya}&kabupaten={kapuas}",
            f"?kabupaten={kapuas}&kecamatan={world.kec['pahandut'].pk}",
            "?kabupaten=62.03",
            "?kabupaten=abc",
        ],
        # A TKSK's scope holds no kabupaten: even their own is not theirs to list by.
        "tksk_pahandut": [f"?kabupaten={palangkaraya}", f"?kabupaten={kapuas}"],
    }
    for username, queries in cases.items():
        client.force_login(world.users[username])
        for query in queries:
            response = client.get(url + query)
            assert response.status_code == 200, (username, query)
            assert _nama(response) == set(), (username, query)  # nothing, not everything
            html = response.content.decode()
            assert GALAT in html and "Saringan tidak valid" in html, (username, query)


@pytest.mark.parametrize("url", [LIST, PERSONS])
def test_kabupaten_filter_is_hidden_where_there_is_nothing_to_choose(world, client, warga, url):
    client.force_login(world.users["kab_palangkaraya"])
    html = client.get(url).content.decode()
    assert '<select name="kabupaten"' not in html and 'name="kabupaten"' not in html
    # Still validated: one's own kabupaten lists one's scope, another is refused.
    own = client.get(url + f"?kabupaten={world.kab['palangkaraya'].pk}")
    assert _nama(own) == {"Warga pahandut", "Warga jekanraya"}
    assert 'type="hidden" name="kabupaten"' in own.content.decode()
    other = client.get(url + f"?kabupaten={world.kab['kapuas'].pk}")
    assert _nama(other) == set() and GALAT in other.content.decode()
    # The parameter twice: the last counts, and never shows another area.
    twice = client.get(
        url + f"?kabupaten={world.kab['kapuas'].pk}&kabupaten={world.kab['palangkaraya'].pk}"
    )
    assert _nama(twice) == {"Warga pahandut", "Warga jekanraya"}
    client.force_login(world.users["tksk_pahandut"])
    html = client.get(url).content.decode()
    assert 'name="kabupaten"' not in html and 'name="kecamatan"' not in html


def test_dashboard_rows_link_households_and_persons_per_kabupaten(world, client, warga):
    client.force_login(world.users["prov"])
    response = client.get(reverse("laporan:index"))
    baris = {b.wilayah.kode: b for b in response.context["baris"]}
    for kode, jumlah in (("62.71", 2), ("62.03", 1)):
        for kunci, url in (("keluarga", LIST), ("individu", PERSONS)):
            angka = baris[kode].nilai[kunci]
            assert angka.url and angka.url.startswith(url), (kode, kunci)
            assert f"kabupaten={world.kab['palangkaraya' if kode == '62.71' else 'kapuas'].pk}" in (
                angka.url
            )
            assert angka.nilai == jumlah
            assert client.get(angka.url).context["page"].paginator.count == jumlah
    assert Keluarga.objects.count() == 3 and Individu.objects.count() == 3
