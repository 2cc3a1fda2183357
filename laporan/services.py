"""Writes of the monthly report's life cycle (export jobs are queued by laporan.antrian_ekspor).

Monthly report: draf → diajukan → diterima | dikembalikan (→ diajukan again). The TKSK who owns
the report writes and submits it; Dinas Sosial kabupaten/kota (or an admin) reviews it. On
submission the month's numbers are compiled and frozen in the report. Every transition is kept
in RiwayatLaporan and the audit log.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from laporan.kompilasi import kompilasi
from laporan.models import (
    LaporanBulanan,
    RiwayatLaporan,
    StatusLaporan,
)
from laporan.selectors import bulan_ini, bulan_selesai, pesan_belum_selesai
from tksk.audit import catat
from tksk.kapabilitas import boleh, wajib
from tksk.konkurensi import cek_versi
from tksk.logging import mask_numbers

KOLOM_NARASI = (
    "nomor_sk",
    "pendampingan_program",
    "kejadian_khusus",
    "kendala",
    "rencana",
    "nama_camat",
    "nip_camat",
)
TRANSISI = {
    StatusLaporan.DRAF: {StatusLaporan.DIAJUKAN},
    StatusLaporan.DIKEMBALIKAN: {StatusLaporan.DIAJUKAN},
    StatusLaporan.DIAJUKAN: {StatusLaporan.DITERIMA, StatusLaporan.DIKEMBALIKAN},
    StatusLaporan.DITERIMA: set(),
}


def _riwayat(laporan, *, pelaku, dari: str, ke: str, catatan: str = "") -> None:
    RiwayatLaporan.objects.create(
        laporan=laporan, pelaku=pelaku, status_dari=dari, status_ke=ke, catatan=catatan
    )


def _kunci(laporan) -> LaporanBulanan:
    return (
        LaporanBulanan.objects.select_for_update(of=("self",))
        .select_related("kecamatan__kabupaten", "tksk")
        .get(pk=laporan.pk)
    )


def laporan_milik(user, laporan) -> bool:
    """Whether `user` is the TKSK who writes `laporan` (only they fill it in and submit it)."""
    return boleh(user, "laporan.tulis") and user.pk == laporan.tksk_id


def laporan_dapat_diisi(user, laporan) -> bool:
    """Whether `user` may fill in `laporan` now: its TKSK, while it is a draft or returned."""
    return laporan_milik(user, laporan) and laporan.boleh_diubah


def laporan_dapat_ditinjau(user, laporan) -> bool:
    """Whether `user` may accept or return `laporan` now: a reviewer, once it is submitted."""
    return boleh(user, "laporan.tinjau") and laporan.status == StatusLaporan.DIAJUKAN


def _cek_pemilik(pelaku, laporan) -> None:
    if not laporan_milik(pelaku, laporan):
        raise PermissionDenied("Hanya TKSK pembuat laporan yang dapat mengubahnya.")


def _pindah(laporan, ke: str) -> str:
    dari = laporan.status
    if ke not in TRANSISI.get(dari, set()):
        raise ValidationError(
            f"Laporan berstatus {laporan.get_status_display().lower()} tidak dapat "
            f"dipindah ke {StatusLaporan(ke).label.lower()}."
        )
    laporan.status = ke
    laporan.versi += 1
    return dari


@transaction.atomic
def laporan_buka(*, pelaku, bulan: date) -> tuple[LaporanBulanan, bool]:
    """The TKSK's report of `bulan`, created as a draft if it does not exist yet (with the SK
    number and Camat of their previous report filled in)."""
    if not (boleh(pelaku, "laporan.tulis") and pelaku.wilayah_id):
        raise PermissionDenied("Laporan bulanan dibuat oleh TKSK.")
    bulan = bulan.replace(day=1)
    if bulan > bulan_ini():
        raise ValidationError("Laporan bulan yang belum dimulai belum dapat dibuat.")
    sebelumnya = (
        LaporanBulanan.objects.filter(tksk=pelaku, bulan__lt=bulan).order_by("-bulan").first()
    )
    awal = {"kecamatan_id": pelaku.wilayah_id}
    if sebelumnya:
        awal |= {
            "nomor_sk": sebelumnya.nomor_sk,
            "nama_camat": sebelumnya.nama_camat,
            "nip_camat": sebelumnya.nip_camat,
        }
    laporan, dibuat = LaporanBulanan.objects.get_or_create(tksk=pelaku, bulan=bulan, defaults=awal)
    if dibuat:
        _riwayat(laporan, pelaku=pelaku, dari="", ke=StatusLaporan.DRAF)
        catat(aksi="laporan_buat", pelaku=pelaku, objek=laporan, data={"bulan": f"{bulan:%Y-%m}"})
    return laporan, dibuat


@transaction.atomic
def laporan_simpan(*, pelaku, laporan: LaporanBulanan, data: dict, versi) -> LaporanBulanan:
    """Save the TKSK's narrative (only while the report is a draft or returned)."""
    obj = _kunci(laporan)
    _cek_pemilik(pelaku, obj)
    if not obj.boleh_diubah:
        raise ValidationError("Laporan yang sudah diajukan tidak dapat diubah.")
    cek_versi(obj, versi)
    berubah = []
    for kolom in KOLOM_NARASI:
        if kolom not in data:
            continue
        # The report is printed and sent on: a NIK or No KK typed into it is stored masked.
        nilai = mask_numbers((data[kolom] or "").strip())
        if getattr(obj, kolom) != nilai:
            setattr(obj, kolom, nilai)
            berubah.append(kolom)
    if berubah:
        obj.versi += 1
        obj.save()
        catat(aksi="laporan_ubah", pelaku=pelaku, objek=obj, data={"kolom": berubah})
    return obj


