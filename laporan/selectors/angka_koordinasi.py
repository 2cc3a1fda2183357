"""Koordinasi numbers on the dashboards: activities and referrals per child area, referral
outcomes."""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count

from koordinasi import selectors as koordinasi
from laporan import charts
from laporan.selectors.periode import TREN_BULAN, akhir_bulan, geser_bulan, label_bulan
from laporan.selectors.tautan import Saringan, _angka, _url_daftar, area_sendiri
from laporan.selectors.wilayah import ANAK
from tksk.models import Tingkat, Wilayah


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
