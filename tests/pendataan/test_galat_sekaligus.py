"""Every error of a form in one round: the household form checks the whole member list even when
rows have field errors, and a summary at the top links each error to its field."""

import re

import pytest
from django.urls import reverse

from pendataan.models import Keluarga
from tests.matrix.keluarga import anggota_data, form_data

CREATE = reverse("pendataan:keluarga-create")


@pytest.fixture
def tksk(world, client):
    client.force_login(world.users["tksk_pahandut"])
    return client


def _ringkasan(html: str) -> str:
    m = re.search(r'<div class="alert alert-danger" id="ringkasan-galat".*?</div>', html, re.S)
    assert m, "no error summary"
    return m.group(0)


def test_two_heads_and_field_errors_come_back_together(world, tksk):
    anggota = [
        anggota_data("Budi", "kepala_keluarga"),
        anggota_data("Joko", "kepala_keluarga", nik="12345"),
        anggota_data("", "anak"),
    ]
    data = form_data(world.desa["pahandut"], anggota, alamat="")
    response = tksk.post(CREATE, data)
    assert response.status_code == 200
    ringkas = _ringkasan(response.content.decode())
    # Household field, member field errors and the whole-list rule, all in this round.
    assert 'href="#id_alamat"' in ringkas
    assert 'href="#id_anggota-1-nik"' in ringkas and "16 digit" in ringkas
    assert 'href="#id_anggota-2-nama"' in ringkas
    assert "hanya boleh memiliki satu Kepala Keluarga" in ringkas
    assert 'href="#anggota-daftar"' in ringkas
    assert "Ada 5 isian yang perlu diperbaiki" in ringkas
    # The second head's own row says so too (it has no other error on Hubungan).
    assert "Sudah ada Kepala Keluarga lain" in ringkas
    assert Keluarga.objects.count() == 0


def test_summary_focus_target_and_help_text_ids(world, tksk):
    html = tksk.get(CREATE).content.decode()
    assert "ringkasan-galat" not in html  # nothing to report on a fresh form
    # aria-describedby points at a help text that exists.
    assert 'aria-describedby="id_no_kk_helptext"' in html
    assert 'id="id_no_kk_helptext"' in html
    assert "js/formulir.js" in html and "data-periksa" in html
    # Required member fields carry `required` for the browser's pre-submit check.
    assert re.search(r'name="anggota-0-nama"[^>]*required', html)

    response = tksk.post(CREATE, form_data(world.desa["pahandut"], [anggota_data()], no_kk="1"))
    html = response.content.decode()
    assert 'id="id_no_kk_error"' in html
    assert re.search(r'aria-describedby="id_no_kk_helptext id_no_kk_error"', html)
    assert 'tabindex="-1"' in _ringkasan(html)


def test_psks_form_summary_lists_every_field(world, tksk):
    response = tksk.post(reverse("pendataan:psks-create"), {"nama": ""})
    assert response.status_code == 200
    ringkas = _ringkasan(response.content.decode())
    assert ringkas.count("<li>") >= 3
    assert 'href="#id_nama"' in ringkas
