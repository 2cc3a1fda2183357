"""Bimtek through the views: invitation by kabupaten, attendance, scores, a reused certificate
number, materials checked like every upload, the certificate PDF read back and the public
verification page (only four facts, rate-limited), training history and the never-trained list."""

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenaga.models import Kehadiran, MateriBimtek, PesertaBimtek
from tests.matrix.koordinasi import jpeg_bytes
from tests.matrix.tenaga import PDF, buat_bimtek, buat_profil
from tests.security import media_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _bimtek_dengan_peserta(client, world):
    for kec in ("pahandut", "jekanraya", "selat"):
        buat_profil(world, kec, nik=None)
    bimtek = buat_bimtek(world, mulai=date(2026, 3, 2), selesai=date(2026, 3, 3))
    client.force_login(world.users["prov"])
    response = client.post(
        reverse("tenaga:bimtek-peserta-tambah", args=[bimtek.uuid]),
        {"kabupaten": world.kab["palangkaraya"].pk},
    )
    assert response.status_code == 302
    return bimtek


def test_invite_by_kabupaten_attendance_and_scores(client, world):
    bimtek = _bimtek_dengan_peserta(client, world)
    peserta = list(bimtek.peserta.order_by("profil__nama"))
    assert [p.profil.kecamatan.nama for p in peserta] == ["Jekan Raya", "Pahandut"] or len(
        peserta
    ) == 2
    a, b = peserta
    data = {
        f"peserta:{a.uuid}": "1",
        f"peserta:{b.uuid}": "1",
        f"hadir:{a.uuid}": ["2026-03-02", "2026-03-03"],
        f"hadir:{b.uuid}": ["2026-03-02"],
    }
    assert client.post(reverse("tenaga:bimtek-hadir", args=[bimtek.uuid]), data).status_code == 302
    assert Kehadiran.objects.filter(hadir=True).count() == 3
    assert Kehadiran.objects.filter(peserta=b, hadir=False).get().tanggal == date(2026, 3, 3)
    nilai = {f"peserta:{a.uuid}": "1", f"peserta:{b.uuid}": "1",
             f"pre:{a.uuid}": "55", f"post:{a.uuid}": "82,5", f"nomor:{a.uuid}": "400/1/2026",
             f"pre:{b.uuid}": "60", f"post:{b.uuid}": "",
             f"nomor:{b.uuid}": "400/1/2026"}  # fmt: skip
    response = client.post(reverse("tenaga:bimtek-nilai", args=[bimtek.uuid]), nilai)
    assert response.status_code == 400 and "sudah dipakai" in response.content.decode()
    assert not PesertaBimtek.objects.exclude(nomor_sertifikat=None).exists()  # nothing half-saved
    nilai[f"nomor:{b.uuid}"] = "400/2/2026"
    assert client.post(reverse("tenaga:bimtek-nilai", args=[bimtek.uuid]), nilai).status_code == 302
    a.refresh_from_db()
    assert str(a.nilai_post) == "82.50" and a.nomor_sertifikat == "400/1/2026"


def test_a_participant_of_another_area_cannot_be_posted(client, world):
    bimtek = _bimtek_dengan_peserta(client, world)
    lain = buat_bimtek(world)
    asing = PesertaBimtek.objects.create(bimtek=lain, profil=buat_profil(world, "selat"))
    response = client.post(
        reverse("tenaga:bimtek-nilai", args=[bimtek.uuid]),
        {f"peserta:{asing.uuid}": "1", f"nomor:{asing.uuid}": "X"},
    )
    assert response.status_code == 404
    asing.refresh_from_db()
    assert asing.nomor_sertifikat is None


@pytest.mark.parametrize(
    ("nama", "isi", "jenis"),
    [
        ("modul.pdf", b"<!doctype html><script>alert(1)</script>", "application/pdf"),
        ("modul.pdf", b"%PDF-1.4\n<script>", "application/pdf"),
        ("foto.jpg", b"\xff\xd8\xff\xe0 bukan foto", "image/jpeg"),
        ("kosong.pdf", b"", "application/pdf"),
    ],
)
def test_bad_materials_are_refused_and_nothing_is_stored(client, world, media, nama, isi, jenis):
    bimtek = buat_bimtek(world)
    client.force_login(world.users["prov"])
    response = client.post(
        reverse("tenaga:bimtek-materi-tambah", args=[bimtek.uuid]),
        {"nama": "Modul 1", "berkas": SimpleUploadedFile(nama, isi, jenis)},
    )
    assert response.status_code == 400
    assert not MateriBimtek.objects.exists()
    assert not [p for p in Path(media).rglob("*") if p.is_file()]


