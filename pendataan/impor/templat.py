"""The import template workbook, generated for the user's area."""

import io

from pendataan.impor.kolom import (
    KOLOM_KELUARGA,
    KOLOM_PPKS,
    LEMBAR_DAFTAR,
    LEMBAR_KELUARGA,
    LEMBAR_PETUNJUK,
    LEMBAR_PPKS,
    Kolom,
)
from pendataan.impor.lembar import batas_baris, batas_mb
from pendataan.models import (
    Agama,
    AlasanTanpaNIK,
    Disabilitas,
    Hubungan,
    JenisKelamin,
    Pendidikan,
    StatusKawin,
    StatusPenanganan,
)
from tksk.models import KategoriPPKS, Tingkat, Wilayah


def _pilihan_petunjuk() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        ("jenis_kelamin", list(JenisKelamin.choices)),
        ("hubungan (SHDK)", list(Hubungan.choices)),
        ("agama", list(Agama.choices)),
        ("pendidikan", list(Pendidikan.choices)),
        ("status_kawin", list(StatusKawin.choices)),
        ("alasan_tanpa_nik", list(AlasanTanpaNIK.choices)),
        ("disabilitas", list(Disabilitas.choices)),
        ("status_penanganan (PPKS)", list(StatusPenanganan.choices)),
    ]


