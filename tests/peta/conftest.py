"""The laporan test data (households, PPKS with a sensitive category, activities, referrals,
monthly reports) serve the map tests too: the map must show the same numbers."""

from tests.laporan.conftest import data_dasbor, data_koordinasi, data_laporan  # noqa: F401