def test_materials_pdf_and_image_are_stored_and_served_as_attachments(client, world):
    bimtek = buat_bimtek(world)
    client.force_login(world.users["prov"])
    for nama, isi, jenis in (
        ("m.pdf", PDF, "application/pdf"),
        ("p.jpg", jpeg_bytes(), "image/jpeg"),
    ):
        response = client.post(
            reverse("tenaga:bimtek-materi-tambah", args=[bimtek.uuid]),
            {"nama": nama, "berkas": SimpleUploadedFile(nama, isi, jenis)},
        )
        assert response.status_code == 302
    materi = MateriBimtek.objects.get(jenis="pdf")
    client.force_login(world.users["tksk_selat"])  # a province event: seen by every TKSK
    response = client.get(reverse("tenaga:bimtek-materi-unduh", args=[bimtek.uuid, materi.uuid]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def _pdf_teks(data: bytes, tmp_path) -> str:
    berkas = tmp_path / "s.pdf"
    berkas.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(berkas), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_certificate_pdf_and_its_public_verification(client, world, tmp_path, settings):
    profil = buat_profil(world, "pahandut", nik="6271015205900003")
    bimtek = buat_bimtek(world, judul="Bimtek Peningkatan Kemampuan Potensi TKSK 2026")
    peserta = PesertaBimtek.objects.create(
        bimtek=bimtek, profil=profil, nomor_sertifikat="400/77/BIMTEK/2026"
    )
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(reverse("tenaga:sertifikat-pdf", args=[bimtek.uuid, peserta.uuid]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    teks = _pdf_teks(response.content, tmp_path)
    assert "SERTIFIKAT" in teks.replace(" ", "")  # letter-spaced title
    for bagian in ("400/77/BIMTEK/2026", "TKSK Pahandut", "Bimtek Peningkatan Kemampuan",
                   "2 Maret 2026", "30 jam pelajaran", "Kepala Dinas Sosial"):  # fmt: skip
        assert bagian in teks, bagian
    assert "6271015205900003" not in teks
    # Another TKSK cannot print it.
    client.force_login(world.users["tksk_jekanraya"])
    assert (
        client.get(reverse("tenaga:sertifikat-pdf", args=[bimtek.uuid, peserta.uuid])).status_code
        == 404
    )
    # The QR code's page, without logging in: number, name, event, dates, nothing else.
    client.logout()
    page = client.get(
        reverse("tenaga:sertifikat-verifikasi", args=[peserta.token])
    ).content.decode()
    assert "400/77/BIMTEK/2026" in page and "TKSK Pahandut" in page and "2 Maret 2026" in page
    for rahasia in ("6271", "Pahandut\n", profil.telepon, "Karang Taruna", "Hotel"):
        assert rahasia not in page, rahasia
    assert (
        client.get(reverse("tenaga:sertifikat-verifikasi", args=["bukan-token"])).status_code == 404
    )
    settings.TENAGA_VERIFIKASI_BATAS_IP = 4
    codes = [
        client.get(reverse("tenaga:sertifikat-verifikasi", args=[peserta.token])).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_training_history_and_never_trained_list(client, world):
    dilatih = buat_profil(world, "pahandut")
    belum = buat_profil(world, "jekanraya")
    bimtek = buat_bimtek(world, mulai=date(2026, 3, 2), selesai=date(2026, 3, 2))
    p = PesertaBimtek.objects.create(bimtek=bimtek, profil=dilatih, nomor_sertifikat="S-1")
    Kehadiran.objects.create(peserta=p, tanggal=date(2026, 3, 2), hadir=True)
    client.force_login(world.users["kab_palangkaraya"])
    response = client.get(reverse("tenaga:belum-dilatih-list"))
    assert [x.pk for x in response.context["profil"]] == [belum.pk]
    page = client.get(reverse("tenaga:profil-detail", args=[dilatih.uuid])).content.decode()
    assert bimtek.judul in page and "sertifikat S-1" in page
    page = client.get(reverse("tenaga:profil-detail", args=[belum.uuid])).content.decode()
    assert "Belum pernah mengikuti bimtek" in page


def test_certificate_renders_to_an_image(client, world, tmp_path):
    """The certificate as a PNG (pdftoppm) for looking at it: a landscape page with ink."""
    profil = buat_profil(world, "pahandut")
    bimtek = buat_bimtek(
        world,
        penandatangan_nama="Drs. Sunarti, M.Si",
        penandatangan_jabatan="Kepala Dinas Sosial Provinsi Kalimantan Tengah",
    )
    p = PesertaBimtek.objects.create(bimtek=bimtek, profil=profil, nomor_sertifikat="400/9/2026")
    client.force_login(world.users["prov"])
    pdf = client.get(reverse("tenaga:sertifikat-pdf", args=[bimtek.uuid, p.uuid])).content
    (tmp_path / "s.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-singlefile",
            str(tmp_path / "s.pdf"),
            str(tmp_path / "s"),
        ],
        check=True,
    )
    from PIL import Image

    with Image.open(tmp_path / "s.png") as image:
        assert image.width > image.height  # landscape
        gelap = image.convert("L").histogram()[:128]
        gelap = sum(gelap)
        assert gelap > 2000
    assert re.search(rb"%PDF-\d", pdf)
