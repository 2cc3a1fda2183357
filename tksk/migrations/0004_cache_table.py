"""The cache table (settings.CACHES: the API's rate-limit counters, shared by every process).
`createcachetable` is idempotent and does nothing for a cache that is not in the database."""

from django.core.management import call_command
from django.db import migrations


def buat_tabel_cache(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def hapus_tabel_cache(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS tksk_cache")


class Migration(migrations.Migration):
    dependencies = [("tksk", "0003_kopsurat")]

    operations = [migrations.RunPython(buat_tabel_cache, hapus_tabel_cache)]
