"""The performance record of each TKSK, computed from what they already enter: never typed in.

Per TKSK and month: monthly report on time / late / missing (against laporan's deadline),
households and PPKS recorded, PPKS whose handling moved on, referrals sent and answered,
activities per duty, the return rate of verification in the kecamatan served, training hours.
Months are counted only while the TKSK served (their assignment history), each in the kecamatan
they served then. A fixed number of queries for any number of TKSK.
"""

from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from koordinasi.models import Kegiatan, Rujukan, StatusRujukan
from laporan.models import LaporanBulanan, StatusLaporan
from laporan.selectors import batas_lapor
from pendataan.models import PPKS, Keluarga, Riwayat
from tenaga.models import Penugasan, PesertaBimtek
from tksk.models import KategoriPPKS, Wilayah
from tksk.privasi import dalam_rantai

# The four duties of a TKSK and the activity types that serve each.
TUGAS = {
    "pendataan": ("Identifikasi dan pendataan PPKS/PSKS", ("asesmen", "kunjungan_rumah")),
    "jejaring": ("Jejaring dan koordinasi", ("rapat_koordinasi",)),
    "pendampingan": ("Pendampingan PPKS", ("pendampingan", "respon_bencana")),
    "penyuluhan": ("Bimbingan dan penyuluhan sosial", ("bimbingan_sosial", "penyuluhan_sosial")),
}
TUGAS_JENIS = {jenis: kunci for kunci, (_, daftar) in TUGAS.items() for jenis in daftar}
LAPOR = ("tepat", "terlambat", "tidak_ada", "belum_jatuh_tempo")
LABEL_LAPOR = {
    "tepat": "Tepat waktu",
    "terlambat": "Terlambat",
    "tidak_ada": "Tidak ada",
    "belum_jatuh_tempo": "Belum jatuh tempo",
}


def _bulan(d) -> date:
    d = timezone.localdate(d) if hasattr(d, "tzinfo") and d.tzinfo else d
    return date(d.year, d.month, 1)


def _bulan_tahun(tahun: int) -> list[date]:
    return [date(tahun, m, 1) for m in range(1, 13)]


def _bertugas(profil_ids, tahun) -> dict:
    """{profile id: {month: kecamatan id}} from the assignment history."""
    hasil = defaultdict(dict)
    awal, akhir = date(tahun, 1, 1), date(tahun, 12, 31)
    bulan_tahun = _bulan_tahun(tahun)
    for profil_id, kecamatan_id, mulai, selesai in (
        Penugasan.objects.filter(profil_id__in=profil_ids, mulai__lte=akhir)
        .filter(Q(selesai__isnull=True) | Q(selesai__gte=awal))
        .order_by("profil_id", "mulai", "pk")
        .values_list("profil_id", "kecamatan_id", "mulai", "selesai")
    ):
        for bulan in bulan_tahun:
            if mulai <= bulan.replace(day=28) and (selesai is None or selesai >= bulan):
                # A move mid-month counts the month for the kecamatan served last.
                hasil[profil_id][bulan] = kecamatan_id
    return hasil


