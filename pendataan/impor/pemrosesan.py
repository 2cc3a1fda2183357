"""The run: every household, then every PPKS row, through the services; checked and rolled
back for the preview, or committed on confirmation; and its report."""

import time
from collections import Counter
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from pendataan.impor.kolom import LEMBAR_KELUARGA, LEMBAR_PPKS
from pendataan.impor.konteks import _Konteks, _konteks
from pendataan.impor.lembar import Baris, Lembar
from pendataan.impor.ppks import _BarisPPKS, _IndeksPPKS, _proses_ppks
from pendataan.impor.rumah import _cari_yang_sudah_ada, _proses_rumah, _Rumah, _susun_rumah
from pendataan.services import PERAN_PENDATA
from tksk.audit import catat
from tksk.logging import mask_numbers
from tksk.transaksi import kunci_kecamatan, ulangi_jika_bentrok

PER_HALAMAN = 100


def pernah_diimpor(sha256: str, wilayah_id):
    """When the very same file was last imported in this area (None if never)."""
    from tksk.models import AuditLog

    catatan = (
        AuditLog.objects.filter(
            aksi="impor", data__sha256=mask_numbers(sha256), data__wilayah_id=wilayah_id
        )
        .order_by("-waktu")
        .first()
    )
    return catatan.waktu if catatan else None


# Households per transaction of the check. The check is rolled back anyway; short transactions
# keep the database from piling up row versions and savepoints (the cost per household of one
# long transaction grows with its length).
RUMAH_PER_TRANSAKSI = 200


@contextmanager
def _transaksi(*, batalkan: bool):
    with transaction.atomic():
        yield
        if batalkan:
            transaction.set_rollback(True)


def _jalankan(ktx: _Konteks, lembar: dict[str, Lembar], *, simpan: bool, progres=None):
    """Run every household, then every PPKS row, through the services.

    The check (simpan=False) goes in chunks of RUMAH_PER_TRANSAKSI households, each chunk with the
    PPKS rows about its households, each rolled back; rows about stored records or groups run
    last. Chunks are independent: the only links between households of one file (a NIK or No KK
    used twice) are found before any service runs. The import (simpan=True) runs in the caller's
    transaction.
    """
    semua_rumah: list[_Rumah] = []
    if LEMBAR_KELUARGA in lembar:
        semua_rumah = _susun_rumah(ktx, lembar[LEMBAR_KELUARGA])
        _cari_yang_sudah_ada(ktx, semua_rumah)
    baris = lembar[LEMBAR_PPKS].baris if LEMBAR_PPKS in lembar else []
    idx = _IndeksPPKS(ktx, baris, semua_rumah)
    ppks_rumah: dict[str, list[Baris]] = {}
    ppks_lain: list[Baris] = []
    for b in baris:
        r = idx.rumah_file(b)
        if r is None:
            ppks_lain.append(b)
        else:
            ppks_rumah.setdefault(r.kunci, []).append(b)

    ukuran = len(semua_rumah) if simpan else RUMAH_PER_TRANSAKSI
    hasil_ppks: dict[int, _BarisPPKS] = {}
    selesai = 0
    for awal in range(0, len(semua_rumah), max(ukuran, 1)):
        bagian = semua_rumah[awal : awal + ukuran]
        with _transaksi(batalkan=not simpan):
            _proses_rumah(ktx, bagian)
            selesai += len(bagian)
            if progres:
                progres(selesai, len(semua_rumah))
            daftar = [b for r in bagian for b in ppks_rumah.get(r.kunci, [])]
            for item in _proses_ppks(ktx, daftar, idx):
                hasil_ppks[item.baris.nomor] = item
    if ppks_lain:
        with _transaksi(batalkan=not simpan):
            for item in _proses_ppks(ktx, ppks_lain, idx):
                hasil_ppks[item.baris.nomor] = item
    if progres and semua_rumah:
        progres(len(semua_rumah), len(semua_rumah))
    return semua_rumah, [hasil_ppks[b.nomor] for b in baris]


def proses(
    *,
    pelaku,
    lembar: dict[str, Lembar],
    simpan: bool,
    sha256: str = "",
    nama_berkas: str = "",
    token: str = "",
    harapan: dict | None = None,
    progres=None,
) -> dict:
    """Check (simpan=False) or import (simpan=True) a parsed file; returns the report.

    Every household and PPKS row goes through keluarga_buat_banyak/ppks_buat_banyak (the same
    checks as keluarga_simpan/ppks_simpan): the check rolls back what they wrote; the import
    keeps it, in one transaction. An import whose set of valid households/rows differs from
    `harapan` (the preview the user confirmed) is rolled back too and reported with "berubah":
    nothing is saved that the user did not see.
    """
    if not (pelaku.is_active and pelaku.role in PERAN_PENDATA):
        raise PermissionDenied
    if simpan:
        return _simpan(
            pelaku=pelaku,
            lembar=lembar,
            sha256=sha256,
            nama_berkas=nama_berkas,
            token=token,
            harapan=harapan,
            progres=progres,
        )
    ktx = _konteks(pelaku, nama_berkas, sha256)
    mulai = time.monotonic()
    semua_rumah, baris_ppks = _jalankan(ktx, lembar, simpan=False, progres=progres)
    laporan = _laporan(ktx, lembar, semua_rumah, baris_ppks)
    laporan["detik"] = round(time.monotonic() - mulai, 1)
    return laporan


