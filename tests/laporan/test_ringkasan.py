"""The summary tables kept by the database triggers equal a recount from scratch, whatever
sequence of changes reaches the pendataan tables: ORM saves and deletes, queryset updates, raw SQL
and COPY (what the demo seeding uses)."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from laporan import sql
from laporan.models import RingkasanBulan, RingkasanDesa, RingkasanKecamatan
from pendataan.models import PPKS, PSKS, Individu, Keluarga
from tksk.models import KategoriPPKS, KategoriPSKS, Wilayah

STATUS = ["draf", "diajukan", "terverifikasi", "dikembalikan"]


def _tersimpan() -> dict:
    """The triggers' tables as {table: {key: n}} without the rows that count nothing."""
    return {
        "desa": {
            (r.desa_id, r.metrik, r.kategori_id, r.status, r.jenis_kelamin): r.n
            for r in RingkasanDesa.objects.exclude(n=0)
        },
        "kecamatan": {
            (r.kecamatan_id, r.metrik, r.kategori_id, r.status): r.n
            for r in RingkasanKecamatan.objects.exclude(n=0)
        },
        "bulan": {
            (r.kecamatan_id, r.metrik, r.kategori_id, r.status, r.bulan): r.n
            for r in RingkasanBulan.objects.exclude(n=0)
        },
    }


def _hitung_orm() -> dict:
    """The same counts computed independently with the ORM from the base tables."""
    kec = dict(Wilayah.objects.filter(tingkat="desa").values_list("pk", "kecamatan_id"))
    desa = Counter()
    for r in Keluarga.objects.values("desa", "status").annotate(n=Count("pk")):
        desa[(r["desa"], "keluarga", 0, r["status"], "")] += r["n"]
    for r in (
        Individu.objects.filter(status_hidup="hidup")
        .values("desa", "keluarga__status", "jenis_kelamin")
        .annotate(n=Count("pk"))
    ):
        desa[(r["desa"], "individu", 0, r["keluarga__status"], r["jenis_kelamin"])] += r["n"]
    bulan = Counter()
    for p in PPKS.objects.all():
        desa[(p.desa_id, "ppks", p.kategori_id, p.status, p.jenis_kelamin)] += 1
        awal = p.tanggal_identifikasi.replace(day=1)
        bulan[(kec[p.desa_id], "ppks", p.kategori_id, p.status, awal)] += 1
    for p in PSKS.objects.all():
        desa[(p.desa_id, "psks", p.kategori_id, p.status, "")] += 1
    kecamatan = Counter()
    for (d, m, k, s, _jk), n in desa.items():
        kecamatan[(kec[d], m, k, s)] += n
    buang = lambda c: {k: v for k, v in c.items() if v}  # noqa: E731
    return {"desa": buang(desa), "kecamatan": buang(kecamatan), "bulan": buang(bulan)}


def _selisih() -> dict:
    with connection.cursor() as cursor:
        return {t: rows for t, rows in sql.selisih(cursor).items() if rows}


