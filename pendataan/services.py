"""Writes to households (Keluarga) and persons (Individu), verification transitions and the
duplicate NIK/No KK cases.

`keluarga_simpan` is the one code path for the web form, the spreadsheet import and the REST API:
it takes plain dicts (model field names), never forms. Validation errors are raised as
`ValidationError` keyed by field: household fields by their name (`"no_kk"`), a member's field as
`"anggota.<i>.<field>"` (i = position in the `anggota` list given), rules about the whole member
list as `"anggota"`. Messages are Indonesian and never contain a whole NIK/No KK.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from uuid import uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone

from pendataan.models import (
    PPKS,
    PSKS,
    Agama,
    AlasanKembali,
    AlasanTanpaNIK,
    Disabilitas,
    Hubungan,
    Individu,
    JenisKelamin,
    KasusGanda,
    Keluarga,
    Pendidikan,
    Riwayat,
    StatusHidup,
    StatusKasus,
    StatusKawin,
    StatusVerifikasi,
)
from pendataan.nik import periksa_nik, periksa_no_kk, peringatan_nik
from pendataan.riwayat import (
    TRANSISI,
    catat_riwayat,
    naikkan_versi,
    riwayat_baru,
    setelah_diubah,
    snapshot,
    transisi,
)
from tksk.audit import catat, catat_banyak
from tksk.kapabilitas import peran, wajib
from tksk.konkurensi import RecordChanged, cek_versi
from tksk.models import Tingkat, Wilayah
from tksk.privasi import samarkan
from tksk.transaksi import kunci_kecamatan, ulangi_jika_bentrok
from tksk.uuid_klien import kunci_uuid, uuid_sah, yang_tersimpan

__all__ = [
    "HasilSimpan",
    "RecordChanged",
    "TIPE_TERVERIFIKASI",
    "keluarga_simpan",
    "individu_tambah",
    "keluarga_periksa",
    "keluarga_buat_banyak",
    "verifikasi_massal",
    "kasus_selesaikan",
]

# Re-exported for one step: pendataan.impor still checks the role set (it asks boleh() next).
PERAN_PENDATA = peran("pendataan.ubah")
# Record types that go through verification, by the name used in URLs and forms.
TIPE_TERVERIFIKASI = {"keluarga": Keluarga, "ppks": PPKS, "psks": PSKS}
# Verification actions and the status each leads to.
AKSI_VERIFIKASI = {
    "ajukan": StatusVerifikasi.DIAJUKAN,
    "verifikasi": StatusVerifikasi.TERVERIFIKASI,
    "kembalikan": StatusVerifikasi.DIKEMBALIKAN,
}

KELUARGA_FIELDS = [
    "no_kk",
    "alasan_tanpa_kk",
    "desa",
    "alamat",
    "rt",
    "rw",
    "dusun",
    "latitude",
    "longitude",
]
INDIVIDU_FIELDS = [
    "nik",
    "alasan_tanpa_nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "hubungan",
    "agama",
    "pendidikan",
    "pekerjaan",
    "status_kawin",
    "disabilitas",
    "nama_ibu",
    "status_hidup",
]
_PILIHAN = {
    "alasan_tanpa_nik": AlasanTanpaNIK,
    "jenis_kelamin": JenisKelamin,
    "hubungan": Hubungan,
    "agama": Agama,
    "pendidikan": Pendidikan,
    "status_kawin": StatusKawin,
    "status_hidup": StatusHidup,
}
_WAJIB_INDIVIDU = {
    "nama": "Nama lengkap wajib diisi.",
    "jenis_kelamin": "Pilih jenis kelamin.",
    "hubungan": "Pilih hubungan dalam keluarga.",
}

PESAN_NIK_TERDAFTAR = "NIK ini sudah terdaftar."
PESAN_NIK_GANDA = (
    "NIK ini sudah terdaftar di wilayah lain. Kasus NIK ganda telah dibuat dan akan "
    "diselesaikan Dinas Sosial."
)
PESAN_KK_TERDAFTAR = "No KK ini sudah terdaftar."
PESAN_KK_GANDA = (
    "No KK ini sudah terdaftar di wilayah lain. Kasus No KK ganda telah dibuat dan akan "
    "diselesaikan Dinas Sosial."
)


@dataclass
class HasilSimpan:
    keluarga: Keluarga
    peringatan: list[str] = field(default_factory=list)
    kasus: list[KasusGanda] = field(default_factory=list)
    anggota: list[Individu] = field(default_factory=list)  # its members after the save


@dataclass
class _Bentrok:
    """A NIK or No KK that exists outside the acting user's area."""

    jenis: str  # "nik" | "no_kk"
    lama: object  # the existing Individu or Keluarga
    data_baru: dict
    desa_baru: Wilayah


class _Galat:
    """Collects field-keyed errors; raised at once so the user sees every problem in one go."""

    def __init__(self):
        self.errors: dict[str, list] = {}

    def add(self, key: str, error) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        self.errors.setdefault(key, []).extend(error.error_list)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _teks(value) -> str:
    return "" if value is None else str(value).strip()


def _tanggal(value):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())  # ValueError handled by the caller


def _desimal(value):
    if value in (None, ""):
        return None
    return Decimal(str(value).strip())


# --- households and persons -------------------------------------------------------------------


def _cek_pendata(pelaku) -> None:
    wajib(pelaku, "pendataan.ubah", "Peran Anda tidak dapat mengubah data keluarga.")


