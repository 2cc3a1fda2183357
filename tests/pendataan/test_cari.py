"""The search box at scale: names found from 3 letters on whatever their accents and case, in
the user's scope only, through the trigram indexes; whole NIK/No KK by exact lookup; a search
with too many matches capped with a message; the PPKS list searched the same way."""

import re
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendataan import selectors
from pendataan.models import PPKS, Individu, Keluarga
from tests.matrix.keluarga import anggota_data, buat_keluarga
from tests.matrix.ppks import buat_keluarga as keluarga_orm
from tests.pendataan.test_keluarga_list import _bulk
from tksk.models import KategoriPPKS

pytestmark = pytest.mark.django_db

LIST = reverse("pendataan:keluarga-list")
PERSONS = reverse("pendataan:individu-list")
PPKS_LIST = reverse("pendataan:ppks-list")


def _login(client, world, username):
    client.force_login(world.users[username])
    return client


def _lipat(teks: str) -> str:
    """What the database's pendataan_lipat does, written independently: accents off, upper."""
    tanpa = unicodedata.normalize("NFKD", teks)
    return "".join(c for c in tanpa if not unicodedata.combining(c)).upper()


def _ppks(world, individu=None, keluarga=None, kelompok="", kec="pahandut"):
    if individu is not None:
        subjek, desa = "individu", individu.desa
    elif keluarga is not None:
        subjek, desa = "keluarga", keluarga.desa
    else:
        subjek, desa = "kelompok", world.desa[kec]
    return PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="FM"),
        subjek=subjek,
        individu=individu,
        keluarga=keluarga,
        nama_kelompok=kelompok,
        desa=desa,
        jenis_kelamin=individu.jenis_kelamin if individu else "",
        tanggal_identifikasi="2025-01-15",
        dibuat_oleh=world.users[f"tksk_{kec}"],
    )


# --- accents and case ---------------------------------------------------------------------


def test_accents_and_case_are_ignored_both_ways(world, client):
    tksk = _login(client, world, "tksk_pahandut")
    buat_keluarga(world, "pahandut", anggota=[anggota_data("André Wijaya")])
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Andre Santoso")])
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Bambang Sutrisno")])
    for q in ("andre", "ANDRÉ", "andré", "Andre"):
        html = tksk.post(LIST, {"q": q}).content.decode()
        assert "André Wijaya" in html and "Andre Santoso" in html, q
        assert "Bambang" not in html
        html = tksk.post(PERSONS, {"q": q}).content.decode()
        assert "André Wijaya" in html and "Andre Santoso" in html, q
    # Anywhere in the name, still without regard to accents.
    html = tksk.post(LIST, {"q": "dré wij"}).content.decode()
    assert "André Wijaya" in html and "Andre Santoso" not in html
    assert "Hasil pencarian: 1 data." in html


def test_a_renamed_person_is_found_by_the_new_name_at_once(world, client):
    tksk = _login(client, world, "tksk_pahandut")
    keluarga = buat_keluarga(world, "pahandut", anggota=[anggota_data("Budi Santoso")])
    Individu.objects.filter(keluarga=keluarga).update(nama="Élodie Nugraheni")
    html = tksk.post(LIST, {"q": "elodie"}).content.decode()
    assert "Hasil pencarian: 1 data." in html
    assert "Hasil pencarian: 0 data." in tksk.post(LIST, {"q": "santoso"}).content.decode()


def test_name_search_matches_a_recount_for_every_scope(world, client):
    """The same households as an independent recount in Python of scope and folded names."""
    nama = [
        ("pahandut", "Siti Aminah"),
        ("pahandut", "Sîti Rahmawati"),
        ("pahandut", "Yohanes Situmorang"),
        ("jekanraya", "SITI Nurhaliza"),
        ("jekanraya", "Agustinus Dohong"),
        ("selat", "Ni Luh Siti"),
        ("selat", "Muhammad Fauzi"),
    ]
    for kec, n in nama:
        buat_keluarga(world, kec, anggota=[anggota_data(n)])
    for username in ("tksk_pahandut", "kab_palangkaraya", "prov"):
        user = world.users[username]
        lingkup = Keluarga.objects.for_user(user)
        for q in ("siti", "SÍT", "gust", "ohan", "xyz"):
            harapan = {
                k.pk for k in lingkup if any(_lipat(q) in _lipat(a.nama) for a in k.anggota.all())
            }
            qs, pesan = selectors.cari_keluarga(lingkup, q, user)
            assert pesan is None
            assert set(qs.values_list("pk", flat=True)) == harapan, (username, q)
            # The API's path (no user: a semi-join on the scoped queryset) agrees.
            qs, _ = selectors.cari_keluarga(lingkup, q)
            assert set(qs.values_list("pk", flat=True)) == harapan, (username, q)


