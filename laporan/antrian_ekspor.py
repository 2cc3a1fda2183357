"""Queuing a person-level export: the job's file row, its audit entry, and the background job
(laporan.tasks) that writes the file once this transaction commits."""

from django.db import transaction
from django.utils import timezone

from laporan.berkas_ekspor import umur_berkas
from laporan.models import BerkasEkspor
from laporan.tasks import siapkan_ekspor
from tksk.audit import catat


@transaction.atomic
def ekspor_antrikan(*, pelaku, wilayah, jenis: str, format: str, parameter: dict, jumlah: int):
    """Record a background export job and put it in the queue (the worker runs it after this
    transaction commits: the job row it reads exists by then)."""
    berkas = BerkasEkspor.objects.create(
        pemohon=pelaku,
        wilayah=wilayah,
        jenis=jenis,
        format=format,
        parameter=parameter,
        jumlah_baris=jumlah,
        kedaluwarsa_pada=timezone.now() + umur_berkas(),
    )
    catat(
        aksi="ekspor_antri",
        pelaku=pelaku,
        objek=berkas,
        data={"jenis": jenis, "format": format, "filter": parameter, "perkiraan_baris": jumlah},
    )
    transaction.on_commit(lambda: siapkan_ekspor.enqueue(berkas.pk))
    return berkas
