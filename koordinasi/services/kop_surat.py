"""The letterhead (KopSurat) of an area."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction

from koordinasi.gambar import GambarOlahan
from koordinasi.services.umum import _cek_peran, _Galat
from tksk.audit import catat
from tksk.models import KopSurat, Wilayah
from tksk.scoping import sees_everything

KOP_MAKS_BARIS = 4


def _cek_kop(obj: KopSurat) -> None:
    """A letterhead names its agency in one to four lines (stored without blank lines)."""
    galat = _Galat()
    baris = [b.strip() for b in obj.nama_instansi.splitlines() if b.strip()]
    if not baris:
        galat.tambah("nama_instansi", "Tuliskan nama instansi.")
    elif len(baris) > KOP_MAKS_BARIS:
        galat.tambah("nama_instansi", f"Paling banyak {KOP_MAKS_BARIS} baris.")
    obj.nama_instansi = "\n".join(baris)
    if obj.email:
        try:
            validate_email(obj.email)
        except ValidationError:
            galat.tambah("email", "Tulis alamat surel yang benar, mis. nama@contoh.go.id.")
    galat.periksa()


def kop_simpan(
    *, pelaku, wilayah, data: dict, logo: GambarOlahan | None = None, hapus_logo: bool = False
) -> KopSurat:
    """Create or update the letterhead of `wilayah` (None: the default one). Admins only."""
    _cek_peran(pelaku, "koordinasi.kop")
    if wilayah is not None and not Wilayah.objects.for_user(pelaku).filter(pk=wilayah.pk).exists():
        raise PermissionDenied("Wilayah di luar cakupan Anda.")
    if wilayah is None and not sees_everything(pelaku):
        raise PermissionDenied("Kop bawaan hanya dapat diubah admin sistem.")
    lama_logo = None
    baru_logo = None
    try:
        with transaction.atomic():
            obj = KopSurat.objects.select_for_update().filter(wilayah=wilayah).first() or KopSurat(
                wilayah=wilayah
            )
            for kolom in ("nama_instansi", "alamat", "telepon", "email"):
                if kolom in data:
                    setattr(obj, kolom, (data[kolom] or "").strip())
            _cek_kop(obj)
            if logo is not None or hapus_logo:
                lama_logo = obj.logo.name or None
                obj.logo = None
            if logo is not None:
                obj.logo.save("logo.png", ContentFile(logo.data), save=False)
                baru_logo = obj.logo.name
            obj.diubah_oleh = pelaku
            obj.save()
            catat(
                aksi="kop_surat_ubah",
                pelaku=pelaku,
                objek=None,
                data={"wilayah": wilayah.kode if wilayah else "", "logo": bool(obj.logo)},
            )
            if lama_logo:
                transaction.on_commit(lambda: default_storage.delete(lama_logo))
    except BaseException:
        if baru_logo:
            default_storage.delete(baru_logo)
        raise
    return obj
