"""Sensitive PPKS categories: identities only inside the recording kecamatan's chain (its TKSK,
its kabupaten, the system admin); counts outside it suppressed below 5."""

import pytest
from django.urls import reverse

from pendataan.selectors_ppks import ppks_visible
from tests.matrix.ppks import buat_ppks
from tksk.models import AuditLog
from tksk.privasi import tampil

pytestmark = pytest.mark.django_db

LIST = reverse("pendataan:ppks-list")


@pytest.fixture
def odha(world):
    ppks = buat_ppks(world, "pahandut", "ODHA")
    ppks.individu.nama = "Nama Rahasia"
    ppks.individu.save()
    return ppks


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("tksk_pahandut", True),
        ("kab_palangkaraya", True),
        ("admin", True),
        ("prov", False),
        ("tksk_jekanraya", False),  # same kabupaten, other kecamatan: not in the chain
        ("kab_kapuas", False),  # the other kabupaten
        ("unassigned", False),
    ],
)
def test_sensitive_record_in_list_and_detail(world, client, odha, username, sees):
    client.force_login(world.users[username])
    content = client.get(LIST).content.decode()
    assert ("Nama Rahasia" in content) is sees
    detail = client.get(reverse("pendataan:ppks-detail", args=[odha.uuid]))
    assert detail.status_code == (200 if sees else 404)
    # A search by name does not find it either.
    found = client.get(LIST + "?q=Rahasia").content.decode()
    assert ("Nama Rahasia" in found) is sees
    assert ppks_visible(world.users[username]).filter(pk=odha.pk).exists() is sees


def test_province_still_sees_non_sensitive_records(world, client, odha):
    biasa = buat_ppks(world, "pahandut", "FM")
    client.force_login(world.users["prov"])
    assert client.get(reverse("pendataan:ppks-detail", args=[biasa.uuid])).status_code == 200
    content = client.get(LIST).content.decode()
    assert biasa.individu.nama in content
    assert 'data-testid="catatan-sensitif"' in content


def test_province_cannot_reach_sensitive_record_by_filter_or_other_urls(world, client, odha):
    client.force_login(world.users["prov"])
    content = client.get(LIST + f"?kategori={odha.kategori_id}").content.decode()
    assert "Nama Rahasia" not in content
    for name in ("pendataan:ppks-penanganan",):
        assert client.post(
            reverse(name, args=[odha.uuid]), {"status_penanganan": "selesai"}
        ).status_code in (403, 404)


def test_opening_a_sensitive_record_is_audited(world, client, odha):
    client.force_login(world.users["kab_palangkaraya"])
    client.get(reverse("pendataan:ppks-detail", args=[odha.uuid]))
    log = AuditLog.objects.get(aksi="lihat_ppks_sensitif")
    assert log.pelaku == world.users["kab_palangkaraya"] and log.objek_uuid == odha.uuid


def _rekap(content: str, singkatan: str) -> str:
    marker = f'data-kategori="{singkatan}">'
    start = content.index(marker) + len(marker)
    return content[start : content.index("<", start)]


def test_counts_below_five_are_suppressed_outside_the_chain(world, client):
    for _ in range(3):
        buat_ppks(world, "pahandut", "ODHA")
    for _ in range(6):
        buat_ppks(world, "selat", "NAPZA")
    buat_ppks(world, "pahandut", "FM")
    client.force_login(world.users["prov"])
    content = client.get(LIST).content.decode()
    assert _rekap(content, "ODHA") == "&lt;5"
    assert _rekap(content, "NAPZA") == "6"  # five or more: shown
    assert _rekap(content, "KPO") == "&lt;5"  # none looks like a few
    assert _rekap(content, "FM") == "1"  # not sensitive: exact
    client.force_login(world.users["kab_palangkaraya"])
    content = client.get(LIST).content.decode()
    assert _rekap(content, "ODHA") == "3"
    assert _rekap(content, "NAPZA") == "0"  # other kabupaten: not counted at all


def test_counts_follow_the_area_filter(world, client):
    for _ in range(2):
        buat_ppks(world, "pahandut", "ODHA")
    buat_ppks(world, "jekanraya", "FM")
    client.force_login(world.users["kab_palangkaraya"])
    content = client.get(LIST + f"?desa__kecamatan={world.kec['jekanraya'].pk}").content.decode()
    assert _rekap(content, "ODHA") == "0" and _rekap(content, "FM") == "1"


def test_small_counts_of_sensitive_categories_are_hidden_outside_the_chain(world):
    prov, tksk, admin = (world.users[u] for u in ("prov", "tksk_pahandut", "admin"))
    assert tampil(3, sensitif=True, user=prov) == "<5"
    assert tampil(0, sensitif=True, user=prov) == "<5"
    assert tampil(5, sensitif=True, user=prov) == 5
    assert tampil(3, sensitif=False, user=prov) == 3
    assert tampil(3, sensitif=True, user=tksk) == 3
    assert tampil(1, sensitif=True, user=admin) == 1


@pytest.mark.django_db
def test_household_page_never_shows_sensitive_ppks_to_the_province(client, world):
    """Every door uses PPKS.objects.for_user, so the household page cannot leak either."""
    from pendataan.models import PPKS, Individu, Keluarga
    from tksk.models import KategoriPPKS

    keluarga = Keluarga.objects.create(desa=world.desa["selat"], alamat="Jl. Sensitif 1")
    orang = Individu.objects.create(
        keluarga=keluarga,
        desa=keluarga.desa,
        nama="Nama Rahasia Odha",
        jenis_kelamin="L",
        hubungan="kepala_keluarga",
        alasan_tanpa_nik="lainnya",
    )
    PPKS.objects.create(
        desa=keluarga.desa,
        kategori=KategoriPPKS.objects.get(singkatan="ODHA"),
        subjek="individu",
        individu=orang,
        tanggal_identifikasi="2026-10-01",
    )
    url = f"/pendataan/keluarga/{keluarga.uuid}/"
    client.force_login(world.users["kab_kapuas"])
    assert "Orang dengan HIV/AIDS" in client.get(url).content.decode()
    client.force_login(world.users["prov"])
    page = client.get(url).content.decode()
    assert "Orang dengan HIV/AIDS" not in page and "ODHA" not in page
    assert PPKS.objects.for_counting(world.users["prov"]).filter(individu=orang).count() == 1
