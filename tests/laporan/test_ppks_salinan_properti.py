"""Random sequences of what happens to households, persons and PPKS, all through the services
(saves, desa changes, renames, sex and birth-date corrections, deaths, member deletions,
duplicate cases resolved by moving a person or a household, imports, verification): after every
step the dashboard's numbers per desa and per sex equal a count straight from the subjects, the
drift check finds nothing, and every PPKS's search name is its subject's name."""

import contextlib
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from pendataan import impor
from pendataan.models import PPKS, Individu, KasusGanda, Keluarga
from pendataan.services import kasus_selesaikan, keluarga_simpan, verifikasi_massal
from pendataan.services_ppks import ppks_simpan
from tests.laporan.salinan import (
    dari_dasbor,
    dari_subjek,
    nama_dari_ppks,
    nama_dari_subjek,
    selisih,
)
from tests.matrix.impor import buat_xlsx
from tests.matrix.impor import keluarga as baris_keluarga
from tests.matrix.keluarga import anggota_data, no_kk_baru
from tksk.models import KategoriPPKS, Wilayah

KATEGORI_ORANG = ("GEL", "PGM", "PML", "ODHA", "LUT")
KATEGORI_RUMAH = ("FM", "KBSP")
pilih = st.integers(min_value=0, max_value=10_000)


def _ke(seq, i):
    return seq[i % len(seq)] if seq else None


