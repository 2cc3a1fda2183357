"""A PPKS is counted where its subject lives and as its subject's sex: households moved to another
desa and sexes corrected through the services move the dashboard's numbers with them, and the
drift check compares against the subjects, so a stale copy is seen."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from laporan.models import RingkasanDesa
from pendataan.models import PPKS, Individu, KasusGanda
from pendataan.services import kasus_selesaikan, keluarga_simpan
from pendataan.services_ppks import ppks_simpan
from tests.laporan.salinan import dari_dasbor, dari_subjek, selisih
from tests.matrix.keluarga import anggota_data, buat_keluarga, no_kk_baru
from tksk.models import KategoriPPKS, Wilayah

pytestmark = pytest.mark.django_db


def _desa(world, kec, n=2):
    return list(Wilayah.objects.filter(induk=world.kec[kec]).order_by("kode")[:n])


def _ppks(pelaku, subjek, obj, singkatan="FM"):
    data = {
        "kategori": KategoriPPKS.objects.get(singkatan=singkatan),
        "subjek": subjek,
        subjek: obj.uuid,
        "tanggal_identifikasi": date(2026, 1, 10),
    }
    return ppks_simpan(pelaku=pelaku, data=data)[0]


def _laki_laki_pahandut() -> int:
    return sum(
        r.n
        for r in RingkasanDesa.objects.filter(
            metrik="ppks", jenis_kelamin="L", desa__kecamatan__kode="62.71.01"
        )
    )


def test_moved_households_and_corrected_sex_move_the_numbers(world):
    """The issue's scenario: households moved to another desa and persons' sex corrected,
    through the services; every per-desa cell and Pahandut's male PPKS follow."""
    tksk = world.users["tksk_pahandut"]
    asal, tujuan = _desa(world, "pahandut")
    rumah = []
    for i in range(3):
        kel = buat_keluarga(
            world,
            "pahandut",
            desa=asal,
            anggota=[anggota_data(f"Kepala {i}"), anggota_data(f"Anak {i}", "anak")],
        )
        kepala, anak = kel.anggota.order_by("pk")
        _ppks(tksk, "individu", kepala)
        _ppks(tksk, "individu", anak, "LUT")
        rumah.append(kel)
    _ppks(tksk, "keluarga", rumah[0], "KBSP")
    assert dari_dasbor(tksk, [world.kec["pahandut"]])["desa"] == {asal.pk: 7}
    assert _laki_laki_pahandut() == 6

    # Two households move (with their members' and their own PPKS).
    for kel in rumah[:2]:
        keluarga_simpan(pelaku=tksk, keluarga=kel, data={"desa": tujuan}, anggota=[])
    # Two men of the third household are in fact women.
    for ind in rumah[2].anggota.all():
        keluarga_simpan(
            pelaku=tksk,
            keluarga=rumah[2],
            data={},
            anggota=[{"uuid": str(ind.uuid), "jenis_kelamin": "P"}],
        )

    dasbor = dari_dasbor(tksk, [world.kec["pahandut"]])
    assert dasbor["desa"] == {asal.pk: 2, tujuan.pk: 5}
    assert dasbor == dari_subjek()
    assert _laki_laki_pahandut() == 4
    assert set(PPKS.objects.filter(keluarga=rumah[0]).values_list("desa", flat=True)) == {tujuan.pk}
    assert selisih() == {}


def test_resolved_duplicates_move_a_person_and_a_household_to_another_kecamatan(world):
    tksk, lain = world.users["tksk_pahandut"], world.users["tksk_jekanraya"]
    kab = world.users["kab_palangkaraya"]
    kel = buat_keluarga(
        world, "pahandut", anggota=[anggota_data("Kepala"), anggota_data("Istri", "istri")]
    )
    istri = kel.anggota.get(nama="Istri")
    _ppks(tksk, "individu", istri)
    pindah = buat_keluarga(world, "pahandut")
    _ppks(tksk, "keluarga", pindah, "KBSP")

    # A person found again in a household of Jekan Raya: the case moves her there.
    hasil = keluarga_simpan(
        pelaku=lain,
        data={"no_kk": no_kk_baru(), "desa": world.desa["jekanraya"], "alamat": "Jl. B"},
        anggota=[anggota_data("Suami Baru"), anggota_data("Istri", "istri", nik=istri.nik)],
        lewati_nik_ganda=True,
    )
    kasus_selesaikan(pelaku=kab, kasus=hasil.kasus[0], aksi="mutasi", catatan="Pindah.")
    # A household whose No KK is entered in Jekan Raya: the case moves it there.
    with pytest.raises(ValidationError):  # refused, and the case is opened
        keluarga_simpan(
            pelaku=lain,
            data={"no_kk": pindah.no_kk, "desa": world.desa["jekanraya"], "alamat": "Jl. A"},
            anggota=[anggota_data("Kepala Lain")],
        )
    kasus = KasusGanda.objects.get(jenis="no_kk")
    kasus_selesaikan(pelaku=kab, kasus=kasus, aksi="mutasi", catatan="Pindah.")

    jekan = world.desa["jekanraya"].pk
    assert PPKS.objects.get(individu=istri).desa_id == jekan
    assert PPKS.objects.get(keluarga=pindah).desa_id == jekan
    dasbor = dari_dasbor(world.users["admin"], [world.kec["pahandut"], world.kec["jekanraya"]])
    assert dasbor == dari_subjek()
    assert dasbor["desa"][jekan] == 2
    assert selisih() == {}


def test_the_drift_check_compares_with_the_subjects_and_the_rebuild_repairs(world):
    ppks = _ppks(
        world.users["tksk_pahandut"], "individu", buat_keluarga(world, "pahandut").anggota.get()
    )
    salah = _desa(world, "pahandut")[1]
    # A copy gone stale behind the triggers' back (as before they existed).
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute("ALTER TABLE pendataan_ppks DISABLE TRIGGER salinan_tulis")
        c.execute(
            "UPDATE pendataan_ppks SET desa_id = %s, jenis_kelamin = 'P' WHERE id = %s",
            [salah.pk, ppks.pk],
        )
        c.execute("ALTER TABLE pendataan_ppks ENABLE TRIGGER salinan_tulis")
    beda = selisih()
    assert beda["laporan_ringkasan_desa"]  # the summary follows the copy; the check does not
    with pytest.raises(CommandError, match="berbeda"):
        call_command("laporan_rebuild_ringkasan", "--periksa", verbosity=0)
    call_command("laporan_rebuild_ringkasan", verbosity=0)
    ppks.refresh_from_db()
    assert (ppks.desa_id, ppks.jenis_kelamin) == (world.desa["pahandut"].pk, "L")
    assert selisih() == {}


def test_a_ppks_written_with_a_wrong_copy_takes_its_subjects(world):
    ind = buat_keluarga(world, "pahandut").anggota.get()
    lain = world.desa["selat"]
    p = PPKS.objects.create(
        kategori=KategoriPPKS.objects.get(singkatan="FM"),
        subjek="individu",
        individu=ind,
        desa=lain,
        jenis_kelamin="P",
        tanggal_identifikasi=date(2026, 1, 1),
    )
    p.refresh_from_db()
    assert (p.desa_id, p.jenis_kelamin) == (ind.desa_id, "L")
    # A person moved to another household by hand lives where that household lives.
    tujuan = buat_keluarga(world, "selat")
    Individu.objects.filter(pk=ind.pk).update(keluarga=tujuan, hubungan="lainnya")
    p.refresh_from_db()
    assert p.desa_id == lain.pk
    assert selisih() == {}
