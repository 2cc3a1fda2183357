"""Scope beyond the matrix: nested objects reached through one's own record, extra fields in
every create and update form, and crafted filter parameters on every list and dashboard.

"Nothing written" is checked on a fingerprint of every table of the apps (history and audit
log included), not on a few counts."""

import uuid
from datetime import date

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import UUIDConverter

from tests.matrix import OPEN, SCOPED
from tests.security import (
    APP_LABELS,
    Halaman,
    anggota,
    beda,
    data_formulir,
    isi_dunia,
    isi_tubuh,
    media_fixture,  # noqa: F401
    pengguna_untuk,
    sidik_jari,
)
from tksk.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _pola(resolver=None, namespace=None):
    """(full name, URLPattern) of every named URL."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _pola(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


POLA = dict(_pola())


def _uuid_kwargs(name: str) -> list[str]:
    converters = POLA[name].pattern.converters
    return [k for k, c in converters.items() if isinstance(c, UUIDConverter)]


def _kec_asing(user) -> str:
    """A kecamatan the user may not see (a TKSK: the neighbour in the same kabupaten)."""
    return "selat" if user.role == "kabupaten" else "jekanraya"


# --- nested objects in the URL ----------------------------------------------------------------

BERSARANG = [e for e in SCOPED if e.name in POLA and len(_uuid_kwargs(e.name)) >= 2]


def test_nested_urls_exist_to_be_checked():
    assert {e.name for e in BERSARANG} >= {
        "koordinasi:kegiatan-foto",
        "koordinasi:kegiatan-foto-hapus",
        "koordinasi:tindaklanjut-update",
    }


def _minta(client, method, path, data):
    if method == "post":
        return client.post(path, data or {})
    return client.get(path)


@pytest.mark.parametrize("entry", BERSARANG, ids=lambda e: e.name)
def test_child_of_another_record_through_ones_own_url_is_404_and_writes_nothing(
    entry, world, client
):
    """Own parent in the URL, the child of another parent of the same area or of another area:
    404 for reading and writing, and not a byte changes."""
    user = pengguna_untuk(world, entry.roles)
    parent_kw, *child_kws = _uuid_kwargs(entry.name)
    own_path, data = entry.build(world, "pahandut")
    sibling_path, _ = entry.build(world, "pahandut")
    foreign_path, _ = entry.build(world, _kec_asing(user))
    own = resolve(own_path).kwargs
    client.force_login(user)
    for other_path in (sibling_path, foreign_path):
        other = resolve(other_path).kwargs
        kwargs = {**own, **{k: other[k] for k in child_kws}}
        path = reverse(entry.name, kwargs=kwargs)
        assert own[parent_kw] == kwargs[parent_kw] and kwargs != own
        before = sidik_jari()
        for method in ("get", "post"):
            status = _minta(client, method, path, data).status_code
            allowed = {404} if method == entry.method else {404, 405}
            assert status in allowed, f"{method.upper()} {path}: {status}"
        assert beda(before, sidik_jari()) == [], path
    # The same URL with its own child works (the check above is not vacuous).
    assert _minta(client, entry.method, own_path, data).status_code < 400


# --- nested objects in the POST body ----------------------------------------------------------


def _uuid_fields(data) -> list[str]:
    hasil = []
    for key, value in (data or {}).items():
        try:
            uuid.UUID(str(value))
        except ValueError:
            continue
        hasil.append(key)
    return hasil


def _posts_with_ids():
    hasil = []
    for entry in SCOPED:
        if entry.method == "post" and not entry.name.startswith("api:"):
            hasil.append(entry)
    return hasil


@pytest.mark.parametrize("entry", _posts_with_ids(), ids=lambda e: e.name)
def test_id_of_another_area_in_the_posted_data_is_refused_and_writes_nothing(entry, world, client):
    user = pengguna_untuk(world, entry.roles)
    if user.role == "admin":
        return  # an unassigned admin has no "other area"
    path, data = entry.build(world, "pahandut")
    _, asing = entry.build(world, _kec_asing(user))
    fields = _uuid_fields(data)
    client.force_login(user)
    for key in fields:
        crafted = {**data, key: asing[key]}
        before = sidik_jari()
        response = client.post(path, crafted)
        assert response.status_code == 404, f"{entry.name} {key}: {response.status_code}"
        assert beda(before, sidik_jari()) == [], f"{entry.name} {key}"


def test_posted_ids_cover_participants_and_verification(world):
    """The check above is not vacuous: these POSTs carry ids of records in their body."""
    entries = {e.name: e for e in _posts_with_ids()}
    for name in ("koordinasi:kegiatan-peserta", "pendataan:verifikasi-aksi"):
        _, data = entries[name].build(world, "pahandut")
        assert _uuid_fields(data), name


# --- households: members of another household ---------------------------------------------------


def _form_ubah(keluarga, anggota_rows=None):
    from tests.matrix.keluarga import form_ubah

    return form_ubah(keluarga, anggota_rows)


@pytest.mark.parametrize("asal", ["pahandut", "jekanraya"], ids=["same-area", "other-area"])
@pytest.mark.parametrize("hapus", [False, True], ids=["edit", "delete"])
def test_member_of_another_household_through_ones_own_household_form(world, client, asal, hapus):
    from tests.matrix.keluarga import anggota_form, buat_keluarga

    sendiri = buat_keluarga(world, "pahandut", anggota=[anggota("Kepala Sendiri")])
    lain = buat_keluarga(world, asal, anggota=[anggota("Kepala Lain")])
    korban = lain.anggota.get()
    rows = anggota_form(sendiri)
    # Not a second head: the only thing wrong with the row is whose member it is.
    baris = {**anggota_form(lain)[0], "nama": "Diubah Lewat Keluarga Lain", "hubungan": "anak"}
    if hapus:
        baris["DELETE"] = "on"
    rows.append(baris)
    data = _form_ubah(sendiri, rows)
    data["anggota-INITIAL_FORMS"] = str(len(rows))
    client.force_login(world.users["tksk_pahandut"])
    before = sidik_jari()
    response = client.post(reverse("pendataan:keluarga-update", args=[sendiri.uuid]), data)
    assert response.status_code == 200, response.status_code
    assert "tidak ditemukan di keluarga ini" in response.content.decode()
    assert beda(before, sidik_jari()) == []
    korban.refresh_from_db()
    assert korban.nama == "Kepala Lain" and korban.keluarga_id == lain.pk


def test_someone_elses_duplicate_case_cannot_be_attached_to_ones_household(world, client):
    """The household form carries the user's own duplicate cases (`kasus`); another user's
    case uuid posted there is ignored."""
    from tests.matrix.keluarga import buat_kasus, form_data

    kasus = buat_kasus(world, "jekanraya")  # reported by the admin
    client.force_login(world.users["tksk_pahandut"])
    data = form_data(world.desa["pahandut"], [anggota("Budi Kasus")], initial=0)
    data["kasus"] = str(kasus.uuid)
    response = client.post(reverse("pendataan:keluarga-create"), data)
    assert response.status_code == 302
    kasus.refresh_from_db()
    assert kasus.keluarga_baru_id is None


def test_verification_of_a_record_under_another_type_is_404(world, client):
    """A PPKS uuid posted as a household (own area) is not found: no cross-type confusion."""
    from tests.matrix.ppks import buat_ppks

    ppks = buat_ppks(world, "pahandut")
    type(ppks).objects.filter(pk=ppks.pk).update(status="diajukan")
    client.force_login(world.users["kab_palangkaraya"])
    before = sidik_jari()
    for tipe in ("keluarga", "psks"):
        response = client.post(
            reverse("pendataan:verifikasi-aksi"),
            {"tipe": tipe, "uuid": str(ppks.uuid), "aksi": "verifikasi"},
        )
        assert response.status_code == 404
    assert beda(before, sidik_jari()) == []


def test_follow_up_and_referral_refuse_a_partner_of_another_area(world, client):
    from koordinasi.models import Rujukan, TindakLanjut
    from tests.matrix.koordinasi import buat_kegiatan, buat_mitra
    from tests.matrix.ppks import buat_ppks

    kegiatan = buat_kegiatan(world, "pahandut")
    ppks = buat_ppks(world, "pahandut")
    asing = buat_mitra(world, "jekanraya")
    client.force_login(world.users["tksk_pahandut"])
    before = sidik_jari()
    response = client.post(
        reverse("koordinasi:tindaklanjut-create", args=[kegiatan.uuid]),
        {"tl-uraian": "Kirim data", "tl-batas_waktu": date.today().isoformat(),
         "tl-mitra": asing.pk},
    )  # fmt: skip
    assert response.status_code == 400
    response = client.post(
        reverse("koordinasi:rujukan-create", args=[ppks.uuid]),
        {
            "mitra": asing.pk,
            "alasan": "Periksa",
            "layanan": "Kesehatan",
            "urgensi": "biasa",
            "tanggal_kirim": date.today().isoformat(),
            "penandatangan_nama": "Budi",
            "penandatangan_jabatan": "TKSK",
        },
    )
    assert response.status_code == 200
    assert beda(before, sidik_jari()) == []
    assert not TindakLanjut.objects.exists() and not Rujukan.objects.exists()


# --- extra fields in every form -----------------------------------------------------------------

MODEL_UUID = [
    m
    for m in apps.get_models()
    if m._meta.app_label in APP_LABELS and any(f.name == "uuid" for f in m._meta.fields)
]
# Fields a save may legitimately touch.
BOLEH_BERUBAH = {"diubah_pada", "diubah_oleh", "diubah_oleh_id", "versi", "last_login"}


def _ekstra(world, form_names: set, *, buat: bool) -> dict:
    """Fields a form does not have, posted to try to set what only the system may set."""
    admin = world.users["admin"]
    asing = world.kec["selat"]
    ekstra = {
        "role": "admin",
        "wilayah": asing.pk,
        "wilayah_id": asing.pk,
        "kecamatan": asing.pk,
        "desa_id": world.desa["selat"].pk,
        "status": "terverifikasi",
        "created_by": admin.pk,
        "dibuat_oleh": admin.pk,
        "dibuat_oleh_id": admin.pk,
        "diubah_oleh": admin.pk,
        "diverifikasi_oleh": admin.pk,
        "pelaku": admin.pk,
        "tksk": admin.pk,
        "pemohon": admin.pk,
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "sesi_versi": "77",
        "uuid": str(uuid.uuid4()),
        "id": "1",
        "pk": "1",
    }
    if buat:
        ekstra["versi"] = "99"
    return {k: v for k, v in ekstra.items() if k not in form_names}


def _objek(path: str):
    kwargs = resolve(path.split("?")[0]).kwargs
    key = [v for v in kwargs.values() if isinstance(v, uuid.UUID)][-1]
    for model in MODEL_UUID:
        obj = model._default_manager.filter(uuid=key).first()
        if obj is not None:
            return obj
    raise AssertionError(f"no object for {path}")


def _nilai(obj) -> dict:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _akun(user) -> tuple:
    user.refresh_from_db()
    return (user.role, user.wilayah_id, user.is_staff, user.is_superuser, user.sesi_versi)


UBAH = [
    e
    for e in SCOPED
    if e.method == "get" and e.name.endswith(("-update", "-ubah")) and e.name in POLA
]


def test_update_forms_are_found():
    assert len(UBAH) >= 7, [e.name for e in UBAH]


@pytest.mark.parametrize("entry", UBAH, ids=lambda e: e.name)
def test_extra_fields_in_an_update_form_change_nothing(entry, world, client):
    """The form as the page renders it, posted back with fields it does not have: the save
    goes through and changes no stored field (only who/when/version of the save)."""
    user = pengguna_untuk(world, entry.roles)
    path, _ = entry.build(world, "pahandut")
    obj = _objek(path)
    client.force_login(user)
    page = client.get(path)
    assert page.status_code == 200
    form = Halaman(page.content.decode()).form_utama(path)
    assert form is not None, f"no form on {path}"
    sebelum, akun = _nilai(obj), _akun(user)
    data = {**data_formulir(form), **_ekstra(world, form.names, buat=False)}
    response = client.post(path, data)
    assert response.status_code == 302, (
        f"{entry.name}: the form as rendered was not accepted ({response.status_code})"
    )
    sesudah = _nilai(obj)
    # Fields of the form itself may be normalised by the save (a phone number's dashes).
    di_form = {f.attname for f in obj._meta.concrete_fields if f.name in form.names}
    berubah = {k for k in sebelum if sebelum[k] != sesudah[k]} - BOLEH_BERUBAH - di_form
    assert not berubah, {k: (sebelum[k], sesudah[k]) for k in berubah}
    assert _akun(user) == akun


def _isi(client, path: str, **nilai) -> dict:
    page = client.get(path)
    assert page.status_code == 200, path
    form = Halaman(page.content.decode()).form_utama(path.split("?")[0])
    assert form is not None, path
    return {**data_formulir(form), **nilai}, form.names


def _buat_keluarga(world, client):
    from tests.matrix.keluarga import form_data

    data = form_data(world.desa["pahandut"], [anggota("Ani Baru")], initial=0)
    return reverse("pendataan:keluarga-create"), data, set(data)


def _buat_ppks(world, client):
    from tests.matrix.ppks import buat_keluarga
    from tksk.models import KategoriPPKS

    _, individu = buat_keluarga(world, "pahandut")
    path = reverse("pendataan:ppks-create") + f"?individu={individu.uuid}"
    data, names = _isi(
        client,
        path,
        kategori=KategoriPPKS.objects.get(singkatan="FM").pk,
        tanggal_identifikasi=date.today().isoformat(),
    )
    return reverse("pendataan:ppks-create"), data, names


def _buat_psks(world, client):
    from tksk.models import KategoriPSKS

    path = reverse("pendataan:psks-create")
    data, names = _isi(
        client,
        path,
        kategori=KategoriPSKS.objects.get(singkatan="KT").pk,
        jenis="lembaga",
        nama="Karang Taruna Baru",
        desa=world.desa["pahandut"].pk,
    )
    return path, data, names


def _buat_mitra(world, client):
    path = reverse("koordinasi:mitra-create")
    data, names = _isi(
        client, path, jenis="pemerintah", nama="Puskesmas Baru", wilayah=world.kec["pahandut"].pk
    )
    return path, data, names


def _buat_kegiatan(world, client):
    path = reverse("koordinasi:kegiatan-create")
    data, names = _isi(
        client,
        path,
        jenis="rapat_koordinasi",
        tanggal=date.today().isoformat(),
        desa=world.desa["pahandut"].pk,
        tempat="Aula",
        topik="Rapat baru",
    )
    return path, data, names


def _buat_tindak_lanjut(world, client):
    from tests.matrix.koordinasi import buat_kegiatan

    kegiatan = buat_kegiatan(world, "pahandut")
    page = client.get(reverse("koordinasi:kegiatan-detail", args=[kegiatan.uuid]))
    path = reverse("koordinasi:tindaklanjut-create", args=[kegiatan.uuid])
    form = next(f for f in Halaman(page.content.decode()).forms if f.action == path)
    data = {**data_formulir(form), "tl-uraian": "Kunjungan ulang"}
    return path, data, form.names


def _buat_rujukan(world, client):
    from tests.matrix.koordinasi import buat_mitra
    from tests.matrix.ppks import buat_ppks

    ppks, mitra = buat_ppks(world, "pahandut"), buat_mitra(world, "pahandut")
    path = reverse("koordinasi:rujukan-create", args=[ppks.uuid])
    data, names = _isi(
        client, path, mitra=mitra.pk, alasan="Periksa", layanan="Kesehatan", urgensi="biasa"
    )
    return path, data, names


def _buat_akun(world, client):
    path = reverse("tksk:akun-create")
    data, names = _isi(
        client,
        path,
        username="tksk.baru",
        password1="Sungai-Barito-Jernih-42",
        password2="Sungai-Barito-Jernih-42",
        role="tksk",
        wilayah=world.kec["pahandut"].pk,
    )
    return path, data, names


def _buka_laporan(world, client):
    path = reverse("laporan:bulanan-buka")
    page = client.get(reverse("laporan:bulanan-list"))
    form = next(f for f in Halaman(page.content.decode()).forms if f.action == path)
    return path, data_formulir(form), form.names


def _buat_profil_tksk(world, client):
    path = reverse("tenaga:profil-create")
    data, names = _isi(
        client,
        path,
        akun=world.users["tksk_pahandut"].pk,
        nama="Rina Susanti",
        jenis_kelamin="P",
        asal="psm",
    )
    return path, data, names


def _buat_bimtek(world, client):
    path = reverse("tenaga:bimtek-create")
    data, names = _isi(
        client,
        path,
        judul="Bimtek TKSK",
        penyelenggara="Dinas Sosial Provinsi",
        mulai="2026-03-02",
        selesai="2026-03-04",
        tempat="Palangka Raya",
        jam_pelajaran="30",
    )
    return path, data, names


# name -> (roles, builder(world, client) -> (path, data, form field names))
BUAT = {
    "pendataan:keluarga-create": ("tksk", _buat_keluarga),
    "pendataan:ppks-create": ("tksk", _buat_ppks),
    "pendataan:psks-create": ("tksk", _buat_psks),
    "koordinasi:mitra-create": ("tksk", _buat_mitra),
    "koordinasi:kegiatan-create": ("tksk", _buat_kegiatan),
    "koordinasi:tindaklanjut-create": ("tksk", _buat_tindak_lanjut),
    "koordinasi:rujukan-create": ("tksk", _buat_rujukan),
    "tksk:akun-create": ("admin", _buat_akun),
    "laporan:bulanan-buka": ("tksk", _buka_laporan),
    "tenaga:profil-create": ("admin", _buat_profil_tksk),
    "tenaga:bimtek-create": ("admin", _buat_bimtek),
}
# Web forms only: the API's create endpoints answer JSON and have their own tests.
FORM_BUAT = sorted(
    n for n in POLA if n.endswith(("-create", "-buka", "-baru")) and not n.startswith("api:")
)


def test_create_forms_are_found():
    assert len(FORM_BUAT) >= 8, FORM_BUAT


def _pk_terakhir() -> dict:
    hasil = {}
    for model in apps.get_models():
        if model._meta.app_label in APP_LABELS and not model._meta.is_composite_pk:
            hasil[model] = model._default_manager.order_by("-pk").values_list("pk", flat=True)
            hasil[model] = hasil[model].first() or 0
    return hasil


@pytest.mark.parametrize("name", FORM_BUAT)
def test_extra_fields_in_a_create_form_change_nothing(name, world, client):
    """A new record posted with fields for status, creator, area, version, id and the user's
    own role gets the system's values, not the posted ones."""
    assert name in BUAT, f"{name}: add valid data for this create form to BUAT"
    role, builder = BUAT[name]
    user = world.users["admin" if role == "admin" else "tksk_pahandut"]
    client.force_login(user)
    path, data, names = builder(world, client)
    ekstra = _ekstra(world, names, buat=True)
    akun = _akun(user)
    sebelum = _pk_terakhir()
    response = client.post(path, {**data, **ekstra})
    assert response.status_code == 302, f"{name}: not saved ({response.status_code})"
    baru = [
        obj
        for model, pk in sebelum.items()
        for obj in model._default_manager.filter(pk__gt=pk)
        if model._meta.model_name not in ("riwayat", "auditlog", "riwayatrujukan", "nomorrujukan")
    ]
    assert baru, f"{name}: nothing was created"
    from tksk.models import Wilayah

    cakupan = set(Wilayah.objects.for_user(user).values_list("pk", flat=True))
    for obj in baru:
        label = f"{name} → {obj._meta.label}"
        fields = {f.name: f for f in obj._meta.concrete_fields}
        if "status" in fields and fields["status"].has_default() and "status" not in names:
            assert obj.status == fields["status"].get_default(), label
        for who in ("dibuat_oleh", "pelaku", "tksk", "pemohon", "diunggah_oleh"):
            if who in fields and getattr(obj, f"{who}_id") is not None:
                assert getattr(obj, f"{who}_id") == user.pk, f"{label}.{who}"
        if "diverifikasi_oleh" in fields:
            assert obj.diverifikasi_oleh_id is None, label
        if "versi" in fields:
            assert obj.versi == fields["versi"].get_default(), label
        if "uuid" in fields:
            assert str(obj.uuid) != ekstra.get("uuid"), label
        for area in ("desa", "wilayah", "kecamatan"):
            if area in fields and getattr(obj, f"{area}_id") and user.role != "admin":
                assert getattr(obj, f"{area}_id") in cakupan, f"{label}.{area}"
        if isinstance(obj, User):
            assert not obj.is_superuser and obj.is_staff == (obj.role == "admin"), label
    assert _akun(user) == akun


