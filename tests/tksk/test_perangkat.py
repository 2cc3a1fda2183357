"""Every way a device token ends, through the doors a person uses, each answering 401 after."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.test_perangkat import assert_refused, token_login, wilayah
from tests.conftest import PASSWORD, make_user
from tksk.models import AuditLog, User
from tksk.perangkat import Perangkat

NEW_PASSWORD = "Kunci-Baru-Yang-Panjang-77"


def _session_device(client, nama=""):
    response = client.post(
        "/api/v1/auth/perangkat/", {"nama": nama}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def _login(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _revocations(user):
    return AuditLog.objects.filter(aksi="perangkat_cabut", objek_uuid=user.uuid)


@pytest.fixture
def root(world):
    return make_user("root", "admin", None, is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_own_password_change_ends_every_device(world):
    tokens = [token_login("tksk_pahandut")["token"] for _ in range(2)]
    client = _login("tksk_pahandut")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    for token in tokens:
        assert_refused(token, "token_tidak_sah")
    assert _revocations(world.users["tksk_pahandut"]).count() == 2


@pytest.mark.django_db
def test_admin_password_reset_in_the_django_admin_ends_every_device(world, root):
    token = token_login("tksk_pahandut")["token"]
    client = Client()
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[world.users["tksk_pahandut"].pk])
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_refused(token, "token_tidak_sah")


@pytest.mark.django_db
def test_password_set_by_the_service_ends_every_device(world):
    from tksk import services

    token = token_login("tksk_pahandut")["token"]
    services.akun_setel_sandi(
        actor=world.users["admin"], user=world.users["tksk_pahandut"], password=NEW_PASSWORD
    )
    assert_refused(token, "token_tidak_sah")
    assert _revocations(world.users["tksk_pahandut"]).get().pelaku == world.users["admin"]


@pytest.mark.django_db
def test_logout_ends_the_device_made_from_that_session_only(world):
    browser = _login("tksk_pahandut")
    from_session = _session_device(browser)["token"]
    elsewhere = token_login("tksk_pahandut")["token"]
    assert wilayah(from_session).status_code == 200
    assert browser.post(reverse("logout")).status_code == 302
    assert_refused(from_session, "token_tidak_sah")
    assert wilayah(elsewhere).status_code == 200


@pytest.mark.django_db
def test_api_cabut_ends_the_calling_device_only(world):
    token = token_login("tksk_pahandut")["token"]
    other = token_login("tksk_pahandut")["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.delete("/api/v1/auth/token/cabut/").status_code == 204
    assert_refused(token, "token_tidak_sah")
    assert wilayah(other).status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {other}")
    assert api.post("/api/v1/auth/token/cabut/").status_code == 204
    assert_refused(other, "token_tidak_sah")


@pytest.mark.django_db
def test_keluar_dari_semua_perangkat_ends_them_all_and_keeps_their_data(world):
    tokens = [token_login("tksk_pahandut")["token"] for _ in range(3)]
    client = _login("tksk_pahandut")
    response = client.post(reverse("tksk:perangkat-cabut-semua"), follow=True)
    assert "keluar dari 3 perangkat" in response.content.decode()
    for token in tokens:
        # Not `perangkat_dicabut`: the devices keep their unsent data and log in again.
        assert_refused(token, "token_tidak_sah")
    assert _revocations(world.users["tksk_pahandut"]).count() == 3


@pytest.mark.django_db
def test_deactivation_on_the_account_page_ends_every_device(world):
    token = token_login("tksk_jekanraya")["token"]
    admin = _login("admin_sistem")
    user = world.users["tksk_jekanraya"]
    admin.post(reverse("tksk:akun-set-aktif", args=[user.uuid]), {"aktif": "0"})
    assert_refused(token, "token_tidak_sah")
    assert _revocations(user).get().data["alasan"] == "nonaktif"


def _admin_change(client, user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_staff": "on" if user.is_staff else "",
        "role": user.role,
        "wilayah": user.wilayah_id or "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **changes,
    }
    data = {k: v for k, v in data.items() if v != ""}
    return client.post(reverse("admin:tksk_user_change", args=[user.pk]), data)


@pytest.mark.django_db
def test_deactivation_and_reactivation_in_the_django_admin(world, root):
    user = world.users["tksk_jekanraya"]
    token = token_login("tksk_jekanraya")["token"]
    client = Client()
    client.force_login(root)
    response = _admin_change(client, user)  # is_active left unticked
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert not user.is_active
    assert_refused(token, "token_tidak_sah")
    response = _admin_change(client, user, is_active="on")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert_refused(token, "token_tidak_sah")
    assert not user.perangkat.aktif().exists()


@pytest.mark.django_db
def test_reactivated_account_starts_with_no_device(world):
    user = world.users["tksk_jekanraya"]
    token = token_login("tksk_jekanraya")["token"]
    # Deactivated behind the application's back (a raw update, no signal, no service)...
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_refused(token, "token_tidak_sah")
    # ...and reactivated on the account page: the old device does not come back.
    admin = _login("admin_sistem")
    admin.post(reverse("tksk:akun-set-aktif", args=[user.uuid]), {"aktif": "1"})
    user.refresh_from_db()
    assert user.is_active
    assert_refused(token, "token_tidak_sah")
    assert not user.perangkat.aktif().exists()
    assert _revocations(user).get().data["alasan"] == "aktif_ulang"


@pytest.mark.django_db
def test_perangkat_saya_lists_and_revokes_a_device_on_purpose(world, django_assert_num_queries):
    hp = token_login("tksk_pahandut", nama="HP lama", ip="10.7.7.7")["token"]
    laptop = token_login("tksk_pahandut", nama="Laptop kantor")["token"]
    assert wilayah(hp, ip="10.7.7.7").status_code == 200
    token_login("tksk_jekanraya", nama="Punya orang lain")
    client = _login("tksk_pahandut")
    page = client.get(reverse("tksk:perangkat-list")).content.decode()
    assert "HP lama" in page and "Laptop kantor" in page and "10.7.7.7" in page
    assert "Punya orang lain" not in page
    with django_assert_num_queries(5):
        client.get(reverse("tksk:perangkat-list"))
    for i in range(3):
        token_login("tksk_pahandut", nama=f"Tambahan {i}")
    with django_assert_num_queries(5):
        client.get(reverse("tksk:perangkat-list"))
    device = Perangkat.objects.get(nama="HP lama")
    response = client.post(reverse("tksk:perangkat-cabut", args=[device.pk]), follow=True)
    assert "HP lama dicabut" in response.content.decode()
    body = assert_refused(hp, "perangkat_dicabut")
    assert "dicabut" in body["detail"]
    assert wilayah(laptop).status_code == 200
    assert "HP lama" not in client.get(reverse("tksk:perangkat-list")).content.decode()
    entry = _revocations(world.users["tksk_pahandut"]).get()
    assert entry.pelaku == world.users["tksk_pahandut"] and entry.data["alasan"] == "dicabut"


@pytest.mark.django_db
@pytest.mark.parametrize("probe", ["tksk_jekanraya", "kab_palangkaraya", "prov", "admin_sistem"])
def test_nobody_revokes_another_users_device_from_their_own_page(world, probe):
    token = token_login("tksk_pahandut")["token"]
    device = Perangkat.objects.get()
    client = _login(probe)
    assert client.post(reverse("tksk:perangkat-cabut", args=[device.pk])).status_code == 404
    client.post(reverse("tksk:perangkat-cabut-semua"))
    assert wilayah(token).status_code == 200
    assert not _revocations(world.users["tksk_pahandut"]).exists()


@pytest.mark.django_db
def test_admin_revokes_one_device_or_all_from_the_account_page(world):
    user = world.users["tksk_pahandut"]
    hp = token_login("tksk_pahandut", nama="HP hilang")["token"]
    others = [token_login("tksk_pahandut")["token"] for _ in range(2)]
    admin = _login("admin_sistem")
    page = admin.get(reverse("tksk:akun-update", args=[user.uuid])).content.decode()
    assert "HP hilang" in page and "Cabut semua perangkat" in page
    url = reverse("tksk:akun-perangkat-cabut", args=[user.uuid])
    device = Perangkat.objects.get(nama="HP hilang")
    assert admin.post(url, {"perangkat": device.pk}).status_code == 302
    assert_refused(hp, "perangkat_dicabut")
    assert all(wilayah(t).status_code == 200 for t in others)
    # A device of somebody else under this account's URL is a 404.
    stranger = token_login("tksk_jekanraya")
    assert admin.post(url, {"perangkat": stranger["perangkat"]["id"]}).status_code == 404
    assert wilayah(stranger["token"]).status_code == 200
    assert admin.post(url).status_code == 302
    for token in others:
        assert_refused(token, "perangkat_dicabut")
    assert _revocations(user).filter(pelaku=world.users["admin"]).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("probe", ["kab_palangkaraya", "tksk_jekanraya"])
def test_only_an_admin_revokes_through_the_account_pages(world, probe):
    token = token_login("tksk_pahandut")["token"]
    user = world.users["tksk_pahandut"]
    client = _login(probe)
    url = reverse("tksk:akun-perangkat-cabut", args=[user.uuid])
    assert client.post(url, {"perangkat": Perangkat.objects.get().pk}).status_code == 403
    assert wilayah(token).status_code == 200


@pytest.mark.django_db
def test_django_admin_actions_revoke_on_purpose(world, root):
    one = token_login("tksk_pahandut")["token"]
    two = token_login("tksk_jekanraya")["token"]
    client = Client()
    client.force_login(root)
    device = Perangkat.objects.get(user=world.users["tksk_pahandut"])
    listing = client.get(reverse("admin:tksk_perangkat_changelist")).content.decode()
    assert device.nama in listing and device.kunci_hash not in listing
    response = client.post(
        reverse("admin:tksk_perangkat_changelist"),
        {"action": "cabut", "_selected_action": [device.pk]},
    )
    assert response.status_code == 302
    assert_refused(one, "perangkat_dicabut")
    assert wilayah(two).status_code == 200
    response = client.post(
        reverse("admin:tksk_user_changelist"),
        {"action": "cabut_semua_perangkat", "_selected_action": [world.users["tksk_jekanraya"].pk]},
    )
    assert response.status_code == 302
    assert_refused(two, "perangkat_dicabut")
    assert _revocations(world.users["tksk_jekanraya"]).get().pelaku == root
