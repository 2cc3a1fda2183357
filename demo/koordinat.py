"""Demo coordinates for the maps: most institutional PSKS (never a person's or a family's: a
point there would be someone's home) get a point inside their desa and kecamatan, and each
kecamatan and kabupaten gets a demo partner (Puskesmas, Dukcapil) with a point inside it.

Idempotent: a PSKS that has coordinates keeps them, a partner that exists is left alone, and the
points come from a generator seeded by the record, so a re-run gives the same map."""

import random
from dataclasses import dataclass

from django.db import transaction

from koordinasi.models import JenisMitra, Mitra
from pendataan.models import PSKS, JenisPSKS
from peta import bentuk, geometri
from tksk.models import Tingkat, Wilayah

PORSI_PSKS = 0.6  # share of institutional PSKS with a point


def _rng(*bagian) -> random.Random:
    """A generator seeded by the record: demo data, reproducible, not secret."""
    return random.Random(":".join(str(b) for b in bagian))  # noqa: S311


@dataclass
class HasilKoordinat:
    psks: int = 0
    mitra: int = 0

    def __str__(self) -> str:
        return f"Koordinat demo: {self.psks} PSKS diberi titik, {self.mitra} mitra demo dibuat."


def _titik(rng, kode_dalam: list[str]):
    """A point inside every shape of `kode_dalam` (the first one's box is searched); with only
    the first shape when the shapes barely overlap (two surveys' outlines)."""
    shapes = bentuk.semua()
    ada = [shapes[k] for k in kode_dalam if k in shapes]
    if not ada:
        return None
    for pilihan in (ada, ada[:1]):
        hasil = geometri.titik_acak(rng, [b.path for b in pilihan], pilihan[0].kotak)
        if hasil is not None:
            return hasil
    return None


def koordinat_demo(*, seed: int = 2026) -> HasilKoordinat:
    hasil = HasilKoordinat()
    if not bentuk.semua():
        return hasil  # boundaries not loaded (load_peta): nothing to place points in
    with transaction.atomic():
        ubah = []
        calon = (
            PSKS.objects.filter(jenis=JenisPSKS.LEMBAGA, latitude__isnull=True)
            .select_related("desa")
            .only("pk", "uuid", "desa__kode", "desa__kecamatan_id")
            .order_by("pk")
        )
        kode_kec = dict(Wilayah.objects.filter(tingkat=Tingkat.KECAMATAN).values_list("pk", "kode"))
        for psks in calon:
            rng = _rng(seed, psks.uuid)
            if rng.random() >= PORSI_PSKS:
                continue
            titik = _titik(rng, [psks.desa.kode, kode_kec.get(psks.desa.kecamatan_id, "")])
            if titik is not None:
                psks.longitude, psks.latitude = titik
                ubah.append(psks)
        PSKS.objects.bulk_update(ubah, ["latitude", "longitude"], batch_size=1000)
        hasil.psks = len(ubah)

        ada = {(nama.lower(), wid) for nama, wid in Mitra.objects.values_list("nama", "wilayah_id")}
        baru = []
        kabupaten = Wilayah.objects.filter(tingkat=Tingkat.KABUPATEN).order_by("kode")
        kecamatan = list(Wilayah.objects.filter(tingkat=Tingkat.KECAMATAN).order_by("kode"))
        for kec in kecamatan:
            nama = f"Puskesmas {kec.nama}"
            if (nama.lower(), kec.pk) in ada:
                continue
            titik = _titik(_rng(seed, "mitra", kec.kode), [kec.kode])
            if titik is None:
                continue
            baru.append(
                Mitra(
                    jenis=JenisMitra.PEMERINTAH,
                    nama=nama,
                    wilayah=kec,
                    alamat=f"Kecamatan {kec.nama}",
                    layanan="Layanan kesehatan dasar, rujukan kesehatan PPKS.",
                    longitude=titik[0],
                    latitude=titik[1],
                )
            )
        for kab in kabupaten:
            nama = f"Dinas Dukcapil {kab.nama.removeprefix('Kabupaten ')}"
            if (nama.lower(), kab.pk) in ada:
                continue
            ibu = next((k for k in kecamatan if k.kabupaten_id == kab.pk), None)
            kode = [kab.kode] + ([ibu.kode] if ibu else [])
            titik = _titik(_rng(seed, "mitra", kab.kode), kode[::-1])
            if titik is None:
                continue
            baru.append(
                Mitra(
                    jenis=JenisMitra.PEMERINTAH,
                    nama=nama,
                    wilayah=kab,
                    layanan="Penerbitan KTP, KK dan akta kelahiran.",
                    longitude=titik[0],
                    latitude=titik[1],
                )
            )
        Mitra.objects.bulk_create(baru)
        hasil.mitra = len(baru)
    return hasil