def _terapkan_keluarga(
    kel: Keluarga, data: dict, pelaku, galat: _Galat, diketahui: "_Diketahui | None" = None
) -> None:
    """Copy the given household fields onto `kel` (only the keys present), checking each."""
    if "desa" in data:
        desa = data["desa"]
        if not isinstance(desa, Wilayah) or desa.tingkat != Tingkat.DESA:
            galat.add("desa", "Pilih desa/kelurahan.")
        elif not (
            desa.pk in diketahui.desa_sah
            if diketahui is not None
            else Wilayah.objects.for_user(pelaku).filter(pk=desa.pk).exists()
        ):
            galat.add("desa", "Desa/kelurahan ini di luar wilayah tugas Anda.")
        else:
            kel.desa = desa
    elif kel.desa_id is None:
        galat.add("desa", "Pilih desa/kelurahan.")
    if "no_kk" in data:
        try:
            kel.no_kk = periksa_no_kk(data["no_kk"]) or None
        except ValidationError as error:
            galat.add("no_kk", error)
    for name in ["alasan_tanpa_kk", "alamat", "rt", "rw", "dusun"]:
        if name in data:
            setattr(kel, name, _teks(data[name]))
    for name in ["rt", "rw"]:
        value = getattr(kel, name)
        if value and not (value.isascii() and value.isdigit() and len(value) <= 3):
            galat.add(name, f"{name.upper()} diisi angka, paling banyak 3 digit (misalnya 004).")
    if kel.no_kk:
        kel.alasan_tanpa_kk = ""
    elif not kel.alasan_tanpa_kk and "no_kk" not in galat.errors:
        galat.add("no_kk", "Isi No KK, atau tulis alasan keluarga ini tidak memiliki KK.")
    if not kel.alamat:
        galat.add("alamat", "Alamat wajib diisi.")
    for name, batas in (("latitude", 90), ("longitude", 180)):
        if name in data:
            try:
                value = _desimal(data[name])
            except (InvalidOperation, ValueError):
                galat.add(name, "Koordinat harus berupa angka desimal (misalnya -2.2100).")
                continue
            if value is not None and not -batas <= value <= batas:
                galat.add(name, f"Koordinat harus di antara -{batas} dan {batas}.")
                continue
            setattr(kel, name, value.quantize(Decimal("0.000001")) if value is not None else None)
    if (kel.latitude is None) != (kel.longitude is None):
        galat.add("latitude", "Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")
    try:
        kel.clean_fields(
            exclude=[
                "desa",
                "no_kk",
                "latitude",
                "longitude",
                "diverifikasi_oleh",
                "dibuat_oleh",
                "diubah_oleh",
            ]
        )
    except ValidationError as error:
        for name, errors in error.error_dict.items():
            if name not in galat.errors:
                galat.add(name, ValidationError(errors))


def _terapkan_individu(ind: Individu, data: dict, kunci: str, galat: _Galat) -> None:
    """Copy the given member fields onto `ind` (only the keys present), checking each."""
    if "nik" in data:
        try:
            ind.nik = periksa_nik(data["nik"]) or None
        except ValidationError as error:
            galat.add(f"{kunci}.nik", error)
    for name in ["nama", "tempat_lahir", "pekerjaan", "nama_ibu", *_PILIHAN]:
        if name in data:
            setattr(ind, name, _teks(data[name]))
    if ind.nik:
        ind.alasan_tanpa_nik = ""
    if "tanggal_lahir" in data:
        try:
            ind.tanggal_lahir = _tanggal(data["tanggal_lahir"])
        except ValueError:
            galat.add(f"{kunci}.tanggal_lahir", "Tanggal lahir tidak valid.")
    if "disabilitas" in data:
        nilai = data["disabilitas"] or []
        if isinstance(nilai, str):
            nilai = [v.strip() for v in nilai.split(",") if v.strip()]
        salah = [v for v in nilai if v not in Disabilitas.values]
        if salah:
            galat.add(f"{kunci}.disabilitas", "Pilih jenis disabilitas dari daftar.")
        else:
            ind.disabilitas = [v for v in Disabilitas.values if v in nilai]
    if not ind.status_hidup:
        ind.status_hidup = StatusHidup.HIDUP
    for name, pesan in _WAJIB_INDIVIDU.items():
        if not getattr(ind, name):
            galat.add(f"{kunci}.{name}", pesan)
    for name, pilihan in _PILIHAN.items():
        value = getattr(ind, name)
        if value and value not in pilihan.values:
            galat.add(f"{kunci}.{name}", "Pilih salah satu pilihan yang tersedia.")
    if not ind.nik and not ind.alasan_tanpa_nik and f"{kunci}.nik" not in galat.errors:
        galat.add(
            f"{kunci}.alasan_tanpa_nik",
            "Isi NIK, atau pilih alasan orang ini belum memiliki NIK.",
        )
    if ind.tanggal_lahir and ind.tanggal_lahir > timezone.localdate():
        galat.add(f"{kunci}.tanggal_lahir", "Tanggal lahir tidak boleh di masa depan.")
    try:
        ind.clean_fields(exclude=["keluarga", "desa", "nik", "tanggal_lahir", "disabilitas"])
    except ValidationError as error:
        for name, errors in error.error_dict.items():
            if f"{kunci}.{name}" not in galat.errors:
                galat.add(f"{kunci}.{name}", ValidationError(errors))


def aturan_anggota(anggota: list[tuple[str | None, dict]]) -> dict[str, list[str]]:
    """Rules on the whole member list: exactly one living head, no NIK twice.

    `anggota` is (key or None, {"nik", "hubungan", "status_hidup"}) per member; the key is where a
    row-level error goes (None for members not being edited). Shared by the form and the service.
    """
    errors: dict[str, list[str]] = {}
    kepala = [
        kunci
        for kunci, a in anggota
        if a.get("hubungan") == Hubungan.KEPALA_KELUARGA
        and (a.get("status_hidup") or StatusHidup.HIDUP) == StatusHidup.HIDUP
    ]
    if not kepala:
        errors["anggota"] = [
            "Tentukan tepat satu anggota yang masih hidup sebagai Kepala Keluarga "
            "(kolom Hubungan dalam keluarga)."
        ]
    elif len(kepala) > 1:
        errors["anggota"] = [
            f"Satu keluarga hanya boleh memiliki satu Kepala Keluarga yang masih hidup; "
            f"saat ini ada {len(kepala)}. Ubah hubungan anggota lainnya."
        ]
        for kunci in kepala[1:]:
            if kunci is not None:
                errors.setdefault(f"{kunci}.hubungan", []).append(
                    "Sudah ada Kepala Keluarga lain di keluarga ini."
                )
    terlihat: set[str] = set()
    for kunci, a in anggota:
        nik = a.get("nik")
        if not nik:
            continue
        if nik in terlihat and kunci is not None:
            errors.setdefault(f"{kunci}.nik", []).append(
                "NIK ini sama dengan NIK anggota lain di keluarga ini."
            )
        terlihat.add(nik)
    return errors


