"""Forms: they parse and present (services check the rules and write; views turn a service's
ValidationError into field errors). Choice fields are narrowed to the user's scope by
ScopedFormMixin; uploads are checked and re-encoded here (koordinasi.gambar)."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone

from koordinasi import gambar
from koordinasi import services as svc
from koordinasi.models import (
    TRANSISI_RUJUKAN,
    JenisKegiatan,
    JenisMitra,
    Kegiatan,
    Mitra,
    StatusRujukan,
    TindakLanjut,
    Urgensi,
)
from pendataan.models import PSKS
from peta import koordinat
from tksk.forms import ScopedFormMixin, WilayahCascadeField
from tksk.models import Tingkat, Wilayah

SISI_TAMPIL = 1600
SISI_KECIL = 320
SISI_LOGO = 600
# A stored activity photo stays about as small as the phone made it (static/js/offline/foto.js).
MAKS_BYTE_TAMPIL = 300 * 1024


class TanggalInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class JamInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class VersiMixin(forms.Form):
    versi = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WilayahChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = {"provinsi": "", "kabupaten": "· ", "kecamatan": "·· "}.get(obj.tingkat, "")
        return f"{indent}{obj.nama_lengkap}"


# --- Mitra -----------------------------------------------------------------------------------


class MitraForm(ScopedFormMixin, VersiMixin, forms.ModelForm):
    wilayah = WilayahChoiceField(
        label="Terdaftar di wilayah",
        queryset=Wilayah.objects.exclude(tingkat=Tingkat.DESA).order_by("kode"),
        help_text=(
            "Mitra tingkat kabupaten/kota atau provinsi terlihat oleh semua kecamatan di "
            "bawahnya, tetapi hanya dapat diubah oleh tingkat yang mendaftarkannya."
        ),
    )
    psks = forms.ModelChoiceField(
        label="Data PSKS terkait (bila ada)",
        queryset=PSKS.objects.order_by("nama"),
        required=False,
    )
    latitude = koordinat.medan_lintang()
    longitude = koordinat.medan_bujur()

    class Meta:
        model = Mitra
        fields = [
            "jenis",
            "nama",
            "wilayah",
            "alamat",
            "narahubung",
            "telepon",
            "email",
            "layanan",
            "psks",
            "aktif",
            "perlindungan_khusus",
            "latitude",
            "longitude",
        ]
        widgets = {
            "layanan": forms.Textarea(attrs={"rows": 3}),
            "telepon": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "layanan": "Mis. layanan kesehatan dasar, penerbitan KTP/KK, bantuan pangan.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        wilayah = self.fields["wilayah"]
        if self.instance.pk is None and user.wilayah_id:
            wilayah.initial = user.wilayah_id
        if wilayah.queryset.count() == 1:
            wilayah.initial = wilayah.queryset.first().pk
            wilayah.widget.attrs["class"] = "form-select"
        self.fields["jenis"].choices = [("", "— pilih jenis mitra —"), *JenisMitra.choices]

    def clean(self):
        return koordinat.bersihkan_form(self, super().clean())


# --- Kegiatan --------------------------------------------------------------------------------


class MitraCentang(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def label_from_instance(self, obj):
        return obj.nama


class KegiatanForm(ScopedFormMixin, VersiMixin, forms.ModelForm):
    desa = WilayahCascadeField(label="Desa/kelurahan")
    mitra = MitraCentang(
        label="Mitra yang terlibat", queryset=Mitra.objects.order_by("nama"), required=False
    )

    class Meta:
        model = Kegiatan
        fields = [
            "jenis",
            "tanggal",
            "jam_mulai",
            "jam_selesai",
            "desa",
            "tempat",
            "topik",
            "mitra",
            "peserta_laki",
            "peserta_perempuan",
            "notulen",
        ]
        labels = {"peserta_laki": "Laki-laki", "peserta_perempuan": "Perempuan"}
        widgets = {
            "tanggal": TanggalInput(),
            "jam_mulai": JamInput(),
            "jam_selesai": JamInput(),
            "notulen": forms.Textarea(attrs={"rows": 5}),
            "peserta_laki": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "peserta_perempuan": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Active partners, plus the inactive ones this activity already names.
        terpilih = (
            list(self.instance.mitra.values_list("pk", flat=True)) if self.instance.pk else []
        )
        self.fields["mitra"].queryset = self.fields["mitra"].queryset.filter(
            Q(aktif=True) | Q(pk__in=terpilih)
        )
        self.fields["jenis"].choices = [("", "— pilih jenis kegiatan —"), *JenisKegiatan.choices]
        if not self.instance.pk:
            self.fields["tanggal"].initial = timezone.localdate()

    def _get_validation_exclusions(self):
        # The hour order is the service's rule (reported on jam_selesai), not the model form's.
        return super()._get_validation_exclusions() | {"jam_selesai"}


class FotoForm(forms.Form):
    foto = forms.FileField(
        label="Foto kegiatan",
        help_text="JPEG atau PNG, paling besar 5 MB. Lokasi GPS dan data kamera dihapus.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={
            "required": "Pilih foto yang akan diunggah.",
            "empty": gambar.PESAN_KOSONG,
        },
    )
    keterangan = forms.CharField(label="Keterangan", max_length=200, required=False)

    def clean_foto(self):
        berkas = self.cleaned_data["foto"]
        self.cleaned_data["olahan"] = gambar.olah_unggahan(
            berkas, sisi=(SISI_TAMPIL, SISI_KECIL), maks_byte=MAKS_BYTE_TAMPIL
        )
        return berkas


class PesertaCariForm(forms.Form):
    q = forms.CharField(label="Cari nama warga", min_length=3, max_length=100)


class TindakLanjutForm(ScopedFormMixin, VersiMixin, forms.ModelForm):
    mitra = forms.ModelChoiceField(
        label="Penanggung jawab",
        queryset=Mitra.objects.order_by("nama"),
        required=False,
        empty_label="TKSK (saya sendiri)",
    )

    class Meta:
        model = TindakLanjut
        fields = ["uraian", "mitra", "batas_waktu", "status", "catatan"]
        widgets = {
            "batas_waktu": TanggalInput(),
            "catatan": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        current = self.instance.mitra_id if self.instance.pk else None
        self.fields["mitra"].queryset = self.fields["mitra"].queryset.filter(
            Q(aktif=True) | Q(pk=current)
        )
        if not self.instance.pk:
            del self.fields["status"]
            del self.fields["catatan"]
            self.fields["batas_waktu"].initial = timezone.localdate() + timedelta(days=7)

    def clean_batas_waktu(self):
        return svc.cek_batas_waktu(self.cleaned_data["batas_waktu"])


# --- Rujukan ---------------------------------------------------------------------------------


class RujukanForm(ScopedFormMixin, forms.Form):
    mitra = forms.ModelChoiceField(
        label="Dirujuk ke mitra",
        queryset=Mitra.objects.filter(aktif=True).order_by("nama"),
        empty_label="— pilih mitra —",
    )
    alasan = forms.CharField(
        label="Alasan rujukan",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Tulis seperlunya; hindari rincian yang tidak dibutuhkan mitra.",
    )
    layanan = forms.CharField(
        label="Layanan yang dibutuhkan",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    urgensi = forms.ChoiceField(label="Tingkat urgensi", choices=Urgensi.choices)
    tanggal_kirim = forms.DateField(label="Tanggal surat", widget=TanggalInput())
    catatan = forms.CharField(
        label="Catatan (untuk riwayat, tidak dicetak)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    penandatangan_nama = forms.CharField(label="Nama penandatangan", max_length=150)
    penandatangan_jabatan = forms.CharField(label="Jabatan penandatangan", max_length=200)
    penandatangan_nip = forms.CharField(
        label="NIP/nomor induk penandatangan", max_length=30, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["tanggal_kirim"].initial = timezone.localdate()
        self.fields["penandatangan_nama"].initial = user.get_full_name() or user.username
        self.fields["penandatangan_jabatan"].initial = user.jabatan

    def clean_tanggal_kirim(self):
        return svc.cek_tanggal_surat(self.cleaned_data["tanggal_kirim"])


class StatusRujukanForm(VersiMixin, forms.Form):
    status = forms.ChoiceField(label="Status baru")
    tanggal = forms.DateField(label="Tanggal", widget=TanggalInput())
    catatan = forms.CharField(
        label="Catatan",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rujukan, **kwargs):
        super().__init__(*args, **kwargs)
        self.rujukan = rujukan
        self.fields["status"].choices = [
            (s.value, s.label) for s in TRANSISI_RUJUKAN[StatusRujukan(rujukan.status)]
        ]
        self.fields["tanggal"].initial = timezone.localdate()


class TautanMitraForm(StatusRujukanForm):
    """What the partner fills in at the partner link."""

    nama_pengisi = forms.CharField(
        label="Nama petugas yang mengisi", max_length=150, required=False
    )


class SuratForm(forms.Form):
    nik_lengkap = forms.BooleanField(
        label="Cetak NIK lengkap (tercatat di log audit)", required=False
    )


# --- Kop surat -------------------------------------------------------------------------------


class KopSuratForm(forms.Form):
    nama_instansi = forms.CharField(
        label="Nama instansi",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Satu baris per tingkat, mis. PEMERINTAH PROVINSI KALIMANTAN TENGAH, "
            "lalu DINAS SOSIAL di baris berikutnya."
        ),
    )
    alamat = forms.CharField(label="Alamat", max_length=255, required=False)
    telepon = forms.CharField(label="Telepon", max_length=50, required=False)
    email = forms.EmailField(label="Surel", required=False)
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG atau JPEG, paling besar 5 MB. Disimpan ulang sebagai PNG (maks. 600 px).",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        error_messages={"empty": gambar.PESAN_KOSONG},
    )
    hapus_logo = forms.BooleanField(label="Hapus logo", required=False)

    def clean_logo(self):
        berkas = self.cleaned_data.get("logo")
        if berkas:
            self.cleaned_data["logo_olahan"] = gambar.olah_unggahan(
                berkas, sisi=(SISI_LOGO,), format="PNG"
            )[0]
        return berkas
