"""The generator of one household for one seed: the areas, users, categories and existing serials
it starts from, and the household itself."""

import json
import random
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from demo import names as N
from demo.sintetis.catatan import _Catatan
from demo.sintetis.orang import _Orang
from demo.sintetis.tabel import (
    AGAMA_KABUPATEN,
    AGAMA_UMUM,
    ASAL_BUDAYA,
    BTB,
    BUDAYA_AGAMA,
    CATATAN_KEMBALI,
    HARI_18_BULAN,
    JENIS_DISABILITAS,
    KECAMATAN_DEMO,
    PEKERJAAN,
    PEKERJAAN_TERDIDIK,
    PENANGANAN_BARU,
    PENANGANAN_LAMA,
    PENDATANG,
    PENDIDIKAN_DEWASA,
    PENDUDUK_KABUPATEN,
    PORSI_DEMO,
    SELISIH_UMUR_ISTRI,
    STATUS_BARU,
    STATUS_LAMA,
    UKURAN_KELUARGA,
    UMUR_KEPALA,
    _pilih,
    _tabel,
    _uuid,
)
from demo.sintetis.tulis import _Batch
from pendataan.models import PPKS, PSKS
from tksk.models import KategoriPPKS, KategoriPSKS, Role, Tingkat, User, Wilayah


