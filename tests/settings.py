"""Test settings: the production settings (DEBUG off) with what a test run lacks filled in."""

import os
import sys

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from tksk.settings import *  # noqa: E402,F403
from tksk.settings import DATABASES, STORAGES  # noqa: E402

# Browser tests run a live server whose every request is a new thread; a kept connection would
# outlive its thread and pile up until PostgreSQL refuses new clients half-way through the suite.
# The background workers the tests start keep the production setting they are tested with.
if "db_worker" not in sys.argv:
    for _db in DATABASES.values():
        _db["CONN_MAX_AGE"] = 0

# No collectstatic before tests: serve from the source folders.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
