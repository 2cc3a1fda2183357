"""The import page: an encrypted outbox file, built here in the format the device writes."""

import base64
import json
import os

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.core.files.uploadedfile import SimpleUploadedFile

from pendataan.models import Individu, Keluarga
from tests.sinkron.conftest import op_keluarga
from tksk.models import AuditLog

pytestmark = pytest.mark.django_db

SANDI = "sungai kahayan 2026"


def berkas(operasi, pengguna, sandi=SANDI, iterasi=310000):
    """What the device's WebCrypto export writes: PBKDF2-SHA256 → AES-256-GCM (tag appended)."""
    garam, iv = os.urandom(16), os.urandom(12)
    key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=garam, iterations=iterasi).derive(
        sandi.encode()
    )
    isi = {"operasi": operasi, "dibuat": "2026-02-01T08:00:00+07:00", "pengguna": pengguna}
    data = AESGCM(key).encrypt(iv, json.dumps(isi).encode("utf-8"), None)
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    amplop = {
        "format": "tksk-outbox",
        "versi": 1,
        "kdf": "PBKDF2-SHA256",
        "iterasi": iterasi,
        "garam": b64(garam),
        "iv": b64(iv),
        "data": b64(data),
    }
    return SimpleUploadedFile("ekspor.json", json.dumps(amplop).encode(), "application/json")


def test_import_replays_the_file_and_a_second_import_makes_no_duplicates(world, client, perangkat):
    ops = [op_keluarga(world) for _ in range(3)]
    # One of them already reached the server from the phone before it lost the signal.
    perangkat().hasil([ops[0]])
    client.force_login(world.users["tksk_pahandut"])
    r = client.post(
        "/sinkron/impor/", {"berkas": berkas(ops, "tksk_pahandut"), "kata_sandi": SANDI}
    )
    assert r.status_code == 200
    assert r.text.count("tersimpan") >= 3
    assert Keluarga.objects.filter(uuid__in=[o["uuid"] for o in ops]).count() == 3
    # The same file again (after a wipe, with new op ids): still three households.
    ulang = [{**o, "op_id": o["op_id"][:-4] + "beef"} for o in ops]
    r = client.post(
        "/sinkron/impor/", {"berkas": berkas(ulang, "tksk_pahandut"), "kata_sandi": SANDI}
    )
    assert r.status_code == 200
    assert Keluarga.objects.count() == 3 and Individu.objects.count() == 3
    assert AuditLog.objects.filter(aksi="sinkron_impor").count() == 2


def test_wrong_passphrase_other_users_file_and_junk_are_refused_keeping_nothing(world, client):
    ops = [op_keluarga(world)]
    client.force_login(world.users["tksk_pahandut"])
    for data, pesan in (
        ({"berkas": berkas(ops, "tksk_pahandut"), "kata_sandi": "salah"}, "Kata sandi salah"),
        ({"berkas": berkas(ops, "tksk_jekanraya"), "kata_sandi": SANDI}, "pengguna lain"),
        (
            {"berkas": SimpleUploadedFile("x.json", b"[[[", "application/json"), "kata_sandi": "a"},
            "bukan berkas ekspor",
        ),
    ):
        r = client.post("/sinkron/impor/", data)
        assert r.status_code == 200 and pesan in r.text
    assert not Keluarga.objects.exists()
    # The kabupaten does not import.
    client.force_login(world.users["kab_palangkaraya"])
    assert client.get("/sinkron/impor/").status_code == 403


def test_an_admin_imports_a_tksks_file(world, client):
    ops = [op_keluarga(world)]
    client.force_login(world.users["admin"])
    r = client.post(
        "/sinkron/impor/", {"berkas": berkas(ops, "tksk_pahandut"), "kata_sandi": SANDI}
    )
    assert r.status_code == 200
    assert Keluarga.objects.filter(uuid=ops[0]["uuid"]).exists()
