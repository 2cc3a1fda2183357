"""PSKS and partner points: entered with their checked coordinates, drawn on the dashboard maps
for everyone who may see those records and for no one else."""

import random
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from koordinasi.models import Mitra
from pendataan.models import PSKS
from peta import bentuk, geometri
from tests.api import klien
from tests.matrix.koordinasi import buat_mitra
from tests.matrix.ppks import buat_psks

pytestmark = pytest.mark.django_db

PSKS_CREATE = reverse("pendataan:psks-create")
MITRA_CREATE = reverse("koordinasi:mitra-create")
TITIK = re.compile(r'<(?:circle|path)[^>]*data-titik="(\w+)"[^>]*><title>([^<]*)</title>')


def titik_dalam(*kode, seed=1) -> tuple[Decimal, Decimal]:
    """(latitude, longitude) of a point inside every one of the shapes `kode`."""
    shapes = bentuk.semua()
    lng, lat = geometri.titik_acak(
        random.Random(seed), [shapes[k].path for k in kode], shapes[kode[0]].kotak
    )
    return Decimal(str(lat)), Decimal(str(lng))


def titik_peta(content: bytes) -> list[tuple[str, str]]:
    svg = re.search(rb'<svg[^>]*class="peta-svg".*?</svg>', content, re.S).group(0).decode()
    return TITIK.findall(svg)


def psks_bertitik(world, kec, **extra) -> PSKS:
    psks = buat_psks(world, kec)
    lat, lng = titik_dalam(world.desa[kec].kode, world.kec[kec].kode)
    PSKS.objects.filter(pk=psks.pk).update(latitude=lat, longitude=lng, **extra)
    psks.refresh_from_db()
    return psks


def mitra_bertitik(world, wilayah, dalam, *, pelaku=None, **extra) -> Mitra:
    lat, lng = titik_dalam(dalam)
    return buat_mitra(
        world, wilayah=wilayah, pelaku=pelaku or world.users["admin"], latitude=lat,
        longitude=lng, **extra,
    )  # fmt: skip


def dasbor(client, user, path="/laporan/"):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return titik_peta(response.content)


# --- entry and checks -----------------------------------------------------------------------


def test_psks_form_keeps_good_coordinates_and_shows_them(world, client):
    client.force_login(world.users["tksk_pahandut"])
    lat, lng = titik_dalam(world.desa["pahandut"].kode)
    data = {
        "kategori": PSKS._meta.get_field("kategori").related_model.objects.get(singkatan="LKS").pk,
        "jenis": "lembaga",
        "nama": "Panti Asuhan Harapan",
        "desa": world.desa["pahandut"].pk,
        "aktif": "on",
        "latitude": str(lat).replace(".", ","),  # the Indonesian decimal comma is understood
        "longitude": str(lng),
    }
    response = client.post(PSKS_CREATE, data, follow=True)
    psks = PSKS.objects.get()
    assert (psks.latitude, psks.longitude) == (lat, lng)
    assert 'data-testid="psks-koordinat"' in response.content.decode()
    # The edit form shows them again, and emptying both removes them.
    edit = reverse("pendataan:psks-update", args=[psks.uuid])
    assert str(lat) in client.get(edit).content.decode()
    client.post(edit, {**data, "latitude": "", "longitude": "", "versi": psks.versi})
    psks.refresh_from_db()
    assert psks.latitude is None and psks.longitude is None


@pytest.mark.parametrize(
    ("latitude", "longitude", "kolom", "pesan"),
    [
        ("-6.2", "106.8", "latitude", "Lintang di luar Kalimantan Tengah"),  # Jakarta
        ("113.91", "-2.21", "latitude", "tertukar"),
        ("-3.32", "114.59", "latitude", "di luar Kalimantan Tengah"),  # Banjarmasin, in the box
        ("-2.21", "", "longitude", "Isi lintang dan bujur sekaligus"),
        ("dua", "113.9", "latitude", "Tulis angka desimal"),
    ],
)
def test_psks_form_refuses_points_outside_the_province(
    world, client, latitude, longitude, kolom, pesan
):
    client.force_login(world.users["tksk_pahandut"])
    data = {
        "kategori": PSKS._meta.get_field("kategori").related_model.objects.get(singkatan="LKS").pk,
        "jenis": "lembaga",
        "nama": "Panti Asuhan Harapan",
        "desa": world.desa["pahandut"].pk,
        "aktif": "on",
        "latitude": latitude,
        "longitude": longitude,
    }
    response = client.post(PSKS_CREATE, data)
    assert response.status_code == 200 and not PSKS.objects.exists()
    form = response.context["form"]
    assert pesan in " ".join(form.errors[kolom])
    text = response.content.decode()
    assert f'id="id_{kolom}_error"' in text  # beside the field
    assert 'value="Panti Asuhan Harapan"' in text and f'value="{latitude}"' in text


