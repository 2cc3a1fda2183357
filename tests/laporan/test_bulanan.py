"""The monthly TKSK report: compiled from the month's records, written and submitted by the TKSK,
frozen on submission, reviewed (returned with a note or accepted) by the kabupaten, every
transition recorded; its PDF read back with pdftotext."""

import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koordinasi import services as ksvc
from laporan.models import LaporanBulanan, RiwayatLaporan, StatusLaporan
from laporan.selectors import batas_lapor, bulan_ini, geser_bulan
from pendataan.models import PPKS, Individu, Keluarga
from tests.matrix.ppks import buat_ppks
from tksk.models import AuditLog, Wilayah

NARASI = {
    "nomor_sk": "SK-TKSK/2026/017",
    "pendampingan_program": "Pendampingan Program Sembako di 3 desa, 120 KPM.",
    "kejadian_khusus": "Banjir kecil di Tumbang Rungan, 4 KK mengungsi sementara.",
    "kendala": "Sinyal lemah di desa seberang sungai.",
    "rencana": "Verifikasi ulang data lansia telantar.",
    "nama_camat": "Drs. Yohanes Ape",
    "nip_camat": "197001011990031001",
}


def pdf_teks(isi: bytes, *halaman) -> str:
    args = ["pdftotext", "-layout"]
    if halaman:
        args += ["-f", str(halaman[0]), "-l", str(halaman[-1])]
    return subprocess.run(
        [*args, "-", "-"], input=isi, capture_output=True, check=True
    ).stdout.decode()


def _bulan_lalu():
    """Reports are submitted for a month that has ended: the tests report last month."""
    return geser_bulan(bulan_ini(), -1)


def _hari_lalu():
    return _bulan_lalu().replace(day=15)


def _buka(client, bulan=None) -> LaporanBulanan:
    bulan = bulan or _bulan_lalu()
    response = client.post(reverse("laporan:bulanan-buka"), {"bulan": f"{bulan:%Y-%m}"})
    assert response.status_code == 302
    return LaporanBulanan.objects.get(bulan=bulan)


def _isi(client, laporan, *, ajukan=False, **ubah):
    data = {**NARASI, **ubah, "versi": laporan.versi}
    if ajukan:
        data["ajukan"] = "1"
    response = client.post(reverse("laporan:bulanan-ubah", args=[laporan.uuid]), data)
    konfirmasi = reverse("laporan:bulanan-ajukan", args=[laporan.uuid])
    if not ajukan or response.status_code != 302 or response["Location"] != konfirmasi:
        return response
    # Saved, not yet submitted: the numbers are shown and a confirmation asked for.
    halaman = client.get(konfirmasi)
    assert 'data-testid="konfirmasi-ajukan"' in halaman.content.decode()
    laporan.refresh_from_db()
    assert laporan.status in (StatusLaporan.DRAF, StatusLaporan.DIKEMBALIKAN)
    return client.post(konfirmasi, {"konfirmasi": "1", "versi": laporan.versi})


@pytest.fixture
def kegiatan(world):
    """A guidance session with participants and a coordination meeting in Pahandut this month,
    whose typed text carries a NIK (it must never reach the report)."""
    tksk = world.users["tksk_pahandut"]
    mitra = ksvc.mitra_simpan(
        pelaku=tksk,
        data={
            "jenis": "pemerintah",
            "nama": "Puskesmas Pahandut",
            "wilayah": world.kec["pahandut"],
        },
    )
    hari = _hari_lalu()
    ksvc.kegiatan_simpan(
        pelaku=tksk,
        data={
            "jenis": "bimbingan_sosial",
            "tanggal": hari,
            "tempat": "Balai Desa",
            "topik": "Pengasuhan anak 6271011204850001",
            "peserta_laki": 7,
            "peserta_perempuan": 12,
            "desa": world.desa["pahandut"],
        },
    )
    ksvc.kegiatan_simpan(
        pelaku=tksk,
        data={
            "jenis": "rapat_koordinasi",
            "tanggal": hari,
            "tempat": "Kantor Camat",
            "topik": "Koordinasi data PPKS",
            "notulen": "Disepakati pendataan ulang lansia.",
            "desa": world.desa["pahandut"],
        },
        mitra=[mitra],
    )
    return mitra


