"""Writes of activities (Kegiatan): the record, its photos and its participants."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from koordinasi.gambar import GambarOlahan
from koordinasi.models import FotoKegiatan, JenisKegiatan, Kegiatan, Mitra
from koordinasi.services.umum import (
    AWAL_DATA,
    KEGIATAN_MAJU_HARI,
    _cek_peran,
    _desa_dalam_cakupan,
    _Galat,
    _kunci,
    _nilai,
    _teks,
)
from pendataan.models import Individu, Keluarga
from tksk.audit import catat
from tksk.uuid_klien import kunci_uuid, uuid_sah, yang_tersimpan

MAKS_FOTO_PER_KEGIATAN = 20


_KEGIATAN_KOLOM = [
    "jenis",
    "tanggal",
    "jam_mulai",
    "jam_selesai",
    "tempat",
    "topik",
    "peserta_laki",
    "peserta_perempuan",
    "notulen",
]


def kegiatan_simpan(
    *, pelaku, data: dict, mitra=(), kegiatan: Kegiatan | None = None, versi=None, uuid=None
) -> Kegiatan:
    """Create or update an activity and the partners involved in it. `uuid`: the client's uuid
    of a new activity; one with it in the user's area is returned as stored."""
    _cek_peran(pelaku, "koordinasi.kegiatan")
    with transaction.atomic():
        obj = Kegiatan(dibuat_oleh=pelaku) if kegiatan is None else None
        if obj is not None and (uid := uuid_sah(uuid)) is not None:
            kunci_uuid(uid)
            ada = yang_tersimpan(Kegiatan.objects.for_user(pelaku), Kegiatan, uid)
            if ada is not None:
                return ada
            obj.uuid = uid
        if obj is None:
            obj = _kunci(Kegiatan, kegiatan, pelaku, versi)
        for kolom in _KEGIATAN_KOLOM:
            if kolom in data:
                setattr(obj, kolom, data[kolom])
        terlihat = _cek_kegiatan(pelaku, obj, desa=data.get("desa", obj.desa_id), mitra=mitra)
        obj.diubah_oleh = pelaku
        if kegiatan is not None:
            obj.versi = F("versi") + 1
        obj.save()
        obj.refresh_from_db()
        obj.mitra.set(terlihat)
        catat(aksi="kegiatan_ubah" if kegiatan else "kegiatan_buat", pelaku=pelaku, objek=obj)
    return obj


def _cek_kegiatan(pelaku, obj: Kegiatan, *, desa, mitra) -> set:
    """An activity's rules, every wrong field at once; returns the partners' primary keys.
    Partners must be in the user's reach, and newly named ones active (an inactive partner
    the activity already names may stay)."""
    galat = _Galat()
    if obj.jenis not in JenisKegiatan.values:
        galat.tambah("jenis", "Pilih jenis kegiatan.")
    hari_ini = timezone.localdate()
    try:
        obj.tanggal = _nilai(Kegiatan, "tanggal", obj.tanggal)
    except ValidationError:
        obj.tanggal = False  # neither empty nor a date
    if obj.tanggal is None:
        galat.tambah("tanggal", "Isi tanggal kegiatan.")
    elif not obj.tanggal or not (
        AWAL_DATA <= obj.tanggal <= hari_ini + timedelta(days=KEGIATAN_MAJU_HARI)
    ):
        galat.tambah("tanggal", "Periksa tanggal kegiatan.")
    for kolom, pesan in (("tempat", "Isi tempat kegiatan."), ("topik", "Isi topik kegiatan.")):
        setattr(obj, kolom, _teks(getattr(obj, kolom)))
        if not getattr(obj, kolom):
            galat.tambah(kolom, pesan)
    for kolom in ("peserta_laki", "peserta_perempuan"):
        try:
            setattr(obj, kolom, _nilai(Kegiatan, kolom, getattr(obj, kolom)))
        except ValidationError:
            setattr(obj, kolom, None)
        if getattr(obj, kolom) is None or getattr(obj, kolom) < 0:
            galat.tambah(kolom, "Isi jumlah peserta (0 atau lebih).")
    if obj.jam_mulai and obj.jam_selesai and obj.jam_selesai < obj.jam_mulai:
        galat.tambah("jam_selesai", "Jam selesai harus setelah jam mulai.")
    try:
        obj.desa = _desa_dalam_cakupan(pelaku, desa)
    except ValidationError as error:
        galat.ambil(error)
    mitra_ids = {getattr(m, "pk", m) for m in mitra}
    terlihat = dict(
        Mitra.objects.for_user(pelaku).filter(pk__in=mitra_ids).values_list("pk", "aktif")
    )
    sudah = set(obj.mitra.values_list("pk", flat=True)) if obj.pk else set()
    if set(terlihat) != mitra_ids:
        galat.tambah("mitra", "Pilih mitra yang ada di wilayah tugas Anda.")
    elif any(not aktif and pk not in sudah for pk, aktif in terlihat.items()):
        galat.tambah("mitra", "Mitra yang tidak aktif tidak dapat ditambahkan.")
    galat.periksa()
    return set(terlihat)


