"""Household points: only the TKSK of the kecamatan and its kabupaten, one desa at a time, never
a household touched by a sensitive PPKS category, every view in the audit log."""

import re

import pytest
from django.urls import reverse

from pendataan.models import PPKS, Keluarga
from tests.matrix.ppks import buat_keluarga, buat_ppks
from tksk.models import AuditLog, KategoriPPKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def titik(world):
    """Three households of Pahandut's first desa with GPS: a plain one, one whose member has an
    ODHA record, one with a household-level KPO record; one without GPS."""
    polos, _ = buat_keluarga(world, "pahandut")
    odha = buat_ppks(world, "pahandut", "ODHA")
    kpo_kel, _ = buat_keluarga(world, "pahandut")
    PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="KPO"),
        subjek="keluarga",
        keluarga=kpo_kel,
        desa=kpo_kel.desa,
        tanggal_identifikasi="2025-01-15",
        dibuat_oleh=world.users["tksk_pahandut"],
    )
    tanpa, _ = buat_keluarga(world, "pahandut")
    ids = [polos.pk, odha.individu.keluarga_id, kpo_kel.pk]
    Keluarga.objects.filter(pk__in=ids).update(latitude="-2.2100", longitude="113.9200")
    return world.desa["pahandut"]


def _url(desa):
    return reverse("peta:titik-desa", args=[desa.kode])


def _jumlah_titik(content: bytes) -> int:
    svg = re.search(r'<figure[^>]*data-testid="peta-titik".*?</figure>', content.decode(), re.S)
    return svg.group(0).count("<circle")


@pytest.mark.parametrize("username", ["tksk_pahandut", "kab_palangkaraya"])
def test_the_tksk_and_their_kabupaten_see_points_without_sensitive_households(
    client, world, titik, username
):
    client.force_login(world.users[username])
    sebelum = AuditLog.objects.filter(aksi="peta.titik_keluarga").count()
    r = client.get(_url(titik))
    assert r.status_code == 200
    assert _jumlah_titik(r.content) == 1  # the ODHA and KPO households are left out
    log = AuditLog.objects.filter(aksi="peta.titik_keluarga").order_by("-pk")
    assert log.count() == sebelum + 1
    assert log[0].pelaku == world.users[username] and log[0].data["desa"] == titik.kode
    assert log[0].data["jumlah"] == 1


@pytest.mark.parametrize(
    "username,status",
    [
        ("kab_kapuas", 404),  # a kabupaten of another area
        ("tksk_jekanraya", 404),  # the TKSK of a neighbouring kecamatan
        ("prov", 403),  # the province: in scope, but never points
        ("admin", 403),
    ],
)
def test_others_get_no_points_and_nothing_is_logged(client, world, titik, username, status):
    client.force_login(world.users[username])
    r = client.get(_url(titik))
    assert r.status_code == status
    assert b"<circle" not in r.content
    assert not AuditLog.objects.filter(aksi="peta.titik_keluarga").exists()


def test_points_only_for_a_single_desa(client, world, titik):
    client.force_login(world.users["tksk_pahandut"])
    kec = world.kec["pahandut"]
    assert client.get(reverse("peta:titik-desa", args=[kec.kode])).status_code == 404
    assert not AuditLog.objects.filter(aksi="peta.titik_keluarga").exists()


def test_the_desa_dashboard_links_to_points_only_for_those_who_may_see_them(client, world, titik):
    path = reverse("laporan:wilayah", args=[titik.kode])
    for username, ada in (("tksk_pahandut", True), ("kab_palangkaraya", True), ("prov", False)):
        client.force_login(world.users[username])
        r = client.get(path)
        assert r.status_code == 200
        assert (_url(titik) in r.content.decode()) is ada, username
        assert b"<circle" not in r.content  # the dashboard itself never draws points
    assert not AuditLog.objects.filter(aksi="peta.titik_keluarga").exists()


def test_offline_kecamatan_map_is_the_tksks_own_and_cacheable(client, world):
    url = reverse("peta:kecamatan-svg")
    client.force_login(world.users["tksk_pahandut"])
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("image/svg+xml")
    assert r["ETag"]
    svg = r.content.decode()
    desa = list(world.kec["pahandut"].anak.values_list("kode", flat=True))
    assert sorted(re.findall(r'data-wilayah="([^"]+)"', svg)) == sorted(desa)
    assert "<circle" not in svg and "keluarga" not in svg.lower()
    again = client.get(url, HTTP_IF_NONE_MATCH=r["ETag"])
    assert again.status_code == 304
    client.force_login(world.users["tksk_selat"])
    lain = client.get(url).content.decode()
    assert not set(re.findall(r'data-wilayah="([^"]+)"', lain)) & set(desa)
    for username in ("kab_palangkaraya", "prov", "admin"):
        client.force_login(world.users[username])
        assert client.get(url).status_code == 403, username
    client.force_login(world.users["unassigned"])  # no assignment sees nothing
    kosong = client.get(url)
    assert kosong.status_code == 200 and b"data-wilayah" not in kosong.content