@pytest.mark.django_db
def test_full_cycle_submit_return_resubmit_accept(client, world, kegiatan):
    tksk, kab = world.users["tksk_pahandut"], world.users["kab_palangkaraya"]
    p = buat_ppks(world, "pahandut", "FM")
    PPKS.objects.filter(pk=p.pk).update(tanggal_identifikasi=_hari_lalu())
    client.force_login(tksk)
    laporan = _buka(client)
    assert laporan.status == StatusLaporan.DRAF and laporan.kecamatan == world.kec["pahandut"]
    assert _buka(client) == laporan  # the same month opens the same report
    response = _isi(client, laporan)
    assert response.status_code == 302
    laporan.refresh_from_db()
    assert laporan.kendala == NARASI["kendala"] and laporan.status == StatusLaporan.DRAF
    detail = client.get(reverse("laporan:bulanan-detail", args=[laporan.uuid]))
    assert detail.context["isi"]["ppks_total"]["baru"] == 1
    assert detail.context["isi"]["peserta"] == {"l": 7, "p": 12}

    response = _isi(client, laporan, ajukan=True)
    assert response.status_code == 302
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DIAJUKAN and laporan.dibekukan_pada
    assert laporan.data["ppks"][0]["baru_l"] == 1

    # Frozen: a PPKS identified afterwards does not change the submitted report (page or PDF).
    p2 = buat_ppks(world, "pahandut", "LUT")
    PPKS.objects.filter(pk=p2.pk).update(tanggal_identifikasi=_hari_lalu())
    detail = client.get(reverse("laporan:bulanan-detail", args=[laporan.uuid]))
    assert detail.context["isi"]["ppks_total"]["baru"] == 1
    assert b'data-testid="dibekukan"' in detail.content
    teks = pdf_teks(client.get(reverse("laporan:bulanan-pdf", args=[laporan.uuid])).content)
    assert "LUT" not in teks and "FM – Fakir Miskin" in teks
    # Submitted: the TKSK can no longer edit it.
    assert client.get(reverse("laporan:bulanan-ubah", args=[laporan.uuid])).status_code == 302
    assert _isi(client, laporan, kendala="diubah diam-diam").status_code == 302
    laporan.refresh_from_db()
    assert laporan.kendala == NARASI["kendala"]

    # The kabupaten returns it; a note is required.
    client.force_login(kab)
    tinjau = reverse("laporan:bulanan-tinjau", args=[laporan.uuid])
    response = client.post(tinjau, {"keputusan": "kembalikan", "catatan": ""})
    assert response.status_code == 400
    assert "Tulis apa yang perlu diperbaiki" in response.content.decode()
    catatan = "Lengkapi jumlah KPM per desa."
    assert client.post(tinjau, {"keputusan": "kembalikan", "catatan": catatan}).status_code == 302
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DIKEMBALIKAN and laporan.catatan_tinjau == catatan

    # The TKSK sees the note, fixes and resubmits: the numbers are compiled again.
    client.force_login(tksk)
    form = client.get(reverse("laporan:bulanan-ubah", args=[laporan.uuid]))
    assert catatan in form.content.decode()
    _isi(client, laporan, ajukan=True, pendampingan_program="120 KPM: 40 per desa.")
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DIAJUKAN
    assert {r["singkatan"] for r in laporan.data["ppks"]} == {"FM", "LUT"}

    client.force_login(kab)
    assert client.post(tinjau, {"keputusan": "terima", "catatan": ""}).status_code == 302
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DITERIMA and laporan.ditinjau_oleh == kab
    # Accepted is final.
    response = client.post(tinjau, {"keputusan": "kembalikan", "catatan": "lagi"})
    assert response.status_code == 400
    langkah = list(
        RiwayatLaporan.objects.filter(laporan=laporan).values_list("status_ke", "pelaku")
    )
    assert langkah == [
        ("draf", tksk.pk),
        ("diajukan", tksk.pk),
        ("dikembalikan", kab.pk),
        ("diajukan", tksk.pk),
        ("diterima", kab.pk),
    ]
    aksi = set(AuditLog.objects.filter(objek_uuid=laporan.uuid).values_list("aksi", flat=True))
    assert {"laporan_buat", "laporan_ajukan", "laporan_kembalikan", "laporan_terima"} <= aksi


