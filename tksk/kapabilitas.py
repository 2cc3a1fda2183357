"""Who may DO what: every capability and the roles that have it, written once.

`tksk.scoping` decides WHICH rows a user sees; this module decides which actions their role
allows. Views (`@perlu`), services (`boleh`), the API (`izin_api`, `peran`), templates (the
`kapabilitas` context object: `{% if kapabilitas.pendataan.ubah %}`) and the test matrix all use
these names. Rules that depend on the record itself (only the author edits a draft, a closed
referral is read-only) stay in the services and ask `boleh` for the role part.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from tksk.scoping import is_active_user

# The values of tksk.models.Role (tests/security/test_kapabilitas.py keeps them in step).
_T, _K, _P, _A = "tksk", "kabupaten", "provinsi", "admin"

KAPABILITAS: dict[str, frozenset[str]] = {
    # Accounts, devices and the letterhead.
    "akun.kelola": frozenset({_A}),
    "koordinasi.kop": frozenset({_A}),
    # Households, persons, the spreadsheet import, the verification workflow.
    "pendataan.ubah": frozenset({_T, _A}),
    "pendataan.ajukan": frozenset({_T, _A}),
    "pendataan.verifikasi": frozenset({_K, _A}),
    "pendataan.kasus": frozenset({_K, _P, _A}),
    # PPKS and PSKS.
    "ppks.catat": frozenset({_T, _A}),
    "ppks.penanganan": frozenset({_T, _K, _A}),
    # Coordination: activities, referrals, partners, the home panel.
    "koordinasi.kegiatan": frozenset({_T, _A}),
    "koordinasi.rujuk": frozenset({_T, _K, _A}),
    "koordinasi.mitra": frozenset({_T, _K, _P, _A}),
    "koordinasi.pantau": frozenset({_T, _K, _A}),
    # Monthly reports and exports.
    "laporan.tulis": frozenset({_T}),
    "laporan.tinjau": frozenset({_K, _A}),
    "laporan.ekspor": frozenset({_K, _P, _A}),
    # TKSK personnel: profiles, SK, bimtek, proposals.
    "tenaga.kelola": frozenset({_P, _A}),
    "tenaga.lihat": frozenset({_K, _P, _A}),
    "tenaga.usul": frozenset({_K}),
    "tenaga.ubah_api": frozenset({_A}),
    # The offline device: its queue, decisions on its requests, importing its outbox file.
    "sinkron.antrean": frozenset({_T, _K, _A}),
    "sinkron.putus": frozenset({_K, _A}),
    "sinkron.kirim": frozenset({_T, _A}),
    "sinkron.atas_nama": frozenset({_A}),
    # Maps: household points of a desa, the own kecamatan for the offline app.
    "peta.titik": frozenset({_T, _K}),
    "peta.kecamatan": frozenset({_T}),
}


def peran(nama: str) -> frozenset[str]:
    """The roles that have capability `nama` (an unknown name is a programming error)."""
    return KAPABILITAS[nama]


def boleh(user, nama: str) -> bool:
    """Whether `user` (active, signed in) has capability `nama` through their role."""
    return is_active_user(user) and user.role in KAPABILITAS[nama]


def wajib(user, nama: str, pesan: str = "Peran Anda tidak dapat melakukan tindakan ini.") -> None:
    """For services: refuse with PermissionDenied (403) unless `user` has capability `nama`."""
    if not boleh(user, nama):
        raise PermissionDenied(pesan)


def perlu(nama: str):
    """View decorator: a role without capability `nama` gets 403 (another area's object is
    still the scoped lookup's 404)."""
    peran(nama)  # fail at import time on a misspelt name

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not boleh(request.user, nama):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def izin_api(nama: str, pesan: str = "Peran Anda tidak dapat melakukan tindakan ini."):
    """A DRF permission class granting capability `nama` (403 with `pesan` otherwise)."""
    peran(nama)

    class Izin(BasePermission):
        message = pesan

        def has_permission(self, request, view):
            return boleh(request.user, nama)

    Izin.__name__ = Izin.__qualname__ = f"Izin[{nama}]"
    return Izin


class _Bagian:
    def __init__(self, user, app: str):
        self.user, self.app = user, app

    def __getitem__(self, aksi: str) -> bool:
        return boleh(self.user, f"{self.app}.{aksi}")


class Kapabilitas:
    """The template view of `boleh`: `kapabilitas.pendataan.ubah`. A misspelt name raises
    KeyError, which Django renders as false; tests/security/test_kapabilitas.py checks every name
    used in the templates exists."""

    def __init__(self, user):
        self.user = user

    def __getitem__(self, app: str) -> _Bagian:
        if not any(nama.startswith(f"{app}.") for nama in KAPABILITAS):
            raise KeyError(app)
        return _Bagian(self.user, app)
