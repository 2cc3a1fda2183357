"""PPKS rows: the subject each names (a person, a household of the file or stored, a group),
checked and written through ppks_buat_banyak."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from pendataan.impor.kolom import KOLOM_NOMOR, LEMBAR_PPKS, _normal
from pendataan.impor.konteks import _cari_desa, _Konteks, _pesan_desa
from pendataan.impor.konversi import PESAN_RUMUS, _nomor, _pilihan, _tanggal, _teks
from pendataan.impor.lembar import Baris, pesan_panjang
from pendataan.impor.rumah import _Rumah
from pendataan.models import PPKS, Individu, Keluarga, StatusPenanganan, SubjekPPKS
from pendataan.nik import periksa_nik, periksa_no_kk
from pendataan.services_ppks import ppks_buat_banyak
from tksk.models import KategoriPPKS


@dataclass
class _BarisPPKS:
    baris: Baris
    data: dict = field(default_factory=dict)
    kunci_subjek: tuple | None = None
    # The subject was created by this run: no identification of it can exist yet.
    subjek_baru: bool = False
    kolom_subjek: str = "nik"  # the column an error about the subject belongs to
    status: str = ""
    nama: str = ""
    uuid: str = ""


class _IndeksPPKS:
    """Lookups for the PPKS rows, made once per file: households and people of the file, and
    (one query each) the stored people and households the rows name."""

    def __init__(self, ktx: _Konteks, baris: list[Baris], semua_rumah: list[_Rumah]):
        self.rumah_kode = {r.kunci: r for r in semua_rumah}
        self.rumah_kk = {r.data.get("no_kk"): r for r in semua_rumah if r.data.get("no_kk")}
        self.baris_nik = {
            a.get("nik"): (r, b)
            for r in semua_rumah
            for b, a in zip(r.baris, r.anggota, strict=True)
            if a.get("nik")
        }
        nik_diminta = {_nomor(b.sel.get("nik")) for b in baris} - {""}
        self.individu_nik = {
            i.nik: i
            for i in Individu.objects.for_user(ktx.pelaku)
            .filter(nik__in=nik_diminta - set(self.baris_nik))
            .select_related("keluarga")
        }
        kk_diminta = {_nomor(b.sel.get("no_kk")) for b in baris} - {""}
        self.keluarga_kk = {
            k.no_kk: k
            for k in Keluarga.objects.for_user(ktx.pelaku).filter(
                no_kk__in=kk_diminta - set(self.rumah_kk)
            )
        }
        self.terlihat: dict[tuple, int] = {}

    def rumah_file(self, b: Baris) -> _Rumah | None:
        """The household of this file a row is about (its PPKS is checked with it)."""
        nik = _nomor(b.sel.get("nik"))
        if nik:
            return self.baris_nik[nik][0] if nik in self.baris_nik else None
        kode = _teks(b.sel.get("kode_keluarga"))
        if kode:
            return self.rumah_kode.get(f"kode:{_normal(kode)}")
        return self.rumah_kk.get(_nomor(b.sel.get("no_kk")))


def _proses_ppks(ktx: _Konteks, daftar: list[Baris], idx: _IndeksPPKS) -> list[_BarisPPKS]:
    P = LEMBAR_PPKS
    rumah_kode, rumah_kk, baris_nik = idx.rumah_kode, idx.rumah_kk, idx.baris_nik
    individu_nik, keluarga_kk = idx.individu_nik, idx.keluarga_kk

    def rumah_dari(b: Baris) -> tuple[_Rumah | None, Keluarga | None, str | None]:
        """(household of this file, stored household, error)."""
        kode = _teks(b.sel.get("kode_keluarga"))
        no_kk = _nomor(b.sel.get("no_kk"))
        if kode:
            r = rumah_kode.get(f"kode:{_normal(kode)}")
            if r is None:
                return None, None, f"Kode keluarga “{kode[:20]}” tidak ada di lembar Keluarga."
            return r, None, None
        r = rumah_kk.get(no_kk)
        if r is not None:
            return r, None, None
        kel = keluarga_kk.get(no_kk)
        if kel is None:
            return (
                None,
                None,
                ("No KK ini tidak ada di lembar Keluarga maupun di data keluarga wilayah Anda."),
            )
        return None, kel, None

    def keluarga_tersimpan(r: _Rumah) -> tuple[Keluarga | None, str | None]:
        if r.status in ("siap", "sudah_ada") and r.keluarga is not None:
            return r.keluarga, None
        return None, (
            f"Keluarga ini (lembar Keluarga baris {r.baris[0].nomor}) tidak diimpor karena ada "
            "kesalahan; perbaiki dulu baris keluarganya."
        )

    hasil: list[_BarisPPKS] = []
    siap: list[_BarisPPKS] = []
    terlihat = idx.terlihat
    anggota_cache: dict[int, list[Individu]] = {}
    for b in daftar:
        item = _BarisPPKS(b)
        hasil.append(item)
        for kol, sel in b.sel.items():
            if sel.panjang:
                ktx.galat(P, b.nomor, kol, pesan_panjang(sel.panjang))
            elif sel.rumus and kol not in KOLOM_NOMOR:
                ktx.galat(P, b.nomor, kol, PESAN_RUMUS)
        kategori_teks = _teks(b.sel.get("kategori"))
        kategori = ktx.kategori.get(_normal(kategori_teks)) if kategori_teks else None
        if kategori_teks and kategori is None:
            ktx.galat(
                P,
                b.nomor,
                "kategori",
                f"Kategori “{kategori_teks[:20]}” tidak dikenal. Tulis kodenya (PPKS-01 … PPKS-26) "
                "atau singkatannya (misalnya FM, LUT); lihat lembar Petunjuk.",
            )
        tanggal, pesan = _tanggal(b.sel.get("tanggal_identifikasi"), "Tanggal identifikasi")
        if pesan:
            ktx.galat(P, b.nomor, "tanggal_identifikasi", pesan)
        status_penanganan, pesan = _pilihan(b.sel.get("status_penanganan"), "status_penanganan")
        if pesan:
            ktx.galat(P, b.nomor, "status_penanganan", pesan)
        data = {
            "kategori": kategori or kategori_teks,
            "tanggal_identifikasi": tanggal,
            "deskripsi": _teks(b.sel.get("deskripsi")),
            "kebutuhan": _teks(b.sel.get("kebutuhan")),
            "status_penanganan": status_penanganan or StatusPenanganan.BELUM,
        }
        # Subject: a person (by NIK, or by name within a household), a household, or a group.
        nik = _nomor(b.sel.get("nik"))
        no_kk = _nomor(b.sel.get("no_kk"))
        # A malformed number gets the NIK check's own message (Excel notation, spaces, …).
        for kolom, nilai, periksa in (("nik", nik, periksa_nik), ("no_kk", no_kk, periksa_no_kk)):
            try:
                periksa(nilai)
            except ValidationError as error:
                ktx.galat(P, b.nomor, kolom, error.messages[0])
        nama_anggota = _teks(b.sel.get("nama_anggota"))
        ada_rumah = bool(_teks(b.sel.get("kode_keluarga")) or no_kk)
        nama_kelompok = _teks(b.sel.get("nama_kelompok"))
        subjek_galat = None
        if nik:
            data["subjek"] = SubjekPPKS.INDIVIDU
            ind = individu_nik.get(nik)
            if nik in baris_nik:
                r, bk = baris_nik[nik]
                kel, subjek_galat = keluarga_tersimpan(r)
                item.nama = _teks(bk.sel.get("nama"))
                item.subjek_baru = r.status == "siap"
                if kel is not None and ind is None:
                    ind = next((a for a in r.anggota_baru if a.nik == nik), None)
                    if ind is None:
                        ind = Individu.objects.filter(keluarga=kel, nik=nik).first()
            if ind is not None and not subjek_galat:
                data["individu"] = str(ind.uuid)
                item.nama = ind.nama
                item.kunci_subjek = ("individu", ind.pk)
            elif not subjek_galat:
                subjek_galat = (
                    "NIK ini tidak ada di lembar Keluarga maupun di data wilayah Anda. Catat "
                    "keluarganya terlebih dahulu."
                )
            kolom_subjek = "nik"
        elif ada_rumah:
            r, kel, subjek_galat = rumah_dari(b)
            if r is not None:
                kel, subjek_galat = keluarga_tersimpan(r)
                item.subjek_baru = r.status == "siap"
            kolom_subjek = "kode_keluarga" if _teks(b.sel.get("kode_keluarga")) else "no_kk"
            if kel is not None and nama_anggota:
                data["subjek"] = SubjekPPKS.INDIVIDU
                if kel.pk not in anggota_cache:
                    anggota_cache[kel.pk] = (
                        r.anggota_baru
                        if r is not None and r.anggota_baru
                        else list(Individu.objects.filter(keluarga=kel))
                    )
                cocok = [
                    i for i in anggota_cache[kel.pk] if _normal(i.nama) == _normal(nama_anggota)
                ]
                if len(cocok) == 1:
                    data["individu"] = str(cocok[0].uuid)
                    item.nama = cocok[0].nama
                    item.kunci_subjek = ("individu", cocok[0].pk)
                else:
                    kolom_subjek = "nama_anggota"
                    subjek_galat = (
                        f"Anggota bernama “{nama_anggota[:40]}” tidak ditemukan di keluarga ini."
                        if not cocok
                        else f"Ada {len(cocok)} anggota bernama “{nama_anggota[:40]}”; pakai NIK."
                    )
            elif kel is not None:
                data["subjek"] = SubjekPPKS.KELUARGA
                data["keluarga"] = str(kel.uuid)
                item.nama = f"Keluarga {kel.nama_kepala}"
                item.kunci_subjek = ("keluarga", kel.pk)
            else:
                data["subjek"] = SubjekPPKS.INDIVIDU if nama_anggota else SubjekPPKS.KELUARGA
        elif nama_kelompok:
            data["subjek"] = SubjekPPKS.KELOMPOK
            data["nama_kelompok"] = nama_kelompok
            kode_desa = _teks(b.sel.get("kode_desa"))
            desa = _cari_desa(ktx, kode_desa)
            data["desa"] = desa
            if desa is None:
                ktx.galat(P, b.nomor, "kode_desa", _pesan_desa(ktx, kode_desa))
            else:
                item.kunci_subjek = ("kelompok", desa.pk, _normal(nama_kelompok))
            for kol in ("perkiraan_kk", "perkiraan_jiwa"):
                data[kol] = _teks(b.sel.get(kol)) or None
            item.nama = nama_kelompok
            kolom_subjek = "nama_kelompok"
        else:
            kolom_subjek = "nik"
            subjek_galat = (
                "Isi subjek PPKS: nik (orang), kode_keluarga/no_kk (keluarga), atau nama_kelompok."
            )
        sudah = ktx.masalah.get((P, b.nomor), {}).get("galat", [])
        if subjek_galat and not any(g["kolom"] == kolom_subjek for g in sudah):
            ktx.galat(P, b.nomor, kolom_subjek, subjek_galat, nama=item.nama)
        item.data = data
        if item.kunci_subjek and kategori is not None:
            kunci = (*item.kunci_subjek, kategori.pk)
            pertama = terlihat.setdefault(kunci, b.nomor)
            if pertama != b.nomor:
                ktx.galat(
                    P,
                    b.nomor,
                    "kategori",
                    f"Sama dengan baris {pertama}: subjek dan kategori yang sama.",
                    nama=item.nama,
                )
            elif not item.subjek_baru and _ppks_sudah_ada(item, kategori):
                item.status = "sudah_ada"
                continue
        if ktx.ada_galat(P, b.nomor):
            item.status = "galat"
            continue
        item.kolom_subjek = kolom_subjek
        siap.append(item)
    # Every row that passed the file's own checks, through the service in one go.
    disimpan = ppks_buat_banyak(
        pelaku=ktx.pelaku,
        daftar=[item.data for item in siap],
        aksi_riwayat="impor",
        catatan_riwayat=ktx.catatan_riwayat,
    )
    for item, h in zip(siap, disimpan, strict=True):
        nomor = item.baris.nomor
        if isinstance(h, ValidationError):
            item.status = "galat"
            kolom = {"individu": item.kolom_subjek, "keluarga": item.kolom_subjek}
            for key, errors in h.message_dict.items():
                ktx.galat(
                    P,
                    nomor,
                    kolom.get(key, "kode_desa" if key == "desa" else key),
                    " ".join(errors),
                    nama=item.nama,
                )
            continue
        obj, peringatan = h
        item.status = "siap"
        item.uuid = str(obj.uuid)
        for pesan in peringatan:
            ktx.peringatan(P, nomor, pesan, nama=item.nama)
    return hasil


def _ppks_sudah_ada(item: _BarisPPKS, kategori: KategoriPPKS) -> bool:
    """The same open category for the same subject (what ppks_simpan refuses as a duplicate) is
    taken as this row imported before."""
    jenis = item.kunci_subjek[0]
    qs = PPKS.objects.filter(kategori=kategori, subjek=jenis).exclude(
        status_penanganan=StatusPenanganan.SELESAI
    )
    if jenis == "individu":
        qs = qs.filter(individu_id=item.kunci_subjek[1])
    elif jenis == "keluarga":
        qs = qs.filter(keluarga_id=item.kunci_subjek[1])
    else:
        qs = qs.filter(
            desa_id=item.kunci_subjek[1], nama_kelompok__iexact=item.data["nama_kelompok"]
        )
    return qs.exists()
