"""The letterhead: edited by admins only, logo checked and re-encoded, the closest one used."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.koordinasi.conftest import berkas_tersimpan
from tests.koordinasi.test_surat import teks_pdf
from tests.matrix.koordinasi import buat_rujukan
from tksk.models import KopSurat, kop_untuk

pytestmark = pytest.mark.django_db


def png_logo(size=(800, 800)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (100, 100, size[0] - 100, size[1] - 100))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_admin_sets_the_default_letterhead_with_a_logo(world, client, media):
    client.force_login(world.users["admin"])
    url = reverse("koordinasi:kop-update")
    response = client.post(
        url,
        {
            "nama_instansi": "PEMERINTAH PROVINSI KALIMANTAN TENGAH\r\nDINAS SOSIAL",
            "alamat": "Jl. Tjilik Riwut Km 5, Palangka Raya",
            "telepon": "(0536) 3221234",
            "email": "dinsos@kalteng.go.id",
            "logo": SimpleUploadedFile("logo kalteng.png", png_logo(), "image/png"),
        },
    )
    assert response.status_code == 302
    kop = KopSurat.objects.get(wilayah=None)
    assert kop.baris_instansi == ["PEMERINTAH PROVINSI KALIMANTAN TENGAH", "DINAS SOSIAL"]
    [stored] = berkas_tersimpan(media)
    assert stored.parent.name == "kop" and "kalteng" not in stored.name
    with Image.open(stored) as logo:
        assert logo.format == "PNG" and logo.size == (600, 600) and logo.mode == "RGBA"
    assert client.get(url).status_code == 200


def test_logo_must_be_a_real_png_or_jpeg(world, client, media):
    client.force_login(world.users["admin"])
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post(
        reverse("koordinasi:kop-update"),
        {"nama_instansi": "DINAS SOSIAL", "logo": SimpleUploadedFile("l.png", svg, "image/png")},
    )
    assert response.status_code == 200
    assert "JPEG atau PNG" in response.content.decode()
    assert not KopSurat.objects.exists() and berkas_tersimpan(media) == []


def test_only_admins_edit_the_letterhead(world, client):
    for username in ("tksk_pahandut", "kab_palangkaraya", "prov"):
        client.force_login(world.users[username])
        url = reverse("koordinasi:kop-update")
        assert client.post(url, {"nama_instansi": "X"}).status_code == 403
    assert not KopSurat.objects.exists()


def test_the_closest_letterhead_is_used(world, client, tmp_path):
    assert kop_untuk(world.kec["selat"]) is None
    bawaan = KopSurat.objects.create(nama_instansi="PEMERINTAH PROVINSI\nDINAS SOSIAL")
    kapuas = KopSurat.objects.create(
        wilayah=world.kab["kapuas"], nama_instansi="PEMERINTAH KABUPATEN KAPUAS\nDINAS SOSIAL"
    )
    assert kop_untuk(world.kec["selat"]) == kapuas
    assert kop_untuk(world.desa["selat"]) == kapuas
    assert kop_untuk(world.kec["pahandut"]) == bawaan
    assert kop_untuk(None) == bawaan
    rujukan = buat_rujukan(world, "selat")
    client.force_login(world.users["tksk_selat"])
    response = client.get(reverse("koordinasi:rujukan-surat", args=[rujukan.uuid]))
    assert "PEMERINTAH KABUPATEN KAPUAS" in teks_pdf(response.content, tmp_path)


def test_admin_sets_a_kabupaten_letterhead(world, client):
    client.force_login(world.users["admin"])
    url = reverse("koordinasi:kop-update") + "?wilayah=62.03"
    data = {"nama_instansi": "PEMERINTAH KABUPATEN KAPUAS\nDINAS SOSIAL"}
    assert client.post(url, data).status_code == 302
    assert KopSurat.objects.get().wilayah == world.kab["kapuas"]
    assert client.get(reverse("koordinasi:kop-update") + "?wilayah=99.99").status_code == 404
