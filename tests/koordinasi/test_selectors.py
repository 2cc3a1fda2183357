"""What the laporan module reads: counts by kind, month and kecamatan, within the user's scope."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from koordinasi import selectors as sel
from koordinasi.models import Rujukan
from tests.matrix.koordinasi import buat_kegiatan, buat_mitra, buat_rujukan, buat_tindak_lanjut

pytestmark = pytest.mark.django_db


def test_activity_counts_by_kind_month_and_kecamatan_with_participants(world):
    buat_kegiatan(world, "pahandut", tanggal=date(2026, 10, 3), peserta_laki=4, peserta_perempuan=6)
    buat_kegiatan(
        world, "pahandut", tanggal=date(2026, 10, 20), peserta_laki=1, peserta_perempuan=2
    )
    buat_kegiatan(
        world,
        "pahandut",
        jenis="asesmen",
        tanggal=date(2026, 11, 2),
        peserta_laki=1,
        peserta_perempuan=0,
    )
    buat_kegiatan(
        world, "jekanraya", tanggal=date(2026, 10, 5), peserta_laki=9, peserta_perempuan=9
    )
    buat_kegiatan(world, "selat", tanggal=date(2026, 10, 5), peserta_laki=7, peserta_perempuan=7)

    tksk = sel.rekap_kegiatan(world.users["tksk_pahandut"], per=("jenis", "bulan"))
    assert tksk == [
        {
            "jenis": "asesmen",
            "bulan": date(2026, 11, 1),
            "jumlah": 1,
            "peserta_laki": 1,
            "peserta_perempuan": 0,
        },
        {
            "jenis": "rapat_koordinasi",
            "bulan": date(2026, 10, 1),
            "jumlah": 2,
            "peserta_laki": 5,
            "peserta_perempuan": 8,
        },
    ]
    kab = sel.rekap_kegiatan(
        world.users["kab_palangkaraya"],
        per=("kecamatan",),
        dari=date(2026, 10, 1),
        sampai=date(2026, 10, 31),
    )
    assert [(r["kecamatan_kode"], r["jumlah"], r["peserta_laki"]) for r in kab] == [
        ("62.71.01", 2, 5),
        ("62.71.03", 1, 9),
    ]
    prov = sel.rekap_kegiatan(world.users["prov"], per=("kabupaten",))
    assert {r["kabupaten_kode"]: r["jumlah"] for r in prov} == {"62.03": 1, "62.71": 4}
    assert sel.rekap_kegiatan(world.users["unassigned"]) == []


def test_referral_counts_by_status_and_unanswered(world, settings):
    settings.RUJUKAN_BATAS_HARI = 7
    a = buat_rujukan(world, "pahandut")
    b = buat_rujukan(world, "pahandut")
    buat_rujukan(world, "jekanraya")
    Rujukan.objects.filter(pk=a.pk).update(tanggal_kirim=timezone.localdate() - timedelta(days=8))
    Rujukan.objects.filter(pk=b.pk).update(status="selesai")
    rows = sel.rekap_rujukan(world.users["tksk_pahandut"], per=("status",))
    assert rows == [
        {"status": "dikirim", "jumlah": 1, "tanpa_jawaban": 1, "selesai": 0, "ditolak": 0},
        {"status": "selesai", "jumlah": 1, "tanpa_jawaban": 0, "selesai": 1, "ditolak": 0},
    ]
    rows = sel.rekap_rujukan(world.users["kab_palangkaraya"], per=("kecamatan",))
    assert [(r["kecamatan_kode"], r["jumlah"]) for r in rows] == [("62.71.01", 2), ("62.71.03", 1)]


def test_partner_and_follow_up_counts(world):
    buat_mitra(world, "pahandut")
    buat_mitra(world, "pahandut", jenis="lembaga_psks")
    buat_mitra(world, wilayah=world.kab["palangkaraya"], pelaku=world.users["kab_palangkaraya"])
    buat_mitra(world, "selat")
    rows = sel.rekap_mitra(world.users["tksk_pahandut"], per=("jenis", "tingkat"))
    assert rows == [
        {"jenis": "lembaga_psks", "wilayah_tingkat": "kecamatan", "jumlah": 1},
        {"jenis": "pemerintah", "wilayah_tingkat": "kabupaten", "jumlah": 1},
        {"jenis": "pemerintah", "wilayah_tingkat": "kecamatan", "jumlah": 1},
    ]
    buat_tindak_lanjut(world, "pahandut", batas_waktu=date(2025, 1, 1))
    buat_tindak_lanjut(world, "pahandut", batas_waktu=date(2099, 1, 1))
    hasil = sel.rekap_tindak_lanjut(world.users["tksk_pahandut"])
    assert hasil == {"belum": 2, "proses": 0, "selesai": 0, "batal": 0, "terlambat": 1}
    ringkas = sel.ringkasan_bulan(world.users["tksk_pahandut"], 2026, 11)
    assert set(ringkas) == {
        "kegiatan_per_jenis",
        "rujukan_per_status",
        "mitra_per_jenis",
        "tindak_lanjut",
    }
