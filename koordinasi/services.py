"""Writes for partners, activities (photos, participants, follow-ups), referrals and the
letterhead.

Every function takes the acting user (keyword-only), runs in one transaction, re-reads the object
through the user's scope (another area's object is refused as if it did not exist), checks the
role and the state transition, refuses a stale save (optimistic concurrency) and writes the audit
log. The rules of the records (dates, states and transitions, partners in scope, required fields)
live here and hold whatever the caller: forms, the API and the sync only parse the input and turn
the ValidationError raised here (keyed by field, in Indonesian) into their own field errors.
"""

import base64
import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from koordinasi.gambar import GambarOlahan
from koordinasi.models import (
    TRANSISI_RUJUKAN,
    AksesTautan,
    FotoKegiatan,
    JenisKegiatan,
    JenisMitra,
    Kegiatan,
    Mitra,
    NomorRujukan,
    RiwayatRujukan,
    Rujukan,
    StatusRujukan,
    StatusTindakLanjut,
    TindakLanjut,
    Urgensi,
)
from pendataan.models import PPKS, Individu, Keluarga, StatusPenanganan
from peta import koordinat
from tksk.audit import catat
from tksk.konkurensi import cek_versi
from tksk.models import KopSurat, Role, Tingkat, User, Wilayah
from tksk.scoping import is_active_user, sees_everything
from tksk.uuid_klien import kunci_uuid, uuid_sah, yang_tersimpan

# Who records activities and their follow-ups: the TKSK of the area (and an admin).
PERAN_KEGIATAN = {Role.TKSK, Role.ADMIN}
# Referrals are part of handling a PPKS record, which a Dinas kabupaten may do too.
PERAN_RUJUKAN = {Role.TKSK, Role.KABUPATEN, Role.ADMIN}
MAKS_FOTO_PER_KEGIATAN = 20
TAUTAN_BERLAKU_HARI = 60
BULAN_ROMAWI = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
# No record of this app predates it: an earlier date is a typing slip.
AWAL_DATA = date(2000, 1, 1)
KEGIATAN_MAJU_HARI = 366
# Entry windows of what a user types (cek_tanggal_surat, cek_batas_waktu): the forms and the API
# apply them; records written otherwise (back-dated, planned far ahead) keep the invariants only.
SURAT_MUNDUR_HARI = 60
BATAS_WAKTU_MAJU_HARI = 730
KOP_MAKS_BARIS = 4


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


def _cek_peran(pelaku, peran: set) -> None:
    if not is_active_user(pelaku) or pelaku.role not in peran:
        raise PermissionDenied("Peran Anda tidak dapat melakukan tindakan ini.")


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


# --- Mitra -----------------------------------------------------------------------------------

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


# --- Kegiatan --------------------------------------------------------------------------------

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
    _cek_peran(pelaku, PERAN_KEGIATAN)
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
    _cek_peran(pelaku, PERAN_KEGIATAN)
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
    _cek_peran(pelaku, PERAN_KEGIATAN)
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
    _cek_peran(pelaku, PERAN_KEGIATAN)
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


# --- Tindak lanjut ---------------------------------------------------------------------------


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
    _cek_peran(pelaku, PERAN_KEGIATAN)
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


# --- Rujukan ---------------------------------------------------------------------------------


def batas_hari_rujukan() -> int:
    """Days after which a referral still "dikirim" counts as unanswered (RUJUKAN_BATAS_HARI)."""
    return int(getattr(settings, "RUJUKAN_BATAS_HARI", 7))


def _nomor_berikut(kecamatan: Wilayah, tahun: int) -> int:
    """The next number of the kecamatan's referrals this year, under a row lock."""
    NomorRujukan.objects.bulk_create(
        [NomorRujukan(kecamatan=kecamatan, tahun=tahun)], ignore_conflicts=True
    )
    baris = NomorRujukan.objects.select_for_update().get(kecamatan=kecamatan, tahun=tahun)
    baris.terakhir += 1
    baris.save(update_fields=["terakhir"])
    return baris.terakhir


def format_nomor(urut: int, kecamatan: Wilayah, tanggal: date) -> str:
    """e.g. 001/RUJ/62.71.01/XI/2026"""
    return f"{urut:03d}/RUJ/{kecamatan.kode}/{BULAN_ROMAWI[tanggal.month - 1]}/{tanggal.year}"


