"""Matrix entries for partners, activities (photos, participants, follow-ups), referrals and
the letterhead, and the helpers the koordinasi tests share to build them (through the services).
"""

import itertools
from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.matrix.base import Open, Scoped, bisa

PENCATAT = bisa("koordinasi.kegiatan")
PERUJUK = bisa("koordinasi.rujuk")
ADMIN = bisa("koordinasi.kop")

_urut = itertools.count(1)


def jpeg_bytes(size=(64, 48), color=(30, 120, 200), exif=None) -> bytes:
    from PIL import Image

    buffer = BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, "JPEG", quality=90, **kwargs)
    return buffer.getvalue()


def foto_upload(name="foto.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def buat_mitra(world, kec: str | None = None, *, wilayah=None, pelaku=None, **data):
    """A partner registered at kecamatan `kec` (or at `wilayah`), by that area's user."""
    from koordinasi.services import mitra_simpan

    wilayah = wilayah or world.kec[kec]
    pelaku = pelaku or (world.users[f"tksk_{kec}"] if kec else world.users["admin"])
    isi = {
        "jenis": "pemerintah",
        "nama": f"Puskesmas Uji {next(_urut)}",
        "wilayah": wilayah,
        "layanan": "Layanan kesehatan dasar",
        "narahubung": "dr. Sari",
        "telepon": "0536-3221234",
        "aktif": True,
    }
    isi.update(data)
    return mitra_simpan(pelaku=pelaku, data=isi)


def buat_kegiatan(world, kec: str, *, mitra=(), pelaku=None, **data):
    from koordinasi.services import kegiatan_simpan

    pelaku = pelaku or world.users[f"tksk_{kec}"]
    isi = {
        "jenis": "rapat_koordinasi",
        "tanggal": date.today(),
        "desa": world.desa[kec],
        "tempat": "Aula kantor kecamatan",
        "topik": f"Rapat koordinasi penanganan PPKS {next(_urut)}",
        "peserta_laki": 5,
        "peserta_perempuan": 7,
    }
    isi.update(data)
    return kegiatan_simpan(pelaku=pelaku, data=isi, mitra=mitra)


def buat_foto(world, kec: str, kegiatan=None):
    from koordinasi.gambar import olah_gambar
    from koordinasi.services import kegiatan_tambah_foto

    kegiatan = kegiatan or buat_kegiatan(world, kec)
    tampil, kecil = olah_gambar(jpeg_bytes(), sisi=(1600, 320))
    return kegiatan_tambah_foto(
        pelaku=world.users[f"tksk_{kec}"], kegiatan=kegiatan, tampil=tampil, kecil=kecil
    )


def buat_tindak_lanjut(world, kec: str, kegiatan=None, **data):
    from koordinasi.services import tindak_lanjut_simpan

    kegiatan = kegiatan or buat_kegiatan(world, kec)
    isi = {
        "uraian": "Kirim data calon penerima ke Dinas",
        "batas_waktu": date.today(),
        "mitra": None,
    }
    isi.update(data)
    return tindak_lanjut_simpan(pelaku=world.users[f"tksk_{kec}"], kegiatan=kegiatan, data=isi)


def buat_rujukan(world, kec: str, *, ppks=None, mitra=None, pelaku=None, **data):
    from koordinasi.services import rujukan_kirim
    from tests.matrix.ppks import buat_ppks

    ppks = ppks or buat_ppks(world, kec)
    mitra = mitra or buat_mitra(world, kec)
    isi = {
        "alasan": "Membutuhkan pemeriksaan kesehatan lanjutan.",
        "layanan": "Pemeriksaan kesehatan dan BPJS PBI",
        "urgensi": "segera",
        "tanggal_kirim": date.today(),
    }
    isi.update(data)
    return rujukan_kirim(
        pelaku=pelaku or world.users[f"tksk_{kec}"], ppks=ppks, mitra=mitra, data=isi
    )


# --- builders --------------------------------------------------------------------------------


def _mitra_detail(world, kec):
    return reverse("koordinasi:mitra-detail", args=[buat_mitra(world, kec).uuid]), None


def _mitra_update(world, kec):
    return reverse("koordinasi:mitra-update", args=[buat_mitra(world, kec).uuid]), None


def _kegiatan(name):
    def build(world, kec):
        return reverse(name, args=[buat_kegiatan(world, kec).uuid]), None

    return build


def _foto_tambah(world, kec):
    k = buat_kegiatan(world, kec)
    path = reverse("koordinasi:kegiatan-foto-tambah", args=[k.uuid])
    return path, {"foto": foto_upload(), "keterangan": "Suasana rapat"}


def _foto(world, kec):
    f = buat_foto(world, kec)
    return reverse("koordinasi:kegiatan-foto", args=[f.kegiatan.uuid, f.uuid]), None


def _foto_hapus(world, kec):
    f = buat_foto(world, kec)
    return reverse("koordinasi:kegiatan-foto-hapus", args=[f.kegiatan.uuid, f.uuid]), {}


def _peserta_cari(world, kec):
    k = buat_kegiatan(world, kec)
    return reverse("koordinasi:kegiatan-peserta-cari", args=[k.uuid]) + "?q=Warga", None


def _peserta(world, kec):
    from tests.matrix.ppks import buat_keluarga

    k = buat_kegiatan(world, kec)
    _, individu = buat_keluarga(world, kec)
    data = {"tipe": "individu", "aksi": "tambah", "uuid": str(individu.uuid)}
    return reverse("koordinasi:kegiatan-peserta", args=[k.uuid]), data


def _tl_create(world, kec):
    k = buat_kegiatan(world, kec)
    data = {"tl-uraian": "Kunjungan ulang", "tl-batas_waktu": str(date.today() + timedelta(7))}
    return reverse("koordinasi:tindaklanjut-create", args=[k.uuid]), data


def _tl_update(world, kec):
    t = buat_tindak_lanjut(world, kec)
    return reverse("koordinasi:tindaklanjut-update", args=[t.kegiatan.uuid, t.uuid]), None


def _rujukan_create(world, kec):
    from tests.matrix.ppks import buat_ppks

    return reverse("koordinasi:rujukan-create", args=[buat_ppks(world, kec).uuid]), None


def _rujukan(name):
    def build(world, kec):
        return reverse(name, args=[buat_rujukan(world, kec).uuid]), None

    return build


def _rujukan_status(world, kec):
    r = buat_rujukan(world, kec)
    data = {"status": "diterima", "tanggal": str(date.today()), "versi": r.versi}
    return reverse("koordinasi:rujukan-status", args=[r.uuid]), data


SCOPED = [
    Scoped("koordinasi:mitra-detail", _mitra_detail),
    # Kabupaten and province may change a kecamatan's partner (they are above it).
    Scoped("koordinasi:mitra-update", _mitra_update),
    Scoped("koordinasi:kegiatan-detail", _kegiatan("koordinasi:kegiatan-detail")),
    Scoped("koordinasi:kegiatan-update", _kegiatan("koordinasi:kegiatan-update"), roles=PENCATAT),
    Scoped("koordinasi:kegiatan-foto-tambah", _foto_tambah, method="post", roles=PENCATAT),
    Scoped("koordinasi:kegiatan-foto", _foto),
    Scoped("koordinasi:kegiatan-foto-hapus", _foto_hapus, method="post", roles=PENCATAT),
    Scoped("koordinasi:kegiatan-peserta-cari", _peserta_cari, roles=PENCATAT),
    Scoped("koordinasi:kegiatan-peserta", _peserta, method="post", roles=PENCATAT),
    Scoped("koordinasi:tindaklanjut-create", _tl_create, method="post", roles=PENCATAT),
    Scoped("koordinasi:tindaklanjut-update", _tl_update, roles=PENCATAT),
    Scoped("koordinasi:rujukan-create", _rujukan_create, roles=PERUJUK),
    Scoped("koordinasi:rujukan-detail", _rujukan("koordinasi:rujukan-detail")),
    Scoped("koordinasi:rujukan-status", _rujukan_status, method="post", roles=PERUJUK),
    Scoped("koordinasi:rujukan-surat", _rujukan("koordinasi:rujukan-surat"), roles=PERUJUK),
]


OPEN = [
    Open("koordinasi:mitra-list"),
    Open("koordinasi:mitra-create"),
    Open("koordinasi:kegiatan-list"),
    Open("koordinasi:kegiatan-create", roles=PENCATAT),
    Open("koordinasi:tindaklanjut-list"),
    Open("koordinasi:agenda"),
    Open("koordinasi:rujukan-list"),
    Open("koordinasi:rujukan-pilih", roles=PERUJUK),
    Open("koordinasi:kop-update", roles=ADMIN),
    # The partner link is not scoped by user: whoever holds the token gets the partner page,
    # anyone else a 404. Here only "never a server error"; tests/koordinasi/test_tautan_mitra.py
    # checks the rest (its own token, its own referral, expiry, rate limit).
    Open("koordinasi:rujukan-mitra", kwargs={"token": "t" * 43}, expect_any=True),
]