def test_mitra_form_checks_and_keeps_coordinates(world, client):
    client.force_login(world.users["tksk_pahandut"])
    data = {
        "jenis": "pemerintah",
        "nama": "UPT Puskesmas Pahandut",
        "wilayah": world.kec["pahandut"].pk,
        "aktif": "on",
        "latitude": "-6.2",
        "longitude": "106.8",
    }
    response = client.post(MITRA_CREATE, data)
    assert response.status_code == 200 and not Mitra.objects.exists()
    assert "Lintang di luar Kalimantan Tengah" in " ".join(
        response.context["form"].errors["latitude"]
    )
    assert 'value="UPT Puskesmas Pahandut"' in response.content.decode()
    lat, lng = titik_dalam(world.kec["pahandut"].kode)
    response = client.post(MITRA_CREATE, {**data, "latitude": str(lat), "longitude": str(lng)})
    mitra = Mitra.objects.get()
    assert response.status_code == 302 and (mitra.latitude, mitra.longitude) == (lat, lng)
    detail = client.get(reverse("koordinasi:mitra-detail", args=[mitra.uuid])).content.decode()
    assert 'data-testid="mitra-koordinat"' in detail


def test_api_takes_and_checks_coordinates(world):
    api = klien(world.users["tksk_pahandut"])
    lat, lng = titik_dalam(world.desa["pahandut"].kode)
    body = {
        "kategori": "KT",
        "nama": "Karang Taruna Tunas Harapan",
        "jenis": "lembaga",
        "desa": world.desa["pahandut"].kode,
        "latitude": float(lat),
        "longitude": float(lng),
    }
    response = api.post("/api/v1/psks/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["latitude"], response.json()["longitude"]) == (float(lat), float(lng))
    salah = api.post(
        "/api/v1/psks/",
        {**body, "nama": "Lain", "latitude": 113.9, "longitude": -2.2},
        format="json",
    )
    assert salah.status_code == 400 and "tertukar" in salah.json()["latitude"][0]
    # A PATCH without coordinates keeps them.
    url = f"/api/v1/psks/{response.json()['uuid']}/"
    assert api.patch(url, {"versi": 1, "kapasitas": 10}, format="json").status_code == 200
    assert PSKS.objects.get(uuid=response.json()["uuid"]).latitude == lat

    mitra = {"jenis": "pemerintah", "nama": "Puskesmas Pahandut", "wilayah": "62.71.01"}
    satu = api.post("/api/v1/mitra/", {**mitra, "latitude": -2.21}, format="json")
    assert satu.status_code == 400 and "sekaligus" in satu.json()["longitude"][0]
    assert not Mitra.objects.exists()
    ok = api.post(
        "/api/v1/mitra/", {**mitra, "latitude": float(lat), "longitude": float(lng)}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["latitude"] == float(lat)


# --- on the maps ------------------------------------------------------------------------------


def test_psks_points_are_drawn_for_those_who_see_the_record(world, client):
    psks = psks_bertitik(world, "pahandut")
    psks_bertitik(world, "pahandut", aktif=False)  # inactive: not a resource to point at
    buat_psks(world, "pahandut")  # no coordinates
    lain = psks_bertitik(world, "selat")
    nama = f"{psks.nama} (Karang Taruna)"
    for user, path in [
        ("tksk_pahandut", "/laporan/"),
        ("kab_palangkaraya", "/laporan/"),
        ("kab_palangkaraya", "/laporan/wilayah/62.71.01/"),
        ("prov", "/laporan/"),
        ("admin", "/laporan/"),
    ]:
        titik = dasbor(client, world.users[user], path)
        assert ("psks", nama) in titik, (user, path)
        assert not any(t[1].startswith(lain.nama) for t in titik) or user in ("prov", "admin")
    # The neighbouring kecamatan's TKSK and the other kabupaten see neither the point nor the
    # name, though Pahandut is drawn as a neighbour on their maps.
    for user in ("tksk_jekanraya", "kab_kapuas", "tksk_selat"):
        assert not any(t[1].startswith(psks.nama) for t in dasbor(client, world.users[user]))
    # The summary under the map counts the active ones with coordinates.
    client.force_login(world.users["tksk_pahandut"])
    text = client.get("/laporan/").content.decode()
    assert re.search(r'data-testid="peta-titik-ringkas">.*?1 PSKS aktif', text, re.S)


@pytest.mark.parametrize("jenis", ["individu", "keluarga"])
def test_a_person_or_family_psks_is_never_a_point(world, client, jenis):
    lembaga = psks_bertitik(world, "pahandut")
    orang = psks_bertitik(world, "pahandut", jenis=jenis, nama=f"Ibu Sari {jenis}")
    for user in ("tksk_pahandut", "kab_palangkaraya", "prov"):
        titik = dasbor(client, world.users[user])
        assert any(t[1].startswith(lembaga.nama) for t in titik), user
        assert not any(t[1].startswith(orang.nama) for t in titik), user


def test_only_verified_psks_under_the_verified_filter(world, client):
    psks = psks_bertitik(world, "pahandut")
    client.force_login(world.users["tksk_pahandut"])
    semua = titik_peta(client.get("/laporan/").content)
    saring = titik_peta(client.get("/laporan/", {"status": "terverifikasi"}).content)
    assert any(t[1].startswith(psks.nama) for t in semua)
    assert not any(t[1].startswith(psks.nama) for t in saring)


def test_partner_points_follow_the_partner_scope(world, client):
    kec = mitra_bertitik(world, world.kec["pahandut"], "62.71.01", nama="Puskesmas Pahandut")
    # A kabupaten partner whose office lies in Pahandut: on Pahandut's map and the kabupaten's,
    # not on Jekan Raya's (it is seen there, but its point is elsewhere).
    kab = mitra_bertitik(world, world.kab["palangkaraya"], "62.71.01", nama="Dukcapil Kota")
    kapuas = mitra_bertitik(world, world.kab["kapuas"], "62.03.01", nama="Dukcapil Kapuas")
    nonaktif = mitra_bertitik(
        world, world.kec["pahandut"], "62.71.01", nama="Posko Lama", aktif=False
    )

    def nama(user, path="/laporan/"):
        return {
            t[1].split(" (")[0] for t in dasbor(client, world.users[user], path) if t[0] == "mitra"
        }

    assert nama("tksk_pahandut") == {kec.nama, kab.nama}
    assert nama("kab_palangkaraya") == {kec.nama, kab.nama}
    assert nama("tksk_jekanraya") == set()
    assert nama("kab_kapuas") == {kapuas.nama}
    assert nama("prov") == {kec.nama, kab.nama, kapuas.nama}
    assert nonaktif.nama not in nama("admin")
    # The partner's kind is its label.
    assert ("mitra", f"{kec.nama} (Instansi pemerintah)") in dasbor(
        client, world.users["tksk_pahandut"]
    )


def test_points_are_hidden_from_screen_readers_and_in_the_legend(world, client):
    psks_bertitik(world, "pahandut")
    mitra_bertitik(world, world.kec["pahandut"], "62.71.01")
    client.force_login(world.users["tksk_pahandut"])
    text = client.get("/laporan/").content.decode()
    svg = re.search(r'<svg[^>]*class="peta-svg".*?</svg>', text, re.S).group(0)
    assert '<g class="peta-titik" aria-hidden="true"' in svg
    assert "PSKS (1 titik)" in svg and "Mitra (1 titik)" in svg
    assert " style=" not in svg
    # The points come after the areas: every desa stays a link under them, in its class colour.
    assert svg.index('class="peta-titik"') > svg.rindex("<a href=")
    isi = re.findall(
        r'<a href="[^"]*"[^>]*><title>[^<]*</title><path d="[^"]+" fill="([^"]+)"/>', svg
    )
    assert isi and all(re.fullmatch(r"#[0-9a-f]{6}|url\(#peta-\w+\)", f) for f in isi), isi
