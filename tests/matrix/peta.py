"""Matrix entries for the peta module: household points of a desa, the offline kecamatan map."""

from django.urls import reverse

from tests.matrix.base import Open, Scoped

TITIK = frozenset({"tksk", "kabupaten"})


def _titik(world, kec):
    return reverse("peta:titik-desa", args=[world.desa[kec].kode]), None


SCOPED = [Scoped("peta:titik-desa", _titik, roles=TITIK)]
OPEN = [Open("peta:kecamatan-svg", roles=frozenset({"tksk"}))]
