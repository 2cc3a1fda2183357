"""ppks_buat_banyak: the import's bulk path for PPKS rows gives what ppks_simpan gives one row at
a time (the same refusals, warnings and history), with a number of statements that does not grow
with the batch."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from laporan import sql
from pendataan.models import PPKS, Riwayat
from pendataan.services_ppks import ppks_buat_banyak, ppks_simpan
from tests.matrix.ppks import buat_keluarga, buat_ppks
from tksk.models import KategoriPPKS


def _data(obj, singkatan="FM", **extra):
    isi = {
        "kategori": KategoriPPKS.objects.get(singkatan=singkatan),
        "tanggal_identifikasi": date(2026, 1, 5),
        "status_penanganan": "belum",
    }
    if obj is None:
        return {**isi, **extra}
    nama = type(obj).__name__.lower()
    return {**isi, "subjek": nama, nama: str(obj.uuid), **extra}


def _satu_per_satu(pelaku, data):
    """What ppks_simpan answers for `data`, leaving nothing behind."""
    try:
        with transaction.atomic():
            hasil = ppks_simpan(pelaku=pelaku, data=data)
            transaction.set_rollback(True)
            return hasil[1]
    except ValidationError as error:
        return error.message_dict


def test_valid_rows_are_written_with_history_warnings_and_summaries(world):
    tksk = world.users["tksk_pahandut"]
    kel_a, orang_a = buat_keluarga(world, "pahandut")
    kel_b, _ = buat_keluarga(world, "pahandut")
    daftar = [
        _data(orang_a),
        _data(orang_a, "LUT"),  # under 60: a plausibility warning, as the form gives
        _data(kel_b),
        _data(
            None, subjek="kelompok", nama_kelompok="Komunitas Tepian", desa=world.desa["pahandut"]
        ),
    ]
    harapan = [_satu_per_satu(tksk, d) for d in daftar]
    hasil = ppks_buat_banyak(pelaku=tksk, daftar=daftar, aksi_riwayat="impor", catatan_riwayat="f")

    assert [h[1] for h in hasil] == harapan
    assert any(harapan), "the LUT row should carry a warning"
    assert PPKS.objects.count() == 4
    obj = hasil[0][0]
    obj.refresh_from_db()
    assert (obj.desa_id, obj.jenis_kelamin) == (orang_a.desa_id, orang_a.jenis_kelamin)
    assert hasil[2][0].keluarga_id == kel_b.pk
    riwayat = Riwayat.objects.filter(objek_tipe="ppks")
    assert riwayat.count() == 4 and set(riwayat.values_list("aksi", "catatan")) == {("impor", "f")}
    assert all(r.perubahan["kategori"][1] for r in riwayat)
    with connection.cursor() as cursor:
        assert not any(sql.selisih(cursor).values())


def test_refusals_are_ppks_simpans(world):
    tksk = world.users["tksk_pahandut"]
    _, orang = buat_keluarga(world, "pahandut")
    _, orang_luar = buat_keluarga(world, "selat")
    ada = buat_ppks(world, "pahandut")  # an open FM of another person
    daftar = [
        _data(ada.individu),  # the same open category for the same subject
        _data(orang_luar),  # a subject outside the user's area
        _data(orang, tanggal_identifikasi=None),
        {**_data(orang), "individu": "bukan-uuid"},
    ]
    harapan = [_satu_per_satu(tksk, d) for d in daftar]
    hasil = ppks_buat_banyak(pelaku=tksk, daftar=daftar)
    assert [h.message_dict for h in hasil] == harapan
    assert PPKS.objects.count() == 1


def test_the_same_subject_and_category_twice_in_a_batch_saves_it_once(world):
    tksk = world.users["tksk_pahandut"]
    _, orang = buat_keluarga(world, "pahandut")
    hasil = ppks_buat_banyak(pelaku=tksk, daftar=[_data(orang), _data(orang), _data(orang, "LUT")])
    assert not isinstance(hasil[0], ValidationError)
    assert "kategori" in hasil[1].message_dict
    assert not isinstance(hasil[2], ValidationError)
    assert PPKS.objects.filter(individu=orang).count() == 2


@pytest.mark.parametrize("jumlah", [10, 40])
def test_the_statements_do_not_grow_with_the_batch(world, django_assert_max_num_queries, jumlah):
    tksk = world.users["tksk_pahandut"]
    orang = [buat_keluarga(world, "pahandut")[1] for _ in range(jumlah)]
    daftar = [_data(o) for o in orang]
    with django_assert_max_num_queries(6):
        hasil = ppks_buat_banyak(pelaku=tksk, daftar=daftar)
    assert not [h for h in hasil if isinstance(h, ValidationError)]
    assert PPKS.objects.count() == jumlah
