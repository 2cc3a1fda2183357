"""The PPKS and PSKS entries a generated household brings."""

from datetime import timedelta
from functools import partial

from demo import names as N
from demo.sintetis.tabel import KABUPATEN_TERPENCIL, SENSITIF, URAIAN_PPKS, _pilih, _uuid


class _Catatan:
    """Generator methods about PPKS and PSKS entries (mixed into Generator)."""

    def _ppks(self, rng, b, kec, desa_id, desa_nama, k_lokal, dibuat, orang, gelandangan):
        """About a quarter of households: Fakir Miskin most often, plus what their members'
        ages, sex and disabilities suggest; flood victims in flood-hit desa.

        A PPKS is dated between the household's recording and today, so a person qualifies by
        age only if they fit the category's age range over that whole span."""
        r = rng.random
        sejak = dibuat.date()

        def usia(o):
            """(age when the household was recorded or None if born later, age today)."""
            lahir = o[6]
            if lahir > sejak:
                return None, o[3]
            awal = sejak.year - lahir.year - ((sejak.month, sejak.day) < (lahir.month, lahir.day))
            return awal, o[3]

        def cocok(o, muda, tua):
            awal, kini = usia(o)
            return awal is not None and awal >= muda and kini <= tua

        daftar = []  # (category, member's local id or None for the household, member's sex)
        kepala = orang[0]
        if gelandangan:
            daftar.append(("GEL", kepala[0], kepala[2]))
            if r() < 0.3:
                daftar.append(("PGM", kepala[0], kepala[2]))
        else:
            terpilih = r() < 0.2
            if terpilih and r() < 0.72:
                daftar.append(("FM", None, ""))
            for o in orang:
                i_lokal, jk, disabilitas = o[0], o[2], o[4]
                if disabilitas and r() < (0.8 if terpilih else 0.45):
                    if cocok(o, 18, 200):
                        daftar.append(("PD", i_lokal, jk))
                    elif cocok(o, 0, 17):
                        daftar.append(("ADK", i_lokal, jk))
                if not terpilih:
                    continue
                x = r()
                if x < 0.35 and cocok(o, 60, 200):
                    daftar.append(("LUT", i_lokal, jk))
                elif x < 0.06 and cocok(o, 6, 17):
                    daftar.append(("AT", i_lokal, jk))
                elif x < 0.04 and cocok(o, 0, 5):
                    daftar.append(("ABT", i_lokal, jk))
            if terpilih:
                tanpa_pasangan = not any(o[1] in ("istri", "suami") for o in orang)
                if kepala[2] == "P" and tanpa_pasangan and cocok(kepala, 18, 59) and r() < 0.6:
                    daftar.append(("PRSE", kepala[0], "P"))
                if r() < 0.03:
                    singkatan = rng.choice(tuple(SENSITIF))
                    syarat = SENSITIF[singkatan]
                    if syarat is None:  # a household category
                        daftar.append((singkatan, None, ""))
                    else:
                        muda, tua, jk = syarat
                        calon = [o for o in orang if cocok(o, muda, tua) and (not jk or o[2] == jk)]
                        if calon:
                            o = rng.choice(calon)
                            daftar.append((singkatan, o[0], o[2]))
                if not daftar:
                    daftar.append(("FM", None, ""))
        catat = partial(self._catat_ppks, b, rng, kec, desa_id, setelah=dibuat)
        for singkatan, i_lokal, jk in daftar:
            if i_lokal is None:
                catat(singkatan, sejak, keluarga=k_lokal)
            else:
                catat(singkatan, sejak, individu=i_lokal, jk=jk)
        banjir = self.banjir.get(desa_id)
        if banjir and not gelandangan and r() < 0.5:
            kejadian = min(banjir + timedelta(days=int(r() * 10)), self.hari_ini)
            catat("KBA", kejadian, keluarga=k_lokal, tetap=True)
        # A Komunitas Adat Terpencil group, decided on the first household of a remote kecamatan.
        if kec["kab_kode"] in KABUPATEN_TERPENCIL and kec["id"] not in self.kec_ada_kat:
            self.kec_ada_kat.add(kec["id"])
            if r() < 0.35:
                kk = 15 + int(r() * 50)
                nama = f"Komunitas Adat Terpencil Hulu {desa_nama}"
                catat("KAT", sejak, kelompok=nama, kk=kk, jiwa=int(kk * (3.4 + r())))

    def _catat_ppks(
        self, b, rng, kec, desa_id, singkatan, sejak, *, individu=None, keluarga=None, jk="",
        kelompok="", kk=None, jiwa=None, tetap=False, setelah=None,
    ):  # fmt: skip
        """One PPKS row with its history row, linked as the PPKS service links them: a person's
        PPKS to the person only (sex copied), a household's to the household, a group to
        neither."""
        r = rng.random
        tanggal, umur_hari, status, alasan, catatan, diverif, versi, diubah, dibuat = (
            self._tercatat(r, rng, sejak, tetap, setelah)
        )
        tangani = _pilih(r, self.t_tangani_baru if umur_hari < 180 else self.t_tangani_lama)
        deskripsi, kebutuhan = rng.choice(URAIAN_PPKS[singkatan])
        if individu is not None:
            subjek = "individu"
        elif keluarga is not None:
            subjek = "keluarga"
        else:
            subjek = "kelompok"
        tksk = self.tksk.get(kec["id"])
        verifikator = self.dinas.get(kec["kab_id"]) if diverif else None
        p_uuid = _uuid(self.urng)
        b.ppks.append(
            [len(b.ppks), p_uuid, status, alasan, catatan, diverif, dibuat, diubah, versi, subjek,
             kelompok, kk, jiwa, tanggal, deskripsi, kebutuhan, tangani, jk, desa_id, tksk, tksk,
             verifikator, individu, self.kat_ppks[singkatan], keluarga]
        )  # fmt: skip
        b.riwayat.append(
            ["ppks", p_uuid, None, dibuat, "impor", "{}", "", "", "", self.catatan_impor,
             desa_id, tksk]
        )  # fmt: skip

    def _psks(self, rng, b, kec, desa_id, desa_nama, dibuat, orang, nama_kepala, budaya, agama):
        """PSKS: some members serve as PSM, Tagana or WPKS; some desa have a Karang Taruna
        recorded; each kecamatan gets its TKSK and a few institutions on its first household."""
        r = rng.random
        baru = []  # (category, name, jenis, contact, capacity, services, member's local id)
        if r() < 0.008:
            calon = [o for o in orang if 25 <= o[3] <= 60]
            if calon:
                o = rng.choice(calon)
                layanan = "Pendampingan warga, pendataan PPKS, penyaluran bantuan."
                baru.append(("PSM", o[5], "individu", o[5], None, layanan, o[0]))
        if r() < 0.004:
            calon = [o for o in orang if 18 <= o[3] <= 40]
            if calon:
                o = rng.choice(calon)
                layanan = "Siaga bencana banjir dan karhutla, dapur umum."
                baru.append(("TAGANA", o[5], "individu", o[5], None, layanan, o[0]))
        if r() < 0.0015:
            calon = [o for o in orang if o[2] == "P" and 25 <= o[3] <= 65]
            if calon:
                o = rng.choice(calon)
                layanan = "Penggerak kegiatan PKK dan posyandu."
                baru.append(("WPKS", o[5], "individu", o[5], None, layanan, o[0]))
        if r() < 0.001 and nama_kepala:
            baru.append(("KP", f"Keluarga {nama_kepala}", "keluarga", nama_kepala, None,
                         "Keluarga teladan, penggerak gotong royong.", None))  # fmt: skip
        if desa_id not in self.desa_ada_kt:
            self.desa_ada_kt.add(desa_id)
            if r() < 0.3:
                ketua = self.nama(rng, "L" if r() < 0.7 else "P", budaya, agama, 1995)
                baru.append(("KT", f"Karang Taruna {rng.choice(N.KARANG_TARUNA)} {desa_nama}",
                             "lembaga", ketua, 20 + int(r() * 60),
                             "Kegiatan pemuda, bakti sosial, siaga bencana.", None))  # fmt: skip
        if kec["id"] not in self.kec_ada_psks:
            self.kec_ada_psks.add(kec["id"])
            nama_tksk = self.nama_tksk.get(kec["id"]) or self.nama(rng, "L", budaya, agama, 1985)
            baru.append(("TKSK", nama_tksk, "individu", nama_tksk, None,
                         f"TKSK Kecamatan {kec['nama']}.", None))  # fmt: skip
            if r() < 0.7:
                baru.append((
                    "LKS", f"{rng.choice(N.LKS)} {kec['nama']}", "lembaga",
                    self.nama(rng, "P", budaya, agama, 1975), 15 + int(r() * 50),
                    "Pengasuhan dan rehabilitasi sosial berbasis lembaga.", None,
                ))  # fmt: skip
            if r() < 0.5:
                baru.append((
                    "DU", f"{rng.choice(N.USAHA_AWAL)} {rng.choice(N.USAHA_AKHIR)}", "lembaga",
                    self.nama(rng, "L", budaya, agama, 1980), None,
                    "CSR: rehab RTLH, bantuan pendidikan, sembako.", None,
                ))  # fmt: skip
            if r() < 0.6:
                baru.append((
                    "WKSBM", f"{rng.choice(N.WKSBM)} {desa_nama}", "lembaga",
                    self.nama(rng, "P", budaya, agama, 1970), None,
                    "Jejaring warga: santunan duka, arisan, pengajian.", None,
                ))  # fmt: skip
        tksk = self.tksk.get(kec["id"])
        for singkatan, nama, jenis, kontak, kapasitas, layanan, i_lokal in baru:
            _, _, status, alasan, catatan, diverif, versi, diubah, dibuat_p = self._tercatat(
                r, rng, dibuat.date(), setelah=dibuat
            )
            verifikator = self.dinas.get(kec["kab_id"]) if diverif else None
            s_uuid = _uuid(self.urng)
            alamat = "" if jenis == "individu" else f"Desa/Kel. {desa_nama}"
            b.psks.append(
                [len(b.psks), s_uuid, status, alasan, catatan, diverif, dibuat_p, diubah, versi,
                 nama, jenis, alamat, kontak, "", kapasitas, layanan, True, desa_id, tksk, tksk,
                 verifikator, i_lokal, self.kat_psks[singkatan]]
            )  # fmt: skip
            b.riwayat.append(
                ["psks", s_uuid, None, dibuat_p, "impor", "{}", "", "", "", self.catatan_impor,
                 desa_id, tksk]
            )  # fmt: skip
