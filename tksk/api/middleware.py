"""Guards in front of the API: no NIK or No KK in its URLs, and JSON (never an HTML page) for
a body Django itself refuses.

An address is written to the access logs of nginx, gunicorn and Django before any view runs, so
a number in it would be logged whatever the view answers; searches by number are POSTed."""

import re

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

ENAM_BELAS = re.compile(r"\d{16}")
POST_CARI = 'POST /api/v1/individu/cari/ {"nik": …} atau POST /api/v1/keluarga/cari/ {"no_kk": …}'


def pesan_nomor_di_url() -> str:
    return _(
        "NIK/No KK tidak boleh dikirim di alamat (URL), karena alamat tercatat di log server. "
        "Cari dengan %(cari)s."
    ) % {"cari": POST_CARI}


def jawaban_nomor_di_url() -> JsonResponse:
    return JsonResponse({"detail": pesan_nomor_di_url(), "kode": "nik_di_url"}, status=400)


def _mirip_nomor(teks: str) -> bool:
    from pendataan.nik import mirip_nomor  # the one definition of "looks like a NIK"

    return mirip_nomor(teks)


class NomorDiUrlMiddleware:
    """Refuses an /api/ address that carries a NIK-like value: 16 digits in a row anywhere in
    the path or query (also percent-encoded), or a query parameter that is 16 digits grouped
    with separators (`6271 0112 0485 0001`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and self._ada_nomor(request):
            return jawaban_nomor_di_url()
        return self.get_response(request)

    @staticmethod
    def _ada_nomor(request) -> bool:
        mentah = request.META.get("QUERY_STRING", "")
        if ENAM_BELAS.search(request.path) or ENAM_BELAS.search(mentah):
            return True
        for key, values in request.GET.lists():
            for teks in (key, *values):
                if ENAM_BELAS.search(teks) or _mirip_nomor(teks):
                    return True
        return False


class KarakterNulMiddleware:
    """Refuses an address whose query carries a NUL character (`%00`): PostgreSQL text cannot
    hold one, so a filter on it would end in a database error (a 500) instead of an answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "").lower() or any(
            "\x00" in teks for key, values in request.GET.lists() for teks in (key, *values)
        ):
            pesan = _("Alamat berisi karakter NUL (%00) yang tidak sah.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": pesan, "kode": "karakter_nul"}, status=400)
            return HttpResponseBadRequest(pesan, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class JsonGalatBadanMiddleware:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE / _NUMBER_FIELDS, or a form body that is not
    UTF-8, raises while a view reads it; under /api/ that is a 400 in JSON, not Django's page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(
                {"detail": _("Isi permintaan terlalu besar."), "kode": "terlalu_besar"},
                status=400,
            )
        if isinstance(exception, UnicodeDecodeError):
            return JsonResponse(
                {"detail": _("Isi permintaan bukan teks UTF-8 yang valid."), "kode": "bukan_utf8"},
                status=400,
            )
        return None