@transaction.atomic
def laporan_ajukan(*, pelaku, laporan: LaporanBulanan, versi=None) -> LaporanBulanan:
    """Submit: compile the month's numbers and freeze them in the report."""
    obj = _kunci(laporan)
    _cek_pemilik(pelaku, obj)
    cek_versi(obj, versi)
    if not bulan_selesai(obj.bulan):
        raise ValidationError(pesan_belum_selesai(obj.bulan))
    dari = _pindah(obj, StatusLaporan.DIAJUKAN)
    sekarang = timezone.now()
    obj.data = kompilasi(obj, pelaku)
    obj.dibekukan_pada = sekarang
    obj.diajukan_pada = sekarang
    obj.diajukan_pertama_pada = obj.diajukan_pertama_pada or sekarang
    obj.save()
    _riwayat(obj, pelaku=pelaku, dari=dari, ke=obj.status)
    catat(
        aksi="laporan_ajukan",
        pelaku=pelaku,
        objek=obj,
        data={"bulan": f"{obj.bulan:%Y-%m}", "dari": dari},
    )
    return obj


@transaction.atomic
def laporan_tinjau(
    *, pelaku, laporan: LaporanBulanan, keputusan: str, catatan: str = "", versi=None
) -> LaporanBulanan:
    """Accept a submitted report, or return it to the TKSK with a note."""
    wajib(pelaku, "laporan.tinjau", "Laporan bulanan ditinjau oleh Dinas Sosial kabupaten/kota.")
    obj = _kunci(laporan)
    cek_versi(obj, versi)
    catatan = mask_numbers((catatan or "").strip())
    if keputusan == "terima":
        if not bulan_selesai(obj.bulan):  # a report of a month not over cannot be complete
            raise ValidationError(
                "Laporan bulan yang belum berakhir tidak dapat diterima; kembalikan ke TKSK."
            )
        ke = StatusLaporan.DITERIMA
    elif keputusan == "kembalikan":
        ke = StatusLaporan.DIKEMBALIKAN
        if not catatan:
            raise ValidationError("Tulis apa yang perlu diperbaiki oleh TKSK.")
    else:
        raise ValidationError("Keputusan tidak dikenal.")
    dari = _pindah(obj, ke)
    obj.ditinjau_oleh = pelaku
    obj.ditinjau_pada = timezone.now()
    obj.catatan_tinjau = catatan
    obj.save()
    _riwayat(obj, pelaku=pelaku, dari=dari, ke=ke, catatan=catatan)
    catat(
        aksi=f"laporan_{keputusan}",
        pelaku=pelaku,
        objek=obj,
        data={"bulan": f"{obj.bulan:%Y-%m}", "catatan": catatan},
    )
    return obj
