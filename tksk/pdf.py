"""PDF documents (WeasyPrint), shared by every printed document of the app.

* Templates are ordinary Django templates, so user data is autoescaped: a name such as
  `<img src="http://…">` prints as text, it never becomes markup.
* Resources are fetched by `PengambilTerbatas`: only the app's own static files (`/static/…`,
  read from the staticfiles finders or STATIC_ROOT) and `data:` images the app generated itself
  (QR codes, logos read from storage: see `data_uri`, `qr_data_uri`, `logo_data_uri`). Every other
  URL (http, https, file, ftp, anything) is refused, so a document can never make the server
  fetch a URL or embed a local file, whatever ends up in its HTML.
* Layout: A4 with margins, DejaVu Sans (an installed system font, no web fonts) and page numbers
  "Halaman X dari Y" come from `CSS_DASAR`; a template's own `@page` rules refine it.
* A failure raises `PDFGagal` (never a partial file); views answer with a friendly page.
* Documents with personal data are logged by the view: `catat_cetak(...)`.
"""

import base64
import binascii
import logging
import mimetypes
import posixpath
import re
import unicodedata
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
# WeasyPrint narrates every step at INFO; only its warnings matter in the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Relative URLs in a document resolve against this made-up origin (.invalid never resolves);
# only `/static/…` under it is served, from the local static files.
BASE_URL = "https://dokumen.tksk.invalid/"
_ASAL = urlsplit(BASE_URL)
DATA_MIME = {"image/png", "image/jpeg", "image/svg+xml"}
MAKS_DATA = 5 * 1024 * 1024

CSS_DASAR = """
@page {
  size: A4;
  margin: 2cm 2cm 2.2cm 2.5cm;
  @bottom-right {
    content: "Halaman " counter(page) " dari " counter(pages);
    font-family: "DejaVu Sans", sans-serif;
    font-size: 8pt;
    color: #555;
  }
}
html { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; color: #000; }
img { max-width: 100%; }
"""


class PDFGagal(Exception):
    """The document could not be produced. `pesan` is what the user is told."""

    pesan = (
        "Dokumen PDF tidak dapat dibuat saat ini. Silakan coba lagi beberapa saat lagi; "
        "bila tetap gagal, hubungi admin Dinas Sosial."
    )


class URLDitolak(ValueError):
    """A resource URL outside what documents may use."""


def _weasyprint():
    # Imported on first use: WeasyPrint takes a while to load and most requests never print.
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    return weasyprint, URLFetcher, URLFetcherResponse


def _static_path(rel: str) -> Path | None:
    """The file behind a static path, found like `{% static %}` finds it; None if unknown."""
    found = finders.find(rel)
    if found:
        return Path(found)
    root = getattr(settings, "STATIC_ROOT", None)
    if root:
        base = Path(root).resolve()
        candidate = (base / rel).resolve()
        if candidate.is_relative_to(base) and candidate.is_file():
            return candidate
    return None


def _buat_pengambil():
    _, URLFetcher, URLFetcherResponse = _weasyprint()

    class PengambilTerbatas(URLFetcher):
        """URL fetcher that serves the app's static files and generated `data:` images and
        refuses everything else. `diminta` and `ditolak` list the URLs asked for and refused."""

        def __init__(self):
            super().__init__(timeout=3, allowed_protocols=(), allow_redirects=False)
            self.diminta: list[str] = []
            self.ditolak: list[str] = []

        def fetch(self, url, headers=None):
            self.diminta.append(url)
            try:
                if url[:5].lower() == "data:":
                    body, mime = self._data(url)
                else:
                    body, mime = self._static(url)
            except URLDitolak:
                self.ditolak.append(url)
                logger.warning("PDF: sumber ditolak: %.120s", url)
                raise
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

        @staticmethod
        def _data(url: str) -> tuple[bytes, str]:
            header, sep, payload = url[5:].partition(",")
            parts = [p.strip().lower() for p in header.split(";")]
            mime = parts[0]
            if not sep or mime not in DATA_MIME or "base64" not in parts[1:]:
                raise URLDitolak("data: yang diizinkan hanya gambar PNG/JPEG/SVG base64")
            if len(payload) > MAKS_DATA * 4 // 3 + 4:
                raise URLDitolak("data: terlalu besar")
            try:
                return base64.b64decode(payload, validate=True), mime
            except (binascii.Error, ValueError):
                raise URLDitolak("data: rusak") from None

        @staticmethod
        def _static(url: str) -> tuple[bytes, str]:
            parts = urlsplit(url)
            static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else None
            if (
                parts.scheme != _ASAL.scheme
                or parts.netloc != _ASAL.netloc
                or static_url is None
                or not parts.path.startswith(static_url)
                or parts.query
            ):
                raise URLDitolak("hanya berkas statis aplikasi")
            rel = unquote(parts.path[len(static_url) :])
            clean = posixpath.normpath(rel)
            if (
                not rel
                or clean != rel
                or clean.startswith(("/", "."))
                or "\\" in rel
                or "\x00" in rel
            ):
                raise URLDitolak("jalur berkas statis tidak sah")
            path = _static_path(clean)
            if path is None:
                raise URLDitolak("berkas statis tidak ada")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return path.read_bytes(), mime

    return PengambilTerbatas()


