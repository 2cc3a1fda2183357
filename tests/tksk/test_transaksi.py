"""A transaction aborted by PostgreSQL to break a deadlock is run again whole; inside another
transaction the error is left to the outer block; other errors are never retried."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from tksk.models import Wilayah
from tksk.transaksi import bentrok, ulangi_jika_bentrok


def _dua_baris():
    return list(Wilayah.objects.order_by("pk").values_list("pk", flat=True)[:2])


@pytest.mark.django_db(transaction=True)
def test_a_real_deadlock_is_retried_and_both_sides_finish():
    a, b = _dua_baris()
    bertemu = threading.Barrier(2, timeout=10)
    percobaan = {"maju": 0, "mundur": 0}
    hasil, galat = {}, []

    def kunci(nama, pertama, kedua):
        @ulangi_jika_bentrok(jeda=0.01)
        def kerja():
            percobaan[nama] += 1
            Wilayah.objects.select_for_update().get(pk=pertama)
            if percobaan[nama] == 1:
                bertemu.wait()  # both hold their first row: the second locks cross
            Wilayah.objects.select_for_update().get(pk=kedua)
            return nama

        try:
            hasil[nama] = kerja()
        except Exception as e:  # noqa: BLE001  (the test reports it)
            galat.append(e)
        finally:
            connection.close()

    t = [
        threading.Thread(target=kunci, args=("maju", a, b)),
        threading.Thread(target=kunci, args=("mundur", b, a)),
    ]
    for x in t:
        x.start()
    for x in t:
        x.join(30)
    assert galat == []
    assert hasil == {"maju": "maju", "mundur": "mundur"}
    # PostgreSQL aborted exactly one side, which ran again.
    assert sorted(percobaan.values()) == [1, 2]


@pytest.mark.django_db
def test_inside_another_transaction_it_runs_once_and_other_errors_pass():
    panggil = []

    @ulangi_jika_bentrok
    def gagal():
        panggil.append(1)
        raise DatabaseError("bukan bentrok")

    assert connection.in_atomic_block  # the test's own transaction
    with pytest.raises(DatabaseError), transaction.atomic():
        gagal()
    assert panggil == [1]
    assert not bentrok(DatabaseError("x"))


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_plain_error_is_not_retried_and_nothing_is_kept():
    panggil = []
    awal = Wilayah.objects.count()

    @ulangi_jika_bentrok
    def tulis_lalu_gagal():
        panggil.append(1)
        Wilayah.objects.filter(pk=_dua_baris()[0]).update(nama="Diubah")
        raise ValueError("salah")

    with pytest.raises(ValueError):
        tulis_lalu_gagal()
    assert panggil == [1]
    assert not Wilayah.objects.filter(nama="Diubah").exists()
    assert Wilayah.objects.count() == awal
