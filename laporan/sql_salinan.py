"""Triggers that keep the copies of a subject's desa, sex and name in step with the subject.

A person carries a copy of their household's desa, and a PPKS a copy of its subject's desa and
(for a person) sex, so that lists and the summary tables count by area without joins. The copies
are kept by the database, in the same transaction as the change, whatever door it comes through
(a form, the API, the import, a resolution of a duplicate case, raw SQL):

* a household that changes desa takes its members and its own PPKS along;
* a person who changes desa, sex or household takes their PPKS along (and a person moved to
  another household takes that household's desa);
* a PPKS that is written takes its desa and sex from its subject (a group keeps its own desa);
* a PPKS carries its subject's folded name for the list's search (a person's, the household
  head's, or the group's own), which follows a rename of the person or of the head.

The copies are then ordinary updates of pendataan_individu/_ppks, so the summary triggers
(laporan/sql.py) move the counts with them. The trigger names sort after
`laporan_ringkasan_*`: on a household row the summary trigger must see the members where they
were before they are moved (PostgreSQL fires triggers of one event in name order).

Migrations laporan/0003 and laporan/0004 hold this SQL frozen as it was when written.
"""

# A household that moves takes its members and its own PPKS with it.
FUNGSI_KELUARGA = """CREATE OR REPLACE FUNCTION pendataan_keluarga_salin() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM baru b JOIN lama l ON l.id = b.id WHERE l.desa_id <> b.desa_id) THEN
    UPDATE pendataan_individu i SET desa_id = b.desa_id, diubah_pada = clock_timestamp()
    FROM baru b JOIN lama l ON l.id = b.id AND l.desa_id <> b.desa_id
    WHERE i.keluarga_id = b.id AND i.desa_id <> b.desa_id;
    UPDATE pendataan_ppks p SET desa_id = b.desa_id, diubah_pada = clock_timestamp()
    FROM baru b JOIN lama l ON l.id = b.id AND l.desa_id <> b.desa_id
    WHERE p.keluarga_id = b.id AND p.subjek = 'keluarga' AND p.desa_id <> b.desa_id;
  END IF;
  IF EXISTS (
    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id
    WHERE l.nama_kepala_cari IS DISTINCT FROM b.nama_kepala_cari
  ) THEN
    UPDATE pendataan_ppks p SET nama_cari = b.nama_kepala_cari
    FROM baru b JOIN lama l ON l.id = b.id
    WHERE l.nama_kepala_cari IS DISTINCT FROM b.nama_kepala_cari
      AND p.keluarga_id = b.id AND p.subjek = 'keluarga';
  END IF;
  RETURN NULL;
END
$fn$;"""

# A person moved to another household lives where it lives; a person's PPKS follow their desa
# and sex. (A change of the desa alone is the household's move, written member by member before
# the household row: it is not reverted here.)
FUNGSI_INDIVIDU = """CREATE OR REPLACE FUNCTION pendataan_individu_salin() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (
    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id AND l.keluarga_id <> b.keluarga_id
    JOIN pendataan_keluarga k ON k.id = b.keluarga_id WHERE b.desa_id <> k.desa_id
  ) THEN
    UPDATE pendataan_individu i SET desa_id = k.desa_id, diubah_pada = clock_timestamp()
    FROM baru b JOIN lama l ON l.id = b.id AND l.keluarga_id <> b.keluarga_id
    JOIN pendataan_keluarga k ON k.id = b.keluarga_id
    WHERE i.id = b.id AND i.desa_id <> k.desa_id;
  END IF;
  IF EXISTS (
    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id
    WHERE (l.desa_id, l.jenis_kelamin) IS DISTINCT FROM (b.desa_id, b.jenis_kelamin)
  ) THEN
    UPDATE pendataan_ppks p
    SET desa_id = i.desa_id, jenis_kelamin = i.jenis_kelamin, diubah_pada = clock_timestamp()
    FROM baru b JOIN pendataan_individu i ON i.id = b.id
    WHERE p.individu_id = b.id AND p.subjek = 'individu'
      AND (p.desa_id, p.jenis_kelamin) IS DISTINCT FROM (i.desa_id, i.jenis_kelamin);
  END IF;
  IF EXISTS (
    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id WHERE l.nama_cari IS DISTINCT FROM b.nama_cari
  ) THEN
    UPDATE pendataan_ppks p SET nama_cari = b.nama_cari
    FROM baru b JOIN lama l ON l.id = b.id
    WHERE l.nama_cari IS DISTINCT FROM b.nama_cari
      AND p.individu_id = b.id AND p.subjek = 'individu';
  END IF;
  RETURN NULL;
END
$fn$;"""

