"""The performance record is computed from the TKSK's own records, counted in the months they
served in each kecamatan, with a fixed number of queries."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tenaga.models import Penugasan
from tests.matrix.koordinasi import buat_kegiatan
from tests.matrix.ppks import buat_keluarga, buat_ppks
from tests.matrix.tenaga import buat_profil

pytestmark = pytest.mark.django_db


def _oleh_tksk(world):
    """The helpers make records with the ORM: give each its kecamatan's TKSK as recorder."""
    from pendataan.models import PPKS, Keluarga

    for kec in ("pahandut", "jekanraya", "selat"):
        for model in (Keluarga, PPKS):
            model.objects.filter(desa__kecamatan=world.kec[kec]).update(
                dibuat_oleh=world.users[f"tksk_{kec}"]
            )


def test_record_counts_own_work_only(client, world):
    profil = buat_profil(world, "pahandut")
    lain = buat_profil(world, "jekanraya")
    tahun = timezone.localdate().year
    Penugasan.objects.filter(profil__in=[profil, lain]).update(mulai=date(tahun, 1, 1))
    buat_keluarga(world, "pahandut")
    buat_keluarga(world, "pahandut")
    buat_ppks(world, "pahandut")
    buat_kegiatan(world, "pahandut", jenis="rapat_koordinasi")
    buat_kegiatan(world, "pahandut", jenis="penyuluhan_sosial")
    buat_keluarga(world, "jekanraya")
    _oleh_tksk(world)
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(reverse("tenaga:profil-kinerja", args=[profil.uuid]))
    assert response.status_code == 200
    total = response.context["total"]
    # buat_ppks makes its own household too.
    assert total["keluarga"] == 3 and total["ppks"] == 1
    assert total["tugas_jejaring"] == 1 and total["tugas_penyuluhan"] == 1
    assert total["bulan_bertugas"] == timezone.localdate().month
    assert client.get(reverse("tenaga:profil-kinerja", args=[lain.uuid])).status_code == 404
    assert client.get(reverse("tenaga:kinerja-list")).status_code == 403


def test_province_table_has_a_fixed_query_count(client, world, django_assert_max_num_queries):
    for kec in ("pahandut", "jekanraya", "selat"):
        buat_profil(world, kec)
        buat_keluarga(world, kec)
    _oleh_tksk(world)
    client.force_login(world.users["prov"])
    response = client.get(reverse("tenaga:kinerja-list"))
    baris = {p.nama: t for p, t, _ in response.context["baris"]}
    assert baris["TKSK Selat"]["keluarga"] == 1
    with django_assert_max_num_queries(25) as first:
        client.get(reverse("tenaga:kinerja-list"))
    for kec in ("pahandut", "jekanraya", "selat"):
        buat_keluarga(world, kec)
        buat_ppks(world, kec)
    _oleh_tksk(world)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("tenaga:kinerja-list"))


def test_a_move_counts_months_in_each_kecamatan(world):
    from tenaga import kinerja

    profil = buat_profil(world, "pahandut")
    tahun = timezone.localdate().year - 1
    Penugasan.objects.filter(profil=profil).update(
        mulai=date(tahun, 1, 1), selesai=date(tahun, 6, 15)
    )
    Penugasan.objects.create(
        profil=profil, kecamatan=world.kec["jekanraya"], mulai=date(tahun, 6, 15)
    )
    bulan = kinerja.rekap([profil], tahun, pembaca=world.users["admin"])[profil.pk]["bulan"]
    assert bulan[date(tahun, 5, 1)]["kecamatan_id"] == world.kec["pahandut"].pk
    assert bulan[date(tahun, 7, 1)]["kecamatan_id"] == world.kec["jekanraya"].pk
    # The month of the move counts for the kecamatan served last.
    assert bulan[date(tahun, 6, 1)]["kecamatan_id"] == world.kec["jekanraya"].pk
    assert len(bulan) == 12
    assert all(b["lapor"] == "tidak_ada" for b in bulan.values())


def test_referrals_and_verification_outcomes_are_counted(world):
    import uuid

    from koordinasi.models import Rujukan, StatusRujukan
    from pendataan.models import Riwayat
    from tenaga import kinerja
    from tests.matrix.koordinasi import buat_rujukan

    profil = buat_profil(world, "pahandut")
    hari_ini = timezone.localdate()
    Penugasan.objects.filter(profil=profil).update(mulai=date(hari_ini.year, 1, 1))
    buat_rujukan(world, "pahandut")
    dijawab = buat_rujukan(world, "pahandut")
    Rujukan.objects.filter(pk=dijawab.pk).update(status=StatusRujukan.DITERIMA)
    buat_rujukan(world, "jekanraya")  # another TKSK's
    for status in ("terverifikasi", "terverifikasi", "terverifikasi", "dikembalikan"):
        Riwayat.objects.create(objek_tipe="keluarga", objek_uuid=uuid.uuid4(), aksi="transisi",
                               desa=world.desa["pahandut"], status_ke=status,
                               pelaku=world.users["kab_palangkaraya"])  # fmt: skip
    Riwayat.objects.create(objek_tipe="keluarga", objek_uuid=uuid.uuid4(), aksi="transisi",
                           desa=world.desa["jekanraya"], status_ke="dikembalikan")  # fmt: skip
    total = kinerja.rekap([profil], hari_ini.year, pembaca=world.users["admin"])[profil.pk]["total"]
    assert total["rujukan"] == 2 and total["rujukan_dijawab"] == 1
    assert total["terverifikasi"] == 3 and total["dikembalikan"] == 1
    assert total["rasio_kembali"] == 25


