"""A trigram index for the name search: `nama__icontains` is UPPER(nama) LIKE '%…%', which a
GIN index of UPPER(nama) with gin_trgm_ops answers for 3 characters or more (pg_trgm is a contrib
extension shipped with PostgreSQL)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pendataan", "0004_laporan_bulanan_index"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS individu_nama_trgm ON pendataan_individu "
            "USING gin (upper(nama) gin_trgm_ops)",
            reverse_sql="DROP INDEX IF EXISTS individu_nama_trgm",
        ),
    ]
