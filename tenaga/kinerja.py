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
from django.db.models.functions import TruncMonth
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
    """{profile id: {"bulan": {month: {...}}, "total": {...}}} for the given profiles."""
    profil_list = list(profil_list)
    akun = {p.akun_id: p.pk for p in profil_list if p.akun_id}
    ids = list(akun)
    bertugas = _bertugas([p.pk for p in profil_list], tahun)
    angka = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))

    def tambah(rows, kunci, kolom="n"):
        for r in rows:
            pid = akun.get(r["oleh"])
            if pid is not None:
                angka[pid][_bulan(r["m"])][kunci] += r[kolom]

    tambah(
        Keluarga.objects.filter(dibuat_oleh__in=ids, dibuat_pada__year=tahun)
        .annotate(m=TruncMonth("dibuat_pada"))
        .values("m", oleh=models_f("dibuat_oleh"))
        .annotate(n=Count("pk")),
        "keluarga",
    )
    tambah(
        PPKS.objects.filter(dibuat_oleh__in=ids, dibuat_pada__year=tahun)
        .annotate(m=TruncMonth("dibuat_pada"))
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
        .annotate(m=TruncMonth("waktu"))
        .values("m", oleh=models_f("pelaku"))
        .annotate(n=Count("pk")),
        "ppks_bergerak",
    )
    rujukan = (
        Rujukan.objects.filter(dibuat_oleh__in=ids, tanggal_kirim__year=tahun)
        .annotate(m=TruncMonth("tanggal_kirim"))
        .values("m", oleh=models_f("dibuat_oleh"))
        .annotate(n=Count("pk"), dijawab=Count("pk", filter=~Q(status=StatusRujukan.DIKIRIM)))
    )
    rujukan = list(rujukan)
    tambah(rujukan, "rujukan")
    tambah(rujukan, "rujukan_dijawab", "dijawab")
    for r in (
        Kegiatan.objects.filter(dibuat_oleh__in=ids, tanggal__year=tahun)
        .annotate(m=TruncMonth("tanggal"))
        .values("m", "jenis", oleh=models_f("dibuat_oleh"))
        .annotate(n=Count("pk"))
    ):
        pid = akun.get(r["oleh"])
        if pid is not None:
            sel = angka[pid][_bulan(r["m"])]
            sel[f"tugas_{TUGAS_JENIS.get(r['jenis'], 'pendataan')}"] += r["n"]
            sel["kegiatan"] += r["n"]
    # Verification outcomes in the kecamatan served, per month.
    kec_ids = {k for per in bertugas.values() for k in per.values()}
    verifikasi = defaultdict(lambda: [0, 0])
    for r in (
        Riwayat.objects.filter(
            desa__kecamatan_id__in=kec_ids,
            waktu__year=tahun,
            status_ke__in=["terverifikasi", "dikembalikan"],
        )
        .annotate(m=TruncMonth("waktu"))
        .values("m", "status_ke", kec=models_f("desa__kecamatan_id"))
        .annotate(n=Count("pk"))
    ):
        verifikasi[(r["kec"], _bulan(r["m"]))][r["status_ke"] == "dikembalikan"] += r["n"]
    laporan = {
        (r.tksk_id, r.bulan): r
        for r in LaporanBulanan.objects.filter(tksk_id__in=ids, bulan__year=tahun).exclude(
            status=StatusLaporan.DRAF, diajukan_pertama_pada__isnull=True
        )
    }
    for p in (
        PesertaBimtek.objects.filter(
            profil_id__in=[p.pk for p in profil_list], bimtek__selesai__year=tahun
        )
        .select_related("bimtek")
        .annotate(hadir=Count("kehadiran", filter=Q(kehadiran__hadir=True)))
    ):
        if p.hadir:
            angka[p.profil_id][_bulan(p.bimtek.selesai)]["jam_pelatihan"] += p.bimtek.jam_pelajaran

    hari_ini = timezone.localdate()
    hasil = {}
    for profil in profil_list:
        bulan_data, total = {}, defaultdict(int)
        for bulan in _bulan_tahun(tahun):
            kec = bertugas.get(profil.pk, {}).get(bulan)
            if kec is None:
                continue
            baris = dict(angka[profil.pk][bulan])
            baris["kecamatan_id"] = kec
            lap = laporan.get((profil.akun_id, bulan))
            batas = batas_lapor(bulan)
            if lap is not None and lap.diajukan_pertama_pada:
                tepat = timezone.localdate(lap.diajukan_pertama_pada) <= batas
                baris["lapor"] = "tepat" if tepat else "terlambat"
            else:
                baris["lapor"] = "tidak_ada" if hari_ini > batas else "belum_jatuh_tempo"
            terverifikasi, dikembalikan = verifikasi.get((kec, bulan), (0, 0))
            baris["dikembalikan"], baris["terverifikasi"] = dikembalikan, terverifikasi
            bulan_data[bulan] = baris
            for k, v in baris.items():
                if isinstance(v, int) and k != "kecamatan_id":
                    total[k] += v
            total[f"lapor_{baris['lapor']}"] += 1
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
