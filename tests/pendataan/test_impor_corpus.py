"""The bad-input corpus (tests/corpus/) through the spreadsheet import, as .xlsx and as .csv:
names, addresses and notes are saved as written (trimmed, like the form) and shown inert; the
10,000-character string is refused with the form's message on its row; every bad NIK is refused
with the message that says what is wrong."""

import pytest
from django.urls import reverse

from pendataan import impor
from pendataan.models import PPKS, Individu, Keluarga
from tests.matrix.impor import (
    buat_csv,
    buat_xlsx,
    keluarga,
    konfirmasi,
    laporan,
    lingkungan_impor,  # noqa: F401  (a fixture)
    masalah,
    unggah,
)
from tests.pendataan.test_corpus_form import PANJANG, inert, nik_buruk, teks_berbahaya

pytestmark = pytest.mark.usefixtures("lingkungan_impor")
KOLOM_K = [k.kunci for k in impor.KOLOM_KELUARGA]
KOLOM_P = [k.kunci for k in impor.KOLOM_PPKS]


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


def _berkas(format_: str, rows, ppks=()):
    if format_ == "xlsx":
        return buat_xlsx(rows, ppks), "corpus.xlsx"
    return buat_csv(rows, KOLOM_K, pemisah=";"), "corpus.csv"


@pytest.mark.parametrize("format_", ["xlsx", "csv"])
def test_corpus_as_names_addresses_and_notes(world, tksk, format_):
    corpus = teks_berbahaya()
    rows, ppks, kode = [], [], {}
    for i, teks in enumerate(corpus):
        k = keluarga(f"C{i}", world.desa["pahandut"], jumlah=1, alamat=teks)
        k[0].update(nama=teks, pekerjaan=teks[:100], nama_ibu=teks)
        rows += k
        kode[teks] = (k[0]["no_kk"], len(rows) + 1)
        ppks.append(
            {
                "kode_keluarga": f"C{i}",
                "kategori": "FM",
                "tanggal_identifikasi": "2026-01-05",
                "deskripsi": teks,
                "kebutuhan": teks,
            }
        )
    data, nama = _berkas(format_, rows, ppks)
    response, token = unggah(tksk, data, nama)
    assert response.status_code == 302, response.content.decode()[-2000:]
    per_baris = masalah(token)
    # Only the 10,000-character row is refused, with the form's message next to each field.
    baris_panjang = kode[PANJANG][1]
    assert {k for k, v in per_baris.items() if v["galat"]} == {baris_panjang}
    galat = per_baris[baris_panjang]["galat"]
    assert "paling banyak 150 karakter (sekarang 10000 karakter)" in galat["nama"][0]
    assert "paling banyak 255 karakter (sekarang 10000 karakter)" in galat["alamat"][0]
    pratinjau = tksk.get(reverse("pendataan:impor-detail", args=[token]))
    assert pratinjau.status_code == 200
    assert "<script>alert(1)" not in pratinjau.content.decode()

    konfirmasi(tksk, token)
    daftar = tksk.get(reverse("pendataan:keluarga-list")).content.decode()
    for teks, (no_kk, _) in kode.items():
        if teks == PANJANG:
            assert not Keluarga.objects.filter(no_kk=no_kk).exists()
            continue
        tersimpan = teks.strip()
        kel = Keluarga.objects.get(no_kk=no_kk)
        orang = kel.anggota.get()
        assert (kel.alamat, orang.nama, orang.nama_ibu) == (tersimpan,) * 3, repr(teks)
        html = tksk.get(reverse("pendataan:keluarga-detail", args=[kel.uuid])).content.decode()
        inert(html, tersimpan)
        if format_ == "xlsx":
            p = PPKS.objects.get(keluarga=kel)
            assert p.deskripsi == p.kebutuhan == tersimpan
    inert(daftar, "<script>alert(1)</script>")


@pytest.mark.parametrize("format_", ["xlsx", "csv"])
def test_bad_nik_corpus_is_refused_with_the_right_message(world, tksk, format_):
    rows, harapan = [], {}
    for i, (nilai, pesan) in enumerate(nik_buruk()):
        k = keluarga(f"N{i}", world.desa["pahandut"], jumlah=1)
        k[0]["nik"] = nilai
        rows += k
        harapan[len(rows) + 1] = pesan
    data, nama = _berkas(format_, rows)
    _, token = unggah(tksk, data, nama)
    per_baris = masalah(token)
    for baris, pesan in harapan.items():
        assert pesan in per_baris[baris]["galat"]["nik"][0], (baris, pesan)
    assert laporan(token)["ringkasan"]["keluarga"]["siap"] == 0
    konfirmasi(tksk, token)
    assert not Individu.objects.exists()


def test_bad_no_kk_corpus_through_the_import(world, tksk):
    rows, harapan = [], {}
    for i, (nilai, _) in enumerate(nik_buruk()):
        if nilai.isascii() and nilai.isdigit() and len(nilai) == 16 and nilai[12:] != "0000":
            continue  # a valid No KK: its date digits are not checked
        k = keluarga(f"N{i}", world.desa["pahandut"], jumlah=1, no_kk=nilai)
        rows += k
        harapan[len(rows) + 1] = nilai
    _, token = unggah(tksk, buat_xlsx(rows))
    per_baris = masalah(token)
    for baris in harapan:
        assert per_baris[baris]["galat"]["no_kk"][0].startswith("No KK"), baris
