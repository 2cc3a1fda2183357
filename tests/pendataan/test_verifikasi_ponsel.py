"""The verification inbox on a phone: newest first (oldest as a choice), filters by kecamatan
and desa, search by No KK or name (POST, so the number stays out of the URL), and the
Verifikasi/Kembalikan buttons in a bar that stays on screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pendataan.models import Keluarga
from tests.matrix.keluarga import anggota_data, buat_keluarga

INBOX = reverse("pendataan:verifikasi-list")


@pytest.fixture
def antrian(world):
    """Three submitted households: Pahandut (two days ago, yesterday), Jekan Raya (today)."""
    now = timezone.now()
    lama = buat_keluarga(world, "pahandut", anggota=[anggota_data("Ahmad Lama")])
    kemarin = buat_keluarga(world, "pahandut", anggota=[anggota_data("Bunga Kemarin")])
    hari_ini = buat_keluarga(world, "jekanraya", anggota=[anggota_data("Citra Hari Ini")])
    for kel, umur in ((lama, 2), (kemarin, 1), (hari_ini, 0)):
        Keluarga.objects.filter(pk=kel.pk).update(
            status="diajukan", diubah_pada=now - timedelta(days=umur)
        )
    return {"lama": lama, "kemarin": kemarin, "hari_ini": hari_ini}


def _urutan(html: str, names: list[str]) -> list[str]:
    present = [n for n in names if n in html]
    return sorted(present, key=html.index)


NAMA = ["Ahmad Lama", "Bunga Kemarin", "Citra Hari Ini"]


def test_newest_first_and_oldest_on_request(world, client, antrian):
    client.force_login(world.users["kab_palangkaraya"])
    html = client.get(INBOX).content.decode()
    assert _urutan(html, NAMA) == ["Citra Hari Ini", "Bunga Kemarin", "Ahmad Lama"]
    html = client.get(INBOX, {"urut": "lama"}).content.decode()
    assert _urutan(html, NAMA) == ["Ahmad Lama", "Bunga Kemarin", "Citra Hari Ini"]
    assert 'value="lama" selected' in html


def test_filter_by_kecamatan_and_desa(world, client, antrian):
    client.force_login(world.users["kab_palangkaraya"])
    html = client.get(INBOX, {"kecamatan": world.kec["jekanraya"].pk}).content.decode()
    assert _urutan(html, NAMA) == ["Citra Hari Ini"]
    html = client.get(INBOX, {"desa": world.desa["pahandut"].pk}).content.decode()
    assert _urutan(html, NAMA) == ["Bunga Kemarin", "Ahmad Lama"]
    # Another kabupaten's kecamatan is not a choice: nothing is listed, nothing leaks.
    response = client.get(INBOX, {"kecamatan": world.kec["selat"].pk})
    html = response.content.decode()
    assert response.status_code == 200 and _urutan(html, NAMA) == []
    assert "Saringan tidak valid" in html


def test_search_by_name_and_by_no_kk_via_post(world, client, antrian):
    client.force_login(world.users["kab_palangkaraya"])
    html = client.post(INBOX, {"q": "bunga"}).content.decode()
    assert _urutan(html, NAMA) == ["Bunga Kemarin"]
    no_kk = antrian["lama"].no_kk
    html = client.post(INBOX, {"q": no_kk}).content.decode()
    assert _urutan(html, NAMA) == ["Ahmad Lama"]
    assert "Hasil pencarian: 1 data" in html
    html = client.post(INBOX, {"q": no_kk[:8]}).content.decode()
    assert _urutan(html, NAMA) == [] and "16 digit lengkap" in html
    # The search form posts; the number never becomes part of a link on the page.
    assert f"q={no_kk}" not in html


def test_search_stays_in_scope(world, client, antrian):
    client.force_login(world.users["kab_kapuas"])
    html = client.post(INBOX, {"q": antrian["lama"].no_kk}).content.decode()
    assert _urutan(html, NAMA) == []


def test_action_bar_holds_both_buttons(world, client, antrian):
    client.force_login(world.users["kab_palangkaraya"])
    html = client.get(INBOX).content.decode()
    bar = html[html.index('data-testid="aksi-verifikasi"') :]
    bar = bar[: bar.index("</div>")]
    assert 'value="verifikasi"' in bar and 'value="kembalikan"' in bar
    assert "aksi-lekat" in html
