"""Forms for PPKS and PSKS: validation and choices narrowed to the user's scope, no writes.

They produce the data dict that services_ppks expects; the services check everything again
(scope, role, duplicates), since the import and the API reach them without these forms.
"""

from django import forms
from django.utils import timezone

from pendataan.models import (
    AlasanKembali,
    Individu,
    JenisPSKS,
    Keluarga,
    StatusPenanganan,
    SubjekPPKS,
)
from pendataan.services_ppks import petunjuk_kategori
from peta import koordinat
from tksk.forms import ScopedFormMixin, WilayahCascadeField
from tksk.models import KategoriPPKS, KategoriPSKS
from tksk.validators import normalisasi_telepon

_TEKS = {"rows": 3}


class KategoriPPKSField(forms.ModelChoiceField):
    """Choice labels carry the hints: "LUT – Lanjut Usia Telantar (individu, usia 60 tahun ke
    atas)", so the TKSK sees the unit and age range while choosing."""

    def label_from_instance(self, obj):
        return f"{obj.singkatan} – {obj.nama} ({petunjuk_kategori(obj)})"


class PPKSForm(ScopedFormMixin, forms.Form):
    subjek = forms.ChoiceField(
        label="Subjek",
        choices=SubjekPPKS.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih jenis subjek."},
    )
    # The picker posts the chosen person's or household's uuid; resolved through the scope.
    individu = forms.UUIDField(required=False, widget=forms.HiddenInput)
    keluarga = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kategori = KategoriPPKSField(
        label="Kategori PPKS",
        queryset=KategoriPPKS.objects.order_by("nomor"),
        empty_label="— pilih kategori —",
        error_messages={"required": "Pilih kategori PPKS."},
    )
    tanggal_identifikasi = forms.DateField(
        label="Tanggal identifikasi",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Isi tanggal identifikasi.", "invalid": "Tanggal tidak valid."},
    )
    nama_kelompok = forms.CharField(label="Nama kelompok/komunitas", max_length=200, required=False)
    desa = WilayahCascadeField(label="Desa/Kelurahan kelompok", required=False)
    perkiraan_kk = forms.IntegerField(label="Perkiraan jumlah KK", min_value=0, required=False)
    perkiraan_jiwa = forms.IntegerField(label="Perkiraan jumlah jiwa", min_value=0, required=False)
    deskripsi = forms.CharField(
        label="Deskripsi kondisi", required=False, widget=forms.Textarea(attrs=_TEKS)
    )
    kebutuhan = forms.CharField(
        label="Kebutuhan", required=False, widget=forms.Textarea(attrs=_TEKS)
    )
    status_penanganan = forms.ChoiceField(
        label="Status penanganan", choices=StatusPenanganan.choices, initial="belum"
    )
    versi = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, ubah: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tanggal_identifikasi"].widget.attrs["max"] = timezone.localdate().isoformat()
        if ubah:
            # Handling status changes on the record page (with a note), not in the data form.
            del self.fields["status_penanganan"]
        for name in ("perkiraan_kk", "perkiraan_jiwa"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def _cari(self, model, uuid, pesan):
        if uuid is None:
            return None
        related = ["desa", "keluarga"] if model is Individu else ["desa"]
        found = model.objects.for_user(self.user).select_related(*related).filter(uuid=uuid).first()
        if found is None:
            raise forms.ValidationError(pesan)
        return found

    def clean_individu(self):
        return self._cari(
            Individu, self.cleaned_data.get("individu"), "Pilih individu di wilayah tugas Anda."
        )

    def clean_keluarga(self):
        return self._cari(
            Keluarga, self.cleaned_data.get("keluarga"), "Pilih keluarga di wilayah tugas Anda."
        )

    def clean_tanggal_identifikasi(self):
        tanggal = self.cleaned_data["tanggal_identifikasi"]
        if tanggal > timezone.localdate():
            raise forms.ValidationError("Tanggal identifikasi tidak boleh di masa depan.")
        return tanggal

    def clean(self):
        data = super().clean()
        subjek = data.get("subjek")
        # Fields of the other subject kinds are ignored, whatever was posted in them.
        tak_dipakai = {
            SubjekPPKS.INDIVIDU: ["keluarga", "desa", "nama_kelompok"],
            SubjekPPKS.KELUARGA: ["individu", "desa", "nama_kelompok"],
            SubjekPPKS.KELOMPOK: ["individu", "keluarga"],
        }.get(subjek, [])
        for name in tak_dipakai:
            self._errors.pop(name, None)
            data[name] = None if name != "nama_kelompok" else ""
        if subjek == SubjekPPKS.INDIVIDU and not data.get("individu") and "individu" in data:
            self.add_error("individu", "Cari lalu pilih individu yang diidentifikasi.")
        elif subjek == SubjekPPKS.KELUARGA and not data.get("keluarga") and "keluarga" in data:
            self.add_error("keluarga", "Cari lalu pilih keluarga yang diidentifikasi.")
        elif subjek == SubjekPPKS.KELOMPOK:
            if not data.get("nama_kelompok"):
                self.add_error("nama_kelompok", "Isi nama kelompok/komunitas.")
            if not data.get("desa") and "desa" not in self.errors:
                self.add_error("desa", "Pilih desa/kelurahan tempat kelompok berada.")
        return data

    @classmethod
    def initial_dari(cls, obj) -> dict:
        """The edit form's values of a stored record (the page and the offline sync)."""
        return {
            "subjek": obj.subjek,
            "individu": str(obj.individu.uuid) if obj.individu_id else "",
            "keluarga": str(obj.keluarga.uuid) if obj.keluarga_id else "",
            "kategori": obj.kategori_id,
            "tanggal_identifikasi": obj.tanggal_identifikasi,
            "nama_kelompok": obj.nama_kelompok,
            "desa": obj.desa_id if obj.subjek == SubjekPPKS.KELOMPOK else None,
            "perkiraan_kk": obj.perkiraan_kk,
            "perkiraan_jiwa": obj.perkiraan_jiwa,
            "deskripsi": obj.deskripsi,
            "kebutuhan": obj.kebutuhan,
            "versi": obj.versi,
        }

    def data_layanan(self) -> dict:
        """The dict services_ppks.ppks_simpan takes."""
        data = dict(self.cleaned_data)
        data.pop("versi", None)
        return data


class PenangananForm(forms.Form):
    status_penanganan = forms.ChoiceField(
        label="Status penanganan baru", choices=StatusPenanganan.choices
    )
    catatan = forms.CharField(
        label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    versi = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PSKSForm(ScopedFormMixin, forms.Form):
    kategori = forms.ModelChoiceField(
        label="Kategori PSKS",
        queryset=KategoriPSKS.objects.order_by("nomor"),
        empty_label="— pilih kategori —",
        error_messages={"required": "Pilih kategori PSKS."},
    )
    jenis = forms.ChoiceField(label="Jenis", choices=JenisPSKS.choices, widget=forms.RadioSelect)
    nama = forms.CharField(label="Nama", max_length=200, error_messages={"required": "Isi nama."})
    desa = WilayahCascadeField(
        label="Desa/Kelurahan", error_messages={"required": "Pilih desa/kelurahan."}
    )
    alamat = forms.CharField(label="Alamat", max_length=255, required=False)
    kontak_nama = forms.CharField(label="Narahubung", max_length=150, required=False)
    telepon = forms.CharField(
        label="Telepon",
        max_length=20,
        required=False,
        help_text="Diawali 0 atau +62, misalnya 081234567890.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    kapasitas = forms.IntegerField(
        label="Kapasitas (orang)",
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    layanan = forms.CharField(label="Layanan", required=False, widget=forms.Textarea(attrs=_TEKS))
    aktif = forms.BooleanField(label="Masih aktif", required=False, initial=True)
    latitude = koordinat.medan_lintang()
    longitude = koordinat.medan_bujur()
    versi = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kategori"].label_from_instance = lambda k: f"{k.singkatan} – {k.nama}"

    def clean(self):
        return koordinat.bersihkan_form(self, super().clean())

    @classmethod
    def initial_dari(cls, obj) -> dict:
        return {
            "kategori": obj.kategori_id,
            "jenis": obj.jenis,
            "nama": obj.nama,
            "desa": obj.desa_id,
            "alamat": obj.alamat,
            "kontak_nama": obj.kontak_nama,
            "telepon": obj.telepon,
            "kapasitas": obj.kapasitas,
            "layanan": obj.layanan,
            "aktif": obj.aktif,
            "latitude": obj.latitude,
            "longitude": obj.longitude,
            "versi": obj.versi,
        }

    def clean_telepon(self):
        try:
            return normalisasi_telepon(self.cleaned_data.get("telepon"))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["telepon"]) from None

    def data_layanan(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("versi", None)
        return data


class KembalikanForm(forms.Form):
    """Only for rendering the return-reason choices on record pages (the verification view
    validates)."""

    alasan = forms.ChoiceField(
        label="Alasan", choices=[("", "— pilih alasan —"), *AlasanKembali.choices]
    )