class Dunia:
    """Random records in five desa of two kecamatan."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        kec = list(Wilayah.objects.filter(kode__in=["62.71.01", "62.03.01"]))
        self.desa = list(Wilayah.objects.filter(induk__in=kec, tingkat="desa").order_by("kode")[:5])
        self.desa += list(Wilayah.objects.filter(induk=kec[1], tingkat="desa").order_by("kode")[:2])
        self.kat_ppks = list(KategoriPPKS.objects.all())
        self.kat_psks = list(KategoriPSKS.objects.all())
        self.n = 0

    def pilih(self, seq):
        return self.rng.choice(seq)

    def keluarga(self):
        self.n += 1
        desa = self.pilih(self.desa)
        kel = Keluarga.objects.create(
            desa=desa, alamat=f"Jl. Uji {self.n}", status=self.pilih(STATUS), nama_kepala="X"
        )
        for i in range(self.rng.randint(0, 4)):
            Individu.objects.create(
                keluarga=kel,
                desa=desa,
                alasan_tanpa_nik="lainnya",
                nama=f"Orang {self.n}-{i}",
                jenis_kelamin=self.pilih("LP"),
                hubungan="kepala_keluarga" if i == 0 else "anak",
                status_hidup=self.pilih(["hidup", "hidup", "hidup", "meninggal"]) if i else "hidup",
            )
        return kel

    def ppks(self):
        ind = Individu.objects.order_by("?").first()
        if ind is None:
            return None
        return PPKS.objects.create(
            kategori=self.pilih(self.kat_ppks),
            subjek="individu",
            individu=ind,
            desa=ind.desa,
            jenis_kelamin=ind.jenis_kelamin,
            status=self.pilih(STATUS),
            tanggal_identifikasi=date(2026, 1, 1) + timedelta(days=self.rng.randint(0, 300)),
        )

    def psks(self):
        self.n += 1
        return PSKS.objects.create(
            kategori=self.pilih(self.kat_psks),
            nama=f"Lembaga {self.n}",
            jenis="lembaga",
            desa=self.pilih(self.desa),
            status=self.pilih(STATUS),
        )

    def langkah(self):
        """One random change, through whichever door."""
        aksi = self.rng.randrange(16)
        if aksi <= 2:
            self.keluarga()
        elif aksi in (3, 14, 15):
            self.ppks()
        elif aksi == 4:
            self.psks()
        elif aksi == 5 and (kel := Keluarga.objects.order_by("?").first()):
            kel.status = self.pilih(STATUS)  # a household status moves its members' counts
            kel.save()
        elif aksi == 6 and (kel := Keluarga.objects.order_by("?").first()):
            desa = self.pilih(self.desa)  # a move: household and members to another desa
            Keluarga.objects.filter(pk=kel.pk).update(desa=desa)
            Individu.objects.filter(keluarga=kel).update(desa=desa)
        elif aksi == 7 and (ind := Individu.objects.order_by("?").first()):
            ind.jenis_kelamin = self.pilih("LP")
            ind.status_hidup = self.pilih(["hidup", "meninggal", "pindah"])
            if ind.status_hidup == "hidup" and ind.hubungan == "kepala_keluarga":
                ind.hubungan = "lainnya"
            ind.save()
        elif aksi == 8 and (ind := Individu.objects.filter(ppks__isnull=True).first()):
            if self.rng.random() < 0.5:
                ind.delete()
            elif (lain := Keluarga.objects.exclude(pk=ind.keluarga_id).first()) is not None:
                Individu.objects.filter(pk=ind.pk).update(keluarga=lain, hubungan="lainnya")
        elif aksi == 9 and (p := PPKS.objects.order_by("?").first()):
            p.kategori = self.pilih(self.kat_ppks)
            p.status = self.pilih(STATUS)
            p.desa = self.pilih(self.desa)
            p.jenis_kelamin = self.pilih(["L", "P", ""])
            p.tanggal_identifikasi -= timedelta(days=self.rng.randint(0, 90))
            p.save()
        elif aksi == 10:
            # A bulk verification: one UPDATE statement over many rows of several keys.
            tabel = self.pilih(["pendataan_ppks", "pendataan_psks", "pendataan_keluarga"])
            with connection.cursor() as c:
                c.execute(
                    f"UPDATE {tabel} SET status = %s WHERE id %% 2 = %s",  # noqa: S608
                    [self.pilih(STATUS), self.rng.randrange(2)],
                )
        elif aksi == 11:
            PPKS.objects.filter(pk__in=PPKS.objects.order_by("?").values("pk")[:1]).delete()
            PSKS.objects.filter(pk__in=PSKS.objects.order_by("?").values("pk")[:1]).delete()
        elif aksi == 12 and (kel := Keluarga.objects.filter(ppks__isnull=True).first()):
            if not PPKS.objects.filter(individu__keluarga=kel).exists():
                kel.delete()  # members go first (ORM cascade), then the household
        elif aksi == 13:
            self.copy()

    def copy(self):
        """Raw COPY of households and members, as the demo seeding writes them."""
        with connection.cursor() as c:
            jumlah = self.rng.randint(1, 6)
            c.execute(
                "SELECT nextval(pg_get_serial_sequence('pendataan_keluarga', 'id')) "
                "FROM generate_series(1, %s)",
                [jumlah],
            )
            ids = [r[0] for r in c.fetchall()]
            baris_k, baris_i = [], []
            for kid in ids:
                self.n += 1
                desa = self.pilih(self.desa)
                status = self.pilih(STATUS)
                baris_k.append((kid, desa.pk, status, f"Jl. Salin {self.n}"))
                for m in range(self.rng.randint(1, 3)):
                    baris_i.append((kid, desa.pk, f"Salin {self.n}-{m}", self.pilih("LP"), m == 0))
            copy_k = (
                "COPY pendataan_keluarga (id, uuid, desa_id, status, alamat, alasan_kembali, "
                "catatan_verifikasi, dibuat_pada, diubah_pada, versi, alasan_tanpa_kk, rt, rw, "
                "dusun, nama_kepala, jumlah_anggota) FROM STDIN"
            )
            with c.cursor.copy(copy_k) as copy:
                for kid, desa_id, status, alamat in baris_k:
                    copy.write_row(
                        (kid, _uuid(self.rng), desa_id, status, alamat, "", "", "now",
                         "now", 1, "", "", "", "", "", 0)
                    )  # fmt: skip
            copy_i = (
                "COPY pendataan_individu (uuid, keluarga_id, desa_id, alasan_tanpa_nik, nama, "
                "jenis_kelamin, tempat_lahir, hubungan, agama, pendidikan, pekerjaan, "
                "status_kawin, disabilitas, status_hidup, nama_ibu, dibuat_pada, diubah_pada) "
                "FROM STDIN"
            )
            with c.cursor.copy(copy_i) as copy:
                for kid, desa_id, nama, jk, kepala in baris_i:
                    copy.write_row(
                        (_uuid(self.rng), kid, desa_id, "lainnya", nama, jk, "",
                         "kepala_keluarga" if kepala else "anak", "", "", "", "", "[]", "hidup",
                         "", "now", "now")
                    )  # fmt: skip


def _uuid(rng) -> str:
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_incremental_equals_rebuilt_after_random_changes(seed):
    dunia = Dunia(random.Random(seed))
    for _ in range(6):
        dunia.keluarga()
    for _ in range(8):
        dunia.ppks()
        dunia.psks()
    for _ in range(120):
        dunia.langkah()
    tersimpan = _tersimpan()
    assert tersimpan == _hitung_orm()
    assert _selisih() == {}
    assert Keluarga.objects.exists() and PPKS.objects.exists()
    # The rebuild from scratch gives exactly what the triggers kept.
    call_command("laporan_rebuild_ringkasan", verbosity=0)
    assert _tersimpan() == tersimpan


@pytest.mark.django_db
def test_household_status_moves_its_members_and_deaths_leave_the_count(world):
    from tests.matrix.ppks import buat_keluarga

    kel, kepala = buat_keluarga(world, "pahandut")
    Individu.objects.create(
        keluarga=kel, desa=kel.desa, alasan_tanpa_nik="bayi", nama="Anak", jenis_kelamin="P",
        hubungan="anak",
    )  # fmt: skip

    def n(metrik, status, jk=""):
        row = RingkasanDesa.objects.filter(
            desa=kel.desa, metrik=metrik, status=status, jenis_kelamin=jk
        ).first()
        return row.n if row else 0

    assert (n("keluarga", "draf"), n("individu", "draf", "L"), n("individu", "draf", "P")) == (
        1,
        1,
        1,
    )
    Keluarga.objects.filter(pk=kel.pk).update(status="terverifikasi")
    assert n("individu", "draf", "L") == 0 and n("individu", "terverifikasi", "L") == 1
    assert n("keluarga", "terverifikasi") == 1
    Individu.objects.filter(nama="Anak").update(status_hidup="meninggal")
    assert n("individu", "terverifikasi", "P") == 0
    kepala.delete()
    Keluarga.objects.filter(pk=kel.pk).delete()
    assert n("keluarga", "terverifikasi") == 0 and n("individu", "terverifikasi", "L") == 0
    assert _selisih() == {}


@pytest.mark.django_db
def test_truncate_empties_the_summary_and_the_check_command_reports_differences(world):
    from tests.matrix.ppks import buat_ppks

    buat_ppks(world, "selat")
    assert RingkasanDesa.objects.filter(metrik="ppks").exclude(n=0).exists()
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute("TRUNCATE pendataan_ppks CASCADE")
    assert not RingkasanDesa.objects.filter(metrik="ppks").exists()
    assert not RingkasanBulan.objects.exists()
    call_command("laporan_rebuild_ringkasan", "--periksa", verbosity=0)
    # Tampering with a summary row is caught by the check and repaired by the rebuild.
    RingkasanKecamatan.objects.filter(metrik="keluarga").update(n=999)
    with pytest.raises(CommandError, match="berbeda"):
        call_command("laporan_rebuild_ringkasan", "--periksa", verbosity=0)
    call_command("laporan_rebuild_ringkasan", verbosity=0)
    call_command("laporan_rebuild_ringkasan", "--periksa", verbosity=0)


@pytest.mark.django_db
def test_unchanged_counts_still_stamp_the_time_of_the_change(world):
    from tests.matrix.ppks import buat_ppks

    p = buat_ppks(world, "jekanraya")
    sebelum = RingkasanDesa.objects.get(
        desa=p.desa, metrik="ppks", kategori_id=p.kategori_id, status=p.status, jenis_kelamin="L"
    )
    with connection.cursor() as c:
        c.execute(
            "UPDATE laporan_ringkasan_desa SET diubah_pada = now() - interval '1 day' "
            "WHERE desa_id = %s",
            [p.desa_id],
        )
    PPKS.objects.filter(pk=p.pk).update(deskripsi="diubah")  # no count changes
    sesudah = RingkasanDesa.objects.get(pk=sebelum.pk)
    assert sesudah.n == sebelum.n == 1
    assert sesudah.diubah_pada >= sebelum.diubah_pada
