""" "Perangkat saya" in a real browser: a phone's device is listed and revoked, and its token
stops working at once."""

import json
import urllib.error
import urllib.request

import pytest

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE, login, screenshot


def _api(base, path, *, token=None, body=None):
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Mozilla/5.0 (Linux; Android 14)",
        }
        | ({"Authorization": f"Token {token}"} if token else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_perangkat_saya_lists_and_revokes_a_device(page_factory, live_server):
    make_user("tksk_hp", "tksk", "62.71.01")
    status, body = _api(
        live_server.url,
        "/api/v1/auth/token/",
        body={"username": "tksk_hp", "password": PASSWORD, "nama": "HP dinas Pahandut"},
    )
    assert status == 200
    token = body["token"]
    assert _api(live_server.url, "/api/v1/wilayah/", token=token)[0] == 200

    page = page_factory(PHONE)
    login(page, "tksk_hp", PASSWORD)
    page.goto("/profil/")
    page.click("text=Perangkat saya")
    daftar = page.get_by_test_id("daftar-perangkat")
    assert "HP dinas Pahandut" in daftar.inner_text()
    assert "127.0.0.1" in daftar.inner_text()  # the address of its last use
    screenshot(page, "perangkat-saya-360")
    page.click("button[aria-label='Cabut HP dinas Pahandut']")
    page.wait_for_load_state("networkidle")
    assert "dicabut" in page.locator("body").inner_text()
    # The page itself may hold a device of its own (the offline app asks for one at login).
    assert "HP dinas Pahandut" not in daftar.inner_text()
    assert page.console_errors == []

    status, body = _api(live_server.url, "/api/v1/wilayah/", token=token)
    assert status == 401
    assert body["kode"] == "perangkat_dicabut"
