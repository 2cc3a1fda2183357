#!/usr/bin/env python
"""Read scaling, shown on one machine: a PostgreSQL primary and a streaming replica on loopback,
the app serving dashboards from the replica.

    .venv/bin/python scripts/replica_demo.py [--households 5000] [--keep] [--timeout 900]
    make replica-demo

1. initdb a primary under var/replica-demo/primary (as the `postgres` OS user when run as root,
   like tksk/localdb.py), start it on a free loopback port;
2. `pg_basebackup -R -X stream` it into var/replica-demo/replica, start that as a hot standby
   (hot_standby_feedback on) on another free port, and wait until the primary's
   `pg_stat_replication` says `streaming`;
3. migrate, load the wilayah and seed `--households` households on the primary, wait until the
   replica has replayed all of it;
4. start gunicorn with DATABASE_URL (primary) and DATABASE_REPLICA_URL (replica), production
   settings (DEBUG=0), log in as the province demo account and fetch the dashboard /laporan/;
5. show where the dashboard's queries ran: the statements each server logged during that one
   request (log_statement = all on both);
6. stop gunicorn and both servers and delete var/replica-demo (unless --keep).

Everything stops by itself: each wait has a deadline, and the whole run is cut at --timeout.
Exit status 0 when the dashboard's reads ran on the replica and none of them on the primary.
"""

import argparse
import contextlib
import html
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from tksk import localdb  # noqa: E402
from tksk.localdb import Cluster, LocalDBError  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEMO_USER, DEMO_PASSWORD = "dinsos.prov", "Demo-Kalteng-2026"
PRIMARY_SETTINGS = [
    "wal_level = replica",
    "max_wal_senders = 4",
    "wal_keep_size = '512MB'",  # the seed must not outrun the replica's WAL position
    "log_statement = 'all'",  # step 5 reads the statements back from server.log
    "log_line_prefix = '%m [%p] '",
    *localdb.FAST_SETTINGS,  # a demo: durability traded for speed, as in test clusters
]
REPLICA_SETTINGS = [
    "hot_standby = on",
    # Long report queries on the replica are not cancelled by the primary's vacuum.
    "hot_standby_feedback = on",
]


class Timeout(Exception):
    pass


def say(msg: str) -> None:
    print(msg, flush=True)


def demo_home() -> Path:
    """var/replica-demo, or beside the local database's /var/tmp fallback when the server user
    cannot enter var/ (see localdb.cluster_home)."""
    return localdb.cluster_home(ROOT).parent / "replica-demo"


def query(port: int, sql: str, params=None):
    with psycopg.connect(
        host="127.0.0.1", port=port, user=localdb.DB_USER, dbname=localdb.DB_NAME, autocommit=True
    ) as conn:
        return conn.execute(sql, params).fetchall()


def wait_for(what: str, check, seconds: float, every: float = 0.5):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise Timeout(f"gave up waiting for {what} after {seconds:.0f} s")
        time.sleep(every)


def stop_cluster(cluster: Cluster) -> None:
    with contextlib.suppress(LocalDBError, OSError):
        if cluster.stop(mode="fast"):
            say(f"  stopped {cluster.home.name}")


# --- steps ----------------------------------------------------------------------------------------


def start_primary(home: Path) -> tuple[Cluster, int]:
    primary = Cluster(home / "primary")
    primary.init(PRIMARY_SETTINGS)
    port = primary.start_on_free_port(None)
    say(f"primary: 127.0.0.1:{port} (data {primary.data})")
    return primary, port


def start_replica(home: Path, primary_port: int) -> tuple[Cluster, int]:
    replica = Cluster(home / "replica")
    replica.home.mkdir(parents=True)
    localdb._give_to_server_user(replica.home)
    cmd = [str(localdb.bindir() / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port)]
    cmd += ["-U", localdb.DB_USER, "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"]
    started = time.monotonic()
    localdb._run_server_cmd(cmd, "pg_basebackup")
    say(f"pg_basebackup -R -X stream: {time.monotonic() - started:.1f} s")
    with open(replica.data / "postgresql.conf", "a") as conf:
        conf.write("\n# Added by scripts/replica_demo.py\n" + "\n".join(REPLICA_SETTINGS) + "\n")
    port = replica.start_on_free_port(None)
    say(f"replica: 127.0.0.1:{port} (data {replica.data}, standby.signal from -R)")
    return replica, port


