"""The areas of the dashboards: the user's own, the drill-down below it, the breadcrumb."""

from tksk.models import Tingkat, User, Wilayah
from tksk.scoping import get_scoped_or_404, sees_everything

ANAK = {
    Tingkat.PROVINSI: Tingkat.KABUPATEN,
    Tingkat.KABUPATEN: Tingkat.KECAMATAN,
    Tingkat.KECAMATAN: Tingkat.DESA,
    Tingkat.DESA: Tingkat.DESA,
}
LABEL_ANAK = {
    Tingkat.KABUPATEN: "Kabupaten/Kota",
    Tingkat.KECAMATAN: "Kecamatan",
    Tingkat.DESA: "Desa/Kelurahan",
}


def wilayah_untuk(user, kode: str) -> Wilayah:
    return get_scoped_or_404(
        Wilayah.objects.select_related("provinsi", "kabupaten", "kecamatan"), user, kode=kode
    )


def wilayah_awal(user) -> Wilayah | None:
    """The area a user's dashboard opens on: their own, or the province for a system admin."""
    if user.wilayah_id:
        # With its ancestors in the same query: the breadcrumb and the links read them.
        wilayah = (
            Wilayah.objects.select_related("provinsi", "kabupaten", "kecamatan")
            .filter(pk=user.wilayah_id)
            .first()
        )
        if wilayah is not None:
            User.wilayah.field.set_cached_value(user, wilayah)  # the same row, read once
        return wilayah
    if sees_everything(user):
        return Wilayah.objects.filter(tingkat=Tingkat.PROVINSI).order_by("kode").first()
    return None


def jejak(wilayah: Wilayah, user) -> list[Wilayah]:
    """Breadcrumb from the user's own area down to `wilayah` (no query: ancestors are loaded)."""
    hasil = []
    for nama in ("provinsi", "kabupaten", "kecamatan"):
        # An area is its own provinsi/kabupaten/kecamatan at its level: not loaded again.
        if getattr(wilayah, f"{nama}_id") in (None, wilayah.pk):
            continue
        w = getattr(wilayah, nama)
        if sees_everything(user) or (user.wilayah and _di_bawah(w, user.wilayah)):
            hasil.append(w)
    return [*hasil, wilayah]


def _di_bawah(w: Wilayah, atas: Wilayah) -> bool:
    return w.pk == atas.pk or w.kode.startswith(atas.kode + ".")


def anak_wilayah(wilayah: Wilayah) -> list[Wilayah]:
    if wilayah.tingkat == Tingkat.DESA:
        return [wilayah]
    return list(Wilayah.objects.filter(induk=wilayah).order_by("kode"))
