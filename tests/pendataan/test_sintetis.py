"""Synthetic demo data (`manage.py seed_demo --households N [--seed S]`, demo.sintetis):
reproducible, valid NIKs and No KKs, plausible households, idempotent top-up, data in the demo
kecamatan, and every rule the forms and the database apply to real entries."""

from collections import Counter, defaultdict
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
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
    Keluarga,
    Pendidikan,
    Riwayat,
    StatusKawin,
    StatusPenanganan,
    StatusVerifikasi,
)
from pendataan.nik import periksa_nik, periksa_no_kk, peringatan_nik, urai_nik
from tksk.models import AuditLog, Role, User

KECAMATAN_DEMO = ("62.71.01", "62.71.03", "62.03.01")


def seed(n, s=7):
    call_command("seed_demo", households=n, seed=s, verbosity=0)


def potret():
    """What a user would compare between two runs: people, numbers and ids, in order."""
    orang = list(
        Individu.objects.order_by("id").values_list(
            "uuid", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan", "keluarga__no_kk"
        )
    )
    ppks = list(PPKS.objects.order_by("id").values_list("uuid", "kategori__kode", "subjek"))
    return orang, ppks


def hapus_semua():
    # History is append-only (DELETE is refused); a test starting over empties the table.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE pendataan_riwayat")
    PPKS.objects.all().delete()
    PSKS.objects.all().delete()
    Individu.objects.all().delete()
    Keluarga.objects.all().delete()


def umur(lahir: date, pada: date) -> int:
    return pada.year - lahir.year - ((pada.month, pada.day) < (lahir.month, lahir.day))


@pytest.mark.django_db
def test_same_seed_gives_the_same_people_and_another_seed_others(world):
    seed(30)
    pertama = potret()
    assert len(pertama[0]) >= 30
    hapus_semua()
    seed(30)
    assert potret() == pertama
    hapus_semua()
    seed(30, s=8)
    lain = potret()
    assert [o[2] for o in lain[0]] != [o[2] for o in pertama[0]]


@pytest.mark.django_db
def test_niks_and_kk_numbers_are_valid_unique_and_mostly_match_the_birth_date(world):
    seed(60)
    orang = list(
        Individu.objects.values_list(
            "nik", "alasan_tanpa_nik", "tanggal_lahir", "jenis_kelamin", "desa__kecamatan__kode"
        )
    )
    niks = [o[0] for o in orang if o[0]]
    assert len(niks) == len(set(niks))
    cocok = sewilayah = 0
    for nik, alasan, lahir, jk, kecamatan in orang:
        if not nik:
            assert alasan in AlasanTanpaNIK.values
            continue
        assert periksa_nik(nik) == nik
        if not peringatan_nik(nik, tanggal_lahir=lahir, jenis_kelamin=jk):
            cocok += 1
            info = urai_nik(nik)
            assert (info.tanggal_lahir.day, info.tanggal_lahir.month) == (lahir.day, lahir.month)
            assert info.jenis_kelamin == jk
        sewilayah += nik[:6] == kecamatan.replace(".", "")
    assert cocok / len(niks) >= 0.95
    # The region prefix is where the NIK was first issued: mostly here, sometimes elsewhere.
    assert 0.75 <= sewilayah / len(niks) < 1

    nomor_kk = list(
        Keluarga.objects.values_list("no_kk", "alasan_tanpa_kk", "desa__kecamatan__kode")
    )
    ada = [kk for kk, _, _ in nomor_kk if kk]
    assert len(ada) == len(set(ada))
    for kk, alasan, kecamatan in nomor_kk:
        if kk:
            assert periksa_no_kk(kk) == kk
            assert kk[:6] == kecamatan.replace(".", "")
        else:
            assert alasan


@pytest.mark.django_db
def test_every_household_has_one_living_head_and_consistent_totals(world):
    seed(60)
    for kel in Keluarga.objects.annotate(
        n=Count("anggota"), kepala=Count("anggota", filter=Q(anggota__hubungan="kepala_keluarga"))
    ):
        assert kel.kepala == 1
        assert kel.jumlah_anggota == kel.n
        assert 1 <= kel.n <= 8
        kepala = kel.anggota.get(hubungan="kepala_keluarga")
        assert kepala.status_hidup == "hidup"
        assert kel.nama_kepala == kepala.nama
        assert set(kel.anggota.values_list("desa_id", flat=True)) == {kel.desa_id}
        assert kel.desa.tingkat == "desa"


