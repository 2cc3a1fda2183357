"""The monthly report invites only right reports: it opens on the month that is due, a month
that has not ended cannot be submitted (nor accepted), submitting asks for confirmation first,
and the form's sections are lettered once each, in order, all open. Django's clock is frozen
where the day matters."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from laporan.models import LaporanBulanan, StatusLaporan

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def _beku(monkeypatch, *waktu):
    saat = datetime(*waktu, tzinfo=WIB)
    monkeypatch.setattr(timezone, "now", lambda: saat)


def _nilai_bulan(client, user) -> str:
    client.force_login(user)  # a session of the frozen day
    response = client.get(reverse("laporan:bulanan-list"))
    assert response.status_code == 200, response.get("Location")
    html = response.content.decode()
    return re.search(r'id="id_bulan" name="bulan" value="([^"]+)"', html).group(1)


def test_opens_on_the_month_that_is_due(client, world, monkeypatch, settings):
    tksk = world.users["tksk_pahandut"]
    _beku(monkeypatch, 2026, 12, 2, 9, 0)
    assert _nilai_bulan(client, tksk) == "2026-11"  # November's report is due until 10 December
    _beku(monkeypatch, 2026, 12, 10, 23, 0)
    assert _nilai_bulan(client, tksk) == "2026-11"
    _beku(monkeypatch, 2026, 12, 11, 8, 0)
    assert _nilai_bulan(client, tksk) == "2026-12"
    settings.LAPORAN_BATAS_HARI = 15
    assert _nilai_bulan(client, tksk) == "2026-11"
    _beku(monkeypatch, 2027, 1, 3, 8, 0)
    settings.LAPORAN_BATAS_HARI = 10
    assert _nilai_bulan(client, tksk) == "2026-12"


def test_a_month_not_ended_is_kept_as_draft_and_cannot_be_submitted_or_accepted(
    client, world, monkeypatch
):
    _beku(monkeypatch, 2026, 12, 2, 9, 0)
    tksk = world.users["tksk_pahandut"]
    client.force_login(tksk)
    client.post(reverse("laporan:bulanan-buka"), {"bulan": "2026-12"})
    laporan = LaporanBulanan.objects.get(tksk=tksk, bulan="2026-12-01")
    ubah = reverse("laporan:bulanan-ubah", args=[laporan.uuid])
    form = client.get(ubah).content.decode()
    assert "baru dapat diajukan setelah bulan itu berakhir, mulai 1 Januari 2027" in form
    assert re.search(r'data-testid="ajukan"[^>]*disabled', form)
    data = {"kendala": "Catatan awal", "versi": laporan.versi, "ajukan": "1"}
    response = client.post(ubah, data, follow=True)
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DRAF and laporan.kendala == "Catatan awal"
    assert not laporan.dibekukan_pada and laporan.data == {}
    assert "Draf disimpan. Laporan Desember 2026 baru dapat diajukan" in response.content.decode()
    # A hand-made confirmation is refused by the service too.
    ajukan = reverse("laporan:bulanan-ajukan", args=[laporan.uuid])
    assert 'data-testid="ajukan-konfirmasi"' not in client.get(ajukan).content.decode()
    response = client.post(ajukan, {"konfirmasi": "1", "versi": laporan.versi}, follow=True)
    assert "baru dapat diajukan setelah bulan itu berakhir" in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DRAF and not laporan.dibekukan_pada
    # A report of December marked submitted (old data): the kabupaten cannot accept it.
    LaporanBulanan.objects.filter(pk=laporan.pk).update(status=StatusLaporan.DIAJUKAN)
    client.force_login(world.users["kab_palangkaraya"])
    tinjau = reverse("laporan:bulanan-tinjau", args=[laporan.uuid])
    response = client.post(tinjau, {"keputusan": "terima", "catatan": ""})
    assert response.status_code == 400
    assert "belum berakhir tidak dapat diterima" in response.content.decode()
    assert LaporanBulanan.objects.get(pk=laporan.pk).status == StatusLaporan.DIAJUKAN
    # Once December is over it can be submitted.
    LaporanBulanan.objects.filter(pk=laporan.pk).update(status=StatusLaporan.DRAF)
    _beku(monkeypatch, 2027, 1, 1, 0, 5)
    client.force_login(tksk)
    laporan.refresh_from_db()
    client.post(ajukan, {"konfirmasi": "1", "versi": laporan.versi})
    assert LaporanBulanan.objects.get(pk=laporan.pk).status == StatusLaporan.DIAJUKAN


def test_submitting_freezes_only_after_confirmation(client, world, monkeypatch):
    _beku(monkeypatch, 2026, 12, 2, 9, 0)
    tksk = world.users["tksk_pahandut"]
    client.force_login(tksk)
    client.post(reverse("laporan:bulanan-buka"), {"bulan": "2026-11"})
    laporan = LaporanBulanan.objects.get(tksk=tksk, bulan="2026-11-01")
    ubah = reverse("laporan:bulanan-ubah", args=[laporan.uuid])
    ajukan = reverse("laporan:bulanan-ajukan", args=[laporan.uuid])
    response = client.post(ubah, {"kendala": "Sinyal lemah", "versi": laporan.versi, "ajukan": 1})
    assert response["Location"] == ajukan
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DRAF and not laporan.dibekukan_pada
    halaman = client.get(ajukan).content.decode()
    assert "akan <b>dibekukan</b>" in halaman and 'data-testid="ringkasan-laporan"' in halaman
    assert "Sinyal lemah" in halaman
    # A POST without the confirmation (an old form) only shows the confirmation page.
    assert client.post(ajukan, {"versi": laporan.versi})["Location"] == ajukan
    assert LaporanBulanan.objects.get(pk=laporan.pk).status == StatusLaporan.DRAF
    client.post(ajukan, {"konfirmasi": "1", "versi": laporan.versi})
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DIAJUKAN and laporan.dibekukan_pada
    # Another TKSK may not see the confirmation page.
    client.force_login(world.users["kab_palangkaraya"])
    assert client.get(ajukan).status_code == 403


def test_form_sections_are_lettered_once_in_order_and_open(client, world, monkeypatch):
    _beku(monkeypatch, 2026, 12, 2, 9, 0)
    client.force_login(world.users["tksk_pahandut"])
    client.post(reverse("laporan:bulanan-buka"), {"bulan": "2026-11"})
    laporan = LaporanBulanan.objects.get()
    html = client.get(reverse("laporan:bulanan-ubah", args=[laporan.uuid])).content.decode()
    judul = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    bagian = [j for j in judul if re.match(r"[A-Z]\. ", j)]
    assert [b[0] for b in bagian] == list("ABCDEFG"), judul
    assert "<details" not in html  # A–D are not collapsed
    label = re.findall(r'<label class="form-label"[^>]*>([^<]+)</label>', html)
    assert not [x for x in label if re.match(r"[A-Z]\. ", x)], label  # letters only in headings
    # Each written field sits under its own section heading, once.
    for teks in ("E. Pendampingan program", "F. Kejadian khusus/bencana"):
        assert html.count(f"<h2>{teks}</h2>") == 1
    e, f, g = (html.index(f"<h2>{x}") for x in ("E.", "F.", "G."))
    assert e < html.index('name="pendampingan_program"') < f
    assert f < html.index('name="kejadian_khusus"') < g < html.index('name="kendala"')


def test_tksk_dashboard_offers_the_report_that_is_due(client, world, monkeypatch):
    _beku(monkeypatch, 2026, 12, 2, 9, 0)
    client.force_login(world.users["tksk_pahandut"])
    html = client.get(reverse("laporan:index")).content.decode()
    assert "Laporan bulanan November 2026" in html
    assert '<input type="hidden" name="bulan" value="2026-11">' in html
    # A month chosen on the dashboard is that month.
    html = client.get(reverse("laporan:index"), {"periode": "2026-10"}).content.decode()
    assert '<input type="hidden" name="bulan" value="2026-10">' in html
