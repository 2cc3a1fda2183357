"""The dashboard's numbers: summary counts per child area, the PPKS matrix, and what waits for
the TKSK."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Sum
from django.urls import reverse

from koordinasi import selectors as koordinasi
from laporan import charts
from laporan.models import Metrik, RingkasanDesa, RingkasanKecamatan
from laporan.selectors.tautan import SEMUA, TERVERIFIKASI, Angka, Saringan, _angka, tautan_daftar
from laporan.selectors.wilayah import ANAK, LABEL_ANAK, anak_wilayah
from tksk import privasi
from tksk.models import Tingkat, Wilayah


def hitung_ringkasan(user, wilayah: Wilayah):
    """Counts in `wilayah` per child area × metric × category × status, from the summary tables:
    ({(child_id, metrik, kategori_id, status): n}, time of the latest change). Two queries."""
    if wilayah.tingkat in (Tingkat.PROVINSI, Tingkat.KABUPATEN):
        qs = RingkasanKecamatan.objects.for_user(user)
        if wilayah.tingkat == Tingkat.PROVINSI:
            qs, kunci = qs.filter(kecamatan__provinsi=wilayah), "kecamatan__kabupaten_id"
        else:
            qs, kunci = qs.filter(kecamatan__kabupaten=wilayah), "kecamatan_id"
    else:
        qs = RingkasanDesa.objects.for_user(user)
        if wilayah.tingkat == Tingkat.KECAMATAN:
            qs = qs.filter(desa__kecamatan=wilayah)
        else:
            qs = qs.filter(desa=wilayah)
        kunci = "desa_id"
    rows = (
        qs.values_list(kunci, "metrik", "kategori_id", "status")
        .annotate(jumlah=Sum("n"))
        .order_by()
    )
    hasil = {(a, m, k, s): n for a, m, k, s, n in rows}
    # The latest change in the area: one aggregate instead of a timestamp per group (a
    # province has 1,400 groups, and a timestamp costs more to read than the scan).
    terakhir = qs.aggregate(terakhir=Max("diubah_pada"))["terakhir"]
    return hasil, terakhir


class Tabel:
    """Summary counts of one area, queried once, read per child, metric, category, status."""

    def __init__(self, user, wilayah: Wilayah, anak: list[Wilayah], saringan: Saringan):
        self.user = user
        self.wilayah = wilayah
        self.anak = anak
        self.saringan = saringan
        self.rantai = privasi.dalam_rantai(user)
        self.data, self.terakhir = hitung_ringkasan(user, wilayah)
        per = defaultdict(int)
        for (anak_id, metrik, kategori_id, status), n in self.data.items():
            # Sums at every level the page reads: per child and in total, per category and
            # over all categories, per status and over all statuses.
            for a in (anak_id, None):
                per[(a, metrik, kategori_id, status)] += n
                per[(a, metrik, kategori_id, None)] += n
                per[(a, metrik, SEMUA, status)] += n
                per[(a, metrik, SEMUA, None)] += n
        self._per = per

    def n(self, anak_id, metrik, kategori_id=0, status=None) -> int:
        return self._per.get((anak_id, metrik, kategori_id, status), 0)

    def status_efektif(self, status=None):
        """The status of a count under the verification filter (None: every status)."""
        if self.saringan.hanya_terverifikasi:
            return TERVERIFIKASI if status in (None, TERVERIFIKASI) else "__kosong__"
        return status

    def kategori_tampak(self, kategori) -> bool:
        """Whether records of this category are listed for the user (the PPKS list hides
        sensitive categories outside the recording kecamatan's chain)."""
        return self.rantai or not kategori.sensitif


@dataclass
class BarisWilayah:
    wilayah: Wilayah
    url_dasbor: str | None
    nilai: dict = field(default_factory=dict)
    laporan: dict | None = None


def dasbor(user, wilayah: Wilayah, saringan: Saringan, *, kategori_ppks, kategori_psks) -> dict:
    """Everything a dashboard page shows for `wilayah` (one role's view of one area)."""
    anak = anak_wilayah(wilayah)
    tabel = Tabel(user, wilayah, anak, saringan)
    q_saring = saringan.query()
    tingkat_anak = ANAK[wilayah.tingkat]
    dipilih = saringan.kategori
    # The PPKS column counts the chosen category (suppressed below 5 when it is sensitive and
    # the user outside the chain), else every category whose records the user may list.
    kategori_total = (
        [dipilih] if dipilih is not None else [k for k in kategori_ppks if tabel.kategori_tampak(k)]
    )
    status = tabel.status_efektif()

    def ppks_n(anak_id, st) -> int:
        return sum(tabel.n(anak_id, Metrik.PPKS, k.pk, st) for k in kategori_total)

    def ppks_url(w, st):
        if dipilih is not None and not tabel.kategori_tampak(dipilih):
            return None
        return tautan_daftar(
            user, Metrik.PPKS, w, status=st, kategori_id=dipilih.pk if dipilih else None
        )

    def nilai_baris(anak_id, w) -> dict:
        st = status
        ppks_total = ppks_n(anak_id, st)
        nilai = {
            "keluarga": _angka(
                tabel.n(anak_id, Metrik.KELUARGA, 0, st),
                tautan_daftar(user, Metrik.KELUARGA, w, status=st),
            ),
            "individu": _angka(
                tabel.n(anak_id, Metrik.INDIVIDU, 0, st),
                tautan_daftar(user, Metrik.INDIVIDU, w, status=st),
            ),
            "ppks": Angka(
                ppks_total,
                privasi.tampil(ppks_total, sensitif=bool(dipilih and dipilih.sensitif), user=user),
                ppks_url(w, st),
            ),
            "psks": _angka(
                sum(tabel.n(anak_id, Metrik.PSKS, k.pk, st) for k in kategori_psks),
                tautan_daftar(user, Metrik.PSKS, w, status=st),
            ),
        }
        for st_kunci in ("terverifikasi", "diajukan", "dikembalikan"):
            st2 = tabel.status_efektif(st_kunci)
            n = ppks_n(anak_id, st2)
            nilai[f"ppks_{st_kunci}"] = Angka(
                n,
                privasi.tampil(n, sensitif=bool(dipilih and dipilih.sensitif), user=user),
                ppks_url(w, st_kunci) if st2 == st_kunci else None,
            )
            nk = tabel.n(anak_id, Metrik.KELUARGA, 0, st2)
            nilai[f"keluarga_{st_kunci}"] = _angka(
                nk,
                tautan_daftar(user, Metrik.KELUARGA, w, status=st_kunci)
                if st2 == st_kunci
                else None,
            )
        return nilai

    baris = []
    for w in anak:
        url = None
        if w.pk != wilayah.pk:
            url = reverse("laporan:wilayah", args=[w.kode]) + f"?{q_saring}"
        baris.append(BarisWilayah(w, url, nilai_baris(w.pk, w)))
    total = BarisWilayah(wilayah, None, nilai_baris(None, wilayah))
    if dipilih is not None and not tabel.kategori_tampak(dipilih):
        # A sensitive category chosen outside the chain: each PPKS column sums to its printed
        # total, so one hidden cell per column would give itself away (secondary suppression).
        for kunci in ("ppks", "ppks_terverifikasi", "ppks_diajukan", "ppks_dikembalikan"):
            sel = [b.nilai[kunci] for b in baris] + [total.nilai[kunci]]
            mask = privasi.sekunder_baris([a.nilai for a in sel], [a.tersembunyi for a in sel])
            for a, m in zip(sel, mask, strict=True):
                if m:
                    a.tampil = privasi.KECIL

    matriks = matriks_ppks(user, tabel, anak, kategori_ppks, dipilih)
    psks = [
        {
            "kategori": k,
            "angka": _angka(
                tabel.n(None, Metrik.PSKS, k.pk, status),
                tautan_daftar(user, Metrik.PSKS, wilayah, status=status, kategori_id=k.pk),
            ),
        }
        for k in kategori_psks
    ]
    per_kategori = [
        (f"{row['kategori'].singkatan} · {row['kategori'].nama}", row["total"].tampil)
        for row in matriks["baris"]
    ]
    return {
        "wilayah": wilayah,
        "tingkat_anak": tingkat_anak,
        "label_anak": LABEL_ANAK[tingkat_anak],
        "baris": baris if wilayah.tingkat != Tingkat.DESA else [],
        "total": total,
        "matriks": matriks,
        "psks": psks,
        "grafik_kategori": charts.batang(
            per_kategori, judul=f"PPKS per kategori, {wilayah.nama_lengkap}"
        ),
        "grafik_psks": charts.batang(
            [(f"{r['kategori'].singkatan} · {r['kategori'].nama}", r["angka"].nilai) for r in psks],
            judul=f"PSKS per kategori, {wilayah.nama_lengkap}",
            warna="#2f7d4f",
        ),
        "terakhir": tabel.terakhir,
        "rantai": tabel.rantai,
        "tabel": tabel,
        "q_saring": q_saring,
    }


def matriks_ppks(user, tabel: Tabel, anak, kategori_ppks, dipilih=None) -> dict:
    """PPKS category × child area, with totals per category. Sensitive categories, for users
    outside the chain, are suppressed below 5 (with secondary suppression along the row, whose
    total is printed) and carry no link (their list is not open to those users)."""
    status = tabel.status_efektif()
    wilayah = tabel.wilayah
    baris = []
    for k in kategori_ppks:
        if dipilih is not None and k != dipilih:
            continue
        nilai = [tabel.n(w.pk, Metrik.PPKS, k.pk, status) for w in anak]
        total = tabel.n(None, Metrik.PPKS, k.pk, status)
        tampak = tabel.kategori_tampak(k)
        if tampak:
            sel = [
                _angka(n, tautan_daftar(user, Metrik.PPKS, w, status=status, kategori_id=k.pk))
                for n, w in zip(nilai, anak, strict=True)
            ]
            sel_total = _angka(
                total, tautan_daftar(user, Metrik.PPKS, wilayah, status=status, kategori_id=k.pk)
            )
        else:
            semua = [*nilai, total]
            primer = [privasi.tampil(n, sensitif=True, user=user) != n for n in semua]
            mask = privasi.sekunder_baris(semua, primer)
            tampil = [privasi.KECIL if m else n for n, m in zip(semua, mask, strict=True)]
            sel = [Angka(n, t) for n, t in zip(nilai, tampil[:-1], strict=True)]
            sel_total = Angka(total, tampil[-1])
        baris.append({"kategori": k, "sel": sel, "total": sel_total, "tampak": tampak})
    return {"kolom": anak, "baris": baris}


def perlu_perhatian(user, tabel: Tabel) -> dict:
    """What waits for the TKSK in their own kecamatan: returned records, overdue follow-ups,
    unanswered referrals (each linked to the list that shows them). Two queries."""
    wilayah = tabel.wilayah
    kembali = {
        metrik: _angka(
            tabel.n(None, metrik, SEMUA, "dikembalikan"),
            tautan_daftar(user, metrik, wilayah, status="dikembalikan"),
        )
        for metrik in (Metrik.KELUARGA, Metrik.PPKS, Metrik.PSKS)
    }
    terlambat = koordinasi.tindak_lanjut_terlambat(user).count()
    tanpa = koordinasi.rujukan_tanpa_jawaban(user).count()
    return {
        "dikembalikan": kembali,
        "tindak_lanjut": _angka(
            terlambat, reverse("koordinasi:tindaklanjut-list") + "?status=terlambat"
        ),
        "rujukan": _angka(tanpa, reverse("koordinasi:rujukan-list") + "?status=tanpa_jawaban"),
    }
