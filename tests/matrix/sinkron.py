"""Matrix entries for offline sync: the batch endpoint, the reference data, the conflict queue,
change requests and the import page."""

from django.urls import reverse

from tests.matrix.base import Open, Scoped, bisa

ANTREAN = bisa("sinkron.antrean")
PUTUS = bisa("sinkron.putus")


def buat_konflik(world, kec):
    from sinkron.models import Konflik
    from tests.matrix.keluarga import buat_keluarga

    kel = buat_keluarga(world, kec)
    return Konflik.objects.create(
        entitas="keluarga",
        objek_uuid=kel.uuid,
        desa=kel.desa,
        field="alamat",
        label="Alamat",
        nilai_saya="Jl. Perangkat 1",
        nilai_server=kel.alamat,
        nilai_dasar="Jl. Awal",
        penulis_saya=world.users[f"tksk_{kec}"],
    )


def buat_permintaan(world, kec):
    from sinkron.models import PermintaanPerubahan
    from tests.matrix.keluarga import buat_keluarga

    kel = buat_keluarga(world, kec, status="terverifikasi")
    return PermintaanPerubahan.objects.create(
        entitas="keluarga",
        objek_uuid=kel.uuid,
        desa=kel.desa,
        data={"alamat": "Jl. Baru 2"},
        dasar={"alamat": kel.alamat},
        pengaju=world.users[f"tksk_{kec}"],
        alasan_ditahan="Data ini sudah diverifikasi.",
    )


def _konflik(world, kec):
    return reverse("sinkron:konflik-detail", args=[buat_konflik(world, kec).uuid]), None


def _permintaan(world, kec):
    return reverse("sinkron:permintaan-detail", args=[buat_permintaan(world, kec).uuid]), None


def _putuskan(world, kec):
    path = reverse("sinkron:permintaan-putuskan", args=[buat_permintaan(world, kec).uuid])
    return path, {"keputusan": "tolak", "catatan": "Tidak sesuai dokumen."}


SCOPED = [
    Scoped("sinkron:konflik-detail", _konflik, roles=ANTREAN),
    Scoped("sinkron:permintaan-detail", _permintaan, roles=ANTREAN),
    Scoped("sinkron:permintaan-putuskan", _putuskan, method="post", roles=PUTUS),
]
OPEN = [
    # The batch answers per operation; an empty body is a 400 (tests/sinkron/ check the rest).
    Open("api:sinkron", method="post", expect_any=True),
    Open("api:sinkron-referensi"),
    # One photo after its activity: a body without op_id/uuid/kegiatan is a 400.
    Open("api:sinkron-foto", method="post", expect_any=True),
    Open("sinkron:konflik-list", roles=ANTREAN),
    Open("sinkron:permintaan-list", roles=ANTREAN),
    Open("sinkron:impor", roles=bisa("sinkron.kirim")),
]
