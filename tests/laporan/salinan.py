"""What the dashboards show against a count straight from the subjects (never from the copies
of desa and sex the PPKS rows carry), shared by the copy tests."""

from collections import Counter

from django.db import connection

from laporan import sql
from laporan.models import RingkasanDesa
from laporan.selectors import SEMUA, Saringan, Tabel, anak_wilayah, bulan_ini
from pendataan.models import PPKS, Individu


def _subjek(p: PPKS) -> tuple[int, str]:
    """(desa, sex) of a PPKS read from its subject: a person's household, a household, the group
    itself."""
    if p.subjek == "individu":
        return p.individu.keluarga.desa_id, p.individu.jenis_kelamin
    if p.subjek == "keluarga":
        return p.keluarga.desa_id, ""
    return p.desa_id, ""


def dari_subjek() -> dict:
    """{"desa": {desa_id: n}, "jk": {(desa_id, sex): n}, "individu": {desa_id: n}}."""
    desa, jk = Counter(), Counter()
    for p in PPKS.objects.select_related("individu__keluarga", "keluarga"):
        d, s = _subjek(p)
        desa[d] += 1
        jk[(d, s)] += 1
    orang = Counter(i.keluarga.desa_id for i in Individu.objects.hidup().select_related("keluarga"))
    return {"desa": dict(desa), "jk": dict(jk), "individu": dict(orang)}


def nama_dari_subjek() -> dict:
    """{PPKS id: the subject's name folded (accents off, upper case)}, computed in Python from
    the subject: a person's name, the household head's, the group's own."""
    import unicodedata

    def lipat(teks: str) -> str:
        tanpa = unicodedata.normalize("NFKD", teks or "")
        return "".join(c for c in tanpa if not unicodedata.combining(c)).upper()

    hasil = {}
    for p in PPKS.objects.select_related("individu", "keluarga"):
        if p.subjek == "individu":
            hasil[p.pk] = lipat(p.individu.nama)
        elif p.subjek == "keluarga":
            hasil[p.pk] = lipat(p.keluarga.nama_kepala)
        else:
            hasil[p.pk] = lipat(p.nama_kelompok)
    return hasil


def nama_dari_ppks() -> dict:
    """{PPKS id: the search copy stored on the PPKS row}."""
    return dict(PPKS.objects.values_list("pk", "nama_cari"))


def dari_dasbor(user, kecamatan) -> dict:
    """The same numbers as the dashboards read them: the per-desa table of each kecamatan's
    dashboard, and the summary cells per sex."""
    desa, orang = {}, {}
    for kec in kecamatan:
        anak = anak_wilayah(kec)
        tabel = Tabel(user, kec, anak, Saringan(bulan=bulan_ini()))
        for w in anak:
            if n := tabel.n(w.pk, "ppks", SEMUA):
                desa[w.pk] = n
            if n := tabel.n(w.pk, "individu"):
                orang[w.pk] = n
    jk = Counter()
    for r in RingkasanDesa.objects.filter(metrik="ppks").exclude(n=0):
        jk[(r.desa_id, r.jenis_kelamin)] += r.n
    return {"desa": desa, "jk": {k: v for k, v in jk.items() if v}, "individu": orang}


def selisih() -> dict:
    with connection.cursor() as cursor:
        return {t: rows for t, rows in sql.selisih(cursor).items() if rows}
