"""The rate limit of heavy requests (searches, big pages, full NIKs): rate "berat" per user."""

from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

from tksk.api.pagination import Halaman


class Dibatasi(exceptions.Throttled):
    default_detail = "Terlalu banyak permintaan berat (pencarian, halaman besar, NIK lengkap)."
    extra_detail_singular = "Coba lagi dalam {wait} detik."
    extra_detail_plural = "Coba lagi dalam {wait} detik."


def permintaan_berat(request, view) -> bool:
    if getattr(view, "action", None) == "cari":
        return True
    if getattr(view, "action", None) != "list":
        return False
    params = request.query_params
    ukuran = params.get("page_size", "")
    return bool(
        params.get("search", "").strip()
        or params.get("nik") == "lengkap"
        or (ukuran.isascii() and ukuran.isdigit() and int(ukuran) > Halaman.page_size)
    )


class BeratThrottle(UserRateThrottle):
    """Rate "berat" per user for heavy list requests (search, page_size over 50, full NIKs)."""

    scope = "berat"

    def get_rate(self):
        # Read at request time, so a changed setting applies without a restart of the class.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if not permintaan_berat(request, view):
            return True
        return super().allow_request(request, view)
