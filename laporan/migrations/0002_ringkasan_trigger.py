"""Triggers that keep the summary tables in step with the pendataan tables, and a first
rebuild so that data already present is counted (see laporan/sql.py)."""

from django.db import migrations

from laporan import sql


# The summary rows are updated in place all the time: room on each page for the new row
# version (HOT updates, no index churn), and autovacuum soon after a bulk load.
TABEL = ("laporan_ringkasan_desa", "laporan_ringkasan_kecamatan", "laporan_ringkasan_bulan")
PENYIMPANAN = [
    f"ALTER TABLE {t} SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05, "
    "autovacuum_analyze_scale_factor = 0.05)"
    for t in TABEL
]
PENYIMPANAN_BAWAAN = [
    f"ALTER TABLE {t} RESET (fillfactor, autovacuum_vacuum_scale_factor, "
    "autovacuum_analyze_scale_factor)"
    for t in TABEL
]


def _bangun_ulang(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        sql.bangun_ulang(cursor)


def _kosongkan(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql.BANGUN_ULANG[0])


class Migration(migrations.Migration):
    dependencies = [
        ("laporan", "0001_initial"),
        ("pendataan", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(PENYIMPANAN, reverse_sql=PENYIMPANAN_BAWAAN),
        migrations.RunSQL(sql.buat_trigger(), reverse_sql=sql.hapus_trigger()),
        migrations.RunPython(_bangun_ulang, _kosongkan),
    ]
