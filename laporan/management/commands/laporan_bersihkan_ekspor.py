from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from laporan.berkas_ekspor import umur_berkas
from laporan.models import BerkasEkspor
from tksk import lease


class Command(BaseCommand):
    help = (
        "Hapus berkas ekspor yang sudah kedaluwarsa (dan berkas yatim di MEDIA_ROOT/ekspor). "
        "Jalankan berkala, mis. tiap jam lewat cron/systemd timer."
    )

    def handle(self, *args, **options):
        # Jobs whose worker died: re-queued or failed, their partial files removed.
        diambil = lease.ambil_kembali()
        sekarang = timezone.now()
        folder = Path(settings.MEDIA_ROOT) / "ekspor"
        dihapus = 0
        for berkas in BerkasEkspor.objects.filter(kedaluwarsa_pada__lte=sekarang).exclude(
            berkas=""
        ):
            (Path(settings.MEDIA_ROOT) / berkas.berkas).unlink(missing_ok=True)
            BerkasEkspor.objects.filter(pk=berkas.pk).update(berkas="")
            dihapus += 1
        # Files no job points to (a crashed worker): removed once older than a file's lifetime.
        yatim = 0
        if folder.is_dir():
            dikenal = set(BerkasEkspor.objects.exclude(berkas="").values_list("berkas", flat=True))
            batas = (sekarang - umur_berkas()).timestamp()
            for path in folder.iterdir():
                rel = f"ekspor/{path.name}"
                if path.is_file() and rel not in dikenal and path.stat().st_mtime < batas:
                    path.unlink(missing_ok=True)
                    yatim += 1
        self.stdout.write(
            f"{dihapus} berkas kedaluwarsa dan {yatim} berkas yatim dihapus; "
            f"{diambil['diulang']} pekerjaan yatim diantrekan ulang, "
            f"{diambil['digagalkan']} digagalkan, {diambil['berkas']} berkas sebagian dihapus."
        )
