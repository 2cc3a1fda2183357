"""Reads for households, persons, verification, history and duplicate cases. Every query starts
from the user's scope (`for_user`)."""

import re
from datetime import date

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pendataan.models import (
    PPKS,
    PSKS,
    AlasanKembali,
    Hubungan,
    Individu,
    KasusGanda,
    Keluarga,
    Lipat,
    Riwayat,
    StatusKasus,
    StatusVerifikasi,
)
from pendataan.nik import peringatan_nik
from tksk.models import Wilayah
from tksk.privasi import samarkan

TIPE = {"keluarga": Keluarga, "ppks": PPKS, "psks": PSKS}
TIPE_LABEL = {"keluarga": "Keluarga", "ppks": "PPKS", "psks": "PSKS"}

_NOMOR = re.compile(r"^[0-9\s.\-]+$")


def url_atau_none(name: str, *args) -> str | None:
    """A URL of another part of the module that may not exist yet (PPKS/PSKS pages)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- households and persons -------------------------------------------------------------------


def keluarga_untuk(user):
    perlu_rujukan = Individu.objects.filter(keluarga=OuterRef("pk"), nik__isnull=True).hidup()
    return (
        Keluarga.objects.for_user(user)
        .select_related("desa", "desa__kecamatan")
        .annotate(ada_tanpa_nik=Exists(perlu_rujukan))
    )


def individu_untuk(user):
    return Individu.objects.for_user(user).select_related("desa", "desa__kecamatan", "keluarga")


def pencarian(q: str) -> tuple[str, str | None, str | None]:
    """Split a search box value into (name, full number, message).

    NIK and No KK are found by the whole 16-digit number only (their unique indexes): a partial
    number matches nothing, so the list cannot be used to guess numbers digit by digit. A name
    needs at least MIN_NAMA characters, what the trigram index can look up (a shorter one would
    read every row).
    """
    q = (q or "").strip()[:100]
    if not q:
        return "", None, None
    if _NOMOR.match(q):
        digits = re.sub(r"\D", "", q)
        if len(digits) == 16:
            return "", digits, None
        return "", "", "Cari NIK atau No KK dengan 16 digit lengkap; nomor sebagian tidak dicari."
    if len(q) < MIN_NAMA:
        return "", "", f"Ketik sedikitnya {MIN_NAMA} huruf nama untuk mencari."
    return q, None, None


MIN_NAMA = 3
# A name search takes at most this many matches in the user's scope; past it the page says so
# and asks for a narrower search, and no request reads every "Siti" of the province.
BATAS_HASIL = 1000
BATAS_HASIL_TEKS = f"{BATAS_HASIL:,}".replace(",", ".")


def pesan_terpotong(apa: str) -> str:
    return (
        f"Lebih dari {BATAS_HASIL_TEKS} {apa} cocok dengan nama ini; yang ditampilkan hanya "
        f"{BATAS_HASIL_TEKS} di antaranya. Persempit pencarian: ketik nama lebih lengkap atau "
        "saring menurut desa/kecamatan."
    )


def cocok_nama(nama: str) -> Lipat:
    """The typed name folded the same way as the stored names (upper case, no accents), for
    `<folded column>__contains`: "andre" finds "André", anywhere in the name."""
    return Lipat(Value(nama))


def individu_bernama(nama: str, user=None):
    """Persons whose name contains `nama`, through the trigram index on Individu.nama_cari: in
    the user's scope, or all of them to narrow an already scoped queryset."""
    base = Individu.objects.for_user(user) if user is not None else Individu.objects.all()
    return base.filter(nama_cari__contains=cocok_nama(nama))


def _terbatas(ids) -> tuple[list[int], bool]:
    ids = list(ids[: BATAS_HASIL + 1])
    return ids[:BATAS_HASIL], len(ids) > BATAS_HASIL


def _rumah_terbatas(keluarga_ids) -> tuple[list[int], bool]:
    """At most BATAS_HASIL distinct households from the matching persons' keluarga_id. Not with
    DISTINCT: for that the planner walks the keluarga_id index filtering every person (0.16 s
    for "ana" in a kabupaten); a plain LIMIT reads the matches as the indexes give them."""
    batas = 2 * BATAS_HASIL + 1
    baris = list(keluarga_ids[:batas])
    ids = list(dict.fromkeys(baris))
    return ids[:BATAS_HASIL], len(ids) > BATAS_HASIL or len(baris) == batas


