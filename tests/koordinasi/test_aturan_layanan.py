"""Koordinasi's rules hold in its services whatever the caller: each is called here directly with
bad input (no form, no serializer in between) and refuses with field-keyed Indonesian messages,
writing nothing. Referrals hide sensitive PPKS categories at `Rujukan.objects.for_user` itself."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from koordinasi import services as svc
from koordinasi.models import Kegiatan, Mitra, Rujukan, StatusTindakLanjut, TindakLanjut
from pendataan.models import PPKS
from tests.matrix.koordinasi import buat_kegiatan, buat_mitra, buat_rujukan, buat_tindak_lanjut
from tests.matrix.ppks import buat_ppks
from tksk.models import KopSurat

pytestmark = pytest.mark.django_db


def galat(fungsi, **kwargs) -> dict:
    """The field errors a service call is refused with."""
    with pytest.raises(ValidationError) as info:
        fungsi(**kwargs)
    return info.value.message_dict


def _mitra(world, **data) -> dict:
    isi = {"jenis": "pemerintah", "nama": "Puskesmas Pahandut", "wilayah": world.kec["pahandut"]}
    isi.update(data)
    return isi


# --- Mitra -----------------------------------------------------------------------------------


def test_mitra_rules_every_wrong_field_at_once(world):
    tksk = world.users["tksk_pahandut"]
    bad = _mitra(world, jenis="roket", nama="  X ", telepon="halo", email="bukan-surel")
    errors = galat(svc.mitra_simpan, pelaku=tksk, data=bad)
    assert errors["jenis"] == ["Pilih jenis mitra."]
    assert errors["nama"] == ["Nama mitra terlalu pendek."]
    assert errors["telepon"][0].startswith("Nomor telepon diawali 0 atau +62")
    assert errors["email"] == ["Tulis alamat surel yang benar, mis. nama@contoh.go.id."]
    errors = galat(svc.mitra_simpan, pelaku=tksk, data=_mitra(world, wilayah=world.kec["selat"]))
    assert errors == {"wilayah": ["Pilih wilayah di cakupan tugas Anda."]}
    assert not Mitra.objects.exists()


def test_mitra_name_and_phone_stored_normalised(world):
    data = _mitra(world, nama="  Karang   Taruna  Maju ", telepon="0536-322 1234")
    mitra = svc.mitra_simpan(pelaku=world.users["tksk_pahandut"], data=data)
    assert (mitra.nama, mitra.telepon) == ("Karang Taruna Maju", "05363221234")


# --- Kegiatan --------------------------------------------------------------------------------


def _kegiatan(world, **data) -> dict:
    isi = {
        "jenis": "rapat_koordinasi",
        "tanggal": timezone.localdate(),
        "desa": world.desa["pahandut"],
        "tempat": "Aula kecamatan",
        "topik": "Rapat koordinasi",
        "peserta_laki": 1,
        "peserta_perempuan": 1,
    }
    isi.update(data)
    return isi


@pytest.mark.parametrize(
    "data,kolom,pesan",
    [
        ({"jenis": "pesta"}, "jenis", "Pilih jenis kegiatan."),
        ({"tanggal": date(1999, 12, 31)}, "tanggal", "Periksa tanggal kegiatan."),
        ({"tanggal": date.today() + timedelta(days=400)}, "tanggal", "Periksa tanggal kegiatan."),
        ({"tanggal": None}, "tanggal", "Isi tanggal kegiatan."),
        ({"tanggal": "10-03-2026"}, "tanggal", "Periksa tanggal kegiatan."),
        ({"peserta_perempuan": None}, "peserta_perempuan", "Isi jumlah peserta (0 atau lebih)."),
        ({"tempat": "   "}, "tempat", "Isi tempat kegiatan."),
        ({"topik": ""}, "topik", "Isi topik kegiatan."),
        ({"peserta_laki": -1}, "peserta_laki", "Isi jumlah peserta (0 atau lebih)."),
        (
            {"jam_mulai": time(10), "jam_selesai": time(9)},
            "jam_selesai",
            "Jam selesai harus setelah jam mulai.",
        ),
        ({"desa": "selat"}, "desa", "Pilih desa/kelurahan di wilayah tugas Anda."),
    ],
)
def test_kegiatan_rules(world, data, kolom, pesan):
    if data.get("desa") == "selat":
        data = {"desa": world.desa["selat"]}
    errors = galat(
        svc.kegiatan_simpan, pelaku=world.users["tksk_pahandut"], data=_kegiatan(world, **data)
    )
    assert errors == {kolom: [pesan]}
    assert not Kegiatan.objects.exists()


def test_kegiatan_partners_in_reach_and_newly_named_ones_active(world):
    tksk = world.users["tksk_pahandut"]
    lain = buat_mitra(world, "selat")
    errors = galat(svc.kegiatan_simpan, pelaku=tksk, data=_kegiatan(world), mitra=[lain])
    assert errors == {"mitra": ["Pilih mitra yang ada di wilayah tugas Anda."]}
    nonaktif = buat_mitra(world, "pahandut", aktif=False)
    errors = galat(svc.kegiatan_simpan, pelaku=tksk, data=_kegiatan(world), mitra=[nonaktif])
    assert errors == {"mitra": ["Mitra yang tidak aktif tidak dapat ditambahkan."]}
    # A partner made inactive after it was named stays on the activity.
    mitra = buat_mitra(world, "pahandut")
    kegiatan = buat_kegiatan(world, "pahandut", mitra=[mitra])
    Mitra.objects.filter(pk=mitra.pk).update(aktif=False)
    hasil = svc.kegiatan_simpan(
        pelaku=tksk, data={"topik": "Diubah"}, mitra=[mitra], kegiatan=kegiatan, versi=1
    )
    assert list(hasil.mitra.all()) == [mitra] and hasil.topik == "Diubah"


# --- Tindak lanjut ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,kolom,pesan",
    [
        ({"uraian": "  "}, "uraian", "Tuliskan tindak lanjutnya."),
        ({"batas_waktu": None}, "batas_waktu", "Isi batas waktu."),
        ({"batas_waktu": date(1999, 1, 1)}, "batas_waktu", "Periksa batas waktu."),
        ({"status": "lupa"}, "status", "Pilih status tindak lanjut."),
        ({"status": "selesai"}, "status", "Tindak lanjut baru berstatus belum dikerjakan."),
    ],
)
def test_tindak_lanjut_rules(world, data, kolom, pesan):
    kegiatan = buat_kegiatan(world, "pahandut")
    isi = {"uraian": "Kirim data", "batas_waktu": date.today(), "mitra": None, **data}
    errors = galat(
        svc.tindak_lanjut_simpan, pelaku=world.users["tksk_pahandut"], kegiatan=kegiatan, data=isi
    )
    assert errors == {kolom: [pesan]}
    assert not TindakLanjut.objects.exists()


def test_tindak_lanjut_responsible_partner(world):
    tksk = world.users["tksk_pahandut"]
    kegiatan = buat_kegiatan(world, "pahandut")
    isi = {"uraian": "Kirim data", "batas_waktu": date.today()}
    for mitra, pesan in (
        (buat_mitra(world, "selat"), "Pilih mitra yang ada di wilayah tugas Anda."),
        (
            buat_mitra(world, "pahandut", aktif=False),
            "Mitra yang tidak aktif tidak dapat ditunjuk.",
        ),
    ):
        errors = galat(
            svc.tindak_lanjut_simpan,
            pelaku=tksk,
            kegiatan=kegiatan,
            data={**isi, "mitra": mitra},
        )
        assert errors == {"mitra": [pesan]}
    # An existing one keeps its partner after the partner became inactive, and may be closed.
    mitra = buat_mitra(world, "pahandut")
    tl = buat_tindak_lanjut(world, "pahandut", kegiatan=kegiatan, mitra=mitra)
    Mitra.objects.filter(pk=mitra.pk).update(aktif=False)
    hasil = svc.tindak_lanjut_simpan(
        pelaku=tksk,
        kegiatan=kegiatan,
        data={"status": StatusTindakLanjut.SELESAI, "mitra": mitra},
        tindak_lanjut=tl,
        versi=1,
    )
    assert hasil.status == "selesai" and hasil.mitra_id == mitra.pk


# --- Rujukan ---------------------------------------------------------------------------------


def test_rujukan_kirim_rules_every_wrong_field_at_once(world):
    ppks = buat_ppks(world, "pahandut")
    mitra = buat_mitra(world, "pahandut", aktif=False)
    data = {"alasan": " ", "layanan": "", "urgensi": "kiamat", "tanggal_kirim": date(1999, 1, 1)}
    errors = galat(
        svc.rujukan_kirim, pelaku=world.users["tksk_pahandut"], ppks=ppks, mitra=mitra, data=data
    )
    assert errors == {
        "mitra": ["Pilih mitra aktif di wilayah tugas Anda."],
        "alasan": ["Tuliskan alasan rujukan."],
        "layanan": ["Tuliskan layanan yang dibutuhkan."],
        "urgensi": ["Pilih tingkat urgensi."],
        "tanggal_kirim": ["Periksa tanggal surat."],
    }
    assert not Rujukan.objects.exists()
    ppks.refresh_from_db()
    assert ppks.status_penanganan != "dirujuk"


def test_rujukan_kirim_refused_for_a_closed_ppks(world):
    ppks = buat_ppks(world, "pahandut")
    PPKS.objects.filter(pk=ppks.pk).update(status_penanganan="selesai")
    with pytest.raises(ValidationError) as info:
        buat_rujukan(world, "pahandut", ppks=ppks)
    assert info.value.message_dict == {"ppks": ["Penanganan PPKS ini sudah selesai."]}


def test_entry_windows_of_typed_dates():
    hari_ini = timezone.localdate()
    assert svc.cek_tanggal_surat(hari_ini - timedelta(days=60)) == hari_ini - timedelta(days=60)
    for tanggal, pesan in (
        (hari_ini + timedelta(days=1), "Tanggal surat tidak boleh di masa depan."),
        (hari_ini - timedelta(days=61), "Tanggal surat paling lama 60 hari yang lalu."),
    ):
        with pytest.raises(ValidationError) as info:
            svc.cek_tanggal_surat(tanggal)
        assert info.value.messages == [pesan]
    assert svc.cek_batas_waktu(hari_ini + timedelta(days=730))
    for tanggal in (hari_ini + timedelta(days=731), date(1999, 12, 31)):
        with pytest.raises(ValidationError) as info:
            svc.cek_batas_waktu(tanggal)
        assert info.value.messages == ["Periksa batas waktu."]


def test_rujukan_step_rules(world):
    rujukan = buat_rujukan(world, "pahandut")
    tksk = world.users["tksk_pahandut"]
    besok = timezone.localdate() + timedelta(days=1)
    errors = galat(
        svc.rujukan_ubah_status, pelaku=tksk, rujukan=rujukan, ke="ditolak", tanggal=besok
    )
    assert errors == {
        "tanggal": ["Tanggal tidak boleh di masa depan."],
        "catatan": ["Tuliskan alasan penolakan."],
    }
    kemarin = rujukan.tanggal_kirim - timedelta(days=1)
    errors = galat(
        svc.rujukan_ubah_status, pelaku=tksk, rujukan=rujukan, ke="diterima", tanggal=kemarin
    )
    assert errors == {"tanggal": ["Tanggal tidak boleh sebelum tanggal rujukan dikirim."]}
    assert galat(svc.rujukan_ubah_status, pelaku=tksk, rujukan=rujukan, ke="terbang") == {
        "status": ["Pilih status rujukan."]
    }
    svc.rujukan_ubah_status(pelaku=tksk, rujukan=rujukan, ke="selesai")
    with pytest.raises(ValidationError) as info:
        svc.rujukan_ubah_status(pelaku=tksk, rujukan=rujukan, ke="diproses")
    [langkah] = info.value.error_dict["status"]
    assert langkah.code == "transisi"
    assert langkah.message == "Rujukan berstatus selesai tidak dapat diubah menjadi diproses."
    rujukan.refresh_from_db()
    assert rujukan.status == "selesai" and rujukan.langkah.count() == 2


# --- Kop surat -------------------------------------------------------------------------------


def test_kop_rules(world):
    admin = world.users["admin"]
    for data, errors in (
        ({"nama_instansi": "A\nB\n\nC\nD\nE"}, {"nama_instansi": ["Paling banyak 4 baris."]}),
        ({"nama_instansi": " \n "}, {"nama_instansi": ["Tuliskan nama instansi."]}),
        (
            {"nama_instansi": "DINAS SOSIAL", "email": "dinsos@"},
            {"email": ["Tulis alamat surel yang benar, mis. nama@contoh.go.id."]},
        ),
    ):
        assert galat(svc.kop_simpan, pelaku=admin, wilayah=None, data=data) == errors
    assert not KopSurat.objects.exists()
    kop = svc.kop_simpan(pelaku=admin, wilayah=None, data={"nama_instansi": " A \n\n B "})
    assert kop.nama_instansi == "A\nB"


# --- Who sees which referral -----------------------------------------------------------------


def test_for_user_hides_sensitive_referrals_from_roles_outside_the_chain(world):
    biasa = buat_rujukan(world, "pahandut")
    odha = buat_rujukan(world, "pahandut", ppks=buat_ppks(world, "pahandut", "ODHA"))
    assert odha.ppks.kategori.sensitif and not biasa.ppks.kategori.sensitif

    def terlihat(nama):
        return set(Rujukan.objects.for_user(world.users[nama]).values_list("pk", flat=True))

    # The recording kecamatan's chain: its TKSK, its Dinas kabupaten, the system admin.
    for nama in ("tksk_pahandut", "kab_palangkaraya", "admin"):
        assert terlihat(nama) == {biasa.pk, odha.pk}, nama
    # The province sees the ordinary referral only, whatever is chained after for_user.
    assert terlihat("prov") == {biasa.pk}
    prov = world.users["prov"]
    assert not Rujukan.objects.for_user(prov).filter(pk=odha.pk).exists()
    assert not Rujukan.objects.filter(pk=odha.pk).for_user(prov).exists()
    # Other areas and accounts that cannot act see neither.
    for nama in ("tksk_selat", "kab_kapuas", "unassigned", "inactive"):
        assert terlihat(nama) == set(), nama
    # Aggregates count both, through the explicit door.
    assert set(Rujukan.objects.for_counting(prov).values_list("pk", flat=True)) == {
        biasa.pk,
        odha.pk,
    }
    assert Rujukan.objects.for_counting(world.users["tksk_selat"]).count() == 0
