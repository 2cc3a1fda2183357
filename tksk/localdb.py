"""Project-local PostgreSQL for development and tests (standard library only).

Without DATABASE_URL the project runs against its own PostgreSQL cluster under
``var/postgres/``: no system service, no shared port, nothing to configure. Tests get a
throwaway cluster in a temp dir that is deleted afterwards.

    python -m tksk.localdb start|stop|status|url|destroy|bindir
    python -m tksk.localdb run-throwaway -- CMD ARGS...

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` OS user;
that user must be able to reach the data dir, otherwise the data lives under /var/tmp.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import pwd
import shlex
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

DB_NAME = "tksk"
DB_USER = "tksk"  # the cluster's bootstrap superuser, so tests can create their database
PORT_ENV = "TKSK_DB_PORT"
DIR_ENV = "TKSK_LOCALDB_DIR"
RUN_AS = "postgres"  # OS user for the server when we are root
APT_HINT = "apt-get install -y --no-install-recommends postgresql"
# World-traversable and kept across reboots; used as root when postgres can't reach the checkout.
# Paths below it are checked (see _own_dir).
SHARED_TMP = Path("/var/tmp")  # noqa: S108  # nosec B108

# A dev/test database: durability is traded for speed in throwaway clusters.
FAST_SETTINGS = ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]


class LocalDBError(RuntimeError):
    pass


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- binaries ---------------------------------------------------------------------------------


@functools.cache
def bindir() -> Path:
    """The directory holding initdb, pg_ctl and postgres (and the matching pg_dump)."""
    candidates = []
    found = shutil.which("pg_ctl")
    if found:
        # Resolve symlinks (e.g. /usr/local/bin/pg_ctl -> /usr/lib/postgresql/15/bin/pg_ctl)
        # so the server, initdb and pg_dump all come from one version.
        candidates.append(Path(found).resolve().parent)
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(versions, key=_version_key, reverse=True)
    for d in candidates:
        if all((d / exe).is_file() for exe in ("pg_ctl", "initdb", "postgres")):
            return d
    raise LocalDBError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in "
        f"/usr/lib/postgresql/*/bin. Install them with: {_sudo()}{APT_HINT}"
    )


def _version_key(path: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in path.parent.name.split("."))
    except ValueError:
        return (0,)


# --- running commands (as postgres when root) ---------------------------------------------------


def _is_root() -> bool:
    return os.geteuid() == 0


def _sudo() -> str:
    return "" if _is_root() else "sudo "


def _as_server_user(cmd: list[str]) -> list[str]:
    if not _is_root():
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", RUN_AS, "--", *cmd]
    return ["su", RUN_AS, "-s", "/bin/sh", "-c", shlex.join(cmd)]


def _run_server_cmd(cmd: list[str], what: str, log: Path | None = None, stdin: str = "") -> None:
    # cwd=/ because the postgres user may not be allowed into our current directory.
    proc = subprocess.run(
        _as_server_user(cmd), check=False, cwd="/", input=stdin, capture_output=True, text=True
    )
    if proc.returncode != 0:
        detail = (proc.stdout + proc.stderr).strip()
        if log is not None and log.exists():
            detail += "\n--- last lines of " + str(log) + " ---\n"
            detail += "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise LocalDBError(f"{what} failed:\n{detail}")


def _server_user_can_enter(path: Path) -> bool:
    probe = _as_server_user(["test", "-x", str(path)])  # fails if any parent is closed too
    return subprocess.run(probe, check=False, cwd="/").returncode == 0


def _give_to_server_user(path: Path) -> None:
    if _is_root():
        shutil.chown(path, RUN_AS, RUN_AS)


def _check_server_user() -> None:
    if not _is_root():
        return
    try:
        pwd.getpwnam(RUN_AS)
    except KeyError:
        raise LocalDBError(
            f"PostgreSQL cannot run as root and there is no '{RUN_AS}' user. "
            f"Install the Debian package ({APT_HINT}) or run as a normal user."
        ) from None


# --- ports ------------------------------------------------------------------------------------


def _port_from_env() -> int | None:
    raw = os.environ.get(PORT_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise LocalDBError(f"{PORT_ENV}={raw!r} is not a TCP port number")
    return int(raw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_is_free(port: int) -> bool:
    """True if PostgreSQL could listen on the port now. PostgreSQL binds with SO_REUSEADDR, so a
    port whose old connections linger in TIME_WAIT (a server just stopped with clients
    connected) is free for it; the probe must ask the same question, or a restart moves the
    database to another port and a running app loses it. A port some process listens on
    still refuses the bind (Linux never lets two sockets listen on one address and port)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _speaks_postgres(port: int) -> bool:
    """True if a PostgreSQL server answers on the port (an SSLRequest gets 'S' or 'N')."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(struct.pack("!ii", 8, 80877103))
            return s.recv(1) in (b"S", b"N")
    except OSError:
        return False


# --- one cluster --------------------------------------------------------------------------------


class Cluster:
    """A cluster in ``home``: data/ (PGDATA), server.log, port, and the unix socket."""

    def __init__(self, home: Path):
        self.home = home
        self.data = home / "data"
        self.log = home / "server.log"
        self.port_file = home / "port"

    def url(self, port: int) -> str:
        return f"postgres://{DB_USER}@127.0.0.1:{port}/{DB_NAME}"

    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def running_port(self) -> int | None:
        """Port of this cluster's live server, from postmaster.pid; None if not running."""
        try:
            lines = (self.data / "postmaster.pid").read_text().splitlines()
        except OSError:
            return None
        if len(lines) < 8 or lines[7].strip() != "ready":
            return None
        try:
            pid, port = int(lines[0]), int(lines[3])
            os.kill(pid, 0)
        except ProcessLookupError:
            return None  # stale file left by a crash or reboot
        except PermissionError:
            pass  # alive, owned by another user
        except ValueError:
            return None
        return port if _speaks_postgres(port) else None

    def init(self, extra_settings: Sequence[str] = ()) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        _give_to_server_user(self.home)
        cmd = [
            str(bindir() / "initdb"),
            "--pgdata", str(self.data),
            "--username", DB_USER,
            # initdb's trust entries cover only the unix socket, 127.0.0.1 and ::1.
            "--auth", "trust",
            "--encoding", "UTF8",
            "--locale", "C.UTF-8",
        ]  # fmt: skip
        _run_server_cmd(cmd, "initdb")
        settings = ["listen_addresses = '127.0.0.1'", *extra_settings]
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n# Added by tksk.localdb\n" + "\n".join(settings) + "\n")
        # Create the database in single-user mode, before any server is reachable, so that a
        # concurrent caller can never see a running cluster without it.
        single = [str(bindir() / "postgres"), "--single", "-D", str(self.data), "-F"]
        single += ["-c", "exit_on_error=on", "postgres"]
        _run_server_cmd(single, "creating the database", stdin=f"CREATE DATABASE {DB_NAME};\n")

    def start(self, port: int) -> None:
        # The socket lives beside the data, not in /var/run/postgresql; unix socket paths
        # are limited to ~107 bytes, so a deep checkout gets TCP only.
        sockdir = str(self.home) if len(str(self.home)) < 90 else ""
        # Headroom over the default 100 for a threaded dev server, workers and a test run's
        # live servers side by side.
        opts = f"-p {port} -k {shlex.quote(sockdir)} -c max_connections=200"
        cmd = [str(bindir() / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
        _run_server_cmd([*cmd, "-o", opts, "-w", "-t", "120", "start"], "pg_ctl start", self.log)

    def stop(self, mode: str = "fast") -> bool:
        """Stop the server; False if it was not running."""
        if not (self.data / "postmaster.pid").exists():
            return False
        cmd = [str(bindir() / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]
        try:
            _run_server_cmd(cmd, "pg_ctl stop")
        except LocalDBError:
            if self.running_port() is None:
                return False  # a stale postmaster.pid left by a crash
            raise
        return True

    def start_on_free_port(self, wanted: int | None, forced: int | None = None) -> int:
        """Start on ``forced``, else ``wanted`` if free, else a fresh port (retried on a race)."""
        if forced and not _port_is_free(forced):
            raise LocalDBError(f"{PORT_ENV}={forced} but that port is already in use")
        for attempt in range(3):
            if forced:
                port = forced
            elif wanted and attempt == 0 and _port_is_free(wanted):
                port = wanted
            else:
                port = _free_port()
            try:
                self.start(port)
                return port
            except LocalDBError:
                if forced or _port_is_free(port) or attempt == 2:
                    raise  # not a port clash, or out of retries
        raise AssertionError("unreachable")


# --- the project's persistent cluster -----------------------------------------------------------


def cluster_home(base_dir: Path) -> Path:
    """var/postgres in the project, or /var/tmp/tksk-<hash>/postgres if postgres can't reach it."""
    var = Path(base_dir).resolve() / "var"
    primary = var / "postgres"
    digest = hashlib.sha256(str(var.parent).encode()).hexdigest()[:12]
    fallback = SHARED_TMP / f"tksk-{digest}" / "postgres"
    # Whichever exists wins, so the data stays put (and no subprocess on the fast path).
    if not _is_root() or primary.exists():
        return primary
    if fallback.exists():
        return fallback
    var.mkdir(exist_ok=True)
    return primary if _server_user_can_enter(var) else fallback


def _own_dir(path: Path) -> None:
    """Create path (0755) or accept it only if it is a real directory of ours: a predictable
    name in /var/tmp could have been planted by another user (or be a symlink)."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o755)
    st = path.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        raise LocalDBError(f"{path} is not a directory owned by this user; remove it")
    path.chmod(0o755)  # the server user must be able to traverse it, whatever the umask


def _display(home: Path, base_dir: Path) -> str:
    try:
        return str(home.relative_to(Path(base_dir).resolve()))
    except ValueError:
        return str(home)


@contextlib.contextmanager
def _lock(base_dir: Path) -> Iterator[None]:
    var = Path(base_dir).resolve() / "var"
    var.mkdir(exist_ok=True)
    with open(var / "localdb.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # released when the file is closed
        yield


def ensure_running(base_dir: Path, quiet: bool = True) -> str:
    """Start the project's cluster if needed (creating it on first use); return its URL."""
    cluster = Cluster(cluster_home(base_dir))
    port = cluster.running_port()  # fast path: no lock, no subprocess
    if port is None:
        with _lock(base_dir):
            port = cluster.running_port()  # another process may have started it meanwhile
            if port is None:
                return _start(cluster, base_dir)
    if not quiet:
        where = _display(cluster.home, base_dir)
        _say(f"Local PostgreSQL already running on 127.0.0.1:{port} (data: {where})")
    return cluster.url(port)


def _start(cluster: Cluster, base_dir: Path) -> str:
    _check_server_user()
    var = Path(base_dir).resolve() / "var"
    if not cluster.home.is_relative_to(var):
        _say(
            f"Note: user '{RUN_AS}' cannot enter {var}, so the local database lives in "
            f"{cluster.home}"
        )
        _own_dir(cluster.home.parent)
    fresh = not cluster.initialised()
    if fresh:
        cluster.init()
    try:
        wanted = int(cluster.port_file.read_text())
    except (OSError, ValueError):
        wanted = None
    port = cluster.start_on_free_port(wanted, forced=_port_from_env())
    cluster.port_file.write_text(f"{port}\n")
    _say(
        f"Local PostgreSQL {'created and ' if fresh else ''}started on 127.0.0.1:{port} "
        f"(data: {_display(cluster.home, base_dir)})"
    )
    return cluster.url(port)


def stop(base_dir: Path) -> None:
    cluster = Cluster(cluster_home(base_dir))
    with _lock(base_dir):
        if cluster.initialised() and cluster.stop():
            _say("Local PostgreSQL stopped")
        else:
            _say("Local PostgreSQL is not running")


def status(base_dir: Path) -> bool:
    """Print one line about the cluster; True if it is running."""
    cluster = Cluster(cluster_home(base_dir))
    where = _display(cluster.home, base_dir)
    port = cluster.running_port()
    if port is not None:
        _say(f"Local PostgreSQL running on 127.0.0.1:{port} (data: {where}): {cluster.url(port)}")
    elif cluster.initialised():
        _say(f"Local PostgreSQL stopped (data: {where})")
    else:
        _say(f"Local PostgreSQL not created yet (would live in {where})")
    return port is not None


def destroy(base_dir: Path) -> None:
    """Stop the cluster and delete all its data."""
    home = cluster_home(base_dir)
    with _lock(base_dir):
        if Cluster(home).initialised():
            Cluster(home).stop(mode="immediate")
        if home.exists():
            shutil.rmtree(home)
            if home.parent.name.startswith("tksk-"):  # the /var/tmp fallback dir
                shutil.rmtree(home.parent, ignore_errors=True)
            _say(f"Local PostgreSQL deleted ({_display(home, base_dir)})")
        else:
            _say("No local PostgreSQL to delete")


# --- throwaway clusters for tests ----------------------------------------------------------------


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A fresh cluster in a temp dir, tuned for speed; yields its URL, then deletes it."""
    _check_server_user()
    # As root, /var/tmp: the server user cannot reach a private TMPDIR.
    tmp = Path(tempfile.mkdtemp(prefix="tksk-pg-", dir=SHARED_TMP if _is_root() else None))
    tmp.chmod(0o755)
    cluster = Cluster(tmp / "pg")
    try:
        cluster.init(FAST_SETTINGS)
        port = cluster.start_on_free_port(None)  # never TKSK_DB_PORT: that one is taken
        yield cluster.url(port)
    finally:
        # Runs on errors and Ctrl-C too; "immediate" because the data is about to go.
        with contextlib.suppress(Exception):
            cluster.stop(mode="immediate")
        shutil.rmtree(tmp, ignore_errors=True)


def run_throwaway(cmd: list[str]) -> int:
    """Run cmd with DATABASE_URL pointing at a throwaway cluster; return its exit code."""
    with throwaway_cluster() as url:
        proc = subprocess.run(cmd, check=False, env={**os.environ, "DATABASE_URL": url})
    # Killed by a signal: report it the way a shell does (128 + signal number).
    return proc.returncode if proc.returncode >= 0 else 128 - proc.returncode


# --- command line -----------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    usage = "usage: python -m tksk.localdb start|stop|status|url|destroy|bindir|run-throwaway"
    usage += " [-- CMD ARGS...]"
    # TKSK_LOCALDB_DIR: the folder whose var/ holds the cluster (tests use a temporary one).
    base_dir = Path(os.environ.get(DIR_ENV) or Path(__file__).resolve().parent.parent)
    if not argv:
        _say(usage)
        return 2
    # SIGTERM (e.g. CI timeout) should clean up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    command, rest = argv[0], argv[1:]
    try:
        if command == "start":
            ensure_running(base_dir, quiet=False)
        elif command == "url":
            print(ensure_running(base_dir))
        elif command == "stop":
            stop(base_dir)
        elif command == "status":
            return 0 if status(base_dir) else 3
        elif command == "destroy":
            destroy(base_dir)
        elif command == "bindir":
            print(bindir())
        elif command == "run-throwaway":
            if rest[:1] == ["--"]:
                rest = rest[1:]
            if not rest:
                _say("usage: python -m tksk.localdb run-throwaway -- CMD ARGS...")
                return 2
            return run_throwaway(rest)
        else:
            _say(usage)
            return 2
    except LocalDBError as exc:
        _say(f"tksk.localdb: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
