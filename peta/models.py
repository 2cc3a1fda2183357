"""One boundary shape per Wilayah, stored ready to draw: the projected SVG path and its bounding
box are computed once by the loader (peta/muat.py), so a page does no geometry work."""

from django.db import models

from tksk.models import Wilayah


class BentukWilayah(models.Model):
    """The drawn boundary of one area. Boundaries are public reference data (no area-bound
    records), the same for everyone; who sees numbers on them is decided by the dashboard."""

    wilayah = models.OneToOneField(
        Wilayah, models.CASCADE, related_name="bentuk", verbose_name="wilayah"
    )
    kode = models.CharField("kode", max_length=13, unique=True)
    # SVG path data in map units (peta/proyeksi.py): the same coordinate system for every area,
    # so any area's box is a viewBox for the shapes inside it.
    path = models.TextField("path SVG")
    x0 = models.FloatField()
    y0 = models.FloatField()
    x1 = models.FloatField()
    y1 = models.FloatField()
    # Label point (map units) and a digest of the source geometry, to tell changed shapes.
    label_x = models.FloatField()
    label_y = models.FloatField()
    sidik = models.CharField("sidik geometri", max_length=64)
    sumber = models.CharField("sumber", max_length=200, blank=True)

    class Meta:
        verbose_name = "bentuk wilayah"
        verbose_name_plural = "bentuk wilayah"
        ordering = ["kode"]

    def __str__(self) -> str:
        return self.kode

    @property
    def kotak(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)
