"""Forms for households with their members, verification and duplicate cases. Forms parse and
check what the user typed; the business rules are checked again by the services (the import and
the API go through them too)."""

from django import forms
from django.core.exceptions import ValidationError

from pendataan.models import (
    Agama,
    AlasanKembali,
    AlasanTanpaNIK,
    Disabilitas,
    Hubungan,
    JenisKelamin,
    Keluarga,
    Pendidikan,
    StatusHidup,
    StatusKawin,
)
from pendataan.nik import periksa_nik, periksa_no_kk
from pendataan.services import aturan_anggota
from tksk.forms import ScopedFormMixin, WilayahCascadeField

KOSONG = [("", "— pilih —")]


def _pilihan(choices):
    return KOSONG + list(choices)


class KeluargaForm(ScopedFormMixin, forms.Form):
    no_kk = forms.CharField(
        label="No KK",
        required=False,
        max_length=64,
        help_text="16 digit angka sesuai Kartu Keluarga.",
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "class": "nik",
                "data-nomor16": "No KK",
            }
        ),
    )
    alasan_tanpa_kk = forms.CharField(
        label="Alasan tanpa No KK",
        required=False,
        max_length=200,
        help_text="Diisi jika keluarga belum/tidak memiliki Kartu Keluarga.",
    )
    desa = WilayahCascadeField(label="Desa/kelurahan")
    alamat = forms.CharField(label="Alamat", max_length=255)
    rt = forms.CharField(
        label="RT", required=False, max_length=3, widget=forms.TextInput({"inputmode": "numeric"})
    )
    rw = forms.CharField(
        label="RW", required=False, max_length=3, widget=forms.TextInput({"inputmode": "numeric"})
    )
    dusun = forms.CharField(label="Dusun/lingkungan", required=False, max_length=100)
    latitude = forms.DecimalField(
        label="Lintang (latitude)",
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.TextInput({"inputmode": "decimal", "data-geo": "latitude"}),
    )
    longitude = forms.DecimalField(
        label="Bujur (longitude)",
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.TextInput({"inputmode": "decimal", "data-geo": "longitude"}),
    )
    versi = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in ("desa", "versi"):
                continue
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"form-control {css}".strip()
        self.fields["desa"].widget.attrs["class"] = "form-select"
        self.fields["desa"].queryset = self.fields["desa"].queryset.order_by("nama")

    def clean_no_kk(self):
        return periksa_no_kk(self.cleaned_data.get("no_kk"))

    def clean(self):
        data = super().clean()
        if not data.get("no_kk") and not data.get("alasan_tanpa_kk") and "no_kk" not in self.errors:
            self.add_error("no_kk", "Isi No KK, atau tulis alasan keluarga ini tidak memiliki KK.")
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", "Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")
        return data

    def data_layanan(self) -> dict:
        """The household fields for keluarga_simpan."""
        fields = ["no_kk", "alasan_tanpa_kk", "desa", "alamat", "rt", "rw", "dusun"]
        data = {name: self.cleaned_data.get(name) for name in fields}
        data["latitude"] = self.cleaned_data.get("latitude")
        data["longitude"] = self.cleaned_data.get("longitude")
        return data

    @classmethod
    def initial_dari(cls, keluarga: Keluarga) -> dict:
        return {
            "no_kk": keluarga.no_kk or "",
            "alasan_tanpa_kk": keluarga.alasan_tanpa_kk,
            "desa": keluarga.desa_id,
            "alamat": keluarga.alamat,
            "rt": keluarga.rt,
            "rw": keluarga.rw,
            "dusun": keluarga.dusun,
            "latitude": keluarga.latitude,
            "longitude": keluarga.longitude,
            "versi": keluarga.versi,
        }


