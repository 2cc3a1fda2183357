"""Writes for PPKS identifications and the PSKS inventory.

Every function takes the acting user, works on a plain data dict (the web form, the spreadsheet
import and the API call the same code), runs in one transaction, checks the user's scope and role,
refuses a stale save (optimistic concurrency) and writes the record's history (Riwayat).
"""

import uuid as uuidlib
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pendataan import riwayat
from pendataan.models import (
    PPKS,
    PSKS,
    Individu,
    JenisPSKS,
    Keluarga,
    Riwayat,
    StatusHidup,
    StatusPenanganan,
    SubjekPPKS,
)
from pendataan.selectors_ppks import ppks_visible
from tksk.kapabilitas import wajib
from tksk.konkurensi import cek_versi
from tksk.logging import mask_numbers
from tksk.models import KategoriPPKS, KategoriPSKS, Tingkat, Wilayah
from tksk.uuid_klien import kunci_uuid, uuid_sah, yang_tersimpan
from tksk.validators import normalisasi_telepon

# Subjects a category is usually recorded for, beyond its own unit (DOMAIN.md §2 and the category
# summaries): violence and disaster victims may be a person, a family or a group; fakir miskin a
# person or a household.
SUBJEK_TAMBAHAN = {
    "KTK": {SubjekPPKS.KELUARGA, SubjekPPKS.KELOMPOK},
    "KBA": {SubjekPPKS.KELUARGA, SubjekPPKS.KELOMPOK},
    "KBS": {SubjekPPKS.KELUARGA, SubjekPPKS.KELOMPOK},
    "FM": {SubjekPPKS.INDIVIDU},
}
_UNIT_KE_SUBJEK = {
    "individu": SubjekPPKS.INDIVIDU,
    "keluarga": SubjekPPKS.KELUARGA,
    "kelompok": SubjekPPKS.KELOMPOK,
    "komunitas": SubjekPPKS.KELOMPOK,
}
_LABEL_SUBJEK = {
    SubjekPPKS.INDIVIDU: "individu",
    SubjekPPKS.KELUARGA: "keluarga",
    SubjekPPKS.KELOMPOK: "kelompok/komunitas",
}
_LABEL_JK = {"L": "laki-laki", "P": "perempuan"}


# --- plausibility (pure functions: no database access) -------------------------------------


def usia_pada(tanggal_lahir: date, tanggal: date) -> int:
    """Completed years of age on `tanggal`."""
    return (
        tanggal.year
        - tanggal_lahir.year
        - ((tanggal.month, tanggal.day) < (tanggal_lahir.month, tanggal_lahir.day))
    )


def subjek_wajar(kategori: KategoriPPKS) -> set[str]:
    utama = _UNIT_KE_SUBJEK.get((kategori.unit or "").strip().lower())
    return ({utama} if utama else set()) | SUBJEK_TAMBAHAN.get(kategori.singkatan, set())


def rentang_usia(kategori: KategoriPPKS) -> str:
    """ "6–18 tahun", "60 tahun ke atas", "17 tahun ke bawah" or ""."""
    lo, hi = kategori.usia_min, kategori.usia_max
    if lo is not None and hi is not None:
        return f"{lo}–{hi} tahun"
    if lo is not None:
        return f"{lo} tahun ke atas"
    if hi is not None:
        return f"{hi} tahun ke bawah"
    return ""


def petunjuk_kategori(kategori: KategoriPPKS) -> str:
    """Short hint for choice labels: subject unit, age range and sex of the category."""
    bagian = [" atau ".join(sorted(_LABEL_SUBJEK[s] for s in subjek_wajar(kategori)))]
    if rentang_usia(kategori):
        bagian.append("usia " + rentang_usia(kategori))
    if kategori.jenis_kelamin:
        bagian.append(_LABEL_JK.get(kategori.jenis_kelamin, kategori.jenis_kelamin))
    return ", ".join(b for b in bagian if b)


