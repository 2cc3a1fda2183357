"""Small doors of the registry: the dashboards' coverage numbers link to the lists they count,
the menu has an entry for the registry, and the Django admin shows it scoped and read-only
with the NIK masked."""

import re

import pytest
from django.urls import reverse

from tenaga.services import profil_simpan
from tests.matrix.tenaga import buat_profil

pytestmark = pytest.mark.django_db
NIK = "6271015205900003"


def _tautan(page: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}" href="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_coverage_numbers_link_to_the_lists_they_count(client, world):
    buat_profil(world, "pahandut")
    buat_profil(world, "selat")
    profil_simpan(pelaku=world.users["admin"], data={"kecamatan": world.kec["jekanraya"],
                  "nama": "Berhenti", "jenis_kelamin": "L", "status": "diberhentikan"})  # fmt: skip
    client.force_login(world.users["kab_palangkaraya"])
    page = client.get(reverse("laporan:index")).content.decode()
    terisi = _tautan(page, "cakupan-terisi")
    assert "wilayah=62.71" in terisi and "status=aktif" in terisi
    daftar = client.get(terisi)
    nama = [p.nama for p in daftar.context["page"]]
    assert nama == ["TKSK Pahandut"]  # active, in the kabupaten: not Selat, not the dismissed one
    assert "Tenaga TKSK aktif · " in daftar.content.decode()
    # The province's per-kabupaten table: each count links to its kabupaten's list.
    client.force_login(world.users["prov"])
    page = client.get(reverse("laporan:index")).content.decode()
    assert f"{reverse('tenaga:profil-list')}?wilayah=62.03&amp;status=aktif" in page
    daftar = client.get(reverse("tenaga:profil-list"), {"wilayah": "62.03", "status": "aktif"})
    assert [p.nama for p in daftar.context["page"]] == ["TKSK Selat"]
    # Another area's code never widens a kabupaten's list.
    client.force_login(world.users["kab_palangkaraya"])
    daftar = client.get(reverse("tenaga:profil-list"), {"wilayah": "62.03"})
    assert "TKSK Selat" not in daftar.content.decode()


def test_menu_has_the_registry(client, world):
    for username in ("tksk_pahandut", "kab_palangkaraya", "prov"):
        client.force_login(world.users[username])
        page = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("tenaga:profil-list")}"' in page


def test_admin_lists_profiles_scoped_read_only_and_masked(client, world):
    profil = buat_profil(world, "pahandut", nik=NIK)
    admin = world.users["admin"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    daftar = client.get("/admin/tenaga/profiltksk/")
    assert daftar.status_code == 200
    page = daftar.content.decode()
    assert profil.nama in page and "6271********0003" in page and NIK not in page
    detail = client.get(f"/admin/tenaga/profiltksk/{profil.pk}/change/")
    assert detail.status_code == 200 and NIK not in detail.content.decode()
    assert client.get("/admin/tenaga/profiltksk/add/").status_code == 403
    for model in ("sktksk", "penugasan", "bimtek", "pesertabimtek", "usulanperubahan"):
        assert client.get(f"/admin/tenaga/{model}/").status_code == 200, model
