from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ROLES = frozenset({"tksk", "kabupaten", "provinsi", "admin"})

# The roles each capability is meant to grant, written here on its own rather than read from
# tksk.kapabilitas: this is the specification the matrix checks the code against, and
# tests/security/test_kapabilitas.py fails when the two tables part.
KAPABILITAS = {
    "akun.kelola": {"admin"},
    "koordinasi.kop": {"admin"},
    "pendataan.ubah": {"tksk", "admin"},
    "pendataan.ajukan": {"tksk", "admin"},
    "pendataan.verifikasi": {"kabupaten", "admin"},
    "pendataan.kasus": {"kabupaten", "provinsi", "admin"},
    "ppks.catat": {"tksk", "admin"},
    "ppks.penanganan": {"tksk", "kabupaten", "admin"},
    "koordinasi.kegiatan": {"tksk", "admin"},
    "koordinasi.rujuk": {"tksk", "kabupaten", "admin"},
    "koordinasi.mitra": {"tksk", "kabupaten", "provinsi", "admin"},
    "koordinasi.pantau": {"tksk", "kabupaten", "admin"},
    "laporan.tulis": {"tksk"},
    "laporan.tinjau": {"kabupaten", "admin"},
    "laporan.ekspor": {"kabupaten", "provinsi", "admin"},
    "tenaga.kelola": {"provinsi", "admin"},
    "tenaga.lihat": {"kabupaten", "provinsi", "admin"},
    "tenaga.usul": {"kabupaten"},
    "tenaga.ubah_api": {"admin"},
    "sinkron.antrean": {"tksk", "kabupaten", "admin"},
    "sinkron.putus": {"kabupaten", "admin"},
    "sinkron.kirim": {"tksk", "admin"},
    "sinkron.atas_nama": {"admin"},
    "peta.titik": {"tksk", "kabupaten"},
    "peta.kecamatan": {"tksk"},
}


def bisa(nama: str) -> frozenset:
    """The roles that may use a URL guarded by capability `nama`."""
    return frozenset(KAPABILITAS[nama])


@dataclass
class Scoped:
    name: str
    build: Callable
    method: str = "get"
    roles: frozenset = ALL_ROLES


@dataclass
class Open:
    name: str
    method: str = "get"
    roles: frozenset = ALL_ROLES
    kwargs: dict = field(default_factory=dict)
    # Endpoints whose answer depends on what is posted (credentials): the matrix only checks that
    # they never fail with a server error; their own tests check the rest.
    expect_any: bool = False
