from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peta import bentuk
from peta.muat import BerkasSalah, baca, muat_bawaan, periksa, terapkan


class Command(BaseCommand):
    help = (
        "Muat batas wilayah (peta) dari data/peta/. Aman diulang. Dengan --ganti BERKAS: ganti "
        "bentuk wilayah dengan berkas GeoJSON resmi, setelah kodenya diperiksa terhadap tabel "
        "wilayah dan perubahannya ditampilkan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ganti", metavar="BERKAS", help="GeoJSON pengganti (WGS84)")
        parser.add_argument(
            "--coba", action="store_true", help="dengan --ganti: hanya tampilkan perubahan"
        )
        parser.add_argument("--sumber", default="", help="dengan --ganti: keterangan sumber")

    def handle(self, *args, ganti=None, coba=False, sumber="", **options):
        if not ganti:
            hasil = muat_bawaan()
            self.stdout.write(f"Peta wilayah: {hasil.ringkas().splitlines()[0]}.")
            return
        path = Path(ganti)
        try:
            fitur = baca(path)
            perubahan = periksa(fitur)
        except BerkasSalah as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Pemeriksaan {path.name}: {perubahan.ringkas()}")
        if not perubahan.boleh:
            raise CommandError(
                "Berkas tidak diterapkan: setiap kode harus ada di tabel wilayah dan setiap "
                "wilayah aktif pada tingkat itu harus memiliki bentuk."
            )
        if coba:
            self.stdout.write("Tidak ada yang diubah (--coba).")
            return
        terapkan(fitur, sumber=(sumber or path.name)[:200])
        bentuk.lupakan()
        self.stdout.write(self.style.SUCCESS("Bentuk wilayah diganti."))
