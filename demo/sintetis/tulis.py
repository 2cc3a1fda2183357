"""Writing a batch with PostgreSQL COPY: the columns per model, the model defaults of the rest,
ids reserved from the sequences, batch-local references turned into database ids."""

import json
from dataclasses import dataclass, field

from pendataan.models import PPKS, PSKS, Individu, Keluarga, Riwayat


@dataclass
class _Batch:
    """Rows of one batch. Ids and references in them are batch-local until _simpan."""

    keluarga: list = field(default_factory=list)
    individu: list = field(default_factory=list)
    ppks: list = field(default_factory=list)
    psks: list = field(default_factory=list)
    riwayat: list = field(default_factory=list)


# fmt: off
# Columns written by COPY, in row order. Every other column gets its model default (_kolom_tetap),
# so a field added later with a default does not break the generator.
KOLOM = {
    Keluarga: ("id", "uuid", "status", "alasan_kembali", "catatan_verifikasi",
               "diverifikasi_pada", "dibuat_pada", "diubah_pada", "versi", "no_kk",
               "alasan_tanpa_kk", "alamat", "rt", "rw", "dusun", "nama_kepala", "jumlah_anggota",
               "desa_id", "dibuat_oleh_id", "diubah_oleh_id", "diverifikasi_oleh_id"),
    Individu: ("id", "uuid", "nik", "alasan_tanpa_nik", "nama", "jenis_kelamin", "tempat_lahir",
               "tanggal_lahir", "hubungan", "agama", "pendidikan", "pekerjaan", "status_kawin",
               "disabilitas", "status_hidup", "nama_ibu", "dibuat_pada", "diubah_pada", "desa_id",
               "keluarga_id"),
    PPKS: ("id", "uuid", "status", "alasan_kembali", "catatan_verifikasi", "diverifikasi_pada",
           "dibuat_pada", "diubah_pada", "versi", "subjek", "nama_kelompok", "perkiraan_kk",
           "perkiraan_jiwa", "tanggal_identifikasi", "deskripsi", "kebutuhan",
           "status_penanganan", "jenis_kelamin", "desa_id", "dibuat_oleh_id", "diubah_oleh_id",
           "diverifikasi_oleh_id", "individu_id", "kategori_id", "keluarga_id"),
    PSKS: ("id", "uuid", "status", "alasan_kembali", "catatan_verifikasi", "diverifikasi_pada",
           "dibuat_pada", "diubah_pada", "versi", "nama", "jenis", "alamat", "kontak_nama",
           "telepon", "kapasitas", "layanan", "aktif", "desa_id", "dibuat_oleh_id",
           "diubah_oleh_id", "diverifikasi_oleh_id", "individu_id", "kategori_id"),
    Riwayat: ("id", "objek_tipe", "objek_uuid", "keluarga_uuid", "waktu", "aksi", "perubahan",
              "status_dari", "status_ke", "alasan", "catatan", "desa_id", "pelaku_id"),
}
# Positions of the batch-local references that _simpan turns into database ids.
I_KELUARGA = KOLOM[Individu].index("keluarga_id")
P_INDIVIDU = KOLOM[PPKS].index("individu_id")
P_KELUARGA = KOLOM[PPKS].index("keluarga_id")
S_INDIVIDU = KOLOM[PSKS].index("individu_id")
# fmt: on


def _kolom_tetap(model) -> tuple[tuple[str, ...], tuple]:
    """Columns the generator does not fill, with the model default written for every row."""
    diisi = set(KOLOM[model])
    nama, nilai = [], []
    for f in model._meta.concrete_fields:
        if f.column in diisi or f.generated:  # a generated column is the database's to write
            continue
        if f.has_default():
            v = f.get_default()
            v = json.dumps(v) if f.get_internal_type() == "JSONField" else v
        elif f.null:
            v = None
        else:
            raise RuntimeError(
                f"demo.sintetis: kolom {model._meta.db_table}.{f.column} wajib diisi tetapi "
                "tidak punya nilai bawaan; tambahkan ke generator."
            )
        nama.append(f.column)
        nilai.append(v)
    return tuple(nama), tuple(nilai)


def _cadangkan_id(cursor, tabel: str, jumlah: int) -> int:
    """Reserve `jumlah` consecutive ids from the table's sequence; returns the first. Safe
    because the tables are locked against other writers for the whole load."""
    if not jumlah:
        return 0
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
        "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
        [tabel, tabel, jumlah],
    )
    return cursor.fetchone()[0] - jumlah + 1


def _tulis(cursor, model, baris: list, tetap: tuple) -> None:
    kolom, nilai_tetap = tetap
    daftar_kolom = ", ".join(KOLOM[model] + kolom)
    with cursor.copy(f"COPY {model._meta.db_table} ({daftar_kolom}) FROM STDIN") as copy:
        tulis = copy.write_row
        if nilai_tetap:
            for row in baris:
                tulis((*row, *nilai_tetap))
        else:
            for row in baris:
                tulis(row)


def _simpan(cursor, b: _Batch, tetap: dict) -> None:
    """Turn batch-local ids into reserved database ids and COPY the rows, parents first."""
    k0 = _cadangkan_id(cursor, Keluarga._meta.db_table, len(b.keluarga))
    i0 = _cadangkan_id(cursor, Individu._meta.db_table, len(b.individu))
    p0 = _cadangkan_id(cursor, PPKS._meta.db_table, len(b.ppks))
    s0 = _cadangkan_id(cursor, PSKS._meta.db_table, len(b.psks))
    r0 = _cadangkan_id(cursor, Riwayat._meta.db_table, len(b.riwayat))
    for row in b.keluarga:
        row[0] += k0
    for row in b.individu:
        row[0] += i0
        row[I_KELUARGA] += k0
    for row in b.ppks:
        row[0] += p0
        if row[P_INDIVIDU] is not None:
            row[P_INDIVIDU] += i0
        if row[P_KELUARGA] is not None:
            row[P_KELUARGA] += k0
    for row in b.psks:
        row[0] += s0
        if row[S_INDIVIDU] is not None:
            row[S_INDIVIDU] += i0
    for n, row in enumerate(b.riwayat):
        row.insert(0, r0 + n)
    for model in (Keluarga, Individu, PPKS, PSKS, Riwayat):
        _tulis(cursor, model, getattr(b, model._meta.model_name), tetap[model])
