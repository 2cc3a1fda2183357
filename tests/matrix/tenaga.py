"""Matrix entries for the TKSK registry (profiles, SK, proposals, bimtek, certificates,
performance) and the helpers its tests share to build records through the services."""

import itertools
from datetime import date, timedelta

from django.urls import reverse

from tests.matrix.base import Open, Scoped, bisa

PENGELOLA = bisa("tenaga.kelola")
DINAS = bisa("tenaga.lihat")

_urut = itertools.count(1)


def buat_profil(world, kec: str, **data):
    """The profile of tksk_<kec> (one per account), made by the admin."""
    from tenaga.models import ProfilTKSK
    from tenaga.services import profil_simpan

    akun = world.users[f"tksk_{kec}"]
    ada = ProfilTKSK.objects.filter(akun=akun).first()
    if ada is not None:
        return ada
    isi = {
        "akun": akun,
        "kecamatan": None,
        "nama": f"TKSK {kec.title()}",
        "jenis_kelamin": "P",
        "tanggal_lahir": date(1990, 5, 12),
        "telepon": "081234567890",
        "asal": "karang_taruna",
        "asal_organisasi": "Karang Taruna Bina Warga",
        "tahun_rekrut": 2015,
    }
    isi.update(data)
    profil, _ = profil_simpan(pelaku=world.users["admin"], data=isi)
    return profil


def buat_bimtek(world, kec: str | None = None, **data):
    """An event held for kecamatan `kec` (so only that kecamatan's chain sees it)."""
    from tenaga.models import Bimtek

    isi = {
        "judul": f"Bimtek Peningkatan Kemampuan TKSK {next(_urut)}",
        "penyelenggara": "Dinas Sosial Provinsi Kalimantan Tengah",
        "mulai": date(2026, 3, 2),
        "selesai": date(2026, 3, 4),
        "tempat": "Hotel Aquarius, Palangka Raya",
        "jam_pelajaran": 30,
        "wilayah": world.kec[kec] if kec else world.provinsi,
    }
    isi.update(data)
    return Bimtek.objects.create(**isi)


def buat_peserta(world, kec: str, bimtek=None, nomor: bool = True):
    from tenaga.models import PesertaBimtek

    bimtek = bimtek or buat_bimtek(world, kec)
    return PesertaBimtek.objects.create(
        bimtek=bimtek,
        profil=buat_profil(world, kec),
        nomor_sertifikat=f"400/{next(_urut)}/BIMTEK/2026" if nomor else None,
    )


