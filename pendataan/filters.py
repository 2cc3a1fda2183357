"""List filters. Every choice of area is narrowed to the user's scope and every queryset given
to a FilterSet already starts from `for_user`, so no filter value can widen what is listed."""

from datetime import date

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from pendataan.models import JenisKelamin, StatusHidup, StatusVerifikasi
from tksk.models import Tingkat, Wilayah
from tksk.scoping import sees_everything, user_area

STATUS_CHOICES = StatusVerifikasi.choices
USIA_CHOICES = [
    ("0-5", "0–5 tahun"),
    ("6-17", "6–17 tahun"),
    ("18-59", "18–59 tahun"),
    ("60+", "60 tahun ke atas"),
]
USIA_BATAS = {"0-5": (0, 5), "6-17": (6, 17), "18-59": (18, 59), "60+": (60, None)}


def _desa(request):
    user = getattr(request, "user", None)
    return (
        Wilayah.objects.for_user(user)
        .filter(tingkat=Tingkat.DESA)
        .order_by("kecamatan__nama", "nama")
    )


def _kecamatan(request):
    user = getattr(request, "user", None)
    return Wilayah.objects.for_user(user).filter(tingkat=Tingkat.KECAMATAN).order_by("nama")


def _kabupaten(request):
    user = getattr(request, "user", None)
    return Wilayah.objects.for_user(user).filter(tingkat=Tingkat.KABUPATEN).order_by("nama")


# --- area pickers that stay cheap at the province's 1,571 desa ----------------------------------
# Through Django's ModelChoiceIterator (a model instance per option) and its per-option widget
# templates, the three area selects cost the province 0.3–0.6 s on every list page, whatever
# was searched. These read (id, name) rows and write the options in one pass.


class _IteratorRingan(django_filters.fields.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        if self.field.dengan_kecamatan:
            rows = self.queryset.values_list("pk", "nama", "kecamatan__nama")
            yield from ((pk, f"{nama} ({kec})") for pk, nama, kec in rows)
        else:
            yield from self.queryset.values_list("pk", "nama")


class PilihanWilayahField(django_filters.fields.ModelChoiceField):
    """Validates against the scoped queryset as before; only listing the options is lighter."""

    iterator = _IteratorRingan
    dengan_kecamatan = False


class SelectRingan(forms.Select):
    """A plain <select> rendered without a template per option (no optgroups needed here)."""

    def render(self, name, value, attrs=None, renderer=None):
        terpilih = set(self.format_value(value))
        final = self.build_attrs(self.attrs, attrs)
        final.pop("name", None)
        opsi = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), " selected" if str(v) in terpilih else "", str(label))
                for v, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), opsi)


class WilayahChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PilihanWilayahField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SelectRingan)
        super().__init__(*args, **kwargs)


class KabupatenChoiceFilter(WilayahChoiceFilter):
    """Kabupaten/kota picker (the province dashboard links its rows to the lists with it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", _kabupaten)
        kwargs.setdefault("label", "Kabupaten/kota")
        kwargs.setdefault("field_name", "desa__kabupaten")
        kwargs.setdefault("empty_label", "Semua kabupaten/kota")
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.error_messages["invalid_choice"] = "Pilih kabupaten/kota di wilayah tugas Anda."
        return field


def _satu_kabupaten(user) -> bool:
    """Whether the user's scope holds at most one kabupaten (nothing to choose between)."""
    if sees_everything(user):
        return False
    area = user_area(user)
    return area is None or area.tingkat != Tingkat.PROVINSI


class DesaChoiceFilter(WilayahChoiceFilter):
    """Desa picker; names repeat across kecamatan, so wider scopes see the kecamatan too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", _desa)
        kwargs.setdefault("label", "Desa/kelurahan")
        kwargs.setdefault("empty_label", "Semua desa/kelurahan")
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        request = self.parent.request if self.parent else None
        tksk = getattr(getattr(request, "user", None), "role", "") == "tksk"
        field.dengan_kecamatan = not tksk
        field.error_messages["invalid_choice"] = "Pilih desa/kelurahan di wilayah tugas Anda."
        return field


def _tahun_lalu(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def saring_usia(queryset, name, value, *, prefix=""):
    """Age band on the birth date: 0-5 means born less than 6 years ago, and so on."""
    if value not in USIA_BATAS:
        return queryset
    muda, tua = USIA_BATAS[value]
    today = timezone.localdate()
    kondisi = {f"{prefix}tanggal_lahir__lte": _tahun_lalu(today, muda)}
    if tua is not None:
        kondisi[f"{prefix}tanggal_lahir__gt"] = _tahun_lalu(today, tua + 1)
    return queryset.filter(**kondisi)


class TanggalFilter(django_filters.DateFilter):
    """An inclusive bound on a date, typed with the phone's date picker (ISO in the URL)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.error_messages["invalid"] = "Tulis tanggal yang benar, misalnya 2026-01-31."
        return field


class SaringPencatat(django_filters.FilterSet):
    """What one account recorded, and when (the local date of recording): the lists behind the
    numbers of the TKSK performance record (tenaga.kinerja counts by recorder and that date).
    Narrowing only: the queryset is the scoped list's."""

    pembuat = django_filters.UUIDFilter(field_name="dibuat_oleh__uuid", widget=forms.HiddenInput)
    # Hidden: set by the links, shown above the list as a notice with a way out.
    dicatat_dari = TanggalFilter(
        field_name="dibuat_pada", lookup_expr="date__gte", widget=forms.HiddenInput
    )
    dicatat_sampai = TanggalFilter(
        field_name="dibuat_pada", lookup_expr="date__lte", widget=forms.HiddenInput
    )

    def pencatat(self):
        """The account the list is narrowed to, for the notice above it (None when not)."""
        from django.contrib.auth import get_user_model

        if not self.is_valid() or not self.form.cleaned_data.get("pembuat"):
            return None
        return get_user_model().objects.filter(uuid=self.form.cleaned_data["pembuat"]).first()


