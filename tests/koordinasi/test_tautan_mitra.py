"""The partner link: works without an account, only with its own token and only for its own
referral; shows no personal data; expires; is rate-limited; every use is recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koordinasi.models import AksesTautan, RiwayatRujukan, Rujukan
from koordinasi.services import hash_token, token_tautan
from tests.koordinasi.test_surat import NIK, ppks_warga
from tests.matrix.koordinasi import buat_rujukan
from tksk.models import AuditLog

pytestmark = pytest.mark.django_db


def _url(rujukan):
    return reverse("koordinasi:rujukan-mitra", args=[token_tautan(rujukan)])


def _tandai(client, url, status, **extra):
    data = {"status": status, "tanggal": str(timezone.localdate()), "catatan": "", **extra}
    return client.post(url, data)


def test_partner_marks_received_without_login_and_sees_no_personal_data(world, client):
    rujukan = buat_rujukan(world, "pahandut", ppks=ppks_warga(world))
    url = _url(rujukan)
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert rujukan.nomor in body and "Fakir Miskin" in body and rujukan.layanan in body
    for secret in ("Siti Aminah", NIK, "6271********0001", "Jl. Seth Adji", rujukan.alasan):
        assert secret not in body, secret
    assert "no-store" in response["Cache-Control"]
    response = _tandai(client, url, "diterima", catatan="Diterima loket", nama_pengisi="Bu Rina")
    assert response.status_code == 302 and response["Location"] == url
    rujukan.refresh_from_db()
    assert rujukan.status == "diterima" and rujukan.dijawab_pada is not None
    langkah = RiwayatRujukan.objects.filter(rujukan=rujukan).latest("waktu")
    assert langkah.oleh_mitra and langkah.pelaku is None and langkah.nama_pengisi == "Bu Rina"
    assert list(
        AksesTautan.objects.filter(rujukan=rujukan).order_by("waktu").values_list("aksi", flat=True)
    ) == ["lihat", "ubah"]
    audit = AuditLog.objects.get(aksi="rujukan_status")
    assert audit.pelaku is None and audit.data["oleh_mitra"] is True and audit.alamat_ip
    # The TKSK sees who answered.
    client.force_login(world.users["tksk_pahandut"])
    detail = client.get(reverse("koordinasi:rujukan-detail", args=[rujukan.uuid])).content
    assert "melalui tautan" in detail.decode() and "Bu Rina" in detail.decode()


def test_done_through_the_link_closes_the_ppks_and_the_link(world, client):
    rujukan = buat_rujukan(world, "pahandut")
    url = _url(rujukan)
    assert _tandai(client, url, "selesai", catatan="Sudah dilayani").status_code == 302
    rujukan.refresh_from_db()
    rujukan.ppks.refresh_from_db()
    assert rujukan.status == "selesai" and rujukan.ppks.status_penanganan == "selesai"
    # The PPKS history names the sender and says it came from the partner.
    from pendataan.models import Riwayat

    riwayat = Riwayat.objects.filter(objek_uuid=rujukan.ppks.uuid).latest("waktu")
    assert riwayat.pelaku == world.users["tksk_pahandut"] and "tautan" in riwayat.catatan
    # Closed: the link no longer works (410), and nothing more is written.
    response = client.get(url)
    assert response.status_code == 410
    assert _tandai(client, url, "ditolak", catatan="x").status_code == 410
    assert rujukan.langkah.count() == 2


def test_wrong_token_is_404_and_logged(world, client):
    rujukan = buat_rujukan(world, "pahandut")
    token = token_tautan(rujukan)
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, token.upper()):
        assert client.get(reverse("koordinasi:rujukan-mitra", args=[wrong])).status_code == 404
        assert (
            _tandai(
                client, reverse("koordinasi:rujukan-mitra", args=[wrong]), "selesai"
            ).status_code
            == 404
        )
    rujukan.refresh_from_db()
    assert rujukan.status == "dikirim"
    assert AksesTautan.objects.filter(aksi="tidak_dikenal", rujukan=None).count() == 6


def test_a_token_acts_only_on_its_own_referral(world, client):
    a = buat_rujukan(world, "pahandut")
    b = buat_rujukan(world, "jekanraya")
    assert _tandai(client, _url(a), "diterima").status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "diterima" and b.status == "dikirim"
    body = client.get(_url(b)).content.decode()
    assert b.nomor in body and a.nomor not in body


def test_only_the_hash_is_stored(world):
    rujukan = buat_rujukan(world, "pahandut")
    token = token_tautan(rujukan)
    assert len(token) >= 43
    row = Rujukan.objects.filter(pk=rujukan.pk).values().get()
    assert token not in str(row)
    assert row["token_hash"] == hash_token(token) != token
    assert token not in str(list(AksesTautan.objects.values()))


def test_link_expires_after_60_days(world, client):
    rujukan = buat_rujukan(world, "pahandut")
    url = _url(rujukan)
    assert client.get(url).status_code == 200
    Rujukan.objects.filter(pk=rujukan.pk).update(
        tautan_berlaku_sampai=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(url).status_code == 410
    assert _tandai(client, url, "diterima").status_code == 410
    rujukan.refresh_from_db()
    assert rujukan.status == "dikirim"
    assert rujukan.tautan_berlaku_sampai - rujukan.dibuat_pada < timedelta(days=61)


def test_link_is_rate_limited(world, client, settings):
    settings.RUJUKAN_TAUTAN_BATAS_TOKEN = 5
    settings.RUJUKAN_TAUTAN_BATAS_IP = 8
    a = buat_rujukan(world, "pahandut")
    b = buat_rujukan(world, "pahandut")
    for _ in range(5):
        assert client.get(_url(a)).status_code == 200
    response = client.get(_url(a))
    assert response.status_code == 429 and response["Retry-After"]
    assert _tandai(client, _url(a), "diterima").status_code == 429
    a.refresh_from_db()
    assert a.status == "dikirim"
    # Per address as well: wrong tokens count, and then the other referral's link too.
    for _ in range(3):
        assert client.get(reverse("koordinasi:rujukan-mitra", args=["y" * 43])).status_code == 404
    assert client.get(_url(b)).status_code == 429


def test_logged_in_staff_get_the_same_partner_page(world, client):
    rujukan = buat_rujukan(world, "pahandut")
    client.force_login(world.users["tksk_selat"])
    assert client.get(_url(rujukan)).status_code == 200
    assert client.get(reverse("koordinasi:rujukan-mitra", args=["z" * 43])).status_code == 404


def test_after_a_secret_key_rotation_the_link_shown_is_renewed(world, client, settings):
    rujukan = buat_rujukan(world, "pahandut")
    lama = _url(rujukan)
    settings.SECRET_KEY = "kunci-baru-" + "x" * 50
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(reverse("koordinasi:rujukan-detail", args=[rujukan.uuid]))
    baru = response.context["tautan"]
    rujukan.refresh_from_db()
    assert baru.endswith(_url(rujukan)) and not baru.endswith(lama)
    client.logout()
    assert client.get(lama).status_code == 404
    assert client.get(_url(rujukan)).status_code == 200


def test_a_sensitive_category_is_named_only_to_a_partner_that_handles_such_cases(world, client):
    from koordinasi.models import Mitra
    from tests.matrix.koordinasi import buat_mitra
    from tests.matrix.ppks import buat_ppks

    odha = buat_ppks(world, "pahandut", "ODHA")
    umum = buat_mitra(world, "pahandut")
    rujukan = buat_rujukan(world, "pahandut", ppks=odha, mitra=umum)
    body = client.get(_url(rujukan)).content.decode()
    assert "Layanan perlindungan khusus" in body
    assert odha.kategori.nama not in body
    Mitra.objects.filter(pk=umum.pk).update(perlindungan_khusus=True)
    body = client.get(_url(rujukan)).content.decode()
    assert odha.kategori.nama in body and "Layanan perlindungan khusus" not in body
    # A non-sensitive category is always named.
    biasa = buat_rujukan(
        world, "pahandut", ppks=ppks_warga(world), mitra=buat_mitra(world, "pahandut")
    )
    assert "Fakir Miskin" in client.get(_url(biasa)).content.decode()
