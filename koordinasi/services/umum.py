"""What the koordinasi services share: who may do what, the entry windows of dates, field
errors gathered per record, the scoped and versioned re-read of a record."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tksk.kapabilitas import wajib
from tksk.konkurensi import cek_versi
from tksk.models import Tingkat, Wilayah

# No record of this app predates it: an earlier date is a typing slip.
AWAL_DATA = date(2000, 1, 1)
KEGIATAN_MAJU_HARI = 366
# Entry windows of what a user types (cek_tanggal_surat, cek_batas_waktu): the forms and the API
# apply them; records written otherwise (back-dated, planned far ahead) keep the invariants only.
SURAT_MUNDUR_HARI = 60
BATAS_WAKTU_MAJU_HARI = 730


class _Galat(dict):
    """Field errors gathered while checking a record, so one refusal names every wrong field."""

    def tambah(self, kolom: str, pesan: str) -> None:
        self.setdefault(kolom, []).append(pesan)

    def ambil(self, error: ValidationError) -> None:
        for kolom, pesan in error.message_dict.items():
            self.setdefault(kolom, []).extend(pesan)

    def periksa(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _teks(nilai) -> str:
    return (nilai or "").strip()


def _nilai(model, kolom: str, nilai):
    """`nilai` as the model field's Python value (an ISO date string becomes a date), or
    ValidationError; as Model.save would read it."""
    return model._meta.get_field(kolom).to_python(nilai)


def cek_tanggal_surat(tanggal: date) -> date:
    """The entry window of a referral letter's date: not in the future, at most 60 days back."""
    hari_ini = timezone.localdate()
    if tanggal > hari_ini:
        raise ValidationError("Tanggal surat tidak boleh di masa depan.")
    if tanggal < hari_ini - timedelta(days=SURAT_MUNDUR_HARI):
        raise ValidationError(f"Tanggal surat paling lama {SURAT_MUNDUR_HARI} hari yang lalu.")
    return tanggal


def cek_batas_waktu(tanggal: date) -> date:
    """The entry window of a follow-up's deadline: from 2000 to two years ahead."""
    if tanggal < AWAL_DATA or tanggal > timezone.localdate() + timedelta(
        days=BATAS_WAKTU_MAJU_HARI
    ):
        raise ValidationError("Periksa batas waktu.")
    return tanggal


def _cek_peran(pelaku, kapabilitas: str) -> None:
    wajib(pelaku, kapabilitas)


def _kunci(model, obj, pelaku, versi=None):
    """The stored row, locked and re-read through the user's scope; stale versions refused."""
    current = (
        model.objects.for_user(pelaku).select_for_update(of=("self",)).filter(pk=obj.pk).first()
    )
    if current is None:
        raise PermissionDenied("Data tidak ditemukan di wilayah tugas Anda.")
    cek_versi(current, versi)
    return current


def _desa_dalam_cakupan(pelaku, desa) -> Wilayah:
    found = Wilayah.objects.for_user(pelaku).filter(pk=getattr(desa, "pk", desa)).first()
    if found is None or found.tingkat != Tingkat.DESA:
        raise ValidationError({"desa": "Pilih desa/kelurahan di wilayah tugas Anda."})
    return found
