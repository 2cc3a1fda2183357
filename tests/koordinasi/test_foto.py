"""Activity photos: only real JPEG/PNG within the size and pixel limits are accepted; what is
stored is re-encoded (no EXIF/GPS), resized, under a random name, and served only through the
scoping rule."""

import os
import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from koordinasi.models import FotoKegiatan
from tests.koordinasi.conftest import berkas_tersimpan
from tests.matrix.koordinasi import buat_foto, buat_kegiatan, jpeg_bytes

pytestmark = pytest.mark.django_db


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_banjir(lebar: int, tinggi: int) -> bytes:
    """A valid 1-bit PNG of the given size: tiny on disk, huge once decoded (a pixel flood)."""
    baris = b"\x00" + b"\x00" * ((lebar + 7) // 8)
    ihdr = struct.pack(">IIBBBBB", lebar, tinggi, 1, 0, 0, 0, 0)
    kompres = zlib.compressobj(9)
    idat = b"".join(kompres.compress(baris) for _ in range(tinggi)) + kompres.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def png_besar() -> bytes:
    """A real PNG over 5 MB (noise does not compress)."""
    image = Image.frombytes("RGB", (1500, 1500), os.urandom(1500 * 1500 * 3))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    assert buffer.tell() > 5 * 1024 * 1024
    return buffer.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><image href="http://127.0.0.1:9/x.png"/></svg>'
)
DITOLAK = [
    ("rumah.jpg", b"<html><body><script>alert(document.cookie)</script></body></html>", "JPEG"),
    ("gambar.svg", SVG, "JPEG"),
    ("gambar.jpg", SVG, "JPEG"),
    ("dokumen.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "JPEG"),
    ("besar.png", png_besar(), "5 MB"),
    ("banjir.png", png_banjir(20000, 20000), "megapiksel"),
    ("sedang.png", png_banjir(7000, 7000), "megapiksel"),
    ("terpotong.jpg", jpeg_bytes(size=(800, 600))[:600], "utuh"),
    ("kosong.jpg", b"", "kosong"),
]


@pytest.mark.parametrize(("nama", "isi", "pesan"), DITOLAK, ids=[d[0] for d in DITOLAK])
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(
    world, client, media, nama, isi, pesan
):
    kegiatan = buat_kegiatan(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    upload = SimpleUploadedFile(nama, isi, content_type="image/jpeg")
    response = client.post(
        reverse("koordinasi:kegiatan-foto-tambah", args=[kegiatan.uuid]),
        {"foto": upload, "keterangan": "Coba"},
    )
    assert response.status_code == 400
    errors = " ".join(response.context["foto_form"].errors["foto"])
    assert pesan in errors, errors
    assert pesan in response.content.decode()
    assert not FotoKegiatan.objects.exists()
    assert berkas_tersimpan(media) == []


def _jpeg_dengan_gps() -> bytes:
    image = Image.new("RGB", (3000, 2000), (200, 120, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraRahasia"
    exif[ExifTags.Base.Orientation] = 6  # taken rotated: the stored photo is upright
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (2.0, 12.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (113.0, 55.0, 1.0),
    }
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_photo_is_reencoded_without_exif_resized_and_stored_under_a_random_name(
    world, client, media
):
    kegiatan = buat_kegiatan(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    upload = SimpleUploadedFile("rumah_bu_siti.jpg", _jpeg_dengan_gps(), "image/jpeg")
    response = client.post(
        reverse("koordinasi:kegiatan-foto-tambah", args=[kegiatan.uuid]),
        {"foto": upload, "keterangan": "Kunjungan"},
    )
    assert response.status_code == 302
    foto = FotoKegiatan.objects.get()
    files = berkas_tersimpan(media)
    assert len(files) == 2
    for path in files:
        assert path.parent == media / "koordinasi" / "foto"
        assert "rumah" not in path.name and len(path.stem.split("-")[0]) == 32
        data = path.read_bytes()
        assert b"Exif" not in data and b"KameraRahasia" not in data
        with Image.open(path) as stored:
            assert stored.format == "JPEG"
            assert not stored.getexif()
    with Image.open(foto.berkas.path) as tampil, Image.open(foto.kecil.path) as kecil:
        # 3000×2000 rotated upright by its EXIF orientation, then fitted into 1600 px.
        assert tampil.size == (1067, 1600) == (foto.lebar, foto.tinggi)
        assert max(kecil.size) == 320


def test_photo_is_served_only_in_scope_never_cached(world, client):
    foto = buat_foto(world, "pahandut")
    url = reverse("koordinasi:kegiatan-foto", args=[foto.kegiatan.uuid, foto.uuid])
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    small = client.get(url + "?ukuran=kecil")
    assert b"".join(small.streaming_content) != b""
    client.force_login(world.users["tksk_jekanraya"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_photo_of_another_area_through_ones_own_activity_url_is_refused(world, client, media):
    sendiri = buat_kegiatan(world, "pahandut")
    asing = buat_foto(world, "jekanraya")
    sebelum = berkas_tersimpan(media)
    client.force_login(world.users["tksk_pahandut"])
    lihat = reverse("koordinasi:kegiatan-foto", args=[sendiri.uuid, asing.uuid])
    hapus = reverse("koordinasi:kegiatan-foto-hapus", args=[sendiri.uuid, asing.uuid])
    assert client.get(lihat).status_code == 404
    assert client.post(hapus).status_code == 404
    assert FotoKegiatan.objects.filter(pk=asing.pk).exists()
    assert berkas_tersimpan(media) == sebelum
    # The same for a photo of one's own area that belongs to another activity.
    lain = buat_foto(world, "pahandut")
    hapus = reverse("koordinasi:kegiatan-foto-hapus", args=[sendiri.uuid, lain.uuid])
    assert client.post(hapus).status_code == 404
    assert FotoKegiatan.objects.filter(pk=lain.pk).exists()


def test_deleting_a_photo_removes_its_files(
    world, client, media, django_capture_on_commit_callbacks
):
    foto = buat_foto(world, "pahandut")
    assert len(berkas_tersimpan(media)) == 2
    client.force_login(world.users["tksk_pahandut"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("koordinasi:kegiatan-foto-hapus", args=[foto.kegiatan.uuid, foto.uuid])
        )
    assert response.status_code == 302
    assert not FotoKegiatan.objects.exists()
    assert berkas_tersimpan(media) == []


def test_province_may_look_but_not_upload(world, client, media):
    kegiatan = buat_kegiatan(world, "pahandut")
    client.force_login(world.users["prov"])
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")
    url = reverse("koordinasi:kegiatan-foto-tambah", args=[kegiatan.uuid])
    assert client.post(url, {"foto": upload}).status_code == 403
    assert berkas_tersimpan(media) == []


def test_phone_multi_picture_jpeg_is_accepted(world, client):
    """Many phone cameras write MPO (a JPEG with a second picture): still a JPEG photo."""
    depan = Image.new("RGB", (800, 600), (10, 150, 90))
    buffer = BytesIO()
    depan.save(buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (800, 600))])
    with Image.open(BytesIO(buffer.getvalue())) as probe:
        assert probe.format == "MPO"
    kegiatan = buat_kegiatan(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    upload = SimpleUploadedFile("IMG_20261128.jpg", buffer.getvalue(), "image/jpeg")
    response = client.post(
        reverse("koordinasi:kegiatan-foto-tambah", args=[kegiatan.uuid]), {"foto": upload}
    )
    assert response.status_code == 302
    with Image.open(FotoKegiatan.objects.get().berkas.path) as stored:
        assert stored.format == "JPEG" and stored.size == (800, 600)
