"""The PPKS carries its subject's folded name (pendataan_ppks.nama_cari, for the list's search):
the copy triggers of 0003 now set it on every write of a PPKS and follow a rename of the person or
of the household head; the rows already there are filled in. The trigram index of groups' names
(ppks_kelompok_trgm, from pendataan/0007) is replaced by the one on the copy.

The SQL is frozen here as it was when this migration was written (laporan/sql_salinan.py holds
the current version)."""

from django.db import migrations

BUAT = [
    'DROP TRIGGER IF EXISTS salinan_upd ON pendataan_keluarga;',
    'DROP TRIGGER IF EXISTS salinan_upd ON pendataan_individu;',
    'DROP TRIGGER IF EXISTS salinan_tulis ON pendataan_ppks;',
    "CREATE OR REPLACE FUNCTION pendataan_keluarga_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nBEGIN\n  IF EXISTS (SELECT 1 FROM baru b JOIN lama l ON l.id = b.id WHERE l.desa_id <> b.desa_id) THEN\n    UPDATE pendataan_individu i SET desa_id = b.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.desa_id <> b.desa_id\n    WHERE i.keluarga_id = b.id AND i.desa_id <> b.desa_id;\n    UPDATE pendataan_ppks p SET desa_id = b.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.desa_id <> b.desa_id\n    WHERE p.keluarga_id = b.id AND p.subjek = 'keluarga' AND p.desa_id <> b.desa_id;\n  END IF;\n  IF EXISTS (\n    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id\n    WHERE l.nama_kepala_cari IS DISTINCT FROM b.nama_kepala_cari\n  ) THEN\n    UPDATE pendataan_ppks p SET nama_cari = b.nama_kepala_cari\n    FROM baru b JOIN lama l ON l.id = b.id\n    WHERE l.nama_kepala_cari IS DISTINCT FROM b.nama_kepala_cari\n      AND p.keluarga_id = b.id AND p.subjek = 'keluarga';\n  END IF;\n  RETURN NULL;\nEND\n$fn$;",
    "CREATE OR REPLACE FUNCTION pendataan_individu_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nBEGIN\n  IF EXISTS (\n    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id AND l.keluarga_id <> b.keluarga_id\n    JOIN pendataan_keluarga k ON k.id = b.keluarga_id WHERE b.desa_id <> k.desa_id\n  ) THEN\n    UPDATE pendataan_individu i SET desa_id = k.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.keluarga_id <> b.keluarga_id\n    JOIN pendataan_keluarga k ON k.id = b.keluarga_id\n    WHERE i.id = b.id AND i.desa_id <> k.desa_id;\n  END IF;\n  IF EXISTS (\n    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id\n    WHERE (l.desa_id, l.jenis_kelamin) IS DISTINCT FROM (b.desa_id, b.jenis_kelamin)\n  ) THEN\n    UPDATE pendataan_ppks p\n    SET desa_id = i.desa_id, jenis_kelamin = i.jenis_kelamin, diubah_pada = clock_timestamp()\n    FROM baru b JOIN pendataan_individu i ON i.id = b.id\n    WHERE p.individu_id = b.id AND p.subjek = 'individu'\n      AND (p.desa_id, p.jenis_kelamin) IS DISTINCT FROM (i.desa_id, i.jenis_kelamin);\n  END IF;\n  IF EXISTS (\n    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id WHERE l.nama_cari IS DISTINCT FROM b.nama_cari\n  ) THEN\n    UPDATE pendataan_ppks p SET nama_cari = b.nama_cari\n    FROM baru b JOIN lama l ON l.id = b.id\n    WHERE l.nama_cari IS DISTINCT FROM b.nama_cari\n      AND p.individu_id = b.id AND p.subjek = 'individu';\n  END IF;\n  RETURN NULL;\nEND\n$fn$;",
    "CREATE OR REPLACE FUNCTION pendataan_ppks_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nDECLARE\n  d pendataan_ppks.desa_id%TYPE;\n  jk pendataan_ppks.jenis_kelamin%TYPE;\n  nm pendataan_ppks.nama_cari%TYPE;\nBEGIN\n  IF NEW.subjek = 'individu' AND NEW.individu_id IS NOT NULL THEN\n    SELECT i.desa_id, i.jenis_kelamin, i.nama_cari INTO d, jk, nm FROM pendataan_individu i\n    WHERE i.id = NEW.individu_id;\n    IF FOUND THEN\n      NEW.desa_id := d;\n      NEW.jenis_kelamin := jk;\n      NEW.nama_cari := nm;\n    END IF;\n  ELSE\n    IF NEW.subjek = 'keluarga' AND NEW.keluarga_id IS NOT NULL THEN\n      SELECT k.desa_id, k.nama_kepala_cari INTO d, nm FROM pendataan_keluarga k\n      WHERE k.id = NEW.keluarga_id;\n      IF FOUND THEN\n        NEW.desa_id := d;\n        NEW.nama_cari := nm;\n      END IF;\n    ELSE\n      NEW.nama_cari := pendataan_lipat(coalesce(NEW.nama_kelompok, ''));\n    END IF;\n    NEW.jenis_kelamin := '';\n  END IF;\n  RETURN NEW;\nEND\n$fn$;",
    'CREATE TRIGGER salinan_upd AFTER UPDATE ON pendataan_keluarga REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION pendataan_keluarga_salin();',
    'CREATE TRIGGER salinan_upd AFTER UPDATE ON pendataan_individu REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION pendataan_individu_salin();',
    'CREATE TRIGGER salinan_tulis BEFORE INSERT OR UPDATE OF subjek, individu_id, keluarga_id, desa_id, jenis_kelamin, nama_kelompok, nama_cari ON pendataan_ppks FOR EACH ROW EXECUTE FUNCTION pendataan_ppks_salin();',
]

