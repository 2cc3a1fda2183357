"""keluarga_buat_banyak: the import's bulk path checks every household exactly as the form's save
does, writes the valid ones with a few statements, and stays all-or-nothing per household when a
NIK or No KK collides at write time."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from laporan import sql
from pendataan.models import Individu, KasusGanda, Keluarga, Riwayat
from pendataan.services import keluarga_buat_banyak, keluarga_periksa
from tests.matrix.keluarga import anggota_data, buat_keluarga, no_kk_baru
from tksk.models import AuditLog


def _rumah(world, kec="pahandut", **data):
    isi = {"no_kk": no_kk_baru(), "desa": world.desa[kec], "alamat": "Jl. Kinibalu No. 3"}
    isi.update(data)
    return isi


def test_valid_households_are_written_with_history_audit_and_summaries(world):
    tksk = world.users["tksk_pahandut"]
    daftar = [
        (
            _rumah(world),
            [
                anggota_data(f"Kepala {i}"),
                anggota_data(f"Istri {i}", "istri", jenis_kelamin="P"),
            ],
        )
        for i in range(3)
    ]
    hasil = keluarga_buat_banyak(
        pelaku=tksk, daftar=daftar, aksi_riwayat="impor", catatan_riwayat="Dari berkas a.xlsx"
    )

    assert not [h for h in hasil if isinstance(h, ValidationError)]
    assert Keluarga.objects.count() == 3 and Individu.objects.count() == 6
    kel = Keluarga.objects.get(uuid=hasil[1].keluarga.uuid)
    assert kel.nama_kepala == "Kepala 1" and kel.jumlah_anggota == 2
    assert set(kel.anggota.values_list("desa_id", flat=True)) == {kel.desa_id}
    riwayat = Riwayat.objects.filter(keluarga_uuid=kel.uuid) | Riwayat.objects.filter(
        objek_uuid=kel.uuid
    )
    assert sorted(riwayat.values_list("objek_tipe", "aksi", "catatan")) == [
        ("individu", "impor", "Dari berkas a.xlsx"),
        ("individu", "impor", "Dari berkas a.xlsx"),
        ("keluarga", "impor", "Dari berkas a.xlsx"),
    ]
    assert all(r.pelaku_id == tksk.pk for r in riwayat)
    assert AuditLog.objects.filter(aksi="keluarga_buat", objek_uuid=kel.uuid).exists()
    # The summary triggers run per statement: the bulk INSERTs are counted like single ones.
    with connection.cursor() as cursor:
        assert not any(sql.selisih(cursor).values())


def test_refused_households_come_back_as_the_forms_errors_and_the_rest_is_saved(world):
    tksk = world.users["tksk_pahandut"]
    dua_kepala = [anggota_data("A"), anggota_data("B")]
    hasil = keluarga_buat_banyak(
        pelaku=tksk,
        daftar=[
            (_rumah(world), [anggota_data("Sah")]),
            (_rumah(world), dua_kepala),
            (_rumah(world, desa=world.desa["selat"]), [anggota_data("Luar wilayah")]),
        ],
    )
    assert not isinstance(hasil[0], ValidationError)
    assert isinstance(hasil[1], ValidationError) and "anggota" in hasil[1].message_dict
    assert isinstance(hasil[2], ValidationError) and "desa" in hasil[2].message_dict
    assert list(Individu.objects.values_list("nama", flat=True)) == ["Sah"]
    for data, anggota in [(_rumah(world), dua_kepala)]:
        try:
            keluarga_periksa(pelaku=tksk, data=data, anggota=anggota)
        except ValidationError as error:
            assert error.message_dict == hasil[1].message_dict
        else:
            raise AssertionError("keluarga_periksa accepted two heads")


def test_a_nik_twice_in_one_batch_saves_the_first_and_refuses_the_second_whole(world):
    """The checks look at the database, not at each other: the collision shows at write time.
    Then every household is saved on its own, so the second is refused whole (no member of it
    is left behind) and points to the first, like the form would."""
    tksk = world.users["tksk_pahandut"]
    ganda = anggota_data("Sama", "anak")
    hasil = keluarga_buat_banyak(
        pelaku=tksk,
        daftar=[
            (_rumah(world), [anggota_data("Kepala satu"), dict(ganda)]),
            (_rumah(world), [anggota_data("Kepala dua"), dict(ganda)]),
            (_rumah(world), [anggota_data("Kepala tiga")]),
        ],
        aksi_riwayat="impor",
    )
    assert not isinstance(hasil[0], ValidationError)
    assert isinstance(hasil[1], ValidationError)
    (galat,) = hasil[1].error_dict["anggota.1.nik"]
    assert galat.code == "nik_terdaftar"
    assert galat.params["keluarga_uuid"] == str(hasil[0].keluarga.uuid)
    assert not isinstance(hasil[2], ValidationError)
    assert sorted(Individu.objects.values_list("nama", flat=True)) == [
        "Kepala satu",
        "Kepala tiga",
        "Sama",
    ]
    assert Keluarga.objects.count() == 2
    assert set(Riwayat.objects.values_list("aksi", flat=True)) == {"impor"}


def test_a_nik_of_another_area_opens_a_case_like_the_form(world):
    lama = buat_keluarga(world, "selat")
    nik = lama.anggota.get().nik
    hasil = keluarga_buat_banyak(
        pelaku=world.users["tksk_pahandut"],
        daftar=[(_rumah(world), [anggota_data("Baru", nik=nik)])],
    )
    (error,) = hasil
    assert error.error_dict["anggota.0.nik"][0].code == "nik_ganda"
    assert KasusGanda.objects.filter(jenis="nik").count() == 1
    assert [k.pk for k in error.kasus] == [KasusGanda.objects.get().pk]


@pytest.mark.parametrize("jumlah", [20, 80])
def test_the_queries_do_not_grow_with_the_batch(world, django_assert_max_num_queries, jumlah):
    """The lookups of the checks are asked once per batch, and the writes are a few INSERTs per
    table: the same number of statements for 20 households as for 80."""
    tksk = world.users["tksk_pahandut"]
    daftar = [
        (
            _rumah(world),
            [anggota_data(f"K{i}")]
            + [anggota_data(f"A{i}{j}", "anak", jenis_kelamin="P") for j in range(5)],
        )
        for i in range(jumlah)
    ]
    with django_assert_max_num_queries(12):
        hasil = keluarga_buat_banyak(pelaku=tksk, daftar=daftar)
    assert not [h for h in hasil if isinstance(h, ValidationError)]
    assert Individu.objects.count() == jumlah * 6
