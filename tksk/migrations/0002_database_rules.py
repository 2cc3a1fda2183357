"""Rules the database itself enforces, beyond what Django's ORM declares.

1. An account's (wilayah_id, wilayah_tingkat) must match the area's real (id, tingkat): together
   with the check constraint on the role, a TKSK can only ever be assigned to a kecamatan, even
   by a raw UPDATE.
2. The audit log is append-only: UPDATE and DELETE are refused.
"""

from django.db import migrations

COMPOSITE_FK = """
ALTER TABLE tksk_user
  ADD CONSTRAINT user_wilayah_tingkat_fk
  FOREIGN KEY (wilayah_id, wilayah_tingkat) REFERENCES tksk_wilayah (id, tingkat)
  ON UPDATE CASCADE;
"""

AUDIT_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION tksk_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only (% refused on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tksk_auditlog_append_only
  BEFORE UPDATE OR DELETE ON tksk_auditlog
  FOR EACH ROW EXECUTE FUNCTION tksk_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("tksk", "0001_initial")]

    operations = [
        migrations.RunSQL(
            COMPOSITE_FK, "ALTER TABLE tksk_user DROP CONSTRAINT user_wilayah_tingkat_fk;"
        ),
        migrations.RunSQL(
            AUDIT_APPEND_ONLY,
            "DROP TRIGGER tksk_auditlog_append_only ON tksk_auditlog;"
            "DROP FUNCTION tksk_refuse_change();",
        ),
    ]
