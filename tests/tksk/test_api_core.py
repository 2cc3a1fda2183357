"""API v1 core: token login with brute-force protection, revocation, wilayah, schema and docs."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def _token(client, username, password=PASSWORD, ip="10.2.2.2"):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_token_login_and_use(api, world):
    response = _token(api, "tksk_pahandut")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = api.get("/api/v1/wilayah/", {"tingkat": "desa"}).json()
    kode = {w["kode"] for w in listing["results"]}
    assert kode and all(k.startswith("62.71.01.") for k in kode)
    assert set(listing) == {"count", "next", "previous", "results"}


@pytest.mark.django_db
def test_wrong_password_is_a_json_message_in_indonesian(api, world):
    response = _token(api, "tksk_pahandut", "salah-sekali-123")
    assert response.status_code == 400
    assert "kata sandi salah" in response.json()["detail"]
    response = api.post(TOKEN_URL, {"username": ""}, format="json")
    assert response.status_code == 400
    assert "password" in response.json() and "username" in response.json()


@pytest.mark.django_db
def test_token_endpoint_locks_out_like_the_login_page(api, world):
    for _ in range(5):
        _token(api, "tksk_selat", "salah-sekali-123", ip="10.3.3.3")
    locked = _token(api, "tksk_selat", ip="10.3.3.3")
    # JSON in Indonesian, not django-axes' HTML lock-out page.
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json() == {
        "detail": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit.",
        "kode": "terkunci",
    }
    assert locked["Retry-After"] == "900"
    # The wrong password while locked answers the same JSON.
    again = _token(api, "tksk_selat", "salah-sekali-123", ip="10.3.3.3")
    assert again.status_code == 429 and again.json()["kode"] == "terkunci"
    # Not the whole office: a colleague from the same address still gets a token.
    assert _token(api, "tksk_jekanraya", ip="10.3.3.3").status_code == 200


@pytest.mark.django_db
def test_revoked_and_deactivated_tokens_are_refused(api, world, client):
    token = _token(api, "tksk_jekanraya").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/wilayah/").status_code == 200
    assert api.delete("/api/v1/auth/token/cabut/").status_code == 204
    assert api.get("/api/v1/wilayah/").status_code in (401, 403)

    token = _token(api, "tksk_jekanraya").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.force_login(world.users["admin"])
    client.post(
        reverse("tksk:akun-set-aktif", args=[world.users["tksk_jekanraya"].uuid]), {"aktif": "0"}
    )
    assert api.get("/api/v1/wilayah/").status_code in (401, 403)


@pytest.mark.django_db
def test_wilayah_scope_and_filters(api, world):
    api.force_authenticate(world.users["kab_kapuas"])
    assert api.get("/api/v1/wilayah/62.03.01/").json()["induk"] == "62.03"
    assert api.get("/api/v1/wilayah/62.71.01/").status_code == 404
    kec = api.get("/api/v1/wilayah/", {"tingkat": "kecamatan", "page_size": 200}).json()
    assert kec["count"] == 17
    # A filter naming another area never widens the scope.
    other = api.get("/api/v1/wilayah/", {"induk": "62.71"}).json()
    assert other["count"] == 0
    api.force_authenticate(world.users["unassigned"])
    assert api.get("/api/v1/wilayah/").json()["count"] == 0


@pytest.mark.django_db
def test_schema_and_docs_are_served_by_the_app(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/auth/token/" in schema.content and b"/api/v1/wilayah/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


@pytest.mark.django_db
def test_address_lock_out_on_the_token_endpoint_is_json(api, world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for name in ["tksk_selat", "tksk_pahandut", "tksk_jekanraya"]:
        _token(api, name, "salah-sekali-123", ip="10.4.4.4")
    locked = _token(api, "kab_kapuas", ip="10.4.4.4")
    assert locked.status_code == 429 and locked["Content-Type"] == "application/json"
    assert locked.json()["kode"] == "terkunci" and "Coba lagi" in locked.json()["detail"]


@pytest.mark.django_db
def test_the_login_page_lock_out_stays_a_page(world, client):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "tksk_selat", "password": "salah-123-abc"})
    response = client.post("/accounts/login/", {"username": "tksk_selat", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
