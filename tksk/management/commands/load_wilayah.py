from django.core.management.base import BaseCommand

from tksk.models import Tingkat, Wilayah
from tksk.reference import load_kategori, load_wilayah


class Command(BaseCommand):
    help = "Muat kode wilayah (Kemendagri) dan kategori PPKS/PSKS dari data/. Aman diulang."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="62", help="kode provinsi (bawaan: 62)")

    def handle(self, *args, province, **options):
        result = load_wilayah(province)
        ppks, psks = load_kategori()
        counts = {
            t.label: Wilayah.objects.filter(
                kode__startswith=province, tingkat=t, aktif=True
            ).count()
            for t in Tingkat
        }
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(
            f"Wilayah {province}: {summary} "
            f"(baru {result.created}, diubah {result.updated}, tetap {result.unchanged}, "
            f"dinonaktifkan {result.deactivated}); kategori: {ppks} PPKS, {psks} PSKS."
        )
