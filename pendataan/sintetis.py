"""Old home of the synthetic demo data, now demo/sintetis.py; re-exported for one step."""

from demo.sintetis import Hasil, buat_data_sintetis

__all__ = ["Hasil", "buat_data_sintetis"]
