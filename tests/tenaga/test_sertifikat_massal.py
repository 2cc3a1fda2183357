"""Every certificate of a bimtek as one PDF, made by the background job: requested from the
bimtek page, its progress shown while it runs, the file read back with pdftotext, only for the
requester; a job whose worker died is taken back by the lease (re-queued, its partial file
removed) and failed after its retry."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tenaga.models import BerkasSertifikat, PesertaBimtek, ProfilTKSK, StatusBerkas
from tenaga.services import profil_simpan
from tenaga.tasks import siapkan_sertifikat
from tests.e2e.conftest import ARTIFACTS
from tests.matrix.tenaga import buat_bimtek
from tksk import lease
from tksk.models import AuditLog, JobLease, Tingkat, Wilayah

pytestmark = pytest.mark.django_db
JUMLAH = 14  # two batches of the job


@pytest.fixture
def bimtek(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    b = buat_bimtek(world, judul="Bimtek Peningkatan Kemampuan Potensi TKSK 2026")
    kecamatan = Wilayah.objects.filter(tingkat=Tingkat.KECAMATAN).order_by("kode")[:JUMLAH]
    for i, kec in enumerate(kecamatan, start=1):
        data = {"kecamatan": kec, "nama": f"Peserta {i:02d} {kec.nama}", "jenis_kelamin": "L"}
        profil, _ = profil_simpan(pelaku=world.users["admin"], data=data)
        PesertaBimtek.objects.create(bimtek=b, profil=profil, nomor_sertifikat=f"400/{i}/2026")
    # One participant without a number gets no certificate.
    data = {"kecamatan": kecamatan[0], "nama": "Tanpa Nomor", "jenis_kelamin": "P"}
    PesertaBimtek.objects.create(bimtek=b, profil=profil_simpan(pelaku=world.users["admin"],
                                 data=data)[0])  # fmt: skip
    return b


def _minta(client, bimtek, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tenaga:sertifikat-massal-minta", args=[bimtek.uuid]))
    assert response.status_code == 302
    return BerkasSertifikat.objects.get(bimtek=bimtek)


def test_all_certificates_as_one_pdf_with_progress(
    client, world, bimtek, django_capture_on_commit_callbacks
):
    client.force_login(world.users["prov"])
    page = client.get(reverse("tenaga:bimtek-detail", args=[bimtek.uuid])).content.decode()
    assert 'data-testid="sertifikat-semua"' in page
    berkas = _minta(client, bimtek, django_capture_on_commit_callbacks)
    assert berkas.status == StatusBerkas.ANTRI and berkas.jumlah == JUMLAH
    job = DBTaskResult.objects.get(task_path="tenaga.tasks.siapkan_sertifikat")
    assert job.args_kwargs["args"] == [berkas.pk]
    status_url = reverse("tenaga:sertifikat-massal-status", args=[berkas.uuid])
    assert "Menunggu giliran" in client.get(status_url).content.decode()
    # Asking again while it waits gives the same job.
    assert _minta(client, bimtek, django_capture_on_commit_callbacks).pk == berkas.pk
    # Halfway (as the job records after a batch): the page says how far it is, and keeps polling.
    BerkasSertifikat.objects.filter(pk=berkas.pk).update(status=StatusBerkas.PROSES, selesai=7)
    partial = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "7 dari 14 sertifikat" in partial and 'value="7"' in partial
    assert 'hx-trigger="every 2s"' in partial and "<html" not in partial
    BerkasSertifikat.objects.filter(pk=berkas.pk).update(status=StatusBerkas.ANTRI, selesai=0)
    assert siapkan_sertifikat.call(berkas.pk) == JUMLAH
    berkas.refresh_from_db()
    assert berkas.status == StatusBerkas.SELESAI and berkas.selesai == JUMLAH
    page = client.get(status_url).content.decode()
    assert "14 sertifikat dalam satu PDF" in page and "hx-trigger" not in page
    response = client.get(reverse("tenaga:sertifikat-massal-unduh", args=[berkas.uuid]))
    isi = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and isi.startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", "-"], input=isi, capture_output=True, check=True)
    assert re.search(r"^Pages:\s+14$", info.stdout.decode(), re.M), info.stdout
    teks = subprocess.run(["pdftotext", "-layout", "-", "-"], input=isi, capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    halaman = teks.split("\f")
    for i in range(1, JUMLAH + 1):
        assert f"Nomor: 400/{i}/2026" in teks
    assert "Peserta 01" in halaman[0] and "Peserta 14" in halaman[13]
    assert "Tanpa Nomor" not in teks
    fonts = subprocess.run(["pdffonts", "-"], input=isi, capture_output=True, check=True)
    assert "yes" in fonts.stdout.decode()  # embedded, on every page of the joined document
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", "-singlefile", "-",
                    str(ARTIFACTS / "tenaga-sertifikat-pdf")], input=isi, check=True)  # fmt: skip
    assert AuditLog.objects.filter(aksi="sertifikat_massal_unduh").exists()


def test_only_the_requester_follows_it_and_only_managers_ask(
    client, world, bimtek, django_capture_on_commit_callbacks
):
    client.force_login(world.users["kab_palangkaraya"])
    path = reverse("tenaga:sertifikat-massal-minta", args=[bimtek.uuid])
    assert client.post(path).status_code == 403
    client.force_login(world.users["prov"])
    berkas = _minta(client, bimtek, django_capture_on_commit_callbacks)
    client.force_login(world.users["admin"])
    status_url = reverse("tenaga:sertifikat-massal-status", args=[berkas.uuid])
    assert client.get(status_url).status_code == 403


def test_a_bimtek_without_numbers_is_refused_with_a_message(client, world, settings, tmp_path):
    b = buat_bimtek(world)
    client.force_login(world.users["prov"])
    path = reverse("tenaga:sertifikat-massal-minta", args=[b.uuid])
    response = client.post(path, follow=True)
    assert "Belum ada peserta dengan nomor sertifikat" in response.content.decode()
    assert not BerkasSertifikat.objects.exists()


def test_a_dead_workers_job_is_queued_again_then_failed(
    client, world, bimtek, settings, django_capture_on_commit_callbacks
):
    client.force_login(world.users["prov"])
    berkas = _minta(client, bimtek, django_capture_on_commit_callbacks)
    job = DBTaskResult.objects.get(task_path="tenaga.tasks.siapkan_sertifikat")

    def mati_di_tengah(nama):
        """A worker claimed the job, wrote part of the file, and died."""
        sebagian = settings.MEDIA_ROOT / "sertifikat" / f"{nama}.pdf"
        sebagian.parent.mkdir(parents=True, exist_ok=True)
        sebagian.write_bytes(b"%PDF-1.7 sebagian")
        DBTaskResult.objects.filter(pk=job.pk).update(
            status="RUNNING", worker_ids=[*DBTaskResult.objects.get(pk=job.pk).worker_ids, nama]
        )
        lama = timezone.now() - timedelta(hours=1)
        JobLease.objects.create(task_id=job.pk, task_path=job.task_path, worker_id=nama, pid=1,
                                host="x", mulai=lama, detak=lama,
                                berkas=f"sertifikat/{nama}.pdf")  # fmt: skip
        BerkasSertifikat.objects.filter(pk=berkas.pk).update(status=StatusBerkas.PROSES, selesai=5)
        return sebagian

    sebagian = mati_di_tengah("pekerja-1")
    assert lease.ambil_kembali()["diulang"] == 1
    berkas.refresh_from_db()
    assert berkas.status == StatusBerkas.ANTRI and berkas.selesai == 0
    assert not sebagian.exists()
    sebagian = mati_di_tengah("pekerja-2")
    assert lease.ambil_kembali()["digagalkan"] == 1
    berkas.refresh_from_db()
    assert berkas.status == StatusBerkas.GAGAL and "terhenti" in berkas.pesan
    assert not sebagian.exists()
    page = client.get(reverse("tenaga:sertifikat-massal-status", args=[berkas.uuid]))
    assert "terhenti" in page.content.decode()


def test_the_job_checks_the_requesters_scope_again(world, bimtek):
    berkas = BerkasSertifikat.objects.create(
        bimtek=bimtek, pemohon=world.users["prov"], jumlah=1, dasar_url="http://testserver/",
        kedaluwarsa_pada=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    prov = world.users["prov"]
    prov.is_active = False
    prov.save()
    assert siapkan_sertifikat.call(berkas.pk) == 0
    berkas.refresh_from_db()
    assert berkas.status == StatusBerkas.GAGAL and not berkas.berkas
    assert ProfilTKSK.objects.count() == JUMLAH + 1
