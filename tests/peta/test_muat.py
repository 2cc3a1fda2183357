"""Boundaries: one shape per active area, an idempotent loader, and replacing the file."""

import json

import pytest
from django.core.management import CommandError, call_command

from peta.models import BentukWilayah
from peta.muat import DATA_DIR
from tksk.models import Wilayah

pytestmark = pytest.mark.django_db


def test_every_active_wilayah_has_exactly_one_shape_and_every_shape_one_wilayah():
    aktif = set(Wilayah.objects.filter(aktif=True).values_list("kode", flat=True))
    bentuk = list(BentukWilayah.objects.values_list("kode", "wilayah__kode"))
    assert len(aktif) == 1722
    assert {k for k, _ in bentuk} == aktif
    assert len(bentuk) == len(aktif)
    assert all(k == wk for k, wk in bentuk)  # keyed by the area's own code


def test_shapes_are_ready_to_draw():
    prov = BentukWilayah.objects.get(kode="62")
    assert prov.path.startswith("M") and prov.path.endswith("z")
    # Kalimantan Tengah is wider than tall (≈5.1° × 4.4°); y grows southwards.
    lebar, tinggi = prov.x1 - prov.x0, prov.y1 - prov.y0
    assert 1.0 < lebar / tinggi < 1.4
    kab = BentukWilayah.objects.get(kode="62.71")
    assert prov.x0 <= kab.x0 <= kab.x1 <= prov.x1 and prov.y0 <= kab.y0 <= kab.y1 <= prov.y1


def test_load_peta_is_idempotent(capsys):
    before = dict(BentukWilayah.objects.values_list("kode", "path"))
    call_command("load_peta")
    out = capsys.readouterr().out
    assert "baru 0, berubah 0, tetap 1722" in out
    assert dict(BentukWilayah.objects.values_list("kode", "path")) == before


def _berkas(tmp_path, fitur, nama="resmi.geojson"):
    path = tmp_path / nama
    path.write_text(json.dumps({"type": "FeatureCollection", "features": fitur}))
    return path


def _kabupaten_bawaan():
    return json.loads((DATA_DIR / "kabupaten_62.geojson").read_text())["features"]


def test_replacing_with_a_good_official_file_says_what_changed_then_applies(tmp_path, capsys):
    fitur = _kabupaten_bawaan()
    geser = fitur[0]
    kode = geser["properties"]["kode"]
    # The official outline of one kabupaten differs (a corner moved).
    ring = (
        geser["geometry"]["coordinates"][0]
        if geser["geometry"]["type"] == "Polygon"
        else (geser["geometry"]["coordinates"][0][0])
    )
    ring[1] = [ring[1][0] + 0.01, ring[1][1]]
    path = _berkas(tmp_path, fitur)
    lama = BentukWilayah.objects.get(kode=kode).path

    call_command("load_peta", ganti=str(path), coba=True)
    out = capsys.readouterr().out
    assert "baru 0, berubah 1, tetap 13, hilang 0" in out and kode in out
    assert BentukWilayah.objects.get(kode=kode).path == lama  # --coba changes nothing

    call_command("load_peta", ganti=str(path), sumber="Peta resmi BIG 2026")
    out = capsys.readouterr().out
    assert "berubah 1" in out and "diganti" in out
    b = BentukWilayah.objects.get(kode=kode)
    assert b.path != lama and b.sumber == "Peta resmi BIG 2026"
    # The shipped loader does not put the old outline back over the official one.
    call_command("load_peta")
    assert BentukWilayah.objects.get(kode=kode).path == b.path


def test_a_bad_file_is_refused_and_nothing_changes(tmp_path):
    sebelum = dict(BentukWilayah.objects.values_list("kode", "sidik"))
    fitur = _kabupaten_bawaan()
    fitur.pop()  # a kabupaten missing
    fitur[0]["properties"]["kode"] = "62.99"  # and a code that does not exist
    with pytest.raises(CommandError) as e:
        call_command("load_peta", ganti=str(_berkas(tmp_path, fitur)))
    assert "tidak diterapkan" in str(e.value)
    assert dict(BentukWilayah.objects.values_list("kode", "sidik")) == sebelum


def test_the_check_names_missing_and_unknown_codes(tmp_path, capsys):
    fitur = _kabupaten_bawaan()
    hilang = fitur.pop()["properties"]["kode"]
    fitur[0]["properties"]["kode"] = "62.99"
    with pytest.raises(CommandError):
        call_command("load_peta", ganti=str(_berkas(tmp_path, fitur)))
    out = capsys.readouterr().out
    assert "hilang 2" in out  # the popped one and the renamed one
    assert hilang in out and "62.99" in out


def test_swapped_coordinates_are_refused(tmp_path):
    fitur = _kabupaten_bawaan()
    g = fitur[0]["geometry"]
    if g["type"] == "Polygon":
        g["coordinates"] = [[[lat, lng] for lng, lat in ring] for ring in g["coordinates"]]
    else:
        g["coordinates"] = [
            [[[lat, lng] for lng, lat in ring] for ring in poly] for poly in g["coordinates"]
        ]
    with pytest.raises(CommandError, match="di luar Kalimantan Tengah"):
        call_command("load_peta", ganti=str(_berkas(tmp_path, fitur)))


def test_not_geojson_is_refused(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text("bukan json")
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("load_peta", ganti=str(path))
