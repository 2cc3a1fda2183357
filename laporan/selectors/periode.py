"""Months: arithmetic, labels, the month a report is due, and how numbers and times are shown."""

import calendar
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
BULAN_PENDEK = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
]  # fmt: skip


TREN_BULAN = 12


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


def waktu_data(terakhir: datetime | None) -> datetime | None:
    return timezone.localtime(terakhir) if terakhir else None