def test_own_role_and_area_cannot_be_posted_anywhere(world, client):
    """The pages a user can post to about themselves (privacy notice, password change) ignore
    a role or area; an admin editing their own account cannot change either."""
    from tests.conftest import PASSWORD

    user = world.users["tksk_pahandut"]
    User.objects.filter(pk=user.pk).update(privasi_disetujui=None)
    client.force_login(user)
    akun = _akun(user)
    ekstra = _ekstra(world, set(), buat=False)
    assert client.post(reverse("tksk:privasi"), ekstra).status_code == 302
    baru = "Sungai-Katingan-Tenang-58"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": baru, "new_password2": baru, **ekstra},
    )
    assert response.status_code == 302
    assert _akun(user)[:4] == akun[:4]
    admin = world.users["admin"]
    client.force_login(admin)
    before = _akun(admin)
    path = reverse("tksk:akun-update", args=[admin.uuid])
    data, _ = _isi(client, path)
    data.update(role="tksk", wilayah=world.kec["selat"].pk, is_superuser="on")
    client.post(path, data)
    assert _akun(admin) == before


# --- lists, dashboards, recaps and exports with crafted parameters ------------------------------

DAFTAR = sorted(
    n
    for n in {e.name for e in OPEN if e.method == "get" and not e.kwargs and not e.expect_any}
    | {n for n in POLA if n.endswith("-list") and not POLA[n].pattern.converters}
    # Forms for new records and one's own account pages list nothing.
    if not n.endswith(("-create", "-update")) and n not in ("tksk:privasi", "tksk:profil")
)
AREA_UMUM = [
    "desa", "kecamatan", "kabupaten", "wilayah", "kode", "desa__kecamatan", "desa__kabupaten",
    "induk", "individu", "keluarga", "ppks", "mitra", "kegiatan",
]  # fmt: skip