@pytest.mark.django_db
def test_ages_fit_the_roles(world):
    seed(200)
    per_keluarga = defaultdict(list)
    for o in Individu.objects.values("keluarga_id", "hubungan", "jenis_kelamin", "tanggal_lahir"):
        per_keluarga[o["keluarga_id"]].append(o)
    today = date.today()
    dengan_anak = 0
    for anggota in per_keluarga.values():
        kepala = next(o for o in anggota if o["hubungan"] == "kepala_keluarga")
        assert umur(kepala["tanggal_lahir"], today) >= 17
        istri = [o for o in anggota if o["hubungan"] == "istri"]
        assert len(istri) <= 1
        if istri:
            assert kepala["jenis_kelamin"] == "L" and istri[0]["jenis_kelamin"] == "P"
            selisih = (istri[0]["tanggal_lahir"] - kepala["tanggal_lahir"]).days / 365.25
            assert -5 <= selisih <= 17  # husband up to 4 years younger, or much older
            ibu = istri[0]
        elif kepala["jenis_kelamin"] == "P":
            ibu = kepala
        else:
            ibu = None
        for anak in (o for o in anggota if o["hubungan"] == "anak"):
            assert anak["tanggal_lahir"] <= today
            if ibu:
                dengan_anak += 1
                usia_ibu = (anak["tanggal_lahir"] - ibu["tanggal_lahir"]).days / 365.25
                assert 18 <= usia_ibu <= 45
        for ortu in (o for o in anggota if o["hubungan"] in ("orang_tua", "mertua")):
            assert ortu["tanggal_lahir"] < kepala["tanggal_lahir"]
    assert dengan_anak > 100


@pytest.mark.django_db
def test_rerun_adds_nothing_and_a_larger_target_tops_up(world):
    seed(30)
    jumlah = (Keluarga.objects.count(), Individu.objects.count(), PPKS.objects.count())
    assert jumlah[0] == 30
    call_command("seed_demo", verbosity=0)
    seed(30)
    seed(20)
    assert (Keluarga.objects.count(), Individu.objects.count(), PPKS.objects.count()) == jumlah

    sebelum = potret()
    seed(45)
    assert Keluarga.objects.count() == 45
    # The first 30 households are untouched; the new ones come after them.
    sesudah = potret()
    assert sesudah[0][: len(sebelum[0])] == sebelum[0]
    assert sesudah[1][: len(sebelum[1])] == sebelum[1]
    niks = list(Individu.objects.exclude(nik=None).values_list("nik", flat=True))
    assert len(niks) == len(set(niks))
    uuids = list(Keluarga.objects.values_list("uuid", flat=True))
    assert len(uuids) == len(set(uuids))
    assert AuditLog.objects.filter(aksi="data_sintetis").count() == 2


@pytest.mark.django_db
def test_a_top_up_on_a_database_with_the_same_seed_never_collides(world):
    """Households deleted after a load lower the count; the next load refills it with new
    people whose NIKs, No KKs and UUIDs are all unused."""
    seed(40)
    Keluarga.objects.filter(pk__in=Keluarga.objects.order_by("id").values("pk")[:5]).exclude(
        ppks__isnull=False
    ).exclude(anggota__ppks__isnull=False).delete()
    sisa = Keluarga.objects.count()
    assert sisa < 40
    seed(40)
    assert Keluarga.objects.count() == 40
    for model, kolom in ((Individu, "nik"), (Keluarga, "no_kk"), (Keluarga, "uuid")):
        nilai = [v for v in model.objects.values_list(kolom, flat=True) if v]
        assert len(nilai) == len(set(nilai))


@pytest.mark.django_db
def test_the_demo_kecamatan_get_data_their_tksk_sees_and_recorded(world):
    seed(30)
    for kode in KECAMATAN_DEMO:
        tksk = User.objects.filter(role=Role.TKSK, wilayah__kode=kode).order_by("id").first()
        milik = Keluarga.objects.for_user(tksk)
        assert milik.count() >= 1
        assert set(milik.values_list("dibuat_oleh", flat=True)) == {tksk.pk}
        assert Individu.objects.for_user(tksk).count() >= milik.count()
    # ...and the rest of the province too, with Kotawaringin Timur, Kapuas, Palangkaraya large.
    hapus_semua()
    seed(600)
    per_kab = Counter(Keluarga.objects.values_list("desa__kabupaten__kode", flat=True))
    assert len(per_kab) == 14
    assert min(per_kab["62.02"], per_kab["62.03"], per_kab["62.71"]) > per_kab["62.08"] * 3


