"""TKSK profiles through the views: NIK masked, who may change what, proposals, assignment
history when an account moves, SK rules, coverage on the kecamatan page and dashboards."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tenaga.models import SKTKSK, Penugasan, ProfilTKSK, UsulanPerubahan
from tests.matrix.tenaga import buat_profil

pytestmark = pytest.mark.django_db
NIK = "6271015205900003"  # born 12-05-1990, female


def _buat(client, world, **extra):
    client.force_login(world.users["prov"])
    data = {
        "akun": world.users["tksk_pahandut"].pk,
        "nama": "Rina Susanti",
        "nik": NIK,
        "jenis_kelamin": "P",
        "tanggal_lahir": "1990-05-12",
        "asal": "karang_taruna",
        "asal_organisasi": "Karang Taruna Bina Warga",
        "tahun_rekrut": "2012",
        "telepon": "0812-3456-7890",
        **extra,
    }
    return client.post(reverse("tenaga:profil-create"), data)


def test_province_creates_a_profile_and_the_nik_is_masked_everywhere(client, world):
    response = _buat(client, world)
    assert response.status_code == 302
    profil = ProfilTKSK.objects.get()
    assert profil.kecamatan == world.kec["pahandut"] and profil.nik == NIK
    assert Penugasan.objects.get(profil=profil).kecamatan == world.kec["pahandut"]
    for path in (
        reverse("tenaga:profil-detail", args=[profil.uuid]),
        reverse("tenaga:profil-update", args=[profil.uuid]),
    ):
        page = client.get(path).content.decode()
        assert NIK not in page
    assert (
        "6271********0003"
        in client.get(reverse("tenaga:profil-detail", args=[profil.uuid])).content.decode()
    )


def test_bad_nik_is_refused_with_a_message_and_the_typing_kept(client, world):
    response = _buat(client, world, nik="62710152059000AB")
    assert response.status_code == 200
    page = response.content.decode()
    assert "hanya boleh berisi angka" in page and "Rina Susanti" in page
    assert not ProfilTKSK.objects.exists()


def test_nik_birth_date_mismatch_is_only_a_warning(client, world):
    response = _buat(client, world, tanggal_lahir="1991-05-12")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "berbeda dengan tanggal lahir" in page


def test_kabupaten_and_tksk_cannot_create_or_edit(client, world):
    profil = buat_profil(world, "pahandut")
    for username in ("tksk_pahandut", "kab_palangkaraya"):
        client.force_login(world.users[username])
        assert client.get(reverse("tenaga:profil-create")).status_code == 403
        assert client.get(reverse("tenaga:profil-update", args=[profil.uuid])).status_code == 403


def test_tksk_edits_own_contact_only(client, world):
    profil = buat_profil(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    path = reverse("tenaga:kontak-ubah", args=[profil.uuid])
    response = client.post(
        path,
        {"telepon": "0813-1111-2222", "email": "rina@example.org", "alamat": "Jl. Kinibalu",
         "nama": "Nama Lain", "versi": profil.versi},
    )  # fmt: skip
    assert response.status_code == 302
    profil.refresh_from_db()
    assert profil.telepon.startswith("0813") and profil.nama == "TKSK Pahandut"
    # The kabupaten sees the profile but may not use the TKSK's own contact form.
    client.force_login(world.users["kab_palangkaraya"])
    assert client.get(reverse("tenaga:profil-detail", args=[profil.uuid])).status_code == 200
    assert client.get(path).status_code == 403


def test_a_stale_contact_form_is_refused_with_the_shared_message(client, world):
    profil = buat_profil(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    path = reverse("tenaga:kontak-ubah", args=[profil.uuid])
    data = {"telepon": "0813-1111-2222", "email": "", "alamat": "", "versi": profil.versi}
    assert client.post(path, data).status_code == 302
    response = client.post(path, {**data, "telepon": "0813-3333-4444"})  # the old form again
    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    profil.refresh_from_db()
    assert "1111" in profil.telepon and "3333" not in profil.telepon


def test_a_tksk_sees_only_their_own_profile(client, world):
    sendiri = buat_profil(world, "pahandut")
    lain = buat_profil(world, "jekanraya")
    client.force_login(world.users["tksk_pahandut"])
    page = client.get(reverse("tenaga:profil-list")).content.decode()
    assert sendiri.nama in page and lain.nama not in page
    assert client.get(reverse("tenaga:profil-detail", args=[lain.uuid])).status_code == 404


def test_kabupaten_proposes_and_the_province_accepts(client, world):
    profil = buat_profil(world, "pahandut")
    client.force_login(world.users["kab_palangkaraya"])
    response = client.post(
        reverse("tenaga:usulan-tambah", args=[profil.uuid]),
        {"nama": "Rina Susanti, S.Sos", "jenis_kelamin": "P", "asal": "karang_taruna",
         "telepon": profil.telepon, "tanggal_lahir": "1990-05-12", "tahun_rekrut": "2015",
         "asal_organisasi": profil.asal_organisasi, "alasan": "Gelar baru"},
    )  # fmt: skip
    assert response.status_code == 302
    profil.refresh_from_db()
    assert profil.nama == "TKSK Pahandut"  # nothing applied yet
    usulan = UsulanPerubahan.objects.get()
    assert usulan.data == {"nama": "Rina Susanti, S.Sos"}
    # The kabupaten may not decide its own proposal.
    assert (
        client.post(reverse("tenaga:usulan-putus", args=[usulan.uuid]), {"terima": "1"}).status_code
        == 403
    )
    client.force_login(world.users["prov"])
    assert "Rina Susanti, S.Sos" in client.get(reverse("tenaga:usulan-list")).content.decode()
    client.post(reverse("tenaga:usulan-putus", args=[usulan.uuid]), {"terima": "1"})
    profil.refresh_from_db()
    assert profil.nama == "Rina Susanti, S.Sos"


def test_moving_the_account_records_the_assignment_history(client, world):
    profil = buat_profil(world, "pahandut")
    akun = world.users["tksk_pahandut"]
    client.force_login(world.users["admin"])
    response = client.post(
        reverse("tksk:akun-update", args=[akun.uuid]),
        {"username": akun.username, "role": "tksk", "wilayah": world.kec["jekanraya"].pk,
         "first_name": "", "last_name": "", "email": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    profil.refresh_from_db()
    assert profil.kecamatan == world.kec["jekanraya"]
    tugas = list(profil.penugasan.order_by("pk"))
    assert [t.kecamatan for t in tugas] == [world.kec["pahandut"], world.kec["jekanraya"]]
    assert tugas[0].selesai == timezone.localdate() and tugas[1].selesai is None
    page = client.get(reverse("tenaga:profil-detail", args=[profil.uuid])).content.decode()
    assert "Kecamatan Pahandut" in page and "sekarang" in page


def test_sk_ending_before_it_starts_or_overlapping_is_refused(client, world):
    profil = buat_profil(world, "pahandut")
    client.force_login(world.users["prov"])
    path = reverse("tenaga:sk-tambah", args=[profil.uuid])
    sk = {"nomor": "188.44/12/2025", "tanggal": "2025-01-02", "penerbit": "Dinas Sosial Provinsi",
          "mulai": "2025-01-01", "selesai": "2025-12-31"}  # fmt: skip
    assert client.post(path, sk).status_code == 302
    response = client.post(
        path, {**sk, "nomor": "X/1", "mulai": "2025-06-01", "selesai": "2026-05-31"}
    )
    assert response.status_code == 400 and "bertumpang tindih" in response.content.decode()
    response = client.post(
        path, {**sk, "nomor": "X/2", "mulai": "2027-06-01", "selesai": "2027-01-01"}
    )
    assert response.status_code == 400 and "tidak boleh sebelum" in response.content.decode()
    assert SKTKSK.objects.count() == 1


def test_status_change_needs_a_reason_and_closes_the_assignment(client, world):
    profil = buat_profil(world, "pahandut")
    client.force_login(world.users["prov"])
    path = reverse("tenaga:profil-status", args=[profil.uuid])
    response = client.post(path, {"status": "diberhentikan", "alasan": "", "tanggal": "2026-02-01"})
    assert response.status_code == 400 and "alasan" in response.content.decode()
    client.post(
        path, {"status": "diberhentikan", "alasan": "Mengundurkan diri", "tanggal": "2026-02-01"}
    )
    profil.refresh_from_db()
    assert profil.status == "diberhentikan"
    assert profil.penugasan.get().selesai == date(2026, 2, 1)


def test_kecamatan_page_shows_its_tksk_or_none(client, world):
    buat_profil(world, "pahandut")
    client.force_login(world.users["kab_palangkaraya"])
    page = client.get(reverse("tksk:wilayah-detail", args=["62.71.01"])).content.decode()
    assert "TKSK Pahandut" in page
    page = client.get(reverse("tksk:wilayah-detail", args=["62.71.03"])).content.decode()
    assert "belum ada TKSK" in page


def test_dashboards_count_coverage_and_link_to_the_lists(client, world, settings):
    settings.TENAGA_SK_BERAKHIR_HARI = 60
    profil = buat_profil(world, "pahandut")
    hari_ini = timezone.localdate()
    SKTKSK.objects.create(profil=profil, nomor="SK-1", tanggal=hari_ini - timedelta(days=300),
                          penerbit="Dinsos", mulai=hari_ini - timedelta(days=300),
                          selesai=hari_ini + timedelta(days=30))  # fmt: skip
    client.force_login(world.users["kab_palangkaraya"])
    response = client.get(reverse("laporan:index"))
    page = response.content.decode()
    from tksk.models import Wilayah

    n_kec = Wilayah.objects.filter(kabupaten=world.kab["palangkaraya"], tingkat="kecamatan").count()
    assert f"1 dari {n_kec}" in page
    kosong = client.get(reverse("tenaga:kosong-list") + "?wilayah=62.71")
    assert len(kosong.context["kecamatan"]) == n_kec - 1
    assert "Pahandut" not in kosong.content.decode()
    sk = client.get(reverse("tenaga:sk-berakhir-list") + "?wilayah=62.71")
    assert [s.nomor for s in sk.context["sk"]] == ["SK-1"]
    settings.TENAGA_SK_BERAKHIR_HARI = 10
    assert list(client.get(reverse("tenaga:sk-berakhir-list")).context["sk"]) == []
    # The province's table has a row per kabupaten.
    client.force_login(world.users["prov"])
    page = client.get(reverse("laporan:index")).content.decode()
    assert 'data-testid="kosong-per-kabupaten"' in page and "Kapuas" in page


def test_seed_demo_makes_profiles_sk_and_a_bimtek_with_certificates_once(client):
    from django.core.management import call_command

    from tenaga.models import Bimtek

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    assert ProfilTKSK.objects.count() == 3 and SKTKSK.objects.count() == 3
    bimtek = Bimtek.objects.get()
    assert bimtek.peserta.exclude(nomor_sertifikat=None).count() == 2
    from tksk.models import User

    client.force_login(User.objects.get(username="dinsos.prov"))
    page = client.get(reverse("laporan:index")).content.decode()
    assert 'data-testid="cakupan-sk"' in page
    sk = client.get(reverse("tenaga:sk-berakhir-list")).context["sk"]
    assert [s.profil.nama for s in sk] == ["Rina Susanti"]
    peserta = bimtek.peserta.first()
    response = client.get(reverse("tenaga:sertifikat-pdf", args=[bimtek.uuid, peserta.uuid]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
