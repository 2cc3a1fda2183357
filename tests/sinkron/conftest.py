import uuid
from datetime import date

import pytest
from django.test import Client

from tksk.perangkat import buat_perangkat


class Perangkat:
    """A client that speaks to the API with one device token, like the offline app."""

    def __init__(self, user):
        self.perangkat, self.token = buat_perangkat(user=user, nama="HP uji")
        self.client = Client()

    def kirim(self, operasi, **extra):
        return self.client.post(
            "/api/v1/sinkron/",
            {"skema": 1, "operasi": operasi, **extra},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {self.token}",
        )

    def hasil(self, operasi):
        response = self.kirim(operasi)
        assert response.status_code == 200, response.content
        return response.json()["hasil"]

    def get(self, path, **headers):
        return self.client.get(path, HTTP_AUTHORIZATION=f"Token {self.token}", **headers)


@pytest.fixture
def perangkat(world):
    return lambda username="tksk_pahandut": Perangkat(world.users[username])


_kk = iter(range(10000, 99999))


def op_keluarga(world, kec="pahandut", *, anggota=None, **data):
    from tests.matrix.keluarga import anggota_data, no_kk_baru

    anggota = anggota if anggota is not None else [anggota_data()]
    isi = {
        "no_kk": no_kk_baru(),
        "desa": world.desa[kec].pk,
        "alamat": "Jl. Sungai Kahayan 3",
        "anggota": [
            {**{k: _teks(v) for k, v in a.items()}, "uuid": str(uuid.uuid4())} for a in anggota
        ],
    }
    isi.update(data)
    return {
        "op_id": str(uuid.uuid4()),
        "entitas": "keluarga",
        "aksi": "buat",
        "uuid": str(uuid.uuid4()),
        "setelah": [],
        "data": isi,
        "versi_dasar": None,
        "dasar": {},
    }


def op(entitas, aksi, uuid_rekam, data, *, setelah=(), dasar=None, versi_dasar=None):
    return {
        "op_id": str(uuid.uuid4()),
        "entitas": entitas,
        "aksi": aksi,
        "uuid": str(uuid_rekam),
        "setelah": list(setelah),
        "data": data,
        "versi_dasar": versi_dasar,
        "dasar": dasar or {},
    }


def _teks(v):
    return v.isoformat() if isinstance(v, date) else v
