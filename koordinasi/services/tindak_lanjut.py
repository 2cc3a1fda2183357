"""Writes of an activity's follow-ups (TindakLanjut)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from koordinasi.models import Kegiatan, Mitra, StatusTindakLanjut, TindakLanjut
from koordinasi.services.umum import (
    AWAL_DATA,
    _cek_peran,
    _Galat,
    _kunci,
    _nilai,
    _teks,
)
from tksk.audit import catat
from tksk.uuid_klien import kunci_uuid, uuid_sah, yang_tersimpan


def tindak_lanjut_simpan(
    *,
    pelaku,
    kegiatan: Kegiatan,
    data: dict,
    tindak_lanjut: TindakLanjut | None = None,
    versi=None,
    uuid=None,
) -> TindakLanjut:
    """Create or update a follow-up of `kegiatan`. A follow-up of another activity (or another
    area) given with this activity is refused. `uuid`: the client's uuid of a new follow-up; one
    with it in the user's reach is returned as stored."""
    _cek_peran(pelaku, "koordinasi.kegiatan")
    uid = uuid_sah(uuid) if tindak_lanjut is None else None
    with transaction.atomic():
        if uid is not None:
            kunci_uuid(uid)
            ada = yang_tersimpan(TindakLanjut.objects.for_user(pelaku), TindakLanjut, uid)
            if ada is not None:
                return ada
        induk = _kunci(Kegiatan, kegiatan, pelaku)
        if tindak_lanjut is None:
            obj = TindakLanjut(kegiatan=induk, dibuat_oleh=pelaku)
            if uid is not None:
                obj.uuid = uid
        else:
            obj = _kunci(TindakLanjut, tindak_lanjut, pelaku, versi)
            if obj.kegiatan_id != induk.pk:
                raise PermissionDenied("Tindak lanjut ini bukan bagian dari kegiatan tersebut.")
        mitra_lama = obj.mitra_id
        for kolom in ("uraian", "batas_waktu", "status", "catatan"):
            if kolom in data:
                setattr(obj, kolom, data[kolom])
        if "mitra" in data:
            obj.mitra = data["mitra"]
        _cek_tindak_lanjut(pelaku, obj, baru=tindak_lanjut is None, mitra_lama=mitra_lama)
        if obj.status == StatusTindakLanjut.SELESAI:
            obj.selesai_pada = obj.selesai_pada or timezone.localdate()
        else:
            obj.selesai_pada = None
        obj.diubah_oleh = pelaku
        if tindak_lanjut is not None:
            obj.versi = F("versi") + 1
        obj.save()
        obj.refresh_from_db()
        catat(
            aksi="tindak_lanjut_ubah" if tindak_lanjut else "tindak_lanjut_buat",
            pelaku=pelaku,
            objek=induk,
            data={"tindak_lanjut": str(obj.uuid), "status": obj.status},
        )
    return obj


def _cek_tindak_lanjut(pelaku, obj: TindakLanjut, *, baru: bool, mitra_lama) -> None:
    """A follow-up's rules, every wrong field at once: what and by when are required, a new one
    starts "belum dikerjakan", and the one responsible is a partner in reach (newly named: an
    active one) or the TKSK (none)."""
    galat = _Galat()
    obj.uraian = _teks(obj.uraian)
    if not obj.uraian:
        galat.tambah("uraian", "Tuliskan tindak lanjutnya.")
    try:
        obj.batas_waktu = _nilai(TindakLanjut, "batas_waktu", obj.batas_waktu)
    except ValidationError:
        obj.batas_waktu = False  # neither empty nor a date
    if obj.batas_waktu is None:
        galat.tambah("batas_waktu", "Isi batas waktu.")
    elif not obj.batas_waktu or obj.batas_waktu < AWAL_DATA:
        galat.tambah("batas_waktu", "Periksa batas waktu.")
    if obj.status not in StatusTindakLanjut.values:
        galat.tambah("status", "Pilih status tindak lanjut.")
    elif baru and obj.status != StatusTindakLanjut.BELUM:
        galat.tambah("status", "Tindak lanjut baru berstatus belum dikerjakan.")
    obj.catatan = _teks(obj.catatan)
    if obj.mitra_id is not None:
        mitra = Mitra.objects.for_user(pelaku).filter(pk=obj.mitra_id).first()
        if mitra is None:
            galat.tambah("mitra", "Pilih mitra yang ada di wilayah tugas Anda.")
        elif not mitra.aktif and mitra.pk != mitra_lama:
            galat.tambah("mitra", "Mitra yang tidak aktif tidak dapat ditunjuk.")
    galat.periksa()
