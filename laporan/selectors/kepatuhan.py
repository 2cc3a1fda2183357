"""Monthly reports: the lists the user may see and the reporting-compliance grid."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone

from laporan.models import LaporanBulanan, StatusLaporan
from laporan.selectors.periode import TREN_BULAN, batas_lapor, geser_bulan, label_bulan_pendek
from laporan.selectors.tautan import Angka, _angka, _url_daftar, area_sendiri
from tksk.models import Role, Tingkat, User, Wilayah

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
    # The province page shows each kabupaten's summary of the last month; the kecamatan grids
    # come from the kabupaten dashboards when a group is opened. So a province row holds only
    # that month's cell (1,632 cells, their links and 1,500 reports were built for 136 read).
    per_kabupaten = wilayah.tingkat == Tingkat.PROVINSI
    laporan = {}
    jumlah = Counter()  # (kecamatan_id, status) → reports of the last month
    for lap in (
        laporan_terlihat(user)
        .filter(
            kecamatan__in=[k.pk for k in kecamatan],
            bulan__range=(akhir if per_kabupaten else awal, akhir),
        )
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
    bulan_sel, kosong_sel = (bulan[-1:], kosong[-1:]) if per_kabupaten else (bulan, kosong)
    ada_laporan = {kid for kid, _ in laporan}
    baris = []
    for k in kecamatan:
        if k.pk not in ada_laporan:
            baris.append({"kecamatan": k, "sel": list(kosong_sel), "ada_tksk": k.pk in ada_tksk})
            continue
        sel = []
        for b, tanpa in zip(bulan_sel, kosong_sel, strict=True):
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
        "per_kabupaten": per_kabupaten,
    }


def _urutan(lap: LaporanBulanan) -> int:
    return {"draf": 0, "dikembalikan": 1, "diajukan": 2, "diterima": 3}.get(lap.status, 0)


def laporan_tksk(user, bulan: date) -> LaporanBulanan | None:
    if user.role != Role.TKSK:
        return None
    return LaporanBulanan.objects.for_user(user).filter(tksk=user, bulan=bulan).first()
