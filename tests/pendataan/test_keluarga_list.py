"""Household and person lists: scoped whatever the filter, search by full NIK/No KK only (and
never through the URL), masked numbers, filters, sorting, fixed query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendataan.models import Individu, Keluarga
from tests.matrix.keluarga import anggota_data, buat_keluarga

LIST = reverse("pendataan:keluarga-list")
PERSONS = reverse("pendataan:individu-list")


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


def _names(response):
    return response.content.decode()


def test_list_shows_own_households_with_masked_numbers(world, tksk):
    keluarga = buat_keluarga(world, "pahandut")
    nik = keluarga.anggota.get().nik
    html = tksk.get(LIST).content.decode()
    assert keluarga.nama_kepala in html
    assert keluarga.no_kk not in html
    assert f"{keluarga.no_kk[:4]}********{keluarga.no_kk[-4:]}" in html
    assert nik not in html
    persons = tksk.get(PERSONS).content.decode()
    assert "Budi Santoso" in persons
    assert nik not in persons
    assert f"{nik[:4]}********{nik[-4:]}" in persons


def test_list_never_shows_another_kecamatan(world, tksk):
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Warga Pahandut")])
    buat_keluarga(world, "jekanraya", anggota=[anggota_data("Warga Jekan")])
    buat_keluarga(world, "selat", anggota=[anggota_data("Warga Selat")])
    other = world.desa["jekanraya"].pk
    own = world.desa["pahandut"].pk
    for url in (LIST, PERSONS):
        for query in (
            "",
            f"?desa={other}",
            f"?desa={own}&desa={other}",
            f"?desa={other}&desa={own}",
            f"?kecamatan={world.kec['jekanraya'].pk}",
            "?status=draf&urut=nama",
            "?desa=abc",
        ):
            html = tksk.get(url + query).content.decode()
            assert "Warga Jekan" not in html and "Warga Selat" not in html, (url, query)
        # Searching for a name of another area finds nothing either.
        html = tksk.post(url, {"q": "Warga"}).content.decode()
        assert "Warga Pahandut" in html
        assert "Warga Jekan" not in html and "Warga Selat" not in html


def test_desa_filter_outside_scope_is_an_error_not_a_leak(world, tksk):
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Warga Pahandut")])
    html = tksk.get(f"{LIST}?desa={world.desa['jekanraya'].pk}").content.decode()
    assert "Pilih desa/kelurahan di wilayah tugas Anda." in html
    assert "Warga Pahandut" not in html  # an invalid filter shows nothing, not everything


def test_kabupaten_sees_its_kecamatan_but_not_another_kabupaten(world, client):
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Warga Pahandut")])
    buat_keluarga(world, "jekanraya", anggota=[anggota_data("Warga Jekan")])
    buat_keluarga(world, "selat", anggota=[anggota_data("Warga Selat")])
    client.force_login(world.users["kab_palangkaraya"])
    html = client.get(LIST).content.decode()
    assert "Warga Pahandut" in html and "Warga Jekan" in html and "Warga Selat" not in html
    html = client.get(f"{LIST}?kecamatan={world.kec['jekanraya'].pk}").content.decode()
    assert "Warga Jekan" in html and "Warga Pahandut" not in html
    html = client.get(f"{LIST}?kecamatan={world.kec['selat'].pk}").content.decode()
    assert "Warga Selat" not in html


def test_search_by_full_nik_only(world, tksk):
    keluarga = buat_keluarga(world, "pahandut", anggota=[anggota_data("Budi Santoso")])
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Orang Lain")])
    nik = keluarga.anggota.get().nik
    for url in (LIST, PERSONS):
        html = tksk.post(url, {"q": nik}).content.decode()
        assert "Budi Santoso" in html and "Orang Lain" not in html, url
        partial = tksk.post(url, {"q": nik[:10]}).content.decode()
        assert "Budi Santoso" not in partial and "Orang Lain" not in partial
        assert "16 digit lengkap" in partial
        html = tksk.post(url, {"q": nik[-4:]}).content.decode()
        assert "Budi Santoso" not in html
    # No KK (full) finds the household and its members.
    html = tksk.post(LIST, {"q": keluarga.no_kk}).content.decode()
    assert "Budi Santoso" in html and "Orang Lain" not in html
    html = tksk.post(PERSONS, {"q": keluarga.no_kk}).content.decode()
    assert "Budi Santoso" in html and "Orang Lain" not in html


def test_search_by_name_and_the_search_form_posts(world, tksk):
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Budi Santoso")])
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Sri Rahayu", jenis_kelamin="P")])
    html = tksk.post(LIST, {"q": "rahayu"}).content.decode()
    assert "Sri Rahayu" in html and "Budi Santoso" not in html
    # The search box is a POST form: what is typed into it never becomes part of a URL.
    page = tksk.get(LIST).content.decode()
    start = page.index('role="search"')
    form_tag = page[page.rindex("<form", 0, start) : start]
    assert 'method="post"' in form_tag
    # A NIK in the query string is ignored (only filters live in the URL).
    nik = Individu.objects.get(nama="Budi Santoso").nik
    html = tksk.get(f"{PERSONS}?q={nik}").content.decode()
    assert "Sri Rahayu" in html


def test_search_keeps_filters(world, tksk):
    keluarga = buat_keluarga(world, "pahandut", anggota=[anggota_data("Budi Santoso")])
    html = tksk.post(f"{LIST}?status=diajukan", {"q": "Budi"}).content.decode()
    assert "Budi Santoso" not in html
    html = tksk.post(f"{LIST}?status=draf", {"q": "Budi"}).content.decode()
    assert keluarga.nama_kepala in html


def test_person_filters(world, tksk):
    today = date.today()
    buat_keluarga(
        world,
        "pahandut",
        anggota=[
            anggota_data("Kakek Tua", tanggal_lahir=date(today.year - 70, 1, 1)),
            anggota_data(
                "Balita Kecil",
                "cucu",
                jenis_kelamin="P",
                tanggal_lahir=date(today.year - 2, 1, 1),
            ),
            {
                "nik": "",
                "alasan_tanpa_nik": "tidak_terdaftar",
                "nama": "Remaja Tanpa NIK",
                "jenis_kelamin": "L",
                "tanggal_lahir": date(today.year - 15, 1, 1),
                "hubungan": "cucu",
            },
        ],
    )

    def names(query):
        html = tksk.get(PERSONS + query).content.decode()
        names = ("Kakek Tua", "Balita Kecil", "Remaja Tanpa NIK")
        return {n for n in names if f">{n}</a>" in html}

    assert names("?usia=0-5") == {"Balita Kecil"}
    assert names("?usia=6-17") == {"Remaja Tanpa NIK"}
    assert names("?usia=60%2B") == {"Kakek Tua"}
    assert names("?usia=18-59") == set()
    assert names("?jenis_kelamin=P") == {"Balita Kecil"}
    assert names("?tanpa_nik=ya") == {"Remaja Tanpa NIK"}
    assert names("?tanpa_nik=tidak") == {"Kakek Tua", "Balita Kecil"}
    html = tksk.get(PERSONS + "?tanpa_nik=ya").content.decode()
    assert "perlu rujukan Dukcapil" in html
    # The household list can show the households that need a Dukcapil referral.
    assert "Kakek Tua" in tksk.get(LIST + "?rujukan=ya").content.decode()


def test_sorting_by_name(world, tksk):
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Zainal")])
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Abdul")])
    html = tksk.get(LIST + "?urut=nama").content.decode()
    assert html.index("Abdul") < html.index("Zainal")
    html = tksk.get(LIST + "?urut=-nama").content.decode()
    assert html.index("Zainal") < html.index("Abdul")
    html = tksk.get(PERSONS + "?urut=nama").content.decode()
    assert html.index("Abdul") < html.index("Zainal")


def _bulk(world, n):
    """n households with one member each, written directly (fast)."""
    desa = world.desa["pahandut"]
    user = world.users["tksk_pahandut"]
    keluarga = Keluarga.objects.bulk_create(
        [
            Keluarga(
                no_kk=f"6271011501{i:06d}",
                desa=desa,
                alamat="Jl. Uji",
                nama_kepala=f"Kepala {i:03d}",
                jumlah_anggota=1,
                dibuat_oleh=user,
                diubah_oleh=user,
            )
            for i in range(1, n + 1)
        ]
    )
    Individu.objects.bulk_create(
        [
            Individu(
                keluarga=k,
                desa=desa,
                nik=f"62710112048{i:05d}",
                nama=f"Kepala {i:03d}",
                jenis_kelamin="L",
                tanggal_lahir=date(1985, 4, 12),
                hubungan="kepala_keluarga",
            )
            for i, k in enumerate(keluarga, start=1)
        ]
    )


@pytest.mark.parametrize("url", [LIST, PERSONS])
def test_query_count_is_fixed(world, tksk, url, django_assert_num_queries):
    _bulk(world, 1)
    tksk.get(url)  # the first request of a session writes the session
    with CaptureQueriesContext(connection) as one:
        assert tksk.get(url).status_code == 200
    Keluarga.objects.all().delete()
    _bulk(world, 60)
    with django_assert_num_queries(len(one.captured_queries)):
        response = tksk.get(url)
    assert response.status_code == 200
    assert response.content.decode().count(">Kepala 0") == 50  # first page of 50


def test_pagination(world, tksk):
    _bulk(world, 55)
    html = tksk.get(LIST + "?urut=nama").content.decode()
    assert "Kepala 050" in html and "Kepala 051" not in html
    assert "Halaman 1 dari 2" in html
    html = tksk.get(LIST + "?urut=nama&page=2").content.decode()
    assert "Kepala 055" in html and "Kepala 050" not in html


def test_submit_selected_from_the_list(world, tksk):
    a = buat_keluarga(world, "pahandut")
    b = buat_keluarga(world, "pahandut")
    c = buat_keluarga(world, "pahandut")
    html = tksk.get(LIST).content.decode()
    assert 'form="form-ajukan"' in html and "Ajukan terpilih" in html
    response = tksk.post(
        reverse("pendataan:verifikasi-aksi"),
        {"tipe": "keluarga", "aksi": "ajukan", "uuid": [a.uuid, b.uuid], "next": LIST},
    )
    assert response.status_code == 302 and response["Location"] == LIST
    statuses = dict(Keluarga.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "diajukan", b.pk: "diajukan", c.pk: "draf"}


def test_name_search_needs_three_letters_and_uses_the_trigram_index(world, tksk):
    from django.db import connection

    from pendataan import selectors

    buat_keluarga(world, "pahandut", anggota=[anggota_data("Sri Rahayu", jenis_kelamin="P")])
    html = tksk.post(LIST, {"q": "Sr"}).content.decode()
    assert "Ketik sedikitnya 3 huruf nama untuk mencari." in html
    assert "Sri Rahayu" not in html
    html = tksk.post(LIST, {"q": "ahay"}).content.decode()  # a fragment from the middle
    assert "Sri Rahayu" in html
    qs, _ = selectors.cari_keluarga(Keluarga.objects.all(), "rahayu")
    assert list(qs) and "nama_cari" in str(qs.query)  # the column the index is built on
    # The persons' side of the semi-join is what the index serves; on tables this small the
    # planner may start from either side, so ask about the persons' lookup itself.
    with connection.cursor() as c:
        c.execute("SET LOCAL enable_seqscan = off")
    assert "individu_nama_cari_trgm" in selectors.individu_bernama("rahayu").explain()


def test_a_full_number_in_the_search_box_is_an_exact_lookup(world, tksk):
    from pendataan import selectors

    keluarga = buat_keluarga(world, "pahandut", anggota=[anggota_data("Budi Santoso")])
    nik = Individu.objects.get(nama="Budi Santoso").nik
    qs, _ = selectors.cari_keluarga(Keluarga.objects.all(), f"{nik[:6]} {nik[6:]}")
    sql = str(qs.query)
    assert "LIKE" not in sql and nik in sql  # equality on the unique column, no substring
    assert list(qs) == [keluarga]
