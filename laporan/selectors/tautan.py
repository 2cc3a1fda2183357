"""Numbers with the URL of the list that counts the same records, and the dashboard filter."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlencode

from django.urls import reverse

from laporan.models import Metrik
from laporan.selectors.periode import akhir_bulan, format_angka
from tksk.models import KategoriPPKS, Tingkat, Wilayah
from tksk.scoping import sees_everything

STATUS = ("draf", "diajukan", "terverifikasi", "dikembalikan")
STATUS_AMAN = {s: s for s in STATUS}  # a KeyError for anything else
TERVERIFIKASI = "terverifikasi"
SEMUA = "*"  # every category of a metric


# The pendataan lists and the GET parameter each accepts for an area of a given level. A level
# missing here cannot be expressed in that list, so a number for such an area carries no link.
DAFTAR = {
    Metrik.KELUARGA: "pendataan:keluarga-list",
    Metrik.INDIVIDU: "pendataan:individu-list",
    Metrik.PPKS: "pendataan:ppks-list",
    Metrik.PSKS: "pendataan:psks-list",
}
PARAM_WILAYAH = {
    Metrik.KELUARGA: {
        Tingkat.KABUPATEN: "kabupaten",
        Tingkat.KECAMATAN: "kecamatan",
        Tingkat.DESA: "desa",
    },
    Metrik.INDIVIDU: {
        Tingkat.KABUPATEN: "kabupaten",
        Tingkat.KECAMATAN: "kecamatan",
        Tingkat.DESA: "desa",
    },
    Metrik.PPKS: {
        Tingkat.KABUPATEN: "desa__kabupaten",
        Tingkat.KECAMATAN: "desa__kecamatan",
        Tingkat.DESA: "desa",
    },
    Metrik.PSKS: {
        Tingkat.KABUPATEN: "desa__kabupaten",
        Tingkat.KECAMATAN: "desa__kecamatan",
        Tingkat.DESA: "desa",
    },
}


# --- values with their links --------------------------------------------------------------------


@dataclass
class Angka:
    """A number as displayed (possibly "<5"), with the URL of the list that counts it."""

    nilai: int
    tampil: int | str
    url: str | None = None

    @property
    def teks(self) -> str:
        return format_angka(self.tampil)

    @property
    def tersembunyi(self) -> bool:
        return isinstance(self.tampil, str)


def _angka(n: int, url: str | None) -> Angka:
    return Angka(n, n, url)


@dataclass
class Saringan:
    bulan: date
    hanya_terverifikasi: bool = False
    kategori: KategoriPPKS | None = None

    @property
    def status(self) -> str | None:
        return TERVERIFIKASI if self.hanya_terverifikasi else None

    @property
    def dari(self) -> date:
        return self.bulan

    @property
    def sampai(self) -> date:
        return akhir_bulan(self.bulan)

    def query(self) -> str:
        """The filter as a query string, carried through drill-down links."""
        params = {"periode": f"{self.bulan:%Y-%m}"}
        if self.hanya_terverifikasi:
            params["status"] = TERVERIFIKASI
        if self.kategori:
            params["kategori"] = self.kategori.pk
        return urlencode(params)


def area_sendiri(user, wilayah: Wilayah) -> bool:
    """Whether the user's whole scope is exactly `wilayah` (then a list needs no area filter).
    The app serves one province: an admin without an area sees it whole."""
    if sees_everything(user):
        return wilayah.tingkat == Tingkat.PROVINSI
    return user.wilayah_id == wilayah.pk


def tautan_daftar(
    user,
    metrik: str,
    wilayah: Wilayah,
    *,
    status: str | None = None,
    kategori_id: int | None = None,
) -> str | None:
    """URL of the pendataan list showing exactly the records of one count, or None.

    Called hundreds of times per dashboard, so the query string is assembled directly: every
    value is an id or one of the fixed status codes, nothing that needs escaping."""
    if user.wilayah_id is not None:
        sendiri = user.wilayah_id == wilayah.pk
    else:
        sendiri = area_sendiri(user, wilayah)
    bagian = []
    if not sendiri:
        nama = PARAM_WILAYAH[metrik].get(wilayah.tingkat)
        if nama is None:
            return None
        bagian.append(f"{nama}={int(wilayah.pk)}")
    if status:
        bagian.append(f"status={STATUS_AMAN[status]}")
    if kategori_id:
        bagian.append(f"kategori={int(kategori_id)}")
    if metrik == Metrik.INDIVIDU:
        bagian.append("status_hidup=hidup")
    url = _url_daftar(DAFTAR[metrik])
    return f"{url}?{'&'.join(bagian)}" if bagian else url


@lru_cache(maxsize=16)
def _url_daftar(nama: str) -> str:
    # The list URLs never change while the process runs; a dashboard asks for hundreds.
    return reverse(nama)
