"""Read scaling: report reads go to a PostgreSQL streaming replica, everything else to the primary.

With `DATABASE_REPLICA_URL` set, settings add the database alias ``replica``. Reads go there only
where the code asks for it, inside ``baca_replika()``::

    from tksk.routers import baca_replika

    with baca_replika():          # a dashboard, a recap, an export query
        data = sel.dasbor(...)

    @baca_replika()               # or as a decorator
    def rekap(...): ...

    return StreamingHttpResponse(iter_replika(rows))   # rows read lazily, after the view returns

Everything outside such a block, and every write, goes to ``default`` (the primary). Inside a block
the primary is still used when

- the current request or task has already written (``db_for_write`` was called for a model that
  is not bookkeeping, or ``tandai_menulis()`` after raw SQL): its own change may not have reached
  the replica yet, and a user must see what they just saved ("sticky primary after a write");
- the primary connection is inside a transaction (``atomic``): the reads belong with it;
- the model is bookkeeping read and written in the same breath (sessions, job rows, audit log,
  export jobs: ``SELALU_PRIMER``);
- the replica does not answer or lags more than ``DATABASE_REPLICA_MAX_LAG`` seconds (checked at
  most every ``INTERVAL_CEK`` seconds per process): reports are then served by the primary rather
  than failing or showing old numbers.

No middleware: the per-request state is reset on Django's ``request_started`` signal and on
django-tasks' ``task_started`` (a worker runs many jobs in one process). Without the replica alias
every method returns ``default``, so the router can stay configured everywhere.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import Error as DatabaseError

logger = logging.getLogger(__name__)

REPLIKA = "replica"
# Read right after being written, or written while reading reports: never from the replica, and
# writing them does not pin the request to the primary (an audit row or a job's status row does
# not make the report data stale).
SELALU_PRIMER = frozenset(
    {
        "sessions.session",
        "tksk.auditlog",
        "django_tasks_db.dbtaskresult",
        "laporan.berkasekspor",
        "tksk.perangkat",
        "axes.accessattempt",
        "axes.accessfailurelog",
        "axes.accesslog",
        "django_cache.cacheentry",  # the API's rate-limit counters
    }
)
INTERVAL_CEK = 10.0  # seconds between two health checks of the replica, per process


def _label(model) -> str:
    # Not `_meta.label_lower`: the database cache routes a stand-in model whose options lack it.
    return f"{model._meta.app_label}.{model._meta.model_name}"


@dataclass
class _Keadaan:
    """The current request's (or task's) routing state."""

    replika: int = 0  # depth of nested baca_replika() blocks
    menulis: bool = False  # has written: read from the primary from now on


_keadaan: contextvars.ContextVar[_Keadaan | None] = contextvars.ContextVar(
    "tksk_router_keadaan", default=None
)


def _sekarang() -> _Keadaan:
    keadaan = _keadaan.get()
    if keadaan is None:
        keadaan = _Keadaan()
        _keadaan.set(keadaan)
    return keadaan


def mulai_baru(**kwargs) -> None:
    """Forget the previous request's state (connected to request_started / task_started)."""
    _keadaan.set(_Keadaan())


def tandai_menulis() -> None:
    """Pin the rest of this request to the primary after a write the router did not see (raw
    SQL through a cursor)."""
    _sekarang().menulis = True


@contextmanager
def baca_replika() -> Iterator[None]:
    """Reads inside go to the replica when there is one and nothing above forbids it. Usable as
    ``with baca_replika():`` and as ``@baca_replika()``."""
    keadaan = _sekarang()
    keadaan.replika += 1
    try:
        yield
    finally:
        keadaan.replika -= 1


def iter_replika(iterable: Iterable) -> Iterator:
    """Iterate inside baca_replika() one item at a time: for a streamed response whose rows are
    read after the view has returned (and so after a ``with`` block in the view has ended)."""
    iterator = iter(iterable)
    while True:
        with baca_replika():
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


def replika_ada() -> bool:
    return REPLIKA in connections.settings


# --- health of the replica ----------------------------------------------------------------------

_cek = {"sampai": 0.0, "sehat": False}

# Lag in seconds: none when everything received has been replayed (an idle primary sends
# nothing, so the last replay time alone would look like a growing lag); NULL on a server that is
# not a standby (e.g. the test mirror).
SQL_LAG = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def lag_replika() -> float:
    """Seconds the replica is behind (0 if it is up to date); raises if it does not answer."""
    with connections[REPLIKA].cursor() as cursor:
        cursor.execute(SQL_LAG)
        return float(cursor.fetchone()[0] or 0)


def replika_sehat() -> bool:
    """True when the replica answers and is not too far behind; remembered for INTERVAL_CEK."""
    now = time.monotonic()
    if now < _cek["sampai"]:
        return _cek["sehat"]
    batas = getattr(settings, "DATABASE_REPLICA_MAX_LAG", 30)
    try:
        lag = lag_replika()
        sehat = lag <= batas
        if not sehat:
            logger.warning("Replika tertinggal %.1f detik (batas %s): baca dari primer", lag, batas)
    except DatabaseError as error:
        sehat = False
        logger.warning("Replika tidak dapat dipakai, baca dari primer: %s", error)
        connections[REPLIKA].close()  # reconnect at the next check
    _cek.update(sampai=now + INTERVAL_CEK, sehat=sehat)
    return sehat


def lupakan_cek() -> None:
    """Check the replica again at the next read (after a failover, in tests)."""
    _cek.update(sampai=0.0, sehat=False)


# --- the router ---------------------------------------------------------------------------------


class RouterReplika:
    """DATABASE_ROUTERS entry; see the module docstring for the rules."""

    def db_for_read(self, model, **hints):
        keadaan = _sekarang()
        if (
            keadaan.replika
            and not keadaan.menulis
            and _label(model) not in SELALU_PRIMER
            and replika_ada()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and replika_sehat()
        ):
            return REPLIKA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        if _label(model) not in SELALU_PRIMER:
            _sekarang().menulis = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there may be linked to one from
        # the primary (the write itself always goes to the primary).
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLIKA, None} or None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLIKA else None  # a standby is read-only: it follows the primary


request_started.connect(mulai_baru, dispatch_uid="tksk.routers.request_started")
try:
    from django_tasks.signals import task_started
except ImportError:  # pragma: no cover - django-tasks is a dependency; Django 6 has it built in
    pass
else:
    task_started.connect(mulai_baru, dispatch_uid="tksk.routers.task_started")