def rekap(profil_list, tahun: int, *, pembaca) -> dict:
    """{profile id: {"bulan": {month: {...}}, "total": {...}}} for the given profiles, as
    `pembaca` may see them: PPKS and referrals of the sensitive categories count only for a
    reader in their chain (the province would otherwise learn, against the linked list, that a
    TKSK recorded a few of them).

    Months come back as numbers (in the project's time zone): no timestamps to parse for
    thousands of grouped rows."""
    profil_list = list(profil_list)
    akun = {p.akun_id: p.pk for p in profil_list if p.akun_id}
    ids = list(akun)
    bertugas = _bertugas([p.pk for p in profil_list], tahun)
    angka = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    kec_ids = {k for per in bertugas.values() for k in per.values()}
    verifikasi = defaultdict(lambda: [0, 0])
    for kunci, pemilik, m, n in _hitung(ids, list(kec_ids), tahun, sensitif=dalam_rantai(pembaca)):
        bulan = date(tahun, m, 1)
        if kunci in ("terverifikasi", "dikembalikan"):
            verifikasi[(pemilik, bulan)][kunci == "dikembalikan"] += n
            continue
        sel = angka[akun[pemilik]][bulan]
        if kunci.startswith("jenis:"):
            # An activity type outside the four duties' lists counts as recording work.
            sel[f"tugas_{TUGAS_JENIS.get(kunci[6:], 'pendataan')}"] += n
            sel["kegiatan"] += n
        else:
            sel[kunci] += n
    # Only the two columns needed: a report row also carries its frozen numbers (JSON).
    laporan = {
        (tksk_id, bulan): diajukan
        for tksk_id, bulan, diajukan in LaporanBulanan.objects.filter(
            tksk_id__in=ids, bulan__year=tahun
        )
        .exclude(status=StatusLaporan.DRAF, diajukan_pertama_pada__isnull=True)
        .annotate(tanggal=TruncDate("diajukan_pertama_pada"))
        .order_by()  # the model's ordering would join the area table
        .values_list("tksk_id", "bulan", "tanggal")
    }
    # One row per participation with at least one day attended (the join would repeat it).
    for _, profil_id, selesai, jam in (
        PesertaBimtek.objects.filter(
            profil_id__in=[p.pk for p in profil_list],
            bimtek__selesai__year=tahun,
            kehadiran__hadir=True,
        )
        .order_by()
        .distinct()
        .values_list("pk", "profil_id", "bimtek__selesai", "bimtek__jam_pelajaran")
    ):
        angka[profil_id][_bulan(selesai)]["jam_pelatihan"] += jam

    hari_ini = timezone.localdate()
    batas_bulan = {b: batas_lapor(b) for b in _bulan_tahun(tahun)}
    hasil = {}
    for profil in profil_list:
        bulan_data, total = {}, defaultdict(int)
        for bulan, kec in sorted(bertugas.get(profil.pk, {}).items()):
            baris = dict(angka[profil.pk][bulan])
            diajukan = laporan.get((profil.akun_id, bulan))
            batas = batas_bulan[bulan]
            if diajukan is not None:
                lapor = "tepat" if diajukan <= batas else "terlambat"
            else:
                lapor = "tidak_ada" if hari_ini > batas else "belum_jatuh_tempo"
            baris["terverifikasi"], baris["dikembalikan"] = verifikasi.get((kec, bulan), (0, 0))
            for k, v in baris.items():
                total[k] += v
            total[f"lapor_{lapor}"] += 1
            baris["lapor"], baris["kecamatan_id"] = lapor, kec
            bulan_data[bulan] = baris
        diperiksa = total["dikembalikan"] + total["terverifikasi"]
        total["rasio_kembali"] = (
            round(100 * total["dikembalikan"] / diperiksa) if diperiksa else None
        )
        total["bulan_bertugas"] = len(bulan_data)
        hasil[profil.pk] = {"bulan": bulan_data, "total": dict(total)}
    return hasil


