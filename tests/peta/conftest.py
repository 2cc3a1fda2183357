"""The laporan test data (households, PPKS with a sensitive category, activities, referrals,
monthly reports) serve the map tests too: the map must show the same numbers."""

import pytest

from tests.laporan.conftest import data_dasbor, data_koordinasi, data_laporan  # noqa: F401


@pytest.fixture(autouse=True)
def _bentuk_segar():
    """A test that replaces shapes rolls back its transaction: drop the in-memory copy too."""
    from peta import bentuk

    yield
    bentuk.lupakan()
