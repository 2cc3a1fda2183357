"""The referral letter: read back with pdftotext; masked NIK unless ticked (and logged); user
data printed as text, nothing fetched; a failure is a friendly page, not a broken file."""

import socket
import statistics
import subprocess
import threading
import time
from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from koordinasi.views import konteks_surat
from pendataan.models import PPKS, Individu, Keluarga
from tests.matrix.koordinasi import buat_mitra, buat_rujukan
from tksk import pdf
from tksk.models import AuditLog, KategoriPPKS

pytestmark = pytest.mark.django_db
NIK = "6271015708900001"


def teks_pdf(data: bytes, tmp_path) -> str:
    path = tmp_path / "surat.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def ppks_warga(world, kec="pahandut", nama="Siti Aminah", nik=NIK):
    desa = world.desa[kec]
    keluarga = Keluarga.objects.create(desa=desa, alamat="Jl. Seth Adji 7", nama_kepala=nama)
    orang = Individu.objects.create(
        keluarga=keluarga,
        desa=desa,
        nik=nik,
        nama=nama,
        jenis_kelamin="P",
        tempat_lahir="Palangka Raya",
        tanggal_lahir=date(1990, 8, 17),
        hubungan="kepala_keluarga",
    )
    return PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="FM"),
        subjek="individu",
        individu=orang,
        desa=desa,
        jenis_kelamin="P",
        tanggal_identifikasi=date(2026, 10, 1),
    )


