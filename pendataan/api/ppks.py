"""PPKS identifications (`ppks`) and the PSKS inventory (`psks`), written through
`ppks_simpan` and `psks_simpan`."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema_view

from pendataan import selectors
from pendataan.api.verifikasi import VerifikasiAksi, skema_verifikasi
from pendataan.models import PPKS, PSKS, JenisPSKS, StatusPenanganan, StatusVerifikasi, SubjekPPKS
from pendataan.serializers import (
    PPKSHasilSerializer,
    PPKSSerializer,
    PSKSHasilSerializer,
    PSKSSerializer,
)
from pendataan.services_ppks import ppks_simpan, psks_simpan
from tksk.api.saring import SaringSinkron
from tksk.api.skema import skema_sumber
from tksk.api.viewsets import SumberTulis
from tksk.kapabilitas import peran


def _saring_kategori(queryset, name, value):
    value = value.strip()
    return queryset.filter(Q(kategori__kode__iexact=value) | Q(kategori__singkatan__iexact=value))


class PPKSSaring(SaringSinkron):
    status = django_filters.ChoiceFilter(choices=StatusVerifikasi.choices)
    kategori = django_filters.CharFilter(
        method=_saring_kategori, max_length=20, help_text="Kode (PPKS-08) atau singkatan (LUT)."
    )
    subjek = django_filters.ChoiceFilter(choices=SubjekPPKS.choices)
    status_penanganan = django_filters.ChoiceFilter(choices=StatusPenanganan.choices)

    class Meta:
        model = PPKS
        fields = [
            "desa",
            "status",
            "kategori",
            "subjek",
            "status_penanganan",
            "search",
            "updated_since",
        ]

    def cari(self, queryset, name, value):
        nama, nomor, _pesan = selectors.pencarian(value)
        if nomor == "":
            return queryset.none()
        if nomor:
            return queryset.filter(
                Q(individu__nik=nomor)
                | Q(keluarga__no_kk=nomor)
                | Q(individu__keluarga__no_kk=nomor)
            )
        return queryset.filter(
            Q(individu__nama__icontains=nama)
            | Q(keluarga__nama_kepala__icontains=nama)
            | Q(nama_kelompok__icontains=nama)
        )


class PSKSSaring(SaringSinkron):
    status = django_filters.ChoiceFilter(choices=StatusVerifikasi.choices)
    kategori = django_filters.CharFilter(
        method=_saring_kategori, max_length=20, help_text="Kode (PSKS-05) atau singkatan (KT)."
    )
    jenis = django_filters.ChoiceFilter(choices=JenisPSKS.choices)

    class Meta:
        model = PSKS
        fields = ["desa", "status", "kategori", "jenis", "search", "updated_since"]

    def cari(self, queryset, name, value):
        nama, nomor, _pesan = selectors.pencarian(value)
        if nomor == "":
            return queryset.none()
        if nomor:
            return queryset.filter(individu__nik=nomor)
        return queryset.filter(Q(nama__icontains=nama) | Q(kontak_nama__icontains=nama))


PPKS_TULIS = [
    "kategori",
    "subjek",
    "individu",
    "keluarga",
    "nama_kelompok",
    "perkiraan_kk",
    "perkiraan_jiwa",
    "desa",
    "tanggal_identifikasi",
    "deskripsi",
    "kebutuhan",
    "status_penanganan",
]
PSKS_TULIS = [
    "kategori",
    "nama",
    "jenis",
    "desa",
    "alamat",
    "kontak_nama",
    "telepon",
    "kapasitas",
    "layanan",
    "aktif",
    "latitude",
    "longitude",
]


@extend_schema_view(
    **skema_sumber("PPKS", PPKSSerializer, PPKSHasilSerializer, tulis=True),
    **skema_verifikasi(PPKSSerializer),
)
class PPKSViewSet(VerifikasiAksi, SumberTulis):
    """PPKS identifications. Sensitive categories stay hidden outside the recording chain
    (`PPKS.objects.for_user`)."""

    model = PPKS
    serializer_class = PPKSSerializer
    hasil_serializer_class = PPKSHasilSerializer
    filterset_class = PPKSSaring
    peran_tulis = peran("ppks.catat")

    def get_queryset(self):
        return (
            PPKS.objects.for_user(self.request.user)
            .select_related(
                "kategori",
                "desa",
                "individu",
                "keluarga",
                "dibuat_oleh",
                "diubah_oleh",
                "diverifikasi_oleh",
            )
            .order_by("diubah_pada", "id")
        )

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        isi = {}
        if obj is not None and not ganti:
            isi = {
                "kategori": obj.kategori.kode,
                "subjek": obj.subjek,
                "individu": obj.individu.uuid if obj.individu_id else None,
                "keluarga": obj.keluarga.uuid if obj.keluarga_id else None,
                "nama_kelompok": obj.nama_kelompok,
                "perkiraan_kk": obj.perkiraan_kk,
                "perkiraan_jiwa": obj.perkiraan_jiwa,
                "desa": obj.desa,
                "tanggal_identifikasi": obj.tanggal_identifikasi,
                "deskripsi": obj.deskripsi,
                "kebutuhan": obj.kebutuhan,
                "status_penanganan": obj.status_penanganan,
            }
        isi.update({k: data[k] for k in PPKS_TULIS if k in data})
        return ppks_simpan(pelaku=self.request.user, ppks=obj, data=isi, versi=versi, uuid=uuid)


@extend_schema_view(
    **skema_sumber("PSKS", PSKSSerializer, PSKSHasilSerializer, tulis=True),
    **skema_verifikasi(PSKSSerializer),
)
class PSKSViewSet(VerifikasiAksi, SumberTulis):
    """The PSKS inventory (social-welfare resources)."""

    model = PSKS
    serializer_class = PSKSSerializer
    hasil_serializer_class = PSKSHasilSerializer
    filterset_class = PSKSSaring
    peran_tulis = peran("ppks.catat")

    def get_queryset(self):
        return (
            PSKS.objects.for_user(self.request.user)
            .select_related(
                "kategori", "desa", "individu", "dibuat_oleh", "diubah_oleh", "diverifikasi_oleh"
            )
            .order_by("diubah_pada", "id")
        )

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        isi = {}
        if obj is not None and not ganti:
            isi = {
                "kategori": obj.kategori.kode,
                "nama": obj.nama,
                "jenis": obj.jenis,
                "desa": obj.desa,
                "alamat": obj.alamat,
                "kontak_nama": obj.kontak_nama,
                "telepon": obj.telepon,
                "kapasitas": obj.kapasitas,
                "layanan": obj.layanan,
                "aktif": obj.aktif,
                "latitude": obj.latitude,
                "longitude": obj.longitude,
            }
        isi.update({k: data[k] for k in PSKS_TULIS if k in data})
        return psks_simpan(pelaku=self.request.user, psks=obj, data=isi, versi=versi, uuid=uuid)
