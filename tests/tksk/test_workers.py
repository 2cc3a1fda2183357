"""Work scaling: two `manage.py db_worker` processes share one queue and no job runs twice
(django-tasks-db takes each job with SELECT ... FOR UPDATE SKIP LOCKED)."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tksk.models import AuditLog
from tksk.tasks import catat_kerja

ROOT = Path(__file__).resolve().parents[2]
JOBS = 20
BATAS_DETIK = 90


def _test_database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _worker(nama):
    cmd = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    cmd += ["--interval", "0.1", "--worker-id", nama, "--verbosity", "0"]
    env = {**os.environ, "DATABASE_URL": _test_database_url()}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_run_each_job_once():
    # Jobs that take a little while, so that both workers are busy at the same time.
    ids = [str(catat_kerja.enqueue(label=f"uji-{i}", tidur=0.4).id) for i in range(JOBS)]
    workers = [_worker("uji-w1"), _worker("uji-w2")]
    try:
        batas = time.monotonic() + BATAS_DETIK
        while time.monotonic() < batas:
            selesai = DBTaskResult.objects.filter(id__in=ids, status=TaskResultStatus.SUCCESSFUL)
            if selesai.count() == JOBS or any(p.poll() is not None for p in workers):
                break
            time.sleep(0.2)
    finally:
        for p in workers:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        errors = [p.communicate(timeout=30)[1] for p in workers]
    assert all(p.returncode == 0 for p in workers), errors

    hasil = DBTaskResult.objects.filter(id__in=ids)
    assert Counter(r.status for r in hasil) == {TaskResultStatus.SUCCESSFUL: JOBS}
    # Each job claimed by one worker, and ran once: one audit row per job id.
    assert all(len(r.worker_ids) == 1 for r in hasil)
    jejak = list(AuditLog.objects.filter(aksi="kerja_uji").values_list("data", flat=True))
    assert Counter(d["job"] for d in jejak) == Counter(ids)
    # Both took part, each in its own process.
    per_worker = Counter(r.worker_ids[0] for r in hasil)
    assert set(per_worker) == {"uji-w1", "uji-w2"}
    assert len({d["pid"] for d in jejak}) == 2
    assert {d["worker"] for d in jejak} == {"uji-w1", "uji-w2"}
