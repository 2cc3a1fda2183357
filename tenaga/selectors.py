"""Reads of the TKSK registry, each starting from the scoped queryset."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone

from tenaga.models import SKTKSK, Bimtek, PesertaBimtek, ProfilTKSK, StatusTKSK
from tksk.models import Role, Tingkat, Wilayah


def hari_sk_berakhir() -> int:
    return int(getattr(settings, "TENAGA_SK_BERAKHIR_HARI", 60))


def tahun_tanpa_pelatihan() -> int:
    return int(getattr(settings, "TENAGA_TANPA_PELATIHAN_TAHUN", 3))


def profil_list(user):
    """Profiles the user may see: the scoping rule, and a TKSK only their own."""
    qs = ProfilTKSK.objects.for_user(user).select_related("kecamatan__kabupaten", "akun")
    if user.role == Role.TKSK:
        qs = qs.filter(akun=user)
    return qs


def profil_detail(user):
    return profil_list(user).prefetch_related(
        Prefetch("sk", queryset=SKTKSK.objects.order_by("-mulai")),
        "penugasan__kecamatan",
        Prefetch(
            "pelatihan",
            queryset=PesertaBimtek.objects.select_related("bimtek").order_by("-bimtek__mulai"),
        ),
    )


def tksk_kecamatan(user, kecamatan) -> list[ProfilTKSK]:
    """The active TKSK of one kecamatan the user may see (normally one, two during a handover)."""
    return list(
        ProfilTKSK.objects.for_user(user).filter(kecamatan=kecamatan, status=StatusTKSK.AKTIF)
    )


def _kecamatan_dalam(user, wilayah):
    qs = Wilayah.objects.for_user(user).filter(tingkat=Tingkat.KECAMATAN, aktif=True)
    if wilayah.tingkat == Tingkat.KECAMATAN:
        return qs.filter(pk=wilayah.pk)
    return qs.filter(**{wilayah.tingkat: wilayah})


def _ada_tksk():
    return Exists(ProfilTKSK.objects.filter(kecamatan=OuterRef("pk"), status=StatusTKSK.AKTIF))


def kecamatan_kosong(user, wilayah):
    """Kecamatan of `wilayah` without an active TKSK."""
    return (
        _kecamatan_dalam(user, wilayah)
        .filter(~_ada_tksk())
        .select_related("kabupaten")
        .order_by("kode")
    )


def sk_berakhir(user, wilayah=None):
    """SKs of active TKSK ending between today and TENAGA_SK_BERAKHIR_HARI days from now."""
    hari_ini = timezone.localdate()
    qs = SKTKSK.objects.for_user(user).filter(
        profil__status=StatusTKSK.AKTIF,
        selesai__gte=hari_ini,
        selesai__lte=hari_ini + timedelta(days=hari_sk_berakhir()),
    )
    if wilayah is not None and wilayah.tingkat != Tingkat.KECAMATAN:
        qs = qs.filter(**{f"profil__kecamatan__{wilayah.tingkat}": wilayah})
    elif wilayah is not None:
        qs = qs.filter(profil__kecamatan=wilayah)
    return qs.select_related("profil__kecamatan__kabupaten").order_by("selesai")


def cakupan(user, wilayah) -> dict:
    """Coverage numbers of a province or kabupaten dashboard (three queries)."""
    per_kab = list(
        _kecamatan_dalam(user, wilayah)
        .values("kabupaten_id", "kabupaten__kode", "kabupaten__nama")
        .annotate(
            jumlah=Count("pk"),
            kosong=Count("pk", filter=~_ada_tksk()),
        )
        .order_by("kabupaten__kode")
    )
    jumlah = sum(r["jumlah"] for r in per_kab)
    kosong = sum(r["kosong"] for r in per_kab)
    return {
        "jumlah": jumlah,
        "terisi": jumlah - kosong,
        "kosong": kosong,
        "per_kabupaten": per_kab,
        "sk_berakhir": sk_berakhir(user, wilayah).count(),
        "hari": hari_sk_berakhir(),
        "wilayah": wilayah,
    }


def bimtek_list(user):
    return Bimtek.objects.for_user(user).annotate(n_peserta=Count("peserta")).order_by("-mulai")


def belum_dilatih(user, wilayah=None):
    """Active TKSK with no training that ended in the last N years."""
    batas = timezone.localdate().replace(day=1) - timedelta(days=365 * tahun_tanpa_pelatihan())
    dilatih = PesertaBimtek.objects.filter(
        profil=OuterRef("pk"), bimtek__selesai__gte=batas, kehadiran__hadir=True
    )
    qs = profil_list(user).filter(status=StatusTKSK.AKTIF).filter(~Exists(dilatih))
    if wilayah is not None:
        qs = qs.filter(**{f"kecamatan__{wilayah.tingkat}": wilayah})
    return qs.order_by("kecamatan__kode")


def sk_untuk_laporan(akun, bulan):
    """The SK of `akun`'s profile in force during the month `bulan` (else the latest that began
    before the month ended): what the monthly report prints as the SK number. None without a
    profile or an SK."""
    from calendar import monthrange

    akhir = bulan.replace(day=monthrange(bulan.year, bulan.month)[1])
    qs = SKTKSK.objects.filter(profil__akun=akun, mulai__lte=akhir)
    return (
        qs.filter(selesai__gte=bulan).order_by("-mulai").first()
        or qs.order_by("-selesai", "-mulai").first()
    )
