"""Roster import through the pages: the template, an upload whose preview lists every row's
errors in Indonesian, and a confirmation that writes every row in one transaction or nothing."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenaga.models import SKTKSK, ProfilTKSK
from tests.matrix.tenaga import buat_profil
from tksk.models import AuditLog

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def baris(**isi) -> dict:
    row = {
        "username": "tksk_pahandut",
        "nama": "Rina Susanti",
        "nik": "6271015205900003",
        "jenis_kelamin": "P",
        "tanggal_lahir": "1990-05-12",
        "asal": "Karang Taruna",
        "asal_organisasi": "Karang Taruna Pahandut",
        "tahun_rekrut": "2012",
        "nomor_sk": "188.44/121/DINSOS/2025",
        "tanggal_sk": "2025-01-02",
        "penerbit_sk": "Dinas Sosial Provinsi Kalimantan Tengah",
        "sk_mulai": "2025-01-03",
        "sk_selesai": "2026-12-31",
    }
    row.update(isi)
    return row


def xlsx(rows, *, rumus=None) -> bytes:
    """A workbook with the TKSK sheet; strings stay strings, `rumus` = (row, column) written as a
    real formula."""
    from openpyxl import Workbook

    from tenaga.impor import KUNCI

    wb = Workbook()
    ws = wb.active
    ws.title = "TKSK"
    ws.append(KUNCI)
    for r, row in enumerate(rows, start=2):
        for c, key in enumerate(KUNCI, start=1):
            if row.get(key) is None:
                continue
            cell = ws.cell(row=r, column=c, value=row[key])
            if rumus != (r, key):
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def unggah(client, data: bytes, nama="daftar-tksk.xlsx"):
    berkas = SimpleUploadedFile(nama, data, content_type=XLSX)
    return client.post(reverse("tenaga:impor"), {"berkas": berkas})


def paket(response) -> str:
    return re.search(r'name="paket" value="([^"]+)"', response.content.decode()).group(1)


def galat_baris(response, nomor: int) -> str:
    html = response.content.decode()
    awal = html.index(f'data-baris="{nomor}"')
    return html[awal : html.index("</tr>", awal)]


def test_template_has_the_columns_and_the_users_kecamatan(client, world):
    from openpyxl import load_workbook

    client.force_login(world.users["prov"])
    response = client.get(reverse("tenaga:impor-templat"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["TKSK"][1]][:3] == ["username", "kode_kecamatan", "nama"]
    teks = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    assert "62.71.01" in teks and "62.03.01" in teks


def test_preview_then_confirm_creates_profiles_and_sks_in_one_go(client, world):
    client.force_login(world.users["prov"])
    rows = [
        baris(),
        baris(username="", kode_kecamatan="62.03.01", nama="Ahmad Fauzi", nik="",
              jenis_kelamin="L", nomor_sk="", tanggal_sk="", penerbit_sk="", sk_mulai="",
              sk_selesai=""),
    ]  # fmt: skip
    response = unggah(client, xlsx(rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2</strong> siap diimpor" in page and 'data-testid="konfirmasi-impor"' in page
    assert not ProfilTKSK.objects.exists()  # nothing saved by the preview
    assert "6271015205900003" not in page
    response = client.post(reverse("tenaga:impor-konfirmasi"), {"paket": paket(response)})
    assert response.status_code == 302
    rina = ProfilTKSK.objects.get(nama="Rina Susanti")
    assert rina.akun == world.users["tksk_pahandut"] and rina.kecamatan == world.kec["pahandut"]
    assert rina.asal == "karang_taruna" and rina.nik == "6271015205900003"
    assert SKTKSK.objects.get(profil=rina).nomor == "188.44/121/DINSOS/2025"
    fauzi = ProfilTKSK.objects.get(nama="Ahmad Fauzi")
    assert fauzi.akun is None and fauzi.kecamatan == world.kec["selat"]
    assert fauzi.penugasan.get().kecamatan == world.kec["selat"]
    assert AuditLog.objects.filter(aksi="tksk_impor").exists()
    # The same file again: both rows already registered, skipped, nothing doubled.
    response = unggah(client, xlsx(rows))
    assert "2</strong> dilewati" in response.content.decode()
    assert 'data-testid="konfirmasi-impor"' not in response.content.decode()
    assert ProfilTKSK.objects.count() == 2


def test_every_rows_errors_are_listed_and_nothing_can_be_confirmed(client, world):
    buat_profil(world, "jekanraya")  # Jekan Raya already has an active TKSK
    client.force_login(world.users["prov"])
    rumus = '=HYPERLINK("http://contoh.invalid","0812")'
    tanpa_akun = {"username": "", "nik": ""}
    rows = [
        baris(),  # valid
        baris(username="tidak_ada", nik="62710152059000AB", nama=""),
        baris(**tanpa_akun, kode_kecamatan="62.71.03", nama="Dua di Jekan",
              sk_mulai="2026-12-31", sk_selesai="2025-01-01", jenis_kelamin="X"),
        baris(username="", kode_kecamatan="62.71.01", nama="Kedua", nik="6271015205900003"),
        baris(**tanpa_akun, kode_kecamatan="99.99.99", nama="Di luar",
              tanggal_lahir="31-02-1990", telepon=rumus),
    ]  # fmt: skip
    response = unggah(client, xlsx(rows, rumus=(6, "telepon")))
    assert response.status_code == 200
    assert 'data-testid="konfirmasi-impor"' not in response.content.decode()
    assert "Siap" in galat_baris(response, 2)
    b3 = galat_baris(response, 3)
    assert "tidak_ada” tidak ditemukan" in b3 and "Nama lengkap wajib diisi" in b3
    assert "NIK" in b3
    b4 = galat_baris(response, 4)
    assert "tidak boleh sebelum tanggal mulainya" in b4
    assert "sudah punya TKSK aktif" in b4 and "tidak dikenal untuk kolom jenis_kelamin" in b4
    b5 = galat_baris(response, 5)
    assert "sudah dipakai di baris 2" in b5 and "sudah punya TKSK di baris 2" in b5
    b6 = galat_baris(response, 6)
    assert "bukan kecamatan di wilayah Anda" in b6 and "tidak dikenali" in b6
    # A formula cell is an error of its row, never evaluated.
    assert "<strong>telepon</strong>: Sel ini berisi rumus Excel" in b6
    # A forged confirmation of the preview is checked again: nothing is saved.
    response = client.post(reverse("tenaga:impor-konfirmasi"), {"paket": paket_dari(rows)})
    assert not ProfilTKSK.objects.exclude(akun=world.users["tksk_jekanraya"]).exists()


def paket_dari(rows):
    return "bukan-paket-bertanda-tangan"


def test_a_handover_row_may_add_a_second_active_tksk(client, world):
    buat_profil(world, "jekanraya")
    client.force_login(world.users["admin"])
    row = baris(username="", kode_kecamatan="62.71.03", nama="Pengganti", nik="", serah_terima="ya")
    response = unggah(client, xlsx([row]))
    assert "1</strong> siap diimpor" in response.content.decode()
    client.post(reverse("tenaga:impor-konfirmasi"), {"paket": paket(response)})
    assert ProfilTKSK.objects.filter(kecamatan=world.kec["jekanraya"]).count() == 2


def test_all_or_nothing_when_the_database_changed_since_the_preview(client, world):
    client.force_login(world.users["prov"])
    rows = [baris(), baris(username="tksk_selat", nama="Ahmad Fauzi", nik="", jenis_kelamin="L",
                           nomor_sk="SK/2", kode_kecamatan="")]  # fmt: skip
    response = unggah(client, xlsx(rows))
    token = paket(response)
    # Meanwhile someone registers a TKSK in Selat by hand (no account): row 3 now clashes.
    from tenaga.services import profil_simpan

    profil_simpan(pelaku=world.users["admin"], data={"kecamatan": world.kec["selat"],
                  "nama": "Manual", "jenis_kelamin": "L"})  # fmt: skip
    response = client.post(reverse("tenaga:impor-konfirmasi"), {"paket": token})
    assert response.status_code == 400
    assert "Tidak ada yang disimpan" in response.content.decode()
    assert "sudah punya TKSK aktif" in galat_baris(response, 3)
    assert not ProfilTKSK.objects.filter(nama="Rina Susanti").exists()
    assert not SKTKSK.objects.exists()


def test_unusable_files_are_refused_with_a_message(client, world):
    client.force_login(world.users["prov"])
    response = unggah(client, b"bukan xlsx", "daftar.xlsx")
    assert response.status_code == 400 and "bukan .xlsx" in response.content.decode()
    response = unggah(client, b"a,b\n1,2\n", "daftar.csv")
    assert "Unggah berkas .xlsx" in response.content.decode()
    from openpyxl import Workbook

    wb, out = Workbook(), io.BytesIO()
    wb.active.title = "Lain"
    wb.save(out)
    assert "tidak berisi lembar" in unggah(client, out.getvalue()).content.decode()


def test_kabupaten_and_tksk_cannot_import(client, world):
    for username in ("kab_palangkaraya", "tksk_pahandut"):
        client.force_login(world.users[username])
        assert unggah(client, xlsx([baris()])).status_code == 403
        assert client.get(reverse("tenaga:impor-templat")).status_code == 403
    assert not ProfilTKSK.objects.exists()


def test_a_preview_signed_for_another_user_is_refused(client, world):
    client.force_login(world.users["prov"])
    token = paket(unggah(client, xlsx([baris()])))
    client.force_login(world.users["admin"])
    response = client.post(reverse("tenaga:impor-konfirmasi"), {"paket": token}, follow=True)
    assert "tidak berlaku lagi" in response.content.decode()
    assert not ProfilTKSK.objects.exists()
