"""Shared data for the laporan tests: households, persons, PPKS (a sensitive category among them)
and PSKS in the three kecamatan of the test world, in several verification states."""

import html
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from laporan.selectors import akhir_bulan
from pendataan.models import PPKS, Individu, Keluarga
from tests.matrix.koordinasi import buat_kegiatan, buat_mitra, buat_rujukan
from tests.matrix.ppks import buat_keluarga, buat_ppks, buat_psks
from tksk.models import KategoriPPKS, Wilayah

TAUTAN_ANGKA = re.compile(r'<a class="angka[^"]*" href="([^"]+)" data-jumlah="(\d+)">')


def tautan_angka(content: bytes | str) -> list[tuple[str, int]]:
    """Every number of a page that links to a list: (url, number)."""
    text = content.decode() if isinstance(content, bytes) else content
    return [(html.unescape(url), int(n)) for url, n in TAUTAN_ANGKA.findall(text)]


def jumlah_daftar(client, url: str) -> int:
    """The number of records the list at `url` shows (all pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.fixture
def data_dasbor(world):
    """Pahandut: 4 households (2 verified), a dead member, 3 FM + 2 ODHA (sensitive) PPKS,
    2 PSKS; Jekan Raya: 2 households, 1 LUT; Selat: 3 households, 6 ODHA."""
    bulan_ini = timezone.localdate().replace(day=1)
    dibuat = {}
    for kec, jumlah in (("pahandut", 4), ("jekanraya", 2), ("selat", 3)):
        dibuat[kec] = [buat_keluarga(world, kec) for _ in range(jumlah)]
    for kel, _ in dibuat["pahandut"][:2]:
        Keluarga.objects.filter(pk=kel.pk).update(status="terverifikasi")
    kel, _ = dibuat["pahandut"][0]
    Individu.objects.create(
        keluarga=kel,
        desa=kel.desa,
        alasan_tanpa_nik="bayi",
        nama="Almarhum",
        jenis_kelamin="P",
        hubungan="anak",
        status_hidup="meninggal",
    )
    for _ in range(3):
        p = buat_ppks(world, "pahandut", "FM")
    PPKS.objects.filter(pk=p.pk).update(status="terverifikasi", tanggal_identifikasi=bulan_ini)
    for _ in range(2):
        buat_ppks(world, "pahandut", "ODHA")
    lut = buat_ppks(world, "jekanraya", "LUT")
    PPKS.objects.filter(pk=lut.pk).update(tanggal_identifikasi=date(2025, 12, 3))
    for _ in range(6):
        buat_ppks(world, "selat", "ODHA", status="diajukan")
    buat_psks(world, "pahandut")
    buat_psks(world, "pahandut")
    buat_psks(world, "selat")
    return {"odha": KategoriPPKS.objects.get(singkatan="ODHA"), "bulan": bulan_ini}


# The sections of a dashboard whose every plain number must link to its list (when no status or
# category filter is applied, every such number has a list that counts it). In the compliance
# summary only the kecamatan without a report are not a list: they are not shown as a number
# (`<span class="angka">`) but as plain text, which `test_missing_reports_are_not_linked` pins.
BAGIAN_BERTAUTAN = (
    "kartu",
    "tabel-wilayah",
    "rujukan-ringkas",
    "rujukan-status",
    "perhatian",
    "tren",
    "kepatuhan-ringkas",
    "menunggu-tinjauan",
)


class _AngkaPolos(HTMLParser):
    """Collects the numbers shown without a link (`<span class="angka">`) inside the elements
    whose data-testid is one of `bagian`."""

    def __init__(self, bagian):
        super().__init__()
        self.bagian = set(bagian)
        self.wadah = None  # (tag, depth) of the section being read
        self.dalam_angka = False
        self.polos = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.wadah is None:
            if attrs.get("data-testid") in self.bagian:
                self.wadah = [tag, 1, attrs["data-testid"]]
            return
        if tag == self.wadah[0]:
            self.wadah[1] += 1
        if tag == "span" and "angka" in (attrs.get("class") or "").split():
            self.dalam_angka = True

    def handle_endtag(self, tag):
        if self.wadah is None:
            return
        if tag == "span":
            self.dalam_angka = False
        if tag == self.wadah[0]:
            self.wadah[1] -= 1
            if self.wadah[1] == 0:
                self.wadah = None

    def handle_data(self, data):
        if self.dalam_angka and self.wadah is not None:
            self.polos.append((self.wadah[2], data.strip()))


def angka_tanpa_tautan(content: bytes | str, bagian=BAGIAN_BERTAUTAN) -> list[tuple[str, str]]:
    """(section, text) of every number shown without a link in those sections."""
    parser = _AngkaPolos(bagian)
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return parser.polos


@pytest.fixture
def data_koordinasi(world, data_dasbor):
    """Activities and referrals around the current month (its first and last day, and the days
    just outside it), in two desa of Pahandut and in the other kecamatan; referrals of a
    sensitive category (ODHA) in Pahandut and Selat, which the province never lists.

    In the month: activities Pahandut 3 (2 + 1 in `desa_lain`), Jekan Raya 1, Selat 2;
    referrals Pahandut 2 FM + 1 ODHA, Selat 2 ODHA."""
    bulan = data_dasbor["bulan"]
    akhir = akhir_bulan(bulan)
    tengah = bulan.replace(day=15)
    sebelum, sesudah = bulan - timedelta(days=1), akhir + timedelta(days=1)
    desa_lain = (
        Wilayah.objects.filter(induk=world.kec["pahandut"]).exclude(pk=world.desa["pahandut"].pk)
    ).order_by("kode")[0]
    for tanggal in (bulan, akhir, sebelum, sesudah):
        buat_kegiatan(world, "pahandut", tanggal=tanggal)
    buat_kegiatan(world, "pahandut", tanggal=tengah, desa=desa_lain)
    buat_kegiatan(world, "jekanraya", tanggal=tengah)
    for _ in range(2):
        buat_kegiatan(world, "selat", tanggal=tengah)

    def ppks(kec, singkatan):
        return PPKS.objects.filter(
            desa__kecamatan=world.kec[kec], kategori__singkatan=singkatan
        ).order_by("pk")

    mitra = {kec: buat_mitra(world, kec) for kec in ("pahandut", "jekanraya", "selat")}
    fm = list(ppks("pahandut", "FM"))
    for p, tanggal in zip(fm, (bulan, akhir, sebelum), strict=True):
        buat_rujukan(world, "pahandut", ppks=p, mitra=mitra["pahandut"], tanggal_kirim=tanggal)
    buat_rujukan(
        world, "pahandut", ppks=ppks("pahandut", "ODHA")[0], mitra=mitra["pahandut"],
        tanggal_kirim=tengah,
    )  # fmt: skip
    # Unanswered for weeks: in the 12-month outcome chart, not in the month.
    buat_rujukan(
        world, "jekanraya", ppks=ppks("jekanraya", "LUT")[0], mitra=mitra["jekanraya"],
        tanggal_kirim=bulan - timedelta(days=40),
    )  # fmt: skip
    for p in ppks("selat", "ODHA")[:2]:
        buat_rujukan(world, "selat", ppks=p, mitra=mitra["selat"], tanggal_kirim=tengah)
    return {**data_dasbor, "desa_lain": desa_lain}


def bagian(content: bytes | str, testid: str, tag: str) -> list[str]:
    """Inner HTML of every `<tag … data-testid="testid" …>` (elements that do not nest
    themselves: a paragraph, a cell, a table without inner tables)."""
    text = content.decode() if isinstance(content, bytes) else content
    pola = rf'<{tag}\b[^>]*data-testid="{testid}"[^>]*>(.*?)</{tag}>'
    return re.findall(pola, text, flags=re.S)


SEL_KEPATUHAN = re.compile(r'<td class="(kp-[a-z]+)[^"]*">(.*?)</td>', re.S)


def sel_kepatuhan(content: bytes | str) -> list[tuple[str, str | None]]:
    """Every cell of the compliance grid: (its class kp-…, the URL it links to or None)."""
    text = content.decode() if isinstance(content, bytes) else content
    hasil = []
    for kelas, isi in SEL_KEPATUHAN.findall(text):
        url = re.search(r'href="([^"]+)"', isi)
        hasil.append((kelas, html.unescape(url.group(1)) if url else None))
    return hasil


@pytest.fixture
def data_laporan(world, data_koordinasi):
    """Monthly reports around the current month (M), on top of `data_koordinasi`:

    Pahandut: M accepted; M-1 submitted; M-2 accepted from the TKSK who left (the inactive
    account) and returned to the one now in office: two reports of one kecamatan and month.
    Jekan Raya: M submitted; M-1 a draft (not submitted). Selat: M returned; M-1 accepted.
    One of Selat's ODHA records is identified on the last day of M-1."""
    from laporan.models import LaporanBulanan
    from laporan.selectors import geser_bulan

    bulan = data_koordinasi["bulan"]
    lalu, dua = geser_bulan(bulan, -1), geser_bulan(bulan, -2)
    sekarang = timezone.now()

    def lapor(username, kec, bln, status):
        diajukan = None if status == "draf" else sekarang
        return LaporanBulanan.objects.create(
            tksk=world.users[username],
            kecamatan=world.kec[kec],
            bulan=bln,
            status=status,
            diajukan_pertama_pada=diajukan,
            diajukan_pada=diajukan,
        )

    laporan = [
        lapor("tksk_pahandut", "pahandut", bulan, "diterima"),
        lapor("tksk_pahandut", "pahandut", lalu, "diajukan"),
        lapor("inactive", "pahandut", dua, "diterima"),
        lapor("tksk_pahandut", "pahandut", dua, "dikembalikan"),
        lapor("tksk_jekanraya", "jekanraya", bulan, "diajukan"),
        lapor("tksk_jekanraya", "jekanraya", lalu, "draf"),
        lapor("tksk_selat", "selat", bulan, "dikembalikan"),
        lapor("tksk_selat", "selat", lalu, "diterima"),
    ]
    # One of Selat's ODHA identified on the last day of M-1: in the trend of those inside the
    # chain (Selat, Kapuas, the admin), left out of the province's.
    odha = PPKS.objects.filter(desa__kecamatan=world.kec["selat"]).order_by("pk").first()
    PPKS.objects.filter(pk=odha.pk).update(tanggal_identifikasi=akhir_bulan(lalu))
    return {**data_koordinasi, "laporan": laporan, "lalu": lalu, "dua": dua}
