"""Matrix entries for the peta module: household points of a desa, the offline kecamatan map."""

from django.urls import reverse

from tests.matrix.base import Open, Scoped, bisa

TITIK = bisa("peta.titik")


def _titik(world, kec):
    return reverse("peta:titik-desa", args=[world.desa[kec].kode]), None


SCOPED = [Scoped("peta:titik-desa", _titik, roles=TITIK)]
OPEN = [Open("peta:kecamatan-svg", roles=bisa("peta.kecamatan"))]
