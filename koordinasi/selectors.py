"""Reads for partners, activities, follow-ups and referrals. Every read starts from the scoped
queryset (`for_user`; for referrals it also hides sensitive PPKS categories outside the
recording kecamatan's chain, and `for_counting` is the door for aggregates).

The `rekap_*` functions are what the laporan module (monthly reports, dashboards) uses: they
return plain lists of dicts, one query each, for a period and the user's scope.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from koordinasi.models import (
    RUJUKAN_TERTUTUP,
    TINDAK_LANJUT_TERBUKA,
    FotoKegiatan,
    Kegiatan,
    Mitra,
    Rujukan,
    StatusRujukan,
    TindakLanjut,
)
from koordinasi.services import batas_hari_rujukan, mitra_boleh_ubah
from tksk.models import Tingkat, Wilayah
from tksk.scoping import get_scoped_or_404, sees_everything, user_area

__all__ = [
    "mitra_boleh_ubah",
]


# --- Mitra -----------------------------------------------------------------------------------


def mitra_daftar(user, *, q: str = "", jenis: str = "", aktif: bool | None = True) -> QuerySet:
    """Partners the user sees (own area, areas below, and the levels above), with the area and
    counts of activities and referrals (one query per page)."""
    qs = (
        Mitra.objects.for_user(user)
        .select_related("wilayah")
        .annotate(
            jumlah_kegiatan=Count("kegiatan", distinct=True),
            jumlah_rujukan=Count("rujukan", distinct=True),
        )
    )
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(layanan__icontains=q) | Q(narahubung__icontains=q))
    if jenis:
        qs = qs.filter(jenis=jenis)
    if aktif is not None:
        qs = qs.filter(aktif=aktif)
    return qs.order_by("nama", "pk")


def mitra_detail(user, uuid) -> Mitra:
    return get_scoped_or_404(Mitra.objects.select_related("wilayah", "psks"), user, uuid=uuid)


def mitra_pilihan(user) -> QuerySet:
    """Active partners for pickers (activities, follow-ups, referrals)."""
    return Mitra.objects.for_user(user).filter(aktif=True).select_related("wilayah")


# --- Area filter of the activity and referral lists ------------------------------------------


def wilayah_saringan(user, kode: str) -> Wilayah | None:
    """The area a list is narrowed to (`?wilayah=KODE`): None without a code, a 404 for a code
    outside the user's scope (as the dashboards answer), so a crafted code never widens a list."""
    if not kode:
        return None
    return get_scoped_or_404(Wilayah.objects.all(), user, kode=kode)


def wilayah_pilihan(user, terpilih: Wilayah | None = None) -> list[Wilayah]:
    """Areas offered by the lists' area filter: the two levels below the user's own, in code
    order (so each kecamatan follows its kabupaten), plus the chosen one when deeper. One query."""
    if sees_everything(user):
        tingkat = [Tingkat.KABUPATEN, Tingkat.KECAMATAN]
    else:
        area = user_area(user)
        if area is None:
            return []
        urutan = [Tingkat.PROVINSI, Tingkat.KABUPATEN, Tingkat.KECAMATAN, Tingkat.DESA]
        tingkat = urutan[urutan.index(area.tingkat) + 1 :][:2]
    if not tingkat:  # a desa user: their desa is their whole scope
        tingkat = [area.tingkat]
    pilihan = list(
        Wilayah.objects.for_user(user)
        .filter(tingkat__in=tingkat)
        .only("kode", "nama", "tingkat")
        .order_by("kode")
    )
    for w in pilihan:
        w.label_saringan = ("— " if w.tingkat == tingkat[-1] and len(tingkat) > 1 else "") + (
            w.nama_lengkap
        )
    if terpilih is not None and all(w.pk != terpilih.pk for w in pilihan):
        terpilih.label_saringan = terpilih.nama_lengkap
        pilihan.append(terpilih)
    return pilihan


def _di_wilayah(qs: QuerySet, wilayah: Wilayah | None) -> QuerySet:
    """Records whose desa lies in `wilayah` (every Wilayah row points to its ancestors)."""
    if wilayah is None:
        return qs
    if wilayah.tingkat == Tingkat.DESA:
        return qs.filter(desa=wilayah)
    return qs.filter(**{f"desa__{wilayah.tingkat}": wilayah})


# --- Kegiatan --------------------------------------------------------------------------------