def _data_kasus_individu(ind: Individu) -> dict:
    """What a NIK case keeps of the attempted member: everything but the NIK (the case links the
    existing person, who carries it)."""
    return snapshot(ind, [f for f in INDIVIDU_FIELDS if f != "nik"])


def _data_kasus_keluarga(kel: Keluarga, anggota: list[Individu]) -> dict:
    # Members are kept whole (NIK included) so the household can be recreated if needed.
    data = snapshot(kel, [f for f in KELUARGA_FIELDS if f != "no_kk"])
    data["no_kk"] = samarkan(kel.no_kk)
    data["anggota"] = [
        {**snapshot(a, [f for f in INDIVIDU_FIELDS if f != "nik"]), "nik": a.nik or ""}
        for a in anggota
    ]
    return data


def _penyelesai(desa_lama: Wilayah, desa_baru: Wilayah) -> Wilayah:
    """The lowest Dinas that supervises both areas: the kabupaten/kota if both are in it, else the
    province (of the existing record, if the two are in different provinces)."""
    if desa_lama.kabupaten_id and desa_lama.kabupaten_id == desa_baru.kabupaten_id:
        return desa_lama.kabupaten
    return desa_lama.provinsi


def _buka_kasus(*, pelaku, bentrok: _Bentrok, keluarga_baru: Keluarga | None) -> KasusGanda:
    """Open the case for a duplicate, or reuse the reporter's open case on the same record (a
    re-submitted form does not open a second one)."""
    if bentrok.jenis == "nik":
        lookup = {"individu_lama": bentrok.lama}
    else:
        lookup = {"keluarga_lama": bentrok.lama}
    kasus = (
        KasusGanda.objects.select_for_update()
        .filter(jenis=bentrok.jenis, pelapor=pelaku, status=StatusKasus.TERBUKA, **lookup)
        .first()
    )
    if kasus is None:
        kasus = KasusGanda.objects.create(
            jenis=bentrok.jenis,
            desa_baru=bentrok.desa_baru,
            data_baru=bentrok.data_baru,
            penyelesai=_penyelesai(bentrok.lama.desa, bentrok.desa_baru),
            pelapor=pelaku,
            keluarga_baru=keluarga_baru,
            **lookup,
        )
        catat(aksi="kasus_ganda_buka", pelaku=pelaku, objek=kasus, data={"jenis": kasus.jenis})
        return kasus
    kasus.data_baru, kasus.desa_baru = bentrok.data_baru, bentrok.desa_baru
    if keluarga_baru is not None:
        kasus.keluarga_baru = keluarga_baru
    kasus.save(update_fields=["data_baru", "desa_baru", "keluarga_baru"])
    return kasus


def _simpan_keluarga(kel: Keluarga) -> None:
    try:
        with transaction.atomic():
            kel.save()
    except IntegrityError:
        # Another user saved the same No KK between our check and this write.
        raise ValidationError({"no_kk": [PESAN_KK_TERDAFTAR]}) from None


def _perbarui_ringkasan(kel: Keluarga, anggota: list[Individu]) -> None:
    hidup = [a for a in anggota if a.status_hidup == StatusHidup.HIDUP]
    kepala = next((a for a in hidup if a.hubungan == Hubungan.KEPALA_KELUARGA), None)
    kel.nama_kepala = kepala.nama if kepala else ""
    kel.jumlah_anggota = len(hidup)


def _mentah(obj, fields) -> dict:
    """Raw field values (the desa as its id) to compare before and after a save."""
    return {f: getattr(obj, "desa_id" if f == "desa" else f) for f in fields}


def _samar(value):
    """A value as stored in history: JSON-ready, 16-digit numbers masked."""
    return snapshot(SimpleNamespace(v=value), ["v"])["v"]


def _perubahan(before_raw: dict, obj, fields) -> dict:
    """Per-field [old, new] with 16-digit numbers masked. Compared on the raw values, so that a
    corrected digit in the middle of a NIK is recorded even though both sides mask alike. For a
    new record (empty `before_raw`) only the filled fields are listed."""
    after_raw = _mentah(obj, fields)
    result = {}
    for f in fields:
        old, new = before_raw.get(f), after_raw[f]
        if old == new or (not before_raw and new in (None, "", [], StatusHidup.HIDUP)):
            continue
        old_s, new_s = _samar(old), _samar(new)
        if old_s == new_s:
            new_s = f"{new_s} (diubah)"
        result[f] = [old_s, new_s]
    return result


