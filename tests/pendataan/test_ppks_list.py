"""PPKS list: search (NIK only by POST), filters that never widen the scope, sorting,
pagination and a fixed number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from pendataan.models import PPKS, Individu
from tests.matrix.ppks import buat_keluarga, buat_ppks
from tksk.models import KategoriPPKS, Wilayah

pytestmark = pytest.mark.django_db

LIST = reverse("pendataan:ppks-list")
NIK = "6271035708900001"


def nama(ppks):
    return ppks.individu.nama


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


def test_list_shows_own_area_only_with_masked_nik(world, tksk):
    own = buat_ppks(world, "pahandut")
    other = buat_ppks(world, "jekanraya")
    Individu.objects.filter(pk=own.individu_id).update(nik=NIK, alasan_tanpa_nik="")
    content = tksk.get(LIST).content.decode()
    assert nama(own) in content and nama(other) not in content
    assert NIK not in content and "6271********0001" in content
    assert "15 Januari 2025" in content


def test_name_search_redirects_to_get_and_filters(world, tksk):
    a = buat_ppks(world, "pahandut")
    b = buat_ppks(world, "pahandut")
    response = tksk.post(LIST, {"q": nama(a), "status_penanganan": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST + "?q=")
    content = tksk.get(response["Location"]).content.decode()
    assert nama(a) in content and nama(b) not in content


def test_nik_search_is_answered_by_post_without_redirect(world, tksk):
    a = buat_ppks(world, "pahandut")
    b = buat_ppks(world, "pahandut")
    Individu.objects.filter(pk=a.individu_id).update(nik=NIK, alasan_tanpa_nik="")
    response = tksk.post(LIST, {"q": NIK})
    assert response.status_code == 200
    content = response.content.decode()
    assert nama(a) in content and nama(b) not in content
    assert NIK not in content  # not even echoed back into the search box


def test_no_kk_search_finds_household_and_members(world, tksk):
    a = buat_ppks(world, "pahandut")
    content = tksk.post(LIST, {"q": a.individu.keluarga.no_kk}).content.decode()
    assert nama(a) in content


def test_nik_in_a_url_is_not_searched(world, tksk):
    a = buat_ppks(world, "pahandut")
    Individu.objects.filter(pk=a.individu_id).update(nik=NIK, alasan_tanpa_nik="")
    content = tksk.get(LIST + f"?q={NIK}").content.decode()
    assert nama(a) not in content
    assert "ketik nomornya di kotak pencarian" in content


def test_nik_search_never_crosses_the_scope(world, tksk):
    other = buat_ppks(world, "selat")
    Individu.objects.filter(pk=other.individu_id).update(nik=NIK, alasan_tanpa_nik="")
    content = tksk.post(LIST, {"q": NIK}).content.decode()
    assert nama(other) not in content


def test_filters(world, tksk):
    fm = buat_ppks(world, "pahandut", "FM")
    lut = buat_ppks(world, "pahandut", "LUT", status_penanganan="dirujuk", status="diajukan")
    Individu.objects.filter(pk=lut.individu_id).update(jenis_kelamin="P")  # the PPKS follows
    kategori = KategoriPPKS.objects.get(singkatan="LUT")
    cases = {
        f"?kategori={kategori.pk}": lut,
        "?status_penanganan=dirujuk": lut,
        "?status=draf": fm,
        "?jenis_kelamin=P": lut,
        "?jenis_kelamin=L": fm,
    }
    for query, expected in cases.items():
        content = tksk.get(LIST + query).content.decode()
        other = fm if expected is lut else lut
        assert nama(expected) in content, query
        assert nama(other) not in content, query
    kelompok = PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="KAT"),
        subjek="kelompok",
        nama_kelompok="Komunitas Hulu",
        desa=world.desa["pahandut"],
        tanggal_identifikasi=date(2025, 1, 1),
    )
    content = tksk.get(LIST + "?subjek=kelompok").content.decode()
    assert kelompok.nama_kelompok in content and nama(fm) not in content


def test_desa_filter_within_scope(world, tksk):
    desa_lain = (
        Wilayah.objects.filter(induk=world.kec["pahandut"])
        .exclude(pk=world.desa["pahandut"].pk)
        .first()
    )
    di_desa = buat_ppks(world, "pahandut")
    content = tksk.get(LIST + f"?desa={desa_lain.pk}").content.decode()
    assert nama(di_desa) not in content
    content = tksk.get(LIST + f"?desa={world.desa['pahandut'].pk}").content.decode()
    assert nama(di_desa) in content


@pytest.mark.parametrize(
    "query",
    [
        "?desa={other_desa}",
        "?desa__kecamatan={other_kec}",
        "?desa__kabupaten={other_kab}",
        "?desa={own_desa}&desa={other_desa}",
        "?desa={other_desa}&desa={own_desa}",
        "?desa__kecamatan={other_kec}&desa__kecamatan={own_kec}",
        "?desa=abc",
    ],
)
def test_filters_never_widen_the_scope(world, tksk, query):
    own = buat_ppks(world, "pahandut")
    other = buat_ppks(world, "selat")
    query = query.format(
        own_desa=world.desa["pahandut"].pk,
        other_desa=world.desa["selat"].pk,
        own_kec=world.kec["pahandut"].pk,
        other_kec=world.kec["selat"].pk,
        other_kab=world.kab["kapuas"].pk,
    )
    response = tksk.get(LIST + query)
    assert response.status_code == 200
    content = response.content.decode()
    assert nama(other) not in content
    # An invalid choice shows nothing and says why, rather than silently showing everything.
    if nama(own) not in content:
        assert 'data-testid="galat-saringan"' in content


def test_kabupaten_filters_by_kecamatan(world, client):
    a = buat_ppks(world, "pahandut")
    b = buat_ppks(world, "jekanraya")
    client.force_login(world.users["kab_palangkaraya"])
    content = client.get(LIST + f"?desa__kecamatan={world.kec['jekanraya'].pk}").content.decode()
    assert nama(b) in content and nama(a) not in content
    # The chosen kecamatan stays selected in the cascade.
    assert f'<option value="{world.kec["jekanraya"].pk}" selected>' in content


def test_sorting(world, tksk):
    _, zaenal = buat_keluarga(world, "pahandut", nama="Zaenal")
    _, ahmad = buat_keluarga(world, "pahandut", nama="Ahmad")
    fm = KategoriPPKS.objects.get(singkatan="FM")
    for individu, tanggal in ((zaenal, date(2025, 1, 1)), (ahmad, date(2024, 1, 1))):
        PPKS.objects.create(
            kategori=fm,
            subjek="individu",
            individu=individu,
            desa=individu.desa,
            tanggal_identifikasi=tanggal,
        )
    content = tksk.get(LIST).content.decode()
    assert content.index("Zaenal") < content.index("Ahmad")  # newest first
    content = tksk.get(LIST + "?urut=nama").content.decode()
    assert content.index("Ahmad") < content.index("Zaenal")
    content = tksk.get(LIST + "?urut=terlama").content.decode()
    assert content.index("Ahmad") < content.index("Zaenal")


def test_pagination_50(world, tksk):
    for _ in range(51):
        buat_ppks(world, "pahandut")
    content = tksk.get(LIST).content.decode()
    assert content.count('class="list-group-item list-group-item-action py-3"') == 50
    assert "Halaman 1 dari 2" in content
    content = tksk.get(LIST + "?page=2").content.decode()
    assert content.count('class="list-group-item list-group-item-action py-3"') == 1


@pytest.mark.parametrize("username", ["tksk_pahandut", "kab_palangkaraya", "prov"])
def test_query_count_does_not_grow_with_rows(world, client, django_assert_num_queries, username):
    client.force_login(world.users[username])
    buat_ppks(world, "pahandut")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(LIST)  # warm-up: session and per-process caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST + "?urut=nama").status_code == 200
    for _ in range(6):
        buat_ppks(world, "pahandut")
    kelompok = PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="KAT"),
        subjek="kelompok",
        nama_kelompok="Komunitas",
        desa=world.desa["pahandut"],
        tanggal_identifikasi=date(2025, 1, 1),
    )
    assert kelompok.pk
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST + "?urut=nama")
    assert response.content.decode().count("list-group-item-action py-3") == 8
