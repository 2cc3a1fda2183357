"""One offline operation on one record, validated by the same Django forms as the web pages and
written by the same services.

Each entity knows how to find a record of the user's area by uuid, how its edit form reads the
stored record (the values an offline edit is merged into), and how to save validated data.
Errors come back as `Galat`: `{field: [messages]}`, `"__all__"` for the whole record, a member's
field as `"anggota.<i>.<field>"`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from koordinasi import services as svc_koordinasi
from koordinasi.forms import KegiatanForm, RujukanForm, TindakLanjutForm
from koordinasi.models import Kegiatan, Rujukan, TindakLanjut
from pendataan import services as svc_keluarga
from pendataan import services_ppks as svc_ppks
from pendataan.forms import AnggotaForm, AnggotaFormSet, KeluargaForm, anggota_initial
from pendataan.forms_ppks import PPKSForm, PSKSForm
from pendataan.models import PPKS, PSKS, Individu, Keluarga, StatusVerifikasi
from pendataan.selectors_ppks import ppks_visible


class Galat(Exception):
    def __init__(self, galat: dict):
        super().__init__("galat")
        self.galat = galat


# --- values -----------------------------------------------------------------------------------


def _satu(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "on" if v else ""
    if isinstance(v, Model):
        return str(v.pk)
    if isinstance(v, (date, datetime, time)):
        return v.isoformat()
    return str(v)


def data_formulir(data: dict, prefix: str = "") -> MultiValueDict:
    """A JSON dict as the browser would post it: lists as repeated keys, false as absent."""
    hasil = MultiValueDict()
    for k, v in data.items():
        kunci = f"{prefix}{k}"
        if isinstance(v, (list, tuple)):
            hasil.setlist(kunci, [_satu(x) for x in v])
        elif v is False:
            continue
        else:
            hasil[kunci] = _satu(v)
    return hasil


def normal(v):
    """A value in a form comparable across JSON, form initial and model values."""
    if isinstance(v, (list, tuple, set)):
        return tuple(sorted(normal(x) for x in v))
    if isinstance(v, bool):
        return "1" if v else ""
    if isinstance(v, Model):
        return str(v.pk)
    if isinstance(v, UUID):
        return str(v)
    if isinstance(v, (date, datetime, time)):
        return v.isoformat()[: 5 if isinstance(v, time) else None]
    s = "" if v is None else str(v).strip()
    if "." in s:
        try:
            return str(Decimal(s).normalize())
        except InvalidOperation:
            pass
    if isinstance(v, time) or (len(s) == 8 and s[2:3] == ":" and s[5:6] == ":"):
        return s[:5]
    if s.lower() in ("true", "on"):
        return "1"
    if s.lower() == "false":
        return ""
    return s


def jsonable(v):
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, Model):
        return v.pk
    if isinstance(v, (date, datetime, time, Decimal, UUID)):
        return _satu(v)
    return v


def galat_form(form, prefix: str = "") -> dict:
    hasil = {}
    for field, errors in form.errors.get_json_data().items():
        kunci = "__all__" if field == "__all__" and not prefix else f"{prefix}{field}"
        if field == "__all__" and prefix:
            kunci = prefix.rstrip(".")
        hasil.setdefault(kunci, []).extend(e["message"] for e in errors)
    return hasil


def galat_layanan(error: ValidationError, ganti_awalan: tuple[str, str] | None = None) -> dict:
    if not hasattr(error, "error_dict"):
        return {"__all__": list(error.messages)}
    hasil = {}
    for key, errors in error.error_dict.items():
        if ganti_awalan and key.startswith(ganti_awalan[0]):
            key = ganti_awalan[1] + key[len(ganti_awalan[0]) :]
        key = key or "__all__"
        hasil.setdefault(key, []).extend(m for e in errors for m in e.messages)
    return hasil


@dataclass
class Tersimpan:
    obj: object
    uuid: str
    url: str
    versi: int | None


# --- entities ---------------------------------------------------------------------------------


class Entitas:
    nama: str
    model: type
    verifikasi = True

    def terlihat(self, pelaku):
        return self.model.objects.for_user(pelaku)

    def cari(self, pelaku, uuid):
        return self.terlihat(pelaku).filter(uuid=uuid).first()

    def dikunci(self, obj) -> str:
        """Why an offline edit of `obj` may not overwrite it ("" when it may)."""
        if self.verifikasi and obj.status == StatusVerifikasi.TERVERIFIKASI:
            return "Data ini sudah diverifikasi."
        return ""

    def penulis_server(self, obj):
        return getattr(obj, "diubah_oleh", None)

    def desa(self, obj):
        return obj.desa

    def induk_uuid(self, obj):
        return None

    def label(self, field: str) -> str:
        form = self.form_kosong()
        f = form.fields.get(field) if form is not None else None
        return str(f.label) if f is not None and f.label else field

    def form_kosong(self):
        return None

    def tersimpan(self, obj) -> Tersimpan:
        return Tersimpan(obj, str(obj.uuid), self.url(obj), getattr(obj, "versi", None))

    # Subclasses: sekarang(obj) -> dict, buat(pelaku, data, uuid) -> obj,
    # ubah(pelaku, obj, data) -> obj; url(obj).


class EntitasKeluarga(Entitas):
    nama = "keluarga"
    model = Keluarga

    def url(self, obj):
        return reverse("pendataan:keluarga-detail", args=[obj.uuid])

    def form_kosong(self):
        return _FormLabel(KeluargaForm)

    def sekarang(self, obj) -> dict:
        data = KeluargaForm.initial_dari(obj)
        data.pop("versi", None)
        return data

    def anggota_sekarang(self, obj) -> dict[str, dict]:
        return {str(a["uuid"]): _tanpa_uuid(a) for a in anggota_initial(obj.anggota.all())}

    def _simpan(self, pelaku, data, anggota_data, *, keluarga=None, uuid=None, tersimpan=()):
        fd = data_formulir({k: v for k, v in data.items() if k != "anggota"})
        fd.update(_formset_data(anggota_data, tersimpan))
        form = KeluargaForm(fd, user=pelaku)
        formset = AnggotaFormSet(fd, prefix="anggota")
        galat = {}
        if not form.is_valid():
            galat.update(galat_form(form))
        if not formset.is_valid():
            for i, f in enumerate(formset.forms):
                galat.update(galat_form(f, f"anggota.{i}."))
            if formset.non_form_errors():
                galat["anggota"] = list(formset.non_form_errors())
        if galat:
            raise Galat(galat)
        anggota = []
        for item, f in zip(anggota_data, formset.forms, strict=True):
            u = str(item.get("uuid") or "")
            if item.get("hapus"):
                if u in tersimpan:
                    anggota.append({"uuid": u, "hapus": True})
                continue
            d = f.data_layanan()
            d.pop("uuid", None)
            if u in tersimpan:
                d["uuid"] = u
            elif u:
                d["uuid_baru"] = u
            anggota.append(d)
        try:
            hasil = svc_keluarga.keluarga_simpan(
                pelaku=pelaku,
                keluarga=keluarga,
                data=form.data_layanan(),
                anggota=anggota,
                uuid=uuid,
            )
        except ValidationError as error:
            raise Galat(galat_layanan(error)) from None
        return hasil.keluarga

    def buat(self, pelaku, data, uuid):
        return self._simpan(pelaku, data, list(data.get("anggota") or []), uuid=uuid)

    def ubah(self, pelaku, obj, data):
        """`data`: the merged household fields, and under "anggota" the merged members."""
        tersimpan = self.anggota_sekarang(obj)
        return self._simpan(
            pelaku, data, list(data.get("anggota") or []), keluarga=obj, tersimpan=tersimpan
        )


class _FormLabel:
    def __init__(self, form_class):
        self.fields = form_class.base_fields


def _tanpa_uuid(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "uuid"}


def _formset_data(anggota: list[dict], tersimpan) -> MultiValueDict:
    fd = MultiValueDict()
    fd["anggota-TOTAL_FORMS"] = str(len(anggota))
    fd["anggota-INITIAL_FORMS"] = "0"
    fd["anggota-MIN_NUM_FORMS"] = "0"
    fd["anggota-MAX_NUM_FORMS"] = "1000"
    for i, item in enumerate(anggota):
        if not isinstance(item, dict):
            raise Galat({f"anggota.{i}": ["Data anggota tidak terbaca."]})
        isi = {k: v for k, v in item.items() if k not in ("uuid", "hapus")}
        u = str(item.get("uuid") or "")
        if u in tersimpan:
            isi["uuid"] = u
        if item.get("hapus"):
            isi["DELETE"] = "on"
        fd.update(data_formulir(isi, f"anggota-{i}-"))
    return fd


class EntitasIndividu(Entitas):
    nama = "individu"
    model = Individu

    def terlihat(self, pelaku):
        return Individu.objects.for_user(pelaku).select_related("keluarga")

    def dikunci(self, obj) -> str:
        return EntitasKeluarga().dikunci(obj.keluarga)

    def penulis_server(self, obj):
        return obj.keluarga.diubah_oleh

    def induk_uuid(self, obj):
        return obj.keluarga.uuid

    def url(self, obj):
        return reverse("pendataan:keluarga-detail", args=[obj.keluarga.uuid])

    def tersimpan(self, obj) -> Tersimpan:
        return Tersimpan(obj, str(obj.uuid), self.url(obj), obj.keluarga.versi)

    def form_kosong(self):
        return _FormLabel(AnggotaForm)

    def sekarang(self, obj) -> dict:
        return _tanpa_uuid(anggota_initial([obj])[0])

    def _form(self, data):
        isi = {k: v for k, v in data.items() if k not in ("uuid", "keluarga", "hapus")}
        form = AnggotaForm(data_formulir(isi))
        if not form.is_valid():
            raise Galat(galat_form(form))
        return form.data_layanan()

    def buat(self, pelaku, data, uuid):
        keluarga = (
            Keluarga.objects.for_user(pelaku).filter(uuid=_uuid(data.get("keluarga"))).first()
        )
        if keluarga is None:
            raise Galat({"keluarga": ["Pilih keluarga di wilayah tugas Anda."]})
        isi = self._form(data)
        try:
            return svc_keluarga.individu_tambah(
                pelaku=pelaku, keluarga=keluarga, data=isi, uuid=uuid
            )
        except ValidationError as error:
            raise Galat(galat_layanan(error, ("anggota.0.", ""))) from None

    def ubah(self, pelaku, obj, data):
        isi = self._form(data)
        isi["uuid"] = str(obj.uuid)
        try:
            svc_keluarga.keluarga_simpan(
                pelaku=pelaku, keluarga=obj.keluarga, data={}, anggota=[isi]
            )
        except ValidationError as error:
            raise Galat(galat_layanan(error, ("anggota.0.", ""))) from None
        return Individu.objects.select_related("keluarga").get(pk=obj.pk)


def _uuid(v):
    try:
        return UUID(str(v))
    except ValueError:
        return None


class EntitasPPKS(Entitas):
    nama = "ppks"
    model = PPKS

    def terlihat(self, pelaku):
        return ppks_visible(pelaku).select_related("individu", "keluarga")

    def url(self, obj):
        return reverse("pendataan:ppks-detail", args=[obj.uuid])

    def form_kosong(self):
        return _FormLabel(PPKSForm)

    def sekarang(self, obj) -> dict:
        data = PPKSForm.initial_dari(obj)
        data.pop("versi", None)
        return data

    def _simpan(self, pelaku, data, *, obj=None, uuid=None):
        form = PPKSForm(data_formulir(data), user=pelaku, ubah=obj is not None)
        if not form.is_valid():
            raise Galat(galat_form(form))
        try:
            hasil, _ = svc_ppks.ppks_simpan(
                pelaku=pelaku, ppks=obj, data=form.data_layanan(), uuid=uuid
            )
        except ValidationError as error:
            raise Galat(galat_layanan(error)) from None
        return hasil

    def buat(self, pelaku, data, uuid):
        return self._simpan(pelaku, data, uuid=uuid)

    def ubah(self, pelaku, obj, data):
        return self._simpan(pelaku, data, obj=obj)


class EntitasPSKS(EntitasPPKS):
    nama = "psks"
    model = PSKS

    def terlihat(self, pelaku):
        return PSKS.objects.for_user(pelaku)

    def url(self, obj):
        return reverse("pendataan:psks-detail", args=[obj.uuid])

    def form_kosong(self):
        return _FormLabel(PSKSForm)

    def sekarang(self, obj) -> dict:
        data = PSKSForm.initial_dari(obj)
        data.pop("versi", None)
        return data

    def _simpan(self, pelaku, data, *, obj=None, uuid=None):
        form = PSKSForm(data_formulir(data), user=pelaku)
        if not form.is_valid():
            raise Galat(galat_form(form))
        try:
            hasil, _ = svc_ppks.psks_simpan(
                pelaku=pelaku, psks=obj, data=form.data_layanan(), uuid=uuid
            )
        except ValidationError as error:
            raise Galat(galat_layanan(error)) from None
        return hasil


class EntitasKegiatan(Entitas):
    nama = "kegiatan"
    model = Kegiatan
    verifikasi = False

    def url(self, obj):
        return reverse("koordinasi:kegiatan-detail", args=[obj.uuid])

    def form_kosong(self):
        return _FormLabel(KegiatanForm)

    def sekarang(self, obj) -> dict:
        form = KegiatanForm(instance=obj, user=obj.dibuat_oleh or obj.diubah_oleh)
        return {name: form[name].value() for name in form.fields if name != "versi"}

    def _simpan(self, pelaku, data, *, obj=None, uuid=None):
        form = KegiatanForm(data_formulir(data), instance=obj, user=pelaku)
        if not form.is_valid():
            raise Galat(galat_form(form))
        isi = form.cleaned_data
        try:
            return svc_koordinasi.kegiatan_simpan(
                pelaku=pelaku, data=isi, mitra=isi.get("mitra") or [], kegiatan=obj, uuid=uuid
            )
        except ValidationError as error:
            raise Galat(galat_layanan(error)) from None

    def buat(self, pelaku, data, uuid):
        return self._simpan(pelaku, data, uuid=uuid)

    def ubah(self, pelaku, obj, data):
        return self._simpan(pelaku, data, obj=obj)


class EntitasRujukan(Entitas):
    nama = "rujukan"
    model = Rujukan
    verifikasi = False

    def terlihat(self, pelaku):
        return Rujukan.objects.for_user(pelaku)

    def url(self, obj):
        return reverse("koordinasi:rujukan-detail", args=[obj.uuid])

    def form_kosong(self):
        return _FormLabel(RujukanForm)

    def buat(self, pelaku, data, uuid):
        ppks = ppks_visible(pelaku).filter(uuid=_uuid(data.get("ppks"))).first()
        form = RujukanForm(data_formulir(data), user=pelaku)
        galat = {} if form.is_valid() else galat_form(form)
        if ppks is None:
            galat["ppks"] = ["Pilih data PPKS di wilayah tugas Anda."]
        if galat:
            raise Galat(galat)
        isi = form.cleaned_data
        try:
            return svc_koordinasi.rujukan_kirim(
                pelaku=pelaku, ppks=ppks, mitra=isi["mitra"], data=isi, uuid=uuid
            )
        except ValidationError as error:
            raise Galat(galat_layanan(error)) from None

    def ubah(self, pelaku, obj, data):
        raise Galat(
            {"__all__": ["Rujukan yang sudah dikirim diubah lewat langkah di halaman rujukan."]}
        )


PESAN_KEGIATAN = "Pilih kegiatan di wilayah tugas Anda."


def _kegiatan_induk(pelaku, data):
    """The activity a child operation names (by uuid), through the scoping rule."""
    return Kegiatan.objects.for_user(pelaku).filter(uuid=_uuid(data.get("kegiatan"))).first()


class EntitasTindakLanjut(Entitas):
    """A follow-up agreed at an activity; sent after its activity (`data.kegiatan`)."""

    nama = "tindak_lanjut"
    model = TindakLanjut
    verifikasi = False

    def terlihat(self, pelaku):
        return TindakLanjut.objects.for_user(pelaku).select_related("kegiatan")

    def desa(self, obj):
        return obj.kegiatan.desa

    def induk_uuid(self, obj):
        return obj.kegiatan.uuid

    def url(self, obj):
        return reverse("koordinasi:kegiatan-detail", args=[obj.kegiatan.uuid]) + "#tindak-lanjut"

    def form_kosong(self):
        return _FormLabel(TindakLanjutForm)

    def buat(self, pelaku, data, uuid):
        kegiatan = _kegiatan_induk(pelaku, data)
        isi = {k: v for k, v in data.items() if k != "kegiatan"}
        form = TindakLanjutForm(data_formulir(isi), user=pelaku)
        galat = {} if form.is_valid() else galat_form(form)
        if kegiatan is None:
            galat["kegiatan"] = [PESAN_KEGIATAN]
        if galat:
            raise Galat(galat)
        try:
            return svc_koordinasi.tindak_lanjut_simpan(
                pelaku=pelaku, kegiatan=kegiatan, data=form.cleaned_data, uuid=uuid
            )
        except ValidationError as error:
            raise Galat(galat_layanan(error)) from None

    def ubah(self, pelaku, obj, data):
        raise Galat({"__all__": ["Tindak lanjut yang sudah tersimpan diubah di halaman kegiatan."]})


class EntitasPeserta(Entitas):
    """A person or household of one's own area named as a participant of an activity.

    A link has no row of its own: the operation's uuid names only the operation, `cari` finds
    nothing, and adding the same participant twice leaves one link (the op_id answers a replay).
    """

    nama = "peserta"
    model = Kegiatan
    verifikasi = False
    JENIS = {"individu": Individu, "keluarga": Keluarga}

    def cari(self, pelaku, uuid):
        return None

    def url(self, obj):
        return reverse("koordinasi:kegiatan-detail", args=[obj.uuid]) + "#peserta"

    def buat(self, pelaku, data, uuid):
        kegiatan = _kegiatan_induk(pelaku, data)
        model = self.JENIS.get(str(data.get("tipe") or ""))
        galat = {}
        if kegiatan is None:
            galat["kegiatan"] = [PESAN_KEGIATAN]
        if model is None:
            galat["tipe"] = ["Peserta harus warga (individu) atau keluarga."]
            target = None
        else:
            target = model.objects.for_user(pelaku).filter(uuid=_uuid(data.get("peserta"))).first()
            if target is None:
                galat["peserta"] = ["Warga ini tidak ditemukan di wilayah tugas Anda."]
        if galat:
            raise Galat(galat)
        svc_koordinasi.kegiatan_ubah_peserta(
            pelaku=pelaku, kegiatan=kegiatan, tambah=True, **{str(data["tipe"]): target}
        )
        return Kegiatan.objects.get(pk=kegiatan.pk)

    def ubah(self, pelaku, obj, data):
        raise Galat({"__all__": ["Daftar peserta diubah di halaman kegiatan."]})


ENTITAS: dict[str, Entitas] = {
    e.nama: e
    for e in (
        EntitasKeluarga(),
        EntitasIndividu(),
        EntitasPPKS(),
        EntitasPSKS(),
        EntitasKegiatan(),
        EntitasRujukan(),
        EntitasTindakLanjut(),
        EntitasPeserta(),
    )
}
