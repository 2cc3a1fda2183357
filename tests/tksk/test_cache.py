"""The cache holds the API's rate-limit counters: it must be one for every worker process, or
each process would grant the whole limit again."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_value_set_by_another_process_is_seen_here():
    cache.delete("uji-proses-lain")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.cache import cache; cache.set('uji-proses-lain', 'ya', 60)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": _test_database_url()},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert cache.get("uji-proses-lain") == "ya"


@pytest.mark.django_db
def test_the_cache_table_comes_with_the_migrations():
    assert "tksk_cache" in connection.introspection.table_names()
