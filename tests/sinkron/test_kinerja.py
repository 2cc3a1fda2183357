"""A month of offline work: 100 households of 4 members plus a PPKS per member, 500 operations,
drained in 10 requests of 50. Measured, and held under 30 s on loopback."""

import time
import uuid

import pytest

from pendataan.models import PPKS, Individu, Keluarga
from tests.matrix.keluarga import anggota_data
from tests.sinkron.conftest import op, op_keluarga
from tksk.models import KategoriPPKS

pytestmark = pytest.mark.django_db


def test_500_operations_in_10_batches(world, perangkat):
    kategori = KategoriPPKS.objects.get(singkatan="FM").pk
    keluarga, ppks = [], []
    for i in range(100):
        o = op_keluarga(
            world,
            anggota=[
                anggota_data(nama=f"Kepala {i}"),
                anggota_data(nama=f"Istri {i}", hubungan="istri", jenis_kelamin="P"),
                anggota_data(nama=f"Anak {i}", hubungan="anak"),
                anggota_data(nama=f"Anak Dua {i}", hubungan="anak", jenis_kelamin="P"),
            ],
        )
        keluarga.append(o)
        for a in o["data"]["anggota"]:
            data = {
                "subjek": "individu",
                "individu": a["uuid"],
                "kategori": kategori,
                "tanggal_identifikasi": "2026-01-15",
                "status_penanganan": "belum",
            }
            ppks.append(op("ppks", "buat", uuid.uuid4(), data, setelah=[o["op_id"]]))
    semua = keluarga + ppks
    assert len(semua) == 500
    hp = perangkat()
    mulai = time.perf_counter()
    status = []
    for awal in range(0, 500, 50):
        status += [h["status"] for h in hp.hasil(semua[awal : awal + 50])]
    detik = time.perf_counter() - mulai
    print(f"\n500 operasi dalam 10 kiriman: {detik:.1f} s ({detik / 500 * 1000:.0f} ms/operasi)")
    assert status == ["tersimpan"] * 500
    assert Keluarga.objects.count() == 100 and Individu.objects.count() == 400
    assert PPKS.objects.count() == 400
    # The target is 30 s on an idle machine (measured 27 s on a shared 2-core one); the guard
    # is looser so a busy machine does not fail it.
    assert detik < 60
    # A replay of the whole outbox (the answers were lost) changes nothing.
    for awal in range(0, 500, 50):
        assert {h["status"] for h in hp.hasil(semua[awal : awal + 50])} == {"tersimpan"}
    assert Keluarga.objects.count() == 100 and PPKS.objects.count() == 400