# A PPKS row as written takes its subject's desa and sex (a subject not yet inserted in a
# deferred-constraint transaction leaves the written values).
FUNGSI_PPKS = """CREATE OR REPLACE FUNCTION pendataan_ppks_salin() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  d pendataan_ppks.desa_id%TYPE;
  jk pendataan_ppks.jenis_kelamin%TYPE;
  nm pendataan_ppks.nama_cari%TYPE;
BEGIN
  IF NEW.subjek = 'individu' AND NEW.individu_id IS NOT NULL THEN
    SELECT i.desa_id, i.jenis_kelamin, i.nama_cari INTO d, jk, nm FROM pendataan_individu i
    WHERE i.id = NEW.individu_id;
    IF FOUND THEN
      NEW.desa_id := d;
      NEW.jenis_kelamin := jk;
      NEW.nama_cari := nm;
    END IF;
  ELSE
    IF NEW.subjek = 'keluarga' AND NEW.keluarga_id IS NOT NULL THEN
      SELECT k.desa_id, k.nama_kepala_cari INTO d, nm FROM pendataan_keluarga k
      WHERE k.id = NEW.keluarga_id;
      IF FOUND THEN
        NEW.desa_id := d;
        NEW.nama_cari := nm;
      END IF;
    ELSE
      NEW.nama_cari := pendataan_lipat(coalesce(NEW.nama_kelompok, ''));
    END IF;
    NEW.jenis_kelamin := '';
  END IF;
  RETURN NEW;
END
$fn$;"""

BUAT = [
    FUNGSI_KELUARGA,
    FUNGSI_INDIVIDU,
    FUNGSI_PPKS,
    "CREATE TRIGGER salinan_upd AFTER UPDATE ON pendataan_keluarga "
    "REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT "
    "EXECUTE FUNCTION pendataan_keluarga_salin();",
    "CREATE TRIGGER salinan_upd AFTER UPDATE ON pendataan_individu "
    "REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT "
    "EXECUTE FUNCTION pendataan_individu_salin();",
    # Only when a column the copy depends on is written: a bulk status change skips it.
    "CREATE TRIGGER salinan_tulis BEFORE INSERT OR UPDATE OF subjek, individu_id, keluarga_id, "
    "desa_id, jenis_kelamin, nama_kelompok, nama_cari ON pendataan_ppks FOR EACH ROW "
    "EXECUTE FUNCTION pendataan_ppks_salin();",
]

HAPUS = [
    "DROP TRIGGER IF EXISTS salinan_upd ON pendataan_keluarga;",
    "DROP TRIGGER IF EXISTS salinan_upd ON pendataan_individu;",
    "DROP TRIGGER IF EXISTS salinan_tulis ON pendataan_ppks;",
    "DROP FUNCTION IF EXISTS pendataan_keluarga_salin();",
    "DROP FUNCTION IF EXISTS pendataan_individu_salin();",
    "DROP FUNCTION IF EXISTS pendataan_ppks_salin();",
]

# Copies that differ from their subject, set right (the triggers move the summary counts).
PERBAIKI = [
    "UPDATE pendataan_individu i SET desa_id = k.desa_id, diubah_pada = clock_timestamp() "
    "FROM pendataan_keluarga k WHERE k.id = i.keluarga_id AND i.desa_id <> k.desa_id",
    "UPDATE pendataan_ppks p SET desa_id = i.desa_id, jenis_kelamin = i.jenis_kelamin, "
    "diubah_pada = clock_timestamp() FROM pendataan_individu i "
    "WHERE i.id = p.individu_id AND p.subjek = 'individu' "
    "AND (p.desa_id, p.jenis_kelamin) IS DISTINCT FROM (i.desa_id, i.jenis_kelamin)",
    "UPDATE pendataan_ppks p SET desa_id = k.desa_id, jenis_kelamin = '', "
    "diubah_pada = clock_timestamp() FROM pendataan_keluarga k "
    "WHERE k.id = p.keluarga_id AND p.subjek = 'keluarga' "
    "AND (p.desa_id <> k.desa_id OR p.jenis_kelamin <> '')",
    "UPDATE pendataan_ppks SET jenis_kelamin = '', diubah_pada = clock_timestamp() "
    "WHERE subjek = 'kelompok' AND jenis_kelamin <> ''",
    # The search copy of the subject's name (no diubah_pada: nothing a device syncs changed).
    "UPDATE pendataan_ppks p SET nama_cari = i.nama_cari FROM pendataan_individu i "
    "WHERE i.id = p.individu_id AND p.subjek = 'individu' "
    "AND p.nama_cari IS DISTINCT FROM i.nama_cari",
    "UPDATE pendataan_ppks p SET nama_cari = k.nama_kepala_cari FROM pendataan_keluarga k "
    "WHERE k.id = p.keluarga_id AND p.subjek = 'keluarga' "
    "AND p.nama_cari IS DISTINCT FROM k.nama_kepala_cari",
    "UPDATE pendataan_ppks SET nama_cari = pendataan_lipat(nama_kelompok) "
    "WHERE subjek = 'kelompok' AND nama_cari IS DISTINCT FROM pendataan_lipat(nama_kelompok)",
]


def perbaiki(cursor) -> int:
    """Set every stale copy right; returns how many rows were changed."""
    jumlah = 0
    for statement in PERBAIKI:
        cursor.execute(statement)
        jumlah += cursor.rowcount
    return jumlah
