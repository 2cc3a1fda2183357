"""The upload form of the spreadsheet import: the file is checked by name, size and content."""

from django import forms

from pendataan.impor.berkas import periksa_berkas
from pendataan.impor.lembar import batas_mb


class UnggahForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas .xlsx atau .csv",
        error_messages={
            "required": "Pilih berkas yang akan diimpor.",
            "empty": "Berkas kosong.",
            "invalid": "Berkas tidak terbaca; pilih lagi.",
        },
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control form-control-lg",
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet,text/csv",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["berkas"].help_text = (
            f"Paling besar {batas_mb():g} MB. Gunakan templat di atas; CSV boleh dipisah "
            "koma atau titik koma."
        )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        self.jenis = periksa_berkas(berkas)
        return berkas