def templat_xlsx(pelaku) -> bytes:
    """The import template, generated for the user: their desa codes in the instructions and in
    the drop-down of kode_desa; NIK/No KK columns formatted as Text so Excel keeps every digit."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    desa = list(
        Wilayah.objects.for_user(pelaku)
        .filter(tingkat=Tingkat.DESA, aktif=True)
        .select_related("kecamatan")
        .order_by("kode")
    )
    kategori = list(KategoriPPKS.objects.order_by("nomor"))
    tebal = Font(bold=True)
    judul_fill = PatternFill("solid", fgColor="DDEBF7")
    baris_format = 2000

    wb = Workbook()
    ws_kel = wb.active
    ws_kel.title = LEMBAR_KELUARGA
    ws_ppks = wb.create_sheet(LEMBAR_PPKS)
    ws_pet = wb.create_sheet(LEMBAR_PETUNJUK)
    ws_daftar = wb.create_sheet(LEMBAR_DAFTAR)

    # Lists for the drop-downs live on a hidden sheet (a list typed into the validation itself
    # is limited to 255 characters).
    daftar = {
        "jenis_kelamin": JenisKelamin.values,
        "hubungan": Hubungan.values,
        "agama": Agama.values,
        "pendidikan": Pendidikan.values,
        "status_kawin": StatusKawin.values,
        "alasan_tanpa_nik": AlasanTanpaNIK.values,
        "status_penanganan": StatusPenanganan.values,
        "kode_desa": [w.kode for w in desa],
        "kategori": [k.singkatan for k in kategori] + [k.kode for k in kategori],
    }
    rentang = {}
    for i, (nama, nilai) in enumerate(daftar.items(), start=1):
        huruf = get_column_letter(i)
        ws_daftar.cell(row=1, column=i, value=nama).font = tebal
        for j, v in enumerate(nilai, start=2):
            c = ws_daftar.cell(row=j, column=i, value=v)
            c.number_format = "@"
        if nilai:
            rentang[nama] = f"{LEMBAR_DAFTAR}!${huruf}$2:${huruf}${len(nilai) + 1}"
    ws_daftar.sheet_state = "hidden"

    def siapkan(ws, kolom: list[Kolom]):
        for i, k in enumerate(kolom, start=1):
            huruf = get_column_letter(i)
            c = ws.cell(row=1, column=i, value=k.kunci)
            c.font, c.fill = tebal, judul_fill
            c.comment = Comment(f"{k.wajib}: {k.penjelasan}", "SI TKSK", width=300, height=120)
            ws.column_dimensions[huruf].width = k.lebar
            if k.teks:
                ws.column_dimensions[huruf].number_format = "@"
                for r in range(2, baris_format + 2):
                    ws.cell(row=r, column=i).number_format = "@"
            if k.kunci in rentang:
                dv = DataValidation(
                    type="list",
                    formula1=f"={rentang[k.kunci]}",
                    allow_blank=True,
                    showErrorMessage=k.kunci != "kode_desa",
                    errorTitle="Isian tidak dikenal",
                    error=f"Pilih {k.kunci} dari daftar (lihat lembar Petunjuk).",
                )
                dv.add(f"{huruf}2:{huruf}{baris_format + 1}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"

    siapkan(ws_kel, KOLOM_KELUARGA)
    siapkan(ws_ppks, KOLOM_PPKS)

    # Instructions.
    ws_pet.column_dimensions["A"].width = 24
    ws_pet.column_dimensions["B"].width = 22
    ws_pet.column_dimensions["C"].width = 70
    ws_pet.column_dimensions["D"].width = 22
    bungkus = Alignment(wrap_text=True, vertical="top")
    baris = [1]

    def tulis(*nilai, font=None):
        for i, v in enumerate(nilai, start=1):
            c = ws_pet.cell(row=baris[0], column=i, value=v)
            c.alignment = bungkus
            c.number_format = "@"
            if font:
                c.font = font
        baris[0] += 1

    tulis("Petunjuk impor data keluarga dan PPKS", font=Font(bold=True, size=14))
    for teks in (
        "1. Isi lembar Keluarga: satu baris untuk setiap anggota keluarga. Anggota satu keluarga "
        "memakai kode_keluarga (atau No KK) yang sama; data keluarga (No KK, desa, alamat, RT/RW) "
        "cukup diisi di baris pertama keluarga itu.",
        "2. Isi lembar PPKS (boleh kosong): satu baris untuk setiap identifikasi PPKS, dengan "
        "subjek orang (nik, atau kode_keluarga + nama_anggota), keluarga (kode_keluarga atau "
        "no_kk) atau kelompok (nama_kelompok + kode_desa).",
        "3. Kolom NIK, No KK, kode_keluarga, RT/RW dan kode_desa berformat Teks. Jangan ubah ke "
        "Angka: Excel akan mengubah 16 digit NIK menjadi 6,27E+15 dan angka terakhirnya hilang.",
        "4. Jangan mengubah judul kolom di baris 1. Kolom tambahan milik Anda diabaikan.",
        "5. Unggah berkas ini (.xlsx), atau simpan tiap lembar sebagai CSV. Sebelum disimpan, "
        "aplikasi menampilkan pratinjau: setiap kesalahan dan peringatan per nomor baris.",
        "6. Keluarga dengan satu baris yang salah tidak diimpor sama sekali; perbaiki lalu unggah "
        "lagi. Keluarga yang sudah pernah diimpor dilewati (tidak menjadi ganda).",
        f"Batas: {batas_mb():g} MB per berkas, {batas_baris():,} baris per lembar.".replace(
            ",", "."
        ),
    ):
        ws_pet.merge_cells(start_row=baris[0], start_column=1, end_row=baris[0], end_column=4)
        tulis(teks)
        ws_pet.row_dimensions[baris[0] - 1].height = 32
    baris[0] += 1
    for nama_lembar, kolom in ((LEMBAR_KELUARGA, KOLOM_KELUARGA), (LEMBAR_PPKS, KOLOM_PPKS)):
        tulis(f"Kolom lembar {nama_lembar}", font=Font(bold=True, size=12))
        tulis("Kolom", "Wajib?", "Penjelasan", "Contoh", font=tebal)
        for k in kolom:
            tulis(k.kunci, k.wajib, k.penjelasan, k.contoh)
        baris[0] += 1
    tulis("Kode yang dapat dipakai", font=Font(bold=True, size=12))
    tulis(
        "Boleh ditulis kodenya (kolom Kode) atau namanya (kolom Arti); huruf besar/kecil bebas.",
    )
    for nama, pilihan in _pilihan_petunjuk():
        tulis(nama, font=tebal)
        tulis("Kode", "Arti", font=tebal)
        for kode, label in pilihan:
            tulis(kode, str(label))
        baris[0] += 1
    tulis("Kategori PPKS", font=tebal)
    tulis("Kode", "Singkatan", "Nama", font=tebal)
    for k in kategori:
        tulis(k.kode, k.singkatan, k.nama)
    baris[0] += 1
    tulis("Kode desa/kelurahan di wilayah Anda", font=tebal)
    tulis("Kode", "Kecamatan", "Desa/kelurahan", font=tebal)
    for w in desa:
        tulis(w.kode, w.kecamatan.nama if w.kecamatan_id else "", w.nama_lengkap)

    wb.move_sheet(ws_pet, offset=-2)  # Petunjuk first, so it is what opens
    wb.active = 0
    keluaran = io.BytesIO()
    wb.save(keluaran)
    return keluaran.getvalue()
