"""List filters for PPKS and PSKS. Every area choice is limited to the user's scope, and the
filtered queryset is always built on the scoped one, so a filter can narrow but never widen."""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower

from pendataan.filters import SaringPencatat, TanggalFilter
from pendataan.models import JenisKelamin, JenisPSKS, StatusPenanganan, StatusVerifikasi, SubjekPPKS
from tksk.forms import WilayahCascadeField, WilayahCascadeWidget
from tksk.models import KategoriPPKS, KategoriPSKS, Tingkat, Wilayah

SEMUA = "Semua"


class KaskadeFilterWidget(WilayahCascadeWidget):
    """The desa cascade, keeping a chosen kabupaten/kecamatan when no desa was chosen (a filter
    may stop at any level)."""

    atas = None

    def get_context(self, name, value, attrs):
        if value in (None, "") and self.atas:
            context = super().get_context(name, self.atas, attrs)
            context["widget"]["value"] = []
            return context
        return super().get_context(name, value, attrs)


class DesaFilterField(WilayahCascadeField):
    widget = KaskadeFilterWidget


class DesaFilter(django_filters.ModelChoiceFilter):
    field_class = DesaFilterField


def _wilayah(tingkat):
    return Wilayah.objects.filter(tingkat=tingkat)


class SaringanForm(forms.Form):
    """The filters' form: a parameter given twice with different values is refused (nothing
    listed) instead of silently keeping the last one, so `?dari=…&dari=` or a second area code
    can never turn a narrowed list back into a wider one."""

    def clean(self):
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        if getlist is not None:
            ganda = [
                self.fields[name].label or name
                for name in self.fields
                if len(set(getlist(name))) > 1
            ]
            if ganda:
                raise forms.ValidationError(
                    "Saringan %(nama)s diberikan lebih dari sekali dengan nilai berbeda.",
                    code="ganda",
                    params={"nama": ", ".join(str(n) for n in ganda)},
                )
        return cleaned


class SaringanPPKSForm(SaringanForm):
    def clean(self):
        cleaned = super().clean()
        dari, sampai = cleaned.get("dari"), cleaned.get("sampai")
        if dari and sampai and dari > sampai:
            self.add_error("sampai", "Tanggal akhir tidak boleh sebelum tanggal awal.")
        return cleaned


class WilayahFilterSet(django_filters.FilterSet):
    """Area filters shared by both lists: desa (cascade) and, through the cascade's upper
    selects, kecamatan or kabupaten. Takes the acting user; every choice is re-scoped."""

    desa = DesaFilter(label="Desa/Kelurahan", queryset=_wilayah(Tingkat.DESA))
    desa__kecamatan = django_filters.ModelChoiceFilter(
        label="Kecamatan",
        field_name="desa__kecamatan",
        queryset=_wilayah(Tingkat.KECAMATAN),
        widget=forms.HiddenInput,
    )
    desa__kabupaten = django_filters.ModelChoiceFilter(
        label="Kabupaten/kota",
        field_name="desa__kabupaten",
        queryset=_wilayah(Tingkat.KABUPATEN),
        widget=forms.HiddenInput,
    )

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user
        for name, tingkat in (
            ("desa", Tingkat.DESA),
            ("desa__kecamatan", Tingkat.KECAMATAN),
            ("desa__kabupaten", Tingkat.KABUPATEN),
        ):
            self.filters[name].queryset = Wilayah.objects.for_user(user).filter(tingkat=tingkat)

    @property
    def form(self):
        form = super().form
        widget = form.fields["desa"].widget
        if widget.user is None:
            widget.user = self.user
            atas = self.data.get("desa__kecamatan") or self.data.get("desa__kabupaten")
            widget.atas = atas if str(atas or "").isdigit() else None
            for field in form.fields.values():
                if isinstance(field.widget, forms.Select):
                    field.widget.attrs.setdefault("class", "form-select")
                elif isinstance(field.widget, forms.TextInput):
                    field.widget.attrs.setdefault("class", "form-control")
        return form

    def wilayah_lookup(self) -> dict:
        """The chosen area as lookups (for counts that follow the area filter only)."""
        if not self.is_valid():
            return {"pk__in": []}
        data = self.form.cleaned_data
        for name in ("desa", "desa__kecamatan", "desa__kabupaten"):
            if data.get(name):
                return {name: data[name]}
        return {}