def buat_materi(world, kec: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenaga.services import materi_tambah

    bimtek = buat_bimtek(world, kec)
    pdf = PDF
    return materi_tambah(
        pelaku=world.users["admin"],
        bimtek=bimtek,
        berkas=SimpleUploadedFile("m.pdf", pdf, "application/pdf"),
        nama="Modul",
        jenis="pdf",
    )


def buat_usulan(world, kec: str):
    from tenaga.models import UsulanPerubahan

    return UsulanPerubahan.objects.create(
        profil=buat_profil(world, kec),
        data={"telepon": "081299990000"},
        alasan="Nomor baru",
        diusulkan_oleh=world.users["kab_palangkaraya"],
    )


def _profil(name, suffix="", data=None):
    def build(world, kec):
        return reverse(name, args=[buat_profil(world, kec).uuid]), data

    return build


def _sk(world, kec):
    mulai = date(2020, 1, 1) + timedelta(days=400 * next(_urut))
    data = {
        "nomor": f"SK/{next(_urut)}",
        "tanggal": mulai.isoformat(),
        "penerbit": "Dinas Sosial Provinsi",
        "mulai": mulai.isoformat(),
        "selesai": (mulai + timedelta(days=364)).isoformat(),
    }
    return reverse("tenaga:sk-tambah", args=[buat_profil(world, kec).uuid]), data


def _usulan_tambah(world, kec):
    profil = buat_profil(world, kec)
    data = {
        "nama": profil.nama,
        "jenis_kelamin": profil.jenis_kelamin,
        "asal": profil.asal,
        "telepon": f"0812{next(_urut):08d}",
        "alasan": "Nomor telepon berganti",
    }
    return reverse("tenaga:usulan-tambah", args=[profil.uuid]), data


def _usulan_putus(world, kec):
    return reverse("tenaga:usulan-putus", args=[buat_usulan(world, kec).uuid]), {"terima": "0"}


def _bimtek(name, data=None):
    def build(world, kec):
        return reverse(name, args=[buat_bimtek(world, kec).uuid]), data

    return build


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _undang(world, kec):
    buat_profil(world, kec)
    bimtek = buat_bimtek(world, kec)
    path = reverse("tenaga:bimtek-peserta-tambah", args=[bimtek.uuid])
    return path, {"kabupaten": world.kec[kec].kabupaten_id}


def _materi_tambah(world, kec):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bimtek = buat_bimtek(world, kec)
    berkas = SimpleUploadedFile("modul.pdf", PDF, "application/pdf")
    return reverse("tenaga:bimtek-materi-tambah", args=[bimtek.uuid]), {
        "nama": "Modul",
        "berkas": berkas,
    }


def _materi(world, kec):
    materi = buat_materi(world, kec)
    return reverse("tenaga:bimtek-materi-unduh", args=[materi.bimtek.uuid, materi.uuid]), None


def _sertifikat(world, kec):
    p = buat_peserta(world, kec)
    return reverse("tenaga:sertifikat-pdf", args=[p.bimtek.uuid, p.uuid]), None


def _peserta_post(name):
    def build(world, kec):
        p = buat_peserta(world, kec, nomor=False)
        return reverse(name, args=[p.bimtek.uuid]), {f"peserta:{p.uuid}": "1"}

    return build


def _api_profil(world, kec):
    return reverse("api:tksk-detail", args=[buat_profil(world, kec).uuid]), None


def _api_profil_ubah(world, kec):
    profil = buat_profil(world, kec)
    data = {"versi": profil.versi, "telepon": f"0812{next(_urut):08d}"}
    return reverse("api:tksk-detail", args=[profil.uuid]), data


def buat_berkas_sertifikat(world, kec):
    from django.utils import timezone

    from tenaga.models import BerkasSertifikat

    p = buat_peserta(world, kec)
    return BerkasSertifikat.objects.create(
        bimtek=p.bimtek,
        pemohon=world.users["admin"],
        jumlah=1,
        dasar_url="http://testserver/",
        kedaluwarsa_pada=timezone.now() + timedelta(hours=1),
    )


def _massal_minta(world, kec):
    p = buat_peserta(world, kec)
    return reverse("tenaga:sertifikat-massal-minta", args=[p.bimtek.uuid]), {}


def _massal(name):
    def build(world, kec):
        return reverse(name, args=[buat_berkas_sertifikat(world, kec).uuid]), None

    return build


SCOPED = [
    Scoped("tenaga:sertifikat-massal-minta", _massal_minta, method="post", roles=PENGELOLA),
    # Only the requester (here the admin) follows or downloads a job: anyone else gets 403.
    Scoped(
        "tenaga:sertifikat-massal-status",
        _massal("tenaga:sertifikat-massal-status"),
        roles=frozenset({"admin"}),
    ),
    Scoped(
        "tenaga:sertifikat-massal-unduh",
        _massal("tenaga:sertifikat-massal-unduh"),
        roles=frozenset({"admin"}),
    ),
    Scoped("api:tksk-detail", _api_profil, roles=DINAS),
    Scoped("api:tksk-detail", _api_profil_ubah, method="patch", roles=bisa("tenaga.ubah_api")),
    Scoped("tenaga:profil-detail", _profil("tenaga:profil-detail")),
    Scoped("tenaga:profil-update", _profil("tenaga:profil-update"), roles=PENGELOLA),
    Scoped("tenaga:kontak-ubah", _profil("tenaga:kontak-ubah"), roles=frozenset({"tksk"})),
    Scoped(
        "tenaga:profil-status",
        _profil("tenaga:profil-status", data={"status": "aktif", "tanggal": "2026-01-05"}),
        method="post",
        roles=PENGELOLA,
    ),
    Scoped("tenaga:profil-kinerja", _profil("tenaga:profil-kinerja")),
    Scoped("tenaga:profil-kinerja-pdf", _profil("tenaga:profil-kinerja-pdf")),
    Scoped("tenaga:sk-tambah", _sk, method="post", roles=PENGELOLA),
    Scoped("tenaga:usulan-tambah", _usulan_tambah, method="post", roles=bisa("tenaga.usul")),
    Scoped("tenaga:usulan-putus", _usulan_putus, method="post", roles=PENGELOLA),
    Scoped("tenaga:bimtek-detail", _bimtek("tenaga:bimtek-detail")),
    Scoped("tenaga:bimtek-update", _bimtek("tenaga:bimtek-update"), roles=PENGELOLA),
    Scoped(
        "tenaga:bimtek-peserta-tambah",
        _undang,
        method="post",
        roles=PENGELOLA,
    ),
    Scoped(
        "tenaga:bimtek-materi-tambah",
        _materi_tambah,
        method="post",
        roles=PENGELOLA,
    ),
    Scoped("tenaga:bimtek-materi-unduh", _materi),
    Scoped(
        "tenaga:bimtek-hadir", _peserta_post("tenaga:bimtek-hadir"), method="post", roles=PENGELOLA
    ),
    Scoped(
        "tenaga:bimtek-nilai", _peserta_post("tenaga:bimtek-nilai"), method="post", roles=PENGELOLA
    ),
    Scoped("tenaga:sertifikat-pdf", _sertifikat),
]

OPEN = [
    Open("tenaga:impor", roles=PENGELOLA),
    Open("tenaga:impor-templat", roles=PENGELOLA),
    # An empty confirmation: back to the upload page with a message (its own tests: test_impor).
    Open("tenaga:impor-konfirmasi", method="post", roles=PENGELOLA),
    Open("api:tksk-list", roles=DINAS),
    # Empty writes: refused (400/403) for every role, never a server error (tests/tenaga/test_api).
    Open("api:tksk-list", method="post", expect_any=True),
    Open("api:tksk-impor", method="post", expect_any=True),
    Open("tenaga:profil-list"),
    Open("tenaga:profil-create", roles=PENGELOLA),
    Open("tenaga:usulan-list", roles=DINAS),
    Open("tenaga:kosong-list", roles=DINAS),
    Open("tenaga:sk-berakhir-list", roles=DINAS),
    Open("tenaga:belum-dilatih-list", roles=DINAS),
    Open("tenaga:kinerja-list", roles=DINAS),
    Open("tenaga:bimtek-list"),
    Open("tenaga:bimtek-create", roles=PENGELOLA),
    # Public, by a random token: an unknown one answers 404 (tests/tenaga/test_bimtek.py).
    Open("tenaga:sertifikat-verifikasi", kwargs={"token": "tidak-ada"}, expect_any=True),
]
