"""An unknown username costs the same password hashing as a wrong password: the answer's time
does not tell whether an account exists."""

import statistics
import time

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from tests.conftest import PASSWORD, make_user

TRIES = 20


def _medians(*posts) -> list[float]:
    # Interleaved, so that a busy moment of the machine slows both sides alike.
    times = [[] for _ in posts]
    for _ in range(TRIES):
        for post, spent in zip(posts, times, strict=True):
            start = time.perf_counter()
            post()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["/accounts/login/", "/api/v1/auth/token/"])
def test_unknown_username_takes_as_long_as_a_wrong_password(settings, monkeypatch, endpoint):
    # The production hasher: a fast test hasher would hide the difference being measured.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    # Locks and rate limits would answer early and make both sides equally fast.
    settings.AXES_ENABLED = False
    # DRF reads the rates into the throttle class when it is first imported, so a settings
    # override comes too late once another test has used the API: set them on the class.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"token": "10000/min", "berat": "10000/min"}
    )
    cache.clear()
    make_user("tksk_waktu", "tksk", "62.71.01")
    client = Client()

    def attempt(username):
        def post():
            body = {"username": username, "password": PASSWORD + "x"}
            if endpoint.startswith("/api/"):
                response = client.post(endpoint, body, content_type="application/json")
            else:
                response = client.post(endpoint, body)
            assert response.status_code in (200, 400)

        return post

    attempt("tksk_waktu")()  # warm-up: first queries, template loading
    wrong_password, unknown_user = _medians(attempt("tksk_waktu"), attempt("tidak_ada_akun_ini"))
    assert wrong_password > 0.005, "Argon2 should cost milliseconds; the hasher is not in use"
    difference = abs(unknown_user - wrong_password) / wrong_password
    assert difference <= 0.25, (wrong_password, unknown_user)