class Generator(_Orang, _Catatan):
    """Generates household number `nomor` for one seed into a batch (see `keluarga`)."""

    def __init__(self, *, seed: int, salt: tuple, hari_ini: date, sekarang: datetime):
        self.seed = seed
        self.hari_ini = hari_ini
        self.sekarang = sekarang
        self.zona = timezone.get_current_timezone()
        self.catatan_impor = f"Data sintetis untuk demo (seed_demo, seed {seed})."
        # UUIDs come from one stream per load; see buat_data_sintetis for the salt.
        self.urng = random.Random(f"uuid:{seed}:{salt}")  # noqa: S311 (demo data, not secrets)
        self._muat_wilayah()
        self._muat_pengguna()
        self._muat_kategori()
        self._muat_yang_ada()
        self._siapkan_tabel()

    # --- lookup tables, loaded once -----------------------------------------------------------

    def _muat_wilayah(self):
        wilayah = list(
            Wilayah.objects.filter(kode__startswith="62", aktif=True).values(
                "id", "kode", "nama", "tingkat", "kecamatan_id", "kabupaten_id"
            )
        )
        kode = {w["id"]: w["kode"] for w in wilayah}
        desa_per_kec: dict[int, list] = {}
        for w in sorted(wilayah, key=lambda w: w["kode"]):
            if w["tingkat"] == Tingkat.DESA:
                desa_per_kec.setdefault(w["kecamatan_id"], []).append(w)
        if not desa_per_kec:
            raise RuntimeError("Wilayah belum dimuat: jalankan `manage.py load_wilayah` dulu.")
        self.kecamatan = {}
        luas_kab: dict[int, int] = {}
        for w in wilayah:
            if w["tingkat"] != Tingkat.KECAMATAN or w["id"] not in desa_per_kec:
                continue
            desa = [
                # Kelurahan (code 1xxx) are urban and hold about three times a desa's households.
                (d["id"], d["nama"], d["kode"].rsplit(".", 1)[1].startswith("1"))
                for d in desa_per_kec[w["id"]]
            ]
            bobot = {i: 3 if kota else 1 for i, (_, _, kota) in enumerate(desa)}
            self.kecamatan[w["id"]] = {
                "id": w["id"],
                "kode": w["kode"],
                "nama": w["nama"],
                "digit": w["kode"].replace(".", ""),
                "kab_id": w["kabupaten_id"],
                "kab_kode": kode[w["kabupaten_id"]],
                "desa": desa,
                "tabel_desa": _tabel(bobot),
                "ukuran": sum(bobot.values()),
            }
            luas_kab[w["kabupaten_id"]] = luas_kab.get(w["kabupaten_id"], 0) + sum(bobot.values())
        # Province-wide weights: the kabupaten's population split by its kecamatan's sizes.
        bobot_kec = {
            k["id"]: PENDUDUK_KABUPATEN.get(k["kab_kode"], 100)
            * k["ukuran"]
            / luas_kab[k["kab_id"]]
            for k in sorted(self.kecamatan.values(), key=lambda k: k["kode"])
        }
        self.tabel_kec = _tabel(bobot_kec)
        per_kode = {k["kode"]: k["id"] for k in self.kecamatan.values()}
        self.kec_demo = [per_kode[k] for k in KECAMATAN_DEMO if k in per_kode]
        self.kec_digit = tuple(sorted(k["digit"] for k in self.kecamatan.values()))
        # Flood-hit desa (1 in 25), fixed by the seed: their households share a flood date.
        rng = random.Random(f"banjir:{self.seed}")  # noqa: S311
        semua_desa = sorted(d[0] for k in self.kecamatan.values() for d in k["desa"])
        self.banjir = {
            d: self.hari_ini - timedelta(days=rng.randrange(20, HARI_18_BULAN))
            for d in rng.sample(semua_desa, max(1, len(semua_desa) // 25))
        }

    def _muat_pengguna(self):
        """Who records (the kecamatan's TKSK) and who verifies (the kabupaten's Dinas), if any."""
        self.tksk, self.dinas, self.nama_tksk = {}, {}, {}
        akun = User.objects.filter(is_active=True, wilayah__isnull=False).order_by("id")
        for user in akun.only("id", "role", "wilayah_id", "first_name", "last_name"):
            if user.role == Role.TKSK:
                self.tksk.setdefault(user.wilayah_id, user.id)
                if user.get_full_name():
                    self.nama_tksk.setdefault(user.wilayah_id, user.get_full_name())
            elif user.role == Role.KABUPATEN:
                self.dinas.setdefault(user.wilayah_id, user.id)

    def _muat_kategori(self):
        self.kat_ppks = dict(KategoriPPKS.objects.values_list("singkatan", "id"))
        self.kat_psks = dict(KategoriPSKS.objects.values_list("singkatan", "id"))

    def _muat_yang_ada(self):
        """Serial counters per 12-digit prefix, starting after what the database already holds,
        and the areas that already have their one-per-area PSKS and KAT entries."""
        with connection.cursor() as c:
            c.execute(
                "SELECT left(nik, 12), max(right(nik, 4)::int) FROM pendataan_individu "
                "WHERE nik ~ '^[0-9]{16}$' GROUP BY 1"
            )
            self.seri_nik = dict(c.fetchall())
            c.execute(
                "SELECT left(no_kk, 12), max(right(no_kk, 4)::int) FROM pendataan_keluarga "
                "WHERE no_kk ~ '^[0-9]{16}$' GROUP BY 1"
            )
            self.seri_kk = dict(c.fetchall())
        psks = PSKS.objects.values_list
        self.desa_ada_kt = set(
            psks("desa_id", flat=True).filter(kategori_id=self.kat_psks.get("KT"))
        )
        self.kec_ada_psks = set(
            psks("desa__kecamatan_id", flat=True).filter(kategori_id=self.kat_psks.get("TKSK"))
        )
        self.kec_ada_kat = set(
            PPKS.objects.filter(kategori_id=self.kat_ppks.get("KAT")).values_list(
                "desa__kecamatan_id", flat=True
            )
        )

    def _siapkan_tabel(self):
        self.t_ukuran = _tabel(UKURAN_KELUARGA)
        self.t_selisih = _tabel(SELISIH_UMUR_ISTRI)
        self.t_umur_kepala = _tabel(UMUR_KEPALA)
        self.t_agama = {k: _tabel(v) for k, v in AGAMA_KABUPATEN.items()}
        self.t_agama_umum = _tabel(AGAMA_UMUM)
        self.t_budaya = {k: _tabel(v) for k, v in BUDAYA_AGAMA.items()}
        self.t_status_lama = _tabel(STATUS_LAMA)
        self.t_status_baru = _tabel(STATUS_BARU)
        self.t_tangani_lama = _tabel(PENANGANAN_LAMA)
        self.t_tangani_baru = _tabel(PENANGANAN_BARU)
        self.t_kerja = {k: _tabel(v) for k, v in PEKERJAAN.items()}
        self.t_terdidik = _tabel(PEKERJAAN_TERDIDIK)
        self.t_didik = {k: _tabel(v) for k, v in PENDIDIKAN_DEWASA.items()}
        self.t_disabilitas = _tabel(JENIS_DISABILITAS)
        self.alasan_kembali = tuple(CATATAN_KEMBALI)

    def keluarga(self, nomor: int, b: _Batch) -> None:
        """Append household number `nomor` with its members, PPKS, PSKS and history to `b`."""
        rng = random.Random((self.seed << 40) + nomor)  # noqa: S311
        r = rng.random

        slot = nomor % PORSI_DEMO
        kec_id = self.kec_demo[slot] if slot < len(self.kec_demo) else _pilih(r, self.tabel_kec)
        kec = self.kecamatan[kec_id]
        desa_id, desa_nama, kota = kec["desa"][_pilih(r, kec["tabel_desa"])]
        agama = _pilih(r, self.t_agama.get(kec["kab_kode"], self.t_agama_umum))
        budaya = _pilih(r, self.t_budaya[agama])
        marga = ""
        if budaya in ("dayak", "kaharingan", "lain"):
            marga = rng.choice(N.DAYAK_MARGA)
        elif budaya == "tionghoa":
            marga = rng.choice(N.TIONGHOA_MARGA)
        gelandangan = r() < 0.003 and budaya in ("banjar", "jawa", "dayak_islam", "dayak")

        anggota = self._susunan(r, gelandangan, kota)

        # The household row's dates and verification.
        umur_catatan = int(r() * HARI_18_BULAN)
        dibuat = self.sekarang - timedelta(days=umur_catatan, seconds=int(r() * 36000))
        status, alasan, catatan, diverif, versi, diubah = self._status(r, rng, umur_catatan, dibuat)
        tksk = self.tksk.get(kec_id)
        k_lokal = len(b.keluarga)
        k_uuid = _uuid(self.urng)

        kota_lahir = N.KOTA_KABUPATEN.get(kec["kab_kode"], "Palangka Raya")
        asal_luar = N.ASAL_LUAR[ASAL_BUDAYA.get(budaya, "lain")]
        pendatang = PENDATANG.get(budaya, 0.05)
        nama_ibu_anak = nama_kepala = ""
        kk_sejak = date(2012, 1, 1)  # the KK was last issued after its youngest NIK holder's birth
        orang = []  # (local id, hubungan, jk, age in years, disabilities, name, birth date)
        for hub, jk, umur, kawin in anggota:
            lahir = self.hari_ini - timedelta(days=umur)
            umur_th = umur // 365
            nama = self.nama(
                rng, jk, budaya, agama, lahir.year, marga if jk == "L" or hub == "anak" else ""
            )
            if hub == "kepala_keluarga":
                nama_kepala = nama
            if hub == "istri" or (hub == "kepala_keluarga" and jk == "P"):
                nama_ibu_anak = nama
            if hub == "anak" and nama_ibu_anak:
                ibu = nama_ibu_anak
            else:
                ibu = self.nama(rng, "P", budaya, agama, lahir.year - 25)
            # Birthplace, and so where the NIK was first issued (~10% outside the kecamatan).
            x = r()
            if umur_th >= 20 and x < pendatang:
                tempat, wilayah_nik = rng.choice(asal_luar)
            else:
                tempat, wilayah_nik = (kota_lahir if x < 0.6 else kec["nama"]), kec["digit"]
                if r() < 0.04:
                    wilayah_nik = rng.choice(self.kec_digit)  # moved within the province
            alasan_tanpa = ""
            if gelandangan:
                alasan_tanpa = "gelandangan"
            elif umur < 365 and r() < 0.5:
                alasan_tanpa = "bayi"
            elif umur_th >= 17 and r() < 0.002:
                alasan_tanpa = "dokumen_hilang" if r() < 0.5 else "tidak_terdaftar"
            nik = None if alasan_tanpa else self.nik(r, wilayah_nik, lahir, jk)
            if nik and lahir > kk_sejak:
                kk_sejak = lahir
            pendidikan = self._pendidikan(r, umur_th, kota)
            pekerjaan = self._pekerjaan(r, umur_th, jk, kota, pendidikan, hub)
            disabilitas = ()
            if r() < (0.006 if umur_th < 18 else 0.015 if umur_th < 60 else 0.06):
                disabilitas = (_pilih(r, self.t_disabilitas),)
                lain = _pilih(r, self.t_disabilitas)
                if r() < 0.1 and lain != disabilitas[0]:
                    disabilitas = (*disabilitas, lain)
                if umur_th >= 18 and r() < 0.6:
                    pekerjaan = BTB
            # Born after the household was recorded: added later, which updated the household.
            m_dibuat = dibuat
            if lahir >= dibuat.date():
                tambah = (lahir - dibuat.date()).days + 1 + int(r() * 20)
                m_dibuat = min(dibuat + timedelta(days=tambah), self.sekarang)
                if m_dibuat > diubah:
                    diubah = m_dibuat
                    diverif = diubah if diverif else None
            i_lokal = len(b.individu)
            b.individu.append(
                [i_lokal, _uuid(self.urng), nik, alasan_tanpa, nama, jk, tempat, lahir, hub,
                 agama, pendidikan, pekerjaan, kawin, json.dumps(list(disabilitas)), "hidup", ibu,
                 m_dibuat, max(m_dibuat, diubah), desa_id, k_lokal]
            )  # fmt: skip
            orang.append((i_lokal, hub, jk, umur_th, disabilitas, nama, lahir))

        if gelandangan:
            no_kk, tanpa_kk = None, "Tidak memiliki KK: gelandangan, tanpa tempat tinggal tetap."
            alamat, rt, rw, dusun = f"Tidak tetap, sekitar pasar {kec['nama']}", "", "", ""
        else:
            rentang = max((dibuat.date() - kk_sejak).days, 1)
            tanggal_kk = min(kk_sejak + timedelta(days=int(r() * rentang)), self.hari_ini)
            no_kk, tanpa_kk = self.no_kk(kec["digit"], tanggal_kk), ""
            alamat, rt, rw, dusun = self._alamat(r, rng, kota)
        verifikator = self.dinas.get(kec["kab_id"]) if diverif else None
        b.keluarga.append(
            [k_lokal, k_uuid, status, alasan, catatan, diverif, dibuat, diubah, versi, no_kk,
             tanpa_kk, alamat, rt, rw, dusun, nama_kepala, len(anggota), desa_id, tksk, tksk,
             verifikator]
        )  # fmt: skip
        # One history row per household (not per person: that would double the data), and the
        # return with its note for returned ones.
        b.riwayat.append(
            ["keluarga", k_uuid, k_uuid, dibuat, "impor", "{}", "", "", "", self.catatan_impor,
             desa_id, tksk]
        )  # fmt: skip
        if status == "dikembalikan":
            b.riwayat.append(
                ["keluarga", k_uuid, k_uuid, diverif, "transisi", "{}", "diajukan", "dikembalikan",
                 alasan, catatan, desa_id, verifikator]
            )  # fmt: skip

        self._ppks(rng, b, kec, desa_id, desa_nama, k_lokal, dibuat, orang, gelandangan)
        self._psks(rng, b, kec, desa_id, desa_nama, dibuat, orang, nama_kepala, budaya, agama)
