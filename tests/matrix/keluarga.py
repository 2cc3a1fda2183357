"""Matrix entries for households, persons, verification and duplicate cases, and the helpers the
pendataan tests share to build them (through the real service)."""

import itertools
from datetime import date

from django.urls import reverse

from tests.matrix.base import Open, Scoped, bisa

PENDATA = bisa("pendataan.ubah")
VERIFIKATOR = bisa("pendataan.verifikasi")
PENYELESAI = bisa("pendataan.kasus")

_urut = itertools.count(1)


def nik_baru(tanggal: date = date(1985, 4, 12), jenis_kelamin: str = "L") -> str:
    """A valid, unused-looking NIK: region 62.71.01, the given birth date, a fresh serial."""
    hari = tanggal.day + (40 if jenis_kelamin == "P" else 0)
    return f"627101{hari:02d}{tanggal:%m%y}{next(_urut) % 10000 or 1:04d}"


def no_kk_baru() -> str:
    return f"62710115012{next(_urut) % 100000:05d}"


def anggota_data(nama="Budi Santoso", hubungan="kepala_keluarga", **extra) -> dict:
    tanggal = extra.pop("tanggal_lahir", date(1985, 4, 12))
    jk = extra.pop("jenis_kelamin", "L")
    data = {
        "nik": nik_baru(tanggal, jk),
        "nama": nama,
        "jenis_kelamin": jk,
        "tempat_lahir": "Palangka Raya",
        "tanggal_lahir": tanggal,
        "hubungan": hubungan,
        "agama": "islam",
    }
    data.update(extra)
    return data


def buat_keluarga(world, kec: str, *, pelaku=None, anggota=None, status=None, **data):
    """A household in the first desa of kecamatan `kec`, saved by that kecamatan's TKSK."""
    from pendataan.services import keluarga_simpan

    pelaku = pelaku or world.users[f"tksk_{kec}"]
    isi = {"no_kk": no_kk_baru(), "desa": world.desa[kec], "alamat": "Jl. Tjilik Riwut No. 5"}
    isi.update(data)
    hasil = keluarga_simpan(
        pelaku=pelaku,
        data=isi,
        anggota=anggota if anggota is not None else [anggota_data()],
    )
    keluarga = hasil.keluarga
    if status:
        type(keluarga).objects.filter(pk=keluarga.pk).update(status=status)
        keluarga.refresh_from_db()
    return keluarga


def buat_kasus(world, kec: str):
    """An open duplicate-NIK case about a person of kecamatan `kec`, reported from another
    kecamatan of the same kabupaten (so the kabupaten resolves it)."""
    from pendataan.models import KasusGanda
    from tksk.models import Wilayah

    lama = buat_keluarga(world, kec)
    individu = lama.anggota.get()
    desa_lain = (
        Wilayah.objects.filter(tingkat="desa", kabupaten=world.desa[kec].kabupaten)
        .exclude(kecamatan=world.desa[kec].kecamatan)
        .order_by("kode")
        .first()
    )
    return KasusGanda.objects.create(
        jenis="nik",
        individu_lama=individu,
        desa_baru=desa_lain,
        data_baru={"nama": individu.nama, "jenis_kelamin": "L", "hubungan": "anak"},
        penyelesai=world.desa[kec].kabupaten,
        pelapor=world.users["admin"],
    )


def form_data(desa, anggota: list[dict], *, initial: int = 1, **keluarga) -> dict:
    """POST data of the household form as a browser sends it (management form included)."""
    data = {
        "no_kk": keluarga.pop("no_kk", no_kk_baru()),
        "alasan_tanpa_kk": "",
        "desa": desa.pk,
        "alamat": "Jl. G. Obos No. 12",
        "rt": "003",
        "rw": "001",
        "dusun": "",
        "latitude": "",
        "longitude": "",
        "anggota-TOTAL_FORMS": str(len(anggota)),
        "anggota-INITIAL_FORMS": str(initial),
        "anggota-MIN_NUM_FORMS": "0",
        "anggota-MAX_NUM_FORMS": "30",
    }
    data.update({k: "" if v is None else v for k, v in keluarga.items()})
    for i, a in enumerate(anggota):
        for name, value in a.items():
            if isinstance(value, date):
                value = value.isoformat()
            if value is None:
                value = ""
            data[f"anggota-{i}-{name}"] = value
    return data


def anggota_form(keluarga) -> list[dict]:
    """The member rows of an edit form as the page renders them for `keluarga`."""
    rows = []
    for a in keluarga.anggota.order_by("pk"):
        rows.append(
            {
                "uuid": str(a.uuid),
                "nik": a.nik or "",
                "alasan_tanpa_nik": a.alasan_tanpa_nik,
                "nama": a.nama,
                "jenis_kelamin": a.jenis_kelamin,
                "tempat_lahir": a.tempat_lahir,
                "tanggal_lahir": a.tanggal_lahir,
                "hubungan": a.hubungan,
                "agama": a.agama,
                "pendidikan": a.pendidikan,
                "pekerjaan": a.pekerjaan,
                "status_kawin": a.status_kawin,
                "disabilitas": list(a.disabilitas),
                "nama_ibu": a.nama_ibu,
                "status_hidup": a.status_hidup,
            }
        )
    return rows


def form_ubah(keluarga, anggota=None, **ubah) -> dict:
    """POST data of the edit form for `keluarga` with its current values, then `ubah`."""
    anggota = anggota if anggota is not None else anggota_form(keluarga)
    data = form_data(
        keluarga.desa,
        anggota,
        initial=keluarga.anggota.count(),
        no_kk=keluarga.no_kk or "",
        alasan_tanpa_kk=keluarga.alasan_tanpa_kk,
        alamat=keluarga.alamat,
        rt=keluarga.rt,
        rw=keluarga.rw,
        dusun=keluarga.dusun,
        versi=str(keluarga.versi),
    )
    data.update(ubah)
    return data


def _detail(world, kec):
    return reverse("pendataan:keluarga-detail", args=[buat_keluarga(world, kec).uuid]), None


def _ubah(world, kec):
    return reverse("pendataan:keluarga-update", args=[buat_keluarga(world, kec).uuid]), None


def _verifikasi(world, kec):
    keluarga = buat_keluarga(world, kec, status="diajukan")
    data = {"tipe": "keluarga", "uuid": str(keluarga.uuid), "aksi": "verifikasi"}
    return reverse("pendataan:verifikasi-aksi"), data


def _kasus(world, kec):
    return reverse("pendataan:kasus-detail", args=[buat_kasus(world, kec).uuid]), None


def _kasus_selesai(world, kec):
    kasus = buat_kasus(world, kec)
    data = {"aksi": "tolak", "catatan": "Entri ganda, data lama benar."}
    return reverse("pendataan:kasus-selesaikan", args=[kasus.uuid]), data


SCOPED = [
    Scoped("pendataan:keluarga-detail", _detail),
    Scoped("pendataan:keluarga-update", _ubah, roles=PENDATA),
    Scoped("pendataan:verifikasi-aksi", _verifikasi, method="post", roles=VERIFIKATOR),
    Scoped("pendataan:kasus-detail", _kasus, roles=PENYELESAI),
    Scoped("pendataan:kasus-selesaikan", _kasus_selesai, method="post", roles=PENYELESAI),
]

OPEN = [
    Open("pendataan:keluarga-list"),
    Open("pendataan:keluarga-create", roles=PENDATA),
    Open("pendataan:individu-list"),
    Open("pendataan:verifikasi-list", roles=VERIFIKATOR),
    Open("pendataan:kasus-list", roles=PENYELESAI),
]