@pytest.mark.django_db
def test_roles_and_scope(client, world):
    laporan = LaporanBulanan.objects.create(
        tksk=world.users["tksk_pahandut"], kecamatan=world.kec["pahandut"], bulan=bulan_ini()
    )
    ubah = reverse("laporan:bulanan-ubah", args=[laporan.uuid])
    ajukan = reverse("laporan:bulanan-ajukan", args=[laporan.uuid])
    tinjau = reverse("laporan:bulanan-tinjau", args=[laporan.uuid])
    # Another kecamatan's TKSK and another kabupaten: the report does not exist for them.
    for username in ("tksk_jekanraya", "kab_kapuas", "tksk_selat"):
        client.force_login(world.users[username])
        assert client.get(reverse("laporan:bulanan-detail", args=[laporan.uuid])).status_code == 404
        assert client.post(ajukan).status_code == 404
    # The kabupaten reads it but may not write it, nor review a draft.
    client.force_login(world.users["kab_palangkaraya"])
    assert client.get(ubah).status_code == 403
    assert client.post(ajukan).status_code == 403
    assert client.post(tinjau, {"keputusan": "terima"}).status_code == 400  # not submitted
    # The province reads, never reviews; the TKSK never reviews their own.
    LaporanBulanan.objects.filter(pk=laporan.pk).update(status="diajukan")
    for username in ("prov", "tksk_pahandut"):
        client.force_login(world.users[username])
        assert client.post(tinjau, {"keputusan": "terima"}).status_code == 403
    assert LaporanBulanan.objects.get(pk=laporan.pk).status == "diajukan"
    # Only a TKSK opens reports, never for a month that has not started.
    client.force_login(world.users["kab_palangkaraya"])
    assert client.post(reverse("laporan:bulanan-buka"), {"bulan": "2026-01"}).status_code == 403
    client.force_login(world.users["tksk_pahandut"])
    depan = geser_bulan(bulan_ini(), 1)
    client.post(reverse("laporan:bulanan-buka"), {"bulan": f"{depan:%Y-%m}"})
    assert not LaporanBulanan.objects.filter(bulan=depan).exists()


@pytest.mark.django_db
def test_lists_show_each_role_its_reports(client, world):
    for kec in ("pahandut", "jekanraya", "selat"):
        LaporanBulanan.objects.create(
            tksk=world.users[f"tksk_{kec}"], kecamatan=world.kec[kec], bulan=bulan_ini()
        )
    expected = {"tksk_pahandut": 1, "kab_palangkaraya": 2, "kab_kapuas": 1, "prov": 3}
    for username, n in expected.items():
        client.force_login(world.users[username])
        assert client.get(reverse("laporan:bulanan-list")).context["page"].paginator.count == n


@pytest.mark.django_db
def test_stale_form_is_told_not_silently_saved(client, world):
    client.force_login(world.users["tksk_pahandut"])
    laporan = _buka(client)
    versi_lama = laporan.versi
    _isi(client, laporan, kendala="Pertama")
    response = client.post(
        reverse("laporan:bulanan-ubah", args=[laporan.uuid]),
        {**NARASI, "kendala": "Kedua, dari tab lama", "versi": versi_lama},
    )
    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    assert "Kedua, dari tab lama" in response.content.decode()  # the typing is kept
    laporan.refresh_from_db()
    assert laporan.kendala == "Pertama"


@pytest.mark.django_db
def test_bad_input_is_explained_next_to_the_field(client, world):
    client.force_login(world.users["tksk_pahandut"])
    laporan = _buka(client)
    response = _isi(client, laporan, ajukan=True, nip_camat="1970-abc")
    assert response.status_code == 200
    assert "NIP hanya berisi angka." in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DRAF and laporan.nip_camat == ""


