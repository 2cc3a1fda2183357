"""PSKS inventory through the views: create, edit, phone check, scope, history, list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendataan.models import PSKS, Riwayat
from tests.matrix.ppks import buat_psks
from tksk.models import KategoriPSKS

pytestmark = pytest.mark.django_db

CREATE = reverse("pendataan:psks-create")
LIST = reverse("pendataan:psks-list")


def data_psks(world, kec="pahandut", **extra):
    return {
        "kategori": KategoriPSKS.objects.get(singkatan="LKS").pk,
        "jenis": "lembaga",
        "nama": "Panti Asuhan Harapan",
        "desa": world.desa[kec].pk,
        "alamat": "Jl. Tjilik Riwut km 5",
        "kontak_nama": "Ibu Rini",
        "telepon": "0812-3456-7890",
        "kapasitas": "40",
        "layanan": "Pengasuhan anak",
        "aktif": "on",
        **extra,
    }


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


def test_create_psks(world, tksk):
    response = tksk.post(CREATE, data_psks(world), follow=True)
    psks = PSKS.objects.get()
    assert response.redirect_chain[-1][0] == reverse("pendataan:psks-detail", args=[psks.uuid])
    assert (psks.telepon, psks.kapasitas, psks.aktif) == ("081234567890", 40, True)
    assert psks.desa == world.desa["pahandut"] and psks.status == "draf"
    assert Riwayat.objects.get(objek_uuid=psks.uuid).aksi == "buat"
    content = response.content.decode()
    assert "Panti Asuhan Harapan" in content and "Data PSKS disimpan." in content
    assert 'name="tipe" value="psks"' in content


@pytest.mark.parametrize(
    ("telepon", "disimpan"),
    [
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0536) 322 1234", "05363221234"),
    ],
)
def test_phone_formats_accepted(world, tksk, telepon, disimpan):
    assert tksk.post(CREATE, data_psks(world, telepon=telepon)).status_code == 302
    assert PSKS.objects.get().telepon == disimpan


@pytest.mark.parametrize(
    "telepon", ["12345678", "0812", "08123abc567", "+1 555 1234 5678", "0" * 17]
)
def test_bad_phone_is_refused_and_input_kept(world, tksk, telepon):
    response = tksk.post(CREATE, data_psks(world, telepon=telepon))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nomor telepon diawali 0 atau +62" in content
    assert "Panti Asuhan Harapan" in content
    assert not PSKS.objects.exists()


def test_required_fields(world, tksk):
    response = tksk.post(CREATE, {"nama": ""})
    content = response.content.decode()
    assert "Pilih kategori PSKS." in content and "Isi nama." in content
    assert "Pilih desa/kelurahan." in content
    assert not PSKS.objects.exists()


def test_desa_of_another_area_is_refused(world, tksk):
    response = tksk.post(CREATE, data_psks(world, "selat"))
    assert response.status_code == 200
    assert "wilayah tugas Anda" in response.content.decode()
    assert not PSKS.objects.exists()


def test_kind_mismatch_warns(world, tksk):
    response = tksk.post(CREATE, data_psks(world, jenis="individu"), follow=True)
    assert PSKS.objects.exists()
    assert "biasanya berjenis lembaga" in response.content.decode()


def test_extra_fields_change_nothing(world, tksk):
    data = data_psks(world, status="terverifikasi", dibuat_oleh=world.users["admin"].pk)
    assert tksk.post(CREATE, data).status_code == 302
    psks = PSKS.objects.get()
    assert psks.status == "draf" and psks.dibuat_oleh == world.users["tksk_pahandut"]


def test_edit_with_history_and_reverification(world, tksk):
    psks = buat_psks(world, "pahandut")
    PSKS.objects.filter(pk=psks.pk).update(status="terverifikasi")
    url = reverse("pendataan:psks-update", args=[psks.uuid])
    assert tksk.get(url).status_code == 200
    data = data_psks(world, jenis="lembaga", nama="Karang Taruna Baru", versi=psks.versi, aktif="")
    assert tksk.post(url, data).status_code == 302
    psks.refresh_from_db()
    assert (psks.nama, psks.aktif, psks.status, psks.versi) == (
        "Karang Taruna Baru",
        False,
        "diajukan",
        2,
    )
    ubah = Riwayat.objects.get(objek_uuid=psks.uuid, aksi="ubah")
    assert ubah.perubahan["aktif"] == [True, False]
    assert Riwayat.objects.filter(objek_uuid=psks.uuid, aksi="transisi").exists()
    content = tksk.get(reverse("pendataan:psks-detail", args=[psks.uuid])).content.decode()
    assert "Karang Taruna Baru" in content and "Tidak aktif" in content


def test_stale_edit_keeps_input(world, tksk):
    psks = buat_psks(world, "pahandut")
    url = reverse("pendataan:psks-update", args=[psks.uuid])
    PSKS.objects.filter(pk=psks.pk).update(versi=5, nama="Nama dari orang lain")
    response = tksk.post(url, data_psks(world, nama="Nama ketikan saya", versi=1))
    content = response.content.decode()
    assert response.status_code == 200
    assert "telah diubah oleh" in content and "Nama ketikan saya" in content
    psks.refresh_from_db()
    assert psks.nama == "Nama dari orang lain"


def test_other_area_gets_404_and_kabupaten_may_not_edit(world, client):
    psks = buat_psks(world, "pahandut")
    client.force_login(world.users["tksk_selat"])
    assert client.get(reverse("pendataan:psks-detail", args=[psks.uuid])).status_code == 404
    url = reverse("pendataan:psks-update", args=[psks.uuid])
    assert client.post(url, data_psks(world, "selat", versi=1)).status_code == 404
    client.force_login(world.users["kab_palangkaraya"])
    assert client.get(reverse("pendataan:psks-detail", args=[psks.uuid])).status_code == 200
    assert client.post(url, data_psks(world, versi=1)).status_code == 403
    psks.refresh_from_db()
    assert psks.nama.startswith("Karang Taruna")


def test_list_scope_and_filters(world, tksk):
    own = buat_psks(world, "pahandut")
    other = buat_psks(world, "selat")
    nonaktif = buat_psks(world, "pahandut")
    PSKS.objects.filter(pk=nonaktif.pk).update(aktif=False, status="diajukan")
    content = tksk.get(LIST).content.decode()
    assert own.nama in content and nonaktif.nama in content and other.nama not in content
    content = tksk.get(LIST + "?aktif=tidak").content.decode()
    assert nonaktif.nama in content and own.nama not in content
    content = tksk.get(LIST + "?status=diajukan").content.decode()
    assert nonaktif.nama in content and own.nama not in content
    kategori = KategoriPSKS.objects.get(singkatan="LKS")
    assert own.nama not in tksk.get(LIST + f"?kategori={kategori.pk}").content.decode()
    content = tksk.get(LIST + f"?q={own.nama}").content.decode()
    assert own.nama in content and nonaktif.nama not in content
    for query in (
        f"?desa={world.desa['selat'].pk}",
        f"?desa={world.desa['pahandut'].pk}&desa={world.desa['selat'].pk}",
        f"?desa__kecamatan={world.kec['selat'].pk}",
    ):
        content = tksk.get(LIST + query).content.decode()
        assert other.nama not in content, query


def test_list_query_count_is_fixed(world, client, django_assert_num_queries):
    client.force_login(world.users["kab_palangkaraya"])
    buat_psks(world, "pahandut")
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for kec in ("pahandut", "jekanraya", "jekanraya", "pahandut"):
        buat_psks(world, kec)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert response.content.decode().count("list-group-item-action py-3") == 5


def test_province_lists_everything(world, client):
    a, b = buat_psks(world, "pahandut"), buat_psks(world, "selat")
    client.force_login(world.users["prov"])
    content = client.get(LIST).content.decode()
    assert a.nama in content and b.nama in content
