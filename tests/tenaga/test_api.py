"""The TKSK registry through the API: read for kabupaten (own area) and province, write and
import for admins, through the same services and checks as the pages."""

import pytest
from django.urls import reverse

from tenaga.models import SKTKSK, ProfilTKSK
from tests.api import klien
from tests.matrix.tenaga import buat_profil

pytestmark = pytest.mark.django_db
NIK = "6271015205900003"


def _daftar(user) -> set[str]:
    response = klien(user).get(reverse("api:tksk-list"))
    assert response.status_code == 200, response.content
    return {r["nama"] for r in response.json()["results"]}


def test_reads_are_scoped_and_the_nik_is_masked(world):
    buat_profil(world, "pahandut", nik=NIK)
    buat_profil(world, "selat")
    assert _daftar(world.users["kab_palangkaraya"]) == {"TKSK Pahandut"}
    assert _daftar(world.users["kab_kapuas"]) == {"TKSK Selat"}
    assert _daftar(world.users["prov"]) == {"TKSK Pahandut", "TKSK Selat"}
    response = klien(world.users["kab_palangkaraya"]).get(reverse("api:tksk-list"))
    assert NIK not in response.content.decode()
    row = response.json()["results"][0]
    assert row["nik_samar"] == "6271********0003" and row["kecamatan"] == "62.71.01"
    assert row["akun"] == "tksk_pahandut" and "nik" not in row
    selat = ProfilTKSK.objects.get(nama="TKSK Selat")
    path = reverse("api:tksk-detail", args=[selat.uuid])
    assert klien(world.users["kab_palangkaraya"]).get(path).status_code == 404
    assert klien(world.users["tksk_selat"]).get(path).status_code == 403
    assert klien(world.users["tksk_pahandut"]).get(reverse("api:tksk-list")).status_code == 403


def test_only_admins_write(world):
    body = {"kecamatan": "62.71.01", "nama": "Lewat API", "jenis_kelamin": "L"}
    for username in ("prov", "kab_palangkaraya"):
        response = klien(world.users[username]).post(reverse("api:tksk-list"), body, format="json")
        assert response.status_code == 403
    assert not ProfilTKSK.objects.exists()


def test_admin_creates_idempotently_and_updates_with_a_version(world):
    api = klien(world.users["admin"])
    body = {
        "uuid": "0b8f8a57-5a55-4b6e-9a4c-4d1b3c1f0a01",
        "akun": "tksk_pahandut",
        "nama": "Rina Susanti",
        "nik": NIK,
        "jenis_kelamin": "P",
        "tanggal_lahir": "1991-05-12",
        "asal": "karang_taruna",
    }
    response = api.post(reverse("api:tksk-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kecamatan"] == "62.71.01" and data["uuid"] == body["uuid"]
    assert any("tanggal lahir" in p for p in data["peringatan"])  # NIK vs birth date: a warning
    again = api.post(reverse("api:tksk-list"), body, format="json")
    assert again.status_code == 200 and ProfilTKSK.objects.count() == 1
    path = reverse("api:tksk-detail", args=[body["uuid"]])
    assert api.patch(path, {"telepon": "0813"}, format="json").status_code == 428
    response = api.patch(path, {"telepon": "081355551212", "versi": 1}, format="json")
    assert response.status_code == 200 and response.json()["telepon"] == "081355551212"
    stale = api.patch(path, {"telepon": "0811", "versi": 1}, format="json")
    assert stale.status_code == 409
    profil = ProfilTKSK.objects.get()
    assert profil.nik == NIK and profil.nama == "Rina Susanti" and profil.versi == 2


def test_bad_input_is_refused_with_indonesian_messages(world):
    api = klien(world.users["admin"])
    body = {"kecamatan": "62.71.01", "nama": "X", "jenis_kelamin": "L", "nik": "123"}
    response = api.post(reverse("api:tksk-list"), body, format="json")
    assert response.status_code == 400 and "nik" in response.json()
    body = {"kecamatan": "99.99.99", "nama": "X", "jenis_kelamin": "L"}
    response = api.post(reverse("api:tksk-list"), body, format="json")
    assert response.json() == {"kecamatan": ["Kode kecamatan tidak ada di wilayah Anda."]}
    assert not ProfilTKSK.objects.exists()


def _baris(**isi):
    row = {"username": "tksk_pahandut", "nama": "Rina Susanti", "jenis_kelamin": "P",
           "asal": "psm", "nomor_sk": "SK/1", "tanggal_sk": "2025-01-02",
           "penerbit_sk": "Dinas Sosial Provinsi", "sk_mulai": "2025-01-03",
           "sk_selesai": "2026-12-31"}  # fmt: skip
    row.update(isi)
    return row


def test_import_checks_then_saves_all_or_nothing(world):
    api = klien(world.users["admin"])
    path = reverse("api:tksk-impor")
    rows = [_baris(), _baris(username="tksk_selat", nama="Ahmad Fauzi", sk_selesai="2024-01-01")]
    response = api.post(path, {"baris": rows, "simpan": True}, format="json")
    assert response.status_code == 400
    hasil = response.json()
    assert hasil["disimpan"] is False and hasil["galat"] == 1 and hasil["siap"] == 1
    assert hasil["baris"][1]["galat"]["sk_selesai"] == [
        "Tanggal akhir SK tidak boleh sebelum tanggal mulainya."
    ]
    assert not ProfilTKSK.objects.exists() and not SKTKSK.objects.exists()
    rows[1]["sk_selesai"] = "2026-12-31"
    pratinjau = api.post(path, {"baris": rows}, format="json")
    assert pratinjau.status_code == 200 and pratinjau.json()["siap"] == 2
    assert not ProfilTKSK.objects.exists()
    response = api.post(path, {"baris": rows, "simpan": True}, format="json")
    assert response.status_code == 201 and response.json()["disimpan"] is True
    assert ProfilTKSK.objects.count() == 2 and SKTKSK.objects.count() == 2
    again = api.post(path, {"baris": rows, "simpan": True}, format="json")
    assert again.status_code == 201 and again.json()["lewati"] == 2
    assert ProfilTKSK.objects.count() == 2


def test_import_is_for_admins_only(world):
    for username in ("prov", "kab_palangkaraya", "tksk_pahandut"):
        response = klien(world.users[username]).post(
            reverse("api:tksk-impor"), {"baris": [_baris()], "simpan": True}, format="json"
        )
        assert response.status_code == 403
    assert not ProfilTKSK.objects.exists()
