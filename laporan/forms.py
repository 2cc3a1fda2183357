"""Forms of the laporan module: dashboard filters, the monthly report's narrative and review, the
recap options and the person-level export request. Forms validate; services write."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from laporan.models import LaporanBulanan
from laporan.selectors import Saringan, bulan_ini
from tksk.models import KategoriPPKS, Tingkat, Wilayah

STATUS_SARINGAN = [("", "Semua status"), ("terverifikasi", "Hanya terverifikasi")]


def urai_bulan(teks: str | None) -> date | None:
    """ "2026-11" → date(2026, 11, 1); None for anything else."""
    try:
        tahun, bulan = (int(x) for x in (teks or "").split("-"))
        return date(tahun, bulan, 1) if 2000 <= tahun <= 2100 else None
    except ValueError:
        return None


class BulanField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "class": "form-control form-control-sm"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        bulan = urai_bulan(value)
        if bulan is None:
            raise ValidationError("Tulis bulan sebagai TTTT-BB, misalnya 2026-11.")
        return bulan


class SaringanForm(forms.Form):
    """Dashboard filters. Invalid values fall back to the defaults (never to a wider scope: the
    area comes from the URL and the user's scope, not from these fields)."""

    periode = BulanField(label="Periode", required=False)
    status = forms.ChoiceField(
        label="Status verifikasi",
        choices=STATUS_SARINGAN,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    kategori = forms.TypedChoiceField(
        label="Kategori PPKS",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, data=None, *, kategori: list, **kwargs):
        super().__init__(data, **kwargs)
        # The categories already loaded for the page: choosing one costs no query.
        self._kategori = {k.pk: k for k in kategori}
        self.fields["kategori"].choices = [("", "Semua kategori")] + [
            (k.pk, f"{k.singkatan} – {k.nama}") for k in kategori
        ]

    def saringan(self) -> Saringan:
        self.is_valid()  # fields with an error are left out of cleaned_data: their default applies
        data = self.cleaned_data
        sekarang = bulan_ini()
        bulan = data.get("periode")
        if bulan is None or bulan > sekarang:
            bulan = sekarang
        return Saringan(
            bulan=bulan,
            hanya_terverifikasi=data.get("status") == "terverifikasi",
            kategori=self._kategori.get(data.get("kategori")),
        )


class LaporanForm(forms.ModelForm):
    """What the TKSK writes in the monthly report; the numbers are compiled, not typed."""

    versi = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = LaporanBulanan
        fields = [
            "nomor_sk",
            "pendampingan_program",
            "kejadian_khusus",
            "kendala",
            "rencana",
            "nama_camat",
            "nip_camat",
        ]
        labels = {
            "nomor_sk": "Nomor SK/ID TKSK",
            # The form's section headings carry the letters (E, F, G); the labels do not.
            "pendampingan_program": "Catatan pendampingan program (PKH, Sembako/BPNT, PBI-JK, "
            "ATENSI…)",
            "kejadian_khusus": "Catatan kejadian khusus/bencana",
            "kendala": "Kendala",
            "rencana": "Rencana bulan depan",
            "nama_camat": "Nama Camat (untuk tanda tangan 'Mengetahui')",
            "nip_camat": "NIP Camat",
        }
        help_texts = {
            "kendala": "NIK atau No KK yang ditulis di sini disimpan tersamar.",
            "pendampingan_program": "Kegiatan pendampingan bulan ini, jumlah KPM, masalah.",
            "kejadian_khusus": "Tanggal, jenis, desa, KK/jiwa terdampak, respon.",
        }
        widgets = {
            "pendampingan_program": forms.Textarea(attrs={"rows": 3}),
            "kejadian_khusus": forms.Textarea(attrs={"rows": 3}),
            "kendala": forms.Textarea(attrs={"rows": 3}),
            "rencana": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "versi":
                field.widget.attrs.setdefault("class", "form-control")
        if self.instance.pk and "versi" not in self.initial:
            self.initial["versi"] = self.instance.versi
        if self.instance.pk and self.instance.boleh_diubah:
            self._isi_dari_profil()

    def _isi_dari_profil(self) -> None:
        """The SK number comes from the TKSK's profile (the SK in force that month), and is not
        typed again; without one, the SK number and the Camat come from the previous report."""
        from tenaga.selectors import sk_untuk_laporan

        laporan = self.instance
        sk = sk_untuk_laporan(laporan.tksk_id, laporan.bulan)
        if sk is not None:
            field = self.fields["nomor_sk"]
            field.disabled = True
            self.initial["nomor_sk"] = sk.nomor
            field.help_text = (
                f"Dari riwayat SK di profil TKSK (berlaku {sk.mulai:%d-%m-%Y} s.d. "
                f"{sk.selesai:%d-%m-%Y}). SK baru dicatat oleh Dinas Sosial provinsi."
            )
        kosong = [k for k in ("nomor_sk", "nama_camat", "nip_camat") if not self.initial.get(k)]
        if not kosong:
            return
        sebelumnya = (
            LaporanBulanan.objects.filter(tksk_id=laporan.tksk_id, bulan__lt=laporan.bulan)
            .order_by("-bulan")
            .values(*kosong)
        )
        for baris in sebelumnya[:12]:
            for kolom in [k for k in kosong if baris[k]]:
                self.initial[kolom] = baris[kolom]
                kosong.remove(kolom)
            if not kosong:
                break

    def clean_nip_camat(self):
        nip = (self.cleaned_data.get("nip_camat") or "").replace(" ", "")
        if nip and not nip.isdigit():
            raise ValidationError("NIP hanya berisi angka.")
        if nip and len(nip) != 18:
            raise ValidationError("NIP terdiri dari 18 digit.")
        return nip


class TinjauForm(forms.Form):
    keputusan = forms.ChoiceField(
        choices=[("terima", "Terima"), ("kembalikan", "Kembalikan untuk diperbaiki")]
    )
    catatan = forms.CharField(
        label="Catatan untuk TKSK",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("keputusan") == "kembalikan" and not (data.get("catatan") or "").strip():
            self.add_error("catatan", "Tulis apa yang perlu diperbaiki oleh TKSK.")
        return data


class BukaLaporanForm(forms.Form):
    bulan = BulanField(label="Bulan laporan")

    def clean_bulan(self):
        bulan = self.cleaned_data["bulan"]
        if bulan > bulan_ini():
            raise ValidationError("Laporan bulan yang belum dimulai belum dapat dibuat.")
        return bulan


# --- exports ----------------------------------------------------------------------------------


class EksporForm(forms.Form):
    """A person-level export request (kabupaten, province, admin)."""

    jenis = forms.ChoiceField(
        label="Data",
        choices=[("keluarga", "Keluarga"), ("individu", "Individu"), ("ppks", "PPKS")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    wilayah = forms.ModelChoiceField(
        label="Wilayah",
        queryset=Wilayah.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
        empty_label=None,
    )
    status = forms.ChoiceField(
        label="Status verifikasi",
        required=False,
        choices=[
            ("", "Semua status"),
            ("terverifikasi", "Terverifikasi"),
            ("diajukan", "Diajukan"),
            ("draf", "Draf"),
            ("dikembalikan", "Dikembalikan"),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kategori = forms.ModelChoiceField(
        label="Kategori PPKS (untuk data PPKS)",
        required=False,
        queryset=KategoriPPKS.objects.order_by("nomor"),
        empty_label="Semua kategori",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("csv", "CSV (UTF-8, untuk Excel)"), ("xlsx", "Excel (XLSX)")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    nik_lengkap = forms.BooleanField(
        label="Tampilkan NIK/No KK lengkap",
        required=False,
        help_text="Bawaan: disamarkan (6271********0001). NIK lengkap hanya untuk keperluan dinas "
        "yang sah dan tercatat di log audit.",
    )
    keperluan = forms.CharField(
        label="Keperluan",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["wilayah"].queryset = (
            Wilayah.objects.for_user(user)
            .exclude(tingkat=Tingkat.DESA)
            .select_related("kabupaten")
            .order_by("kode")
        )
        self.fields["wilayah"].label_from_instance = lambda w: (
            ("— " * ["provinsi", "kabupaten", "kecamatan"].index(w.tingkat)) + w.nama_lengkap
        )

    def clean(self):
        data = super().clean()
        if data.get("nik_lengkap") and len((data.get("keperluan") or "").strip()) < 10:
            self.add_error(
                "keperluan", "Tulis keperluan (minimal 10 huruf) untuk ekspor NIK lengkap."
            )
        return data
