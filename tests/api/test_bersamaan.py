"""Two identical creates at the same moment (a sync retry racing its original), each on its own
database connection: one household, one 201 and one 200."""

import threading

import pytest
from django.db import connection

from pendataan.models import Individu, Keluarga
from tests.api import badan_keluarga, klien


def _serentak(user, body, jumlah=2):
    mulai = threading.Barrier(jumlah)
    hasil, galat = [], []

    def kirim():
        try:
            api = klien(user)
            mulai.wait(timeout=10)
            response = api.post("/api/v1/keluarga/", body, format="json")
            hasil.append((response.status_code, response.json()))
        except Exception as error:  # reported by the main thread
            galat.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=kirim) for _ in range(jumlah)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not galat, galat
    return hasil


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tanpa_nomor", [False, True], ids=["dengan-nomor", "tanpa-nomor"])
def test_concurrent_identical_creates_make_one_household(world, tanpa_nomor):
    body = badan_keluarga(world.desa["pahandut"], jumlah=3)
    if tanpa_nomor:
        # Nothing unique but the uuid: only the lock per uuid prevents a duplicate.
        body["no_kk"], body["alasan_tanpa_kk"] = "", "KK hilang terbawa banjir"
        for a in body["anggota"]:
            a["nik"], a["alasan_tanpa_nik"] = "", "dokumen_hilang"
    hasil = _serentak(world.users["tksk_pahandut"], body)
    assert sorted(status for status, _ in hasil) == [200, 201], hasil
    assert {data["uuid"] for _, data in hasil} == {body["uuid"]}
    assert Keluarga.objects.count() == 1
    assert Individu.objects.count() == 3