def token_tautan(rujukan: Rujukan) -> str:
    """The partner link's token: 256 bits derived from the referral's random salt and the
    server's SECRET_KEY. Only its SHA-256 is stored, so the database alone (a leaked dump)
    gives no working link, while the letter can be printed again with the same link."""
    mac = salted_hmac(
        "koordinasi.rujukan.tautan-mitra",
        f"{rujukan.uuid}:{rujukan.token_garam}",
        algorithm="sha256",
    )
    return _b64(mac.digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _pasang_token(rujukan: Rujukan) -> None:
    rujukan.token_garam = secrets.token_urlsafe(32)
    rujukan.token_hash = hash_token(token_tautan(rujukan))


def pastikan_token(rujukan: Rujukan) -> str:
    """The current token of an open referral. After a SECRET_KEY rotation the derived token no
    longer matches the stored hash: a new one is issued (old printed links stop working)."""
    token = token_tautan(rujukan)
    if rujukan.token_hash != hash_token(token) and not rujukan.tertutup:
        with transaction.atomic():
            _pasang_token(rujukan)
            Rujukan.objects.filter(pk=rujukan.pk).update(
                token_garam=rujukan.token_garam, token_hash=rujukan.token_hash
            )
        token = token_tautan(rujukan)
    return token


def tautan_berlaku(rujukan: Rujukan, *, sekarang=None) -> bool:
    sekarang = sekarang or timezone.now()
    return (
        not rujukan.tertutup
        and rujukan.tautan_berlaku_sampai is not None
        and sekarang < rujukan.tautan_berlaku_sampai
    )


def _ubah_penanganan(*, pelaku, ppks: PPKS, status: str, catatan: str) -> bool:
    """Move the PPKS handling status through the pendataan service (which records its history).
    Returns False when no user in the record's chain could do it (see rujukan_ubah_status)."""
    from pendataan.services_ppks import ppks_ubah_penanganan

    ppks.refresh_from_db(fields=["status_penanganan", "versi"])
    if ppks.status_penanganan == status:
        return True
    ppks_ubah_penanganan(pelaku=pelaku, ppks=ppks, status=status, catatan=catatan)
    return True


def rujukan_kirim(*, pelaku, ppks: PPKS, mitra: Mitra, data: dict, uuid=None) -> Rujukan:
    """Send a referral: number it, issue its partner link, record the first step, and mark the
    PPKS record "dirujuk". `uuid`: the client's uuid; a referral with it in the user's reach is
    returned as stored (no second number, no second letter)."""
    from pendataan.selectors_ppks import ppks_visible

    _cek_peran(pelaku, PERAN_RUJUKAN)
    uid = uuid_sah(uuid)
    with transaction.atomic():
        if uid is not None:
            kunci_uuid(uid)
            ada = yang_tersimpan(Rujukan.objects.for_user(pelaku), Rujukan, uid)
            if ada is not None:
                return ada
        target = ppks_visible(pelaku).select_related("desa__kecamatan").filter(pk=ppks.pk).first()
        if target is None:
            raise PermissionDenied("Data tidak ditemukan di wilayah tugas Anda.")
        tanggal = _cek_rujukan(pelaku, target, mitra, data) or timezone.localdate()
        kecamatan = target.desa.kecamatan
        urut = _nomor_berikut(kecamatan, tanggal.year)
        obj = Rujukan(
            nomor=format_nomor(urut, kecamatan, tanggal),
            nomor_urut=urut,
            tahun=tanggal.year,
            kecamatan=kecamatan,
            ppks=target,
            desa=target.desa,
            mitra=mitra,
            alasan=_teks(data.get("alasan")),
            layanan=_teks(data.get("layanan")),
            urgensi=data.get("urgensi") or Urgensi.BIASA,
            tanggal_kirim=tanggal,
            penandatangan_nama=(data.get("penandatangan_nama") or "").strip()
            or pelaku.get_full_name()
            or pelaku.username,
            penandatangan_jabatan=(data.get("penandatangan_jabatan") or "").strip()
            or pelaku.jabatan,
            penandatangan_nip=(data.get("penandatangan_nip") or "").strip(),
            tautan_berlaku_sampai=timezone.now() + timedelta(days=TAUTAN_BERLAKU_HARI),
            dibuat_oleh=pelaku,
            diubah_oleh=pelaku,
        )
        if uid is not None:
            obj.uuid = uid
        _pasang_token(obj)
        obj.save()
        RiwayatRujukan.objects.create(
            rujukan=obj,
            status_ke=StatusRujukan.DIKIRIM,
            tanggal=tanggal,
            catatan=(data.get("catatan") or "").strip(),
            pelaku=pelaku,
        )
        _ubah_penanganan(
            pelaku=pelaku,
            ppks=target,
            status=StatusPenanganan.DIRUJUK,
            catatan=f"Dirujuk ke {mitra.nama} (surat {obj.nomor}).",
        )
        catat(aksi="rujukan_kirim", pelaku=pelaku, objek=obj, data={"mitra": mitra.nama})
    return obj


def _cek_rujukan(pelaku, ppks: PPKS, mitra: Mitra, data: dict) -> date | None:
    """A new referral's rules, every wrong field at once: an open PPKS record, an active
    partner in reach, the reason and the service asked for, a known urgency, a letter date
    of this app's time (the entry window is cek_tanggal_surat). Returns the letter's date."""
    galat = _Galat()
    if ppks.status_penanganan == StatusPenanganan.SELESAI:
        galat.tambah("ppks", "Penanganan PPKS ini sudah selesai.")
    if not Mitra.objects.for_user(pelaku).filter(pk=mitra.pk, aktif=True).exists():
        galat.tambah("mitra", "Pilih mitra aktif di wilayah tugas Anda.")
    if not _teks(data.get("alasan")):
        galat.tambah("alasan", "Tuliskan alasan rujukan.")
    if not _teks(data.get("layanan")):
        galat.tambah("layanan", "Tuliskan layanan yang dibutuhkan.")
    if (data.get("urgensi") or Urgensi.BIASA) not in Urgensi.values:
        galat.tambah("urgensi", "Pilih tingkat urgensi.")
    try:
        tanggal = _nilai(Rujukan, "tanggal_kirim", data.get("tanggal_kirim"))
    except ValidationError:
        tanggal = False  # neither empty nor a date
    if tanggal is False or (tanggal is not None and tanggal < AWAL_DATA):
        galat.tambah("tanggal_kirim", "Periksa tanggal surat.")
    galat.periksa()
    return tanggal


def rujukan_visible(user):
    """Old name of `Rujukan.objects.for_user`, kept for one step while callers move."""
    return Rujukan.objects.for_user(user)


def _pelaku_ppks(rujukan: Rujukan, pelaku):
    """Who the PPKS history names for a step: the acting user, or for a step made by the
    partner, the referral's sender (or the kecamatan's current TKSK when the sender left)."""
    from pendataan.selectors_ppks import ppks_visible

    if pelaku is not None:
        return pelaku
    kandidat = [
        rujukan.dibuat_oleh,
        *User.objects.filter(role=Role.TKSK, wilayah=rujukan.kecamatan, is_active=True).order_by(
            "pk"
        ),
    ]
    for user in kandidat:
        if (
            user is not None
            and is_active_user(user)
            and user.role in PERAN_RUJUKAN
            and ppks_visible(user).filter(pk=rujukan.ppks_id).exists()
        ):
            return user
    return None


def rujukan_ubah_status(
    *,
    rujukan: Rujukan,
    ke: str,
    tanggal: date | None = None,
    catatan: str = "",
    pelaku=None,
    oleh_mitra: bool = False,
    nama_pengisi: str = "",
    versi=None,
    request=None,
) -> Rujukan:
    """Record the next step of a referral, by a user (pelaku) or by the partner through the
    partner link (oleh_mitra=True, pelaku=None). The PPKS handling status follows: "selesai"
    closes it; a refusal returns it to "dalam penanganan" unless another referral is open."""
    if not oleh_mitra:
        _cek_peran(pelaku, PERAN_RUJUKAN)
    hari_ini = timezone.localdate()
    with transaction.atomic():
        if oleh_mitra:
            qs = Rujukan.objects.all()
        else:
            qs = Rujukan.objects.for_user(pelaku)
        obj = (
            qs.select_for_update(of=("self",))
            .select_related("ppks", "kecamatan", "dibuat_oleh", "mitra")
            .filter(pk=rujukan.pk)
            .first()
        )
        if obj is None:
            raise PermissionDenied("Data tidak ditemukan di wilayah tugas Anda.")
        if oleh_mitra and not tautan_berlaku(obj):
            raise PermissionDenied("Tautan rujukan ini sudah tidak berlaku.")
        cek_versi(obj, versi)
        if ke not in StatusRujukan.values:
            raise ValidationError({"status": ValidationError("Pilih status rujukan.", "pilihan")})
        if ke not in TRANSISI_RUJUKAN[StatusRujukan(obj.status)]:
            # Code "transisi": the API answers this one with 409 and the current record.
            raise ValidationError(
                {
                    "status": ValidationError(
                        f"Rujukan berstatus {obj.get_status_display().lower()} tidak dapat "
                        f"diubah menjadi {StatusRujukan(ke).label.lower()}.",
                        code="transisi",
                    )
                }
            )
        tanggal = tanggal or hari_ini
        catatan = (catatan or "").strip()
        galat = _Galat()
        if tanggal > hari_ini:
            galat.tambah("tanggal", "Tanggal tidak boleh di masa depan.")
        elif tanggal < obj.tanggal_kirim:
            galat.tambah("tanggal", "Tanggal tidak boleh sebelum tanggal rujukan dikirim.")
        if ke == StatusRujukan.DITOLAK and not catatan:
            galat.tambah("catatan", "Tuliskan alasan penolakan.")
        galat.periksa()
        lama = obj.status
        sekarang = timezone.now()
        obj.status = ke
        obj.dijawab_pada = obj.dijawab_pada or sekarang
        if ke in (StatusRujukan.SELESAI, StatusRujukan.DITOLAK):
            obj.ditutup_pada = sekarang
        obj.diubah_oleh = pelaku
        obj.versi = F("versi") + 1
        obj.save(
            update_fields=[
                "status",
                "dijawab_pada",
                "ditutup_pada",
                "diubah_oleh",
                "diubah_pada",
                "versi",
            ]
        )
        obj.refresh_from_db()
        langkah = RiwayatRujukan(
            rujukan=obj,
            status_dari=lama,
            status_ke=ke,
            tanggal=tanggal,
            catatan=catatan,
            pelaku=pelaku,
            oleh_mitra=oleh_mitra,
            nama_pengisi=(nama_pengisi or "").strip()[:150],
        )
        ppks_baru = None
        if ke == StatusRujukan.SELESAI:
            ppks_baru = StatusPenanganan.SELESAI
        elif ke == StatusRujukan.DITOLAK:
            lain_terbuka = (
                Rujukan.objects.filter(ppks_id=obj.ppks_id)
                .exclude(pk=obj.pk)
                .exclude(status__in=[StatusRujukan.SELESAI, StatusRujukan.DITOLAK])
                .exists()
            )
            if not lain_terbuka and obj.ppks.status_penanganan == StatusPenanganan.DIRUJUK:
                ppks_baru = StatusPenanganan.DALAM
        if ppks_baru:
            siapa = _pelaku_ppks(obj, pelaku)
            sumber = "mitra melalui tautan rujukan" if oleh_mitra else "petugas"
            if siapa is None:
                langkah.catatan = (
                    f"{catatan}\n(Status penanganan PPKS belum diperbarui: tidak ada petugas "
                    "aktif di wilayah ini.)"
                ).strip()
            else:
                _ubah_penanganan(
                    pelaku=siapa,
                    ppks=obj.ppks,
                    status=ppks_baru,
                    catatan=(
                        f"Rujukan {obj.nomor} ke {obj.mitra.nama}: "
                        f"{StatusRujukan(ke).label.lower()} ({sumber})."
                    ),
                )
        langkah.save()
        catat(
            aksi="rujukan_status",
            pelaku=pelaku,
            objek=obj,
            data={"dari": lama, "ke": ke, "oleh_mitra": oleh_mitra},
            request=request,
        )
    return obj


# --- Partner link: use log and rate limit -----------------------------------------------------


def tautan_dibatasi(*, token_hash: str, alamat_ip: str | None) -> bool:
    """Whether this address or this token has been used too often recently
    (RUJUKAN_TAUTAN_BATAS_IP / RUJUKAN_TAUTAN_BATAS_TOKEN per RUJUKAN_TAUTAN_JENDELA_MENIT)."""
    menit = int(getattr(settings, "RUJUKAN_TAUTAN_JENDELA_MENIT", 10))
    batas_ip = int(getattr(settings, "RUJUKAN_TAUTAN_BATAS_IP", 30))
    batas_token = int(getattr(settings, "RUJUKAN_TAUTAN_BATAS_TOKEN", 20))
    baru = AksesTautan.objects.filter(waktu__gte=timezone.now() - timedelta(minutes=menit))
    if alamat_ip and baru.filter(alamat_ip=alamat_ip).count() >= batas_ip:
        return True
    return baru.filter(token_hash=token_hash).count() >= batas_token


def tautan_catat(
    *, rujukan, token_hash: str, alamat_ip, aksi: str, status_ke: str = "", agen: str = ""
) -> AksesTautan:
    return AksesTautan.objects.create(
        rujukan=rujukan,
        token_hash=token_hash,
        alamat_ip=alamat_ip,
        aksi=aksi,
        status_ke=status_ke,
        agen=(agen or "")[:200],
    )


def tautan_cari(token: str) -> Rujukan | None:
    """The referral a partner-link token belongs to (whatever its state), or None."""
    if not token or len(token) > 100:
        return None
    return (
        Rujukan.objects.select_related("ppks__kategori", "mitra", "kecamatan")
        .filter(token_hash=hash_token(token))
        .first()
    )


# --- Kop surat -------------------------------------------------------------------------------


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
    _cek_peran(pelaku, {Role.ADMIN})
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
