#!/usr/bin/env python
"""Work scaling: several `manage.py db_worker` processes share one queue of jobs, and no job runs
twice.

    .venv/bin/python scripts/workers_demo.py [--jobs 20] [--workers 2] [--sleep 0.3]

Enqueues `--jobs` jobs of `tksk.tasks.catat_kerja` (each sleeps `--sleep` seconds so that the
workers overlap, then writes one audit-log row with its job id and the worker's pid), starts
`--workers` worker processes against the same database, waits until every job has finished
(at most `--timeout` seconds), stops the workers, and checks: every job succeeded, every job left
exactly one audit row, and every worker ran at least one job. Exit status 0 when all holds.

Why it holds: django-tasks-db's worker takes a job with
`SELECT ... FOR UPDATE SKIP LOCKED` (DBTaskResultQuerySet.get_locked) and marks it running
(`claim`) in the same transaction; a second worker skips the locked row and takes the next one.
The same works with workers on other machines: all they share is the database.

Database: DATABASE_URL, else the project-local PostgreSQL (as `make run`). Migrates first.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tksk.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_tasks import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from tksk.models import AuditLog  # noqa: E402
from tksk.tasks import catat_kerja  # noqa: E402


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_workers(n: int, env: dict, label: str) -> list[subprocess.Popen]:
    workers = []
    for i in range(1, n + 1):
        cmd = [
            sys.executable,
            str(ROOT / "manage.py"),
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            f"{label}-w{i}",
            "--verbosity",
            "0",
        ]
        workers.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL))
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for p in workers:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)  # graceful: finishes the current job
    for p in workers:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def run(jobs: int, n_workers: int, sleep: float, timeout: float, env: dict) -> dict:
    """Enqueue, run with n workers, stop them; returns what happened (see check())."""
    label = f"demo-{uuid.uuid4().hex[:8]}"
    results = [catat_kerja.enqueue(label=f"{label}-{i:03d}", tidur=sleep) for i in range(jobs)]
    ids = [r.id for r in results]
    started = time.monotonic()
    workers = start_workers(n_workers, env, label)
    try:
        deadline = started + timeout
        while time.monotonic() < deadline:
            unfinished = DBTaskResult.objects.filter(id__in=ids).exclude(
                status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
            )
            if not unfinished.exists():
                break
            if all(p.poll() is not None for p in workers):
                break  # every worker died: nothing more will happen
            time.sleep(0.2)
        seconds = time.monotonic() - started
    finally:
        stop_workers(workers)
    rows = DBTaskResult.objects.filter(id__in=ids)
    logs = AuditLog.objects.filter(aksi="kerja_uji", data__label__startswith=f"{label}-")
    return {
        "label": label,
        "jobs": jobs,
        "seconds": round(seconds, 1),
        "status": Counter(r.status for r in rows),
        "runs_per_job": Counter(str(log.data["job"]) for log in logs),
        "ids": [str(i) for i in ids],
        "per_worker": Counter(f"{log.data['worker']} (pid {log.data['pid']})" for log in logs),
        "worker_ids_per_job": {str(r.id): r.worker_ids for r in rows},
        "workers": n_workers,
    }


def check(outcome: dict) -> list[str]:
    """What went wrong (empty: every job ran exactly once and every worker took part)."""
    problems = []
    if outcome["status"].get(TaskResultStatus.SUCCESSFUL, 0) != outcome["jobs"]:
        problems.append(f"not every job succeeded: {dict(outcome['status'])}")
    missing = [i for i in outcome["ids"] if outcome["runs_per_job"][i] == 0]
    twice = {i: n for i, n in outcome["runs_per_job"].items() if n > 1}
    if missing:
        problems.append(f"{len(missing)} job(s) never ran")
    if twice:
        problems.append(f"job(s) ran more than once: {twice}")
    claimed_twice = {i: w for i, w in outcome["worker_ids_per_job"].items() if len(w) != 1}
    if claimed_twice:
        problems.append(f"job(s) claimed by several workers: {claimed_twice}")
    if len(outcome["per_worker"]) != outcome["workers"]:
        problems.append(f"{len(outcome['per_worker'])} of {outcome['workers']} workers ran jobs")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sleep", type=float, default=0.3, help="seconds per job (max 5)")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    env = {**os.environ, "DATABASE_URL": database_url()}
    print(
        f"{args.jobs} jobs of tksk.tasks.catat_kerja ({args.sleep} s each), "
        f"{args.workers} db_worker processes, database {connection.settings_dict['NAME']}"
    )
    outcome = run(args.jobs, args.workers, args.sleep, args.timeout, env)
    print(f"finished in {outcome['seconds']} s; job status: {dict(outcome['status'])}")
    for worker, n in sorted(outcome["per_worker"].items()):
        print(f"  {worker}: {n} jobs")
    ran = Counter(outcome["runs_per_job"].values())
    print("jobs by number of runs: " + ", ".join(f"{n}× → {k}" for n, k in sorted(ran.items())))
    problems = check(outcome)
    for p in problems:
        print(f"FAIL: {p}")
    if not problems:
        print("OK: every job ran exactly once, and every worker took part.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