def keluarga_simpan(
    *,
    pelaku,
    keluarga: Keluarga | None = None,
    data: dict,
    anggota: list[dict],
    versi: int | None = None,
    lewati_nik_ganda: bool = False,
    kasus_terkait=(),
    aksi_riwayat: str = "buat",
    catatan_riwayat: str = "",
    uuid=None,
) -> HasilSimpan:
    """Create or update a household with its members in one transaction (all or nothing).

    `data` holds Keluarga fields (`desa` a Wilayah); `anggota` one dict per member with Individu
    fields, plus `"uuid"` for an existing member and `"hapus": True` to delete a mistakenly entered
    one. On update, keys left out keep their stored value and members left out stay as they are.
    `versi` is the version the user started from (stale → RecordChanged).

    A NIK or No KK that exists in the user's area is an error pointing to that record (error
    params: `keluarga_uuid`). One that exists elsewhere is an error that reveals nothing about the
    other record and opens a KasusGanda for the supervising Dinas (kept even though the save is
    refused). With `lewati_nik_ganda`, new members whose NIK exists elsewhere are left out and the
    rest is saved; the case then points to the saved household. `kasus_terkait`: uuids of the
    user's earlier cases for this entry, linked to the household once it is saved.
    `aksi_riwayat`/`catatan_riwayat`: how the history rows of created records read (the import
    writes "impor" and the file).
    `uuid`: the client's uuid for a new household. A household with that uuid in the user's area
    is returned as it is stored (a retried create makes no second one); one outside the area is
    refused as if missing. A new member may carry its client uuid as `"uuid_baru"`.
    """
    _cek_pendata(pelaku)
    bentrok: list[_Bentrok] = []
    uuid = uuid_sah(uuid) if keluarga is None else None
    try:
        with transaction.atomic():
            if uuid is not None:
                kunci_uuid(uuid)
                ada = yang_tersimpan(Keluarga.objects.for_user(pelaku), Keluarga, uuid)
                if ada is not None:
                    return HasilSimpan(keluarga=ada, anggota=list(ada.anggota.all()))
            rencana = _rencanakan(
                pelaku=pelaku,
                keluarga=keluarga,
                data=data,
                anggota=anggota,
                versi=versi,
                lewati_nik_ganda=lewati_nik_ganda,
                bentrok=bentrok,
                uuid=uuid,
            )
            return _tulis(
                rencana,
                pelaku=pelaku,
                kasus_terkait=kasus_terkait,
                bentrok=bentrok,
                aksi_riwayat=aksi_riwayat,
                catatan_riwayat=catatan_riwayat,
            )
    except ValidationError as error:
        _kasus_dari_bentrok(error, pelaku=pelaku, bentrok=bentrok, keluarga=keluarga)
        raise


def individu_tambah(*, pelaku, keluarga: Keluarga, data: dict, uuid=None) -> Individu:
    """Add one person to a stored household (keluarga_simpan does the checks and the writes).
    `uuid`: the client's uuid; a person with it in the user's area is returned as stored."""
    _cek_pendata(pelaku)
    uuid = uuid_sah(uuid) or uuid4()
    with transaction.atomic():
        kunci_uuid(uuid)
        ada = yang_tersimpan(Individu.objects.for_user(pelaku), Individu, uuid)
        if ada is not None:
            return ada
        item = {k: v for k, v in data.items() if k not in ("uuid", "hapus")}
        item["uuid_baru"] = str(uuid)
        hasil = keluarga_simpan(pelaku=pelaku, keluarga=keluarga, data={}, anggota=[item])
    return next(i for i in hasil.anggota if i.uuid == uuid)


def _kasus_dari_bentrok(error: ValidationError, *, pelaku, bentrok, keluarga) -> None:
    """The save is refused, but the Dinas must still learn about the duplicate. The cases ride
    on the error so the form can link them once the household is saved."""
    if bentrok:
        with transaction.atomic():
            error.kasus = [
                _buka_kasus(pelaku=pelaku, bentrok=b, keluarga_baru=keluarga) for b in bentrok
            ]


def keluarga_periksa(*, pelaku, data: dict, anggota: list[dict]) -> None:
    """Check a new household exactly as keluarga_simpan would, writing nothing and opening no
    case. Raises ValidationError keyed like keluarga_simpan's."""
    _cek_pendata(pelaku)
    _rencanakan(pelaku=pelaku, data=data, anggota=anggota, bentrok=[])


# Rows per INSERT of a bulk write.
_BATCH = 1000


def keluarga_buat_banyak(
    *, pelaku, daftar: list[tuple[dict, list[dict]]], aksi_riwayat="buat", catatan_riwayat=""
) -> list[HasilSimpan | ValidationError]:
    """Create many new households with their members (the spreadsheet import), in the caller's
    transaction. Each is checked exactly as keluarga_simpan checks it; a refused one comes back as
    its ValidationError, with the duplicate cases opened as keluarga_simpan opens them. The valid
    ones are written with a few INSERTs per table instead of some twenty statements each (and the
    summary triggers, which run per statement, fire a few times instead of thousands).

    Should the write meet a NIK or No KK saved meanwhile by someone else, the valid households are
    saved one by one through keluarga_simpan instead, which refuses that one alone."""
    _cek_pendata(pelaku)
    hasil: list = [None] * len(daftar)
    siap: list[tuple[int, _Rencana]] = []
    diketahui = _Diketahui.untuk(pelaku, daftar)
    for i, (data, anggota) in enumerate(daftar):
        bentrok: list[_Bentrok] = []
        try:
            rencana = _rencanakan(
                pelaku=pelaku, data=data, anggota=anggota, bentrok=bentrok, diketahui=diketahui
            )
        except ValidationError as error:
            _kasus_dari_bentrok(error, pelaku=pelaku, bentrok=bentrok, keluarga=None)
            hasil[i] = error
        else:
            siap.append((i, rencana))
    try:
        with transaction.atomic():
            _tulis_baru_banyak(
                [r for _, r in siap], pelaku=pelaku, aksi=aksi_riwayat, catatan=catatan_riwayat
            )
    except IntegrityError:
        for i, _ in siap:
            data, anggota = daftar[i]
            try:
                hasil[i] = keluarga_simpan(
                    pelaku=pelaku,
                    data=data,
                    anggota=anggota,
                    aksi_riwayat=aksi_riwayat,
                    catatan_riwayat=catatan_riwayat,
                )
            except ValidationError as error:
                hasil[i] = error
        return hasil
    for i, rencana in siap:
        anggota = [ind for _, ind in rencana.akhir]
        hasil[i] = HasilSimpan(
            keluarga=rencana.kel, peringatan=_peringatan(anggota), anggota=anggota
        )
    return hasil


@dataclass
class _Diketahui:
    """What the checks of a batch of new households would ask the database one household at a
    time, asked once: which of its NIKs and No KKs exist, which of its desa are in scope. Only a
    number found here is looked up again (with the owner's area, as for a single save)."""

    nik_ada: set[str]
    kk_ada: set[str]
    desa_sah: set[int]

    @classmethod
    def untuk(cls, pelaku, daftar: list[tuple[dict, list[dict]]]) -> "_Diketahui":
        nik, kk, desa = set(), set(), set()
        for data, anggota in daftar:
            kk.add(_nomor_sah(periksa_no_kk, data.get("no_kk")))
            if isinstance(data.get("desa"), Wilayah):
                desa.add(data["desa"].pk)
            nik.update(_nomor_sah(periksa_nik, a.get("nik")) for a in anggota)
        nik.discard(None)
        kk.discard(None)
        sah = Wilayah.objects.for_user(pelaku).filter(pk__in=desa).values_list("pk", flat=True)
        return cls(
            nik_ada=_yang_ada(Individu.objects.all(), "nik", nik),
            kk_ada=_yang_ada(Keluarga.objects.all(), "no_kk", kk),
            desa_sah=set(sah),
        )


