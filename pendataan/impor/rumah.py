"""Household rows: grouped into households, converted, matched with what exists, and checked
and written through the household services."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from pendataan.impor.kolom import (
    _LABEL_KOLOM,
    DISABILITAS,
    KAWIN_SAJA,
    KOLOM_NOMOR,
    KOLOM_RUMAH,
    LEMBAR_KELUARGA,
    _normal,
    daftar_pilihan,
)
from pendataan.impor.konteks import _cari_desa, _Konteks, _pesan_desa
from pendataan.impor.konversi import PESAN_RUMUS, _desimal, _nomor, _pilihan, _tanggal, _teks
from pendataan.impor.lembar import Baris, Lembar, pesan_panjang
from pendataan.models import Hubungan, Individu, Keluarga, StatusKawin
from pendataan.nik import peringatan_nik
from pendataan.services import keluarga_buat_banyak, keluarga_periksa


@dataclass
class _Rumah:
    kunci: str
    baris: list[Baris] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    sumber: dict = field(default_factory=dict)  # household field -> row number that gave it
    anggota: list[dict] = field(default_factory=list)
    status: str = ""  # siap | sudah_ada | galat
    keluarga: Keluarga | None = None
    anggota_baru: list = field(default_factory=list)  # its members, when this run created it
    keluarga_uuid: str = ""
    nama_kepala: str = ""


def _susun_rumah(ktx: _Konteks, lembar: Lembar) -> list[_Rumah]:
    """Group member rows into households and turn cells into service data, noting conversion
    problems (they take precedence over the service's messages for the same cell)."""
    L = LEMBAR_KELUARGA
    rumah: dict[str, _Rumah] = {}
    no_kk_ke_kunci: dict[str, tuple[str, int]] = {}
    for b in lembar.baris:
        nama = _teks(b.sel.get("nama"))
        kode = _teks(b.sel.get("kode_keluarga"))
        # The cell's own text: a numeric No KK is refused later, but two of them (rounded alike
        # in scientific notation) must not fall into one household first.
        no_kk = _teks(b.sel.get("no_kk"))
        if kode:
            kunci = f"kode:{_normal(kode)}"
        elif no_kk:
            kunci = f"kk:{no_kk}"
        else:
            kunci = f"baris:{b.nomor}"
            ktx.galat(
                L,
                b.nomor,
                "kode_keluarga",
                "Isi kode_keluarga atau no_kk supaya baris ini dapat dikelompokkan ke keluarganya.",
                nama=nama,
            )
        r = rumah.setdefault(kunci, _Rumah(kunci))
        r.baris.append(b)
        for kol, sel in b.sel.items():
            if sel.panjang:
                ktx.galat(L, b.nomor, kol, pesan_panjang(sel.panjang), nama=nama)
            elif sel.rumus and kol not in KOLOM_NOMOR:
                ktx.galat(L, b.nomor, kol, PESAN_RUMUS, nama=nama)
        # Household columns: from the first row that fills them; a different value later is an
        # error on that row (the file says two things about one household).
        for kol in KOLOM_RUMAH:
            sel = b.sel.get(kol)
            teks = _teks(sel)
            if not teks:
                continue
            if kol not in r.sumber:
                r.sumber[kol] = b.nomor
                r.data[kol] = sel
            else:
                if _teks(r.data[kol]) != teks:
                    ktx.galat(
                        L,
                        b.nomor,
                        kol,
                        f"Berbeda dengan isian baris {r.sumber[kol]} untuk keluarga yang sama. "
                        "Kosongkan, atau samakan isiannya.",
                        nama=nama,
                    )
        if no_kk:
            sebelumnya = no_kk_ke_kunci.setdefault(no_kk, (kunci, b.nomor))
            if sebelumnya[0] != kunci:
                ktx.galat(
                    L,
                    b.nomor,
                    "no_kk",
                    f"No KK ini sudah dipakai keluarga lain di berkas ini (baris {sebelumnya[1]}).",
                    nama=nama,
                )

    hasil = list(rumah.values())
    nik_pertama: dict[str, int] = {}
    for r in hasil:
        r.data = _data_rumah(ktx, r)
        for b in r.baris:
            r.anggota.append(_data_anggota(ktx, b))
            nik = r.anggota[-1].get("nik") or ""
            if nik and nik.isascii() and nik.isdigit():
                pertama = nik_pertama.setdefault(nik, b.nomor)
                if pertama != b.nomor:
                    ktx.galat(
                        L,
                        b.nomor,
                        "nik",
                        f"NIK ini sudah dipakai di baris {pertama} berkas ini. Satu NIK untuk satu "
                        "orang.",
                        nama=r.anggota[-1].get("nama", ""),
                    )
    return hasil


def _data_rumah(ktx: _Konteks, r: _Rumah) -> dict:
    L = LEMBAR_KELUARGA
    sel = r.data
    baris_pertama = r.baris[0].nomor
    data = {
        "no_kk": _nomor(sel.get("no_kk")),
        "alasan_tanpa_kk": _teks(sel.get("alasan_tanpa_kk")),
        "alamat": _teks(sel.get("alamat")),
        "rt": _teks(sel.get("rt")),
        "rw": _teks(sel.get("rw")),
        "dusun": _teks(sel.get("dusun")),
    }
    for kol in ("latitude", "longitude"):
        data[kol], _ = _desimal(sel.get(kol))
    kode_desa = _teks(sel.get("kode_desa"))
    desa = _cari_desa(ktx, kode_desa)
    if desa is not None:
        data["desa"] = desa
    elif kode_desa:
        ktx.galat(
            L, r.sumber.get("kode_desa", baris_pertama), "kode_desa", _pesan_desa(ktx, kode_desa)
        )
    else:
        data["desa"] = None  # the service: "Pilih desa/kelurahan."
    return data


def _data_anggota(ktx: _Konteks, b: Baris) -> dict:
    L = LEMBAR_KELUARGA
    nama = _teks(b.sel.get("nama"))
    data = {
        "nik": _nomor(b.sel.get("nik")),
        "nama": nama,
        "tempat_lahir": _teks(b.sel.get("tempat_lahir")),
        "pekerjaan": _teks(b.sel.get("pekerjaan")),
        "nama_ibu": _teks(b.sel.get("nama_ibu")),
    }
    for kol in ("alasan_tanpa_nik", "jenis_kelamin", "hubungan", "agama", "pendidikan"):
        data[kol], pesan = _pilihan(b.sel.get(kol), kol)
        if pesan:
            ktx.galat(L, b.nomor, kol, pesan, nama=nama)
    kawin = _teks(b.sel.get("status_kawin"))
    if _normal(kawin) == KAWIN_SAJA:
        data["status_kawin"] = StatusKawin.KAWIN_TERCATAT
        ktx.peringatan(
            L, b.nomor, "Status kawin “Kawin” dibaca sebagai “Kawin tercatat”.", nama=nama
        )
    else:
        data["status_kawin"], pesan = _pilihan(b.sel.get("status_kawin"), "status_kawin")
        if pesan:
            ktx.galat(L, b.nomor, "status_kawin", pesan, nama=nama)
    data["tanggal_lahir"], pesan = _tanggal(b.sel.get("tanggal_lahir"), "Tanggal lahir")
    if pesan:
        ktx.galat(L, b.nomor, "tanggal_lahir", pesan, nama=nama)
    disabilitas = []
    for bagian in re.split(r"[,;/]", _teks(b.sel.get("disabilitas"))):
        if not bagian.strip() or _normal(bagian) in ("tidak", "tidak ada", "-", "none"):
            continue
        value = DISABILITAS.get(_normal(bagian))
        if value is None:
            ktx.galat(
                L,
                b.nomor,
                "disabilitas",
                f"Jenis disabilitas “{bagian.strip()[:30]}” tidak dikenal. Pilihan: "
                f"{daftar_pilihan('disabilitas')} (pisahkan dengan koma).",
                nama=nama,
            )
        else:
            disabilitas.append(value)
    data["disabilitas"] = disabilitas
    return data


def _anggota_sama(file_anggota: list[dict], tersimpan: list[Individu]) -> bool:
    def kunci(nik, nama):
        return nik if nik else f"nama:{_normal(nama or '')}"

    return Counter(kunci(a.get("nik"), a.get("nama")) for a in file_anggota) == Counter(
        kunci(i.nik, i.nama) for i in tersimpan
    )


def _cari_tanpa_kunci(ktx: _Konteks, r: _Rumah) -> Keluarga | None:
    """A household with neither No KK nor NIK (homeless people, remote communities) is matched
    on its desa, its head's name and its members' names."""
    kepala = next((a for a in r.anggota if a.get("hubungan") == Hubungan.KEPALA_KELUARGA), None)
    if kepala is None or not r.data.get("desa") or not kepala.get("nama"):
        return None
    calon = Keluarga.objects.for_user(ktx.pelaku).filter(
        no_kk__isnull=True, desa=r.data["desa"], nama_kepala__iexact=kepala["nama"]
    )
    for kel in calon:
        if _anggota_sama(r.anggota, list(Individu.objects.filter(keluarga=kel))):
            return kel
    return None


def _cari_yang_sudah_ada(ktx: _Konteks, semua: list[_Rumah]) -> None:
    """Mark households already in the user's area with the same members as "sudah ada": by No KK,
    else by the members' NIKs (a few queries for the whole file), else by names."""
    no_kk = {r.data["no_kk"] for r in semua if r.data.get("no_kk")}
    nik = {a["nik"] for r in semua for a in r.anggota if a.get("nik")}
    terlihat = Keluarga.objects.for_user(ktx.pelaku)
    kel_kk = {k.no_kk: k for k in terlihat.filter(no_kk__in=no_kk)} if no_kk else {}
    nik_kel = (
        dict(
            Individu.objects.for_user(ktx.pelaku).filter(nik__in=nik).values_list("nik", "keluarga")
        )
        if nik
        else {}
    )
    calon_ids = {k.pk for k in kel_kk.values()} | set(nik_kel.values())
    anggota_ada: dict[int, list[Individu]] = {}
    for ind in Individu.objects.filter(keluarga_id__in=calon_ids).only("nik", "nama", "keluarga"):
        anggota_ada.setdefault(ind.keluarga_id, []).append(ind)
    kel_by_id = {k.pk: k for k in kel_kk.values()}
    kurang = calon_ids - set(kel_by_id)
    if kurang:
        kel_by_id.update({k.pk: k for k in Keluarga.objects.filter(pk__in=kurang)})
    for r in semua:
        kel = None
        if r.data.get("no_kk"):
            kel = kel_kk.get(r.data["no_kk"])
        else:
            ids = {nik_kel.get(a.get("nik")) for a in r.anggota if a.get("nik")}
            if len(ids) == 1 and None not in ids:
                kel = kel_by_id.get(ids.pop())
            elif not any(a.get("nik") for a in r.anggota):
                kel = _cari_tanpa_kunci(ktx, r)
                if kel is not None:
                    anggota_ada[kel.pk] = list(Individu.objects.filter(keluarga=kel))
                else:
                    ktx.peringatan(
                        LEMBAR_KELUARGA,
                        r.baris[0].nomor,
                        "Keluarga tanpa No KK dan tanpa NIK hanya dapat dicocokkan menurut desa "
                        "dan nama anggotanya; pastikan belum pernah dicatat dengan nama lain.",
                        nama=r.anggota[0].get("nama", ""),
                    )
        if kel is not None and _anggota_sama(r.anggota, anggota_ada.get(kel.pk, [])):
            r.status = "sudah_ada"
            r.keluarga = kel
            r.keluarga_uuid = str(kel.uuid)
            r.nama_kepala = kel.nama_kepala


_PESAN_GANDA = {
    "nik_ganda": (
        "NIK ini sudah terdaftar di wilayah lain (data di sana tidak ditampilkan). Keluarga ini "
        "tidak diimpor; kasus NIK ganda diteruskan ke Dinas Sosial untuk diperiksa."
    ),
    "no_kk_ganda": (
        "No KK ini sudah terdaftar di wilayah lain (data di sana tidak ditampilkan). Keluarga ini "
        "tidak diimpor; kasus No KK ganda diteruskan ke Dinas Sosial untuk diperiksa."
    ),
}


def _pasang_galat_layanan(ktx: _Konteks, r: _Rumah, error: ValidationError) -> None:
    L = LEMBAR_KELUARGA
    pertama = r.baris[0].nomor
    items = error.error_dict.items() if hasattr(error, "error_dict") else [("", error.error_list)]
    for key, errors in items:
        if key.startswith("anggota."):
            bagian = key.split(".")
            try:
                b = r.baris[int(bagian[1])]
            except (IndexError, ValueError):
                b = r.baris[0]
            nomor, kolom = b.nomor, (bagian[2] if len(bagian) > 2 else "")
            nama = _teks(b.sel.get("nama"))
        elif key == "anggota":
            nomor, kolom, nama = pertama, "hubungan", r.anggota[0].get("nama", "")
        else:
            kolom = "kode_desa" if key == "desa" else key
            nomor = r.sumber.get(kolom, pertama)
            nama = ""
        item = ktx.masalah.get((L, nomor))
        sudah = {g["kolom"] for g in item["galat"]} if item else set()
        if kolom and _LABEL_KOLOM.get(kolom, kolom) in sudah:
            continue  # the conversion message says it better
        for e in errors:
            pesan = _PESAN_GANDA.get(e.code) or " ".join(e.messages)
            tautan = None
            if e.code in ("nik_terdaftar", "no_kk_terdaftar") and e.params:
                tautan = e.params.get("keluarga_uuid")
                if e.code == "no_kk_terdaftar":
                    pesan += (
                        " Susunan anggotanya berbeda dengan berkas ini; ubah keluarga itu lewat "
                        "formulirnya."
                    )
            ktx.galat(L, nomor, kolom, pesan, nama=nama, keluarga_uuid=tautan)


def _proses_rumah(ktx: _Konteks, bagian: list[_Rumah]) -> None:
    """Check and write a chunk of households through the services: those with conversion errors
    are only checked (to list every other problem), the rest are created together by
    keluarga_buat_banyak, which checks each exactly as the form's save does."""
    L = LEMBAR_KELUARGA
    baru: list[tuple[_Rumah, dict]] = []
    for r in bagian:
        if r.status == "sudah_ada":
            continue
        data = {k: v for k, v in r.data.items() if not (k == "desa" and v is None)}
        if any(ktx.ada_galat(L, b.nomor) for b in r.baris):
            try:
                keluarga_periksa(pelaku=ktx.pelaku, data=data, anggota=r.anggota)
            except ValidationError as error:
                _pasang_galat_layanan(ktx, r, error)
        else:
            baru.append((r, data))
    hasil = keluarga_buat_banyak(
        pelaku=ktx.pelaku,
        daftar=[(data, r.anggota) for r, data in baru],
        aksi_riwayat="impor",
        catatan_riwayat=ktx.catatan_riwayat,
    )
    for (r, _), h in zip(baru, hasil, strict=True):
        if isinstance(h, ValidationError):
            _pasang_galat_layanan(ktx, r, h)
        else:
            r.status = "siap"
            r.keluarga = h.keluarga
            r.anggota_baru = h.anggota
            r.keluarga_uuid = str(h.keluarga.uuid)
            r.nama_kepala = h.keluarga.nama_kepala
    for r in bagian:
        if r.status != "sudah_ada":
            _akhiri_rumah(ktx, r)


def _akhiri_rumah(ktx: _Konteks, r: _Rumah) -> None:
    L = LEMBAR_KELUARGA
    if r.status != "siap":
        r.status = "galat"
        if not any(ktx.ada_galat(L, b.nomor) for b in r.baris):
            ktx.galat(L, r.baris[0].nomor, "", "Keluarga ini tidak dapat disimpan.")
        for b in r.baris:
            if not ktx.ada_galat(L, b.nomor):
                # The row itself is fine, but it is not imported without its household.
                ktx.peringatan(
                    L,
                    b.nomor,
                    "Baris ini benar, tetapi tidak diimpor karena baris lain keluarganya "
                    "bermasalah.",
                    nama=_teks(b.sel.get("nama")),
                )
    # Warnings exactly as the form gives them: NIK against birth date and sex.
    for b, a in zip(r.baris, r.anggota, strict=True):
        for pesan in peringatan_nik(
            a.get("nik") or "",
            tanggal_lahir=a.get("tanggal_lahir")
            if isinstance(a.get("tanggal_lahir"), date)
            else None,
            jenis_kelamin=a.get("jenis_kelamin"),
        ):
            ktx.peringatan(L, b.nomor, pesan, nama=a.get("nama", ""))
