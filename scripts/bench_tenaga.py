"""Tenaga TKSK measurements for scripts/bench.py (imported by it automatically; see its docstring).

The data the issue names: 136 TKSK (one per kecamatan of Kalimantan Tengah, each with an account,
a profile, three SKs and an assignment since ten years ago) and ten years of monthly data (a
monthly report per TKSK and month, one in seven late, and two activities per TKSK and month),
plus a bimtek with all 136 as participants. Added once, found again on the next run (the
activities carry a marker topic); VACUUM ANALYZE afterwards.

    .venv/bin/python scripts/bench.py --households 20000 \
        --only tenaga_tabel_provinsi,tenaga_rapor_pdf,tenaga_sertifikat_136
"""

import tempfile
from datetime import date, datetime, time, timedelta

from bench import NotAvailable, measurement
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from tksk.models import Role, Tingkat, User, Wilayah

PENANDA = "bench-tenaga: kegiatan sintetis"
TAHUN = 10
TABEL = (
    "tenaga_profiltksk",
    "tenaga_sktksk",
    "tenaga_penugasan",
    "tenaga_pesertabimtek",
    "tenaga_kehadiran",
    "laporan_laporanbulanan",
    "koordinasi_kegiatan",
    "pendataan_keluarga",
    "pendataan_ppks",
)
BIMTEK = "Bimtek Peningkatan Kemampuan Potensi TKSK (bench)"


def _bulan_mundur(n: int) -> list[date]:
    awal = timezone.localdate().replace(day=1)
    hasil = []
    for _ in range(n):
        awal = (awal - timedelta(days=1)).replace(day=1)
        hasil.append(awal)
    return hasil


def _akun(kecamatan) -> dict:
    """One TKSK account per kecamatan: the existing one (the demo accounts), else a new one."""
    ada = {}
    for u in User.objects.filter(role=Role.TKSK, wilayah__in=kecamatan).order_by("pk"):
        ada.setdefault(u.wilayah_id, u)
    for kec in kecamatan:
        if kec.pk not in ada:
            u = User(username=f"bench.tksk.{kec.kode}", role=Role.TKSK, wilayah=kec)
            u.set_unusable_password()
            u.save()
            ada[kec.pk] = u
    return ada


@transaction.atomic
def _isi(kecamatan, akun) -> None:
    from koordinasi.models import Kegiatan
    from laporan.models import LaporanBulanan, StatusLaporan
    from laporan.selectors import batas_lapor
    from tenaga.models import SKTKSK, Bimtek, Kehadiran, Penugasan, PesertaBimtek, ProfilTKSK

    hari_ini = timezone.localdate()
    mulai = hari_ini.replace(year=hari_ini.year - TAHUN, day=1)
    punya = set(ProfilTKSK.objects.values_list("akun_id", flat=True))
    baru = [
        ProfilTKSK(akun=akun[k.pk], kecamatan=k, nama=f"TKSK {k.nama}", jenis_kelamin="L",
                   asal="karang_taruna", tahun_rekrut=mulai.year)
        for k in kecamatan
        if akun[k.pk].pk not in punya
    ]  # fmt: skip
    ProfilTKSK.objects.bulk_create(baru)
    profil = {p.akun_id: p for p in ProfilTKSK.objects.filter(akun__in=akun.values())}
    Penugasan.objects.filter(profil__in=profil.values()).delete()
    SKTKSK.objects.filter(profil__in=profil.values()).delete()
    Penugasan.objects.bulk_create(
        Penugasan(profil=p, kecamatan_id=p.kecamatan_id, mulai=mulai) for p in profil.values()
    )
    sk = []
    for p in profil.values():
        for i in range(3):
            awal = mulai.replace(year=mulai.year + 4 * i)
            akhir = awal.replace(year=awal.year + 4) - timedelta(days=1)
            nomor = f"188.44/{p.pk}/{i}/DINSOS"
            sk.append(SKTKSK(profil=p, nomor=nomor, tanggal=awal, penerbit="Dinas Sosial Provinsi",
                             mulai=awal, selesai=akhir))  # fmt: skip
    SKTKSK.objects.bulk_create(sk)
    desa = {}
    for d in Wilayah.objects.filter(tingkat=Tingkat.DESA, kecamatan__in=kecamatan).order_by("kode"):
        desa.setdefault(d.kecamatan_id, d)
    jenis = ["rapat_koordinasi", "penyuluhan_sosial", "pendampingan", "asesmen"]
    laporan, kegiatan = [], []
    for n, bulan in enumerate(_bulan_mundur(12 * TAHUN)):
        batas = batas_lapor(bulan)
        for i, kec in enumerate(kecamatan):
            u = akun[kec.pk]
            telat = (n + i) % 7 == 0
            kirim = datetime.combine(batas + timedelta(days=3 if telat else -2), time(9))
            laporan.append(LaporanBulanan(
                tksk=u, kecamatan=kec, bulan=bulan, status=StatusLaporan.DITERIMA,
                diajukan_pertama_pada=timezone.make_aware(kirim),
                diajukan_pada=timezone.make_aware(kirim), nomor_sk=f"SK/{u.pk}",
            ))  # fmt: skip
            for j in range(2):
                kegiatan.append(Kegiatan(
                    jenis=jenis[(n + j + i) % 4], tanggal=bulan + timedelta(days=9 + j),
                    desa=desa[kec.pk], tempat="Balai desa", topik=PENANDA, dibuat_oleh=u,
                    diubah_oleh=u,
                ))  # fmt: skip
    LaporanBulanan.objects.bulk_create(laporan, batch_size=2000, ignore_conflicts=True)
    Kegiatan.objects.bulk_create(kegiatan, batch_size=2000)
    provinsi = Wilayah.objects.get(kode="62")
    bimtek = Bimtek.objects.create(
        judul=BIMTEK, penyelenggara="Dinas Sosial Provinsi Kalimantan Tengah", wilayah=provinsi,
        mulai=hari_ini - timedelta(days=40), selesai=hari_ini - timedelta(days=37),
        tempat="Palangka Raya", jam_pelajaran=32, penandatangan_nama="Kepala Dinas",
        penandatangan_jabatan="Kepala Dinas Sosial Provinsi Kalimantan Tengah",
    )  # fmt: skip
    peserta = PesertaBimtek.objects.bulk_create(
        PesertaBimtek(bimtek=bimtek, profil=p, nomor_sertifikat=f"400.{bimtek.pk}/{i + 1}/2026")
        for i, p in enumerate(profil.values())
    )
    Kehadiran.objects.bulk_create(
        Kehadiran(peserta=p, tanggal=h, hadir=True) for p in peserta for h in bimtek.hari
    )