def _nomor_sah(periksa, value) -> str | None:
    try:
        return periksa(value) or None
    except ValidationError:
        return None  # the check of that household reports it


def _yang_ada(qs, kolom: str, nilai: set[str]) -> set[str]:
    urut, ada = sorted(nilai), set()
    for i in range(0, len(urut), 5000):
        ada.update(qs.filter(**{f"{kolom}__in": urut[i : i + 5000]}).values_list(kolom, flat=True))
    return ada


def _tulis_baru_banyak(semua: list["_Rencana"], *, pelaku, aksi: str, catatan: str) -> None:
    """Write checked new households: what _tulis does for each, in bulk."""
    if not semua:
        return
    for r in semua:
        _perbarui_ringkasan(r.kel, [ind for _, ind in r.akhir])
    Keluarga.objects.bulk_create([r.kel for r in semua], batch_size=_BATCH)
    individu = []
    for r in semua:
        for _, ind in r.akhir:
            ind.keluarga, ind.desa = r.kel, r.kel.desa
            individu.append(ind)
    Individu.objects.bulk_create(individu, batch_size=_BATCH)
    riwayat = []
    for r in semua:
        riwayat.append(
            riwayat_baru(
                obj=r.kel,
                pelaku=pelaku,
                aksi=aksi,
                perubahan=_perubahan({}, r.kel, KELUARGA_FIELDS),
                catatan=catatan,
            )
        )
        riwayat += [
            riwayat_baru(
                obj=ind,
                pelaku=pelaku,
                aksi=aksi,
                perubahan=_perubahan({}, ind, INDIVIDU_FIELDS),
                keluarga_uuid=r.kel.uuid,
                catatan=catatan,
            )
            for _, ind in r.akhir
        ]
    Riwayat.objects.bulk_create(riwayat, batch_size=_BATCH)
    catat_banyak(
        aksi="keluarga_buat",
        pelaku=pelaku,
        objek_data=[
            (r.kel, {"anggota": len(r.akhir), "dihapus": 0, "impor": aksi == "impor"})
            for r in semua
        ],
    )


def _peringatan(anggota: list[Individu]) -> list[str]:
    return [
        f"{ind.nama}: {pesan}"
        for ind in anggota
        for pesan in peringatan_nik(
            ind.nik or "", tanggal_lahir=ind.tanggal_lahir, jenis_kelamin=ind.jenis_kelamin
        )
    ]


@dataclass
class _Rencana:
    """A household save that passed every check and is ready to be written."""

    kel: Keluarga
    baru: bool
    sebelum_kel: dict
    sebelum_ind: dict[str, dict]
    # Members after the save: (error key of the member's form row, or None if untouched; person)
    akhir: list[tuple[str | None, Individu]]
    hapus: list[tuple[str, Individu]]