def test_another_kecamatans_namesake_stays_out(world, client):
    buat_keluarga(world, "pahandut", anggota=[anggota_data("Yosua Pahandut")])
    buat_keluarga(world, "selat", anggota=[anggota_data("Yosua Selat")])
    html = _login(client, world, "tksk_pahandut").post(LIST, {"q": "yosua"}).content.decode()
    assert "Yosua Pahandut" in html and "Yosua Selat" not in html
    html = client.post(PERSONS, {"q": "yosua"}).content.decode()
    assert "Yosua Pahandut" in html and "Yosua Selat" not in html
    html = _login(client, world, "prov").post(LIST, {"q": "yosua"}).content.decode()
    assert "Yosua Pahandut" in html and "Yosua Selat" in html


# --- too many matches ---------------------------------------------------------------------


def test_too_many_matches_are_capped_with_a_message(world, client, monkeypatch):
    monkeypatch.setattr(selectors, "BATAS_HASIL", 3)
    monkeypatch.setattr(selectors, "BATAS_HASIL_TEKS", "3")
    for i in range(5):
        buat_keluarga(world, "pahandut", anggota=[anggota_data(f"Rahmat Hidayat {i}")])
    buat_keluarga(world, "selat", anggota=[anggota_data("Rahmat Selat")])
    tksk = _login(client, world, "tksk_pahandut")
    html = tksk.post(LIST, {"q": "rahmat"}).content.decode()
    assert "Lebih dari 3 keluarga cocok" in html and "Persempit pencarian" in html
    assert len(re.findall(r">Rahmat Hidayat \d<", html)) == 3 and "Rahmat Selat" not in html
    html = tksk.post(PERSONS, {"q": "rahmat"}).content.decode()
    assert "Lebih dari 3 individu cocok" in html
    # Exactly at the limit: everything, no message.
    html = tksk.post(LIST, {"q": "hidayat 1"}).content.decode()
    assert "Lebih dari" not in html and "Hasil pencarian: 1 data." in html


# --- numbers ------------------------------------------------------------------------------


def test_whole_numbers_are_exact_lookups_and_partial_ones_find_nothing(world, client):
    keluarga = buat_keluarga(world, "pahandut", anggota=[anggota_data("Budi Santoso")])
    nik = keluarga.anggota.get().nik
    tksk = _login(client, world, "tksk_pahandut")
    for q in (nik, f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}", keluarga.no_kk):
        html = tksk.post(LIST, {"q": q}).content.decode()
        assert "Hasil pencarian: 1 data." in html and "Budi Santoso" in html
        html = tksk.post(PERSONS, {"q": q}).content.decode()
        assert "Hasil pencarian: 1 data." in html
    html = tksk.post(LIST, {"q": nik[:12]}).content.decode()
    assert "16 digit lengkap" in html and "Budi Santoso" not in html
    # Another kecamatan's whole number finds nothing.
    html = _login(client, world, "tksk_selat").post(LIST, {"q": nik}).content.decode()
    assert "Hasil pencarian: 0 data." in html


# --- the PPKS list ------------------------------------------------------------------------


def test_ppks_search_by_person_household_and_group_names(world, client):
    _, orang = keluarga_orm(world, "pahandut", nama="Zakaria Élan")
    rumah, _ = keluarga_orm(world, "pahandut", nama="Keluarga Zakir")
    a = _ppks(world, individu=orang)
    b = _ppks(world, keluarga=rumah)
    c = _ppks(world, kelompok="Komunitas Zaitun Jaya")
    _, lain = keluarga_orm(world, "selat", nama="Zakaria Selat")
    d = _ppks(world, individu=lain, kec="selat")
    tksk = _login(client, world, "tksk_pahandut")
    html = tksk.get(PPKS_LIST, {"q": "ELAN"}).content.decode()
    assert "Zakaria Élan" in html and "Keluarga Zakir" not in html
    assert "1 identifikasi" in html
    html = tksk.get(PPKS_LIST, {"q": "zak"}).content.decode()
    assert "Zakaria Élan" in html and "Zakir" in html and "Zakaria Selat" not in html
    assert "2 identifikasi" in html
    html = tksk.get(PPKS_LIST, {"q": "zaitun"}).content.decode()
    assert "Zaitun Jaya" in html and "1 identifikasi" in html
    html = _login(client, world, "prov").get(PPKS_LIST, {"q": "zakaria"}).content.decode()
    assert "Zakaria Élan" in html and "Zakaria Selat" in html
    assert {a.pk, b.pk, c.pk, d.pk} == set(PPKS.objects.values_list("pk", flat=True))