class PaginatorCari(Paginator):
    """Pages of search results (at most BATAS_HASIL rows) cut from their ordered ids, the page's
    rows then read from `baris` (the list's scoped base queryset) by id.

    Asked for one page (ORDER BY … LIMIT 50) of 1,000 ids, the planner walks the whole date
    index hoping to meet them early, and with the page's ids added to the 1,000 it scans the
    table (0.06–0.1 s each at 250,000 households); the ordered ids alone it fetches by primary
    key and sorts."""

    def __init__(self, qs, per_page, *, baris=None):
        self.baris = qs if baris is None else baris
        super().__init__(list(qs.values_list("pk", flat=True)[:BATAS_HASIL]), per_page)

    def page(self, number):
        halaman = super().page(number)
        posisi = {pk: i for i, pk in enumerate(halaman.object_list)}
        rows = self.baris.filter(pk__in=list(posisi)).order_by()
        halaman.object_list = sorted(rows, key=lambda row: posisi[row.pk])
        return halaman


def cari_keluarga(qs, q: str, user=None):
    """Households of `qs` (already scoped) matching the search box: a whole No KK or a member's
    whole NIK, or a member's name. Returns (queryset, message for the user or None)."""
    nama, nomor, pesan = pencarian(q)
    if nomor == "":
        return qs.none(), pesan
    if nomor:
        # Both unique indexes, OR-ed as two index scans (a correlated EXISTS in the OR would
        # be tested on every household in scope).
        rumah = list(Individu.objects.filter(nik=nomor).values_list("keluarga_id", flat=True))
        return qs.filter(Q(no_kk=nomor) | Q(pk__in=rumah)), None
    if not nama:
        return qs, None
    if user is None:
        # Through the members' names (the head's among them) as a semi-join.
        return qs.filter(pk__in=individu_bernama(nama).values("keluarga_id")), None
    # From the persons: their trigram index and their own desa (the household's, kept by the
    # database) give the matching households of the scope first, at most BATAS_HASIL. Left to
    # the planner, the semi-join probes the members of every household in scope newest first
    # (0.4–0.9 s for a name found in 1 household of 100 at 250,000 households).
    ids, terpotong = _rumah_terbatas(
        individu_bernama(nama, user).order_by().values_list("keluarga_id", flat=True)
    )
    return qs.filter(pk__in=ids), pesan_terpotong("keluarga") if terpotong else None


def cari_individu(qs, q: str, user=None):
    nama, nomor, pesan = pencarian(q)
    if nomor == "":
        return qs.none(), pesan
    if nomor:
        kk = list(Keluarga.objects.filter(no_kk=nomor).values_list("pk", flat=True))
        return qs.filter(Q(nik=nomor) | Q(keluarga_id__in=kk)), None
    if not nama:
        return qs, None
    qs = qs.filter(nama_cari__contains=cocok_nama(nama))
    if user is None:
        return qs, None
    ids, terpotong = _terbatas(qs.order_by().values_list("pk", flat=True))
    return qs.filter(pk__in=ids), pesan_terpotong("individu") if terpotong else None


def usia(tanggal_lahir: date | None, today: date | None = None) -> int | None:
    if tanggal_lahir is None:
        return None
    today = today or timezone.localdate()
    return (
        today.year
        - tanggal_lahir.year
        - ((today.month, today.day) < (tanggal_lahir.month, tanggal_lahir.day))
    )


def siapkan_baris_keluarga(rows) -> None:
    """Masked numbers for list rows (lists never show a whole No KK)."""
    for k in rows:
        k.no_kk_samar = samarkan(k.no_kk)


def siapkan_baris_individu(rows) -> None:
    for i in rows:
        i.nik_samar = samarkan(i.nik)
        i.usia = usia(i.tanggal_lahir)


