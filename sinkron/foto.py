"""A photo of an activity sent by an offline device, after its activity: one multipart request per
photo (the page shows its upload progress), answered like one sync operation.

The file goes through the same check and re-encoding as the web page's upload (FotoForm: type
read from the content, 5 MB, 40 megapixels, EXIF dropped) and is written by the same service.
Idempotent by op_id (the stored answer is replayed) and by the photo's client uuid.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from koordinasi import services as svc_koordinasi
from koordinasi.forms import FotoForm
from koordinasi.models import FotoKegiatan, Kegiatan
from sinkron.entitas import PESAN_KEGIATAN, galat_form, galat_layanan
from sinkron.models import Entitas, OperasiSinkron
from sinkron.services import PESAN
from tksk.perangkat import Perangkat
from tksk.uuid_klien import uuid_sah

logger = logging.getLogger(__name__)

PESAN_FOTO = {
    "tersimpan": "Foto tersimpan di server.",
    "ditolak": "Foto belum tersimpan: periksa pesan di bawahnya.",
}


def _jawab(op_id, status_, *, uuid=None, url="", galat=None) -> dict:
    return {
        "op_id": str(op_id) if op_id else None,
        "status": status_,
        "uuid": str(uuid) if uuid else None,
        "url": url,
        "versi": None,
        "galat": galat or {},
        "pesan": PESAN_FOTO.get(status_) or PESAN[status_],
    }


def _simpan(pelaku, *, uuid, kegiatan_uuid, data, files) -> dict:
    """Check and store one photo; returns the answer (saved or refused with field errors)."""
    form = FotoForm(data, files)
    galat = {} if form.is_valid() else galat_form(form)
    kegiatan = Kegiatan.objects.for_user(pelaku).filter(uuid=kegiatan_uuid).first()
    if kegiatan is None:
        galat["kegiatan"] = [PESAN_KEGIATAN]
    if galat:
        return {"status": "ditolak", "galat": galat}
    tampil, kecil = form.cleaned_data["olahan"]
    try:
        foto = svc_koordinasi.kegiatan_tambah_foto(
            pelaku=pelaku,
            kegiatan=kegiatan,
            tampil=tampil,
            kecil=kecil,
            keterangan=form.cleaned_data.get("keterangan", ""),
            uuid=uuid,
        )
    except ValidationError as error:
        return {"status": "ditolak", "galat": galat_layanan(error)}
    except PermissionDenied as error:
        return {"status": "ditolak", "galat": {"__all__": [str(error)]}}
    url = reverse("koordinasi:kegiatan-detail", args=[foto.kegiatan.uuid]) + "#foto"
    return {"status": "tersimpan", "foto": foto, "url": url}


def foto_terima(*, pelaku, op_id, uuid, kegiatan_uuid, data, files, perangkat=None) -> dict:
    """One photo operation: a replay of `op_id` gets its stored answer."""
    tersimpan = OperasiSinkron.objects.filter(user=pelaku, op_id=op_id).first()
    if tersimpan is not None:
        return tersimpan.hasil
    foto = None
    try:
        with transaction.atomic():
            h = _simpan(pelaku, uuid=uuid, kegiatan_uuid=kegiatan_uuid, data=data, files=files)
            foto = h.get("foto")
            hasil = _jawab(
                op_id,
                h["status"],
                uuid=foto.uuid if foto else uuid,
                url=h.get("url", ""),
                galat=h.get("galat"),
            )
            OperasiSinkron.objects.create(
                user=pelaku,
                perangkat=perangkat,
                op_id=op_id,
                entitas=Entitas.FOTO,
                aksi="buat",
                objek_uuid=uuid,
                status=hasil["status"],
                hasil=hasil,
            )
    except IntegrityError:
        # The same upload twice at once: the one that won answers; this one's files go.
        _buang(foto)
        tersimpan = OperasiSinkron.objects.filter(user=pelaku, op_id=op_id).first()
        if tersimpan is not None:
            return tersimpan.hasil
        logger.exception("sinkron: foto gagal ditulis")
        return _jawab(op_id, "ditolak", galat={"__all__": ["Foto belum tersimpan; coba lagi."]})
    return hasil


def _buang(foto) -> None:
    """The files of a photo whose row was rolled back (an earlier stored photo keeps its own)."""
    if foto is None or FotoKegiatan.objects.filter(pk=foto.pk).exists():
        return
    for berkas in (foto.berkas, foto.kecil):
        if berkas and berkas.name:
            default_storage.delete(berkas.name)


class FotoView(APIView):
    """POST one photo of an activity (multipart: op_id, uuid, kegiatan, keterangan, foto)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Kirim satu foto kegiatan dari perangkat (setelah kegiatannya)",
        request={"multipart/form-data": OpenApiTypes.OBJECT},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        try:
            data, files = request.data, request.FILES
        except Exception:  # noqa: BLE001 - a broken multipart body is the client's fault
            data, files = None, None
        op_id = uuid_sah(data.get("op_id")) if data is not None else None
        uuid = uuid_sah(data.get("uuid")) if data is not None else None
        kegiatan = uuid_sah(data.get("kegiatan")) if data is not None else None
        if op_id is None or uuid is None or kegiatan is None:
            return Response(
                {
                    "detail": "Kiriman foto harus berisi op_id, uuid, kegiatan dan berkas foto.",
                    "kode": "bentuk",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        perangkat = request.auth if isinstance(request.auth, Perangkat) else None
        hasil = foto_terima(
            pelaku=request.user,
            op_id=op_id,
            uuid=uuid,
            kegiatan_uuid=kegiatan,
            data={"keterangan": data.get("keterangan", "")},
            files=files,
            perangkat=perangkat,
        )
        return Response(hasil)
