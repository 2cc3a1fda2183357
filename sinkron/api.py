"""REST API v1 for offline devices: the sync batch and the reference data the offline forms need.

Both take the device token (`Authorization: Token …`); a revoked device gets the 401 with `kode`
of tksk/auth.py, so the client knows to wipe its data.
"""

import hashlib
import json

from django.urls import path
from django.utils.crypto import salted_hmac
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import APIView

from koordinasi.models import Mitra
from pendataan.models import Individu, Keluarga
from sinkron.foto import FotoView
from sinkron.services import BATAS_OPERASI, SKEMA_DITERIMA, sinkronkan
from tksk.models import KategoriPPKS, KategoriPSKS, Tingkat, Wilayah
from tksk.perangkat import Perangkat
from tksk.privasi import samarkan


def _badan(request):
    try:
        return request.data
    except (ParseError, RecursionError, ValueError):
        return None


class SinkronView(APIView):
    """POST a batch of at most 50 operations; one answer per operation (see docs)."""

    @extend_schema(
        summary="Kirim sekumpulan operasi dari perangkat (paling banyak 50)",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        badan = _badan(request)
        if not isinstance(badan, dict) or not isinstance(badan.get("operasi"), list):
            return Response(
                {"detail": "Kiriman harus berisi daftar `operasi`.", "kode": "bentuk"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        skema = badan.get("skema", 1)
        if skema not in SKEMA_DITERIMA:
            return Response(
                {"detail": "Versi aplikasi ini belum dikenal server.", "kode": "skema"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        operasi = badan["operasi"]
        if len(operasi) > BATAS_OPERASI:
            return Response(
                {
                    "detail": f"Paling banyak {BATAS_OPERASI} operasi per kiriman.",
                    "kode": "terlalu_banyak",
                    "batas": BATAS_OPERASI,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        perangkat = request.auth if isinstance(request.auth, Perangkat) else None
        hasil = sinkronkan(
            pelaku=request.user, operasi=operasi, perangkat=perangkat, request=request._request
        )
        return Response({"hasil": hasil})


def garam_nik(user) -> str:
    """The per-user salt of the NIK hashes behind the offline duplicate hint: one TKSK's list
    cannot be matched against another's."""
    return salted_hmac("sinkron.sidik-nik", str(user.pk)).hexdigest()[:32]


# Hex digits of the hash kept: 64 bits tell a few thousand households apart (a hint, the server
# decides) at a quarter of the size on a weak connection.
PANJANG_SIDIK = 16


def sidik_nik(garam: str, nik: str) -> str:
    """SHA-256 of salt + NIK, shortened, as the browser computes it (static/js/offline/ganda.js)."""
    return hashlib.sha256((garam + nik).encode()).hexdigest()[:PANJANG_SIDIK]


def referensi_untuk(user) -> dict:
    desa = Wilayah.objects.for_user(user).filter(tingkat=Tingkat.DESA).order_by("kode")
    keluarga = (
        Keluarga.objects.for_user(user)
        .order_by("pk")
        .values_list("pk", "uuid", "no_kk", "nama_kepala", "desa_id")
    )
    urutan = {pk: i for i, (pk, *_) in enumerate(keluarga)}
    garam = garam_nik(user)
    nik = (
        Individu.objects.for_user(user)
        .exclude(nik__isnull=True)
        .exclude(nik="")
        .order_by("pk")
        .values_list("nik", "keluarga_id")
    )
    return {
        "desa": [{"id": d.pk, "kode": d.kode, "nama": d.nama} for d in desa],
        "kategori_ppks": [
            {"id": k.pk, "kode": k.kode, "nama": k.nama, "sensitif": k.sensitif}
            for k in KategoriPPKS.objects.order_by("nomor")
        ],
        "kategori_psks": [
            {"id": k.pk, "kode": k.kode, "nama": k.nama, "sensitif": False}
            for k in KategoriPSKS.objects.order_by("nomor")
        ],
        "mitra": [
            {"id": m.pk, "uuid": str(m.uuid), "nama": m.nama}
            for m in Mitra.objects.for_user(user).filter(aktif=True).order_by("nama")
        ],
        "keluarga": [
            {"uuid": str(u), "no_kk": samarkan(kk), "kepala": nama, "desa": d}
            for _pk, u, kk, nama, d in keluarga
        ],
        # The NIKs of the user's own households, only as salted hashes (never the numbers):
        # hash -> position of the household in "keluarga".
        "garam_nik": garam,
        "sidik_nik": {sidik_nik(garam, n): urutan[k] for n, k in nik if k in urutan},
    }


class ReferensiView(APIView):
    """Reference data for the offline forms, with an ETag (If-None-Match → 304)."""

    @extend_schema(
        summary="Data rujukan formulir luring (desa, kategori, mitra, keluarga)",
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="ETag jawaban sebelumnya; sama → 304 tanpa isi",
            )
        ],
        responses={200: OpenApiTypes.OBJECT, 304: None},
    )
    def get(self, request):
        isi = referensi_untuk(request.user)
        teks = json.dumps(isi, sort_keys=True, separators=(",", ":"))
        etag = '"' + hashlib.sha256(teks.encode()).hexdigest()[:32] + '"'
        diminta = request.headers.get("If-None-Match", "")
        if etag in [t.strip() for t in diminta.split(",")]:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(isi)
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        return response


urlpatterns = [
    path("sinkron/", SinkronView.as_view(), name="sinkron"),
    path("sinkron/referensi/", ReferensiView.as_view(), name="sinkron-referensi"),
    path("sinkron/foto/", FotoView.as_view(), name="sinkron-foto"),
]
