"""Moved to `tksk.privasi` (small-count suppression is a core privacy rule). Re-exported for
one step, while laporan/selectors.py still imports it from here."""

from tksk.privasi import KECIL, sekunder, sekunder_baris, tampil, tekan_publik

__all__ = ["KECIL", "sekunder", "sekunder_baris", "tampil", "tekan_publik"]
