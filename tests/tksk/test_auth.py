"""Login, lock-out, sessions and the password policy, through the real views."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.conftest import PASSWORD


def _login(client, username, password, ip="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
def test_login_page_is_indonesian_and_public(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Nama pengguna" in html and "Kata sandi" in html


@pytest.mark.django_db
def test_every_page_requires_login(client):
    for path in ["/", "/pendataan/", "/koordinasi/", "/laporan/", "/akun/", "/wilayah/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


@pytest.mark.django_db
def test_wrong_password_message_in_indonesian_and_typing_kept(client, world):
    response = _login(client, "tksk_pahandut", "salah-sekali-123")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in html
    assert 'value="tksk_pahandut"' in html


@pytest.mark.django_db
def test_login_rotates_session_and_greets_by_role_and_area(client, world):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-fixed-session-id"
    response = _login(client, "tksk_pahandut", PASSWORD)
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != "attacker-fixed-session-id"
    html = client.get("/").content.decode()
    assert "TKSK Kecamatan Pahandut, Kota Palangkaraya" in html


@pytest.mark.django_db
def test_lockout_after_five_failures_by_username_and_address_only(client, world):
    for _ in range(5):
        _login(client, "tksk_pahandut", "bukan-sandinya-1", ip="10.9.9.9")
    # Locked: even the right password is refused from that address...
    response = _login(client, "tksk_pahandut", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    # ...but a colleague in the same office (same address) can still log in,
    response = _login(client, "tksk_jekanraya", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 302
    # ...and the same user from another address too.
    client.logout()
    response = _login(client, "tksk_pahandut", PASSWORD, ip="10.7.7.7")
    assert response.status_code == 302


@pytest.mark.django_db
def test_lockout_expires_after_cooloff(client, world, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(5):
        _login(client, "tksk_selat", "bukan-sandinya-1")
    assert _login(client, "tksk_selat", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "tksk_selat", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_success_resets_failure_count(client, world):
    for _ in range(4):
        _login(client, "tksk_selat", "bukan-sandinya-1")
    assert _login(client, "tksk_selat", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "tksk_selat", "bukan-sandinya-1")
    assert _login(client, "tksk_selat", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_logout_ends_other_sessions(client, world, django_user_model):
    from django.test import Client

    other = Client()
    _login(other, "tksk_pahandut", PASSWORD)
    _login(client, "tksk_pahandut", PASSWORD)
    assert other.get("/").status_code == 200
    client.post(reverse("logout"))
    assert other.get("/").status_code == 302


@pytest.mark.django_db
def test_password_change_keeps_this_session_ends_others(client, world):
    from django.test import Client

    other = Client()
    _login(other, "tksk_pahandut", PASSWORD)
    _login(client, "tksk_pahandut", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Sungai-Kahayan-Biru-77",
            "new_password2": "Sungai-Kahayan-Biru-77",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password,fragment",
    [
        ("Pendek-1", "terlalu pendek"),
        ("Dinsos-Kuat-Sekali-2026", "dinsos"),
        ("K4lteng-Rumah-Panjang", "kalteng"),
        ("qwertyytrewq", "terlalu umum"),
        ("Password-Baru-Sekali", "password"),
        ("tksk_pahandut-99", "mirip"),
    ],
)
def test_password_policy_on_change(client, world, password, fragment):
    client.force_login(world.users["tksk_pahandut"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert fragment in response.content.decode().lower()


@pytest.mark.django_db
def test_idle_timeout_and_absolute_lifetime(client, world, settings):
    import time

    _login(client, "tksk_pahandut", PASSWORD)
    session = client.session
    session["tksk_seen_at"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    assert client.get("/").status_code == 302

    _login(client, "tksk_pahandut", PASSWORD)
    session = client.session
    session["tksk_login_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_LIFETIME - 5
    session.save()
    assert client.get("/").status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_first_login_shows_privacy_notice_once(client, world):
    from tksk.models import User

    User.objects.filter(username="tksk_selat").update(privasi_disetujui=None)
    _login(client, "tksk_selat", PASSWORD)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("tksk:privasi")
    page = client.get(reverse("tksk:privasi")).content.decode()
    assert "UU 27/2022" in page and "Pengendali data pribadi" in page
    client.post(reverse("tksk:privasi"))
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_privacy_notice_is_public(client):
    response = client.get(reverse("tksk:privasi"))
    assert response.status_code == 200
    assert "Hak subjek data" in response.content.decode()
    assert client.post(reverse("tksk:privasi")).status_code in (200, 302)


@pytest.mark.django_db
def test_looser_per_address_limit_across_usernames(client, world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    # 4 failures each for 3 usernames: none of them is locked by the per-user rule...
    for name in ["tksk_pahandut", "tksk_jekanraya", "tksk_selat"]:
        for _ in range(4):
            assert _login(client, name, "bukan-sandinya-1", ip="10.5.5.5").status_code == 200
    # ...but the address has now failed 12 times: everyone from it waits for the cool-off,
    assert _login(client, "prov", PASSWORD, ip="10.5.5.5").status_code == 429
    # while other addresses are unaffected.
    assert _login(client, "prov", PASSWORD, ip="10.6.6.6").status_code == 302
