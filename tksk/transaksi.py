"""A transaction that PostgreSQL aborted to break a deadlock or a serialization conflict is run
again from the start, so that the user never sees the conflict.

Writers of one kecamatan meet on the same summary rows (laporan_ringkasan_*, kept by triggers):
two batch verifications can lock them in opposite orders, and PostgreSQL then rolls one of them
back whole. Nothing of it was kept, so running the whole block again is safe. Only the outermost
transaction can be retried: inside another one the rolled-back state belongs to the caller, so
the error is passed on to it.
"""

import functools
import logging
import random
import time

from django.db import DatabaseError, connection, transaction
from psycopg import errors as pg_errors

logger = logging.getLogger(__name__)

BENTROK = (pg_errors.DeadlockDetected, pg_errors.SerializationFailure)
PERCOBAAN = 4  # the first try and three more
JEDA = 0.05  # seconds, doubled at each try, with jitter so the two sides do not meet again


def bentrok(galat: BaseException | None) -> bool:
    """Whether the error (Django wraps the driver's) is a deadlock or serialization failure."""
    while galat is not None:
        if isinstance(galat, BENTROK):
            return True
        galat = galat.__cause__
    return False


def ulangi_jika_bentrok(fungsi=None, *, percobaan: int = PERCOBAAN, jeda: float = JEDA):
    """Decorator: run `fungsi` in its own transaction.atomic() and run it again (up to
    `percobaan` times in all) when PostgreSQL aborts it for a deadlock or serialization failure.
    Called inside another transaction, it runs once and lets the error reach the outer block."""

    def hias(f):
        @functools.wraps(f)
        def bungkus(*args, **kwargs):
            if connection.in_atomic_block:
                return f(*args, **kwargs)
            for nomor in range(1, percobaan + 1):
                try:
                    with transaction.atomic():
                        return f(*args, **kwargs)
                except DatabaseError as galat:
                    if nomor == percobaan or not bentrok(galat):
                        raise
                    logger.warning(
                        "%s: transaksi bentrok (%s), diulang (percobaan %s).",
                        f.__qualname__,
                        type(galat.__cause__ or galat).__name__,
                        nomor + 1,
                    )
                time.sleep(jeda * 2 ** (nomor - 1) * random.uniform(0.5, 1.5))  # noqa: S311
            return None  # not reached

        return bungkus

    return hias(fungsi) if fungsi is not None else hias


# Advisory-lock class of the summary rows of one kecamatan (the second key is its id).
KUNCI_RINGKASAN = 7114


def kunci_kecamatan(kecamatan_ids) -> None:
    """Serialise, until the transaction ends, the writers that touch many summary rows of the
    same kecamatan (batch verifications, imports): they then meet one after the other instead of
    locking those rows in crossing orders. Locks are taken in id order, so two writers of several
    kecamatan cannot deadlock on them either."""
    with connection.cursor() as cursor:
        for kec in sorted({k for k in kecamatan_ids if k is not None}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [KUNCI_RINGKASAN, kec])
