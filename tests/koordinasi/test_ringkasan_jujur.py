"""The koordinasi home says only true things: "every referral answered" only when none waits,
and "upcoming" compares date and time with now in Asia/Jakarta. The clock is frozen at
2 December 2026, 22:50 WIB (Django's clock, read by the views and the services alike)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from koordinasi.models import Rujukan
from tests.matrix.koordinasi import buat_kegiatan, buat_rujukan

WIB = ZoneInfo("Asia/Jakarta")
SEKARANG = datetime(2026, 12, 2, 22, 50, tzinfo=WIB)
HARI_INI = SEKARANG.date()


@pytest.fixture
def jam_beku(monkeypatch):
    beku = SEKARANG.astimezone(ZoneInfo("UTC"))  # 15:50 UTC: the UTC date is the same day
    monkeypatch.setattr(timezone, "now", lambda: beku)
    return beku


pytestmark = pytest.mark.django_db


def _beranda_koordinasi(client, user):
    client.force_login(user)
    return client.get(reverse("koordinasi:index"))


def test_a_new_unanswered_referral_is_not_reported_as_answered(world, client, jam_beku):
    user = world.users["tksk_pahandut"]
    halaman = _beranda_koordinasi(client, user).content.decode()
    assert "Semua rujukan sudah dijawab mitra." in halaman  # none sent: true

    baru = buat_rujukan(world, "pahandut", tanggal_kirim=HARI_INI)
    kemarin = buat_rujukan(world, "pahandut", tanggal_kirim=HARI_INI - timedelta(days=1))
    dijawab = buat_rujukan(world, "pahandut", tanggal_kirim=HARI_INI)
    Rujukan.objects.filter(pk=dijawab.pk).update(status="diterima")
    halaman = _beranda_koordinasi(client, user).content.decode()
    assert "Semua rujukan sudah dijawab mitra." not in halaman
    assert "2 rujukan masih menunggu jawaban mitra." in halaman
    # Neither is overdue yet, so neither is listed under "> 7 hari".
    assert baru.nomor not in halaman and kemarin.nomor not in halaman
    daftar = client.get(reverse("koordinasi:rujukan-list"), {"status": "dikirim"})
    assert {r.pk for r in daftar.context["page"]} == {baru.pk, kemarin.pk}

    # Once every one is answered, the message is true again.
    Rujukan.objects.filter(pk__in=[baru.pk, kemarin.pk]).update(status="diproses")
    halaman = _beranda_koordinasi(client, user).content.decode()
    assert "Semua rujukan sudah dijawab mitra." in halaman
    # Another kecamatan's waiting referral is not counted for this TKSK.
    buat_rujukan(world, "jekanraya", tanggal_kirim=HARI_INI)
    halaman = _beranda_koordinasi(client, user).content.decode()
    assert "Semua rujukan sudah dijawab mitra." in halaman


def test_upcoming_compares_date_and_time_in_jakarta(world, client, jam_beku):
    assert timezone.localdate() == HARI_INI and timezone.localtime().hour == 22
    pagi = buat_kegiatan(world, "pahandut", tanggal=HARI_INI, jam_mulai=time(9, 0), topik="Pagi")
    sore = buat_kegiatan(
        world,
        "pahandut",
        tanggal=HARI_INI,
        jam_mulai=time(16, 0),
        jam_selesai=time(18, 0),
        topik="Sore",
    )
    malam = buat_kegiatan(
        world, "pahandut", tanggal=HARI_INI, jam_mulai=time(23, 15), topik="Malam nanti"
    )
    berjalan = buat_kegiatan(
        world,
        "pahandut",
        tanggal=HARI_INI,
        jam_mulai=time(22, 0),
        jam_selesai=time(23, 30),
        topik="Sedang berjalan",
    )
    tanpa_jam = buat_kegiatan(world, "pahandut", tanggal=HARI_INI, topik="Hari ini tanpa jam")
    besok = buat_kegiatan(
        world, "pahandut", tanggal=HARI_INI + timedelta(days=1), jam_mulai=time(8, 0)
    )
    kemarin = buat_kegiatan(world, "pahandut", tanggal=HARI_INI - timedelta(days=1))

    response = _beranda_koordinasi(client, world.users["tksk_pahandut"])
    akan_datang = [k.pk for k in response.context["akan_datang"]]
    assert pagi.pk not in akan_datang and sore.pk not in akan_datang  # 09:00, 16–18: over
    assert kemarin.pk not in akan_datang
    # In time order; an activity of today without a time comes after the timed ones.
    assert akan_datang == [berjalan.pk, malam.pk, tanpa_jam.pk, besok.pk]
    halaman = response.content.decode()
    assert "Malam nanti" in halaman and "Pagi" not in halaman.split('id="h-akan-datang"')[1]


def test_upcoming_uses_jakarta_not_utc_across_midnight(world, client, monkeypatch):
    # 00:30 WIB on 3 December is still 2 December in UTC: yesterday's 23:00 is over.
    beku = datetime(2026, 12, 3, 0, 30, tzinfo=WIB).astimezone(ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: beku)
    kemarin_malam = buat_kegiatan(
        world, "pahandut", tanggal=date(2026, 12, 2), jam_mulai=time(23, 0)
    )
    pagi = buat_kegiatan(world, "pahandut", tanggal=date(2026, 12, 3), jam_mulai=time(1, 0))
    response = _beranda_koordinasi(client, world.users["tksk_pahandut"])
    assert [k.pk for k in response.context["akan_datang"]] == [pagi.pk]
    assert kemarin_malam.pk
