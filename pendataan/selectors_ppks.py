"""Reads for PPKS identifications and the PSKS inventory. Every read starts from the scoped
queryset; PPKS identities additionally go through `ppks_visible` (sensitive categories)."""

import re
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import dateformat

from pendataan.models import (
    PPKS,
    PSKS,
    AlasanKembali,
    Individu,
    JenisPSKS,
    Keluarga,
    Riwayat,
    StatusPenanganan,
    StatusVerifikasi,
    SubjekPPKS,
)
from pendataan.selectors import (  # noqa: F401 (PaginatorCari: for the PPKS views)
    _NOMOR,
    PaginatorCari,
    _terbatas,
    cocok_nama,
    pencarian,
    pesan_terpotong,
)
from tksk.models import KategoriPPKS
from tksk.privasi import tampil
from tksk.scoping import get_scoped_or_404

NOMOR = re.compile(r"[0-9]{16}")


def ppks_visible(user) -> QuerySet:
    """PPKS records whose identity the user may see (lists, detail pages, exports, API).

    Sensitive categories (KategoriPPKS.sensitif: ABH, TS, KMIN, ODHA, NAPZA, KPO, KTK; UU 27/2022
    data pribadi spesifik, UU 11/2012 SPPA) are visible only inside the recording kecamatan's
    chain: its TKSK, its kabupaten's Dinas Sosial and the system admin. Dinas Sosial provinsi (and
    an admin limited to a province) never see such a record individually (a detail page answers
    404); they see it only in counts, suppressed below 5 (`tksk.privasi.tampil`).
    """
    return PPKS.objects.for_user(user)


def ppks_rekap_kategori(user, *, wilayah: dict | None = None) -> list[dict]:
    """Counts per category in the user's area (optionally narrowed by area lookups such as
    {"desa": desa}). Aggregates count every record in scope, sensitive ones included, and pass
    through `tksk.privasi.tampil`; no identity leaves this function."""
    qs = PPKS.objects.for_counting(user).filter(**(wilayah or {}))
    # COUNT(*), not COUNT(id): the (desa, kategori) index answers it alone (an index-only scan,
    # 34 ms for the province's 71,000 PPKS against 97 ms reading every row for its id).
    counts = dict(qs.order_by().values_list("kategori").annotate(n=Count("*")))
    return [
        {"kategori": k, "jumlah": tampil(counts.get(k.pk, 0), sensitif=k.sensitif, user=user)}
        for k in KategoriPPKS.objects.order_by("nomor")
    ]


def ppks_daftar(user) -> QuerySet:
    """The list queryset: everything a row shows in one query."""
    return ppks_visible(user).select_related("kategori", "desa__kecamatan", "individu", "keluarga")


def adalah_nomor(q: str) -> bool:
    return bool(NOMOR.fullmatch(q or ""))


def tampak_nomor(q: str) -> bool:
    """Digits (with spaces, dots or dashes): searched as a NIK/No KK, so never put in a URL."""
    return bool(_NOMOR.match((q or "").strip()))


def ppks_cari(qs: QuerySet, q: str, *, nomor_boleh: bool) -> tuple[QuerySet, str | None]:
    """Search by subject name (3 letters or more, accents and case ignored, anywhere in the
    name); a whole 16-digit NIK/No KK matches exactly, but only when it came in a POST body
    (`nomor_boleh`), so that a NIK never sits in a URL or a server log. Returns (queryset,
    message for the user or None)."""
    nama, nomor, pesan = pencarian(q)
    if nomor == "":
        return qs.none(), pesan
    if nomor:
        if not nomor_boleh:
            return qs.none(), None
        # Literal ids from the unique indexes: an OR across three joins would read every PPKS
        # in scope and join each to its subject.
        kk = list(Keluarga.objects.filter(no_kk=nomor).values_list("pk", flat=True))
        orang = Individu.objects.filter(Q(nik=nomor) | Q(keluarga_id__in=kk))
        orang = list(orang.values_list("pk", flat=True))
        return qs.filter(Q(individu_id__in=orang) | Q(keluarga_id__in=kk)), None
    if not nama:
        return qs, None
    # The subject's folded name is copied onto the PPKS (by the triggers of
    # laporan/sql_salinan.py): one trigram index over the PPKS, whatever the scope. Through the
    # subjects' own indexes a province search read 16,000 matching persons to keep 142 PPKS.
    cocok = qs.order_by().filter(nama_cari__contains=cocok_nama(nama))
    # At most BATAS_HASIL matching PPKS as literal ids: ordered and limited in one query, the
    # planner walks every PPKS in scope by date testing each (0.3 s for a TKSK).
    ids, terpotong = _terbatas(cocok.values_list("pk", flat=True))
    return qs.filter(pk__in=ids), pesan_terpotong("PPKS") if terpotong else None


def ppks_detail(user, uuid) -> PPKS:
    return get_scoped_or_404(
        ppks_visible(user).select_related(
            "kategori",
            "desa__kecamatan",
            "desa__kabupaten",
            "individu__keluarga",
            "keluarga",
            "dibuat_oleh",
            "diubah_oleh",
            "diverifikasi_oleh",
        ),
        user,
        uuid=uuid,
    )