def periksa_kewajaran(
    kategori: KategoriPPKS,
    individu: Individu | None,
    tanggal: date | None,
    *,
    subjek: str | None = None,
) -> list[str]:
    """Warnings (never refusals) when a category looks implausible for its subject.

    Age is computed at the identification date, because children age out of child categories;
    birth dates are often approximate, so an odd age is something to check, not an error.
    `subjek` defaults to "individu" when a person is given.
    """
    hasil: list[str] = []
    subjek = subjek or (SubjekPPKS.INDIVIDU if individu is not None else None)
    kode = f"{kategori.singkatan} ({kategori.nama})"
    wajar = subjek_wajar(kategori)
    if subjek and wajar and subjek not in wajar:
        hasil.append(
            f"Kategori {kode} biasanya dicatat untuk "
            f"{' atau '.join(sorted(_LABEL_SUBJEK[s] for s in wajar))}, "
            f"bukan untuk {_LABEL_SUBJEK.get(subjek, subjek)}. Periksa kembali subjeknya."
        )
    if individu is None:
        return hasil
    lo, hi = kategori.usia_min, kategori.usia_max
    if lo is not None or hi is not None:
        if individu.tanggal_lahir is None:
            hasil.append(
                f"Tanggal lahir {individu.nama} belum dicatat, sehingga usia untuk kategori "
                f"{kode} ({rentang_usia(kategori)}) tidak dapat diperiksa."
            )
        elif tanggal is not None:
            usia = usia_pada(individu.tanggal_lahir, tanggal)
            if (lo is not None and usia < lo) or (hi is not None and usia > hi):
                hasil.append(
                    f"{individu.nama} berusia {max(usia, 0)} tahun pada tanggal identifikasi, "
                    f"sedangkan kategori {kode} untuk usia {rentang_usia(kategori)}. "
                    "Data tetap disimpan; periksa kembali tanggal lahir atau kategorinya."
                )
    if (
        kategori.jenis_kelamin
        and individu.jenis_kelamin
        and individu.jenis_kelamin != kategori.jenis_kelamin
    ):
        hasil.append(
            f"Kategori {kode} untuk "
            f"{_LABEL_JK.get(kategori.jenis_kelamin, kategori.jenis_kelamin)}, sedangkan "
            f"{individu.nama} tercatat {_LABEL_JK.get(individu.jenis_kelamin, '-')}. "
            "Data tetap disimpan; periksa kembali jenis kelamin atau kategorinya."
        )
    if individu.tanggal_lahir and tanggal and tanggal < individu.tanggal_lahir:
        hasil.append("Tanggal identifikasi lebih awal dari tanggal lahir subjek.")
    if individu.status_hidup != StatusHidup.HIDUP:
        hasil.append(
            f"{individu.nama} tercatat {individu.get_status_hidup_display().lower()} "
            "di data keluarga."
        )
    return hasil


def kewajaran_ppks(ppks: PPKS) -> list[str]:
    return periksa_kewajaran(
        ppks.kategori, ppks.individu, ppks.tanggal_identifikasi, subjek=ppks.subjek
    )


# --- shared helpers --------------------------------------------------------------------------


def _cek_peran(pelaku, kapabilitas: str) -> None:
    wajib(pelaku, kapabilitas, "Peran Anda tidak dapat mengubah data ini.")


def _desa_dalam_cakupan(pelaku, desa) -> Wilayah:
    """The desa (a Wilayah, its id or its Kemendagri code), re-read through the user's scope:
    an area from elsewhere is refused like a missing one."""
    lookup = _kunci_referensi(desa, kode_field="kode")
    found = (
        Wilayah.objects.for_user(pelaku).filter(tingkat=Tingkat.DESA, **lookup).first()
        if lookup
        else None
    )
    if found is None:
        raise ValidationError({"desa": "Pilih desa/kelurahan di wilayah tugas Anda."})
    return found


def _kunci_referensi(value, *, kode_field: str, singkatan: bool = False) -> dict | None:
    """Lookup for a reference given as object, id, code (or short name): the import and the API
    send codes, the forms send objects."""
    if value is None or value == "":
        return None
    if hasattr(value, "pk"):
        return {"pk": value.pk}
    text = str(value).strip()
    if text.isdigit():
        return {"pk": int(text)}
    if singkatan and "-" not in text:
        return {"singkatan__iexact": text}
    return {kode_field: text}


