"""The PPKS trend over the last months."""

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from laporan import charts
from laporan.models import Metrik, RingkasanBulan
from laporan.selectors.periode import (
    TREN_BULAN,
    akhir_bulan,
    geser_bulan,
    label_bulan,
    label_bulan_pendek,
)
from laporan.selectors.tautan import TERVERIFIKASI, Angka, Saringan, tautan_daftar
from pendataan.models import PPKS
from tksk import privasi
from tksk.models import Tingkat, Wilayah


def tren_ppks(user, wilayah: Wilayah, saringan: Saringan, kategori_ppks) -> dict:
    """New PPKS identifications per month (of `tanggal_identifikasi`) over the 12 months ending
    with the period, each linked to the PPKS list of that month. One query."""
    akhir = saringan.bulan
    awal = geser_bulan(akhir, -(TREN_BULAN - 1))
    rantai = privasi.dalam_rantai(user)
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
    tampil = [privasi.tampil(n, sensitif=sensitif, user=user) for n in nilai]
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
