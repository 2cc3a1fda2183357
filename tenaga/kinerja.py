"""The performance record of each TKSK, computed from what they already enter: never typed in.

Per TKSK and month: monthly report on time / late / missing (against laporan's deadline),
households and PPKS recorded, PPKS whose handling moved on, referrals sent and answered,
activities per duty, the return rate of verification in the kecamatan served, training hours.
Months are counted only while the TKSK served (their assignment history), each in the kecamatan
they served then. A fixed number of queries for any number of TKSK.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, TruncDate
from django.utils import timezone

from koordinasi.models import Kegiatan, Rujukan, StatusRujukan
from laporan.models import LaporanBulanan, StatusLaporan
from laporan.selectors import batas_lapor
from pendataan.models import PPKS, Keluarga, Riwayat
from tenaga.models import Penugasan, PesertaBimtek

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
    for p in Penugasan.objects.filter(profil_id__in=profil_ids, mulai__lte=akhir).filter(
        Q(selesai__isnull=True) | Q(selesai__gte=awal)
    ):
        for bulan in _bulan_tahun(tahun):
            akhir_bulan = bulan.replace(day=28)
            if p.mulai <= akhir_bulan and (p.selesai is None or p.selesai >= bulan):
                # A move mid-month counts the month for the kecamatan served last.
                hasil[p.profil_id][bulan] = p.kecamatan_id
    return hasil


def rekap(profil_list, tahun: int) -> dict:
    """{profile id: {"bulan": {month: {...}}, "total": {...}}} for the given profiles.

    Every query is restricted to the year, so months come back as numbers (ExtractMonth, in the
    project's time zone): no timestamps to parse for thousands of grouped rows."""
    profil_list = list(profil_list)
    akun = {p.akun_id: p.pk for p in profil_list if p.akun_id}
    ids = list(akun)
    bertugas = _bertugas([p.pk for p in profil_list], tahun)
    angka = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))

    def tambah(rows, kunci, kolom="n"):
        for r in rows:
            pid = akun.get(r["oleh"])
            if pid is not None:
                angka[pid][date(tahun, r["m"], 1)][kunci] += r[kolom]

    tambah(
        Keluarga.objects.filter(dibuat_oleh__in=ids, dibuat_pada__year=tahun)
        .annotate(m=ExtractMonth("dibuat_pada"))
        .values("m", oleh=models_f("dibuat_oleh"))
        .annotate(n=Count("pk")),
        "keluarga",
    )
    tambah(
        PPKS.objects.filter(dibuat_oleh__in=ids, dibuat_pada__year=tahun)
        .annotate(m=ExtractMonth("dibuat_pada"))
        .values("m", oleh=models_f("dibuat_oleh"))
        .annotate(n=Count("pk")),
        "ppks",
    )
    tambah(
        Riwayat.objects.filter(
            pelaku__in=ids,
            waktu__year=tahun,
            objek_tipe="ppks",
            perubahan__has_key="status_penanganan",
        )
        .annotate(m=ExtractMonth("waktu"))
        .values("m", oleh=models_f("pelaku"))
        .annotate(n=Count("pk")),
        "ppks_bergerak",
    )
    rujukan = (
        Rujukan.objects.filter(dibuat_oleh__in=ids, tanggal_kirim__year=tahun)
        .annotate(m=ExtractMonth("tanggal_kirim"))
        .values("m", oleh=models_f("dibuat_oleh"))
        .annotate(n=Count("pk"), dijawab=Count("pk", filter=~Q(status=StatusRujukan.DIKIRIM)))
    )
    rujukan = list(rujukan)
    tambah(rujukan, "rujukan")
    tambah(rujukan, "rujukan_dijawab", "dijawab")
    # One row per TKSK and month, the activities counted per duty by the database.
    per_tugas = {
        f"tugas_{kunci}": Count("pk", filter=Q(jenis__in=daftar))
        for kunci, (_, daftar) in TUGAS.items()
    }
    lain = Count("pk", filter=~Q(jenis__in=list(TUGAS_JENIS)))
    for r in (
        Kegiatan.objects.filter(dibuat_oleh__in=ids, tanggal__year=tahun)
        .annotate(m=ExtractMonth("tanggal"))
        .values("m", oleh=models_f("dibuat_oleh"))
        .annotate(kegiatan=Count("pk"), lain=lain, **per_tugas)
    ):
        pid = akun.get(r["oleh"])
        if pid is not None:
            sel = angka[pid][date(tahun, r["m"], 1)]
            for kunci in per_tugas:
                sel[kunci] += r[kunci]
            # An activity type outside the four duties' lists counts as recording work.
            sel["tugas_pendataan"] += r["lain"]
            sel["kegiatan"] += r["kegiatan"]
    # Verification outcomes in the kecamatan served, per month.
    kec_ids = {k for per in bertugas.values() for k in per.values()}
    verifikasi = defaultdict(lambda: [0, 0])
    for r in (
        Riwayat.objects.filter(
            desa__kecamatan_id__in=kec_ids,
            waktu__year=tahun,
            status_ke__in=["terverifikasi", "dikembalikan"],
        )
        .annotate(m=ExtractMonth("waktu"))
        .values("m", "status_ke", kec=models_f("desa__kecamatan_id"))
        .annotate(n=Count("pk"))
    ):
        verifikasi[(r["kec"], date(tahun, r["m"], 1))][r["status_ke"] == "dikembalikan"] += r["n"]
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
    for p in (
        PesertaBimtek.objects.filter(
            profil_id__in=[p.pk for p in profil_list], bimtek__selesai__year=tahun
        )
        .select_related("bimtek")
        .order_by()
        .annotate(hadir=Count("kehadiran", filter=Q(kehadiran__hadir=True)))
    ):
        if p.hadir:
            angka[p.profil_id][_bulan(p.bimtek.selesai)]["jam_pelatihan"] += p.bimtek.jam_pelajaran

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


def models_f(name):
    from django.db.models import F

    return F(name)