def kegiatan_daftar(
    user,
    *,
    jenis: str = "",
    dari: date | None = None,
    sampai: date | None = None,
    q: str = "",
    wilayah: Wilayah | None = None,
    pembuat=None,
) -> QuerySet:
    """Activities of the user's scope, optionally of one area (in scope: `wilayah_saringan`)
    and dated from `dari` to `sampai` inclusive, as the dashboards count them; `pembuat`: only
    those one account recorded (its uuid), as the TKSK performance record counts them."""
    qs = (
        Kegiatan.objects.for_user(user)
        .select_related("desa__kecamatan")
        .annotate(
            jumlah_mitra=Count("mitra", distinct=True),
            jumlah_foto=Count("foto", distinct=True),
            tindak_lanjut_terbuka=Count(
                "tindak_lanjut",
                filter=Q(tindak_lanjut__status__in=TINDAK_LANJUT_TERBUKA),
                distinct=True,
            ),
        )
    )
    qs = _periode(_di_wilayah(qs, wilayah), "tanggal", dari, sampai)
    if pembuat:
        qs = qs.filter(dibuat_oleh__uuid=pembuat)
    if jenis:
        qs = qs.filter(jenis=jenis)
    if q:
        qs = qs.filter(Q(topik__icontains=q) | Q(tempat__icontains=q))
    return qs.order_by("-tanggal", "-jam_mulai", "-pk")


def kegiatan_detail(user, uuid) -> Kegiatan:
    return get_scoped_or_404(
        Kegiatan.objects.select_related("desa__kecamatan", "dibuat_oleh"), user, uuid=uuid
    )


def foto_kegiatan(user, kegiatan: Kegiatan, uuid) -> FotoKegiatan:
    """A photo of this activity in the user's scope; a photo of another activity (or area)
    reached through this activity's URL is a 404."""
    return get_scoped_or_404(FotoKegiatan.objects.filter(kegiatan=kegiatan), user, uuid=uuid)


def tindak_lanjut_kegiatan(user, kegiatan: Kegiatan, uuid) -> TindakLanjut:
    return get_scoped_or_404(
        TindakLanjut.objects.filter(kegiatan=kegiatan).select_related("mitra"), user, uuid=uuid
    )


# --- Tindak lanjut ---------------------------------------------------------------------------


def tindak_lanjut_terlambat(user) -> QuerySet:
    """Open follow-ups past their due date, oldest first."""
    return (
        TindakLanjut.objects.for_user(user)
        .filter(status__in=TINDAK_LANJUT_TERBUKA, batas_waktu__lt=timezone.localdate())
        .select_related("kegiatan", "mitra")
        .order_by("batas_waktu", "pk")
    )


def tindak_lanjut_daftar(user, *, status: str = "terbuka") -> QuerySet:
    qs = TindakLanjut.objects.for_user(user).select_related("kegiatan__desa", "mitra")
    if status == "terbuka":
        qs = qs.filter(status__in=TINDAK_LANJUT_TERBUKA)
    elif status == "terlambat":
        qs = qs.filter(status__in=TINDAK_LANJUT_TERBUKA, batas_waktu__lt=timezone.localdate())
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("batas_waktu", "pk")


def kegiatan_akan_datang(user, *, sekarang: datetime | None = None) -> QuerySet:
    """Activities not over yet, by the date and time in Asia/Jakarta (TIME_ZONE): a later day,
    or today with a start (or, if given, an end) not yet passed, or today without a time."""
    waktu = timezone.localtime(sekarang)
    hari_ini, jam = waktu.date(), waktu.time().replace(second=0, microsecond=0)
    hari_ini_belum_lewat = (
        Q(jam_mulai__isnull=True, jam_selesai__isnull=True)
        | Q(jam_selesai__gte=jam)
        | Q(jam_selesai__isnull=True, jam_mulai__gte=jam)
    )
    return (
        kegiatan_daftar(user, dari=hari_ini)
        .filter(Q(tanggal__gt=hari_ini) | hari_ini_belum_lewat)
        .order_by("tanggal", "jam_mulai", "pk")
    )


# --- Rujukan ---------------------------------------------------------------------------------


def _batas_jawaban() -> date:
    """Referrals sent on or before this day and still "dikirim" count as unanswered
    (RUJUKAN_BATAS_HARI days, default 7)."""
    return timezone.localdate() - timedelta(days=batas_hari_rujukan())


def q_tanpa_jawaban() -> Q:
    """Referrals still "dikirim" RUJUKAN_BATAS_HARI days (default 7) after they were sent."""
    return Q(status=StatusRujukan.DIKIRIM, tanggal_kirim__lte=_batas_jawaban())