def test_letter_shows_reference_and_masked_nik_only(world, client, tmp_path):
    mitra = buat_mitra(world, "pahandut", nama="UPT Puskesmas Pahandut")
    rujukan = buat_rujukan(world, "pahandut", ppks=ppks_warga(world), mitra=mitra)
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(reverse("koordinasi:rujukan-surat", args=[rujukan.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    nama_berkas = rujukan.nomor.replace("/", "-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="surat-rujukan-{nama_berkas}.pdf"'
    )
    teks = teks_pdf(response.content, tmp_path)
    assert rujukan.nomor in teks
    assert "6271********0001" in teks and NIK not in teks
    for expected in (
        "Siti Aminah",
        "UPT Puskesmas Pahandut",
        "Rujukan Pelayanan Kesejahteraan Sosial",
        "Kepada Yth.",
        "DINAS SOSIAL",
        "Halaman 1 dari 1",
        "NIP.",
    ):
        assert expected in teks, expected
    log = AuditLog.objects.get(aksi="cetak_pdf")
    assert log.pelaku == world.users["tksk_pahandut"] and log.objek_uuid == rujukan.uuid
    assert log.data == {"dokumen": "surat_rujukan", "nik_lengkap": False}
    assert not AuditLog.objects.filter(aksi="lihat_nik").exists()


def test_full_nik_only_when_ticked_and_logged(world, client, tmp_path):
    rujukan = buat_rujukan(world, "pahandut", ppks=ppks_warga(world))
    client.force_login(world.users["tksk_pahandut"])
    url = reverse("koordinasi:rujukan-surat", args=[rujukan.uuid])
    teks = teks_pdf(client.get(url, {"nik_lengkap": "on"}).content, tmp_path)
    assert NIK in teks
    cetak = AuditLog.objects.get(aksi="cetak_pdf")
    assert cetak.data["nik_lengkap"] is True
    lihat = AuditLog.objects.get(aksi="lihat_nik")
    assert lihat.objek_uuid == rujukan.ppks.uuid and lihat.pelaku == world.users["tksk_pahandut"]
    # The audit log itself never holds the number.
    assert NIK not in str(cetak.data) + str(lihat.data)


def _pendengar():
    """A TCP listener on 127.0.0.1 that counts connections (nothing should ever connect)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    hits = []
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return server, hits, stop


def test_markup_in_user_data_prints_as_text_and_fetches_nothing(world, client, tmp_path):
    server, hits, stop = _pendengar()
    port = server.getsockname()[1]
    try:
        nama = (
            f'<img src="http://127.0.0.1:{port}/"> <link rel=attachment href="file:///etc/passwd">'
        )
        ppks = ppks_warga(world, nama=nama)
        mitra = buat_mitra(world, "pahandut", nama=f'<img src="http://127.0.0.1:{port}/m">')
        rujukan = buat_rujukan(
            world,
            "pahandut",
            ppks=ppks,
            mitra=mitra,
            alasan=f'<iframe src="http://127.0.0.1:{port}/a"></iframe>',
        )
        client.force_login(world.users["tksk_pahandut"])
        response = client.get(reverse("koordinasi:rujukan-surat", args=[rujukan.uuid]))
        assert response.status_code == 200
        teks = " ".join(teks_pdf(response.content, tmp_path).split())
        assert f'<img src="http://127.0.0.1:{port}/">' in teks
        assert '<link rel=attachment href="file:///etc/passwd">' in teks
        assert "<iframe" in teks
        assert b"/EmbeddedFile" not in response.content and b"root:" not in response.content
        assert b"/URI" not in response.content
        time.sleep(0.3)
        assert hits == []
    finally:
        stop.set()
        server.close()


def test_restricted_fetcher_refuses_everything_but_static_files_and_data_images(tmp_path):
    server, hits, stop = _pendengar()
    port = server.getsockname()[1]
    try:
        fetcher = pdf.pengambil_terbatas()
        html = f"""<html><head><link rel="stylesheet" href="/static/css/app.css">
        <link rel=attachment href="file:///etc/passwd"></head><body>
        <img src="http://127.0.0.1:{port}/a.png"><img src="https://127.0.0.1:{port}/b.png">
        <img src="file:///etc/hostname"><img src="/static/../tksk/settings.py">
        <img src="/static/img/logo.svg"><img src="{pdf.qr_data_uri("x")}">
        <img src="data:text/html;base64,PGI+eDwvYj4="><p>Isi</p></body></html>"""
        data = pdf.html_ke_pdf(html, fetcher=fetcher)
        time.sleep(0.3)
        assert hits == []
        assert b"/EmbeddedFile" not in data and b"root:" not in data
        refused = set(fetcher.ditolak)
        assert f"http://127.0.0.1:{port}/a.png" in refused
        assert f"https://127.0.0.1:{port}/b.png" in refused
        assert {"file:///etc/passwd", "file:///etc/hostname"} <= refused
        assert any("settings.py" in u for u in refused)
        assert any(u.startswith("data:text/html") for u in refused)
        allowed = set(fetcher.diminta) - refused
        assert any(u.endswith("/static/css/app.css") for u in allowed)
        assert any(u.endswith("/static/img/logo.svg") for u in allowed)
        assert any(u.startswith("data:image/png") for u in allowed)
        assert "Isi" in teks_pdf(data, tmp_path)
    finally:
        stop.set()
        server.close()


def test_render_failure_is_a_friendly_page_not_a_file(world, client, monkeypatch):
    import weasyprint

    def rusak(*args, **kwargs):
        raise RuntimeError("cairo says no")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", rusak)
    rujukan = buat_rujukan(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(reverse("koordinasi:rujukan-surat", args=[rujukan.uuid]))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Dokumen PDF tidak dapat dibuat" in response.content.decode()
    assert not AuditLog.objects.filter(aksi="cetak_pdf").exists()


def test_pdf_response_builds_a_safe_filename():
    response = pdf.pdf_response(b"%PDF-1.7", 'Surat "a"/../\r\nX: y é.pdf', inline=True)
    assert response["Content-Disposition"] == 'inline; filename="Surat-a-X-y-e.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert pdf.nama_berkas_aman("") == "dokumen.pdf"


def test_render_pdf_of_a_missing_template_raises_pdfgagal():
    with pytest.raises(pdf.PDFGagal):
        pdf.render_pdf("tidak/ada.html", {})


def test_letter_render_time_median_of_20(world, capsys):
    rujukan = buat_rujukan(world, "pahandut", ppks=ppks_warga(world))
    request = RequestFactory().get("/")
    request.user = world.users["tksk_pahandut"]
    durations = []
    for _ in range(20):
        start = time.perf_counter()
        pdf.render_pdf(
            "koordinasi/pdf/surat_rujukan.html",
            konteks_surat(request, rujukan, nik_lengkap=False),
            request=request,
        )
        durations.append(time.perf_counter() - start)
    median = statistics.median(durations)
    with capsys.disabled():
        terlama = max(durations) * 1000
        print(f"\nsurat rujukan: median {median * 1000:.0f} ms dari 20 (maks {terlama:.0f} ms)")
    assert median < 3
