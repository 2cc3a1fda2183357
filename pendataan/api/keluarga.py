"""Households with their members (`keluarga`) and persons (`individu`, read only: they are
written through their household, by `keluarga_simpan`)."""

import re

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_view
from rest_framework import exceptions

from pendataan import selectors
from pendataan.api.cari import CariNomor, saring_individu, saring_keluarga, skema_cari
from pendataan.api.verifikasi import VerifikasiAksi, skema_verifikasi
from pendataan.models import Individu, Keluarga, StatusVerifikasi
from pendataan.serializers import (
    IndividuSerializer,
    KeluargaHasilSerializer,
    KeluargaSerializer,
)
from pendataan.services import KELUARGA_FIELDS, keluarga_simpan
from tksk.api.galat import pesan_django
from tksk.api.saring import SaringNIK
from tksk.api.skema import skema_sumber
from tksk.api.viewsets import SumberBaca, SumberTulis
from tksk.kapabilitas import peran


class KeluargaSaring(SaringNIK):
    status = django_filters.ChoiceFilter(choices=StatusVerifikasi.choices)

    class Meta:
        model = Keluarga
        fields = ["desa", "status", "search", "updated_since", "nik"]

    def cari(self, queryset, name, value):
        return selectors.cari_keluarga(queryset, value)[0]


class IndividuSaring(SaringNIK):
    keluarga = django_filters.UUIDFilter(field_name="keluarga__uuid", help_text="uuid keluarga.")

    class Meta:
        model = Individu
        fields = ["desa", "keluarga", "search", "updated_since", "nik"]

    def cari(self, queryset, name, value):
        return selectors.cari_individu(queryset, value)[0]


KELUARGA_KOSONG = {
    "no_kk": "",
    "alasan_tanpa_kk": "",
    "rt": "",
    "rw": "",
    "dusun": "",
    "latitude": None,
    "longitude": None,
}
ANGGOTA_KOSONG = {
    "nik": "",
    "alasan_tanpa_nik": "",
    "nama": "",
    "jenis_kelamin": "",
    "tempat_lahir": "",
    "tanggal_lahir": None,
    "hubungan": "",
    "agama": "",
    "pendidikan": "",
    "pekerjaan": "",
    "status_kawin": "",
    "disabilitas": [],
    "status_hidup": "",
    "nama_ibu": "",
}
_KUNCI_ANGGOTA = re.compile(r"anggota\.(\d+)(?:\.(\w+))?$")


@extend_schema_view(
    **skema_sumber("keluarga", KeluargaSerializer, KeluargaHasilSerializer, tulis=True),
    **skema_verifikasi(KeluargaSerializer),
)
@extend_schema_view(cari=skema_cari("keluarga", KeluargaSerializer))
class KeluargaViewSet(CariNomor, VerifikasiAksi, SumberTulis):
    """Households with their members (`anggota`), written through `keluarga_simpan`."""

    model = Keluarga
    serializer_class = KeluargaSerializer
    hasil_serializer_class = KeluargaHasilSerializer
    filterset_class = KeluargaSaring
    peran_tulis = peran("pendataan.ubah")

    def get_queryset(self):
        anggota = (
            Individu.objects.select_related("desa")
            .annotate(_urut=selectors.URUTAN_ANGGOTA)
            .order_by("_urut", "tanggal_lahir", "nama", "id")
        )
        return (
            Keluarga.objects.for_user(self.request.user)
            .select_related("desa", "dibuat_oleh", "diubah_oleh", "diverifikasi_oleh")
            .prefetch_related(Prefetch("anggota", queryset=anggota))
            .order_by("diubah_pada", "id")
        )

    def nomor_dalam(self, obj) -> int:
        return bool(obj.no_kk) + sum(1 for a in obj.anggota.all() if a.nik)

    def saring_nomor(self, queryset, kunci, nomor):
        return saring_keluarga(queryset, kunci, nomor)

    def simpan(self, *, obj, data, versi, ganti, uuid=None):
        self._dibuang = []  # stored members left out of a PUT, for the error messages
        rumah = {k: data[k] for k in KELUARGA_FIELDS if k in data}
        if ganti:
            for key, value in KELUARGA_KOSONG.items():
                rumah.setdefault(key, value)
        if rumah.get("no_kk") is None and "no_kk" in rumah:
            rumah["no_kk"] = ""
        galat: dict[str, list[str]] = {}
        anggota, dikirim = [], set()
        for i, item in enumerate(data.get("anggota") or []):
            item = dict(item)
            uid = item.pop("uuid", None)
            if uid is not None:
                if obj is None:
                    galat[f"anggota.{i}.uuid"] = [
                        "Jangan kirim uuid anggota saat membuat keluarga; uuid anggota dibuat "
                        "server."
                    ]
                elif uid in dikirim:
                    galat[f"anggota.{i}.uuid"] = ["Anggota yang sama dikirim dua kali."]
                dikirim.add(uid)
                item["uuid"] = str(uid)
            if "nik" in item and item["nik"] is None:
                item["nik"] = ""
            if ganti and not item.get("hapus"):
                for key, value in ANGGOTA_KOSONG.items():
                    item.setdefault(key, value)
            anggota.append(item)
        if galat:
            raise exceptions.ValidationError(galat)
        if ganti and obj is not None:
            for tersimpan in obj.anggota.all():
                if tersimpan.uuid not in dikirim:
                    self._dibuang.append(tersimpan)
                    anggota.append({"uuid": str(tersimpan.uuid), "hapus": True})
        self._jumlah_dikirim = len(data.get("anggota") or [])
        hasil = keluarga_simpan(
            pelaku=self.request.user,
            keluarga=obj,
            data=rumah,
            anggota=anggota,
            versi=versi,
            uuid=uuid,
        )
        return hasil.keluarga, hasil.peringatan

    def galat_simpan(self, error, data):
        """The service's keys, with the members a PUT removes (appended after the ones sent)
        reported on `anggota` by name."""
        pesan: dict[str, list[str]] = {}
        dikirim = getattr(self, "_jumlah_dikirim", 0)
        for key, messages in pesan_django(error).items():
            cocok = _KUNCI_ANGGOTA.match(key)
            if cocok and int(cocok.group(1)) >= dikirim:
                dibuang = self._dibuang[int(cocok.group(1)) - dikirim]
                key = "anggota"
                messages = [
                    f"{dibuang.nama} (tidak dikirim, jadi akan dihapus): {m}" for m in messages
                ]
            pesan.setdefault(key, []).extend(messages)
        return exceptions.ValidationError(pesan)


@extend_schema_view(**skema_sumber("individu", IndividuSerializer, None, tulis=False))
@extend_schema_view(cari=skema_cari("individu", IndividuSerializer))
class IndividuViewSet(CariNomor, SumberBaca):
    """Persons (read only): they are created, changed and removed through their household."""

    model = Individu
    serializer_class = IndividuSerializer
    filterset_class = IndividuSaring

    def get_queryset(self):
        return (
            Individu.objects.for_user(self.request.user)
            .select_related("desa", "keluarga")
            .order_by("diubah_pada", "id")
        )

    def nomor_dalam(self, obj) -> int:
        return 1 if obj.nik else 0

    def saring_nomor(self, queryset, kunci, nomor):
        return saring_individu(queryset, kunci, nomor)
