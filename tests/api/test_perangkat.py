"""Device tokens: made per device, stored hashed, expiring, and every 401 saying why."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tksk.perangkat import Perangkat, hash_token

TOKEN_URL = "/api/v1/auth/token/"
PERANGKAT_URL = "/api/v1/auth/perangkat/"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)


def token_login(username, ip="10.9.9.9", **extra):
    api = APIClient()
    body = {"username": username, "password": PASSWORD, **extra}
    response = api.post(TOKEN_URL, body, format="json", REMOTE_ADDR=ip)
    assert response.status_code == 200, response.content
    return response.json()


def wilayah(token, ip="10.9.9.9"):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/wilayah/", REMOTE_ADDR=ip)


def assert_refused(token, kode):
    response = wilayah(token)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["kode"] == kode
    assert set(body) == {"detail", "kode"} and body["detail"]
    return body


@pytest.mark.django_db
def test_token_endpoint_makes_a_new_hashed_device_each_login(world):
    first = token_login("tksk_pahandut", nama="HP kantor")
    second = token_login("tksk_pahandut")
    assert first["token"] != second["token"]
    assert first["perangkat"]["nama"] == "HP kantor"
    assert set(first["perangkat"]) == {"id", "nama", "dibuat", "kedaluwarsa"}
    row = Perangkat.objects.get(pk=first["perangkat"]["id"])
    # Only the hash is stored, never the token itself.
    assert row.kunci_hash == hash_token(first["token"]) and first["token"] not in row.kunci_hash
    assert not Perangkat.objects.filter(kunci_hash=first["token"]).exists()
    assert wilayah(first["token"]).status_code == 200
    assert wilayah(second["token"]).status_code == 200


@pytest.mark.django_db
def test_session_browser_gets_a_device_named_from_its_user_agent_with_csrf(world):
    browser = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=ANDROID_CHROME)
    browser.force_login(world.users["tksk_pahandut"])
    # Without the page's CSRF token the session cannot make a device.
    assert browser.post(PERANGKAT_URL, {}, content_type="application/json").status_code == 403
    browser.get("/")
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        PERANGKAT_URL, {}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["perangkat"]["nama"] == "Chrome di Android"
    assert wilayah(body["token"]).status_code == 200
    named = browser.post(
        PERANGKAT_URL,
        {"nama": "Tablet desa"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    ).json()
    assert named["perangkat"]["nama"] == "Tablet desa"
    # A token alone cannot make another device through this door.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.post(PERANGKAT_URL, {}, format="json").status_code in (401, 403)


@pytest.mark.django_db
def test_anonymous_cannot_make_a_device():
    assert APIClient().post(PERANGKAT_URL, {}, format="json").status_code == 403


@pytest.mark.django_db
def test_unknown_token_is_token_tidak_sah(world):
    assert_refused("bukan-token-yang-ada", "token_tidak_sah")


@pytest.mark.django_db
def test_unused_token_expires_after_the_idle_days(world, settings):
    token = token_login("tksk_pahandut")["token"]
    Perangkat.objects.update(kedaluwarsa=timezone.now() - timedelta(seconds=1))
    assert_refused(token, "token_kedaluwarsa")


@pytest.mark.django_db
def test_expiry_slides_with_use_but_never_past_the_maximum(world, settings):
    settings.TKSK_TOKEN_IDLE_DAYS, settings.TKSK_TOKEN_MAX_DAYS = 30, 180
    token = token_login("tksk_pahandut")["token"]
    row = Perangkat.objects.get()
    assert abs(row.kedaluwarsa - (row.dibuat + timedelta(days=30))) < timedelta(minutes=1)
    # Used 20 days later: 30 more days from then.
    twenty_days_ago = timezone.now() - timedelta(days=20)
    Perangkat.objects.update(dibuat=twenty_days_ago, terakhir_dipakai=twenty_days_ago)
    assert wilayah(token).status_code == 200
    row.refresh_from_db()
    assert abs(row.kedaluwarsa - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert row.alamat_terakhir == "10.9.9.9"
    # Made 170 days ago: the sliding expiry stops at 180 days after creation.
    old = timezone.now() - timedelta(days=170)
    Perangkat.objects.update(dibuat=old, terakhir_dipakai=old)
    assert wilayah(token).status_code == 200
    row.refresh_from_db()
    assert abs(row.kedaluwarsa - (old + timedelta(days=180))) < timedelta(minutes=1)
    Perangkat.objects.update(dibuat=timezone.now() - timedelta(days=181))
    Perangkat.objects.update(kedaluwarsa=timezone.now() - timedelta(days=1))
    assert_refused(token, "token_kedaluwarsa")


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    token = token_login("tksk_pahandut")["token"]
    assert wilayah(token).status_code == 200
    first = Perangkat.objects.get().terakhir_dipakai
    assert first is not None
    assert wilayah(token).status_code == 200
    assert Perangkat.objects.get().terakhir_dipakai == first
    Perangkat.objects.update(terakhir_dipakai=timezone.now() - timedelta(minutes=2))
    assert wilayah(token).status_code == 200
    assert Perangkat.objects.get().terakhir_dipakai > first


@pytest.mark.django_db
def test_request_auth_is_the_device_row(world, rf):
    from tksk.auth import PerangkatTokenAuthentication

    token = token_login("tksk_pahandut")["token"]
    request = rf.get("/api/v1/wilayah/", HTTP_AUTHORIZATION=f"Token {token}")
    from rest_framework.request import Request

    user, auth = PerangkatTokenAuthentication().authenticate(Request(request))
    assert isinstance(auth, Perangkat) and user == world.users["tksk_pahandut"]