def rujukan_daftar(
    user,
    *,
    status: str = "",
    q: str = "",
    dari: date | None = None,
    sampai: date | None = None,
    wilayah: Wilayah | None = None,
    pembuat=None,
) -> QuerySet:
    """Referrals the user may see (sensitive categories only inside the chain), optionally of
    one area (in scope: `wilayah_saringan`) and sent from `dari` to `sampai` inclusive. The
    dashboards count their referral numbers on this same queryset, so a number and its list
    always agree."""
    qs = Rujukan.objects.for_user(user).select_related(
        "mitra", "ppks__kategori", "ppks__individu", "ppks__keluarga", "desa__kecamatan"
    )
    qs = _periode(_di_wilayah(qs, wilayah), "tanggal_kirim", dari, sampai)
    if pembuat:
        qs = qs.filter(dibuat_oleh__uuid=pembuat)
    if status == "tanpa_jawaban":
        qs = qs.filter(q_tanpa_jawaban())
    elif status == "terbuka":
        qs = qs.exclude(status__in=RUJUKAN_TERTUTUP)
    elif status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(nomor__icontains=q) | Q(mitra__nama__icontains=q))
    return qs.order_by("-tanggal_kirim", "-nomor_urut", "-pk")


def rujukan_menunggu_jawaban(user) -> QuerySet:
    """Referrals the partner has not answered yet ("dikirim"), however recent."""
    return rujukan_daftar(user, status=StatusRujukan.DIKIRIM)


def rujukan_tanpa_jawaban(user) -> QuerySet:
    """Referrals still "dikirim" RUJUKAN_BATAS_HARI days (default 7) after they were sent."""
    return rujukan_daftar(user, status="tanpa_jawaban").order_by("tanggal_kirim", "pk")


def rujukan_detail(user, uuid):
    return get_scoped_or_404(
        Rujukan.objects.for_user(user).select_related(
            "mitra__wilayah",
            "ppks__kategori",
            "ppks__individu",
            "ppks__keluarga",
            "desa__kecamatan",
            "desa__kabupaten",
            "kecamatan",
            "dibuat_oleh",
        ),
        user,
        uuid=uuid,
    )


def tanpa_jawaban(rujukan) -> bool:
    """`q_tanpa_jawaban` for one referral already loaded."""
    return rujukan.status == StatusRujukan.DIKIRIM and rujukan.tanggal_kirim <= _batas_jawaban()


# --- Agenda ----------------------------------------------------------------------------------


@dataclass
class HariAgenda:
    tanggal: date
    bulan_ini: bool
    kegiatan: list = field(default_factory=list)
    tindak_lanjut: list = field(default_factory=list)

    @property
    def ada(self) -> bool:
        return bool(self.kegiatan or self.tindak_lanjut)


def agenda_bulan(user, tahun: int, bulan: int) -> list[list[HariAgenda]]:
    """The weeks (Monday first) of a month with the activities and follow-up due dates of each
    day. Two queries."""
    kal = calendar.Calendar(firstweekday=0)
    minggu = kal.monthdatescalendar(tahun, bulan)
    awal, akhir = minggu[0][0], minggu[-1][-1]
    hari = {d: HariAgenda(d, d.month == bulan) for w in minggu for d in w}
    for k in (
        Kegiatan.objects.for_user(user)
        .filter(tanggal__range=(awal, akhir))
        .select_related("desa")
        .order_by("tanggal", "jam_mulai", "pk")
    ):
        hari[k.tanggal].kegiatan.append(k)
    for t in (
        TindakLanjut.objects.for_user(user)
        .filter(batas_waktu__range=(awal, akhir), status__in=TINDAK_LANJUT_TERBUKA)
        .select_related("kegiatan", "mitra")
        .order_by("batas_waktu", "pk")
    ):
        hari[t.batas_waktu].tindak_lanjut.append(t)
    return [[hari[d] for d in w] for w in minggu]


# --- For the laporan module ------------------------------------------------------------------


def _periode(qs, kolom: str, dari: date | None, sampai: date | None):
    if dari:
        qs = qs.filter(**{f"{kolom}__gte": dari})
    if sampai:
        qs = qs.filter(**{f"{kolom}__lte": sampai})
    return qs


def rekap_kegiatan(
    user,
    *,
    dari: date | None = None,
    sampai: date | None = None,
    per: tuple[str, ...] = ("jenis",),
) -> list[dict]:
    """Activities counted per any of "jenis", "bulan", "kecamatan", "kabupaten", "desa", with
    participants by sex. One row per group:
    {"jenis": ..., "bulan": date(first of month), "kecamatan_kode": ..., "kecamatan_nama": ...,
     "jumlah": n, "peserta_laki": n, "peserta_perempuan": n}.
    """
    kolom = {
        "jenis": ["jenis"],
        "bulan": ["bulan"],
        "desa": ["desa__kode", "desa__nama"],
        "kecamatan": ["desa__kecamatan__kode", "desa__kecamatan__nama"],
        "kabupaten": ["desa__kabupaten__kode", "desa__kabupaten__nama"],
    }
    qs = _periode(Kegiatan.objects.for_user(user), "tanggal", dari, sampai)
    if "bulan" in per:
        qs = qs.annotate(bulan=TruncMonth("tanggal"))
    groups = [c for p in per for c in kolom[p]]
    rows = (
        qs.values(*groups)
        .annotate(
            jumlah=Count("pk"),
            peserta_laki=Coalesce(Sum("peserta_laki"), 0),
            peserta_perempuan=Coalesce(Sum("peserta_perempuan"), 0),
        )
        .order_by(*groups)
    )
    return [_nama_kunci(r) for r in rows]