URUTAN_ANGGOTA = Case(
    When(hubungan=Hubungan.KEPALA_KELUARGA, then=Value(0)),
    When(hubungan__in=[Hubungan.SUAMI, Hubungan.ISTRI], then=Value(1)),
    When(hubungan=Hubungan.ANAK, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def anggota_keluarga(keluarga: Keluarga) -> list[Individu]:
    anggota = list(
        Individu.objects.filter(keluarga=keluarga)
        .annotate(_urut=URUTAN_ANGGOTA)
        .order_by("_urut", "tanggal_lahir", "nama")
    )
    for a in anggota:
        a.usia = usia(a.tanggal_lahir)
        a.peringatan = peringatan_nik(
            a.nik or "", tanggal_lahir=a.tanggal_lahir, jenis_kelamin=a.jenis_kelamin
        )
        a.disabilitas_label = _label_pilihan(Individu, "disabilitas", a.disabilitas)
    return anggota


def kasus_terbuka_keluarga(keluarga: Keluarga) -> int:
    """Open duplicate cases this household's entry is waiting on (the reporter's side)."""
    return KasusGanda.objects.filter(keluarga_baru=keluarga, status=StatusKasus.TERBUKA).count()


# --- history ----------------------------------------------------------------------------------

_LABEL_KHUSUS = {
    "anggota_masuk": "Anggota masuk",
    "anggota_keluar": "Anggota keluar",
    "keluarga": "Keluarga",
    "latitude": "Lintang",
    "longitude": "Bujur",
}
AKSI_LABEL = {
    "buat": "Dibuat",
    "ubah": "Diubah",
    "hapus": "Dihapus",
    "transisi": "Status verifikasi",
    "mutasi": "Mutasi",
    "impor": "Diimpor",
    "kasus_ganda": "Kasus data ganda",
}


def _label_pilihan(model, name, value):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if name == "disabilitas":
        from pendataan.models import Disabilitas

        labels = dict(Disabilitas.choices)
        return ", ".join(str(labels.get(v, v)) for v in (value or [])) or "—"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return value


def _label_field(model, name) -> str:
    if name in _LABEL_KHUSUS:
        return _LABEL_KHUSUS[name]
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]  # not capitalize(): "NIK" stays "NIK"


def _tampil_nilai(model, name, value, desa_nama: dict) -> str:
    if value in (None, "", []):
        return "—"
    if name == "desa":
        return desa_nama.get(value, "(wilayah lain)")
    if name == "tanggal_lahir" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    return str(_label_pilihan(model, name, value))


def riwayat_keluarga(user, keluarga: Keluarga):
    return (
        Riwayat.objects.for_user(user)
        .filter(Q(objek_uuid=keluarga.uuid) | Q(keluarga_uuid=keluarga.uuid))
        .select_related("pelaku")
        .order_by("-waktu", "-id")
    )


def riwayat_objek(user, obj):
    """History rows of one record (PPKS, PSKS, ...), newest first."""
    return (
        Riwayat.objects.for_user(user)
        .filter(objek_uuid=obj.uuid)
        .select_related("pelaku")
        .order_by("-waktu", "-id")
    )


def riwayat_tampil(rows, user, nama_objek: dict | None = None) -> list[dict]:
    """History rows ready for the template: labels instead of codes, names instead of ids.

    `nama_objek` maps an object uuid (as str) to a display name (household members).
    """
    rows = list(rows)
    nama_objek = nama_objek or {}
    desa_ids = {
        v
        for r in rows
        for name, pair in r.perubahan.items()
        if name == "desa"
        for v in pair
        if isinstance(v, int)
    }
    # A moved household's old desa may be outside the viewer's area: its name is not shown.
    desa_nama = dict(
        Wilayah.objects.for_user(user).filter(pk__in=desa_ids).values_list("pk", "nama")
    )
    status_label = dict(StatusVerifikasi.choices)
    alasan_label = dict(AlasanKembali.choices)
    hasil = []
    for r in rows:
        model = _model_riwayat(r.objek_tipe)
        perubahan = []
        for name, pair in r.perubahan.items():
            lama, baru = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            perubahan.append(
                {
                    "label": _label_field(model, name),
                    "lama": _tampil_nilai(model, name, lama, desa_nama),
                    "baru": _tampil_nilai(model, name, baru, desa_nama),
                }
            )
        nama = nama_objek.get(str(r.objek_uuid))
        if nama is None and r.objek_tipe == "individu":
            nilai = r.perubahan.get("nama") or [None, None]
            nama = next((v for v in reversed(nilai) if v), None) or "anggota"
        hasil.append(
            {
                "waktu": r.waktu,
                "pelaku": (r.pelaku.get_full_name() or r.pelaku.username) if r.pelaku else "Sistem",
                "aksi": r.aksi,
                "aksi_label": AKSI_LABEL.get(r.aksi, r.aksi.replace("_", " ").capitalize()),
                "objek_tipe": r.objek_tipe,
                "objek_nama": nama if r.objek_tipe == "individu" else "",
                "perubahan": perubahan,
                "status_dari": status_label.get(r.status_dari, r.status_dari),
                "status_ke": status_label.get(r.status_ke, r.status_ke),
                "status_ke_kode": r.status_ke,
                "alasan": alasan_label.get(r.alasan, r.alasan),
                "catatan": r.catatan,
            }
        )
    return hasil


def _model_riwayat(tipe: str):
    try:
        return apps.get_model("pendataan", tipe)
    except LookupError:
        return Keluarga


# --- verification -----------------------------------------------------------------------------


def antrian_verifikasi(user, tipe: str):
    """Records of one type waiting for verification in the user's area, newest first (the day's
    submissions on top; the inbox's filter can turn it round)."""
    model = TIPE[tipe]
    qs = model.objects.for_user(user).filter(status=StatusVerifikasi.DIAJUKAN)
    if model is Keluarga:
        qs = qs.select_related("desa", "desa__kecamatan", "dibuat_oleh")
    elif model is PPKS:
        qs = qs.select_related(
            "desa", "desa__kecamatan", "kategori", "individu", "keluarga", "dibuat_oleh"
        )
    else:
        qs = qs.select_related("desa", "desa__kecamatan", "kategori", "dibuat_oleh")
    return qs.order_by("-diubah_pada", "-pk")


def cari_antrian(qs, tipe: str, q: str, user=None):
    """Search the inbox: a household by No KK, a member's NIK or a name; PPKS by its subject's
    name or number (as the PPKS list); PSKS by name."""
    if tipe == "keluarga":
        return cari_keluarga(qs, q, user)
    if tipe == "ppks":
        from pendataan.selectors_ppks import ppks_cari

        return ppks_cari(qs, q, nomor_boleh=True)
    nama, nomor, pesan = pencarian(q)
    if nomor == "":
        return qs.none(), pesan
    if nomor:
        return qs.none(), None
    if nama:
        return qs.filter(nama__icontains=nama), None
    return qs, None


def jumlah_per_status(user, status: str) -> dict[str, int]:
    return {t: m.objects.for_user(user).filter(status=status).count() for t, m in TIPE.items()}


def ringkasan_baris(tipe: str, obj) -> dict:
    """One line describing a verified record of any type, for inboxes and panels."""
    if tipe == "keluarga":
        judul = f"Keluarga {obj.nama_kepala or '—'}"
        detail = f"No KK {samarkan(obj.no_kk)}" if obj.no_kk else "Tanpa No KK"
        detail += f" · {obj.jumlah_anggota} anggota"
        url = reverse("pendataan:keluarga-detail", args=[obj.uuid])
    elif tipe == "ppks":
        judul = f"{obj.kategori.singkatan} · {obj.nama_subjek}"
        detail = obj.kategori.nama
        url = url_atau_none("pendataan:ppks-detail", obj.uuid)
    else:
        judul = obj.nama
        detail = f"{obj.kategori.singkatan} · {obj.get_jenis_display()}"
        url = url_atau_none("pendataan:psks-detail", obj.uuid)
    return {"tipe": tipe, "judul": judul, "detail": detail, "url": url, "obj": obj}


def dikembalikan(user, batas: int = 10) -> dict:
    """Returned records waiting for correction in the user's area, per type (for the home
    panel): {"keluarga": {"jumlah": n, "baris": [...]}, ...}."""
    hasil = {}
    for tipe, model in TIPE.items():
        qs = model.objects.for_user(user).filter(status=StatusVerifikasi.DIKEMBALIKAN)
        if model is PPKS:
            qs = qs.select_related("kategori", "individu", "keluarga")
        elif model is PSKS:
            qs = qs.select_related("kategori")
        rows = list(qs.order_by("-diverifikasi_pada", "-pk")[: batas + 1])
        if not rows:
            continue
        jumlah = len(rows) if len(rows) <= batas else qs.count()
        baris = []
        for obj in rows[:batas]:
            item = ringkasan_baris(tipe, obj)
            item["alasan"] = obj.get_alasan_kembali_display()
            item["catatan"] = obj.catatan_verifikasi
            baris.append(item)
        hasil[tipe] = {
            "jumlah": jumlah,
            "lainnya": jumlah - len(baris),
            "baris": baris,
            "label": TIPE_LABEL[tipe],
        }
    return hasil


# --- duplicate cases --------------------------------------------------------------------------


def kasus_untuk(user):
    return KasusGanda.objects.for_user(user).select_related(
        "pelapor",
        "pelapor__wilayah",
        "desa_baru",
        "desa_baru__kecamatan",
        "penyelesai",
        "individu_lama",
        "individu_lama__desa",
        "individu_lama__desa__kecamatan",
        "keluarga_lama",
        "keluarga_lama__desa",
        "keluarga_lama__desa__kecamatan",
        "keluarga_baru",
    )


def ringkasan_individu(ind: Individu | None) -> dict | None:
    if ind is None:
        return None
    return {
        "nama": ind.nama,
        "nik": samarkan(ind.nik),
        "jenis_kelamin": ind.get_jenis_kelamin_display(),
        "tempat_lahir": ind.tempat_lahir,
        "tanggal_lahir": ind.tanggal_lahir,
        "hubungan": ind.get_hubungan_display(),
        "nama_ibu": ind.nama_ibu,
        "status_hidup": ind.get_status_hidup_display(),
    }


def ringkasan_data_baru(data: dict) -> dict:
    """The attempted entry stored in a case, with labels."""
    hasil = {}
    for name, value in data.items():
        if name in ("anggota", "desa") or value in (None, "", []) or value == "hidup":
            continue
        model = Keluarga if name in {f.name for f in Keluarga._meta.fields} else Individu
        if name == "nik":
            value = samarkan(value)
        hasil[_label_field(model, name)] = _tampil_nilai(model, name, value, {})
    return hasil