def _siapkan(ctx) -> dict:
    if getattr(ctx, "_tenaga", None):
        return ctx._tenaga
    try:
        from koordinasi.models import Kegiatan
        from tenaga.models import Bimtek, ProfilTKSK
    except ImportError:
        raise NotAvailable("modul tenaga belum ada") from None
    kecamatan = list(
        Wilayah.objects.filter(
            tingkat=Tingkat.KECAMATAN, kode__startswith="62.", aktif=True
        ).order_by("kode")
    )
    if len(kecamatan) != 136:
        raise NotAvailable(f"{len(kecamatan)} kecamatan dimuat, bukan 136 (load_wilayah)")
    akun = _akun(kecamatan)
    perlu = 136 * 12 * TAHUN * 2
    if Kegiatan.objects.filter(topik=PENANDA).count() < perlu:
        print("Mengisi data tenaga: 136 TKSK, 10 tahun laporan bulanan dan kegiatan...")
        _isi(kecamatan, akun)
        with connection.cursor() as c:
            for tabel in TABEL:
                c.execute(f"VACUUM ANALYZE {tabel}")
    ctx._tenaga = {
        "profil": ProfilTKSK.objects.filter(akun__in=akun.values()).order_by("kecamatan__kode"),
        "bimtek": Bimtek.objects.filter(judul=BIMTEK).order_by("-pk").first(),
    }
    return ctx._tenaga


@measurement(
    "tenaga_tabel_provinsi",
    target_ms=150,
    runs=30,
    description="Tabel kinerja 136 TKSK (provinsi, tahun berjalan; 10 tahun data bulanan)",
)
def tenaga_tabel_provinsi(ctx):
    _siapkan(ctx)
    client = ctx.client("dinsos.prov")
    url = ctx.url("tenaga:kinerja-list")

    def panggil():
        response = ctx.get(client, url)
        ctx.rows = response.content.count(b'data-testid="kinerja-baris"')
        assert ctx.rows >= 136, ctx.rows

    return panggil


@measurement(
    "tenaga_rapor_pdf",
    target_ms=2000,
    runs=10,
    warmup=1,
    description="Rapor kinerja satu TKSK, satu tahun penuh, sebagai PDF (WeasyPrint)",
)
def tenaga_rapor_pdf(ctx):
    data = _siapkan(ctx)
    client = ctx.client("dinsos.prov")
    profil = data["profil"].first()
    url = ctx.url("tenaga:profil-kinerja-pdf", uuid=profil.uuid)
    tahun = timezone.localdate().year - 1

    def panggil():
        response = ctx.get(client, url, {"tahun": tahun})
        assert response.content.startswith(b"%PDF-")

    return panggil


@measurement(
    "tenaga_sertifikat_136",
    target_ms=20_000,
    runs=2,
    warmup=0,
    description="Sertifikat 136 peserta satu bimtek sebagai satu PDF (tugas latar belakang)",
)
def tenaga_sertifikat_136(ctx):
    """The job itself (`siapkan_sertifikat`), called in this process on a queued row."""
    data = _siapkan(ctx)
    try:
        from tenaga.models import BerkasSertifikat
        from tenaga.tasks import siapkan_sertifikat
    except ImportError:
        raise NotAvailable("sertifikat massal belum ada") from None
    bimtek = data["bimtek"]
    pelaku = ctx.user("dinsos.prov")
    folder = tempfile.TemporaryDirectory()
    media = override_settings(MEDIA_ROOT=folder.name)
    media.enable()
    dibuat = []

    def bersihkan():
        BerkasSertifikat.objects.filter(pk__in=dibuat).delete()
        media.disable()
        folder.cleanup()

    ctx.cleanup(bersihkan)

    def panggil():
        berkas = BerkasSertifikat.objects.create(
            bimtek=bimtek, pemohon=pelaku, jumlah=136, dasar_url="https://tksk.example.org/",
            kedaluwarsa_pada=timezone.now() + timedelta(hours=1),
        )  # fmt: skip
        dibuat.append(berkas.pk)
        ctx.rows = siapkan_sertifikat.call(berkas.pk)
        assert ctx.rows == 136, ctx.rows

    return panggil