def _rencanakan(
    *,
    pelaku,
    data,
    anggota,
    bentrok,
    keluarga=None,
    versi=None,
    lewati_nik_ganda=False,
    diketahui=None,
    uuid=None,
) -> _Rencana:
    """Apply `data`/`anggota` to the household (a new one without `keluarga`) in memory and run
    every check; reads only. Fills `bentrok` with duplicates found outside the user's area.
    `diketahui`: the answers to the per-household lookups, asked once for a whole batch
    (keluarga_buat_banyak)."""
    galat = _Galat()
    baru = keluarga is None
    if baru:
        kel = Keluarga(dibuat_oleh=pelaku, diubah_oleh=pelaku)
        if uuid is not None:
            kel.uuid = uuid
        sebelum_kel: dict = {}
        tersimpan: dict[str, Individu] = {}
    else:
        if not Keluarga.objects.for_user(pelaku).filter(pk=keluarga.pk).exists():
            raise PermissionDenied("Keluarga ini di luar wilayah tugas Anda.")
        kel = Keluarga.objects.select_for_update().get(pk=keluarga.pk)
        cek_versi(kel, versi)
        sebelum_kel = _mentah(kel, KELUARGA_FIELDS)
        tersimpan = {
            str(a.uuid): a for a in Individu.objects.select_for_update().filter(keluarga=kel)
        }

    _terapkan_keluarga(kel, data, pelaku, galat, diketahui)

    # Members: apply each dict to a stored or a new Individu.
    sebelum_ind: dict[str, dict] = {a: _mentah(i, INDIVIDU_FIELDS) for a, i in tersimpan.items()}
    disentuh: dict[str, str] = {}  # uuid -> key of stored members that this save edits
    hapus: list[tuple[str, Individu]] = []
    tambah: list[tuple[str, Individu]] = []
    for i, item in enumerate(anggota):
        kunci = f"anggota.{i}"
        uid = _teks(item.get("uuid"))
        if uid:
            ind = tersimpan.get(uid)
            if ind is None:
                galat.add(kunci, "Anggota ini tidak ditemukan di keluarga ini. Muat ulang halaman.")
                continue
            disentuh[uid] = kunci
            if item.get("hapus"):
                hapus.append((kunci, ind))
                continue
        else:
            if item.get("hapus"):
                continue
            ind = Individu(status_hidup=StatusHidup.HIDUP)
            baru_uuid = uuid_sah(item.get("uuid_baru"))
            if baru_uuid is not None:
                if Individu.objects.filter(uuid=baru_uuid).exists():
                    galat.add(kunci, "Anggota ini sudah tersimpan di keluarga lain.")
                    continue
                ind.uuid = baru_uuid
            tambah.append((kunci, ind))
        _terapkan_individu(ind, item, kunci, galat)

    for kunci, ind in hapus:
        if PPKS.objects.filter(individu=ind).exists():
            galat.add(
                f"{kunci}.hapus",
                "Anggota ini tercatat dalam data PPKS sehingga tidak dapat dihapus. Jika orang "
                "ini sudah pindah atau meninggal, ubah statusnya.",
            )

    # Uniqueness across the whole database.
    dihapus = {id(i) for _, i in hapus}
    akhir: list[tuple[str | None, Individu]] = [
        (disentuh.get(uid), ind) for uid, ind in tersimpan.items() if id(ind) not in dihapus
    ] + tambah
    sendiri = [i.pk for i in tersimpan.values()]
    nik_baru = {
        ind.nik: kunci
        for kunci, ind in akhir
        if ind.nik
        and kunci is not None
        and (ind.pk is None or sebelum_ind[str(ind.uuid)]["nik"] != ind.nik)
    }
    if nik_baru and (diketahui is None or not diketahui.nik_ada.isdisjoint(nik_baru)):
        ada = Individu.objects.filter(nik__in=nik_baru).exclude(pk__in=sendiri)
        ada = list(ada.select_related("keluarga", "desa__kabupaten", "desa__provinsi"))
        terlihat = set(
            Individu.objects.for_user(pelaku)
            .filter(pk__in=[a.pk for a in ada])
            .values_list("pk", flat=True)
        )
        dilewati = set()
        for lama in ada:
            kunci = nik_baru[lama.nik]
            ind = next(i for k, i in akhir if k == kunci)
            if lama.pk in terlihat:
                galat.add(
                    f"{kunci}.nik",
                    ValidationError(
                        PESAN_NIK_TERDAFTAR,
                        code="nik_terdaftar",
                        params={"keluarga_uuid": str(lama.keluarga.uuid)},
                    ),
                )
                continue
            if not kel.desa_id:
                # No valid desa yet: the case is opened once the form is otherwise right.
                galat.add(f"{kunci}.nik", ValidationError(PESAN_NIK_GANDA, code="nik_ganda"))
                continue
            bentrok.append(_Bentrok("nik", lama, _data_kasus_individu(ind), kel.desa))
            if ind.pk is None and lewati_nik_ganda:
                dilewati.add(id(ind))
            else:
                galat.add(f"{kunci}.nik", ValidationError(PESAN_NIK_GANDA, code="nik_ganda"))
        if dilewati:
            akhir = [(k, i) for k, i in akhir if id(i) not in dilewati]

    if (
        kel.no_kk
        and kel.no_kk != sebelum_kel.get("no_kk")
        and (diketahui is None or kel.no_kk in diketahui.kk_ada)
    ):
        lama = (
            Keluarga.objects.filter(no_kk=kel.no_kk)
            .exclude(pk=kel.pk)
            .select_related("desa__kabupaten", "desa__provinsi")
            .first()
        )
        if lama is not None:
            if Keluarga.objects.for_user(pelaku).filter(pk=lama.pk).exists():
                galat.add(
                    "no_kk",
                    ValidationError(
                        PESAN_KK_TERDAFTAR,
                        code="no_kk_terdaftar",
                        params={"keluarga_uuid": str(lama.uuid)},
                    ),
                )
            else:
                galat.add("no_kk", ValidationError(PESAN_KK_GANDA, code="no_kk_ganda"))
                if kel.desa_id:
                    bentrok.append(
                        _Bentrok(
                            "no_kk",
                            lama,
                            _data_kasus_keluarga(kel, [i for _, i in akhir]),
                            kel.desa,
                        )
                    )

    for key, messages in aturan_anggota(
        [
            (k, {"nik": i.nik, "hubungan": i.hubungan, "status_hidup": i.status_hidup})
            for k, i in akhir
        ]
    ).items():
        for message in messages:
            galat.add(key, message)

    # A household-level case without a household is re-raised after the rollback; a NIK case
    # skipped with lewati_nik_ganda is opened below, once the household exists.
    galat.raise_if_any()
    return _Rencana(
        kel=kel,
        baru=baru,
        sebelum_kel=sebelum_kel,
        sebelum_ind=sebelum_ind,
        akhir=akhir,
        hapus=hapus,
    )