ISI = [
    "UPDATE pendataan_ppks p SET nama_cari = i.nama_cari FROM pendataan_individu i WHERE i.id = p.individu_id AND p.subjek = 'individu' AND p.nama_cari IS DISTINCT FROM i.nama_cari",
    "UPDATE pendataan_ppks p SET nama_cari = k.nama_kepala_cari FROM pendataan_keluarga k WHERE k.id = p.keluarga_id AND p.subjek = 'keluarga' AND p.nama_cari IS DISTINCT FROM k.nama_kepala_cari",
    "UPDATE pendataan_ppks SET nama_cari = pendataan_lipat(nama_kelompok) WHERE subjek = 'kelompok' AND nama_cari IS DISTINCT FROM pendataan_lipat(nama_kelompok)",
    'DROP INDEX IF EXISTS ppks_kelompok_trgm',
]

# Back to 0003's triggers and functions.
KEMBALI = [
    'DROP TRIGGER IF EXISTS salinan_upd ON pendataan_keluarga;',
    'DROP TRIGGER IF EXISTS salinan_upd ON pendataan_individu;',
    'DROP TRIGGER IF EXISTS salinan_tulis ON pendataan_ppks;',
    "CREATE OR REPLACE FUNCTION pendataan_keluarga_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nBEGIN\n  IF EXISTS (SELECT 1 FROM baru b JOIN lama l ON l.id = b.id WHERE l.desa_id <> b.desa_id) THEN\n    UPDATE pendataan_individu i SET desa_id = b.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.desa_id <> b.desa_id\n    WHERE i.keluarga_id = b.id AND i.desa_id <> b.desa_id;\n    UPDATE pendataan_ppks p SET desa_id = b.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.desa_id <> b.desa_id\n    WHERE p.keluarga_id = b.id AND p.subjek = 'keluarga' AND p.desa_id <> b.desa_id;\n  END IF;\n  RETURN NULL;\nEND\n$fn$;",
    "CREATE OR REPLACE FUNCTION pendataan_individu_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nBEGIN\n  IF EXISTS (\n    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id AND l.keluarga_id <> b.keluarga_id\n    JOIN pendataan_keluarga k ON k.id = b.keluarga_id WHERE b.desa_id <> k.desa_id\n  ) THEN\n    UPDATE pendataan_individu i SET desa_id = k.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.keluarga_id <> b.keluarga_id\n    JOIN pendataan_keluarga k ON k.id = b.keluarga_id\n    WHERE i.id = b.id AND i.desa_id <> k.desa_id;\n  END IF;\n  IF EXISTS (\n    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id\n    WHERE (l.desa_id, l.jenis_kelamin) IS DISTINCT FROM (b.desa_id, b.jenis_kelamin)\n  ) THEN\n    UPDATE pendataan_ppks p\n    SET desa_id = i.desa_id, jenis_kelamin = i.jenis_kelamin, diubah_pada = clock_timestamp()\n    FROM baru b JOIN pendataan_individu i ON i.id = b.id\n    WHERE p.individu_id = b.id AND p.subjek = 'individu'\n      AND (p.desa_id, p.jenis_kelamin) IS DISTINCT FROM (i.desa_id, i.jenis_kelamin);\n  END IF;\n  RETURN NULL;\nEND\n$fn$;",
    "CREATE OR REPLACE FUNCTION pendataan_ppks_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nDECLARE\n  d pendataan_ppks.desa_id%TYPE;\n  jk pendataan_ppks.jenis_kelamin%TYPE;\nBEGIN\n  IF NEW.subjek = 'individu' AND NEW.individu_id IS NOT NULL THEN\n    SELECT i.desa_id, i.jenis_kelamin INTO d, jk FROM pendataan_individu i\n    WHERE i.id = NEW.individu_id;\n    IF FOUND THEN\n      NEW.desa_id := d;\n      NEW.jenis_kelamin := jk;\n    END IF;\n  ELSE\n    IF NEW.subjek = 'keluarga' AND NEW.keluarga_id IS NOT NULL THEN\n      SELECT k.desa_id INTO d FROM pendataan_keluarga k WHERE k.id = NEW.keluarga_id;\n      IF FOUND THEN\n        NEW.desa_id := d;\n      END IF;\n    END IF;\n    NEW.jenis_kelamin := '';\n  END IF;\n  RETURN NEW;\nEND\n$fn$;",
    'CREATE TRIGGER salinan_upd AFTER UPDATE ON pendataan_keluarga REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION pendataan_keluarga_salin();',
    'CREATE TRIGGER salinan_upd AFTER UPDATE ON pendataan_individu REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION pendataan_individu_salin();',
    'CREATE TRIGGER salinan_tulis BEFORE INSERT OR UPDATE OF subjek, individu_id, keluarga_id, desa_id, jenis_kelamin ON pendataan_ppks FOR EACH ROW EXECUTE FUNCTION pendataan_ppks_salin();',
]

KEMBALI_INDEKS = [
    "CREATE INDEX IF NOT EXISTS ppks_kelompok_trgm ON pendataan_ppks USING gin ((pendataan_lipat(nama_kelompok)) gin_trgm_ops) WHERE subjek = 'kelompok'",
]


class Migration(migrations.Migration):
    dependencies = [
        ("laporan", "0003_ppks_salinan_trigger"),
        ("pendataan", "0009_ppks_nama_cari"),
    ]

    operations = [
        migrations.RunSQL(BUAT, reverse_sql=KEMBALI),
        migrations.RunSQL(ISI, reverse_sql=KEMBALI_INDEKS),
    ]
