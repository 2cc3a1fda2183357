"""Triggers that keep the copies of a subject's desa and sex (pendataan_individu.desa_id,
pendataan_ppks.desa_id and .jenis_kelamin) in step with the subject, and a repair of the copies
already stale (the summary triggers move the counts with them).

The SQL is frozen here as it was when this migration was written (laporan/sql_salinan.py holds
the current version)."""

from django.db import migrations

BUAT = [
    "CREATE OR REPLACE FUNCTION pendataan_keluarga_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nBEGIN\n  IF EXISTS (SELECT 1 FROM baru b JOIN lama l ON l.id = b.id WHERE l.desa_id <> b.desa_id) THEN\n    UPDATE pendataan_individu i SET desa_id = b.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.desa_id <> b.desa_id\n    WHERE i.keluarga_id = b.id AND i.desa_id <> b.desa_id;\n    UPDATE pendataan_ppks p SET desa_id = b.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.desa_id <> b.desa_id\n    WHERE p.keluarga_id = b.id AND p.subjek = 'keluarga' AND p.desa_id <> b.desa_id;\n  END IF;\n  RETURN NULL;\nEND\n$fn$;",
    "CREATE OR REPLACE FUNCTION pendataan_individu_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nBEGIN\n  IF EXISTS (\n    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id AND l.keluarga_id <> b.keluarga_id\n    JOIN pendataan_keluarga k ON k.id = b.keluarga_id WHERE b.desa_id <> k.desa_id\n  ) THEN\n    UPDATE pendataan_individu i SET desa_id = k.desa_id, diubah_pada = clock_timestamp()\n    FROM baru b JOIN lama l ON l.id = b.id AND l.keluarga_id <> b.keluarga_id\n    JOIN pendataan_keluarga k ON k.id = b.keluarga_id\n    WHERE i.id = b.id AND i.desa_id <> k.desa_id;\n  END IF;\n  IF EXISTS (\n    SELECT 1 FROM baru b JOIN lama l ON l.id = b.id\n    WHERE (l.desa_id, l.jenis_kelamin) IS DISTINCT FROM (b.desa_id, b.jenis_kelamin)\n  ) THEN\n    UPDATE pendataan_ppks p\n    SET desa_id = i.desa_id, jenis_kelamin = i.jenis_kelamin, diubah_pada = clock_timestamp()\n    FROM baru b JOIN pendataan_individu i ON i.id = b.id\n    WHERE p.individu_id = b.id AND p.subjek = 'individu'\n      AND (p.desa_id, p.jenis_kelamin) IS DISTINCT FROM (i.desa_id, i.jenis_kelamin);\n  END IF;\n  RETURN NULL;\nEND\n$fn$;",
    "CREATE OR REPLACE FUNCTION pendataan_ppks_salin() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nDECLARE\n  d pendataan_ppks.desa_id%TYPE;\n  jk pendataan_ppks.jenis_kelamin%TYPE;\nBEGIN\n  IF NEW.subjek = 'individu' AND NEW.individu_id IS NOT NULL THEN\n    SELECT i.desa_id, i.jenis_kelamin INTO d, jk FROM pendataan_individu i\n    WHERE i.id = NEW.individu_id;\n    IF FOUND THEN\n      NEW.desa_id := d;\n      NEW.jenis_kelamin := jk;\n    END IF;\n  ELSE\n    IF NEW.subjek = 'keluarga' AND NEW.keluarga_id IS NOT NULL THEN\n      SELECT k.desa_id INTO d FROM pendataan_keluarga k WHERE k.id = NEW.keluarga_id;\n      IF FOUND THEN\n        NEW.desa_id := d;\n      END IF;\n    END IF;\n    NEW.jenis_kelamin := '';\n  END IF;\n  RETURN NEW;\nEND\n$fn$;",
    "CREATE TRIGGER salinan_upd AFTER UPDATE ON pendataan_keluarga REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION pendataan_keluarga_salin();",
    "CREATE TRIGGER salinan_upd AFTER UPDATE ON pendataan_individu REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION pendataan_individu_salin();",
    "CREATE TRIGGER salinan_tulis BEFORE INSERT OR UPDATE OF subjek, individu_id, keluarga_id, desa_id, jenis_kelamin ON pendataan_ppks FOR EACH ROW EXECUTE FUNCTION pendataan_ppks_salin();",
]

HAPUS = [
    "DROP TRIGGER IF EXISTS salinan_upd ON pendataan_keluarga;",
    "DROP TRIGGER IF EXISTS salinan_upd ON pendataan_individu;",
    "DROP TRIGGER IF EXISTS salinan_tulis ON pendataan_ppks;",
    "DROP FUNCTION IF EXISTS pendataan_keluarga_salin();",
    "DROP FUNCTION IF EXISTS pendataan_individu_salin();",
    "DROP FUNCTION IF EXISTS pendataan_ppks_salin();",
]

PERBAIKI = [
    "UPDATE pendataan_individu i SET desa_id = k.desa_id, diubah_pada = clock_timestamp() FROM pendataan_keluarga k WHERE k.id = i.keluarga_id AND i.desa_id <> k.desa_id",
    "UPDATE pendataan_ppks p SET desa_id = i.desa_id, jenis_kelamin = i.jenis_kelamin, diubah_pada = clock_timestamp() FROM pendataan_individu i WHERE i.id = p.individu_id AND p.subjek = 'individu' AND (p.desa_id, p.jenis_kelamin) IS DISTINCT FROM (i.desa_id, i.jenis_kelamin)",
    "UPDATE pendataan_ppks p SET desa_id = k.desa_id, jenis_kelamin = '', diubah_pada = clock_timestamp() FROM pendataan_keluarga k WHERE k.id = p.keluarga_id AND p.subjek = 'keluarga' AND (p.desa_id <> k.desa_id OR p.jenis_kelamin <> '')",
    "UPDATE pendataan_ppks SET jenis_kelamin = '', diubah_pada = clock_timestamp() WHERE subjek = 'kelompok' AND jenis_kelamin <> ''",
]


class Migration(migrations.Migration):
    dependencies = [
        ("laporan", "0002_ringkasan_trigger"),
        ("pendataan", "0004_laporan_bulanan_index"),
    ]

    operations = [
        migrations.RunSQL(BUAT, reverse_sql=HAPUS),
        migrations.RunSQL(PERBAIKI, reverse_sql=migrations.RunSQL.noop),
    ]