def test_ppks_found_by_the_new_name_after_a_rename_through_the_services(world, client):
    """The PPKS list searches a copy of the subject's name on the PPKS: a person renamed, a new
    head of household and a group renamed are found by the new name at once, not the old."""
    from pendataan.services import keluarga_simpan
    from pendataan.services_ppks import ppks_simpan

    tksk_user = world.users["tksk_pahandut"]
    keluarga = buat_keluarga(
        world, "pahandut", anggota=[anggota_data("Budi Santoso"), anggota_data("Wati", "anak")]
    )
    anak = keluarga.anggota.get(nama="Wati")
    _ppks(world, individu=anak)
    _ppks(world, keluarga=keluarga)
    kelompok = _ppks(world, kelompok="Komunitas Lama")
    keluarga_simpan(
        pelaku=tksk_user, keluarga=keluarga, data={},
        anggota=[{"uuid": str(anak.uuid), "nama": "Wahyuni Ñoviana"}],
    )  # fmt: skip
    kepala = keluarga.anggota.get(hubungan="kepala_keluarga")
    keluarga_simpan(
        pelaku=tksk_user, keluarga=keluarga, data={},
        anggota=[{"uuid": str(kepala.uuid), "nama": "Bambang Hartono"}],
    )  # fmt: skip
    ppks_simpan(
        pelaku=tksk_user,
        ppks=kelompok,
        data={
            "kategori": "FM", "subjek": "kelompok", "nama_kelompok": "Komunitas Baru Jaya",
            "desa": kelompok.desa, "tanggal_identifikasi": "2025-01-15",
        },
    )  # fmt: skip
    tksk = _login(client, world, "tksk_pahandut")
    for lama in ("wati", "santoso", "lama"):
        assert "0 identifikasi" in tksk.get(PPKS_LIST, {"q": lama}).content.decode(), lama
    for baru, teks in (("noviana", "Wahyuni"), ("hartono", "Hartono"), ("baru jaya", "Baru Jaya")):
        html = tksk.get(PPKS_LIST, {"q": baru}).content.decode()
        assert "1 identifikasi" in html and teks in html, baru


def test_ppks_search_needs_three_letters(world, client):
    _, orang = keluarga_orm(world, "pahandut", nama="Yo Wijaya")
    _ppks(world, individu=orang)
    html = _login(client, world, "tksk_pahandut").get(PPKS_LIST, {"q": "Yo"}).content.decode()
    assert "Ketik sedikitnya 3 huruf nama untuk mencari." in html
    assert "0 identifikasi" in html


def test_ppks_numbers_never_go_into_the_url(world, client):
    _, orang = keluarga_orm(world, "pahandut", nama="Rina Marlina")
    nik = "6271035708900001"
    Individu.objects.filter(pk=orang.pk).update(nik=nik, alasan_tanpa_nik="")
    _ppks(world, individu=orang)
    tksk = _login(client, world, "tksk_pahandut")
    # Written with spaces: still a number, answered in the POST response, never redirected.
    response = tksk.post(PPKS_LIST, {"q": f"{nik[:6]} {nik[6:12]} {nik[12:]}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rina Marlina" in html and nik not in html
    response = tksk.post(PPKS_LIST, {"q": nik[:10]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "16 digit lengkap" in html and "Rina Marlina" not in html


def test_ppks_search_capped_with_a_message(world, client, monkeypatch):
    monkeypatch.setattr(selectors, "BATAS_HASIL", 2)
    monkeypatch.setattr(selectors, "BATAS_HASIL_TEKS", "2")
    for i in range(3):
        _, orang = keluarga_orm(world, "pahandut", nama=f"Yuliana {i}")
        _ppks(world, individu=orang)
    html = _login(client, world, "tksk_pahandut").get(PPKS_LIST, {"q": "yuli"}).content.decode()
    assert "Lebih dari 2 PPKS cocok" in html and "2 identifikasi" in html


# --- the indexes --------------------------------------------------------------------------


def _explain(qs) -> str:
    with connection.cursor() as c:
        c.execute("SET LOCAL enable_seqscan = off")
    return qs.explain()


def test_each_name_is_looked_up_through_its_trigram_index(world):
    cocok = selectors.cocok_nama("andré")
    assert "individu_nama_cari_trgm" in _explain(selectors.individu_bernama("andré"))
    assert "keluarga_kepala_trgm" in _explain(
        Keluarga.objects.filter(nama_kepala_cari__contains=cocok)
    )
    assert "ppks_nama_cari_trgm" in _explain(PPKS.objects.filter(nama_cari__contains=cocok))


def test_the_folding_function_drops_accents_and_ignores_case():
    with connection.cursor() as c:
        c.execute("SELECT pendataan_lipat(%s), pendataan_lipat(%s)", ["André Ñuñez", "çöüß"])
        assert c.fetchone() == ("ANDRE NUNEZ", "COUSS")


# --- pages of results ---------------------------------------------------------------------


def test_search_results_keep_the_chosen_order_across_pages(world, client):
    _bulk(world, 55)
    tksk = _login(client, world, "tksk_pahandut")
    halaman = []
    for nomor in (1, 2):
        html = tksk.post(LIST + "?urut=-nama", {"q": "kepala", "page": nomor}).content.decode()
        assert "Hasil pencarian: 55 data." in html and f"Halaman {nomor} dari 2" in html
        halaman.append([int(x) for x in re.findall(r">Kepala (\d{3})<", html)])
    assert halaman[0] == list(range(55, 5, -1)) and halaman[1] == [5, 4, 3, 2, 1]
    # The same number of queries whatever the number of matches.
    with CaptureQueriesContext(connection) as banyak:
        tksk.post(LIST, {"q": "kepala"})
    with CaptureQueriesContext(connection) as satu:
        tksk.post(LIST, {"q": "kepala 007"})
    assert len(banyak.captured_queries) == len(satu.captured_queries)
