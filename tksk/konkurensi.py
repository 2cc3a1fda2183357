"""Optimistic concurrency: every versioned record (`versi`) is saved only from the version the
user started from. One exception, one check and one message for every door (forms, API, sync).
"""


class RecordChanged(Exception):
    """The record was saved by someone else since the user opened it. `current` is the stored
    record (or None when the caller has no fresher copy to show)."""

    def __init__(self, current=None):
        super().__init__("record changed meanwhile")
        self.current = current


def cek_versi(obj, versi) -> None:
    """Refuse a save based on another version than the stored one. `versi` None or "" means
    "not checked"; a value that is not a number is stale (it never names a stored version)."""
    if versi is None or versi == "":
        return
    try:
        versi = int(versi)
    except (TypeError, ValueError):
        raise RecordChanged(obj) from None
    if versi != obj.versi:
        raise RecordChanged(obj)
