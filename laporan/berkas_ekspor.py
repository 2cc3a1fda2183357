"""What the export job, the queuing of exports and the cleanup command share about a job's file
row (a module of its own so laporan.tasks, which laporan.antrian_ekspor enqueues, imports neither
back)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from laporan.models import BerkasEkspor, StatusEkspor


def nama_berkas_acak(format: str) -> str:
    return f"ekspor/{secrets.token_urlsafe(24)}.{format}"


def ekspor_gagal(berkas: BerkasEkspor, pesan: str) -> None:
    BerkasEkspor.objects.filter(pk=berkas.pk).update(
        status=StatusEkspor.GAGAL, pesan=pesan[:255], selesai_pada=timezone.now()
    )


def umur_berkas() -> timedelta:
    return timedelta(hours=int(getattr(settings, "EKSPOR_UMUR_JAM", 24)))