def kegiatan_tambah_foto(
    *,
    pelaku,
    kegiatan: Kegiatan,
    tampil: GambarOlahan,
    kecil: GambarOlahan,
    keterangan: str = "",
    uuid=None,
) -> FotoKegiatan:
    """Store an already checked and re-encoded photo under random names. `uuid`: the client's
    uuid (an offline device's upload); a photo with it in the user's reach is returned as stored."""
    _cek_peran(pelaku, "koordinasi.kegiatan")
    nama = secrets.token_hex(16)
    tersimpan = []
    uid = uuid_sah(uuid)
    try:
        with transaction.atomic():
            if uid is not None:
                kunci_uuid(uid)
                ada = yang_tersimpan(FotoKegiatan.objects.for_user(pelaku), FotoKegiatan, uid)
                if ada is not None:
                    return ada
            induk = _kunci(Kegiatan, kegiatan, pelaku)
            if induk.foto.count() >= MAKS_FOTO_PER_KEGIATAN:
                raise ValidationError(
                    {"foto": f"Satu kegiatan paling banyak {MAKS_FOTO_PER_KEGIATAN} foto."}
                )
            for akhiran, gambar in (("", tampil), ("-kecil", kecil)):
                tersimpan.append(
                    default_storage.save(
                        f"koordinasi/foto/{nama}{akhiran}.jpg", ContentFile(gambar.data)
                    )
                )
            foto = FotoKegiatan.objects.create(
                kegiatan=induk,
                berkas=tersimpan[0],
                kecil=tersimpan[1],
                lebar=tampil.lebar,
                tinggi=tampil.tinggi,
                ukuran=len(tampil.data),
                keterangan=(keterangan or "").strip()[:200],
                diunggah_oleh=pelaku,
                **({"uuid": uid} if uid is not None else {}),
            )
            catat(aksi="foto_unggah", pelaku=pelaku, objek=induk, data={"foto": str(foto.uuid)})
    except BaseException:
        # Nothing half-written: the files go with the failed transaction.
        for name in tersimpan:
            default_storage.delete(name)
        raise
    return foto


def kegiatan_hapus_foto(*, pelaku, foto: FotoKegiatan) -> None:
    _cek_peran(pelaku, "koordinasi.kegiatan")
    with transaction.atomic():
        obj = (
            FotoKegiatan.objects.for_user(pelaku)
            .select_for_update(of=("self",))
            .filter(pk=foto.pk)
            .first()
        )
        if obj is None:
            raise PermissionDenied("Data tidak ditemukan di wilayah tugas Anda.")
        names = [obj.berkas.name, obj.kecil.name]
        catat(aksi="foto_hapus", pelaku=pelaku, objek=obj.kegiatan, data={"foto": str(obj.uuid)})
        obj.delete()
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names if n])


def kegiatan_ubah_peserta(
    *, pelaku, kegiatan: Kegiatan, tambah: bool, individu=None, keluarga=None
) -> None:
    """Add or remove a person or household of one's own area as a named participant."""
    _cek_peran(pelaku, "koordinasi.kegiatan")
    with transaction.atomic():
        obj = _kunci(Kegiatan, kegiatan, pelaku)
        if individu is not None:
            target = Individu.objects.for_user(pelaku).filter(pk=individu.pk).first()
            relasi = obj.peserta_individu
        else:
            target = Keluarga.objects.for_user(pelaku).filter(pk=keluarga.pk).first()
            relasi = obj.peserta_keluarga
        if target is None:
            raise PermissionDenied("Data tidak ditemukan di wilayah tugas Anda.")
        (relasi.add if tambah else relasi.remove)(target)
        Kegiatan.objects.filter(pk=obj.pk).update(diubah_oleh=pelaku, diubah_pada=timezone.now())
        catat(
            aksi="kegiatan_peserta_tambah" if tambah else "kegiatan_peserta_hapus",
            pelaku=pelaku,
            objek=obj,
            data={"peserta": str(target.uuid), "jenis": target._meta.model_name},
        )
