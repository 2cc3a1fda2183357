"""Reads for the dashboards, the recaps and the reporting-compliance grid.

Everything starts from the user's scope (`for_user`). Counts come from the summary tables kept by
the database triggers (laporan/sql.py), one grouped query per dashboard, so a dashboard costs the
same at 2,000 households as at 250,000. Every number carries the URL of the list that counts the
same records (when that list can be filtered to the same set), and every count of a sensitive
PPKS category passes through the small-cell rule (`laporan.sensor`).
"""

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, Count, Max, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from koordinasi import selectors as koordinasi
from laporan import charts, sensor
from laporan.models import (
    LaporanBulanan,
    Metrik,
    RingkasanBulan,
    RingkasanDesa,
    RingkasanKecamatan,
    StatusLaporan,
)
from pendataan.models import PPKS
from pendataan.selectors_ppks import dalam_rantai
from tksk.models import KategoriPPKS, KategoriPSKS, Role, Tingkat, User, Wilayah
from tksk.scoping import get_scoped_or_404, sees_everything

BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
BULAN_PENDEK = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
]  # fmt: skip
ANAK = {
    Tingkat.PROVINSI: Tingkat.KABUPATEN,
    Tingkat.KABUPATEN: Tingkat.KECAMATAN,
    Tingkat.KECAMATAN: Tingkat.DESA,
    Tingkat.DESA: Tingkat.DESA,
}
LABEL_ANAK = {
    Tingkat.KABUPATEN: "Kabupaten/Kota",
    Tingkat.KECAMATAN: "Kecamatan",
    Tingkat.DESA: "Desa/Kelurahan",
}
STATUS = ("draf", "diajukan", "terverifikasi", "dikembalikan")
STATUS_AMAN = {s: s for s in STATUS}  # a KeyError for anything else
TERVERIFIKASI = "terverifikasi"
SEMUA = "*"  # every category of a metric
TREN_BULAN = 12

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


# --- periods ----------------------------------------------------------------------------------


