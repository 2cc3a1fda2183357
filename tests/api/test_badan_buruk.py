"""Hostile bodies on every kind of JSON endpoint (the anonymous token endpoint, a session
endpoint, token-authenticated writes and searches): nesting deeper than the limit, bodies over the
size limit, invalid UTF-8 and NaN answer a 400 in JSON with an Indonesian message, never a 500 or
an HTML page, and nothing is written."""

import pytest
from django.test import Client

from pendataan.models import Keluarga
from tests.api import klien
from tksk.models import AuditLog

ENDPOINTS = [
    "/api/v1/auth/token/",
    "/api/v1/keluarga/",
    "/api/v1/individu/cari/",
    "/api/v1/ppks/",
]


def _badan(settings):
    batas = settings.API_BATAS_KEDALAMAN
    return {
        "sangat_dalam": b"[" * 200_000 + b"]" * 200_000,  # RecursionError in Python's json
        "lewat_batas": b'{"a":' * (batas + 1) + b"1" + b"}" * (batas + 1),
        "daftar_dalam": b'{"nama": ' + b"[" * (batas + 5) + b"]" * (batas + 5) + b"}",
        "terlalu_besar": b'{"nama": "' + b"A" * (settings.API_BATAS_BADAN + 10) + b'"}',
        "bukan_utf8": b'{"username": "\xff\xfe\xc3", "password": "x"}',
        "nan": b'{"username": NaN, "password": Infinity}',
        "rusak": b'{"username": ',
    }


def _json_400(response, kata):
    assert response.status_code == 400, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    assert kata in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ENDPOINTS)
def test_hostile_json_bodies_answer_400_in_json(world, settings, url):
    kata = {
        "sangat_dalam": "terlalu dalam",
        "lewat_batas": "terlalu dalam",
        "daftar_dalam": "terlalu dalam",
        "terlalu_besar": "terlalu besar",
        "bukan_utf8": "UTF-8",
        "nan": "bukan JSON",
        "rusak": "bukan JSON",
    }
    api = Client() if url.endswith("/token/") else klien(world.users["tksk_pahandut"])
    for nama, body in _badan(settings).items():
        response = api.post(url, body, content_type="application/json")
        _json_400(response, kata[nama])
    assert not Keluarga.objects.exists()
    assert not AuditLog.objects.filter(aksi="api_token").exists()


@pytest.mark.django_db
def test_nesting_within_the_limit_is_read(world, settings):
    batas = settings.API_BATAS_KEDALAMAN
    body = b'{"nik": "6271011204850001", "x": ' + b"[" * (batas - 2) + b"]" * (batas - 2) + b"}"
    response = klien(world.users["tksk_pahandut"]).post(
        "/api/v1/individu/cari/", body, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.django_db
def test_a_huge_form_body_to_a_session_endpoint_is_json(world, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["tksk_pahandut"])
    body = "nama=" + "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = client.post(
        "/api/v1/auth/perangkat/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 403, 415), response.status_code
    assert response["Content-Type"].startswith("application/json")
    invalid = client.post(
        "/api/v1/auth/perangkat/",
        b"nama=\xff\xfe",
        content_type="application/x-www-form-urlencoded",
    )
    assert invalid.status_code in (400, 403, 415)
    assert invalid["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_token_lockout_answers_json_429_in_indonesian(world, settings):
    client = Client()
    body = {"username": "tksk_pahandut", "password": "salah-sekali"}
    answers = [
        client.post("/api/v1/auth/token/", body, content_type="application/json")
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    last = answers[-1]
    assert last.status_code == 429
    assert last["Content-Type"].startswith("application/json")
    assert "Retry-After" in last
    assert "Terlalu banyak percobaan" in last.json()["detail"]
