"""Reads for the maps. Household points: only the TKSK of the kecamatan and the Dinas of its
kabupaten, one desa at a time, never a household touched by a sensitive PPKS category. PSKS and
partner points: for everyone who may see those records (their own scoped querysets)."""

from dataclasses import dataclass

from django.db.models import BigIntegerField, Exists, F, OuterRef, Q, Value

from koordinasi.models import JenisMitra, Mitra
from pendataan.models import PPKS, PSKS, JenisPSKS, Keluarga, StatusVerifikasi
from peta import bentuk, geometri
from tksk.kapabilitas import boleh
from tksk.models import Role, Tingkat, Wilayah


def boleh_titik(user, desa: Wilayah) -> bool:
    """Whether `user` may see the household points of `desa` (a desa in their scope)."""
    if desa.tingkat != Tingkat.DESA or not boleh(user, "peta.titik") or not user.wilayah_id:
        return False
    if user.role == Role.TKSK:
        return user.wilayah_id == desa.kecamatan_id
    return user.wilayah_id == desa.kabupaten_id


def titik_keluarga(user, desa: Wilayah) -> list[tuple[float, float]]:
    """(lng, lat) of the desa's households with GPS, from the user's scoped queryset, leaving out
    every household with a PPKS record of a sensitive category (its own or a member's)."""
    sensitif = PPKS.objects.filter(kategori__sensitif=True)
    qs = (
        Keluarga.objects.for_user(user)
        .filter(desa=desa, latitude__isnull=False, longitude__isnull=False)
        .exclude(Exists(sensitif.filter(keluarga=OuterRef("pk"))))
        .exclude(Exists(sensitif.filter(individu__keluarga=OuterRef("pk"))))
        .order_by("pk")
    )
    return [(float(lng), float(lat)) for lng, lat in qs.values_list("longitude", "latitude")]


@dataclass(frozen=True)
class TitikSumber:
    """A PSKS or a partner with coordinates, as a map point (no contact data: name and kind)."""

    jenis: str  # "psks" or "mitra"
    nama: str
    keterangan: str  # the PSKS category or the partner's kind
    lng: float
    lat: float


LOOKUP_DESA = {
    Tingkat.PROVINSI: "desa__provinsi",
    Tingkat.KABUPATEN: "desa__kabupaten",
    Tingkat.KECAMATAN: "desa__kecamatan",
}


def titik_sumber(user, wilayah: Wilayah, *, hanya_terverifikasi: bool = False) -> list[TitikSumber]:
    """Active PSKS and partners with coordinates in the area shown, each from the user's own
    scoped queryset (PSKS: those of the area's desa; partners: those registered in the area or
    below it, and those registered above it whose point lies inside it). One query (a UNION ALL
    of the two scoped querysets: a dashboard's every round trip counts on a busy server)."""
    lookup = LOOKUP_DESA.get(wilayah.tingkat)
    if lookup is None:
        return []
    # Only institutions are points: a person's or a family's coordinates are where they live,
    # personal data that a map seen by a whole kabupaten must not give away.
    psks = PSKS.objects.for_user(user).filter(
        aktif=True,
        jenis=JenisPSKS.LEMBAGA,
        latitude__isnull=False,
        longitude__isnull=False,
        **{lookup: wilayah},
    )
    if hanya_terverifikasi:  # the dashboard's "terverifikasi saja" filter
        psks = psks.filter(status=StatusVerifikasi.TERVERIFIKASI)
    leluhur = [pk for pk in (wilayah.provinsi_id, wilayah.kabupaten_id) if pk and pk != wilayah.pk]
    mitra = (
        Mitra.objects.for_user(user)
        .filter(aktif=True, latitude__isnull=False, longitude__isnull=False)
        .filter(
            Q(wilayah=wilayah)
            | Q(wilayah__kode__startswith=wilayah.kode + ".")
            | Q(wilayah__in=leluhur)
        )
    )
    kolom = ("sumber", "nama", "keterangan", "longitude", "latitude", "terdaftar")
    baris = psks.annotate(
        sumber=Value("psks"),
        keterangan=F("kategori__nama"),
        terdaftar=Value(None, output_field=BigIntegerField()),
    ).values_list(*kolom)
    baris = baris.union(
        mitra.annotate(
            sumber=Value("mitra"), keterangan=F("jenis"), terdaftar=F("wilayah_id")
        ).values_list(*kolom),
        all=True,
    )
    bentuk_area = bentuk.semua().get(wilayah.kode)
    # "Instansi pemerintah (kecamatan, desa, Puskesmas…)" → "Instansi pemerintah"
    label_jenis = {k: str(v).split(" (")[0] for k, v in JenisMitra.choices}
    hasil = []
    for jenis, nama, keterangan, lng, lat, wid in baris:
        lng, lat = float(lng), float(lat)
        if jenis == "mitra":
            if wid in leluhur and (
                bentuk_area is None or not geometri.berisi(bentuk_area.path, lng, lat)
            ):
                continue  # a kabupaten's or the province's partner elsewhere in it
            keterangan = label_jenis.get(keterangan, keterangan)
        hasil.append(TitikSumber(jenis, nama, keterangan, lng, lat))
    # PSKS first, then partners, each by name: the same drawing order on every request.
    hasil.sort(key=lambda t: (t.jenis != "psks", t.nama.lower(), t.lng, t.lat))
    return hasil