@pytest.mark.django_db
def test_values_are_ones_the_forms_accept_and_the_mix_is_plausible(world):
    seed(400)
    orang = list(Individu.objects.all())
    assert {o.hubungan for o in orang} <= set(Hubungan.values)
    assert {o.agama for o in orang} <= set(Agama.values)
    assert {o.pendidikan for o in orang} <= set(Pendidikan.values)
    assert {o.status_kawin for o in orang} <= set(StatusKawin.values)
    assert {o.status_hidup for o in orang} == {"hidup"}
    assert all(isinstance(o.disabilitas, list) for o in orang)
    assert {d for o in orang for d in o.disabilitas} <= set(Disabilitas.values)
    assert all(o.pekerjaan and o.nama and o.tempat_lahir and o.tanggal_lahir for o in orang)

    agama = Counter(o.agama for o in orang)
    assert agama.most_common(1)[0][0] == "islam"
    assert {"kristen", "katolik", "hindu"} <= set(agama)
    tanpa_nik = sum(1 for o in orang if not o.nik) / len(orang)
    assert 0.002 <= tanpa_nik <= 0.03
    assert Counter(o.alasan_tanpa_nik for o in orang if not o.nik)["bayi"] >= 1
    berpasangan = {o.keluarga_id for o in orang if o.hubungan == "istri"}
    for o in orang:
        if o.hubungan == "anak" and umur(o.tanggal_lahir, date.today()) < 15:
            assert o.status_kawin == "belum_kawin"
        if o.hubungan in ("istri", "kepala_keluarga") and o.keluarga_id in berpasangan:
            assert o.status_kawin in ("kawin_tercatat", "kawin_belum_tercatat")
        if o.hubungan == "kepala_keluarga" and o.keluarga_id not in berpasangan:
            assert o.status_kawin in ("belum_kawin", "cerai_hidup", "cerai_mati")

    status = Counter(Keluarga.objects.values_list("status", flat=True))
    assert set(status) == set(StatusVerifikasi.values)
    assert status.most_common(1)[0][0] == "terverifikasi"
    for kel in Keluarga.objects.filter(status="dikembalikan"):
        assert kel.alasan_kembali in AlasanKembali.values and kel.catatan_verifikasi
        assert kel.diverifikasi_pada >= kel.dibuat_pada
    for kel in Keluarga.objects.exclude(status__in=["dikembalikan", "terverifikasi"]):
        assert kel.diverifikasi_pada is None and not kel.alasan_kembali
    # dibuat_pada/diubah_pada were written by the load (spread over 18 months), not "now".
    waktu = list(Keluarga.objects.values_list("dibuat_pada", "diubah_pada"))
    assert all(d <= u for d, u in waktu)
    rentang = max(d for d, _ in waktu) - min(d for d, _ in waktu)
    assert rentang.days > 300


@pytest.mark.django_db
def test_ppks_and_psks_follow_the_category_rules(world):
    seed(400)
    keluarga_dengan_ppks = set(
        PPKS.objects.exclude(keluarga=None).values_list("keluarga_id", flat=True)
    ) | set(PPKS.objects.exclude(individu=None).values_list("individu__keluarga_id", flat=True))
    assert 0.15 <= len(keluarga_dengan_ppks) / 400 <= 0.35
    per_kategori = Counter(PPKS.objects.values_list("kategori__singkatan", flat=True))
    assert per_kategori.most_common(1)[0][0] == "FM"
    assert {"LUT", "PD", "PRSE"} <= set(per_kategori)
    assert {p.status_penanganan for p in PPKS.objects.all()} == set(StatusPenanganan.values)

    today = date.today()
    for p in PPKS.objects.select_related("kategori", "individu"):
        k = p.kategori
        assert p.desa.tingkat == "desa"
        if p.subjek == "individu":
            o = p.individu
            assert p.keluarga_id is None and p.jenis_kelamin == o.jenis_kelamin
            assert p.desa_id == o.desa_id
            usia = umur(o.tanggal_lahir, p.tanggal_identifikasi)
            assert k.usia_min is None or usia >= k.usia_min, (k.singkatan, usia)
            assert k.usia_max is None or usia <= k.usia_max, (k.singkatan, usia)
            assert not k.jenis_kelamin or k.jenis_kelamin == o.jenis_kelamin
            if k.singkatan in ("PD", "ADK"):
                assert o.disabilitas
        elif p.subjek == "keluarga":
            assert p.individu_id is None and p.jenis_kelamin == ""
            assert p.desa_id == p.keluarga.desa_id
        else:
            assert p.nama_kelompok and p.perkiraan_kk and p.perkiraan_jiwa >= p.perkiraan_kk
            assert p.desa.kabupaten.kode in ("62.05", "62.06", "62.07", "62.09", "62.10", "62.12")
        assert p.tanggal_identifikasi <= today
        assert p.tanggal_identifikasi <= timezone.localtime(p.dibuat_pada).date()
        assert (today - p.tanggal_identifikasi).days <= 560

    psks = Counter(PSKS.objects.values_list("kategori__singkatan", flat=True))
    assert {"TKSK", "KT"} <= set(psks)
    # One TKSK entry per kecamatan that received households, named after its TKSK account.
    assert psks["TKSK"] == Keluarga.objects.values("desa__kecamatan").distinct().count()
    # The TKSK entry carries the name of the kecamatan's TKSK account (the demo account's here:
    # the test world's account has no name).
    pahandut = PSKS.objects.get(kategori__singkatan="TKSK", desa__kecamatan__kode="62.71.01")
    assert pahandut.nama == "Rina Susanti"

    # History: one "impor" row per household, PPKS and PSKS, in the record's area.
    impor = Riwayat.objects.filter(aksi="impor")
    assert impor.filter(objek_tipe="keluarga").count() == Keluarga.objects.count()
    assert impor.filter(objek_tipe="ppks").count() == PPKS.objects.count()
    assert impor.filter(objek_tipe="psks").count() == PSKS.objects.count()
    kembali = Riwayat.objects.filter(aksi="transisi", status_ke="dikembalikan")
    assert kembali.count() == Keluarga.objects.filter(status="dikembalikan").count()
