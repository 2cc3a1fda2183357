"""The bad-input corpus (tests/corpus/) through the web forms: markup, quotes, RTL and zero-width
characters and formula-like text are saved as typed and shown inert; a 10,000-character string
gets a clear message next to the field with the typing kept; every bad NIK is refused with the
message that says what is wrong. Never a server error."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from pendataan.models import PPKS, Individu, Keluarga
from tests.matrix.keluarga import anggota_data, form_data
from tests.matrix.ppks import buat_keluarga as buat_keluarga_orm
from tksk.models import KategoriPPKS

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PANJANG = "A" * 10_000
CREATE = reverse("pendataan:keluarga-create")


def teks_berbahaya() -> list[str]:
    """The shared corpus, each formula-like value also after a leading space and a tab (how
    spreadsheets are tricked into running them), and the 10,000-character string."""
    baris = [b for b in (CORPUS / "teks_berbahaya.txt").read_text("utf-8").split("\n") if b]
    rumus = [b for b in baris if b[0] in "=+-@"]
    return baris + [awal + b for b in rumus for awal in (" ", "\t")] + [PANJANG]


def nik_buruk() -> list[tuple[str, str]]:
    """(value, part of the message that refuses it)."""
    hasil = []
    for line in (CORPUS / "nik_buruk.txt").read_text("utf-8").split("\n"):
        if line and not line.startswith("#"):
            nilai, pesan = line.split("\t")
            hasil.append((nilai, pesan))
    return hasil


def inert(html: str, teks: str) -> None:
    """The text is on the page escaped, and never as live markup."""
    assert escape(teks) in html
    if "<" in teks:
        assert teks not in html
    assert "<script>alert(1)" not in html and "onerror=alert(1)>" not in html
    assert "<svg onload" not in html


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


def ids(value):
    return repr(value[:24])


@pytest.mark.parametrize("teks", teks_berbahaya(), ids=ids)
def test_corpus_as_names_address_and_notes_in_the_household_form(world, tksk, teks):
    kepala = anggota_data(nama=teks, pekerjaan=teks[:100], tempat_lahir=teks[:100], nama_ibu=teks)
    data = form_data(
        world.desa["pahandut"], [kepala], initial=0, alamat=teks, dusun=teks[:100], rt="", rw=""
    )
    response = tksk.post(CREATE, data)
    if teks == PANJANG:
        assert response.status_code == 200
        html = response.content.decode()
        assert "paling banyak 150 karakter (sekarang 10000 karakter)" in html  # next to the name
        assert "paling banyak 255 karakter (sekarang 10000 karakter)" in html  # next to the address
        assert "Data belum tersimpan" in html
        assert f'value="{PANJANG}"' in html  # what was typed is kept
        assert not Keluarga.objects.exists()
        return
    assert response.status_code == 302, response.content.decode()[-3000:]
    tersimpan = teks.strip()  # form fields trim surrounding spaces, as for every input
    kel = Keluarga.objects.get(no_kk=data["no_kk"])
    orang = kel.anggota.get()
    assert (kel.alamat, orang.nama, orang.nama_ibu, kel.nama_kepala) == (tersimpan,) * 4
    assert orang.pekerjaan == teks[:100].strip()

    html = tksk.get(response["Location"]).content.decode()
    inert(html, tersimpan)
    daftar = tksk.get(reverse("pendataan:keluarga-list")).content.decode()
    inert(daftar, tersimpan)
    orang_list = tksk.get(reverse("pendataan:individu-list")).content.decode()
    assert escape(tersimpan) in orang_list
    # The edit form shows it back in the inputs, still escaped.
    ubah = tksk.get(reverse("pendataan:keluarga-update", args=[kel.uuid])).content.decode()
    inert(ubah, tersimpan)


@pytest.mark.parametrize("teks", teks_berbahaya(), ids=ids)
def test_corpus_as_ppks_description_and_needs(world, tksk, teks):
    _, individu = buat_keluarga_orm(world, "pahandut", nama="Siti Aminah")
    data = {
        "subjek": "individu",
        "individu": str(individu.uuid),
        "kategori": KategoriPPKS.objects.get(singkatan="FM").pk,
        "tanggal_identifikasi": "2026-03-01",
        "deskripsi": teks,
        "kebutuhan": teks,
        "status_penanganan": "belum",
        "_simpan": "1",
    }
    response = tksk.post(reverse("pendataan:ppks-create"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    ppks = PPKS.objects.get()
    assert ppks.deskripsi == ppks.kebutuhan == teks.strip()
    html = tksk.get(response["Location"]).content.decode()
    inert(html, teks.strip())


@pytest.mark.parametrize("nilai,pesan", nik_buruk(), ids=lambda v: repr(v[:20]))
def test_bad_nik_and_no_kk_are_refused_with_the_right_message(world, tksk, nilai, pesan):
    data = form_data(world.desa["pahandut"], [anggota_data(nik=nilai)], initial=0)
    response = tksk.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(pesan) in html, pesan
    assert f'value="{escape(nilai)}"' in html  # the typing is kept
    assert not Individu.objects.exists()
    # The same value as No KK: refused too (No KK has no date block, so the date and the
    # length-of-date messages do not apply; it is refused all the same).
    data = form_data(world.desa["pahandut"], [anggota_data()], initial=0, no_kk=nilai)
    response = tksk.post(CREATE, data)
    if nilai.isascii() and nilai.isdigit() and len(nilai) == 16 and not nilai.endswith("0000"):
        assert response.status_code == 302  # a valid No KK whatever its date digits
        return
    assert response.status_code == 200 and "No KK" in response.content.decode()
    assert not Keluarga.objects.exists()


def test_corpus_search_box_never_fails(world, tksk):
    Keluarga.objects.all().delete()
    for teks in teks_berbahaya():
        for url in (reverse("pendataan:keluarga-list"), reverse("pendataan:individu-list")):
            response = tksk.post(url, {"q": teks})
            assert response.status_code == 200, teks[:30]
            assert "<script>alert(1)" not in response.content.decode()