def wait_streaming(primary_port: int, replica_port: int) -> None:
    def streaming():
        rows = query(
            primary_port,
            "SELECT application_name, client_addr::text, state, sync_state "
            "FROM pg_stat_replication",
        )
        return rows if rows and rows[0][2] == "streaming" else None

    rows = wait_for("pg_stat_replication state = streaming", streaming, 30)
    say(f"primary pg_stat_replication: {rows}")
    (in_recovery,) = query(replica_port, "SELECT pg_is_in_recovery()")[0]
    say(f"replica pg_is_in_recovery(): {in_recovery}")
    if not in_recovery:
        raise RuntimeError("the replica is not a standby")


def wait_replayed(primary_port: int) -> float:
    """Wait until the replica has replayed everything the primary has written; returns the
    seconds it took from now."""
    started = time.monotonic()
    (target,) = query(primary_port, "SELECT pg_current_wal_lsn()::text")[0]

    def replayed():
        rows = query(
            primary_port,
            "SELECT pg_wal_lsn_diff(%s::pg_lsn, replay_lsn) <= 0 FROM pg_stat_replication",
            [target],
        )
        return rows and rows[0][0]

    wait_for("the replica to replay the seed", replayed, 120, every=0.1)
    return time.monotonic() - started


def manage(env: dict, *args: str, seconds: float = 600) -> str:
    started = time.monotonic()
    proc = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    say(f"  manage.py {' '.join(args)}: {time.monotonic() - started:.1f} s  {last}")
    return proc.stdout


