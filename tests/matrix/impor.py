"""Matrix entries for the spreadsheet import, and the helpers its tests share: spreadsheets built
in memory with openpyxl (no binary files in the repository) and uploads through the real view."""

import atexit
import csv
import io
import itertools
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.matrix.base import Open, Scoped
from tests.matrix.keluarga import PENDATA, nik_baru

_urut = itertools.count(1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def no_kk_unik() -> str:
    # A range of its own, apart from tests.matrix.keluarga.no_kk_baru.
    return f"6271017707{next(_urut) % 1000000 or 1:06d}"


def anggota(kode: str, nama: str, hubungan: str = "anak", **extra) -> dict:
    """One member row of the Keluarga sheet, valid unless `extra` says otherwise."""
    lahir = extra.pop("tanggal_lahir", date(1985, 4, 12))
    jk = extra.pop("jenis_kelamin", "L")
    row = {
        "kode_keluarga": kode,
        "nik": nik_baru(lahir, jk) if isinstance(lahir, date) else "",
        "nama": nama,
        "jenis_kelamin": jk,
        "tanggal_lahir": lahir.isoformat() if isinstance(lahir, date) else lahir,
        "hubungan": hubungan,
        "agama": "islam",
    }
    row.update(extra)
    return row


def keluarga(kode: str, desa, *, jumlah: int = 3, no_kk: str | None = None, **rumah) -> list:
    """Rows of one household: a head, a wife and children; household columns on the first row."""
    rows = [anggota(kode, f"Kepala {kode}", "kepala_keluarga", tanggal_lahir=date(1980, 3, 9))]
    if jumlah > 1:
        rows.append(
            anggota(
                kode, f"Istri {kode}", "istri", jenis_kelamin="P", tanggal_lahir=date(1984, 7, 21)
            )
        )
    for i in range(jumlah - 2):
        rows.append(anggota(kode, f"Anak {i + 1} {kode}", tanggal_lahir=date(2008 + i, 1, 15)))
    rows[0].update(
        {
            "no_kk": no_kk if no_kk is not None else no_kk_unik(),
            "kode_desa": desa.kode,
            "alamat": f"Jl. Tjilik Riwut Km {next(_urut) % 50}",
            "rt": "003",
            "rw": "001",
            **rumah,
        }
    )
    return rows


def buat_xlsx(keluarga_rows=(), ppks_rows=(), *, kolom_keluarga=None, kolom_ppks=None) -> bytes:
    """A workbook with the import sheets. Strings stay strings (openpyxl would otherwise store
    one that starts with "=" as a formula); numbers, dates and None are written as given."""
    from openpyxl import Workbook

    from pendataan.impor import KOLOM_KELUARGA, KOLOM_PPKS

    wb = Workbook()
    sheets = [
        ("Keluarga", kolom_keluarga or [k.kunci for k in KOLOM_KELUARGA], keluarga_rows),
        ("PPKS", kolom_ppks or [k.kunci for k in KOLOM_PPKS], ppks_rows),
    ]
    wb.remove(wb.active)
    for title, kolom, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(kolom)
        for r, row in enumerate(rows, start=2):
            for c, key in enumerate(kolom, start=1):
                value = row.get(key)
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    if value.startswith("=") and row.get("_rumus") == key:
                        continue  # a real formula, on purpose
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def buat_csv(rows, kolom, *, pemisah=",", encoding="utf-8-sig") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=pemisah)
    writer.writerow(kolom)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in kolom])
    return out.getvalue().encode(encoding)


def berkas(data: bytes, nama: str = "data.xlsx") -> SimpleUploadedFile:
    jenis = XLSX if nama.endswith(".xlsx") else "text/csv"
    return SimpleUploadedFile(nama, data, content_type=jenis)


_dibuat: list = []


@atexit.register
def _hapus_unggahan_matrix():
    # The matrix runs with the real MEDIA_ROOT: its uploads go when the test run ends.
    from pendataan import impor

    for u in _dibuat:
        impor.hapus(u)


def unggahan(world, kec: str, rows=None):
    """A stored upload of the TKSK of `kec` (queued for its check, as after the upload)."""
    from pendataan import impor

    rows = rows if rows is not None else keluarga(f"M{next(_urut)}", world.desa[kec], jumlah=1)
    u = impor.terima(
        pelaku=world.users[f"tksk_{kec}"], uploaded=berkas(buat_xlsx(rows)), jenis="xlsx"
    )
    _dibuat.append(u)
    return u


def _detail(world, kec):
    return reverse("pendataan:impor-detail", args=[unggahan(world, kec).token]), None


def _konfirmasi(world, kec):
    return reverse("pendataan:impor-konfirmasi", args=[unggahan(world, kec).token]), {}


def _batal(world, kec):
    return reverse("pendataan:impor-batal", args=[unggahan(world, kec).token]), {}


SCOPED = [
    Scoped("pendataan:impor-detail", _detail, roles=PENDATA),
    Scoped("pendataan:impor-konfirmasi", _konfirmasi, method="post", roles=PENDATA),
    Scoped("pendataan:impor-batal", _batal, method="post", roles=PENDATA),
]

OPEN = [
    Open("pendataan:impor-index", roles=PENDATA),
    Open("pendataan:impor-templat", roles=PENDATA),
]


# --- shared by the import tests ------------------------------------------------------------


@pytest.fixture
def lingkungan_impor(settings, tmp_path):
    """Uploads in a temporary MEDIA_ROOT; background jobs run at once, inside the request."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings.MEDIA_ROOT / "impor"


def unggah(client, data: bytes, nama: str = "data.xlsx"):
    """Upload through the page; returns (response, token or None)."""
    response = client.post(reverse("pendataan:impor-index"), {"berkas": berkas(data, nama)})
    token = None
    if response.status_code == 302:
        token = response["Location"].rstrip("/").split("/")[-1]
    return response, token


def laporan(token) -> dict:
    from pendataan import impor

    return impor.baca_laporan(impor.muat(token))


def masalah(token, lembar: str = "Keluarga") -> dict[int, dict]:
    """Row number -> {"galat": {kolom: [pesan]}, "peringatan": [...]} of the preview."""
    hasil = {}
    for m in laporan(token).get("masalah", []):
        if m["lembar"] != lembar:
            continue
        galat: dict[str, list] = {}
        for g in m["galat"]:
            galat.setdefault(g["kolom"], []).append(g["pesan"])
        hasil[m["baris"]] = {"galat": galat, "peringatan": m["peringatan"]}
    return hasil


def konfirmasi(client, token):
    return client.post(reverse("pendataan:impor-konfirmasi", args=[token]))
