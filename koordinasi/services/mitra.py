"""Writes of partners (Mitra)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F

from koordinasi.models import JenisMitra, Mitra
from koordinasi.services.umum import _Galat, _kunci, _teks
from peta import koordinat
from tksk.audit import catat
from tksk.models import Tingkat, Wilayah
from tksk.scoping import is_active_user, sees_everything
from tksk.uuid_klien import kunci_uuid, uuid_sah, yang_tersimpan

_MITRA_KOLOM = [
    "jenis",
    "nama",
    "wilayah",
    "alamat",
    "narahubung",
    "telepon",
    "email",
    "layanan",
    "psks",
    "aktif",
    "perlindungan_khusus",
    "latitude",
    "longitude",
]


def mitra_boleh_ubah(user, mitra: Mitra) -> bool:
    """Only the level that registered a partner, or a level above it, may change it: a TKSK sees
    the kabupaten's partners but cannot edit them."""
    if not is_active_user(user):
        return False
    if sees_everything(user):
        return True
    return Wilayah.objects.for_user(user).filter(pk=mitra.wilayah_id).exists()


def _wilayah_mitra(pelaku, wilayah) -> Wilayah:
    found = (
        Wilayah.objects.for_user(pelaku)
        .exclude(tingkat=Tingkat.DESA)
        .filter(pk=getattr(wilayah, "pk", wilayah))
        .first()
    )
    if found is None:
        raise ValidationError({"wilayah": "Pilih wilayah di cakupan tugas Anda."})
    return found


def mitra_simpan(*, pelaku, data: dict, mitra: Mitra | None = None, versi=None, uuid=None) -> Mitra:
    """Create (mitra=None) or update a partner. `uuid`: the client's uuid of a new partner; one
    with it in the user's reach is returned as stored."""
    if not is_active_user(pelaku) or (pelaku.wilayah_id is None and not sees_everything(pelaku)):
        raise PermissionDenied("Akun Anda belum ditugaskan ke wilayah.")
    with transaction.atomic():
        if mitra is None:
            obj = Mitra(dibuat_oleh=pelaku)
            if (uid := uuid_sah(uuid)) is not None:
                kunci_uuid(uid)
                ada = yang_tersimpan(Mitra.objects.for_user(pelaku), Mitra, uid)
                if ada is not None:
                    return ada
                obj.uuid = uid
        else:
            obj = _kunci(Mitra, mitra, pelaku, versi)
            if not mitra_boleh_ubah(pelaku, obj):
                raise PermissionDenied("Mitra ini didaftarkan oleh tingkat di atas Anda.")
        for kolom in _MITRA_KOLOM:
            if kolom in data:
                setattr(obj, kolom, data[kolom])
        _cek_mitra(pelaku, obj)
        obj.diubah_oleh = pelaku
        if mitra is not None:
            obj.versi = F("versi") + 1
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            raise ValidationError(
                {"nama": "Mitra dengan nama ini sudah terdaftar di wilayah yang sama."}
            ) from None
        obj.refresh_from_db()
        catat(aksi="mitra_ubah" if mitra else "mitra_buat", pelaku=pelaku, objek=obj)
    return obj


def _cek_mitra(pelaku, obj: Mitra) -> None:
    """A partner's own rules (its name, kind, contacts, area and PSKS record), every wrong
    field at once; the name and phone number are stored normalised."""
    from tksk.validators import normalisasi_telepon

    galat = _Galat()
    if obj.jenis not in JenisMitra.values:
        galat.tambah("jenis", "Pilih jenis mitra.")
    obj.nama = " ".join((obj.nama or "").split())
    if len(obj.nama) < 3:
        galat.tambah("nama", "Nama mitra terlalu pendek.")
    try:
        obj.telepon = normalisasi_telepon(obj.telepon)
    except ValidationError as error:
        galat.ambil(error)
    obj.email = _teks(obj.email)
    if obj.email:
        try:
            validate_email(obj.email)
        except ValidationError:
            galat.tambah("email", "Tulis alamat surel yang benar, mis. nama@contoh.go.id.")
    try:
        obj.wilayah = _wilayah_mitra(pelaku, obj.wilayah_id)
    except ValidationError as error:
        galat.ambil(error)
    if obj.psks_id and not _psks_terlihat(pelaku, obj.psks_id):
        galat.tambah("psks", "Pilih data PSKS di wilayah tugas Anda.")
    obj.latitude, obj.longitude, galat_titik = koordinat.periksa(obj.latitude, obj.longitude)
    for nama, pesan in galat_titik.items():
        galat.tambah(nama, pesan)
    galat.periksa()


def _psks_terlihat(pelaku, psks_id) -> bool:
    from pendataan.models import PSKS

    return PSKS.objects.for_user(pelaku).filter(pk=psks_id).exists()
