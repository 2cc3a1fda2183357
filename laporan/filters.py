"""Filters of the monthly report list: month, area and status, as the dashboards link to it.

A filter only ever narrows the user's scope: the area is resolved through the scoping rule
(another area's or an unknown code is a 404, as on the dashboards and recaps), and a malformed
value or a parameter given twice with different values is an error shown next to an empty list,
never a silently dropped filter."""

from datetime import date

from django import forms

from laporan import selectors as sel
from laporan.forms import BulanField
from laporan.models import StatusLaporan
from tksk.models import Tingkat, Wilayah
from tksk.scoping import sees_everything

# Every report that reached the Dinas: what the dashboards count as "laporan masuk".
MASUK = "masuk"
STATUS_PILIHAN = [
    ("", "Semua status"),
    (MASUK, "Sudah masuk (diajukan, diterima, dikembalikan)"),
    *StatusLaporan.choices,
]


class SaringanLaporanForm(forms.Form):
    bulan = BulanField(label="Bulan", required=False)
    wilayah = forms.CharField(label="Wilayah", required=False, max_length=20)
    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_PILIHAN,
        required=False,
        error_messages={"invalid_choice": "Pilih salah satu status yang tersedia."},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, data=None, *, user, **kwargs):
        # Its own ids: the TKSK's "open a report" form on the same page has a `bulan` too.
        kwargs.setdefault("auto_id", "saring-%s")
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["bulan"].widget.attrs["max"] = f"{sel.bulan_ini():%Y-%m}"

    def clean_wilayah(self) -> Wilayah | None:
        kode = self.cleaned_data["wilayah"].strip()
        if self._ganda("wilayah"):
            return None  # refused in `clean`, before any of the codes is looked up
        if not kode:
            return None
        # Outside the scope or unknown: Http404, whatever the other parameters say.
        wilayah = sel.wilayah_untuk(self.user, kode)
        if wilayah.tingkat == Tingkat.DESA:
            # Reports are kept per kecamatan: a desa cannot narrow them honestly.
            raise forms.ValidationError("Pilih kabupaten/kota atau kecamatan.")
        return wilayah

    def _ganda(self, name: str) -> bool:
        getlist = getattr(self.data, "getlist", None)
        return getlist is not None and len(set(getlist(name))) > 1

    def clean(self):
        cleaned = super().clean()
        # A parameter given twice with different values: refused rather than the last one kept,
        # so `?wilayah=A&wilayah=` never turns a narrowed list back into a wider one.
        ganda = [str(self.fields[name].label) for name in self.fields if self._ganda(name)]
        if ganda:
            raise forms.ValidationError(
                "Saringan %(nama)s diberikan lebih dari sekali dengan nilai berbeda.",
                code="ganda",
                params={"nama": ", ".join(ganda)},
            )
        return cleaned

    def saringan(self) -> dict | None:
        """The filter as keyword arguments of `sel.laporan_daftar`, or None when invalid (the
        list then shows nothing)."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return {"bulan": data["bulan"], "wilayah": data["wilayah"], "status": data["status"]}


def wilayah_pilihan(user, terpilih: Wilayah | None) -> list[tuple[Wilayah, str]]:
    """Areas offered by the list's area filter, with their labels: a kabupaten user's
    kecamatan; for the province, its kabupaten/kota and the kecamatan of the one chosen (the
    page stays light however many kecamatan there are); nothing for a TKSK. One query."""
    area = None if sees_everything(user) else user.wilayah
    if area is not None and area.tingkat in (Tingkat.KECAMATAN, Tingkat.DESA):
        return []
    if area is not None and area.tingkat == Tingkat.KABUPATEN:
        qs = Wilayah.objects.for_user(user).filter(tingkat=Tingkat.KECAMATAN)
    else:
        kabupaten = None
        if terpilih is not None and terpilih.tingkat != Tingkat.PROVINSI:
            kabupaten = terpilih if terpilih.tingkat == Tingkat.KABUPATEN else terpilih.kabupaten
        qs = Wilayah.objects.for_user(user).filter(tingkat=Tingkat.KABUPATEN)
        if kabupaten is not None:
            qs = qs | Wilayah.objects.for_user(user).filter(
                tingkat=Tingkat.KECAMATAN, kabupaten=kabupaten
            )
    # Kecamatan indented under their kabupaten when both levels are offered.
    bertingkat = area is None or area.tingkat == Tingkat.PROVINSI
    hasil = []
    for w in qs.only("kode", "nama", "tingkat").order_by("kode"):
        sisipan = "— " if bertingkat and w.tingkat == Tingkat.KECAMATAN else ""
        hasil.append((w, sisipan + w.nama_lengkap))
    return hasil


def label_saringan(saringan: dict | None) -> list[str]:
    """What the list is narrowed to, in words (shown above it, so a user arriving by a
    dashboard link sees what they are looking at)."""
    if not saringan:
        return []
    bagian = []
    bulan: date | None = saringan.get("bulan")
    if bulan:
        bagian.append(sel.label_bulan(bulan))
    if saringan.get("wilayah") is not None:
        bagian.append(saringan["wilayah"].nama_lengkap)
    status = saringan.get("status")
    if status:
        bagian.append(dict(STATUS_PILIHAN)[status].lower())
    return bagian
