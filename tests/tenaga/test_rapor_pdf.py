"""The rapor kinerja as a PDF: rendered by WeasyPrint, read back with pdftotext; the page count
of the province's TKSK table does not grow with the number of TKSK."""

import subprocess
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tenaga.models import SKTKSK, Penugasan, ProfilTKSK
from tenaga.services import profil_simpan
from tests.e2e.conftest import ARTIFACTS
from tests.matrix.koordinasi import buat_kegiatan
from tests.matrix.tenaga import buat_profil
from tksk.models import AuditLog, Tingkat, Wilayah

pytestmark = pytest.mark.django_db
NIK = "6271015205900003"


def pdf_teks(isi: bytes) -> str:
    hasil = subprocess.run(["pdftotext", "-layout", "-", "-"], input=isi, capture_output=True)
    assert hasil.returncode == 0, hasil.stderr
    return hasil.stdout.decode()


def halaman_1_png(isi: bytes, nama: str) -> None:
    """Page 1 as a PNG beside the browser screenshots, to be looked at."""
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-",
                    str(ARTIFACTS / nama)], input=isi, check=True)  # fmt: skip
    assert (ARTIFACTS / f"{nama}.png").stat().st_size > 10_000


def test_rapor_pdf_reads_back_with_the_year_and_both_kecamatan_of_a_move(client, world):
    profil = buat_profil(world, "pahandut", nik=NIK, nama="Rina Susanti")
    tahun = timezone.localdate().year - 1
    SKTKSK.objects.create(profil=profil, nomor="188.44/121/DINSOS/2025", tanggal=date(tahun, 1, 2),
                          penerbit="Dinas Sosial Provinsi", mulai=date(tahun, 1, 3),
                          selesai=date(tahun + 3, 12, 31))  # fmt: skip
    Penugasan.objects.filter(profil=profil).update(
        mulai=date(tahun, 1, 1), selesai=date(tahun, 6, 15)
    )
    Penugasan.objects.create(
        profil=profil, kecamatan=world.kec["jekanraya"], mulai=date(tahun, 6, 15)
    )
    kegiatan = buat_kegiatan(world, "pahandut", jenis="penyuluhan_sosial")
    type(kegiatan).objects.filter(pk=kegiatan.pk).update(
        tanggal=date(tahun, 3, 10), dibuat_oleh=world.users["tksk_pahandut"]
    )
    client.force_login(world.users["prov"])
    path = reverse("tenaga:profil-kinerja-pdf", args=[profil.uuid])
    response = client.get(path, {"tahun": tahun})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"rapor-kinerja-Rina-Susanti-{tahun}.pdf" in response["Content-Disposition"]
    teks = pdf_teks(response.content)
    halaman_1_png(response.content, "tenaga-rapor-pdf")
    assert "RAPOR KINERJA TENAGA KESEJAHTERAAN SOSIAL KECAMATAN" in teks
    assert f"Tahun {tahun}" in teks and "Rina Susanti" in teks
    assert "188.44/121/DINSOS/2025" in teks
    assert "6271********0003" in teks and NIK not in teks
    assert "12 bulan" in teks
    assert "Pahandut" in teks and "Jekan Raya" in teks
    baris_maret = next(line for line in teks.splitlines() if line.strip().startswith("Maret"))
    assert "Tidak ada" in baris_maret  # no monthly report that month
    assert baris_maret.split()[-1] == "1"  # one outreach activity (penyuluhan), last column
    assert AuditLog.objects.filter(aksi="cetak_pdf", data__dokumen="rapor_kinerja").exists()
    # The page links to it.
    page = client.get(reverse("tenaga:profil-kinerja", args=[profil.uuid]), {"tahun": tahun})
    assert f"{path}?tahun={tahun}" in page.content.decode()


def test_rapor_pdf_is_scoped(client, world):
    profil = buat_profil(world, "selat")
    path = reverse("tenaga:profil-kinerja-pdf", args=[profil.uuid])
    client.force_login(world.users["kab_palangkaraya"])
    assert client.get(path).status_code == 404
    client.force_login(world.users["tksk_selat"])
    assert client.get(path).status_code == 200


def test_tksk_table_query_count_does_not_grow_with_the_number_of_tksk(
    client, world, django_assert_max_num_queries
):
    buat_profil(world, "pahandut")
    client.force_login(world.users["prov"])
    client.get(reverse("tenaga:kinerja-list"))  # warm caches (session, menu)
    with django_assert_max_num_queries(40) as satu:
        assert len(client.get(reverse("tenaga:kinerja-list")).context["baris"]) == 1
    lain = Wilayah.objects.filter(tingkat=Tingkat.KECAMATAN, aktif=True).exclude(
        pk=world.kec["pahandut"].pk
    )[:20]
    for kec in lain:
        data = {"kecamatan": kec, "nama": f"TKSK {kec.nama}", "jenis_kelamin": "L"}
        profil_simpan(pelaku=world.users["admin"], data=data)
    buat_profil(world, "selat")
    assert ProfilTKSK.objects.count() >= 21
    with django_assert_max_num_queries(len(satu.captured_queries)):
        response = client.get(reverse("tenaga:kinerja-list"))
    assert len(response.context["baris"]) == ProfilTKSK.objects.count()
