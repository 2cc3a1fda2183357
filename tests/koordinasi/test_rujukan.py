"""Referrals: numbering, the status flow with its steps, the PPKS handling status that follows,
and referrals left unanswered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koordinasi.models import RiwayatRujukan, Rujukan
from koordinasi.services import BULAN_ROMAWI
from tests.matrix.koordinasi import buat_mitra, buat_rujukan
from tests.matrix.ppks import buat_ppks

pytestmark = pytest.mark.django_db


def _kirim(client, ppks, mitra, **extra):
    data = {
        "mitra": mitra.pk,
        "alasan": "Anak putus sekolah karena biaya.",
        "layanan": "Bantuan pendidikan (PIP)",
        "urgensi": "biasa",
        "tanggal_kirim": str(timezone.localdate()),
        "penandatangan_nama": "Rahmat Hidayat",
        "penandatangan_jabatan": "TKSK Kecamatan Pahandut",
        "penandatangan_nip": "",
    }
    data.update(extra)
    return client.post(reverse("koordinasi:rujukan-create", args=[ppks.uuid]), data)


def test_referral_is_numbered_per_kecamatan_and_year_and_marks_the_ppks(world, client):
    mitra = buat_mitra(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    pertama, kedua = buat_ppks(world, "pahandut"), buat_ppks(world, "pahandut")
    assert _kirim(client, pertama, mitra).status_code == 302
    assert _kirim(client, kedua, mitra).status_code == 302
    today = timezone.localdate()
    suffix = f"/RUJ/62.71.01/{BULAN_ROMAWI[today.month - 1]}/{today.year}"
    nomor = list(Rujukan.objects.order_by("nomor_urut").values_list("nomor", flat=True))
    assert nomor == [f"001{suffix}", f"002{suffix}"]
    pertama.refresh_from_db()
    assert pertama.status_penanganan == "dirujuk"
    # The PPKS history says why (written by the pendataan service).
    from pendataan.models import Riwayat

    riwayat = Riwayat.objects.filter(objek_uuid=pertama.uuid).latest("waktu")
    assert riwayat.perubahan == {"status_penanganan": ["belum", "dirujuk"]}
    assert f"001{suffix}" in riwayat.catatan
    # Another kecamatan has its own sequence.
    lain = buat_rujukan(world, "jekanraya")
    assert lain.nomor == f"001/RUJ/62.71.03/{BULAN_ROMAWI[today.month - 1]}/{today.year}"
    langkah = RiwayatRujukan.objects.get(rujukan__nomor=f"001{suffix}")
    assert langkah.status_ke == "dikirim" and langkah.pelaku == world.users["tksk_pahandut"]


def test_missing_fields_are_explained_and_nothing_is_sent(world, client):
    ppks = buat_ppks(world, "pahandut")
    mitra = buat_mitra(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    response = _kirim(client, ppks, mitra, alasan="", layanan="Layanan yang diketik")
    assert response.status_code == 200
    assert "alasan" in response.context["form"].errors
    assert "Layanan yang diketik" in response.content.decode()
    assert not Rujukan.objects.exists()
    ppks.refresh_from_db()
    assert ppks.status_penanganan == "belum"


def test_partner_of_another_kecamatan_cannot_be_chosen(world, client):
    ppks = buat_ppks(world, "pahandut")
    asing = buat_mitra(world, "jekanraya")
    client.force_login(world.users["tksk_pahandut"])
    response = _kirim(client, ppks, asing)
    assert response.status_code == 200 and "mitra" in response.context["form"].errors
    assert not Rujukan.objects.exists()


def _status(client, rujukan, status, catatan="", tanggal=None):
    rujukan.refresh_from_db()
    return client.post(
        reverse("koordinasi:rujukan-status", args=[rujukan.uuid]),
        {
            "status": status,
            "tanggal": str(tanggal or timezone.localdate()),
            "catatan": catatan,
            "versi": rujukan.versi,
        },
    )


def test_status_flow_to_done_closes_the_ppks(world, client):
    rujukan = buat_rujukan(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    for status in ("diterima", "diproses", "selesai"):
        assert _status(client, rujukan, status, catatan=f"catatan {status}").status_code == 302
    rujukan.refresh_from_db()
    assert rujukan.status == "selesai" and rujukan.ditutup_pada is not None
    langkah = list(rujukan.langkah.values_list("status_dari", "status_ke", "catatan"))
    assert langkah == [
        ("", "dikirim", ""),
        ("dikirim", "diterima", "catatan diterima"),
        ("diterima", "diproses", "catatan diproses"),
        ("diproses", "selesai", "catatan selesai"),
    ]
    rujukan.ppks.refresh_from_db()
    assert rujukan.ppks.status_penanganan == "selesai"
    # Closed: no step back.
    response = _status(client, rujukan, "diterima")
    assert response.status_code == 302
    rujukan.refresh_from_db()
    assert rujukan.status == "selesai" and rujukan.langkah.count() == 4


def test_refusal_needs_a_reason_and_returns_the_ppks_to_handling(world, client):
    rujukan = buat_rujukan(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    response = _status(client, rujukan, "ditolak")
    assert response.status_code == 400
    assert "Tuliskan alasan penolakan." in response.content.decode()
    assert _status(client, rujukan, "ditolak", catatan="Bukan wilayah layanan").status_code == 302
    rujukan.ppks.refresh_from_db()
    assert rujukan.ppks.status_penanganan == "dalam"


def test_impossible_steps_and_dates_are_refused(world, client):
    rujukan = buat_rujukan(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    besok = timezone.localdate() + timedelta(days=1)
    assert _status(client, rujukan, "diterima", tanggal=besok).status_code == 400
    kemarin = rujukan.tanggal_kirim - timedelta(days=1)
    assert _status(client, rujukan, "diterima", tanggal=kemarin).status_code == 400
    assert _status(client, rujukan, "dikirim").status_code == 400
    rujukan.refresh_from_db()
    assert rujukan.status == "dikirim" and rujukan.langkah.count() == 1


def test_province_sees_but_does_not_act(world, client):
    rujukan = buat_rujukan(world, "pahandut")
    client.force_login(world.users["prov"])
    assert client.get(reverse("koordinasi:rujukan-detail", args=[rujukan.uuid])).status_code == 200
    assert _status(client, rujukan, "diterima").status_code == 403
    rujukan.refresh_from_db()
    assert rujukan.status == "dikirim"


def test_referral_of_a_sensitive_category_stays_in_the_chain(world, client):
    ppks = buat_ppks(world, "pahandut", singkatan="ODHA")
    rujukan = buat_rujukan(world, "pahandut", ppks=ppks)
    url = reverse("koordinasi:rujukan-detail", args=[rujukan.uuid])
    for username, status in [("tksk_pahandut", 200), ("kab_palangkaraya", 200), ("prov", 404)]:
        client.force_login(world.users[username])
        assert client.get(url).status_code == status, username
    client.force_login(world.users["prov"])
    assert rujukan.nomor not in client.get(reverse("koordinasi:rujukan-list")).content.decode()


@pytest.mark.parametrize("batas", [7, 3])
def test_unanswered_referrals_are_flagged_for_tksk_and_kabupaten(world, client, settings, batas):
    settings.RUJUKAN_BATAS_HARI = batas
    lama = buat_rujukan(world, "pahandut")
    baru = buat_rujukan(world, "pahandut")
    dijawab = buat_rujukan(world, "pahandut")
    hari = timezone.localdate() - timedelta(days=batas)
    Rujukan.objects.filter(pk__in=[lama.pk, dijawab.pk]).update(tanggal_kirim=hari)
    Rujukan.objects.filter(pk=baru.pk).update(tanggal_kirim=hari + timedelta(days=1))
    Rujukan.objects.filter(pk=dijawab.pk).update(status="diterima")
    for username in ("tksk_pahandut", "kab_palangkaraya"):
        client.force_login(world.users[username])
        home = client.get(reverse("home")).content.decode()
        assert 'data-testid="panel-rujukan-tanpa-jawaban"' in home
        assert f"lebih dari {batas} hari" in home
        assert lama.nomor in home and baru.nomor not in home and dijawab.nomor not in home
        daftar = client.get(reverse("koordinasi:rujukan-list"), {"status": "tanpa_jawaban"})
        assert [r.pk for r in daftar.context["page"]] == [lama.pk]
    client.force_login(world.users["tksk_jekanraya"])
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="panel-rujukan-tanpa-jawaban"' not in home


def test_referral_list_has_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    client.force_login(world.users["tksk_pahandut"])
    mitra = buat_mitra(world, "pahandut")
    buat_rujukan(world, "pahandut", mitra=mitra)
    url = reverse("koordinasi:rujukan-list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(6):
        buat_rujukan(world, "pahandut", mitra=mitra)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 7


@pytest.mark.django_db(transaction=True)
def test_simultaneous_referrals_get_distinct_numbers(world):
    """Numbers are taken under a row lock: referrals sent at the same moment never collide."""
    import threading

    from django.db import connection

    mitra = buat_mitra(world, "pahandut")
    ppks = [buat_ppks(world, "pahandut") for _ in range(4)]
    mulai = threading.Barrier(len(ppks))
    hasil, galat = [], []

    def kirim(p):
        try:
            mulai.wait()
            hasil.append(buat_rujukan(world, "pahandut", ppks=p, mitra=mitra).nomor_urut)
        except Exception as exc:
            galat.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=kirim, args=(p,)) for p in ppks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert galat == []
    assert sorted(hasil) == [1, 2, 3, 4]