def _tulis(
    rencana: _Rencana, *, pelaku, kasus_terkait, bentrok, aksi_riwayat, catatan_riwayat
) -> HasilSimpan:
    kel, baru, akhir, hapus = rencana.kel, rencana.baru, rencana.akhir, rencana.hapus
    sebelum_kel, sebelum_ind = rencana.sebelum_kel, rencana.sebelum_ind
    anggota_akhir = [i for _, i in akhir]
    ringkasan_lama = (kel.nama_kepala, kel.jumlah_anggota)
    _perbarui_ringkasan(kel, anggota_akhir)
    if baru:
        _simpan_keluarga(kel)
        catat_riwayat(
            obj=kel,
            pelaku=pelaku,
            aksi=aksi_riwayat,
            perubahan=_perubahan({}, kel, KELUARGA_FIELDS),
            catatan=catatan_riwayat,
        )
    berubah = baru

    for _kunci, ind in hapus:
        catat_riwayat(
            obj=ind,
            pelaku=pelaku,
            aksi="hapus",
            keluarga_uuid=kel.uuid,
            perubahan={
                f: [v, None] for f, v in snapshot(ind, INDIVIDU_FIELDS).items() if v not in ("", [])
            },
            catatan="Dihapus karena salah input.",
        )
        ind.delete()
        berubah = True
    for kunci, ind in akhir:
        desa_pindah = ind.desa_id != kel.desa_id
        ind.keluarga, ind.desa = kel, kel.desa
        if kunci is None:
            # A member this save does not edit: only keep its copy of the desa in step.
            if desa_pindah:
                ind.save(update_fields=["desa", "diubah_pada"])
            continue
        is_new = ind.pk is None
        sebelum = {} if is_new else sebelum_ind[str(ind.uuid)]
        perubahan = _perubahan(sebelum, ind, INDIVIDU_FIELDS)
        if not (is_new or perubahan or desa_pindah):
            continue  # untouched: no write, no history
        try:
            with transaction.atomic():
                ind.save()
        except IntegrityError:
            raise ValidationError({f"{kunci}.nik": [PESAN_NIK_TERDAFTAR]}) from None
        if is_new or perubahan:
            catat_riwayat(
                obj=ind,
                pelaku=pelaku,
                aksi=aksi_riwayat if is_new else "ubah",
                perubahan=perubahan,
                keluarga_uuid=kel.uuid,
                catatan=catatan_riwayat if is_new else "",
            )
            berubah = True

    if not baru:
        perubahan = _perubahan(sebelum_kel, kel, KELUARGA_FIELDS)
        if perubahan or berubah or ringkasan_lama != (kel.nama_kepala, kel.jumlah_anggota):
            berubah = True
            # A change to a verified household sends it back for verification.
            dari = setelah_diubah(kel)
            kel.diubah_oleh = pelaku
            _simpan_keluarga(kel)
            if perubahan:
                catat_riwayat(obj=kel, pelaku=pelaku, aksi="ubah", perubahan=perubahan)
            if dari:
                catat_riwayat(
                    obj=kel,
                    pelaku=pelaku,
                    aksi="transisi",
                    status_dari=dari,
                    status_ke=kel.status,
                    catatan="Data diubah setelah diverifikasi; perlu diverifikasi ulang.",
                )
            naikkan_versi(kel, pelaku)

    kasus = [_buka_kasus(pelaku=pelaku, bentrok=b, keluarga_baru=kel) for b in bentrok]
    if kasus_terkait:
        terkait = KasusGanda.objects.filter(
            uuid__in=[str(u) for u in kasus_terkait],
            pelapor=pelaku,
            status=StatusKasus.TERBUKA,
            jenis="nik",
            keluarga_baru__isnull=True,
        )
        for k in terkait:
            k.keluarga_baru = kel
            k.save(update_fields=["keluarga_baru"])
            kasus.append(k)

    peringatan = _peringatan(anggota_akhir)
    if berubah:
        catat(
            aksi="keluarga_buat" if baru else "keluarga_ubah",
            pelaku=pelaku,
            objek=kel,
            data={"anggota": len(anggota_akhir), "dihapus": len(hapus)},
        )
    return HasilSimpan(keluarga=kel, peringatan=peringatan, kasus=kasus, anggota=anggota_akhir)


# --- verification -----------------------------------------------------------------------------


def kapabilitas_aksi(aksi: str) -> str:
    """The capability a verification action needs (the one of the moves into its status)."""
    ke = AKSI_VERIFIKASI[aksi]
    return next(kapabilitas for (_, tujuan), kapabilitas in TRANSISI.items() if tujuan == ke)


@ulangi_jika_bentrok
def verifikasi_massal(
    *, pelaku, objek: list, aksi: str, alasan: str = "", catatan: str = ""
) -> dict[str, int]:
    """Submit, verify or return several records (Keluarga, PPKS, PSKS) in one transaction
    (run again whole if PostgreSQL aborts it for a deadlock with another batch).

    Records whose status does not allow the action are skipped and counted; a role that may not
    take the action, or a record outside the user's area, refuses the whole batch.
    Returns {"berhasil": n, "dilewati": m}.
    """
    if aksi not in AKSI_VERIFIKASI:
        raise ValidationError({"aksi": "Tindakan verifikasi tidak dikenal."})
    wajib(pelaku, kapabilitas_aksi(aksi))
    catatan = _teks(catatan)
    if aksi == "kembalikan":
        if not alasan:
            raise ValidationError({"alasan": "Pilih alasan pengembalian."})
        if alasan not in AlasanKembali.values:
            raise ValidationError({"alasan": "Pilih alasan pengembalian dari daftar."})
    else:
        alasan = ""
    ke = AKSI_VERIFIKASI[aksi]
    per_model: dict = {}
    for obj in objek:
        per_model.setdefault(type(obj), []).append(obj.pk)
    hasil = {"berhasil": 0, "dilewati": 0}
    with transaction.atomic():
        desa = {obj.desa_id for obj in objek}
        kunci_kecamatan(Wilayah.objects.filter(pk__in=desa).values_list("kecamatan_id", flat=True))
        for model, pks in per_model.items():
            terkunci = list(
                # of=self: the scope filter joins Wilayah, whose rows must not be locked.
                model.objects.for_user(pelaku)
                .select_for_update(of=("self",))
                .filter(pk__in=pks)
                .order_by("pk")
            )
            if len(terkunci) != len(set(pks)):
                raise PermissionDenied("Sebagian data di luar wilayah tugas Anda.")
            for obj in terkunci:
                if (obj.status, ke) not in TRANSISI:
                    hasil["dilewati"] += 1
                    continue
                transisi(obj, pelaku=pelaku, ke=ke, alasan=alasan, catatan=catatan)
                # A form opened before the status change is stale now: its save is told.
                model.objects.filter(pk=obj.pk).update(versi=F("versi") + 1, diubah_pada=Now())
                hasil["berhasil"] += 1
            catat(
                aksi=f"verifikasi_{aksi}",
                pelaku=pelaku,
                data={
                    "tipe": model._meta.model_name,
                    "jumlah": len(terkunci),
                    "alasan": alasan,
                },
            )
    return hasil


# --- duplicate cases --------------------------------------------------------------------------