class Pendataan(RuleBasedStateMachine):
    world = None

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        w = self.world
        self.tksk = w.users["tksk_pahandut"]
        self.tksk_lain = w.users["tksk_jekanraya"]
        self.kab = w.users["kab_palangkaraya"]
        self.admin = w.users["admin"]
        self.kec = [w.kec["pahandut"], w.kec["jekanraya"]]
        self.desa = list(Wilayah.objects.filter(induk=w.kec["pahandut"]).order_by("kode")[:3])
        self.desa_lain = w.desa["jekanraya"]

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- what can be picked --------------------------------------------------------------

    def _rumah(self, i):
        return _ke(list(Keluarga.objects.filter(desa__in=self.desa).order_by("pk")), i)

    def _orang(self, i, **saring):
        qs = Individu.objects.filter(desa__in=self.desa, **saring).order_by("pk")
        return _ke(list(qs), i)

    # --- operations ----------------------------------------------------------------------

    @rule(d=pilih, jk=st.lists(st.sampled_from("LP"), min_size=1, max_size=3))
    def buat_keluarga(self, d, jk):
        anggota = [anggota_data("Kepala", jenis_kelamin=jk[0])]
        anggota += [anggota_data(f"Anak {n}", "anak", jenis_kelamin=s) for n, s in enumerate(jk)]
        keluarga_simpan(
            pelaku=self.tksk,
            data={"no_kk": no_kk_baru(), "desa": _ke(self.desa, d), "alamat": "Jl. Uji"},
            anggota=anggota[: len(jk)],
        )

    @rule(i=pilih, k=st.sampled_from(KATEGORI_ORANG))
    def ppks_orang(self, i, k):
        if ind := self._orang(i):
            self._ppks("individu", ind, k)

    @rule(i=pilih, k=st.sampled_from(KATEGORI_RUMAH))
    def ppks_rumah(self, i, k):
        if kel := self._rumah(i):
            self._ppks("keluarga", kel, k)

    def _ppks(self, subjek, obj, singkatan):
        data = {
            "kategori": KategoriPPKS.objects.get(singkatan=singkatan),
            "subjek": subjek,
            subjek: obj.uuid,
            "tanggal_identifikasi": date(2026, 1, 10),
        }
        # The same open category twice for one subject is refused.
        with contextlib.suppress(ValidationError):
            ppks_simpan(pelaku=self.tksk, data=data)

    @rule(i=pilih, d=pilih)
    def pindah_desa(self, i, d):
        if kel := self._rumah(i):
            keluarga_simpan(
                pelaku=self.tksk, keluarga=kel, data={"desa": _ke(self.desa, d)}, anggota=[]
            )

    def _ubah_anggota(self, ind, **isi):
        keluarga_simpan(
            pelaku=self.tksk,
            keluarga=ind.keluarga,
            data={},
            anggota=[{"uuid": str(ind.uuid), **isi}],
        )

    @rule(i=pilih)
    def koreksi_jenis_kelamin(self, i):
        if ind := self._orang(i):
            self._ubah_anggota(ind, jenis_kelamin="P" if ind.jenis_kelamin == "L" else "L")

    @rule(i=pilih, nama=st.sampled_from(["Élan Saputra", "Yuliana", "Ñoman Wijaya"]))
    def ganti_nama(self, i, nama):
        """A person (the head of household too) renamed: the PPKS list searches the new name."""
        if ind := self._orang(i):
            self._ubah_anggota(ind, nama=nama)

    @rule(i=pilih, tahun=st.integers(min_value=1940, max_value=2020))
    def koreksi_tanggal_lahir(self, i, tahun):
        if ind := self._orang(i):
            self._ubah_anggota(ind, tanggal_lahir=date(tahun, 6, 1))

    @rule(i=pilih)
    def meninggal(self, i):
        if ind := self._orang(i, status_hidup="hidup", hubungan="anak"):
            self._ubah_anggota(ind, status_hidup="meninggal")

    @rule(i=pilih)
    def hapus_anggota(self, i):
        if ind := self._orang(i, hubungan="anak"):
            try:
                keluarga_simpan(
                    pelaku=self.tksk,
                    keluarga=ind.keluarga,
                    data={},
                    anggota=[{"uuid": str(ind.uuid), "hapus": True}],
                )
            except ValidationError:
                assert PPKS.objects.filter(individu=ind).exists()  # refused: has a PPKS

    @rule(i=pilih)
    def mutasi_orang(self, i):
        """The person is found again in a household of Jekan Raya; the Dinas moves them."""
        if not (ind := self._orang(i, hubungan="anak", nik__isnull=False)):
            return
        hasil = keluarga_simpan(
            pelaku=self.tksk_lain,
            data={"no_kk": no_kk_baru(), "desa": self.desa_lain, "alamat": "Jl. Lain"},
            anggota=[anggota_data("Kepala Lain"), anggota_data("Ganda", "anak", nik=ind.nik)],
            lewati_nik_ganda=True,
        )
        kasus_selesaikan(pelaku=self.kab, kasus=hasil.kasus[0], aksi="mutasi", catatan="Pindah.")

    @rule(i=pilih)
    def mutasi_keluarga(self, i):
        """The household's No KK is entered in Jekan Raya; the Dinas moves the household."""
        if not (kel := self._rumah(i)):
            return
        with pytest.raises(ValidationError):  # refused, and a case opened
            keluarga_simpan(
                pelaku=self.tksk_lain,
                data={"no_kk": kel.no_kk, "desa": self.desa_lain, "alamat": "Jl. Lain"},
                anggota=[anggota_data("Kepala Lain")],
            )
        kasus = KasusGanda.objects.get(jenis="no_kk", keluarga_lama=kel, status="terbuka")
        kasus_selesaikan(pelaku=self.kab, kasus=kasus, aksi="mutasi", catatan="Pindah.")

    @rule(d=pilih, n=st.integers(min_value=1, max_value=3))
    def impor(self, d, n):
        rows = baris_keluarga("K1", _ke(self.desa, d), jumlah=n)
        ppks = [
            {"nik": rows[0]["nik"], "kategori": "GEL", "tanggal_identifikasi": "2026-01-05"},
            {"kode_keluarga": "K1", "kategori": "FM", "tanggal_identifikasi": "2026-01-05"},
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "impor.xlsx"
            path.write_bytes(buat_xlsx(rows, ppks))
            lembar = impor.baca_berkas(path, "xlsx")
        laporan = impor.proses(pelaku=self.tksk, lembar=lembar, simpan=True)
        assert laporan["ringkasan"]["keluarga"]["siap"] == 1

    @rule(semua=st.booleans())
    def verifikasi(self, semua):
        objek = list(PPKS.objects.filter(desa__in=self.desa, status="draf")[: 3 if semua else 1])
        objek += list(Keluarga.objects.filter(desa__in=self.desa, status="draf")[:2])
        if objek:
            verifikasi_massal(pelaku=self.tksk, objek=objek, aksi="ajukan")
            verifikasi_massal(pelaku=self.kab, objek=objek, aksi="verifikasi")

    # --- what must hold after every step -------------------------------------------------

    @invariant()
    def angka_dasbor_sama_dengan_subjek(self):
        assert dari_dasbor(self.admin, self.kec) == dari_subjek()
        assert selisih() == {}

    @invariant()
    def nama_pencarian_sama_dengan_subjek(self):
        assert nama_dari_ppks() == nama_dari_subjek()


@pytest.mark.django_db
def test_dashboard_numbers_follow_the_subjects(world):
    Pendataan.world = world
    run_state_machine_as_test(
        Pendataan,
        settings=settings(
            max_examples=20,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            database=None,
        ),
    )
