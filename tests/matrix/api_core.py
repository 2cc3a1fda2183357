"""Matrix entries for the core API endpoints."""

from django.urls import reverse

from tests.matrix.base import Open, Scoped


def _wilayah(world, kec):
    return reverse("api:wilayah-detail", args=[world.kec[kec].kode]), None


SCOPED = [Scoped("api:wilayah-detail", _wilayah)]

OPEN = [
    Open("api:api-root"),
    Open("api:wilayah-list"),
    # Token endpoints are tested in tests/tksk/test_api_core.py (they take credentials).
    Open("api:token", method="post", expect_any=True),
    Open("api:token-revoke", method="delete", expect_any=True),
    # A device token for the logged-in browser: every role may make one for itself.
    Open("api:perangkat-create", method="post"),
]