def test_lists_dashboards_and_recaps_are_found():
    for name in ("pendataan:keluarga-list", "koordinasi:rujukan-list", "laporan:index"):
        if name in POLA:
            assert name in DAFTAR
    assert sum(n.endswith("-list") for n in DAFTAR) >= 8, DAFTAR


def _nilai_asing(world, kec: str, name: str, dibuat) -> list:
    """Values pointing at kecamatan `kec` for a parameter, by what its name suggests."""
    kel = dibuat["keluarga"][kec]
    ind = kel.anggota.order_by("pk").first()
    desa, kecamatan = world.desa[kec], world.kec[kec]
    if name in ("wilayah", "kode") or name.endswith("kode"):
        return [kecamatan.kode, desa.kode, kecamatan.kabupaten.kode]
    if "kab" in name:
        return [kecamatan.kabupaten_id]
    if "kec" in name or name == "induk":
        return [kecamatan.pk]
    if "desa" in name:
        return [desa.pk]
    if name in ("individu", "subjek"):
        return [str(ind.uuid)]
    if name == "keluarga":
        return [str(kel.uuid)]
    if name == "ppks":
        return [str(dibuat["ppks"][kec].uuid)]
    return []


def _rahasia(world, kec_terlarang: list[str]) -> list[str]:
    """Text that only records of the given kecamatan carry (names, masked and full numbers)."""
    from pendataan.models import Individu
    from tksk.privasi import samarkan

    teks = [f"Rahasia {k}" for k in kec_terlarang]
    for ind in Individu.objects.filter(desa__kecamatan__in=[world.kec[k] for k in kec_terlarang]):
        if ind.nik:
            teks += [ind.nik, samarkan(ind.nik)]
    return teks