def test_every_count_links_to_the_list_it_counts_as_the_reader_sees_it(client, world):
    """The table's and the rapor's household and PPKS numbers open the lists of what that
    TKSK recorded in the year, and each list holds exactly that many. A sensitive PPKS counts
    for the kabupaten (its chain) and not for the province, whose list does not show it."""
    profil = buat_profil(world, "pahandut")
    tahun = timezone.localdate().year
    Penugasan.objects.filter(profil=profil).update(mulai=date(tahun, 1, 1))
    buat_keluarga(world, "pahandut")
    buat_ppks(world, "pahandut")
    buat_ppks(world, "pahandut", singkatan="ODHA")
    buat_keluarga(world, "jekanraya")  # another TKSK's
    _oleh_tksk(world)
    for pembaca, ppks in (("kab_palangkaraya", 2), ("prov", 1), ("admin", 2)):
        client.force_login(world.users[pembaca])
        response = client.get(reverse("tenaga:kinerja-list"))
        ((total, tautan),) = [(t, u) for p, t, u in response.context["baris"] if p == profil]
        assert (total["keluarga"], total["ppks"]) == (3, ppks), pembaca
        html = response.content.decode()
        for jenis, n in (("keluarga", 3), ("ppks", ppks)):
            assert f'href="{tautan[jenis]}"'.replace("&", "&amp;") in html
            daftar = client.get(tautan[jenis])
            assert daftar.context["page"].paginator.count == n, (pembaca, jenis)
            assert "Hanya data yang dicatat oleh" in daftar.content.decode()
        rapor = client.get(reverse("tenaga:profil-kinerja", args=[profil.uuid]))
        assert rapor.context["total"]["ppks"] == ppks
        bulan = [b for _, b in rapor.context["bulan"] if b.get("ppks")]
        assert sum(client.get(b["tautan"]["ppks"]).context["page"].paginator.count
                   for b in bulan) == ppks  # fmt: skip


def test_referral_and_activity_numbers_open_their_lists(client, world):
    from tests.matrix.koordinasi import buat_rujukan

    profil = buat_profil(world, "pahandut")
    tahun = timezone.localdate().year
    Penugasan.objects.filter(profil=profil).update(mulai=date(tahun, 1, 1))
    buat_rujukan(world, "pahandut")
    buat_rujukan(world, "pahandut", ppks=buat_ppks(world, "pahandut", singkatan="ODHA"))
    buat_kegiatan(world, "pahandut", jenis="rapat_koordinasi")
    buat_kegiatan(world, "pahandut", jenis="penyuluhan_sosial")
    buat_kegiatan(world, "jekanraya")  # another TKSK's
    for pembaca, rujukan in (("kab_palangkaraya", 2), ("prov", 1)):
        client.force_login(world.users[pembaca])
        response = client.get(reverse("tenaga:kinerja-list"))
        ((total, tautan),) = [(t, u) for p, t, u in response.context["baris"] if p == profil]
        assert total["rujukan"] == rujukan, pembaca
        daftar = client.get(tautan["rujukan"])
        assert daftar.context["page"].paginator.count == rujukan, pembaca
        assert "Hanya data yang dicatat" in daftar.content.decode()
        rapor = client.get(reverse("tenaga:profil-kinerja", args=[profil.uuid]))
        assert rapor.context["total"]["kegiatan"] == 2
        bulan = [b for _, b in rapor.context["bulan"] if b.get("kegiatan")]
        assert sum(client.get(b["tautan"]["kegiatan"]).context["page"].paginator.count
                   for b in bulan) == 2  # fmt: skip


def test_training_hours_count_each_event_attended_once(client, world):
    """Hours of an event count once when at least one day was attended, whatever the number of
    days; two events ending the same day with the same hours are two events."""
    from tenaga.models import Kehadiran, PesertaBimtek
    from tests.matrix.tenaga import buat_bimtek

    profil = buat_profil(world, "pahandut")
    tahun = timezone.localdate().year - 1
    Penugasan.objects.filter(profil=profil).update(mulai=date(tahun, 1, 1))
    isi = {"mulai": date(tahun, 3, 2), "selesai": date(tahun, 3, 4), "jam_pelajaran": 30}
    for hari_hadir in ((2, 3, 4), (3,), ()):
        peserta = PesertaBimtek.objects.create(bimtek=buat_bimtek(world, **isi), profil=profil)
        for hari in (2, 3, 4):
            Kehadiran.objects.create(
                peserta=peserta, tanggal=date(tahun, 3, hari), hadir=hari in hari_hadir
            )
    client.force_login(world.users["prov"])
    response = client.get(reverse("tenaga:profil-kinerja", args=[profil.uuid]), {"tahun": tahun})
    assert response.context["total"]["jam_pelatihan"] == 60
    maret = dict(response.context["bulan"])
    assert [b["jam_pelatihan"] for b in maret.values() if b.get("jam_pelatihan")] == [60]