def kasus_selesaikan(*, pelaku, kasus: KasusGanda, aksi: str, catatan: str) -> KasusGanda:
    """Resolve a duplicate NIK/No KK case.

    "mutasi": the existing record moves to the reporter's side (a person into the reporter's
    household; a household into the reporter's desa), recorded in every record's history.
    "tolak": the new entry is rejected; nothing moves. Both need a note.
    """
    wajib(pelaku, "pendataan.kasus", "Peran Anda tidak dapat menyelesaikan kasus data ganda.")
    if aksi not in ("mutasi", "tolak"):
        raise ValidationError({"aksi": "Pilih mutasi atau tolak."})
    catatan = _teks(catatan)
    if not catatan:
        raise ValidationError({"catatan": "Tulis catatan penyelesaian (dasar keputusan)."})
    with transaction.atomic():
        kasus = (
            KasusGanda.objects.for_user(pelaku)
            .select_for_update(of=("self",))
            .filter(pk=kasus.pk)
            .first()
        )
        if kasus is None:
            raise PermissionDenied("Kasus ini di luar wilayah Anda.")
        if kasus.status != StatusKasus.TERBUKA:
            raise ValidationError("Kasus ini sudah diselesaikan.")
        if aksi == "mutasi":
            if kasus.jenis == "nik":
                _mutasi_individu(pelaku=pelaku, kasus=kasus, catatan=catatan)
            else:
                _mutasi_keluarga(pelaku=pelaku, kasus=kasus, catatan=catatan)
            kasus.status = StatusKasus.MUTASI
        else:
            if kasus.keluarga_baru_id:
                catat_riwayat(
                    obj=kasus.keluarga_baru,
                    pelaku=pelaku,
                    aksi="kasus_ganda",
                    catatan=f"Entri {kasus.get_jenis_display()} ganda ditolak Dinas Sosial: "
                    f"{catatan}",
                )
            kasus.status = StatusKasus.DITOLAK
        kasus.diselesaikan_oleh, kasus.diselesaikan_pada = pelaku, timezone.now()
        kasus.catatan = catatan
        kasus.save(update_fields=["status", "diselesaikan_oleh", "diselesaikan_pada", "catatan"])
        catat(
            aksi="kasus_ganda_selesai",
            pelaku=pelaku,
            objek=kasus,
            data={"hasil": aksi, "jenis": kasus.jenis},
        )
    return kasus


def _setelah_mutasi(kel: Keluarga, pelaku) -> None:
    """A household changed by a resolution: summary fields, re-verification, new version."""
    anggota = list(Individu.objects.filter(keluarga=kel))
    _perbarui_ringkasan(kel, anggota)
    kel.save(update_fields=["nama_kepala", "jumlah_anggota", "diubah_pada"])
    dari = setelah_diubah(kel)
    if dari:
        kel.save(update_fields=["status"])
        catat_riwayat(
            obj=kel,
            pelaku=pelaku,
            aksi="transisi",
            status_dari=dari,
            status_ke=kel.status,
            catatan="Susunan keluarga berubah karena mutasi; perlu diverifikasi ulang.",
        )
    naikkan_versi(kel, pelaku)


def _mutasi_individu(*, pelaku, kasus: KasusGanda, catatan: str) -> None:
    if kasus.keluarga_baru_id is None or kasus.individu_lama_id is None:
        raise ValidationError(
            "Mutasi belum dapat dilakukan: keluarga pelapor belum disimpan. Tolak kasus ini, "
            "atau tunggu sampai TKSK menyimpan keluarganya."
        )
    ind = Individu.objects.select_for_update().get(pk=kasus.individu_lama_id)
    asal = Keluarga.objects.select_for_update().get(pk=ind.keluarga_id)
    tujuan = Keluarga.objects.select_for_update().get(pk=kasus.keluarga_baru_id)
    if asal.pk == tujuan.pk:
        raise ValidationError("Orang ini sudah menjadi anggota keluarga tujuan.")
    sebelum = _mentah(ind, INDIVIDU_FIELDS)
    hubungan = kasus.data_baru.get("hubungan") or Hubungan.LAINNYA
    if hubungan not in Hubungan.values:
        hubungan = Hubungan.LAINNYA
    ada_kepala = (
        Individu.objects.filter(keluarga=tujuan, hubungan=Hubungan.KEPALA_KELUARGA).hidup().exists()
    )
    if hubungan == Hubungan.KEPALA_KELUARGA and ada_kepala:
        hubungan = Hubungan.LAINNYA
    ind.keluarga, ind.desa, ind.hubungan = tujuan, tujuan.desa, hubungan
    ind.save()
    perubahan = _perubahan(sebelum, ind, INDIVIDU_FIELDS)
    perubahan["keluarga"] = ["(keluarga asal)", "(keluarga tujuan)"]
    catat_riwayat(
        obj=ind,
        pelaku=pelaku,
        aksi="mutasi",
        keluarga_uuid=tujuan.uuid,
        perubahan=perubahan,
        catatan=f"Masuk ke keluarga ini melalui penyelesaian kasus NIK ganda: {catatan}",
    )
    catat_riwayat(
        obj=asal,
        pelaku=pelaku,
        aksi="mutasi",
        perubahan={"anggota_keluar": [ind.nama, None]},
        catatan=f"Anggota {ind.nama} dipindahkan ke keluarga lain oleh Dinas Sosial: {catatan}",
    )
    catat_riwayat(
        obj=tujuan,
        pelaku=pelaku,
        aksi="mutasi",
        perubahan={"anggota_masuk": [None, ind.nama]},
        catatan=f"Anggota {ind.nama} masuk dari keluarga lain oleh Dinas Sosial: {catatan}",
    )
    _setelah_mutasi(asal, pelaku)
    _setelah_mutasi(tujuan, pelaku)


def _mutasi_keluarga(*, pelaku, kasus: KasusGanda, catatan: str) -> None:
    kel = Keluarga.objects.select_for_update().get(pk=kasus.keluarga_lama_id)
    desa_lama = kel.desa_id
    kel.desa = kasus.desa_baru
    kel.save(update_fields=["desa", "diubah_pada"])
    Individu.objects.filter(keluarga=kel).update(desa=kasus.desa_baru)
    for ind in Individu.objects.filter(keluarga=kel):
        catat_riwayat(
            obj=ind,
            pelaku=pelaku,
            aksi="mutasi",
            keluarga_uuid=kel.uuid,
            perubahan={"desa": [desa_lama, kel.desa_id]},
            catatan="Pindah bersama keluarganya (penyelesaian kasus No KK ganda).",
        )
    catat_riwayat(
        obj=kel,
        pelaku=pelaku,
        aksi="mutasi",
        perubahan={"desa": [desa_lama, kel.desa_id]},
        catatan=f"Keluarga dipindahkan melalui penyelesaian kasus No KK ganda: {catatan}",
    )
    _setelah_mutasi(kel, pelaku)