def _nama_kunci(row: dict) -> dict:
    """Flat keys: desa__kecamatan__kode → kecamatan_kode, desa__kode → desa_kode."""
    hasil = {}
    for key, value in row.items():
        parts = key.split("__")
        if len(parts) == 3 and parts[0] == "desa":
            parts = parts[1:]
        hasil["_".join(parts)] = value
    return hasil


def rekap_rujukan(
    user,
    *,
    dari: date | None = None,
    sampai: date | None = None,
    per: tuple[str, ...] = ("status",),
) -> list[dict]:
    """Referrals sent in the period, counted per any of "status", "urgensi", "kategori",
    "jenis_mitra", "kecamatan", with the number unanswered after RUJUKAN_BATAS_HARI days:
    {"status": ..., "jumlah": n, "tanpa_jawaban": n, "selesai": n, "ditolak": n}.
    Counts include sensitive categories (aggregates); small-cell suppression is the caller's.
    """
    kolom = {
        "status": ["status"],
        "urgensi": ["urgensi"],
        "kategori": ["ppks__kategori__kode", "ppks__kategori__singkatan"],
        "jenis_mitra": ["mitra__jenis"],
        "kecamatan": ["kecamatan__kode", "kecamatan__nama"],
    }
    qs = _periode(Rujukan.objects.for_counting(user), "tanggal_kirim", dari, sampai)
    groups = [c for p in per for c in kolom[p]]
    rows = (
        qs.values(*groups)
        .annotate(
            jumlah=Count("pk"),
            tanpa_jawaban=Count("pk", filter=q_tanpa_jawaban()),
            selesai=Count("pk", filter=Q(status=StatusRujukan.SELESAI)),
            ditolak=Count("pk", filter=Q(status=StatusRujukan.DITOLAK)),
        )
        .order_by(*groups)
    )
    return [{k.replace("__", "_"): v for k, v in r.items()} for r in rows]


def rekap_mitra(user, *, per: tuple[str, ...] = ("jenis",), aktif: bool = True) -> list[dict]:
    """Partners the user sees, counted per "jenis" and/or "tingkat" (the level they are
    registered at): {"jenis": ..., "wilayah_tingkat": ..., "jumlah": n}."""
    kolom = {"jenis": ["jenis"], "tingkat": ["wilayah__tingkat"]}
    groups = [c for p in per for c in kolom[p]]
    rows = (
        Mitra.objects.for_user(user)
        .filter(aktif=aktif)
        .values(*groups)
        .annotate(jumlah=Count("pk"))
        .order_by(*groups)
    )
    return [{k.replace("__", "_"): v for k, v in r.items()} for r in rows]


def rekap_tindak_lanjut(user, *, dari: date | None = None, sampai: date | None = None) -> dict:
    """Follow-ups due in the period by status, plus the overdue ones:
    {"belum": n, "proses": n, "selesai": n, "batal": n, "terlambat": n}."""
    qs = _periode(TindakLanjut.objects.for_user(user), "batas_waktu", dari, sampai)
    hasil = dict.fromkeys(("belum", "proses", "selesai", "batal"), 0)
    for row in qs.values("status").annotate(n=Count("pk")):
        hasil[row["status"]] = row["n"]
    hasil["terlambat"] = qs.filter(
        status__in=TINDAK_LANJUT_TERBUKA, batas_waktu__lt=timezone.localdate()
    ).count()
    return hasil


def ringkasan_bulan(user, tahun: int, bulan: int) -> dict:
    """Everything the monthly TKSK report needs from koordinasi, for one month."""
    dari = date(tahun, bulan, 1)
    sampai = date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])
    return {
        "kegiatan_per_jenis": rekap_kegiatan(user, dari=dari, sampai=sampai, per=("jenis",)),
        "rujukan_per_status": rekap_rujukan(user, dari=dari, sampai=sampai, per=("status",)),
        "mitra_per_jenis": rekap_mitra(user, per=("jenis",)),
        "tindak_lanjut": rekap_tindak_lanjut(user, dari=dari, sampai=sampai),
    }


KATEGORI_TERSAMAR = "Layanan perlindungan khusus"


def kategori_untuk_mitra(rujukan) -> str:
    """What the partner link says the case is: a sensitive category's name only to a partner
    marked as handling such cases (SECURITY.md, "Tautan mitra")."""
    kategori = rujukan.ppks.kategori
    if kategori.sensitif and not (rujukan.mitra and rujukan.mitra.perlindungan_khusus):
        return KATEGORI_TERSAMAR
    return kategori.nama
