"""Uploads, beyond tests/koordinasi/test_foto.py and test_kop.py: a PDF or page under an image
name is refused for photos and logos; stored files live outside every static folder and no URL
serves them except the scoped views, which send them as images that are never sniffed or
cached, inline or as an attachment on request."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koordinasi.models import FotoKegiatan
from tests.matrix.koordinasi import buat_foto, buat_kegiatan
from tests.security import beda, media_fixture, sidik_jari  # noqa: F401
from tksk.models import KopSurat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
SAMARAN = [
    ("surat.jpg", PDF, "image/jpeg"),
    ("surat.jpeg", PDF, "application/pdf"),
    ("logo.png", PDF, "image/png"),
    ("halaman.png", HTML, "image/png"),
]


def _berkas(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("nama", "isi", "jenis"), SAMARAN, ids=[s[0] for s in SAMARAN])
def test_pdf_or_page_disguised_as_an_image_is_refused_everywhere(
    world, client, media, nama, isi, jenis
):
    from django.test import Client

    kegiatan = buat_kegiatan(world, "pahandut")
    admin = Client()
    admin.force_login(world.users["admin"])
    client.force_login(world.users["tksk_pahandut"])
    before = sidik_jari()
    response = client.post(
        reverse("koordinasi:kegiatan-foto-tambah", args=[kegiatan.uuid]),
        {"foto": SimpleUploadedFile(nama, isi, content_type=jenis)},
    )
    assert response.status_code == 400
    assert "JPEG atau PNG" in response.content.decode()
    response = admin.post(
        reverse("koordinasi:kop-update"),
        {"nama_instansi": "DINAS SOSIAL", "logo": SimpleUploadedFile(nama, isi, jenis)},
    )
    assert response.status_code == 200 and "JPEG" in response.content.decode()
    assert beda(before, sidik_jari()) == []
    assert _berkas(media) == []


def test_uploads_live_outside_every_static_folder():
    """Production paths (tksk/settings.py): media is neither inside STATIC_ROOT nor any
    STATICFILES_DIRS nor the templates, and static files are not inside media."""
    from tksk import settings as produksi

    media_root = Path(produksi.MEDIA_ROOT).resolve()
    static_roots = [Path(produksi.STATIC_ROOT).resolve()]
    static_roots += [Path(d).resolve() for d in produksi.STATICFILES_DIRS]
    static_roots += [Path(d).resolve() for t in produksi.TEMPLATES for d in t["DIRS"]]
    for root in static_roots:
        assert not media_root.is_relative_to(root), root
        assert not root.is_relative_to(media_root), root
    assert not settings.MEDIA_URL.startswith(settings.STATIC_URL)


def test_no_url_serves_stored_files_directly(world, client, media):
    foto = buat_foto(world, "pahandut")
    client.force_login(world.users["admin"])
    logo = media / "uji-logo.png"
    logo.write_bytes(b"\x89PNG")
    stored = [Path(foto.berkas.name), Path(foto.kecil.name), logo.relative_to(media)]
    assert all((media / p).is_file() for p in stored)
    client.force_login(world.users["tksk_pahandut"])
    for rel in stored:
        for url in (
            f"/media/{rel}",
            f"/static/{rel}",
            f"/{rel}",
            f"/static/../var/media/{rel}",
            f"/static/%2e%2e/{rel}",
            f"{settings.STATIC_URL}{rel.name}",
        ):
            response = client.get(url)
            assert response.status_code == 404, f"{url}: {response.status_code}"
    assert KopSurat.objects.count() == 0


def test_photo_is_sent_as_an_image_never_sniffed_inline_or_as_attachment(world, client):
    foto = buat_foto(world, "pahandut")
    url = reverse("koordinasi:kegiatan-foto", args=[foto.kegiatan.uuid, foto.uuid])
    client.force_login(world.users["kab_palangkaraya"])
    for query, disposition in (("", "inline"), ("?unduh=1", "attachment")):
        response = client.get(url + query)
        body = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg" and body.startswith(b"\xff\xd8")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Disposition"].startswith(disposition)
        # The name is built by the server, never the uploader's file name.
        nama = f'filename="foto-kegiatan-{foto.uuid.hex[:8]}.jpg"'
        assert nama in response["Content-Disposition"]
    assert FotoKegiatan.objects.count() == 1