class AnggotaForm(forms.Form):
    uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    nik = forms.CharField(
        label="NIK",
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "class": "form-control nik",
                "data-nomor16": "NIK",
            }
        ),
    )
    alasan_tanpa_nik = forms.ChoiceField(
        label="Alasan tanpa NIK", required=False, choices=_pilihan(AlasanTanpaNIK.choices)
    )
    nama = forms.CharField(label="Nama lengkap", max_length=150)
    jenis_kelamin = forms.ChoiceField(label="Jenis kelamin", choices=_pilihan(JenisKelamin.choices))
    tempat_lahir = forms.CharField(label="Tempat lahir", required=False, max_length=100)
    tanggal_lahir = forms.DateField(
        label="Tanggal lahir",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hubungan = forms.ChoiceField(
        label="Hubungan dalam keluarga", choices=_pilihan(Hubungan.choices)
    )
    agama = forms.ChoiceField(label="Agama", required=False, choices=_pilihan(Agama.choices))
    pendidikan = forms.ChoiceField(
        label="Pendidikan", required=False, choices=_pilihan(Pendidikan.choices)
    )
    pekerjaan = forms.CharField(label="Pekerjaan", required=False, max_length=100)
    status_kawin = forms.ChoiceField(
        label="Status perkawinan", required=False, choices=_pilihan(StatusKawin.choices)
    )
    disabilitas = forms.MultipleChoiceField(
        label="Disabilitas",
        required=False,
        choices=Disabilitas.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    nama_ibu = forms.CharField(label="Nama ibu kandung", required=False, max_length=150)
    # Shown for stored members only; no initial value, so an untouched added row stays "empty".
    status_hidup = forms.ChoiceField(label="Status", required=False, choices=StatusHidup.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.HiddenInput, forms.CheckboxSelectMultiple)):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        self.fields["disabilitas"].widget.attrs["class"] = "form-check-input"
        # A formset leaves `required` off its rows; the browser's pre-submit check needs it.
        for field in self.fields.values():
            if field.required and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["required"] = True

    def clean_nik(self):
        return periksa_nik(self.cleaned_data.get("nik"))

    def clean(self):
        data = super().clean()
        if (
            not data.get("nik")
            and not data.get("alasan_tanpa_nik")
            and "nik" not in self.errors
            and not self._dihapus()
        ):
            self.add_error(
                "alasan_tanpa_nik", "Isi NIK, atau pilih alasan orang ini belum memiliki NIK."
            )
        return data

    def _dihapus(self) -> bool:
        return bool(self.data.get(self.add_prefix("DELETE")))

    def data_layanan(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("DELETE", "uuid")}
        if not data.get("status_hidup"):
            data.pop("status_hidup", None)
        if self.cleaned_data.get("uuid"):
            data["uuid"] = str(self.cleaned_data["uuid"])
        return data


class BaseAnggotaFormSet(forms.BaseFormSet):
    def clean(self):
        # The whole-list rules run even when some rows have errors, so that every problem comes
        # back in one round; a row's invalid field is simply missing from its cleaned_data.
        baris = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("uuid"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            baris.append((form.prefix, form.cleaned_data))
        errors = aturan_anggota(baris)
        umum = errors.pop("anggota", [])
        for key, messages in errors.items():
            prefix, field = key.rsplit(".", 1)
            form = next(f for f in self.forms if f.prefix == prefix)
            if field not in form.errors:
                form.add_error(field, messages)
        if umum:
            raise ValidationError(umum)


AnggotaFormSet = forms.formset_factory(
    AnggotaForm,
    formset=BaseAnggotaFormSet,
    extra=0,
    can_delete=True,
    max_num=30,
    validate_max=True,
    absolute_max=60,
)


def anggota_initial(anggota) -> list[dict]:
    return [
        {
            "uuid": a.uuid,
            "nik": a.nik or "",
            "alasan_tanpa_nik": a.alasan_tanpa_nik,
            "nama": a.nama,
            "jenis_kelamin": a.jenis_kelamin,
            "tempat_lahir": a.tempat_lahir,
            "tanggal_lahir": a.tanggal_lahir,
            "hubungan": a.hubungan,
            "agama": a.agama,
            "pendidikan": a.pendidikan,
            "pekerjaan": a.pekerjaan,
            "status_kawin": a.status_kawin,
            "disabilitas": a.disabilitas,
            "nama_ibu": a.nama_ibu,
            "status_hidup": a.status_hidup,
        }
        for a in anggota
    ]


class VerifikasiForm(forms.Form):
    """Return reason and note of the verification action (the records come as `uuid`)."""

    alasan = forms.ChoiceField(
        label="Alasan dikembalikan", required=False, choices=_pilihan(AlasanKembali.choices)
    )
    catatan = forms.CharField(
        label="Catatan untuk TKSK",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alasan"].widget.attrs["class"] = "form-select"
        self.fields["catatan"].widget.attrs["class"] = "form-control"


class KasusSelesaikanForm(forms.Form):
    aksi = forms.ChoiceField(
        label="Keputusan",
        choices=[
            ("mutasi", "Mutasi: pindahkan data lama ke entri pelapor"),
            ("tolak", "Tolak entri baru (data lama tetap)"),
        ],
        widget=forms.RadioSelect,
    )
    catatan = forms.CharField(
        label="Catatan penyelesaian",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "Tulis catatan penyelesaian (dasar keputusan)."},
    )
