"""Optimistic concurrency: every versioned record (`versi`) is saved only from the version the
user started from. One exception, one check and one message for every door (forms, API, sync).
"""

from django.utils import dateformat, timezone


class RecordChanged(Exception):
    """The record was saved by someone else since the user opened it. `current` is the stored
    record, to show the user (and to take its version for the next try)."""

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


def pesan_berubah(current=None) -> str:
    """The message of a refused stale save, the same on every page and in the API's 409.
    Nobody is named: `diubah_oleh` is not touched by status changes, so it may name the very
    user who is told."""
    waktu = getattr(current, "diubah_pada", None)
    terbaru = "data terbaru"
    if waktu is not None:
        terbaru += f" (disimpan {dateformat.format(timezone.localtime(waktu), 'j F Y H:i')})"
    return (
        "Data ini telah diubah oleh pengguna lain sejak Anda membukanya. Perubahan Anda belum "
        f"disimpan: periksa {terbaru}, lalu simpan lagi bila perubahan Anda tetap yang benar."
    )
