from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from laporan import sql


class Command(BaseCommand):
    help = (
        "Hitung ulang tabel ringkasan dasbor dari data pendataan (biasanya tidak perlu: "
        "trigger database menjaganya). --periksa hanya membandingkan, tanpa mengubah."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--periksa",
            action="store_true",
            help="bandingkan ringkasan dengan data dasar; keluar dengan kode 1 bila berbeda",
        )

    def handle(self, *args, periksa, **options):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            if periksa:
                selisih = sql.selisih(cursor)
                jumlah = sum(len(rows) for rows in selisih.values())
                for tabel, rows in selisih.items():
                    for row in rows[:20]:
                        self.stdout.write(
                            f"{tabel}: {row[:-2]} tersimpan {row[-2]}, semestinya {row[-1]}"
                        )
                if jumlah:
                    raise CommandError(f"{jumlah} baris ringkasan berbeda dari data dasar.")
                self.stdout.write("Ringkasan sesuai dengan data dasar.")
                return
            sql.bangun_ulang(cursor)
            cursor.execute("SELECT count(*) FROM laporan_ringkasan_desa")
            self.stdout.write(f"Ringkasan dibangun ulang: {cursor.fetchone()[0]} baris desa.")