# Every count of the record, per owner (account, or kecamatan for the verification outcomes)
# and month of the year, in one statement: seven grouped queries through the ORM cost more in
# compiling and round trips than the database spends on them (the province's table of 136 TKSK).
_SQL_HITUNG = """
SELECT 'keluarga', dibuat_oleh_id, EXTRACT(MONTH FROM dibuat_pada AT TIME ZONE %(tz)s)::int,
       count(*)
  FROM {keluarga} WHERE dibuat_oleh_id = ANY(%(ids)s) AND dibuat_pada >= %(awal)s
   AND dibuat_pada < %(akhir)s GROUP BY 2, 3
UNION ALL
SELECT 'ppks', dibuat_oleh_id, EXTRACT(MONTH FROM dibuat_pada AT TIME ZONE %(tz)s)::int, count(*)
  FROM {ppks} WHERE dibuat_oleh_id = ANY(%(ids)s) AND dibuat_pada >= %(awal)s
   AND dibuat_pada < %(akhir)s AND kategori_id <> ALL(%(tersembunyi)s) GROUP BY 2, 3
UNION ALL
SELECT 'ppks_bergerak', pelaku_id, EXTRACT(MONTH FROM waktu AT TIME ZONE %(tz)s)::int, count(*)
  FROM {riwayat} WHERE pelaku_id = ANY(%(ids)s) AND waktu >= %(awal)s AND waktu < %(akhir)s
   AND objek_tipe = 'ppks' AND perubahan ? 'status_penanganan' GROUP BY 2, 3
UNION ALL
SELECT 'rujukan', r.dibuat_oleh_id, EXTRACT(MONTH FROM r.tanggal_kirim)::int, count(*)
  FROM {rujukan} r JOIN {ppks} p ON p.id = r.ppks_id
 WHERE r.dibuat_oleh_id = ANY(%(ids)s) AND r.tanggal_kirim >= %(hari_awal)s
   AND r.tanggal_kirim < %(hari_akhir)s AND p.kategori_id <> ALL(%(tersembunyi)s) GROUP BY 2, 3
UNION ALL
SELECT 'rujukan_dijawab', r.dibuat_oleh_id, EXTRACT(MONTH FROM r.tanggal_kirim)::int, count(*)
  FROM {rujukan} r JOIN {ppks} p ON p.id = r.ppks_id
 WHERE r.dibuat_oleh_id = ANY(%(ids)s) AND r.tanggal_kirim >= %(hari_awal)s
   AND r.tanggal_kirim < %(hari_akhir)s AND r.status <> %(dikirim)s
   AND p.kategori_id <> ALL(%(tersembunyi)s) GROUP BY 2, 3
UNION ALL
SELECT 'jenis:' || jenis, dibuat_oleh_id, EXTRACT(MONTH FROM tanggal)::int, count(*)
  FROM {kegiatan} WHERE dibuat_oleh_id = ANY(%(ids)s) AND tanggal >= %(hari_awal)s
   AND tanggal < %(hari_akhir)s GROUP BY 1, 2, 3
UNION ALL
SELECT r.status_ke, w.kecamatan_id, EXTRACT(MONTH FROM r.waktu AT TIME ZONE %(tz)s)::int,
       count(*)
  FROM {riwayat} r JOIN {wilayah} w ON w.id = r.desa_id
 WHERE w.kecamatan_id = ANY(%(kec)s) AND r.waktu >= %(awal)s AND r.waktu < %(akhir)s
   AND r.status_ke IN ('terverifikasi', 'dikembalikan') GROUP BY 1, 2, 3
"""


def _hitung(ids: list[int], kec_ids: list[int], tahun: int, *, sensitif: bool) -> list[tuple]:
    """(key, owner id, month, count) rows of the year; PPKS and referrals of the sensitive
    categories only when `sensitif` (the viewer is in the records' chain)."""
    if not ids and not kec_ids:
        return []
    sql = _SQL_HITUNG.format(
        keluarga=Keluarga._meta.db_table,
        ppks=PPKS._meta.db_table,
        riwayat=Riwayat._meta.db_table,
        rujukan=Rujukan._meta.db_table,
        kegiatan=Kegiatan._meta.db_table,
        wilayah=Wilayah._meta.db_table,
    )
    zona = timezone.get_current_timezone()
    params = {
        "tz": settings.TIME_ZONE,
        "ids": ids,
        "kec": kec_ids,
        "awal": datetime(tahun, 1, 1, tzinfo=zona),
        "akhir": datetime(tahun + 1, 1, 1, tzinfo=zona),
        "hari_awal": date(tahun, 1, 1),
        "hari_akhir": date(tahun + 1, 1, 1),
        "dikirim": StatusRujukan.DIKIRIM,
        "tersembunyi": []
        if sensitif
        else list(KategoriPPKS.objects.filter(sensitif=True).values_list("pk", flat=True)),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