class PPKSFilter(WilayahFilterSet, SaringPencatat):
    kategori = django_filters.ModelChoiceFilter(
        label="Kategori", queryset=KategoriPPKS.objects.order_by("nomor"), empty_label=SEMUA
    )
    status_penanganan = django_filters.ChoiceFilter(
        label="Penanganan", choices=StatusPenanganan.choices, empty_label=SEMUA
    )
    status = django_filters.ChoiceFilter(
        label="Verifikasi", choices=StatusVerifikasi.choices, empty_label=SEMUA
    )
    jenis_kelamin = django_filters.ChoiceFilter(
        label="Jenis kelamin", choices=JenisKelamin.choices, empty_label=SEMUA
    )
    # Inclusive bounds on the date of identification: the dashboards' monthly trend counts
    # identifications by that date, and links each month here with its first and last day.
    dari = TanggalFilter(
        label="Diidentifikasi dari", field_name="tanggal_identifikasi", lookup_expr="gte"
    )
    sampai = TanggalFilter(
        label="Diidentifikasi sampai", field_name="tanggal_identifikasi", lookup_expr="lte"
    )
    subjek = django_filters.ChoiceFilter(
        label="Subjek", choices=SubjekPPKS.choices, empty_label=SEMUA
    )
    urut = django_filters.ChoiceFilter(
        label="Urutkan",
        choices=[
            ("terbaru", "Identifikasi terbaru"),
            ("terlama", "Identifikasi terlama"),
            ("nama", "Nama subjek (A–Z)"),
            ("kategori", "Kategori"),
            ("diubah", "Terakhir diubah"),
        ],
        empty_label="Identifikasi terbaru",
        method="urutkan",
    )

    class Meta:
        fields: list = []
        form = SaringanPPKSForm

    def urutkan(self, queryset, name, value):
        if value == "terlama":
            return queryset.order_by("tanggal_identifikasi", "id")
        if value == "nama":
            return queryset.annotate(
                _nama=Lower(Coalesce("individu__nama", "keluarga__nama_kepala", "nama_kelompok"))
            ).order_by("_nama", "id")
        if value == "kategori":
            return queryset.order_by("kategori__nomor", "-tanggal_identifikasi", "-id")
        if value == "diubah":
            return queryset.order_by("-diubah_pada", "-id")
        return queryset.order_by("-tanggal_identifikasi", "-id")


class PSKSFilter(WilayahFilterSet):
    kategori = django_filters.ModelChoiceFilter(
        label="Kategori", queryset=KategoriPSKS.objects.order_by("nomor"), empty_label=SEMUA
    )
    jenis = django_filters.ChoiceFilter(label="Jenis", choices=JenisPSKS.choices, empty_label=SEMUA)
    aktif = django_filters.ChoiceFilter(
        label="Keaktifan",
        choices=[("ya", "Aktif"), ("tidak", "Tidak aktif")],
        empty_label=SEMUA,
        method="saring_aktif",
    )
    status = django_filters.ChoiceFilter(
        label="Verifikasi", choices=StatusVerifikasi.choices, empty_label=SEMUA
    )
    q = django_filters.CharFilter(label="Cari nama", method="cari")

    class Meta:
        fields: list = []
        form = SaringanForm

    def saring_aktif(self, queryset, name, value):
        return queryset.filter(aktif=value == "ya")

    def cari(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(nama__icontains=value) | Q(kontak_nama__icontains=value) | Q(alamat__icontains=value)
        )
