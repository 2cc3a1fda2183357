"""Forms of the TKSK registry: validation only, choices narrowed to the user's scope."""

from django import forms
from django.core.exceptions import ValidationError

from koordinasi.forms import TanggalInput, VersiMixin
from pendataan.nik import periksa_nik
from tenaga.berkas import periksa_materi
from tenaga.models import SKTKSK, Bimtek, ProfilTKSK, StatusTKSK
from tenaga.services import BOLEH_DIUSULKAN
from tksk.forms import ScopedFormMixin
from tksk.models import Role, Tingkat, User, Wilayah
from tksk.privasi import samarkan
from tksk.validators import normalisasi_telepon

# The profile form: every field a kabupaten may propose, plus the NIK.
_PROFIL = ["nama", "nik", *BOLEH_DIUSULKAN[1:]]


class AkunField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.username} · {obj.wilayah.nama_lengkap if obj.wilayah_id else '-'}"


class ProfilForm(ScopedFormMixin, VersiMixin, forms.ModelForm):
    akun = AkunField(
        queryset=User.objects.filter(role=Role.TKSK, is_active=True).select_related("wilayah"),
        required=False,
        label="Akun TKSK",
        help_text="Kecamatan tugas mengikuti wilayah akun.",
    )
    kecamatan = forms.ModelChoiceField(
        queryset=Wilayah.objects.filter(tingkat=Tingkat.KECAMATAN).order_by("kode"),
        required=False,
        label="Kecamatan tugas",
        help_text="Diisi bila belum ada akun.",
    )
    nik = forms.CharField(
        label="NIK",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = ProfilTKSK
        fields = ["akun", "kecamatan", *_PROFIL]
        widgets = {"tanggal_lahir": TanggalInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tahun_rekrut"].required = False
        if self.instance.pk:
            # The stored NIK is never sent back to the browser: empty keeps it.
            self.initial["nik"] = ""
            if self.instance.nik:
                self.fields[
                    "nik"
                ].help_text = (
                    f"Tersimpan: {samarkan(self.instance.nik)}. Kosongkan bila tidak diubah."
                )

    def clean_nik(self):
        nik = periksa_nik(self.cleaned_data.get("nik"))
        if not nik and self.instance.pk:
            return self.instance.nik
        return nik

    def clean_telepon(self):
        return normalisasi_telepon(self.cleaned_data.get("telepon") or "")

    def clean(self):
        data = super().clean()
        if not data.get("akun") and not data.get("kecamatan") and not self.errors:
            raise ValidationError("Pilih akun TKSK atau kecamatan tugas.")
        return data

    def data_profil(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in ["akun", "kecamatan", *_PROFIL]}
        if data["kecamatan"] is None and self.instance.pk:
            data["kecamatan"] = self.instance.kecamatan
        return data


class KontakForm(VersiMixin, forms.ModelForm):
    class Meta:
        model = ProfilTKSK
        fields = ["telepon", "email", "alamat"]

    def clean_telepon(self):
        return normalisasi_telepon(self.cleaned_data.get("telepon") or "")


class UsulanForm(forms.ModelForm):
    alasan = forms.CharField(label="Alasan usulan", widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = ProfilTKSK
        fields = list(BOLEH_DIUSULKAN)
        widgets = {"tanggal_lahir": TanggalInput()}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=StatusTKSK.choices)
    alasan = forms.CharField(required=False, max_length=255)
    tanggal = forms.DateField(widget=TanggalInput())


class SKForm(forms.ModelForm):
    class Meta:
        model = SKTKSK
        fields = ["nomor", "tanggal", "penerbit", "mulai", "selesai"]
        widgets = {"tanggal": TanggalInput(), "mulai": TanggalInput(), "selesai": TanggalInput()}

    def clean(self):
        data = super().clean()
        if data.get("mulai") and data.get("selesai") and data["selesai"] < data["mulai"]:
            self.add_error("selesai", "Tanggal akhir SK tidak boleh sebelum tanggal mulainya.")
        return data


class BimtekForm(VersiMixin, forms.ModelForm):
    class Meta:
        model = Bimtek
        fields = [
            "judul",
            "penyelenggara",
            "mulai",
            "selesai",
            "tempat",
            "jam_pelajaran",
            "penandatangan_nama",
            "penandatangan_jabatan",
        ]
        widgets = {"mulai": TanggalInput(), "selesai": TanggalInput()}

    def clean(self):
        data = super().clean()
        if data.get("mulai") and data.get("selesai") and data["selesai"] < data["mulai"]:
            self.add_error("selesai", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
        return data


class MateriForm(forms.Form):
    nama = forms.CharField(label="Judul materi", max_length=150)
    berkas = forms.FileField(
        label="Berkas (PDF, JPEG atau PNG, paling besar 10 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_berkas(self):
        berkas, self.jenis = periksa_materi(self.cleaned_data["berkas"])
        return berkas


class UndangForm(ScopedFormMixin, forms.Form):
    kabupaten = forms.ModelChoiceField(
        queryset=Wilayah.objects.filter(tingkat=Tingkat.KABUPATEN).order_by("kode"),
        required=False,
        label="Semua TKSK aktif kabupaten/kota",
    )
    profil = forms.ModelMultipleChoiceField(
        queryset=ProfilTKSK.objects.select_related("kecamatan"),
        required=False,
        to_field_name="uuid",
        label="Atau pilih TKSK",
    )

    def clean(self):
        data = super().clean()
        if not data.get("kabupaten") and not data.get("profil") and not self.errors:
            raise ValidationError("Pilih kabupaten/kota atau sedikitnya satu TKSK.")
        return data
