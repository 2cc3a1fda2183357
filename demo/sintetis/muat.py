"""The load: tops the database up to a number of households, batch by batch."""

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from demo.sintetis.generator import Generator
from demo.sintetis.tabel import BATCH
from demo.sintetis.tulis import KOLOM, _Batch, _kolom_tetap, _simpan
from pendataan.models import PPKS, PSKS, Keluarga, Riwayat
from tksk.audit import catat


@dataclass
class Hasil:
    sudah_ada: int = 0
    keluarga: int = 0
    individu: int = 0
    ppks: int = 0
    psks: int = 0
    riwayat: int = 0
    detik: float = 0.0

    def __str__(self) -> str:
        if not self.keluarga:
            return f"Data sintetis: sudah ada {self.sudah_ada} keluarga, tidak ada yang ditambah."
        return (
            f"Data sintetis: {self.keluarga} keluarga, {self.individu} individu, {self.ppks} PPKS, "
            f"{self.psks} PSKS ditambahkan dalam {self.detik:.1f} detik "
            f"(sebelumnya {self.sudah_ada} keluarga)."
        )


def buat_data_sintetis(target: int, *, seed: int = 2026, batch: int = BATCH, log=None) -> Hasil:
    """Top the database up to `target` households (every Keluarga row counts) with synthetic
    data for `seed`. All or nothing: one transaction. Returns what was added."""
    if seed < 0 or target < 0:
        raise ValueError("target dan seed harus bilangan bulat >= 0")
    mulai = time.perf_counter()
    tabel = [m._meta.db_table for m in KOLOM]
    with transaction.atomic(), connection.cursor() as c:
        # Other writers wait until the load commits, so the count, the serial counters and the
        # reserved id ranges stay true for the whole load.
        c.execute(f"LOCK TABLE {', '.join(tabel)} IN SHARE ROW EXCLUSIVE MODE")
        c.execute("SET LOCAL statement_timeout = 0")
        sudah_ada = Keluarga.objects.count()
        hasil = Hasil(sudah_ada=sudah_ada)
        if target <= sudah_ada:
            return hasil
        # Ids only grow, so a load whose rows still exist ran with a lower salt: the UUIDs of a
        # new load never repeat an earlier load's with the same seed, yet a fresh database with
        # the same seed gets the same UUIDs.
        salt = tuple(
            m.objects.aggregate(x=Max("id"))["x"] or 0 for m in (Keluarga, PPKS, PSKS, Riwayat)
        )
        gen = Generator(
            seed=seed, salt=salt, hari_ini=timezone.localdate(), sekarang=timezone.now()
        )
        tetap = {m: _kolom_tetap(m) for m in KOLOM}
        for awal in range(sudah_ada, target, batch):
            b = _Batch()
            for nomor in range(awal, min(awal + batch, target)):
                gen.keluarga(nomor, b)
            _simpan(c.cursor, b, tetap)  # c.cursor: psycopg's own cursor, which has copy()
            hasil.keluarga += len(b.keluarga)
            hasil.individu += len(b.individu)
            hasil.ppks += len(b.ppks)
            hasil.psks += len(b.psks)
            hasil.riwayat += len(b.riwayat)
            if log:
                log(f"  {hasil.keluarga} / {target - sudah_ada} keluarga")
        # The deferred foreign keys are checked now rather than at the caller's commit, so the
        # time reported is the whole cost; fresh statistics give the first queries good plans.
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's default for the caller
        for t in tabel:
            c.execute(f"ANALYZE {t}")
        # Rows of kecamatan without a TKSK account name nobody: the audit log says who/when.
        catat(
            aksi="seed_sintetis",
            data={"seed": seed, "keluarga": hasil.keluarga, "individu": hasil.individu},
        )
    hasil.detik = time.perf_counter() - mulai
    return hasil