def pengambil_terbatas():
    """A fresh restricted URL fetcher (tests inspect its `diminta`/`ditolak`)."""
    return _buat_pengambil()


def html_ke_pdf(html: str, *, fetcher=None) -> bytes:
    """Render an HTML string (already escaped by its template) to PDF bytes."""
    weasyprint, _, _ = _weasyprint()
    fetcher = fetcher or pengambil_terbatas()
    try:
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        pdf = document.write_pdf(stylesheets=[weasyprint.CSS(string=CSS_DASAR)])
    except Exception as exc:
        logger.exception("PDF gagal dibuat")
        raise PDFGagal(str(exc)) from exc
    if not pdf or not pdf.startswith(b"%PDF"):
        raise PDFGagal("hasil kosong")
    return pdf


def render_pdf(template_name: str, context: dict, *, request=None, fetcher=None) -> bytes:
    """Render a Django template to PDF bytes, or raise PDFGagal."""
    try:
        html = render_to_string(template_name, context, request=request)
    except Exception as exc:
        logger.exception("Templat PDF gagal: %s", template_name)
        raise PDFGagal(str(exc)) from exc
    return html_ke_pdf(html, fetcher=fetcher)


def nama_berkas_aman(nama: str, *, akhiran: str = ".pdf") -> str:
    """A filename built by the server: ASCII letters, digits, dash, underscore, and dots between
    digits only."""
    ascii_ = unicodedata.normalize("NFKD", nama or "").encode("ascii", "ignore").decode()
    stem = ascii_[: -len(akhiran)] if ascii_.lower().endswith(akhiran) else ascii_
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    # Dots only inside numbers (a reference such as 62.71.01): never "..", never a hidden file.
    stem = re.sub(r"(?<![0-9])\.|\.(?![0-9])", "-", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip("-_")[:80] or "dokumen"
    return f"{stem}{akhiran}"


def pdf_response(pdf_bytes: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """The PDF as a download (or shown in the browser with inline=True), never cached."""
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{nama_berkas_aman(filename)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def data_uri(data: bytes, mime: str) -> str:
    if mime not in DATA_MIME:
        raise ValueError(mime)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def qr_data_uri(teks: str, *, ukuran_kotak: int = 6, tepi: int = 2) -> str:
    """A QR code of `teks` as a PNG data URI (error correction M: survives a creased letter)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=ukuran_kotak, border=tepi)
    qr.add_data(teks)
    qr.make(fit=True)
    buffer = BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return data_uri(buffer.getvalue(), "image/png")


def logo_data_uri(berkas) -> str | None:
    """A stored logo (ImageField/FieldFile) as a data URI, or None when absent or unreadable."""
    if not berkas:
        return None
    try:
        with berkas.open("rb") as handle:
            data = handle.read(MAKS_DATA + 1)
    except OSError:
        logger.warning("Logo kop surat tidak terbaca: %s", getattr(berkas, "name", ""))
        return None
    if len(data) > MAKS_DATA:
        return None
    if data.startswith(b"\x89PNG"):
        return data_uri(data, "image/png")
    if data.startswith(b"\xff\xd8"):
        return data_uri(data, "image/jpeg")
    return None


def catat_cetak(*, request, objek, dokumen: str, **data) -> None:
    """Audit entry for a printed document that carries personal data."""
    from tksk.audit import catat

    catat(
        aksi="cetak_pdf",
        pelaku=request.user,
        objek=objek,
        data={"dokumen": dokumen, **data},
        request=request,
    )
