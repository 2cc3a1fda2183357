"""History rows are append-only, like the audit log: the database refuses UPDATE and DELETE on
them, whatever code path asks (tksk_refuse_change comes from tksk's 0002_database_rules)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pendataan", "0002_keluarga_sync_index"),
        ("tksk", "0002_database_rules"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER pendataan_riwayat_append_only BEFORE UPDATE OR DELETE "
            "ON pendataan_riwayat FOR EACH ROW EXECUTE FUNCTION tksk_refuse_change();",
            "DROP TRIGGER pendataan_riwayat_append_only ON pendataan_riwayat;",
        ),
    ]
