"""The conflict queue and change requests, through their pages."""

import pytest

from pendataan.models import StatusVerifikasi
from sinkron.models import Konflik, PermintaanPerubahan
from tests.matrix.keluarga import anggota_data, buat_keluarga
from tests.sinkron.conftest import op
from tksk.models import AuditLog

pytestmark = pytest.mark.django_db


def _konflik_pekerjaan(world, perangkat):
    kel = buat_keluarga(world, "pahandut", anggota=[anggota_data(pekerjaan="Petani")])
    ind = kel.anggota.get()
    dasar = {"pekerjaan": "Petani"}
    perangkat().hasil([op("individu", "ubah", ind.uuid, {"pekerjaan": "Guru"}, dasar=dasar)])
    perangkat().hasil([op("individu", "ubah", ind.uuid, {"pekerjaan": "Nelayan"}, dasar=dasar)])
    return ind, Konflik.objects.get()


def test_the_tksk_resolves_a_conflict_with_the_devices_value_audited_with_both_authors(
    world, perangkat, client
):
    ind, k = _konflik_pekerjaan(world, perangkat)
    client.force_login(world.users["tksk_pahandut"])
    page = client.get("/sinkron/konflik/")
    assert page.status_code == 200 and "Nelayan" in page.text and "Guru" in page.text
    detail = client.get(f"/sinkron/konflik/{k.uuid}/")
    assert "Petani" in detail.text  # the base value
    r = client.post(f"/sinkron/konflik/{k.uuid}/", {"pilihan": "saya"})
    assert r.status_code == 302
    ind.refresh_from_db()
    k.refresh_from_db()
    assert ind.pekerjaan == "Nelayan" and k.status == "selesai" and k.pilihan == "saya"
    log = AuditLog.objects.get(aksi="konflik_selesai")
    assert log.pelaku == world.users["tksk_pahandut"]
    assert log.data["penulis_saya"] == "tksk_pahandut"
    assert log.data["penulis_server"] == "tksk_pahandut"
    assert log.data["field"] == "pekerjaan" and log.data["pilihan"] == "saya"
    # A second resolution is refused.
    client.post(f"/sinkron/konflik/{k.uuid}/", {"pilihan": "server"})
    k.refresh_from_db()
    assert k.pilihan == "saya"


def test_the_kabupaten_keeps_the_servers_value_and_others_do_not_see_it(world, perangkat, client):
    ind, k = _konflik_pekerjaan(world, perangkat)
    client.force_login(world.users["tksk_jekanraya"])
    assert client.get(f"/sinkron/konflik/{k.uuid}/").status_code == 404
    assert "Nelayan" not in client.get("/sinkron/konflik/").text
    client.force_login(world.users["prov"])
    assert client.get("/sinkron/konflik/").status_code == 403
    client.force_login(world.users["kab_palangkaraya"])
    r = client.post(f"/sinkron/konflik/{k.uuid}/", {"pilihan": "server"})
    assert r.status_code == 302
    ind.refresh_from_db()
    assert ind.pekerjaan == "Guru"
    assert AuditLog.objects.get(aksi="konflik_selesai").pelaku == world.users["kab_palangkaraya"]


def test_the_kabupaten_applies_or_refuses_a_change_request(world, perangkat, client):
    kel = buat_keluarga(world, "pahandut", status=StatusVerifikasi.TERVERIFIKASI)
    hp = perangkat()
    for alamat in ("Jl. Diterima 1", "Jl. Ditolak 2"):
        [h] = hp.hasil(
            [op("keluarga", "ubah", kel.uuid, {"alamat": alamat}, dasar={"alamat": kel.alamat})]
        )
        assert h["status"] == "permintaan_perubahan"
    terima, tolak = PermintaanPerubahan.objects.order_by("pk")
    client.force_login(world.users["tksk_pahandut"])
    assert "Jl. Diterima 1" in client.get(f"/sinkron/permintaan/{terima.uuid}/").text
    assert (
        client.post(
            f"/sinkron/permintaan/{terima.uuid}/putuskan/", {"keputusan": "terima"}
        ).status_code
        == 403
    )
    client.force_login(world.users["kab_palangkaraya"])
    r = client.post(f"/sinkron/permintaan/{tolak.uuid}/putuskan/", {"keputusan": "tolak"})
    tolak.refresh_from_db()
    assert r.status_code == 302 and tolak.status == "terbuka"  # a refusal needs a note
    client.post(
        f"/sinkron/permintaan/{tolak.uuid}/putuskan/", {"keputusan": "tolak", "catatan": "Salah"}
    )
    client.post(f"/sinkron/permintaan/{terima.uuid}/putuskan/", {"keputusan": "terima"})
    kel.refresh_from_db()
    terima.refresh_from_db()
    tolak.refresh_from_db()
    assert (terima.status, tolak.status) == ("selesai", "ditolak")
    assert kel.alamat == "Jl. Diterima 1"
    # Applied to a verified household: it goes back for verification, as any change does.
    assert kel.status == StatusVerifikasi.DIAJUKAN
    log = AuditLog.objects.get(aksi="permintaan_perubahan_terima")
    assert log.pelaku == world.users["kab_palangkaraya"] and log.data["pengaju"] == "tksk_pahandut"
    assert AuditLog.objects.filter(aksi="keluarga_ubah", objek_uuid=kel.uuid).exists()


def test_the_servers_author_is_who_wrote_the_servers_value_not_the_device_that_merged(
    world, perangkat
):
    from tests.conftest import make_user

    rekan = make_user("tksk_pahandut_2", "tksk", world.kec["pahandut"].kode)
    kel = buat_keluarga(world, "pahandut", anggota=[anggota_data(pekerjaan="Petani")])
    ind = kel.anggota.get()
    dasar = {"alamat": kel.alamat}
    perangkat("tksk_pahandut").hasil(
        [op("keluarga", "ubah", kel.uuid, {"alamat": "Jl. Dermaga 7"}, dasar=dasar)]
    )
    # The other device changes the address too, and the occupation (which alone merges).
    ubah = {"alamat": "Jl. Pasar 2", "anggota": [{"uuid": str(ind.uuid), "pekerjaan": "Nelayan"}]}
    dasar_b = {**dasar, "anggota": [{"uuid": str(ind.uuid), "pekerjaan": "Petani"}]}
    world.users["tksk_pahandut_2"] = rekan
    (h,) = perangkat("tksk_pahandut_2").hasil(
        [op("keluarga", "ubah", kel.uuid, ubah, dasar=dasar_b)]
    )
    assert h["status"] == "konflik"
    ind.refresh_from_db()
    assert ind.pekerjaan == "Nelayan"
    k = Konflik.objects.get()
    assert (k.field, k.nilai_saya, k.nilai_server) == ("alamat", "Jl. Pasar 2", "Jl. Dermaga 7")
    assert k.penulis_saya == rekan
    assert k.penulis_server == world.users["tksk_pahandut"]