@pytest.mark.django_db
def test_pdf_layout_and_no_nik(client, world, kegiatan):
    """A4, letterhead, title and period, repeated table headers, "Halaman X dari Y", the two
    signature blocks, DejaVu Sans; no NIK, neither typed into text nor of a person."""
    nik = "6271015507880004"
    desa = list(Wilayah.objects.filter(induk=world.kec["pahandut"]).order_by("kode"))
    kategori = ["FM", "LUT", "PD", "AT", "ABT", "GEL", "PGM", "PML", "KBA"]
    for i in range(54):  # 54 rows of desa × category: the table runs onto a second page
        p = buat_ppks(world, "pahandut", kategori[i % 9])
        Individu.objects.filter(pk=p.individu_id).update(nik=f"62710141079{i:05d}")
        # The PPKS follows its household's desa (a database trigger keeps the copy).
        Keluarga.objects.filter(pk=p.individu.keluarga_id).update(desa=desa[i // 9 % len(desa)])
        PPKS.objects.filter(pk=p.pk).update(tanggal_identifikasi=_hari_lalu())
    Individu.objects.filter(pk=p.individu_id).update(nik=nik)
    client.force_login(world.users["tksk_pahandut"])
    laporan = _buka(client)
    _isi(client, laporan, ajukan=True, kendala=f"Warga NIK {nik} belum terdaftar.")
    laporan.refresh_from_db()
    assert laporan.status == StatusLaporan.DIAJUKAN
    response = client.get(reverse("laporan:bulanan-pdf", args=[laporan.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    isi = response.content
    teks = pdf_teks(isi)
    for harus in (
        "PEMERINTAH PROVINSI KALIMANTAN TENGAH",
        "LAPORAN BULANAN",
        "TENAGA KESEJAHTERAAN SOSIAL KECAMATAN (TKSK)",
        f"Periode {laporan.data['periode_label']}",
        "A. Pendataan",
        "B. Penanganan dan rujukan",
        "C. Koordinasi dan jejaring",
        "D. Bimbingan dan penyuluhan sosial",
        "E. Pendampingan program",
        "F. Kejadian khusus/bencana",
        "G. Kendala dan rencana bulan depan",
        "Mengetahui,",
        "Camat Pahandut",
        NARASI["nama_camat"],
        "Puskesmas",
        "Halaman 1 dari",
    ):
        assert harus in teks, harus
    assert nik not in teks and "62710141079" not in teks
    assert "Warga NIK 6271********0004 belum terdaftar." in teks
    assert "6271011204850001" not in teks  # typed into an activity topic
    halaman = int(teks.split("Halaman 1 dari ")[1].split()[0])
    assert halaman >= 2
    kedua = pdf_teks(isi, 2)
    assert "Desa/Kelurahan" in kedua and "Kategori PPKS" in kedua  # the header repeats
    assert f"Halaman 2 dari {halaman}" in kedua
    fonts = subprocess.run(["pdffonts", "-"], input=isi, capture_output=True).stdout.decode()
    assert "DejaVu-Sans" in fonts
    info = subprocess.run(["pdfinfo", "-"], input=isi, capture_output=True).stdout.decode()
    assert "595.276 x 841.89" in info  # A4 portrait
    assert AuditLog.objects.filter(aksi="cetak_pdf", objek_uuid=laporan.uuid).exists()


@pytest.mark.django_db
def test_province_sees_sensitive_rows_merged_and_suppressed(client, world):
    for _ in range(2):
        p = buat_ppks(world, "pahandut", "ODHA")
        PPKS.objects.filter(pk=p.pk).update(tanggal_identifikasi=_hari_lalu())
    p = buat_ppks(world, "pahandut", "FM")
    PPKS.objects.filter(pk=p.pk).update(tanggal_identifikasi=_hari_lalu())
    client.force_login(world.users["tksk_pahandut"])
    laporan = _buka(client)
    _isi(client, laporan, ajukan=True)
    url = reverse("laporan:bulanan-detail", args=[laporan.uuid])
    isi = client.get(url).context["isi"]
    assert {r["singkatan"] for r in isi["ppks"]} == {"ODHA", "FM"}
    client.force_login(world.users["prov"])
    isi = client.get(url).context["isi"]
    assert {r["singkatan"] for r in isi["ppks"]} == {"FM"}
    assert isi["ppks_sensitif"] == {"baru": "<5", "ubah": "<5"}
    assert isi["ppks_total"]["baru"] == 1  # totals count what is shown
    teks = pdf_teks(client.get(reverse("laporan:bulanan-pdf", args=[laporan.uuid])).content)
    assert "ODHA –" not in teks and "Kategori sensitif (gabungan)" in teks


@pytest.mark.django_db
def test_compliance_grid_follows_the_reports(client, world):
    bulan = bulan_ini()
    lalu = geser_bulan(bulan, -1)
    dua = geser_bulan(bulan, -2)
    tepat = timezone.make_aware(datetime.combine(batas_lapor(dua), time.min))
    LaporanBulanan.objects.create(
        tksk=world.users["tksk_pahandut"],
        kecamatan=world.kec["pahandut"],
        bulan=dua,
        status="diterima",
        diajukan_pertama_pada=tepat,
    )
    LaporanBulanan.objects.create(
        tksk=world.users["tksk_pahandut"],
        kecamatan=world.kec["pahandut"],
        bulan=lalu,
        status="diajukan",
        diajukan_pertama_pada=timezone.make_aware(
            datetime.combine(batas_lapor(lalu) + timedelta(days=2), time.min)
        ),
    )
    client.force_login(world.users["kab_palangkaraya"])
    grid = client.get(reverse("laporan:index")).context["kepatuhan"]
    row = next(r for r in grid["baris"] if r["kecamatan"] == world.kec["pahandut"])
    sel = row["sel"]
    assert (sel[-3].kode, sel[-3].terlambat) == ("diterima", False)
    lewat = timezone.localdate() > batas_lapor(lalu)
    assert sel[-2].kode == "diajukan" and sel[-2].terlambat is True
    assert sel[-1].kode == "berjalan"  # this month's report is not due yet
    jekan = next(r for r in grid["baris"] if r["kecamatan"] == world.kec["jekanraya"])
    assert jekan["sel"][-3].kode == "belum"
    assert jekan["sel"][-2].kode == ("belum" if lewat else "berjalan")
    content = client.get(reverse("laporan:index")).content.decode()
    assert 'data-kecamatan="62.71.01"' in content and "kp-diterima" in content
    assert "kp-telat" in content