class Browser:
    """Just enough of a browser: cookies by name, the CSRF token of the login form."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        ms = (time.perf_counter() - started) * 1000
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), text, ms

    def login(self, username: str, password: str) -> None:
        status, _, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise RuntimeError(f"login page: HTTP {status}")
        form = {"csrfmiddlewaretoken": html.unescape(token.group(1))}
        form.update(username=username, password=password)
        status, headers, _, _ = self.request("POST", "/accounts/login/", form)
        if status != 302:
            raise RuntimeError(f"login as {username}: HTTP {status}, expected a redirect")


def start_app(env: dict) -> tuple[subprocess.Popen, int]:
    port = localdb._free_port()
    cmd = [GUNICORN, "tksk.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    cmd += ["--timeout", "60", "--log-level", "warning"]
    app = subprocess.Popen(cmd, cwd=ROOT, env=env)

    def healthy():
        if app.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {app.returncode}")
        with contextlib.suppress(OSError):
            status, _, _, _ = Browser(port).request("GET", "/healthz")
            return status == 200
        return False

    wait_for("gunicorn /healthz", healthy, 60)
    say(f"gunicorn (2 workers) on 127.0.0.1:{port}: /healthz 200")
    return app, port


def log_size(cluster: Cluster) -> int:
    return cluster.log.stat().st_size if cluster.log.exists() else 0


def statements_since(cluster: Cluster, offset: int) -> list[str]:
    with open(cluster.log, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    return [line.split("statement: ", 1)[1] for line in text.splitlines() if "statement: " in line]


DATA_TABLES = re.compile(r'"(pendataan_\w+|laporan_ringkasan\w*|koordinasi_\w+)"')


def fetch_dashboard(browser: Browser, primary: Cluster, replica: Cluster) -> bool:
    # A first request warms both workers' connections and the router's health check, so that
    # the measured request shows the steady state.
    for _ in range(2):
        browser.request("GET", "/laporan/")
    before = (log_size(primary), log_size(replica))
    status, _, page, ms = browser.request("GET", "/laporan/")
    time.sleep(0.2)  # the servers write their log lines as they run the statements
    on_primary = statements_since(primary, before[0])
    on_replica = statements_since(replica, before[1])
    say(f"GET /laporan/ as {DEMO_USER}: HTTP {status}, {len(page):,} bytes, {ms:.0f} ms")
    if status != 200:
        raise RuntimeError(f"dashboard: HTTP {status}")
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    say(f"  page title: {title.group(1).strip() if title else '?'}")
    for name, stmts in (("primary", on_primary), ("replica", on_replica)):
        data = [s for s in stmts if DATA_TABLES.search(s)]
        tables = sorted({t for s in data for t in DATA_TABLES.findall(s)})
        say(
            f"  statements on the {name} during that request: {len(stmts)}, "
            f"of which reading pendataan/laporan/koordinasi data: {len(data)}"
        )
        if tables:
            say(f"    tables: {', '.join(tables)}")
        for s in stmts[:6]:
            say(f"    {s[:150]}")
        if len(stmts) > 6:
            say(f"    ... ({len(stmts) - 6} more)")
    data_on_primary = [s for s in on_primary if DATA_TABLES.search(s)]
    data_on_replica = [s for s in on_replica if DATA_TABLES.search(s)]
    if data_on_replica and not data_on_primary:
        say("OK: the dashboard's data reads ran on the replica, none on the primary.")
        return True
    if not data_on_replica:
        say(
            "NOT ON THE REPLICA: the dashboard read its data from the primary. The laporan "
            "views must read inside tksk.routers.baca_replika() (docs/DEPLOYMENT.md)."
        )
    else:
        say("MIXED: some of the dashboard's data reads ran on the primary.")
    return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep var/replica-demo afterwards")
    parser.add_argument("--timeout", type=int, default=900, help="seconds for the whole run")
    args = parser.parse_args(argv)

    def give_up(*_):
        raise Timeout(f"the demo took longer than {args.timeout} s")

    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.alarm(args.timeout)

    localdb._check_server_user()
    home = demo_home()
    for old in (Cluster(home / "primary"), Cluster(home / "replica")):
        if old.initialised():
            stop_cluster(old)  # a previous run that was killed
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    home.chmod(0o755)

    primary = replica = app = None
    ok = False
    try:
        started = time.monotonic()
        primary, primary_port = start_primary(home)
        replica, replica_port = start_replica(home, primary_port)
        wait_streaming(primary_port, replica_port)

        primary_url = primary.url(primary_port)
        replica_url = replica.url(replica_port)
        env = {
            **os.environ,
            "DATABASE_URL": primary_url,
            "DATABASE_REPLICA_URL": replica_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback, no TLS proxy in front
            "DJANGO_SETTINGS_MODULE": "tksk.settings",
        }
        say(f"DATABASE_URL={primary_url}\nDATABASE_REPLICA_URL={replica_url}")
        say("on the primary:")
        manage(env, "migrate", "--noinput")
        manage(env, "load_wilayah")
        manage(env, "seed_demo", "--households", str(args.households))
        manage(env, "collectstatic", "--noinput", "-v0")
        lag = wait_replayed(primary_port)
        (n_primary,) = query(primary_port, "SELECT count(*) FROM pendataan_keluarga")[0]
        (n_replica,) = query(replica_port, "SELECT count(*) FROM pendataan_keluarga")[0]
        say(
            f"replica caught up {lag:.2f} s after the seed committed; households: "
            f"primary {n_primary:,}, replica {n_replica:,}"
        )
        rows = query(
            primary_port,
            "SELECT state, pg_wal_lsn_diff(sent_lsn, replay_lsn), replay_lag::text "
            "FROM pg_stat_replication",
        )
        say(f"pg_stat_replication (state, bytes not replayed, replay_lag): {rows}")

        app, app_port = start_app(env)
        browser = Browser(app_port)
        browser.login(DEMO_USER, DEMO_PASSWORD)
        ok = fetch_dashboard(browser, primary, replica)
        say(f"demo run: {time.monotonic() - started:.0f} s")
    except (Timeout, RuntimeError, LocalDBError, subprocess.TimeoutExpired) as error:
        say(f"FAILED: {error}")
    finally:
        signal.alarm(0)
        say("stopping:")
        if app is not None and app.poll() is None:
            app.terminate()
            try:
                app.wait(timeout=20)
            except subprocess.TimeoutExpired:
                app.kill()
            say("  stopped gunicorn")
        for cluster in (replica, primary):
            if cluster is not None:
                stop_cluster(cluster)
        if args.keep:
            say(f"  kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
            say(f"  deleted {home}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