def ppks_untuk_keluarga(user, keluarga: Keluarga, anggota_ids=None) -> QuerySet:
    """PPKS of a household and of its members that the user may see (for household pages).
    `anggota_ids`: the members' ids when the caller has them already (else one more query).

    The members are given as literal ids: with an OR across a join, or against a subquery,
    PostgreSQL reads every PPKS of the kecamatan (27 ms at a million households); with a list
    it combines the two foreign-key indexes (0.2 ms)."""
    if anggota_ids is None:
        anggota_ids = Individu.objects.filter(keluarga=keluarga).values_list("id", flat=True)
    return (
        ppks_visible(user)
        .filter(Q(keluarga=keluarga) | Q(individu_id__in=list(anggota_ids)))
        .select_related("kategori", "individu")
        .order_by("-tanggal_identifikasi", "-id")
    )


def subjek_cari(user, subjek: str, q: str, *, batas: int = 20) -> list:
    """Households or persons in the user's scope for the subject picker: by name (2+ letters)
    or by a full No KK / NIK, at most `batas` matches."""
    q = (q or "").strip()
    if subjek == SubjekPPKS.INDIVIDU:
        qs = Individu.objects.for_user(user).select_related("keluarga", "desa")
        if adalah_nomor(q):
            qs = qs.filter(nik=q)
        elif len(q) >= 2:
            qs = qs.filter(nama__icontains=q)
        else:
            return []
        return list(qs.order_by("nama", "id")[:batas])
    if subjek == SubjekPPKS.KELUARGA:
        qs = Keluarga.objects.for_user(user).select_related("desa")
        if adalah_nomor(q):
            qs = qs.filter(no_kk=q)
        elif len(q) >= 2:
            qs = qs.filter(nama_kepala__icontains=q)
        else:
            return []
        return list(qs.order_by("nama_kepala", "id")[:batas])
    return []


# --- PSKS ------------------------------------------------------------------------------------


def psks_daftar(user) -> QuerySet:
    return PSKS.objects.for_user(user).select_related("kategori", "desa__kecamatan")


def psks_detail(user, uuid) -> PSKS:
    return get_scoped_or_404(
        PSKS.objects.select_related(
            "kategori",
            "desa__kecamatan",
            "desa__kabupaten",
            "dibuat_oleh",
            "diubah_oleh",
            "diverifikasi_oleh",
        ),
        user,
        uuid=uuid,
    )


# --- history ---------------------------------------------------------------------------------

LABEL_KOLOM = {
    "kategori": "Kategori",
    "subjek": "Jenis subjek",
    "individu": "Individu",
    "keluarga": "Keluarga",
    "nama_kelompok": "Nama kelompok/komunitas",
    "perkiraan_kk": "Perkiraan jumlah KK",
    "perkiraan_jiwa": "Perkiraan jumlah jiwa",
    "desa": "Desa/Kelurahan",
    "tanggal_identifikasi": "Tanggal identifikasi",
    "deskripsi": "Deskripsi kondisi",
    "kebutuhan": "Kebutuhan",
    "status_penanganan": "Status penanganan",
    "jenis_kelamin": "Jenis kelamin",
    "nama": "Nama",
    "jenis": "Jenis",
    "alamat": "Alamat",
    "kontak_nama": "Narahubung",
    "telepon": "Telepon",
    "kapasitas": "Kapasitas",
    "layanan": "Layanan",
    "aktif": "Aktif",
}
_PILIHAN = {
    "subjek": dict(SubjekPPKS.choices),
    "status_penanganan": dict(StatusPenanganan.choices),
    "jenis": dict(JenisPSKS.choices),
    "jenis_kelamin": {"L": "Laki-laki", "P": "Perempuan"},
}


def _tampil(kolom: str, nilai) -> str:
    if nilai in (None, ""):
        return "—"
    if isinstance(nilai, bool):
        return "Ya" if nilai else "Tidak"
    if kolom in _PILIHAN:
        return str(_PILIHAN[kolom].get(nilai, nilai))
    if kolom == "tanggal_identifikasi":
        try:
            return dateformat.format(date.fromisoformat(str(nilai)), "j F Y")
        except ValueError:
            return str(nilai)
    return str(nilai)


def riwayat_objek(obj) -> list[dict]:
    """The history of one record, newest first, ready to display.

    The caller has already fetched `obj` through the user's scope (and `ppks_visible`); its
    history is part of the record, so the rows are read by the record's uuid.
    """
    rows = Riwayat.objects.filter(
        objek_tipe=obj._meta.model_name, objek_uuid=obj.uuid
    ).select_related("pelaku__wilayah__kabupaten")
    hasil = []
    status_label = dict(StatusVerifikasi.choices)
    alasan_label = dict(AlasanKembali.choices)
    for row in rows:
        perubahan = [
            {
                "kolom": LABEL_KOLOM.get(kolom, kolom.replace("_", " ").capitalize()),
                "lama": _tampil(kolom, pasangan[0] if len(pasangan) > 0 else None),
                "baru": _tampil(kolom, pasangan[1] if len(pasangan) > 1 else None),
            }
            for kolom, pasangan in (row.perubahan or {}).items()
            if isinstance(pasangan, (list, tuple))
        ]
        # A new record lists only the fields that were filled in.
        perubahan = [p for p in perubahan if p["lama"] != "—" or p["baru"] != "—"]
        hasil.append(
            {
                "waktu": row.waktu,
                "aksi": row.aksi,
                "pelaku": row.pelaku,
                "perubahan": perubahan,
                "status_dari": status_label.get(row.status_dari, row.status_dari),
                "status_ke": status_label.get(row.status_ke, row.status_ke),
                "alasan": alasan_label.get(row.alasan, row.alasan),
                "catatan": row.catatan,
            }
        )
    return hasil
