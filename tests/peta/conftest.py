"""The laporan test data (households, PPKS with a sensitive category, activities, referrals,
monthly reports) serve the map tests too: the map must show the same numbers."""

from tests.laporan.conftest import data_dasbor, data_koordinasi, data_laporan  # noqa: F401


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _bentuk_segar():
    """A test that replaces shapes rolls back its transaction: drop the in-memory copy too."""
    from peta import bentuk

    yield
    bentuk.lupakan()