class _Dasar(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if getattr(user, "role", "") == "tksk":
            self.filters.pop("kecamatan", None)
            self.form.fields.pop("kecamatan", None)
        if "kabupaten" in self.form.fields and _satu_kabupaten(user):
            # Not offered, but still validated: another kabupaten's id in a crafted URL is an
            # invalid choice (nothing listed), not silently ignored.
            self.form.fields["kabupaten"].widget = forms.HiddenInput()
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"


class KeluargaFilter(_Dasar, SaringPencatat):
    kabupaten = KabupatenChoiceFilter()
    kecamatan = WilayahChoiceFilter(
        label="Kecamatan",
        queryset=_kecamatan,
        field_name="desa__kecamatan",
        empty_label="Semua kecamatan",
    )
    desa = DesaChoiceFilter()
    status = django_filters.ChoiceFilter(
        label="Status verifikasi", choices=STATUS_CHOICES, empty_label="Semua status"
    )
    kk = django_filters.ChoiceFilter(
        label="No KK",
        choices=[("ada", "Ada No KK"), ("tanpa", "Tanpa No KK")],
        method="saring_kk",
        empty_label="Semua",
    )
    rujukan = django_filters.ChoiceFilter(
        label="Anggota tanpa NIK",
        choices=[("ya", "Ada anggota perlu rujukan Dukcapil")],
        method="saring_rujukan",
        empty_label="Semua",
    )
    urut = django_filters.OrderingFilter(
        label="Urutkan",
        fields=(("nama_kepala", "nama"), ("diubah_pada", "diubah")),
        field_labels={
            "nama_kepala": "Nama kepala keluarga",
            "diubah_pada": "Terakhir diubah",
        },
        empty_label="Terbaru diubah",
    )

    def saring_kk(self, queryset, name, value):
        if value == "tanpa":
            return queryset.filter(no_kk__isnull=True)
        if value == "ada":
            return queryset.filter(no_kk__isnull=False)
        return queryset

    def saring_rujukan(self, queryset, name, value):
        return queryset.filter(ada_tanpa_nik=True) if value == "ya" else queryset


class IndividuFilter(_Dasar):
    kabupaten = KabupatenChoiceFilter()
    kecamatan = WilayahChoiceFilter(
        label="Kecamatan",
        queryset=_kecamatan,
        field_name="desa__kecamatan",
        empty_label="Semua kecamatan",
    )
    desa = DesaChoiceFilter()
    status = django_filters.ChoiceFilter(
        label="Status verifikasi",
        field_name="keluarga__status",
        choices=STATUS_CHOICES,
        empty_label="Semua status",
    )
    jenis_kelamin = django_filters.ChoiceFilter(
        label="Jenis kelamin", choices=JenisKelamin.choices, empty_label="Semua"
    )
    usia = django_filters.ChoiceFilter(
        label="Kelompok usia", choices=USIA_CHOICES, method="saring_usia", empty_label="Semua usia"
    )
    tanpa_nik = django_filters.ChoiceFilter(
        label="NIK",
        choices=[("ya", "Tanpa NIK (perlu rujukan Dukcapil)"), ("tidak", "Ber-NIK")],
        method="saring_tanpa_nik",
        empty_label="Semua",
    )
    status_hidup = django_filters.ChoiceFilter(
        label="Status", choices=StatusHidup.choices, empty_label="Semua"
    )
    urut = django_filters.OrderingFilter(
        label="Urutkan",
        fields=(("nama", "nama"), ("diubah_pada", "diubah")),
        field_labels={"nama": "Nama", "diubah_pada": "Terakhir diubah"},
        empty_label="Terbaru diubah",
    )

    def saring_usia(self, queryset, name, value):
        return saring_usia(queryset, name, value)

    def saring_tanpa_nik(self, queryset, name, value):
        if value == "ya":
            return queryset.filter(nik__isnull=True)
        if value == "tidak":
            return queryset.filter(nik__isnull=False)
        return queryset


class KasusFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("terbuka", "Terbuka"), ("mutasi", "Mutasi"), ("ditolak", "Ditolak")],
        empty_label="Semua",
    )
    jenis = django_filters.ChoiceFilter(
        label="Jenis", choices=[("nik", "NIK"), ("no_kk", "No KK")], empty_label="Semua"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class VerifikasiFilter(_Dasar):
    """The verification inbox on a phone: by kecamatan and desa, newest first unless asked."""

    kecamatan = WilayahChoiceFilter(
        label="Kecamatan",
        queryset=_kecamatan,
        field_name="desa__kecamatan",
        empty_label="Semua kecamatan",
    )
    desa = DesaChoiceFilter()
    urut = django_filters.ChoiceFilter(
        label="Urutan",
        choices=[("baru", "Terbaru dulu"), ("lama", "Terlama dulu")],
        empty_label=None,
        method="urutkan",
    )

    def urutkan(self, queryset, name, value):
        if value == "lama":
            return queryset.order_by("diubah_pada", "pk")
        return queryset.order_by("-diubah_pada", "-pk")
