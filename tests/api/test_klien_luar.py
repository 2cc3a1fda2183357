"""An outside client with a real token: log in, list its area, create a household, retry it,
update it with a version check; tokens of deactivated users are refused; heavy requests are
throttled."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from pendataan.models import Keluarga
from tests.api import badan_keluarga
from tests.conftest import PASSWORD
from tests.matrix.keluarga import buat_keluarga


def _token(api, username) -> str:
    response = api.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    return response.json()["token"]


@pytest.mark.django_db
def test_outside_client_journey_with_a_token(world):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(api, 'tksk_pahandut')}")
    buat_keluarga(world, "pahandut")
    buat_keluarga(world, "selat")

    daftar = api.get("/api/v1/keluarga/").json()
    assert daftar["count"] == 1 and set(daftar) == {"count", "next", "previous", "results"}

    body = badan_keluarga(world.desa["pahandut"], jumlah=5)
    dibuat = api.post("/api/v1/keluarga/", body, format="json")
    assert dibuat.status_code == 201
    # The connection dropped before the answer arrived: the client sends it again.
    ulang = api.post("/api/v1/keluarga/", body, format="json")
    assert ulang.status_code == 200 and ulang.json()["uuid"] == body["uuid"]
    assert Keluarga.objects.filter(desa__kecamatan=world.kec["pahandut"]).count() == 2

    url = f"/api/v1/keluarga/{body['uuid']}/"
    ubah = api.patch(url, {"rt": "010"}, format="json", HTTP_IF_MATCH=dibuat["ETag"])
    assert ubah.status_code == 200 and ubah.json()["versi"] == 2
    stale = api.patch(url, {"rt": "011"}, format="json", HTTP_IF_MATCH=dibuat["ETag"])
    assert stale.status_code == 409 and stale.json()["terkini"]["rt"] == "010"


@pytest.mark.django_db
def test_deactivated_users_token_is_refused(world, client):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(api, 'tksk_jekanraya')}")
    assert api.get("/api/v1/keluarga/").status_code == 200
    client.force_login(world.users["admin"])
    client.post(
        reverse("tksk:akun-set-aktif", args=[world.users["tksk_jekanraya"].uuid]), {"aktif": "0"}
    )
    body = badan_keluarga(world.desa["jekanraya"])
    for response in (
        api.get("/api/v1/keluarga/"),
        api.post("/api/v1/keluarga/", body, format="json"),
    ):
        assert response.status_code in (401, 403)
        assert "tidak aktif" in response.json()["detail"]
    assert not Keluarga.objects.exists()


@pytest.mark.django_db
def test_anonymous_requests_are_refused(world):
    response = APIClient().get("/api/v1/keluarga/")
    assert response.status_code in (401, 403)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token bukan-token-yang-ada")
    assert api.get("/api/v1/keluarga/").status_code in (401, 403)


@pytest.mark.django_db
def test_heavy_list_requests_are_throttled_light_ones_are_not(world):
    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "berat": "3/min"}
    with override_settings(
        REST_FRAMEWORK={**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": rates}
    ):
        api = APIClient()
        api.force_authenticate(world.users["tksk_pahandut"])
        for params in ({"search": "budi"}, {"page_size": 200}, {"nik": "lengkap"}):
            assert api.get("/api/v1/keluarga/", params).status_code == 200
        response = api.get("/api/v1/individu/", {"search": "budi"})
        assert response.status_code == 429
        assert "Coba lagi dalam" in response.json()["detail"]
        assert "Retry-After" in response
        # A plain page and a page of 50 are not heavy.
        for _ in range(5):
            assert api.get("/api/v1/keluarga/", {"page_size": 50}).status_code == 200
        # Another user has their own allowance.
        lain = APIClient()
        lain.force_authenticate(world.users["tksk_selat"])
        assert lain.get("/api/v1/keluarga/", {"search": "budi"}).status_code == 200
    cache.clear()


@pytest.mark.django_db
def test_session_calls_of_the_web_app_need_the_csrf_token(world):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(world.users["tksk_pahandut"])
    assert api.get("/api/v1/keluarga/").status_code == 200
    body = badan_keluarga(world.desa["pahandut"])
    response = api.post("/api/v1/keluarga/", body, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Keluarga.objects.exists()
    api.get("/")  # a page of the web app sets the csrftoken cookie
    token = api.cookies["csrftoken"].value
    response = api.post("/api/v1/keluarga/", body, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