def _kategori(model, value):
    """A category given as object, id, code ("PPKS-08") or short name ("LUT")."""
    if isinstance(value, model):
        return value
    if hasattr(value, "pk"):
        return None  # an object of another kind
    lookup = _kunci_referensi(value, kode_field="kode__iexact", singkatan=True)
    return model.objects.filter(**lookup).first() if lookup else None


def _tanggal(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None


def _teks(data: dict, key: str, max_length: int | None = None) -> str:
    value = data.get(key)
    value = "" if value is None else str(value).strip()
    return value[:max_length] if max_length else value


def _angka(data: dict, key: str, errors: dict) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        errors[key] = "Isi dengan angka."
        return None
    if value < 0:
        errors[key] = "Tidak boleh negatif."
        return None
    return value


def _kunci(obj, versi, queryset):
    """Lock the stored row (in the user's scope) and refuse a stale version."""
    current = queryset.select_for_update(of=("self",)).filter(pk=obj.pk).first() if obj.pk else None
    if current is None:
        raise PermissionDenied("Data tidak ditemukan di wilayah tugas Anda.")
    cek_versi(current, versi)
    return current


def _catat_perubahan(obj, *, pelaku, sebelum: dict, sesudah: dict, verifikasi_ulang: bool):
    """History for an update, and the trip back to verification for a verified record."""
    perubahan = riwayat.diff(sebelum, sesudah)
    riwayat.catat_riwayat(obj=obj, pelaku=pelaku, aksi="ubah", perubahan=perubahan)
    if verifikasi_ulang:
        dari = riwayat.setelah_diubah(obj)
        if dari is not None:
            obj.save(update_fields=["status"])
            riwayat.catat_riwayat(
                obj=obj,
                pelaku=pelaku,
                aksi="transisi",
                status_dari=dari,
                status_ke=obj.status,
                catatan="Diubah setelah diverifikasi; perlu diverifikasi ulang.",
            )


# --- PPKS ------------------------------------------------------------------------------------

_PPKS_POLOS = [
    "subjek",
    "nama_kelompok",
    "perkiraan_kk",
    "perkiraan_jiwa",
    "tanggal_identifikasi",
    "deskripsi",
    "kebutuhan",
    "status_penanganan",
    "jenis_kelamin",
]


def _label_keluarga(keluarga: Keluarga | None) -> str:
    return mask_numbers(str(keluarga)) if keluarga is not None else None


def snapshot_ppks(ppks: PPKS) -> dict:
    """The record as its history shows it: readable names instead of internal ids."""
    data = riwayat.snapshot(ppks, _PPKS_POLOS)
    data["kategori"] = str(ppks.kategori) if ppks.kategori_id else None
    data["individu"] = mask_numbers(ppks.individu.nama) if ppks.individu_id else None
    data["keluarga"] = _label_keluarga(ppks.keluarga) if ppks.keluarga_id else None
    data["desa"] = ppks.desa.nama_lengkap if ppks.desa_id else None
    return data


def _cek_ganda(ppks: PPKS) -> None:
    """The same open category twice for the same subject is refused; a finished one is not."""
    others = PPKS.objects.filter(kategori=ppks.kategori, subjek=ppks.subjek).exclude(
        status_penanganan=StatusPenanganan.SELESAI
    )
    if ppks.pk:
        others = others.exclude(pk=ppks.pk)
    if ppks.subjek == SubjekPPKS.INDIVIDU:
        others = others.filter(individu=ppks.individu)
    elif ppks.subjek == SubjekPPKS.KELUARGA:
        others = others.filter(keluarga=ppks.keluarga)
    else:
        others = others.filter(desa=ppks.desa, nama_kelompok__iexact=ppks.nama_kelompok)
    if others.exists():
        raise _galat_ganda(ppks)


def _galat_ganda(ppks: PPKS) -> ValidationError:
    return ValidationError(
        {
            "kategori": (
                f"Subjek ini sudah tercatat dengan kategori {ppks.kategori.singkatan} "
                "yang belum selesai ditangani. Perbarui identifikasi yang ada, atau tandai "
                "selesai lebih dahulu."
            )
        }
    )


def _terapkan_ppks(ppks: PPKS, *, pelaku, data: dict, cari=None) -> None:
    """Copy the data dict onto the record, resolving everything through the user's scope.

    Only the fields named here are read: a posted `status`, `dibuat_oleh` or `versi` changes
    nothing. For a person or household the desa is the household's, never a posted one.
    `cari(model, value)`: how the subject is found (default: read through the scope and locked;
    ppks_buat_banyak gives the subjects it read that way for the whole batch).
    """
    if cari is None:

        def cari(model, value):
            return _dalam_cakupan(model, value, pelaku)

    errors: dict[str, str] = {}
    kategori = _kategori(KategoriPPKS, data.get("kategori"))
    if kategori is None:
        errors["kategori"] = "Pilih kategori PPKS."

    subjek = data.get("subjek") or ppks.subjek
    if subjek not in SubjekPPKS.values:
        raise ValidationError({"subjek": "Pilih jenis subjek: individu, keluarga atau kelompok."})

    tanggal = _tanggal(data.get("tanggal_identifikasi"))
    if tanggal is None:
        errors["tanggal_identifikasi"] = "Isi tanggal identifikasi (TTTT-BB-HH)."
    elif tanggal > timezone.localdate():
        errors["tanggal_identifikasi"] = "Tanggal identifikasi tidak boleh di masa depan."

    individu = keluarga = None
    desa = None
    if subjek == SubjekPPKS.INDIVIDU:
        individu = cari(Individu, data.get("individu"))
        if individu is None:
            errors["individu"] = "Pilih individu di wilayah tugas Anda."
        else:
            desa = individu.desa
    elif subjek == SubjekPPKS.KELUARGA:
        keluarga = cari(Keluarga, data.get("keluarga"))
        if keluarga is None:
            errors["keluarga"] = "Pilih keluarga di wilayah tugas Anda."
        else:
            desa = keluarga.desa
    else:
        if not _teks(data, "nama_kelompok"):
            errors["nama_kelompok"] = "Isi nama kelompok/komunitas."
        try:
            desa = _desa_dalam_cakupan(pelaku, data.get("desa"))
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    perkiraan_kk = _angka(data, "perkiraan_kk", errors)
    perkiraan_jiwa = _angka(data, "perkiraan_jiwa", errors)
    status_penanganan = data.get("status_penanganan") or ppks.status_penanganan
    if status_penanganan not in StatusPenanganan.values:
        errors["status_penanganan"] = "Pilih status penanganan."
    if errors:
        raise ValidationError(errors)

    ppks.kategori = kategori
    ppks.subjek = subjek
    ppks.individu = individu
    ppks.keluarga = keluarga
    ppks.desa = desa
    kelompok = subjek == SubjekPPKS.KELOMPOK
    ppks.nama_kelompok = _teks(data, "nama_kelompok", 200) if kelompok else ""
    ppks.perkiraan_kk = perkiraan_kk if kelompok else None
    ppks.perkiraan_jiwa = perkiraan_jiwa if kelompok else None
    ppks.jenis_kelamin = individu.jenis_kelamin if individu is not None else ""
    ppks.tanggal_identifikasi = tanggal
    ppks.deskripsi = _teks(data, "deskripsi")
    ppks.kebutuhan = _teks(data, "kebutuhan")
    ppks.status_penanganan = status_penanganan


def _dalam_cakupan(model, value, pelaku):
    """An Individu/Keluarga given as object, uuid or string, re-read through the scope and
    locked, so two simultaneous saves for one subject cannot both pass the duplicate check."""
    key = _uuid_kanonik(value)
    return _semua_dalam_cakupan(model, {key}, pelaku).get(key) if key else None


def _uuid_kanonik(value) -> str | None:
    """A record, a UUID or its text in any accepted spelling, as one key; None if it is none."""
    if value in (None, ""):
        return None
    try:
        return str(uuidlib.UUID(str(getattr(value, "uuid", value))))
    except ValueError:
        return None


def ppks_simpan(
    *,
    pelaku,
    ppks: PPKS | None = None,
    data: dict,
    versi: int | None = None,
    aksi_riwayat: str = "buat",
    catatan_riwayat: str = "",
    uuid=None,
) -> tuple[PPKS, list[str]]:
    """Create (ppks=None) or update one PPKS identification. Returns it with its plausibility
    warnings. Raises ValidationError (field → message), PermissionDenied, or RecordChanged when
    `versi` is older than the stored version. `aksi_riwayat`/`catatan_riwayat`: how the history
    row of a created record reads (the import writes "impor" and the file). `uuid`: the client's
    uuid of a new record; a record with it in the user's reach is returned as stored."""
    _cek_peran(pelaku, "ppks.catat")
    with transaction.atomic():
        if ppks is None or ppks.pk is None:
            if (uid := uuid_sah(uuid)) is not None:
                kunci_uuid(uid)
                ada = yang_tersimpan(ppks_visible(pelaku), PPKS, uid)
                if ada is not None:
                    return ada, kewajaran_ppks(ada)
            obj = PPKS(dibuat_oleh=pelaku, diubah_oleh=pelaku)
            if uid is not None:
                obj.uuid = uid
            sebelum = None
        else:
            obj = _kunci(ppks, versi, ppks_visible(pelaku))
            sebelum = snapshot_ppks(obj)
        _terapkan_ppks(obj, pelaku=pelaku, data=data)
        if obj.subjek == SubjekPPKS.KELOMPOK:
            # Serialises concurrent saves of groups in one desa (the duplicate check below).
            Wilayah.objects.select_for_update().filter(pk=obj.desa_id).first()
        _cek_ganda(obj)
        sesudah = snapshot_ppks(obj)
        if sebelum is None:
            obj.save()
            riwayat.catat_riwayat(
                obj=obj,
                pelaku=pelaku,
                aksi=aksi_riwayat,
                perubahan=riwayat.diff({}, sesudah),
                catatan=catatan_riwayat,
            )
        elif sebelum != sesudah:
            obj.diubah_oleh = pelaku
            obj.save()
            konten = set(riwayat.diff(sebelum, sesudah)) - {"status_penanganan"}
            _catat_perubahan(
                obj, pelaku=pelaku, sebelum=sebelum, sesudah=sesudah, verifikasi_ulang=bool(konten)
            )
            riwayat.naikkan_versi(obj, pelaku)
    return obj, kewajaran_ppks(obj)


def ppks_buat_banyak(
    *, pelaku, daftar: list[dict], aksi_riwayat: str = "buat", catatan_riwayat: str = ""
) -> list:
    """Create many PPKS identifications (the spreadsheet import), in the caller's transaction.

    Each is checked as ppks_simpan checks a new one; a refused one comes back as its
    ValidationError, the others as (PPKS, plausibility warnings). What ppks_simpan asks per record
    is asked once for the batch: the subjects, read through the scope and locked, and their open
    identifications (the duplicate check, which also covers two rows of the batch). Records and
    history go in with one INSERT per thousand. Groups go through ppks_simpan one by one: their
    duplicate check locks the desa."""
    _cek_peran(pelaku, "ppks.catat")
    kunci = {Individu: set(), Keluarga: set()}
    for data in daftar:
        for model, nama in ((Individu, "individu"), (Keluarga, "keluarga")):
            if data.get("subjek") == nama and (key := _uuid_kanonik(data.get(nama))):
                kunci[model].add(key)
    subjek = {model: _semua_dalam_cakupan(model, uuids, pelaku) for model, uuids in kunci.items()}
    terbuka = _identifikasi_terbuka(subjek[Individu].values(), subjek[Keluarga].values())

    def cari(model, value):
        key = _uuid_kanonik(value)
        return subjek[model].get(key) if key else None

    hasil: list = [None] * len(daftar)
    baru: list[tuple[int, PPKS]] = []
    for i, data in enumerate(daftar):
        try:
            if data.get("subjek") == SubjekPPKS.KELOMPOK:
                hasil[i] = ppks_simpan(
                    pelaku=pelaku,
                    data=data,
                    aksi_riwayat=aksi_riwayat,
                    catatan_riwayat=catatan_riwayat,
                )
                continue
            obj = PPKS(dibuat_oleh=pelaku, diubah_oleh=pelaku)
            _terapkan_ppks(obj, pelaku=pelaku, data=data, cari=cari)
            sama = (obj.subjek, obj.individu_id or obj.keluarga_id, obj.kategori_id)
            if sama in terbuka:
                raise _galat_ganda(obj)
        except ValidationError as error:
            hasil[i] = error
            continue
        terbuka.add(sama)
        baru.append((i, obj))
    PPKS.objects.bulk_create([obj for _, obj in baru], batch_size=1000)
    Riwayat.objects.bulk_create(
        [
            riwayat.riwayat_baru(
                obj=obj,
                pelaku=pelaku,
                aksi=aksi_riwayat,
                perubahan=riwayat.diff({}, snapshot_ppks(obj)),
                catatan=catatan_riwayat,
            )
            for _, obj in baru
        ],
        batch_size=1000,
    )
    for i, obj in baru:
        hasil[i] = (obj, kewajaran_ppks(obj))
    return hasil


def _semua_dalam_cakupan(model, uuids: set[str], pelaku) -> dict:
    """`_dalam_cakupan` for many: canonical uuid (`_uuid_kanonik`) -> record, read through the
    scope and locked."""
    sah = sorted(uuids)
    qs = (
        model.objects.for_user(pelaku)
        .select_related("desa", *(["keluarga"] if model is Individu else []))
        .select_for_update(of=("self",))
    )
    hasil = {}
    for awal in range(0, len(sah), 5000):
        for obj in qs.filter(uuid__in=sah[awal : awal + 5000]):
            hasil[str(obj.uuid)] = obj
    return hasil


def _identifikasi_terbuka(individu, keluarga) -> set[tuple]:
    """(subjek, subject id, category id) of the open identifications of these subjects: what
    _cek_ganda refuses."""
    ind = [i.pk for i in individu]
    kel = [k.pk for k in keluarga]
    if not (ind or kel):
        return set()
    rows = (
        PPKS.objects.exclude(status_penanganan=StatusPenanganan.SELESAI)
        .filter(
            Q(subjek=SubjekPPKS.INDIVIDU, individu_id__in=ind)
            | Q(subjek=SubjekPPKS.KELUARGA, keluarga_id__in=kel)
        )
        .values_list("subjek", "individu_id", "keluarga_id", "kategori_id")
    )
    return {(s, i or k, kat) for s, i, k, kat in rows}


def ppks_ubah_penanganan(
    *, pelaku, ppks: PPKS, status: str, catatan: str = "", versi: int | None = None
) -> PPKS:
    """Move the handling status (belum/dalam/dirujuk/selesai) and record why. Handling progress
    is not data content, so a verified record stays verified."""
    _cek_peran(pelaku, "ppks.penanganan")
    if status not in StatusPenanganan.values:
        raise ValidationError({"status_penanganan": "Pilih status penanganan."})
    with transaction.atomic():
        obj = _kunci(ppks, versi, ppks_visible(pelaku))
        if obj.status_penanganan == status:
            raise ValidationError(
                {
                    "status_penanganan": (
                        f"Status penanganan sudah {StatusPenanganan(status).label.lower()}."
                    )
                }
            )
        lama = obj.status_penanganan
        if lama == StatusPenanganan.SELESAI:
            # Re-opening: the category must not be open twice for the subject.
            obj.status_penanganan = status
            _cek_ganda(obj)
        obj.status_penanganan = status
        obj.diubah_oleh = pelaku
        obj.save(update_fields=["status_penanganan", "diubah_oleh", "diubah_pada"])
        riwayat.catat_riwayat(
            obj=obj,
            pelaku=pelaku,
            aksi="ubah",
            perubahan={"status_penanganan": [lama, status]},
            catatan=(catatan or "").strip(),
        )
        riwayat.naikkan_versi(obj, pelaku)
    ppks.status_penanganan, ppks.versi = obj.status_penanganan, obj.versi
    return obj


# --- PSKS ------------------------------------------------------------------------------------

_PSKS_POLOS = [
    "nama",
    "jenis",
    "alamat",
    "kontak_nama",
    "telepon",
    "kapasitas",
    "layanan",
    "aktif",
    "latitude",
    "longitude",
]
_JENIS_UNTUK_UNIT = {
    "individu": JenisPSKS.INDIVIDU,
    "lembaga": JenisPSKS.LEMBAGA,
    "keluarga": JenisPSKS.KELUARGA,
}


def snapshot_psks(psks: PSKS) -> dict:
    data = riwayat.snapshot(psks, _PSKS_POLOS)
    data["kategori"] = str(psks.kategori) if psks.kategori_id else None
    data["desa"] = psks.desa.nama_lengkap if psks.desa_id else None
    return data


def kewajaran_psks(psks: PSKS) -> list[str]:
    """Warning when the kind (perorangan/lembaga/keluarga) does not fit the category's unit."""
    harap = _JENIS_UNTUK_UNIT.get((psks.kategori.unit or "").strip().lower())
    if harap and psks.jenis and psks.jenis != harap:
        return [
            f"Kategori {psks.kategori.singkatan} ({psks.kategori.nama}) biasanya berjenis "
            f"{JenisPSKS(harap).label.lower()}, bukan {JenisPSKS(psks.jenis).label.lower()}."
        ]
    return []


def _terapkan_psks(psks: PSKS, *, pelaku, data: dict) -> None:
    errors: dict[str, str] = {}
    kategori = _kategori(KategoriPSKS, data.get("kategori"))
    if kategori is None:
        errors["kategori"] = "Pilih kategori PSKS."
    jenis = data.get("jenis")
    if jenis not in JenisPSKS.values:
        errors["jenis"] = "Pilih jenis: perorangan, lembaga atau keluarga."
    nama = _teks(data, "nama", 200)
    if not nama:
        errors["nama"] = "Isi nama."
    try:
        desa = _desa_dalam_cakupan(pelaku, data.get("desa"))
    except ValidationError as error:
        desa = None
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    try:
        telepon = normalisasi_telepon(data.get("telepon"))
    except ValidationError as error:
        telepon = ""
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    kapasitas = _angka(data, "kapasitas", errors)
    lintang, bujur = psks.latitude, psks.longitude
    if "latitude" in data or "longitude" in data:
        from peta.koordinat import periksa

        lintang, bujur, galat_titik = periksa(data.get("latitude"), data.get("longitude"))
        errors.update(galat_titik)
    if errors:
        raise ValidationError(errors)
    psks.latitude, psks.longitude = lintang, bujur
    psks.kategori = kategori
    psks.jenis = jenis
    psks.nama = nama
    psks.desa = desa
    psks.alamat = _teks(data, "alamat", 255)
    psks.kontak_nama = _teks(data, "kontak_nama", 150)
    psks.telepon = telepon
    psks.kapasitas = kapasitas
    psks.layanan = _teks(data, "layanan")
    psks.aktif = bool(data.get("aktif", psks.aktif if psks.pk else True))


def psks_simpan(
    *, pelaku, psks: PSKS | None = None, data: dict, versi: int | None = None, uuid=None
) -> tuple[PSKS, list[str]]:
    """Create (psks=None) or update one PSKS entry; returns it with its warnings. Same rules as
    ppks_simpan: scope, role, one transaction, history, stale versions refused, client uuid."""
    _cek_peran(pelaku, "ppks.catat")
    with transaction.atomic():
        if psks is None or psks.pk is None:
            if (uid := uuid_sah(uuid)) is not None:
                kunci_uuid(uid)
                ada = yang_tersimpan(PSKS.objects.for_user(pelaku), PSKS, uid)
                if ada is not None:
                    return ada, kewajaran_psks(ada)
            obj = PSKS(dibuat_oleh=pelaku, diubah_oleh=pelaku)
            if uid is not None:
                obj.uuid = uid
            sebelum = None
        else:
            obj = _kunci(psks, versi, PSKS.objects.for_user(pelaku))
            sebelum = snapshot_psks(obj)
        _terapkan_psks(obj, pelaku=pelaku, data=data)
        sesudah = snapshot_psks(obj)
        if sebelum is None:
            obj.save()
            riwayat.catat_riwayat(
                obj=obj, pelaku=pelaku, aksi="buat", perubahan=riwayat.diff({}, sesudah)
            )
        elif sebelum != sesudah:
            obj.diubah_oleh = pelaku
            obj.save()
            _catat_perubahan(
                obj, pelaku=pelaku, sebelum=sebelum, sesudah=sesudah, verifikasi_ulang=True
            )
            riwayat.naikkan_versi(obj, pelaku)
    return obj, kewajaran_psks(obj)
