"""What the export job and the export services share about a job's file row (a module of its
own so laporan.tasks, which the services enqueue, does not import the services back)."""

import secrets

from django.utils import timezone

from laporan.models import BerkasEkspor, StatusEkspor


def nama_berkas_acak(format: str) -> str:
    return f"ekspor/{secrets.token_urlsafe(24)}.{format}"


def ekspor_gagal(berkas: BerkasEkspor, pesan: str) -> None:
    BerkasEkspor.objects.filter(pk=berkas.pk).update(
        status=StatusEkspor.GAGAL, pesan=pesan[:255], selesai_pada=timezone.now()
    )
