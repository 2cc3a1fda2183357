"""Demo data of the TKSK registry for `seed_demo`: profiles of the demo TKSK, their SKs (one
ending soon, so the dashboards show it), and a bimtek with attendance and certificates.
Idempotent: a second run changes nothing."""

from datetime import date, timedelta

from django.utils import timezone

from tenaga.models import SKTKSK, Bimtek, Kehadiran, Penugasan, PesertaBimtek, ProfilTKSK
from tksk.models import User, Wilayah

KT, PSM = "karang_taruna", "psm"
PROFIL = {
    "tksk.pahandut": ("Rina Susanti", "P", date(1988, 4, 17), KT, "Karang Taruna Pahandut", 2012),
    "tksk.jekanraya": ("Budi Santoso", "L", date(1985, 9, 3), PSM, "PSM Bukit Tunggal", 2010),
    "tksk.selat": ("Ahmad Fauzi", "L", date(1991, 1, 22), KT, "Karang Taruna Selat Hilir", 2016),
}


def buat_data_tenaga() -> int:
    hari_ini = timezone.localdate()
    profil = []
    for i, (username, (nama, jk, lahir, asal, org, tahun)) in enumerate(PROFIL.items()):
        akun = User.objects.filter(username=username).select_related("wilayah").first()
        if akun is None or akun.wilayah_id is None:
            continue
        p, dibuat = ProfilTKSK.objects.get_or_create(
            akun=akun,
            defaults={
                "kecamatan": akun.wilayah,
                "nama": nama,
                "jenis_kelamin": jk,
                "tanggal_lahir": lahir,
                "pendidikan": "s1",
                "telepon": f"08125{i:03d}4471",
                "asal": asal,
                "asal_organisasi": org,
                "tahun_rekrut": tahun,
            },
        )
        if dibuat:
            Penugasan.objects.create(profil=p, kecamatan=akun.wilayah, mulai=date(tahun, 1, 2))
            # The last SK of the first TKSK ends within the dashboards' warning window.
            selesai = hari_ini + timedelta(days=40 if i == 0 else 400)
            SKTKSK.objects.create(
                profil=p,
                nomor=f"188.44/{120 + i}/DINSOS/{selesai.year - 1}",
                tanggal=selesai.replace(year=selesai.year - 1) - timedelta(days=10),
                penerbit="Dinas Sosial Provinsi Kalimantan Tengah",
                mulai=selesai.replace(year=selesai.year - 1) + timedelta(days=1),
                selesai=selesai,
            )
        profil.append(p)
    if not profil:
        return 0
    bimtek, dibuat = Bimtek.objects.get_or_create(
        judul="Bimbingan Teknis Peningkatan Kemampuan Potensi TKSK",
        defaults={
            "penyelenggara": "Dinas Sosial Provinsi Kalimantan Tengah",
            "wilayah": Wilayah.objects.get(kode="62"),
            "mulai": date(2023, 10, 30),
            "selesai": date(2023, 11, 1),
            "tempat": "Palangka Raya",
            "jam_pelajaran": 30,
            "penandatangan_nama": "Kepala Dinas Sosial",
            "penandatangan_jabatan": "Kepala Dinas Sosial Provinsi Kalimantan Tengah",
        },
    )
    if dibuat:
        for urut, p in enumerate(profil[:2], start=1):
            peserta = PesertaBimtek.objects.create(
                bimtek=bimtek,
                profil=p,
                nilai_pre=60 + urut * 5,
                nilai_post=80 + urut * 3,
                nomor_sertifikat=f"400.4/{urut:03d}/BIMTEK-TKSK/2023",
            )
            Kehadiran.objects.bulk_create(
                [Kehadiran(peserta=peserta, tanggal=h, hadir=True) for h in bimtek.hari]
            )
    return len(profil)