def geser_bulan(bulan: date, n: int) -> date:
    indeks = bulan.year * 12 + bulan.month - 1 + n
    return date(indeks // 12, indeks % 12 + 1, 1)


def akhir_bulan(bulan: date) -> date:
    return bulan.replace(day=calendar.monthrange(bulan.year, bulan.month)[1])


def label_bulan(bulan: date) -> str:
    return f"{BULAN[bulan.month - 1]} {bulan.year}"


def label_bulan_pendek(bulan: date) -> str:
    return f"{BULAN_PENDEK[bulan.month - 1]} {bulan.year}"


def bulan_ini() -> date:
    return timezone.localdate().replace(day=1)


def bulan_selesai(bulan: date) -> bool:
    """Whether `bulan` has ended (in Asia/Jakarta): only then may its report be submitted."""
    return bulan.replace(day=1) < bulan_ini()


def pesan_belum_selesai(bulan: date) -> str:
    berikut = geser_bulan(bulan.replace(day=1), 1)
    return (
        f"Laporan {label_bulan(bulan)} baru dapat diajukan setelah bulan itu berakhir, mulai "
        f"1 {label_bulan(berikut)}. Drafnya boleh disimpan dan dilengkapi sampai saat itu."
    )


def bulan_jatuh_tempo() -> date:
    """The month whose report is due: the previous month until its deadline (the 10th by
    default, LAPORAN_BATAS_HARI), then the current one."""
    sebelumnya = geser_bulan(bulan_ini(), -1)
    if timezone.localdate() <= batas_lapor(sebelumnya):
        return sebelumnya
    return bulan_ini()


def batas_lapor(bulan: date) -> date:
    """The last day on which the report of `bulan` is on time (LAPORAN_BATAS_HARI of the next
    month, default the 10th)."""
    hari = int(getattr(settings, "LAPORAN_BATAS_HARI", 10))
    berikut = geser_bulan(bulan, 1)
    return berikut.replace(day=min(hari, calendar.monthrange(berikut.year, berikut.month)[1]))


def nama_pendek(nama: str) -> str:
    """ "Kabupaten Kotawaringin Barat" → "Kotawaringin Barat" (narrow labels)."""
    return nama.removeprefix("Kabupaten ")


def format_angka(n) -> str:
    return f"{n:,}".replace(",", ".") if isinstance(n, int) else str(n)


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


# --- areas ------------------------------------------------------------------------------------


def wilayah_untuk(user, kode: str) -> Wilayah:
    return get_scoped_or_404(
        Wilayah.objects.select_related("provinsi", "kabupaten", "kecamatan"), user, kode=kode
    )


def wilayah_awal(user) -> Wilayah | None:
    """The area a user's dashboard opens on: their own, or the province for a system admin."""
    if user.wilayah_id:
        # With its ancestors in the same query: the breadcrumb and the links read them.
        wilayah = (
            Wilayah.objects.select_related("provinsi", "kabupaten", "kecamatan")
            .filter(pk=user.wilayah_id)
            .first()
        )
        if wilayah is not None:
            User.wilayah.field.set_cached_value(user, wilayah)  # the same row, read once
        return wilayah
    if sees_everything(user):
        return Wilayah.objects.filter(tingkat=Tingkat.PROVINSI).order_by("kode").first()
    return None


def jejak(wilayah: Wilayah, user) -> list[Wilayah]:
    """Breadcrumb from the user's own area down to `wilayah` (no query: ancestors are loaded)."""
    hasil = []
    for nama in ("provinsi", "kabupaten", "kecamatan"):
        # An area is its own provinsi/kabupaten/kecamatan at its level: not loaded again.
        if getattr(wilayah, f"{nama}_id") in (None, wilayah.pk):
            continue
        w = getattr(wilayah, nama)
        if sees_everything(user) or (user.wilayah and _di_bawah(w, user.wilayah)):
            hasil.append(w)
    return [*hasil, wilayah]


def _di_bawah(w: Wilayah, atas: Wilayah) -> bool:
    return w.pk == atas.pk or w.kode.startswith(atas.kode + ".")


def anak_wilayah(wilayah: Wilayah) -> list[Wilayah]:
    if wilayah.tingkat == Tingkat.DESA:
        return [wilayah]
    return list(Wilayah.objects.filter(induk=wilayah).order_by("kode"))


# --- summary counts ---------------------------------------------------------------------------


def hitung_ringkasan(user, wilayah: Wilayah):
    """Counts in `wilayah` per child area × metric × category × status, from the summary tables:
    ({(child_id, metrik, kategori_id, status): n}, time of the latest change). Two queries."""
    if wilayah.tingkat in (Tingkat.PROVINSI, Tingkat.KABUPATEN):
        qs = RingkasanKecamatan.objects.for_user(user)
        if wilayah.tingkat == Tingkat.PROVINSI:
            qs, kunci = qs.filter(kecamatan__provinsi=wilayah), "kecamatan__kabupaten_id"
        else:
            qs, kunci = qs.filter(kecamatan__kabupaten=wilayah), "kecamatan_id"
    else:
        qs = RingkasanDesa.objects.for_user(user)
        if wilayah.tingkat == Tingkat.KECAMATAN:
            qs = qs.filter(desa__kecamatan=wilayah)
        else:
            qs = qs.filter(desa=wilayah)
        kunci = "desa_id"
    rows = (
        qs.values_list(kunci, "metrik", "kategori_id", "status")
        .annotate(jumlah=Sum("n"))
        .order_by()
    )
    hasil = {(a, m, k, s): n for a, m, k, s, n in rows}
    # The latest change in the area: one aggregate instead of a timestamp per group (a
    # province has 1,400 groups, and a timestamp costs more to read than the scan).
    terakhir = qs.aggregate(terakhir=Max("diubah_pada"))["terakhir"]
    return hasil, terakhir


class Tabel:
    """Summary counts of one area, queried once, read per child, metric, category, status."""

    def __init__(self, user, wilayah: Wilayah, anak: list[Wilayah], saringan: Saringan):
        self.user = user
        self.wilayah = wilayah
        self.anak = anak
        self.saringan = saringan
        self.rantai = dalam_rantai(user)
        self.data, self.terakhir = hitung_ringkasan(user, wilayah)
        per = defaultdict(int)
        for (anak_id, metrik, kategori_id, status), n in self.data.items():
            # Sums at every level the page reads: per child and in total, per category and
            # over all categories, per status and over all statuses.
            for a in (anak_id, None):
                per[(a, metrik, kategori_id, status)] += n
                per[(a, metrik, kategori_id, None)] += n
                per[(a, metrik, SEMUA, status)] += n
                per[(a, metrik, SEMUA, None)] += n
        self._per = per

    def n(self, anak_id, metrik, kategori_id=0, status=None) -> int:
        return self._per.get((anak_id, metrik, kategori_id, status), 0)

    def status_efektif(self, status=None):
        """The status of a count under the verification filter (None: every status)."""
        if self.saringan.hanya_terverifikasi:
            return TERVERIFIKASI if status in (None, TERVERIFIKASI) else "__kosong__"
        return status

    def kategori_tampak(self, kategori) -> bool:
        """Whether records of this category are listed for the user (the PPKS list hides
        sensitive categories outside the recording kecamatan's chain)."""
        return self.rantai or not kategori.sensitif


@dataclass
class BarisWilayah:
    wilayah: Wilayah
    url_dasbor: str | None
    nilai: dict = field(default_factory=dict)
    laporan: dict | None = None


def _angka(n: int, url: str | None) -> Angka:
    return Angka(n, n, url)


def dasbor(user, wilayah: Wilayah, saringan: Saringan, *, kategori_ppks, kategori_psks) -> dict:
    """Everything a dashboard page shows for `wilayah` (one role's view of one area)."""
    anak = anak_wilayah(wilayah)
    tabel = Tabel(user, wilayah, anak, saringan)
    q_saring = saringan.query()
    tingkat_anak = ANAK[wilayah.tingkat]
    dipilih = saringan.kategori
    # The PPKS column counts the chosen category (suppressed below 5 when it is sensitive and
    # the user outside the chain), else every category whose records the user may list.
    kategori_total = (
        [dipilih] if dipilih is not None else [k for k in kategori_ppks if tabel.kategori_tampak(k)]
    )
    status = tabel.status_efektif()

    def ppks_n(anak_id, st) -> int:
        return sum(tabel.n(anak_id, Metrik.PPKS, k.pk, st) for k in kategori_total)

    def ppks_url(w, st):
        if dipilih is not None and not tabel.kategori_tampak(dipilih):
            return None
        return tautan_daftar(
            user, Metrik.PPKS, w, status=st, kategori_id=dipilih.pk if dipilih else None
        )

    def nilai_baris(anak_id, w) -> dict:
        st = status
        ppks_total = ppks_n(anak_id, st)
        nilai = {
            "keluarga": _angka(
                tabel.n(anak_id, Metrik.KELUARGA, 0, st),
                tautan_daftar(user, Metrik.KELUARGA, w, status=st),
            ),
            "individu": _angka(
                tabel.n(anak_id, Metrik.INDIVIDU, 0, st),
                tautan_daftar(user, Metrik.INDIVIDU, w, status=st),
            ),
            "ppks": Angka(
                ppks_total,
                sensor.tampil(ppks_total, sensitif=bool(dipilih and dipilih.sensitif), user=user),
                ppks_url(w, st),
            ),
            "psks": _angka(
                sum(tabel.n(anak_id, Metrik.PSKS, k.pk, st) for k in kategori_psks),
                tautan_daftar(user, Metrik.PSKS, w, status=st),
            ),
        }
        for st_kunci in ("terverifikasi", "diajukan", "dikembalikan"):
            st2 = tabel.status_efektif(st_kunci)
            n = ppks_n(anak_id, st2)
            nilai[f"ppks_{st_kunci}"] = Angka(
                n,
                sensor.tampil(n, sensitif=bool(dipilih and dipilih.sensitif), user=user),
                ppks_url(w, st_kunci) if st2 == st_kunci else None,
            )
            nk = tabel.n(anak_id, Metrik.KELUARGA, 0, st2)
            nilai[f"keluarga_{st_kunci}"] = _angka(
                nk,
                tautan_daftar(user, Metrik.KELUARGA, w, status=st_kunci)
                if st2 == st_kunci
                else None,
            )
        return nilai

    baris = []
    for w in anak:
        url = None
        if w.pk != wilayah.pk:
            url = reverse("laporan:wilayah", args=[w.kode]) + f"?{q_saring}"
        baris.append(BarisWilayah(w, url, nilai_baris(w.pk, w)))
    total = BarisWilayah(wilayah, None, nilai_baris(None, wilayah))
    if dipilih is not None and not tabel.kategori_tampak(dipilih):
        # A sensitive category chosen outside the chain: each PPKS column sums to its printed
        # total, so one hidden cell per column would give itself away (secondary suppression).
        for kunci in ("ppks", "ppks_terverifikasi", "ppks_diajukan", "ppks_dikembalikan"):
            sel = [b.nilai[kunci] for b in baris] + [total.nilai[kunci]]
            mask = sensor.sekunder_baris([a.nilai for a in sel], [a.tersembunyi for a in sel])
            for a, m in zip(sel, mask, strict=True):
                if m:
                    a.tampil = sensor.KECIL

    matriks = matriks_ppks(user, tabel, anak, kategori_ppks, dipilih)
    psks = [
        {
            "kategori": k,
            "angka": _angka(
                tabel.n(None, Metrik.PSKS, k.pk, status),
                tautan_daftar(user, Metrik.PSKS, wilayah, status=status, kategori_id=k.pk),
            ),
        }
        for k in kategori_psks
    ]
    per_kategori = [
        (f"{row['kategori'].singkatan} · {row['kategori'].nama}", row["total"].tampil)
        for row in matriks["baris"]
    ]
    return {
        "wilayah": wilayah,
        "tingkat_anak": tingkat_anak,
        "label_anak": LABEL_ANAK[tingkat_anak],
        "baris": baris if wilayah.tingkat != Tingkat.DESA else [],
        "total": total,
        "matriks": matriks,
        "psks": psks,
        "grafik_kategori": charts.batang(
            per_kategori, judul=f"PPKS per kategori, {wilayah.nama_lengkap}"
        ),
        "grafik_psks": charts.batang(
            [(f"{r['kategori'].singkatan} · {r['kategori'].nama}", r["angka"].nilai) for r in psks],
            judul=f"PSKS per kategori, {wilayah.nama_lengkap}",
            warna="#2f7d4f",
        ),
        "terakhir": tabel.terakhir,
        "rantai": tabel.rantai,
        "tabel": tabel,
        "q_saring": q_saring,
    }


def matriks_ppks(user, tabel: Tabel, anak, kategori_ppks, dipilih=None) -> dict:
    """PPKS category × child area, with totals per category. Sensitive categories, for users
    outside the chain, are suppressed below 5 (with secondary suppression along the row, whose
    total is printed) and carry no link (their list is not open to those users)."""
    status = tabel.status_efektif()
    wilayah = tabel.wilayah
    baris = []
    for k in kategori_ppks:
        if dipilih is not None and k != dipilih:
            continue
        nilai = [tabel.n(w.pk, Metrik.PPKS, k.pk, status) for w in anak]
        total = tabel.n(None, Metrik.PPKS, k.pk, status)
        tampak = tabel.kategori_tampak(k)
        if tampak:
            sel = [
                _angka(n, tautan_daftar(user, Metrik.PPKS, w, status=status, kategori_id=k.pk))
                for n, w in zip(nilai, anak, strict=True)
            ]
            sel_total = _angka(
                total, tautan_daftar(user, Metrik.PPKS, wilayah, status=status, kategori_id=k.pk)
            )
        else:
            semua = [*nilai, total]
            primer = [sensor.tampil(n, sensitif=True, user=user) != n for n in semua]
            mask = sensor.sekunder_baris(semua, primer)
            tampil = [sensor.KECIL if m else n for n, m in zip(semua, mask, strict=True)]
            sel = [Angka(n, t) for n, t in zip(nilai, tampil[:-1], strict=True)]
            sel_total = Angka(total, tampil[-1])
        baris.append({"kategori": k, "sel": sel, "total": sel_total, "tampak": tampak})
    return {"kolom": anak, "baris": baris}


# --- trend ------------------------------------------------------------------------------------


def tren_ppks(user, wilayah: Wilayah, saringan: Saringan, kategori_ppks) -> dict:
    """New PPKS identifications per month (of `tanggal_identifikasi`) over the 12 months ending
    with the period, each linked to the PPKS list of that month. One query."""
    akhir = saringan.bulan
    awal = geser_bulan(akhir, -(TREN_BULAN - 1))
    rantai = dalam_rantai(user)
    dipilih = saringan.kategori
    if wilayah.tingkat == Tingkat.DESA:
        qs = PPKS.objects.for_user(user).filter(
            desa=wilayah, tanggal_identifikasi__range=(awal, akhir_bulan(akhir))
        )
        qs = qs.annotate(bulan=TruncMonth("tanggal_identifikasi"))
        jumlah = Count("pk")
    else:
        qs = RingkasanBulan.objects.for_user(user).filter(
            metrik=Metrik.PPKS, bulan__range=(awal, akhir)
        )
        lookup = {
            Tingkat.PROVINSI: "kecamatan__provinsi",
            Tingkat.KABUPATEN: "kecamatan__kabupaten",
            Tingkat.KECAMATAN: "kecamatan",
        }[wilayah.tingkat]
        qs = qs.filter(**{lookup: wilayah})
        jumlah = Sum("n")
    kategori_field = "kategori" if wilayah.tingkat == Tingkat.DESA else "kategori_id"
    if saringan.hanya_terverifikasi:
        qs = qs.filter(status=TERVERIFIKASI)
    sensitif = False
    if dipilih is not None:
        qs = qs.filter(**{kategori_field: dipilih.pk})
        sensitif = dipilih.sensitif and not rantai
    elif not rantai:
        qs = qs.exclude(**{f"{kategori_field}__in": [k.pk for k in kategori_ppks if k.sensitif]})
    per_bulan = dict(qs.values_list("bulan").annotate(j=jumlah).order_by())
    bulan = [geser_bulan(awal, i) for i in range(TREN_BULAN)]
    nilai = [per_bulan.get(b, 0) for b in bulan]
    tampil = [sensor.tampil(n, sensitif=sensitif, user=user) for n in nilai]
    # Each month links to the PPKS list with the same area, category and status, identified
    # from its first to its last day: the list reads the same records (`for_user` leaves out
    # the sensitive categories outside the chain, as the counts above do). A sensitive category
    # chosen outside the chain has no list to link to.
    dasar = None
    if dipilih is None or rantai or not dipilih.sensitif:
        dasar = tautan_daftar(
            user,
            Metrik.PPKS,
            wilayah,
            status=saringan.status,
            kategori_id=dipilih.pk if dipilih else None,
        )
    angka = []
    for b, n, t in zip(bulan, nilai, tampil, strict=True):
        url = None
        if dasar is not None:
            sambung = "&" if "?" in dasar else "?"
            url = f"{dasar}{sambung}dari={b:%Y-%m-%d}&sampai={akhir_bulan(b):%Y-%m-%d}"
        angka.append(Angka(n, t, url))
    judul = "Identifikasi PPKS baru per bulan"
    if dipilih is not None:
        judul += f" ({dipilih.singkatan})"
    elif not rantai:
        judul += " (tanpa kategori sensitif)"
    return {
        "bulan": [
            {"bulan": b, "label": label_bulan_pendek(b), "tampil": a.tampil, "angka": a}
            for b, a in zip(bulan, angka, strict=True)
        ],
        "grafik": charts.kolom(
            [(label_bulan_pendek(b), t) for b, t in zip(bulan, tampil, strict=True)],
            judul=f"{judul}, {label_bulan(awal)} – {label_bulan(akhir)}",
        ),
        "judul": judul,
    }


# --- reporting compliance -----------------------------------------------------------------------

KEPATUHAN = {
    "diterima": ("Diterima", "✓"),
    "diajukan": ("Diajukan, menunggu tinjauan", "↑"),
    "dikembalikan": ("Dikembalikan untuk diperbaiki", "↩"),
    "belum": ("Belum masuk (lewat batas)", "✗"),
    "berjalan": ("Belum waktunya", "·"),
}


# The statuses of a report that reached the Dinas ("laporan masuk"): the list's `status=masuk`.
STATUS_MASUK = (StatusLaporan.DIAJUKAN, StatusLaporan.DITERIMA, StatusLaporan.DIKEMBALIKAN)
STATUS_LAPORAN_AMAN = {s: s for s in StatusLaporan.values}  # a KeyError for anything else
# Reports are kept per kecamatan: the lookup of an area of each level above it.
_KUNCI_LAPORAN = {
    Tingkat.PROVINSI: "kecamatan__provinsi",
    Tingkat.KABUPATEN: "kecamatan__kabupaten",
    Tingkat.KECAMATAN: "kecamatan",
}


def laporan_terlihat(user) -> QuerySet:
    """Monthly reports the user sees: those of their scope (a TKSK: their kecamatan's). The
    report list and the compliance grid both start here, so the grid's numbers are the list's."""
    return LaporanBulanan.objects.for_user(user)


def laporan_daftar(
    user,
    *,
    bulan: date | None = None,
    wilayah: Wilayah | None = None,
    status: str = "",
) -> QuerySet:
    """The report list: optionally of one month, of one area (kabupaten or kecamatan, already
    resolved in the user's scope) and of one status or `masuk` (every status but draf); those
    waiting for review first."""
    qs = laporan_terlihat(user).select_related("kecamatan__kabupaten", "tksk")
    if wilayah is not None:
        qs = qs.filter(**{_KUNCI_LAPORAN[wilayah.tingkat]: wilayah})
    if bulan is not None:
        qs = qs.filter(bulan=bulan)
    if status == "masuk":
        qs = qs.filter(status__in=STATUS_MASUK)
    elif status:
        qs = qs.filter(status=STATUS_LAPORAN_AMAN[status])
    menunggu = Case(When(status=StatusLaporan.DIAJUKAN, then=Value(0)), default=Value(1))
    return qs.order_by(menunggu, "-bulan", "kecamatan__kode", "pk")


def tautan_laporan(user, wilayah: Wilayah, *, bulan: date, status: str | None = None) -> str:
    """URL of the report list showing exactly the reports of one count or grid cell: the month,
    the area unless it is the user's whole scope, and the status (or `masuk`). Built directly
    (a province grid has 1,600 cells): a code is digits and dots, a status a fixed word."""
    bagian = [f"bulan={bulan:%Y-%m}"]
    if not area_sendiri(user, wilayah):
        bagian.append(f"wilayah={wilayah.kode}")
    if status:
        bagian.append(f"status={'masuk' if status == 'masuk' else STATUS_LAPORAN_AMAN[status]}")
    return f"{_url_daftar('laporan:bulanan-list')}?{'&'.join(bagian)}"


@dataclass
class SelKepatuhan:
    kode: str
    terlambat: bool
    laporan: LaporanBulanan | None = None
    # The list of that kecamatan's reports of that month; None while nothing was submitted
    # ("belum masuk" or not due yet): missing reports are not a list of reports.
    url: str | None = None

    @property
    def label(self) -> str:
        teks = KEPATUHAN[self.kode][0]
        return f"{teks}, terlambat" if self.terlambat else teks

    @property
    def simbol(self) -> str:
        return KEPATUHAN[self.kode][1]

    @property
    def kelas(self) -> str:
        return f"kp-{self.kode} kp-telat" if self.terlambat else f"kp-{self.kode}"


def status_kepatuhan(
    laporan: LaporanBulanan | None, bulan: date, hari_ini: date, batas: date | None = None
) -> SelKepatuhan:
    batas = batas or batas_lapor(bulan)
    if laporan is None or laporan.status == StatusLaporan.DRAF:
        return SelKepatuhan("belum" if hari_ini > batas else "berjalan", False, laporan)
    pertama = laporan.diajukan_pertama_pada
    terlambat = bool(pertama and timezone.localtime(pertama).date() > batas)
    return SelKepatuhan(laporan.status, terlambat, laporan)


def kepatuhan(user, wilayah: Wilayah, akhir: date, *, jumlah_bulan: int = TREN_BULAN) -> dict:
    """Kecamatan × month grid of monthly reports: accepted, submitted, returned, late, missing.
    Three queries whatever the number of kecamatan.

    A cell is a kecamatan's state (its most advanced report) and links to the list of that
    kecamatan's reports of the month once one was submitted. The summary numbers count
    reports, as the list they link to does (with one TKSK per kecamatan, the same as counting
    kecamatan); "belum masuk" counts kecamatan without a report, which no list can show, so it
    stays unlinked."""
    if wilayah.tingkat == Tingkat.DESA:
        return {"bulan": [], "baris": []}
    awal = geser_bulan(akhir, -(jumlah_bulan - 1))
    bulan = [geser_bulan(awal, i) for i in range(jumlah_bulan)]
    if wilayah.tingkat == Tingkat.KECAMATAN and Wilayah.kabupaten.is_cached(wilayah):
        # The dashboard's own kecamatan, already read through the scope with its kabupaten.
        kecamatan = [wilayah]
    else:
        kec_qs = Wilayah.objects.for_user(user).filter(tingkat=Tingkat.KECAMATAN)
        if wilayah.tingkat == Tingkat.KECAMATAN:
            kec_qs = kec_qs.filter(pk=wilayah.pk)
        else:
            kec_qs = kec_qs.filter(**{wilayah.tingkat: wilayah})
        kecamatan = list(kec_qs.select_related("kabupaten").order_by("kode"))
    laporan = {}
    jumlah = Counter()  # (kecamatan_id, status) → reports of the last month
    for lap in (
        laporan_terlihat(user)
        .filter(kecamatan__in=[k.pk for k in kecamatan], bulan__range=(awal, akhir))
        .only("uuid", "kecamatan_id", "bulan", "status", "diajukan_pertama_pada", "tksk_id")
        .order_by("diubah_pada")
    ):
        if lap.bulan == akhir:
            jumlah[(lap.kecamatan_id, lap.status)] += 1
        # Several TKSK of one kecamatan: the most advanced report of the month speaks for it.
        kunci = (lap.kecamatan_id, lap.bulan)
        lama = laporan.get(kunci)
        if lama is None or _urutan(lap) >= _urutan(lama):
            laporan[kunci] = lap
    ada_tksk = set(
        User.objects.filter(
            role=Role.TKSK, is_active=True, wilayah__in=[k.pk for k in kecamatan]
        ).values_list("wilayah_id", flat=True)
    )
    hari_ini = timezone.localdate()
    batas = {b: batas_lapor(b) for b in bulan}
    # A month without a report is the same cell in every kecamatan (no report, no link): one
    # shared, never modified object per month instead of 1,600 on a province grid.
    kosong = [status_kepatuhan(None, b, hari_ini, batas[b]) for b in bulan]
    ada_laporan = {kid for kid, _ in laporan}
    baris = []
    for k in kecamatan:
        if k.pk not in ada_laporan:
            baris.append({"kecamatan": k, "sel": list(kosong), "ada_tksk": k.pk in ada_tksk})
            continue
        sel = []
        for b, tanpa in zip(bulan, kosong, strict=True):
            lap = laporan.get((k.pk, b))
            if lap is None:
                sel.append(tanpa)
                continue
            cell = status_kepatuhan(lap, b, hari_ini, batas[b])
            if cell.kode in STATUS_MASUK:
                cell.url = tautan_laporan(user, k, bulan=b)
            sel.append(cell)
        baris.append({"kecamatan": k, "sel": sel, "ada_tksk": k.pk in ada_tksk})

    def laporan_angka(area: Wilayah, kec_ids, status: str) -> Angka:
        daftar = STATUS_MASUK if status == "masuk" else (status,)
        n = sum(jumlah[(kid, st)] for kid in kec_ids for st in daftar)
        return _angka(n, tautan_laporan(user, area, bulan=akhir, status=status))

    belum = {"belum": 0, "berjalan": 0}
    kelompok = {}
    for row in baris:
        kode = row["sel"][-1].kode
        if kode in belum:
            belum[kode] += 1
        kab = row["kecamatan"].kabupaten
        kelompok.setdefault(kab.pk, {"kabupaten": kab, "baris": []})["baris"].append(row)
    for grup in kelompok.values():
        ids = [row["kecamatan"].pk for row in grup["baris"]]
        grup["diterima"] = laporan_angka(grup["kabupaten"], ids, StatusLaporan.DITERIMA)
        grup["masuk"] = laporan_angka(grup["kabupaten"], ids, "masuk")
        grup["jumlah"] = len(ids)
    semua = [k.pk for k in kecamatan]
    ringkas = {
        st: laporan_angka(wilayah, semua, st)
        for st in (StatusLaporan.DITERIMA, StatusLaporan.DIAJUKAN, StatusLaporan.DIKEMBALIKAN)
    }
    return {
        "bulan": [{"bulan": b, "label": label_bulan_pendek(b)} for b in bulan],
        "baris": baris,
        "kelompok": list(kelompok.values()),
        # Reports of the last month per status (linked); kecamatan without one (not linked).
        "ringkas": {**ringkas, **belum},
        "bulan_akhir": akhir,
        "per_kabupaten": wilayah.tingkat == Tingkat.PROVINSI,
    }


def _urutan(lap: LaporanBulanan) -> int:
    return {"draf": 0, "dikembalikan": 1, "diajukan": 2, "diterima": 3}.get(lap.status, 0)


# --- koordinasi numbers -------------------------------------------------------------------------


def tautan_koordinasi(
    user, nama: str, wilayah: Wilayah, *, dari: date, sampai: date, status: str | None = None
) -> str:
    """URL of the activity or referral list showing exactly the records of one count: the
    period (inclusive bounds) and, unless it is the user's whole scope, the area."""
    params = {"dari": f"{dari:%Y-%m-%d}", "sampai": f"{sampai:%Y-%m-%d}"}
    if not area_sendiri(user, wilayah):
        params["wilayah"] = wilayah.kode
    if status:
        params["status"] = status
    return f"{_url_daftar(nama)}?{urlencode(params)}"


# The area an activity or referral is counted in, per level of the dashboard's children.
KUNCI_ANAK = {
    Tingkat.KABUPATEN: "desa__kabupaten",
    Tingkat.KECAMATAN: "desa__kecamatan",
    Tingkat.DESA: "desa",
}


def koordinasi_per_anak(user, wilayah: Wilayah, saringan: Saringan, anak) -> dict:
    """Activities and referrals of the period per child area (kode → numbers), with totals,
    each linked to the list that shows the same records. Two queries.

    Activities come from the koordinasi recap; referrals are counted on the referral list's own
    queryset (`rujukan_daftar`: the user's scope and, outside the chain, without sensitive
    categories), so each number equals the list it links to."""
    dari, sampai = saringan.dari, saringan.sampai
    tingkat_anak = ANAK[wilayah.tingkat]
    kunci_kegiatan = {
        Tingkat.KABUPATEN: "kabupaten",
        Tingkat.KECAMATAN: "kecamatan",
        Tingkat.DESA: "desa",
    }[tingkat_anak]
    kode_anak = {w.kode for w in anak}
    awalan = wilayah.kode + "."

    def dalam(kode: str | None) -> bool:
        return bool(kode) and (kode == wilayah.kode or kode.startswith(awalan))

    kegiatan = defaultdict(int)
    peserta = defaultdict(int)
    total_kegiatan = 0
    for r in koordinasi.rekap_kegiatan(user, dari=dari, sampai=sampai, per=(kunci_kegiatan,)):
        kode = r.get(f"{kunci_kegiatan}_kode")
        if not dalam(kode):
            continue
        total_kegiatan += r["jumlah"]
        if kode in kode_anak:
            kegiatan[kode] += r["jumlah"]
            peserta[kode] += r["peserta_laki"] + r["peserta_perempuan"]
    rujukan = dict(
        koordinasi.rujukan_daftar(user, dari=dari, sampai=sampai, wilayah=wilayah)
        .values_list(KUNCI_ANAK[tingkat_anak])
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_anak = {}
    for w in anak:
        per_anak[w.kode] = {
            "kegiatan": _angka(
                kegiatan[w.kode],
                tautan_koordinasi(user, "koordinasi:kegiatan-list", w, dari=dari, sampai=sampai),
            ),
            "peserta": peserta[w.kode],
            # A kecamatan dashboard has no referral column per desa (its table stays narrow).
            "rujukan": _angka(
                rujukan.get(w.pk, 0),
                tautan_koordinasi(user, "koordinasi:rujukan-list", w, dari=dari, sampai=sampai),
            )
            if tingkat_anak != Tingkat.DESA
            else None,
        }
    return {
        "per_anak": per_anak,
        "kegiatan": _angka(
            total_kegiatan,
            tautan_koordinasi(user, "koordinasi:kegiatan-list", wilayah, dari=dari, sampai=sampai),
        ),
        "rujukan": _angka(
            sum(rujukan.values()),
            tautan_koordinasi(user, "koordinasi:rujukan-list", wilayah, dari=dari, sampai=sampai),
        ),
    }


WARNA_RUJUKAN = {
    "dikirim": "#adb5bd",
    "diterima": "#8fb3dc",
    "diproses": "#1f5fa8",
    "selesai": "#2f7d4f",
    "ditolak": "#b02a37",
}


def hasil_rujukan(user, wilayah: Wilayah, saringan: Saringan) -> dict:
    """Outcomes of the referrals sent in the 12 months ending with the period, counted on the
    referral list's own queryset (see `koordinasi_per_anak`), each linked to that list. One
    query."""
    from koordinasi.models import StatusRujukan

    akhir = akhir_bulan(saringan.bulan)
    awal = geser_bulan(saringan.bulan, -(TREN_BULAN - 1))
    per_status = defaultdict(int)
    tanpa_jawaban = 0
    rows = (
        koordinasi.rujukan_daftar(user, dari=awal, sampai=akhir, wilayah=wilayah)
        .values("status")
        .annotate(
            jumlah=Count("pk"), tanpa_jawaban=Count("pk", filter=koordinasi.q_tanpa_jawaban())
        )
        .order_by()
    )
    for r in rows:
        per_status[r["status"]] += r["jumlah"]
        tanpa_jawaban += r["tanpa_jawaban"]

    def tautan(status=None):
        return tautan_koordinasi(
            user, "koordinasi:rujukan-list", wilayah, dari=awal, sampai=akhir, status=status
        )

    items = [
        (str(label), per_status.get(value, 0), WARNA_RUJUKAN.get(value, "#6c757d"))
        for value, label in StatusRujukan.choices
    ]
    return {
        "items": items,
        "per_status": [
            {"label": str(label), "angka": _angka(per_status.get(value, 0), tautan(value))}
            for value, label in StatusRujukan.choices
        ],
        "total": _angka(sum(per_status.values()), tautan()),
        "tanpa_jawaban": _angka(tanpa_jawaban, tautan("tanpa_jawaban")),
        "grafik": charts.donat(
            items,
            judul=f"Hasil rujukan {label_bulan(awal)} – {label_bulan(saringan.bulan)}",
        ),
        "awal": awal,
    }


def perlu_perhatian(user, tabel: Tabel) -> dict:
    """What waits for the TKSK in their own kecamatan: returned records, overdue follow-ups,
    unanswered referrals (each linked to the list that shows them). Two queries."""
    wilayah = tabel.wilayah
    kembali = {
        metrik: _angka(
            tabel.n(None, metrik, SEMUA, "dikembalikan"),
            tautan_daftar(user, metrik, wilayah, status="dikembalikan"),
        )
        for metrik in (Metrik.KELUARGA, Metrik.PPKS, Metrik.PSKS)
    }
    terlambat = koordinasi.tindak_lanjut_terlambat(user).count()
    tanpa = koordinasi.rujukan_tanpa_jawaban(user).count()
    return {
        "dikembalikan": kembali,
        "tindak_lanjut": _angka(
            terlambat, reverse("koordinasi:tindaklanjut-list") + "?status=terlambat"
        ),
        "rujukan": _angka(tanpa, reverse("koordinasi:rujukan-list") + "?status=tanpa_jawaban"),
    }


def laporan_tksk(user, bulan: date) -> LaporanBulanan | None:
    if user.role != Role.TKSK:
        return None
    return LaporanBulanan.objects.for_user(user).filter(tksk=user, bulan=bulan).first()


def waktu_data(terakhir: datetime | None) -> datetime | None:
    return timezone.localtime(terakhir) if terakhir else None


# --- recaps (exports) ---------------------------------------------------------------------------


def rekap(user, jenis: str, wilayah: Wilayah, *, publik: bool, hanya_terverifikasi: bool):
    """Counts of PPKS or PSKS records by the next level down × category for an area, with row and
    column totals; small cells suppressed (sensitive categories outside the chain; every cell
    below 5 when `publik`) with secondary suppression so that no hidden cell can be recovered
    from the printed totals."""
    metrik = Metrik.PPKS if jenis == "ppks" else Metrik.PSKS
    kategori = list((KategoriPPKS if jenis == "ppks" else KategoriPSKS).objects.order_by("nomor"))
    anak = anak_wilayah(wilayah)
    saringan = Saringan(bulan=bulan_ini(), hanya_terverifikasi=hanya_terverifikasi)
    tabel = Tabel(user, wilayah, anak, saringan)
    status = tabel.status_efektif()

    def sensitif(k) -> bool:
        return jenis == "ppks" and k.sensitif

    grid = [[tabel.n(w.pk, metrik, k.pk, status) for k in kategori] for w in anak]
    for row in grid:
        row.append(sum(row))
    lebar = len(kategori) + 1
    grid.append([sum(col) for col in zip(*grid, strict=True)] if grid else [0] * lebar)
    primer = []
    for row in grid:
        mask = []
        for j, n in enumerate(row):
            k = kategori[j] if j < len(kategori) else None
            peka = k is not None and sensitif(k)
            # The project's rule (suppress_small) and, for a public table, every small count.
            mask.append(sensor.tampil(n, sensitif=peka, user=user, publik=publik) != n)
        primer.append(mask)
    mask = sensor.sekunder(grid, primer) if any(any(r) for r in primer) else primer
    baris = []
    for i, w in enumerate(anak + [wilayah]):
        sel = [sensor.KECIL if mask[i][j] else grid[i][j] for j in range(len(kategori) + 1)]
        baris.append({"wilayah": w, "sel": sel[:-1], "total": sel[-1], "nilai": grid[i]})
    return {
        "jenis": jenis,
        "judul": "PPKS" if jenis == "ppks" else "PSKS",
        "wilayah": wilayah,
        "label_anak": LABEL_ANAK[ANAK[wilayah.tingkat]],
        "kategori": kategori,
        "baris": baris[:-1],
        "total": baris[-1],
        "terakhir": waktu_data(tabel.terakhir),
        "publik": publik,
        "hanya_terverifikasi": hanya_terverifikasi,
        "grafik": charts.batang(
            [(f"{k.singkatan} · {k.nama}", baris[-1]["sel"][j]) for j, k in enumerate(kategori)],
            judul=f"{'PPKS' if jenis == 'ppks' else 'PSKS'} per kategori, {wilayah.nama_lengkap}",
            warna="#1f5fa8" if jenis == "ppks" else "#2f7d4f",
        ),
        "grafik_wilayah": charts.batang(
            [(nama_pendek(w["wilayah"].nama), w["total"]) for w in baris[:-1]],
            judul=f"Jumlah per {LABEL_ANAK[ANAK[wilayah.tingkat]].lower()}",
            warna="#1f5fa8" if jenis == "ppks" else "#2f7d4f",
        )
        if wilayah.tingkat != Tingkat.DESA
        else None,
    }
