"""Role × area × view: own area works, any other area is a 404, never a 200 or 500."""

import pytest

from tests.matrix import OPEN, SCOPED

# Which kecamatan each user may see.
VISIBLE = {
    "tksk_pahandut": {"pahandut"},
    "tksk_jekanraya": {"jekanraya"},
    "tksk_selat": {"selat"},
    "kab_palangkaraya": {"pahandut", "jekanraya"},
    "kab_kapuas": {"selat"},
    "prov": {"pahandut", "jekanraya", "selat"},
    "admin": {"pahandut", "jekanraya", "selat"},
    "unassigned": set(),
}
KECAMATAN = ["pahandut", "jekanraya", "selat"]


def _request(client, method, path, data):
    if path.startswith("/api/") and method != "get":
        return getattr(client, method)(path, data or {}, content_type="application/json")
    if method == "post":
        return client.post(path, data or {})
    return client.get(path)


@pytest.mark.django_db
@pytest.mark.parametrize("entry", SCOPED, ids=lambda e: e.name)
def test_scoped_urls_matrix(entry, world, client):
    failures = []
    for username, visible in VISIBLE.items():
        user = world.users[username]
        client.force_login(user)
        for kec in KECAMATAN:
            path, data = entry.build(world, kec)
            response = _request(client, entry.method, path, data)
            status = response.status_code
            if kec not in visible:
                ok = status == 404 or (status == 403 and user.role not in entry.roles)
                expected = "404"
            elif user.role not in entry.roles:
                ok, expected = status == 403, "403"
            else:
                ok, expected = 200 <= status < 400, "2xx/3xx"
            if not ok:
                failures.append(f"{username} → {kec}: {status}, expected {expected} ({path})")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("entry", OPEN, ids=lambda e: e.name)
def test_open_urls_by_role(entry, world, client):
    from django.urls import reverse

    failures = []
    for username in VISIBLE:
        user = world.users[username]
        client.force_login(user)
        response = _request(client, entry.method, reverse(entry.name, kwargs=entry.kwargs), None)
        status = response.status_code
        if entry.expect_any:
            ok, expected = status < 500, "no server error"
        elif user.role in entry.roles:
            ok, expected = 200 <= status < 400, "2xx/3xx"
        else:
            ok, expected = status == 403, "403"
        if not ok:
            failures.append(f"{username}: {status}, expected {expected}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("entry", SCOPED, ids=lambda e: e.name)
def test_anonymous_and_inactive_get_nothing(entry, world, client):
    path, data = entry.build(world, "pahandut")
    response = _request(client, entry.method, path, data)
    if path.startswith("/api/"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.users["inactive"])
    response = _request(client, entry.method, path, data)
    assert response.status_code in (302, 401, 403, 404)
