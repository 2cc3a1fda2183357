"""Output with production settings: HSTS and cookie flags on the wire, and spreadsheet exports
that neutralise formulas while numbers stay numbers and NIKs stay text. (Escaping in pages and
PDFs is checked over every reachable page in test_crawl.py.)"""

import csv
import io
from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from tests.conftest import PASSWORD
from tests.security import Halaman, data_formulir, media_fixture  # noqa: F401
from tksk.models import AuditLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _cookie_flags(response, name) -> dict:
    morsel = response.cookies[name]
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


def test_cookies_and_hsts_with_production_settings(world, settings):
    """tests/settings.py is the production settings (DEBUG off); only the TLS redirect is off,
    as the test client speaks to the app directly. Behind the proxy every request is HTTPS."""
    assert settings.DEBUG is False
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    page = client.get(reverse("login"))
    assert _cookie_flags(page, "csrftoken") == {"secure": True, "httponly": True, "samesite": "Lax"}
    response = client.post(
        reverse("login"), {"username": "tksk_pahandut", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    assert _cookie_flags(response, "sessionid") == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }
    home = client.get("/", secure=True)
    hsts = home["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert home["Cache-Control"] == "no-store"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_sent_to_https_except_the_health_check(world):
    client = Client()
    response = client.get("/accounts/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


# --- spreadsheet exports ----------------------------------------------------------------------

RUMUS = ['=HYPERLINK("http://x")', "+SUM(1,1)", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
AWALAN = ["", " ", "\t", "\ufeff"]
PEMBUKA = ("=", "+", "-", "@")


def _berbahaya(value: str) -> bool:
    """Whether a spreadsheet would evaluate the cell: a formula start, also behind leading
    blanks, tabs or a byte order mark (apostrophe-prefixed text is shown as text)."""
    rest = value.lstrip(" \t\r\n\ufeff\u200b")
    return bool(rest) and rest[0] in PEMBUKA and not value.startswith("'")


def _orang_berumus(world):
    """Persons of Palangkaraya named with the formula corpus: through the service (which
    trims blanks) and straight into the table (as an import or an old record would)."""
    from pendataan.models import Individu
    from tests.matrix.keluarga import buat_keluarga
    from tests.security import anggota

    names = [a + r for r in RUMUS for a in AWALAN]
    keluarga = buat_keluarga(world, "pahandut", anggota=[anggota("Kepala Rumus")])
    for i, nama in enumerate(names):
        Individu.objects.create(
            keluarga=keluarga, desa=keluarga.desa, nik=None, alasan_tanpa_nik="lainnya",
            nama=nama, jenis_kelamin="L", hubungan="anak",
        )  # fmt: skip
        if i < len(RUMUS):
            buat_keluarga(world, "jekanraya", anggota=[anggota(RUMUS[i])])
    return names


def _ekspor(client, world, fmt: str, jenis: str = "individu"):
    try:
        path = reverse("laporan:ekspor")
    except NoReverseMatch:
        raise AssertionError("laporan:ekspor is missing: person-level export") from None
    page = client.get(path)
    assert page.status_code == 200
    form = Halaman(page.content.decode()).form_utama(path)
    data = {
        **data_formulir(form),
        "jenis": jenis,
        "format": fmt,
        "wilayah": world.kab["palangkaraya"].pk,
        "status": "",
    }
    response = client.post(path, data)
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_csv_export_neutralises_formulas(world, client):
    names = _orang_berumus(world)
    client.force_login(world.users["kab_palangkaraya"])
    response, body = _ekspor(client, world, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    shown = [c for c in cells if any(n.lstrip(" \t\ufeff") in c for n in names)]
    assert len(shown) >= len(names), "the export did not carry the formula names"
    dangerous = [c for c in cells if _berbahaya(c)]
    assert not dangerous, dangerous
    # Who exported what, how many rows.
    entry = AuditLog.objects.get(aksi="ekspor_data", pelaku=world.users["kab_palangkaraya"])
    assert entry.data["baris"] >= len(names)


def test_xlsx_export_neutralises_formulas_numbers_stay_numbers_nik_stays_text(world, client):
    from openpyxl import load_workbook

    names = _orang_berumus(world)
    client.force_login(world.users["kab_palangkaraya"])
    _, body = _ekspor(client, world, "xlsx")
    book = load_workbook(io.BytesIO(body))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert sum(any(n.lstrip(" \t\ufeff") in t for n in names) for t in texts) >= len(names)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "formula cells"
    dangerous = [t for t in texts if _berbahaya(t)]
    assert not dangerous, dangerous
    assert any(isinstance(c.value, int | float | date) for c in cells), "no number stayed a number"
    nomor = [c for c in cells if isinstance(c.value, str) and "********" in c.value]
    assert nomor and all(c.data_type == "s" for c in nomor)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_area_and_category_names_go_through_the_formula_guard(world, client, fmt):
    """Reference names are data too: an area renamed in the admin, a category edited, arrive in
    every row; they pass through the same guard as typed text."""
    from openpyxl import load_workbook

    from pendataan.models import Individu
    from tests.matrix.keluarga import buat_keluarga
    from tests.security import anggota

    keluarga = buat_keluarga(world, "pahandut", anggota=[anggota("Warga Biasa")])
    desa = Individu.objects.filter(keluarga=keluarga).first().desa
    type(desa).objects.filter(pk=desa.pk).update(nama='=HYPERLINK("http://x","Desa")')
    type(world.kec["pahandut"]).objects.filter(pk=world.kec["pahandut"].pk).update(
        nama="+cmd|' /C calc'!A0"
    )
    client.force_login(world.users["kab_palangkaraya"])
    _, body = _ekspor(client, world, fmt)
    if fmt == "csv":
        cells = [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row]
    else:
        book = load_workbook(io.BytesIO(body))
        cells = [
            c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)
        ]  # fmt: skip
    assert any("HYPERLINK" in c for c in cells), "the area name is not in the export"
    assert any("calc" in c for c in cells), "the kecamatan name is not in the export"
    dangerous = [c for c in cells if _berbahaya(c)]
    assert not dangerous, dangerous