@pytest.mark.parametrize("username", ["tksk_pahandut", "kab_palangkaraya"])
def test_crafted_filters_never_show_another_area(username, world, client):
    dibuat = isi_dunia(world, ["Data Sendiri"])
    user = world.users[username]
    asing = ["jekanraya", "selat"] if user.role == "tksk" else ["selat"]
    kec = asing[-1] if user.role == "kabupaten" else asing[0]
    sendiri = "pahandut"
    rahasia = _rahasia(world, asing)
    client.force_login(user)
    gagal = []
    dilihat = jumlah = 0
    for name in DAFTAR:
        path = reverse(name)
        first = client.get(path)
        if first.status_code != 200:
            continue
        dilihat += 1
        names = set()
        if first.get("Content-Type", "").startswith("text/html"):
            for form in Halaman(first.content.decode()).forms:
                if form.method == "get":
                    names |= form.names
        # Empty values for every filter; every area parameter at once, pointing at one other
        # area (also as CSV, and after the user's own value); then each parameter of the page's
        # own filter form alone, and after the user's own value.
        variants = [dict.fromkeys(names | set(AREA_UMUM), "")]
        gabung = {n: v[0] for n in AREA_UMUM if (v := _nilai_asing(world, kec, n, dibuat))}
        milik = {n: v[0] for n in AREA_UMUM if (v := _nilai_asing(world, sendiri, n, dibuat))}
        variants += [gabung, {**gabung, "format": "csv"}]
        variants.append({n: [v, milik[n]] for n, v in gabung.items()})
        for n in sorted(names or {"desa", "wilayah"}):
            values = _nilai_asing(world, kec, n, dibuat)
            if values:
                mine = _nilai_asing(world, sendiri, n, dibuat)[0]
                # Codes name any level: the other kecamatan, its desa, its kabupaten.
                variants += [{n: v} for v in (values if "kode" in n or n == "wilayah" else [])]
                variants += [{n: [mine, values[0]]}] + ([] if len(values) > 1 else [{n: values[0]}])
        jumlah += len(variants)
        for params in variants:
            response = client.get(path, params)
            status = response.status_code
            if status >= 500:
                gagal.append(f"{name} {params}: {status}")
                continue
            jenis = response.get("Content-Type", "")
            if status == 200 and jenis.startswith(("text/", "application/json")):
                teks = isi_tubuh(response).decode(errors="replace")
                bocor = [r for r in rahasia if r in teks]
                if bocor:
                    gagal.append(f"{name} {params}: shows {bocor[:3]}")
    assert dilihat >= 10, dilihat
    print(f"{dilihat} pages, {jumlah} crafted requests")
    assert not gagal, "\n".join(gagal[:30])