@ulangi_jika_bentrok
def _simpan(*, pelaku, lembar, sha256, nama_berkas, token, harapan, progres) -> dict:
    """The confirmed import, one transaction; run again from a fresh context if PostgreSQL
    aborts it for a deadlock with another writer of the kecamatan."""
    ktx = _konteks(pelaku, nama_berkas, sha256)
    mulai = time.monotonic()
    with transaction.atomic():
        # Serialised with batch verifications of the same kecamatan (summary rows).
        kunci_kecamatan(w.kecamatan_id for w in ktx.desa_kode.values())
        if token:
            # One confirmation per upload, even with two workers or a retried job.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"impor:{token}"])
            if _sudah_dikonfirmasi(token):
                return {"sudah_diimpor": True}
        semua_rumah, baris_ppks = _jalankan(ktx, lembar, simpan=True, progres=progres)
        laporan = _laporan(ktx, lembar, semua_rumah, baris_ppks)
        laporan["detik"] = round(time.monotonic() - mulai, 1)
        if harapan is not None and himpunan_siap(laporan) != harapan:
            transaction.set_rollback(True)
            laporan["berubah"] = True
            return laporan
        r = laporan["ringkasan"]
        catat(
            aksi="impor",
            pelaku=pelaku,
            data={
                "token": token,
                "sha256": sha256,
                "berkas": nama_berkas,
                "wilayah_id": pelaku.wilayah_id,
                "baris_keluarga": r["keluarga"]["baris"],
                "baris_ppks": r["ppks"]["baris"],
                "keluarga_disimpan": r["keluarga"]["siap"],
                "anggota_disimpan": r["keluarga"]["anggota"],
                "ppks_disimpan": r["ppks"]["siap"],
                "keluarga_sudah_ada": r["keluarga"]["sudah_ada"],
                "ppks_sudah_ada": r["ppks"]["sudah_ada"],
                "keluarga_galat": r["keluarga"]["galat"],
                "ppks_galat": r["ppks"]["galat"],
                "detik": laporan["detik"],
            },
        )
    return laporan


def _sudah_dikonfirmasi(token: str) -> bool:
    from tksk.models import AuditLog

    return AuditLog.objects.filter(aksi="impor", data__token=token).exists()


def _laporan(ktx: _Konteks, lembar, semua_rumah: list[_Rumah], baris_ppks) -> dict:
    keluarga = [
        {
            "kunci": r.kunci,
            "baris": [r.baris[0].nomor, r.baris[-1].nomor],
            "status": r.status,
            "nama_kepala": r.nama_kepala
            or next(
                (a.get("nama", "") for a in r.anggota if a.get("hubungan") == "kepala_keluarga"),
                r.anggota[0].get("nama", "") if r.anggota else "",
            ),
            "anggota": len(r.anggota),
            "uuid": r.keluarga_uuid if r.status == "sudah_ada" else "",
        }
        for r in semua_rumah
    ]
    ppks = [{"baris": p.baris.nomor, "status": p.status, "nama": p.nama} for p in baris_ppks]
    masalah = sorted(
        ktx.masalah.values(),
        key=lambda m: (0 if m["lembar"] == LEMBAR_KELUARGA else 1, m["baris"]),
    )
    hitung_k = Counter(k["status"] for k in keluarga)
    hitung_p = Counter(p["status"] for p in ppks)
    ringkasan = {
        "keluarga": {
            "baris": len(lembar[LEMBAR_KELUARGA].baris) if LEMBAR_KELUARGA in lembar else 0,
            "jumlah": len(keluarga),
            "siap": hitung_k["siap"],
            "anggota": sum(k["anggota"] for k in keluarga if k["status"] == "siap"),
            "sudah_ada": hitung_k["sudah_ada"],
            "galat": hitung_k["galat"],
        },
        "ppks": {
            "baris": len(ppks),
            "siap": hitung_p["siap"],
            "sudah_ada": hitung_p["sudah_ada"],
            "galat": hitung_p["galat"],
        },
        "baris_galat": sum(1 for m in masalah if m["galat"]),
        "baris_peringatan": sum(1 for m in masalah if m["peringatan"] and not m["galat"]),
        "tak_dikenal": {n: lb.tak_dikenal for n, lb in lembar.items() if lb.tak_dikenal},
    }
    ringkasan["bisa_disimpan"] = bool(ringkasan["keluarga"]["siap"] or ringkasan["ppks"]["siap"])
    return {"ringkasan": ringkasan, "keluarga": keluarga, "ppks": ppks, "masalah": masalah}


def himpunan_siap(laporan: dict) -> dict:
    """What a confirmation will save: compared with the preview the user saw."""
    return {
        "keluarga": sorted(
            k["kunci"] for k in laporan.get("keluarga", []) if k["status"] == "siap"
        ),
        "ppks": sorted(p["baris"] for p in laporan.get("ppks", []) if p["status"] == "siap"),
    }
