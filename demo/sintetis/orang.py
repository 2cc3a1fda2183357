"""The people of a household: identifiers (NIK, No KK), names, composition, ages, education,
occupation, address, and when and by whom the entry was recorded."""

from datetime import date, datetime, timedelta
from datetime import time as jam

from demo import names as N
from demo.sintetis.tabel import (
    BTB,
    CATATAN_KEMBALI,
    IBU_MAKS,
    IBU_MIN,
    JARAK_ANAK,
    MRT,
    PELAJAR,
    _pilih,
)


class _Orang:
    """Generator methods about the persons of a household (mixed into Generator)."""

    def _nomor(self, penghitung: dict, wilayah: str, blok: str) -> str:
        """Next serial for region + date block; past 9999 the next kecamatan code takes over."""
        for awal in (wilayah, *self.kec_digit):
            awalan = awal + blok
            n = penghitung.get(awalan, 0) + 1
            if n <= 9999:
                penghitung[awalan] = n
                return f"{awalan}{n:04d}"
        raise RuntimeError("Nomor urut NIK/No KK habis.")

    def nik(self, r, wilayah: str, lahir: date, jk: str) -> str:
        """NIK with the date block of the birth date (2% deliberately off: typo or wrong sex)."""
        tanggal = lahir
        if r() < 0.02:
            x = r()
            if x < 0.15:
                jk = "P" if jk == "L" else "L"
            elif x < 0.55:
                tanggal = lahir + timedelta(days=1 + int(r() * 3))
            elif x < 0.8:
                tanggal = lahir - timedelta(days=1 + int(r() * 40))
            else:
                tanggal = lahir.replace(day=min(lahir.day, 28)) - timedelta(days=365)
            if tanggal > self.hari_ini:
                tanggal = lahir - timedelta(days=1)
        hari = tanggal.day + (40 if jk == "P" else 0)
        return self._nomor(
            self.seri_nik, wilayah, f"{hari:02d}{tanggal.month:02d}{tanggal.year % 100:02d}"
        )

    def no_kk(self, wilayah: str, tanggal: date) -> str:
        """No KK: kecamatan, date of recording (DDMMYY, no +40), serial."""
        return self._nomor(
            self.seri_kk, wilayah, f"{tanggal.day:02d}{tanggal.month:02d}{tanggal.year % 100:02d}"
        )

    # --- names --------------------------------------------------------------------------------

    def nama(self, rng, jk: str, budaya: str, agama: str, lahir: int, marga: str = "") -> str:
        """A full name for someone of this background born in year `lahir`."""
        ch = rng.choice
        r = rng.random
        laki = jk == "L"
        modern = lahir >= 2000
        tua = lahir < 1965
        kristen = agama in ("kristen", "katolik")
        if tua and r() < 0.4 and budaya in ("banjar", "dayak_islam", "jawa"):
            return ch(N.NAMA_TUNGGAL_L if laki else N.NAMA_TUNGGAL_P)
        if budaya == "bali":
            awalan = ch(N.BALI_AWALAN_L if laki else N.BALI_AWALAN_P)
            return f"{awalan} {ch(N.BALI_L if laki else N.BALI_P)}"
        if budaya == "tionghoa":
            return f"{ch(N.TIONGHOA_L if laki else N.TIONGHOA_P)} {marga or ch(N.TIONGHOA_MARGA)}"
        if kristen:
            if modern:
                depan = ch(N.MODERN_KRISTEN_L if laki else N.MODERN_KRISTEN_P)
            elif budaya == "dayak" and r() < 0.25:
                depan = ch(N.DAYAK_L if laki else N.DAYAK_P)
            else:
                depan = ch(N.KRISTEN_L if laki else N.KRISTEN_P)
            if budaya == "jawa":
                return f"{depan} {ch(N.JAWA_BELAKANG)}" if laki else depan
            if tua and r() < 0.3:
                return depan
            return f"{depan} {marga or ch(N.DAYAK_MARGA)}"
        if budaya == "kaharingan":
            if modern and r() < 0.5:
                depan = ch(N.MODERN_NETRAL_L if laki else N.MODERN_NETRAL_P)
            else:
                depan = ch(N.DAYAK_L if laki else N.DAYAK_P)
            if tua and r() < 0.5:
                return depan
            return f"{depan} {marga or ch(N.DAYAK_MARGA)}"
        # Muslim Banjar, Bakumpai/Dayak and Javanese families.
        if modern:
            depan = ch(
                (N.MODERN_ISLAM_L if laki else N.MODERN_ISLAM_P)
                if r() < 0.7
                else (N.MODERN_NETRAL_L if laki else N.MODERN_NETRAL_P)
            )
        elif budaya == "jawa":
            depan = ch(N.JAWA_L if laki else N.JAWA_P)
            if r() < 0.5 or " " in depan:
                return depan
            return f"{depan} {ch(N.JAWA_BELAKANG if laki else N.ISLAM_BELAKANG_P)}"
        else:
            depan = ch(N.ISLAM_L if laki else N.ISLAM_P)
        if " " in depan or r() < 0.35:
            return depan
        belakang = ch(N.ISLAM_BELAKANG_L if laki else N.ISLAM_BELAKANG_P)
        return depan if belakang == depan else f"{depan} {belakang}"

    def _susunan(self, r, gelandangan: bool, kota: bool) -> list[list]:
        """The members as [hubungan, jenis_kelamin, age in days, status_kawin], head first."""

        def umur(tahun_min, tahun_max):
            return int((tahun_min + r() * (tahun_max - tahun_min + 1)) * 365.25)

        if gelandangan:
            return [["kepala_keluarga", "L" if r() < 0.8 else "P", umur(25, 65),
                     "belum_kawin" if r() < 0.6 else "cerai_hidup"]]  # fmt: skip
        ukuran = _pilih(r, self.t_ukuran)
        if ukuran == 1:
            x = r()
            if x < 0.5:  # elderly widow(er)
                return [["kepala_keluarga", "P" if r() < 0.65 else "L", umur(60, 88), "cerai_mati"]]
            if x < 0.85:  # young single adult
                return [["kepala_keluarga", "L" if r() < 0.6 else "P", umur(20, 35), "belum_kawin"]]
            return [["kepala_keluarga", "L" if r() < 0.5 else "P", umur(35, 59), "cerai_hidup"]]

        x = r()
        jenis = "pasangan" if x < 0.8 else ("ibu" if x < 0.94 else "ayah")
        a, z = _pilih(r, self.t_umur_kepala)
        if jenis != "pasangan":
            a, z = max(a, 28), max(z, 45)
        umur_kepala = umur(a, z)
        sisa = ukuran - (2 if jenis == "pasangan" else 1)
        n_cucu = n_ortu = n_famili = 0
        if umur_kepala >= 45 * 365 and sisa >= 2 and r() < 0.3:
            n_cucu = 1 if r() < 0.6 else 2
        if umur_kepala <= 55 * 365 and sisa - n_cucu >= 1 and r() < 0.12:
            n_ortu = 1
        if sisa - n_cucu - n_ortu >= 2 and r() < 0.03:
            n_famili = 1
        n_anak = sisa - n_cucu - n_ortu - n_famili
        if umur_kepala >= 60 * 365 and n_anak > 2:  # older couples: grandchildren, not children
            n_cucu += n_anak - 2
            n_anak = 2

        if jenis == "pasangan":
            umur_ibu = umur_kepala - int(_pilih(r, self.t_selisih) * 365.25) - int(r() * 300)
        elif jenis == "ibu":
            umur_ibu = umur_kepala
        else:  # the children's mother is not in the household
            umur_ibu = umur_kepala - 3 * 365
        # Mother's age at each birth; she (and the head) are older than the last one if needed.
        usia_lahir = []
        if n_anak:
            usia_lahir = [IBU_MIN + int(r() * 8 * 365)]
            for _ in range(n_anak - 1):
                usia_lahir.append(usia_lahir[-1] + JARAK_ANAK + int(r() * 3 * 365))
            if usia_lahir[-1] > IBU_MAKS:
                pertama = min(usia_lahir[0], IBU_MAKS - (n_anak - 1) * JARAK_ANAK)
                usia_lahir = [pertama + i * JARAK_ANAK for i in range(n_anak)]
            if umur_ibu < usia_lahir[-1]:
                tambah = usia_lahir[-1] - umur_ibu + int(r() * 3 * 365)
                umur_ibu += tambah
                umur_kepala += tambah
        umur_ibu = max(umur_ibu, 18 * 365)

        anggota = []
        if jenis == "pasangan":
            kawin = "kawin_tercatat" if r() < (0.9 if kota else 0.8) else "kawin_belum_tercatat"
            anggota.append(["kepala_keluarga", "L", umur_kepala, kawin])
            anggota.append(["istri", "P", umur_ibu, kawin])
        elif jenis == "ibu":
            kawin = "cerai_mati" if umur_kepala > 50 * 365 and r() < 0.7 else "cerai_hidup"
            anggota.append(["kepala_keluarga", "P", umur_kepala, kawin])
        else:
            anggota.append(["kepala_keluarga", "L", umur_kepala,
                            "cerai_mati" if r() < 0.6 else "cerai_hidup"])  # fmt: skip
        if n_ortu:
            umur_ortu = min(umur_kepala + int((22 + r() * 14) * 365.25), 95 * 365)
            anggota.append(["orang_tua" if r() < 0.6 else "mertua", "P" if r() < 0.7 else "L",
                            umur_ortu, "cerai_mati"])  # fmt: skip
        for usia in usia_lahir:
            umur_anak = umur_ibu - usia
            kawin = "cerai_hidup" if umur_anak > 24 * 365 and r() < 0.08 else "belum_kawin"
            anggota.append(["anak", "L" if r() < 0.51 else "P", umur_anak, kawin])
        batas_cucu = min(max(1, umur_kepala - 38 * 365), 16 * 365)
        for _ in range(n_cucu):
            anggota.append(["cucu", "L" if r() < 0.51 else "P", int(r() * batas_cucu),
                            "belum_kawin"])  # fmt: skip
        for _ in range(n_famili):
            anggota.append(["famili_lain", "L" if r() < 0.5 else "P", umur(10, 25), "belum_kawin"])
        return anggota

    # --- attributes -----------------------------------------------------------------------------

    def _status(self, r, rng, umur_hari: int, dibuat: datetime) -> tuple:
        """(status, alasan_kembali, catatan, diverifikasi_pada, versi, diubah_pada) of a record
        created `umur_hari` days ago: recent ones are more often still in draft."""
        status = _pilih(r, self.t_status_baru if umur_hari < 30 else self.t_status_lama)
        diubah = min(
            dibuat + timedelta(seconds=int(r() * min(umur_hari, 60) * 86400)), self.sekarang
        )
        versi = 1 if r() < 0.8 else 2 + int(r() * 2)
        alasan = catatan = ""
        diverif = None
        if status in ("terverifikasi", "dikembalikan"):
            diverif = diubah
            if status == "dikembalikan":
                alasan = rng.choice(self.alasan_kembali)
                catatan = rng.choice(CATATAN_KEMBALI[alasan])
        return status, alasan, catatan, diverif, versi, diubah

    def _pendidikan(self, r, umur: int, kota: bool) -> str:
        if umur < 5:
            return "tidak_sekolah"
        if umur < 7:
            return "tidak_sekolah" if r() < 0.7 else "belum_tamat_sd"
        if umur < 13:
            return "belum_tamat_sd"
        if umur < 16:
            return "sd"
        if umur < 19:
            return "smp"
        if umur < 23:
            x = r()
            return "sma" if x < 0.8 else ("smp" if x < 0.95 else "sd")
        kelompok = "muda" if umur < 40 else ("paruh" if umur < 60 else "lansia")
        if kota and kelompok != "muda" and r() < 0.3:
            kelompok = "muda"
        return _pilih(r, self.t_didik[kelompok])

    def _pekerjaan(self, r, umur: int, jk: str, kota: bool, pendidikan: str, hub: str) -> str:
        if umur < 5:
            return BTB
        if umur < 19:
            return PELAJAR if r() < 0.9 else BTB
        terdidik = pendidikan in ("diploma", "s1", "pascasarjana")
        if umur < 24 and (terdidik or pendidikan == "sma") and r() < 0.35:
            return PELAJAR
        if umur >= 60:
            x = r()
            if terdidik and x < 0.5:
                return "Pensiunan"
            if jk == "P":
                return MRT if x < 0.6 else BTB
            return "Petani/Pekebun" if not kota and x < 0.5 else BTB
        if terdidik and r() < 0.55:
            return _pilih(r, self.t_terdidik)
        if hub == "anak" and r() < 0.3:
            return BTB
        return _pilih(r, self.t_kerja[(jk, kota)])

    def _alamat(self, r, rng, kota: bool) -> tuple[str, str, str, str]:
        """(alamat, rt, rw, dusun): town streets with RW, village roads with a dusun."""
        rt = f"{1 + int(r() * (20 if kota else 8)):03d}"
        if kota:
            alamat = f"{rng.choice(N.JALAN_KOTA)} No. {1 + int(r() * 120)}"
            return alamat, rt, f"{1 + int(r() * 8):03d}", ""
        alamat = rng.choice(N.JALAN_DESA)
        if r() < 0.4:
            alamat = f"{alamat} No. {1 + int(r() * 60)}"
        dusun = f"Dusun {('I', 'II', 'III', 'IV')[int(r() * 4)]}"
        return alamat, rt, "" if r() < 0.6 else "001", dusun

    def _tercatat(self, r, rng, sejak: date, tetap: bool = False, setelah=None) -> tuple:
        """(tanggal, status..., dibuat) of a PPKS/PSKS identified on or after `sejak` (on it
        when `tetap`), entered into the app up to two days later, and not before `setelah` (the
        household it concerns was entered)."""
        tanggal = sejak
        if not tetap and r() >= 0.7:
            tanggal = sejak + timedelta(days=int(r() * ((self.hari_ini - sejak).days + 1)))
        umur_hari = (self.hari_ini - tanggal).days
        pagi = datetime.combine(tanggal, jam(8), tzinfo=self.zona)
        dibuat = pagi + timedelta(days=min(int(r() * 3), umur_hari), seconds=int(r() * 36000))
        if setelah is not None and dibuat <= setelah:
            dibuat = setelah + timedelta(seconds=60 + int(r() * 3600))
        dibuat = min(dibuat, self.sekarang)
        umur_hari = min(umur_hari, (self.sekarang - dibuat).days)
        return (tanggal, umur_hari, *self._status(r, rng, umur_hari, dibuat), dibuat)
