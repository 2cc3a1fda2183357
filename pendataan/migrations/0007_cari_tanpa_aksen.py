"""Accent- and case-insensitive name search: "Andre" finds "André".

pendataan_lipat(text) is upper(unaccent(text)). unaccent() itself is only STABLE (its dictionary
could change), so the wrapper that names the dictionary explicitly is declared IMMUTABLE, which a
stored generated column and an index need. The folded names are stored (Individu.nama_cari,
Keluarga.nama_kepala_cari) so that the trigram index's rechecks read a column instead of calling
the function for every candidate row; a group's name (few rows) is indexed as an expression.
unaccent and pg_trgm are contrib extensions shipped with PostgreSQL (trusted: a database owner may
create them)."""

import django.contrib.postgres.indexes
from django.db import migrations, models

import pendataan.models

FUNGSI = """
CREATE OR REPLACE FUNCTION pendataan_lipat(teks text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
BEGIN
  RETURN upper(public.unaccent('public.unaccent'::regdictionary, teks));
END
$fn$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("pendataan", "0006_psks_koordinat"),
    ]

    operations = [
        # Adding the stored columns rewrites the tables (about a minute at 250,000 households on a
        # busy 2-core machine): longer than the app's statement timeout, so lifted for this
        # migration's transaction only.
        migrations.RunSQL("SET LOCAL statement_timeout = 0", reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(FUNGSI, reverse_sql="DROP FUNCTION IF EXISTS pendataan_lipat(text)"),
        migrations.AddField(
            model_name="individu",
            name="nama_cari",
            field=models.GeneratedField(
                db_persist=True,
                expression=pendataan.models.Lipat(models.F("nama")),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="keluarga",
            name="nama_kepala_cari",
            field=models.GeneratedField(
                db_persist=True,
                expression=pendataan.models.Lipat(models.F("nama_kepala")),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddIndex(
            model_name="individu",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["nama_cari"], opclasses=["gin_trgm_ops"], name="individu_nama_cari_trgm"
            ),
        ),
        migrations.AddIndex(
            model_name="keluarga",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["nama_kepala_cari"], opclasses=["gin_trgm_ops"], name="keluarga_kepala_trgm"
            ),
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS ppks_kelompok_trgm ON pendataan_ppks "
            "USING gin ((pendataan_lipat(nama_kelompok)) gin_trgm_ops) WHERE subjek = 'kelompok'",
            reverse_sql="DROP INDEX IF EXISTS ppks_kelompok_trgm",
        ),
    ]
