"""The household form on a phone: before any round trip the browser lists every problem it can
see (required fields, NIK length, exactly one Kepala Keluarga) at the top and at the fields, and
focuses the summary; a summary link focuses its field. The server's summary is focused too."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE, login, screenshot


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_client_checks_every_field_before_submit(page_factory):
    from pendataan.models import Keluarga

    make_user("tksk.galat", "tksk", "62.71.01")
    page = page_factory(PHONE)
    login(page, "tksk.galat", PASSWORD)
    page.goto(reverse("pendataan:keluarga-create"))
    page.fill("#id_no_kk", "62710102")
    page.select_option("#id_anggota-0-hubungan", "kepala_keluarga")
    page.get_by_role("button", name="+ Tambah anggota").click()
    page.fill("#id_anggota-1-nik", "6271 0102")
    page.fill("#id_anggota-1-nama", "Joko")
    page.select_option("#id_anggota-1-hubungan", "kepala_keluarga")
    requests = []
    page.on("request", lambda r: requests.append(r) if r.method == "POST" else None)
    page.get_by_role("button", name="Simpan", exact=True).click()

    box = page.get_by_test_id("ringkasan-galat")
    text = box.inner_text()
    assert "No KK harus 16 digit angka; yang diisi 8 digit." in text
    assert "Desa/kelurahan: Bidang ini tidak boleh kosong." in text
    assert "Anggota 1 — Nama lengkap: Bidang ini tidak boleh kosong." in text
    assert "NIK harus ditulis tanpa spasi" in text
    assert "saat ini ada 2" in text
    assert requests == []  # nothing left the phone
    assert page.evaluate("document.activeElement.id") == "ringkasan-galat"
    # Each field shows its own message, tied to it for screen readers.
    feedback = page.locator("#id_anggota-0-nama_klien")
    assert feedback.inner_text() == "Bidang ini tidak boleh kosong."
    assert "id_anggota-0-nama_klien" in page.get_attribute("#id_anggota-0-nama", "aria-describedby")
    screenshot(page, "galat-klien-ringkasan-360")
    box.get_by_role("link", name="Anggota 1 — Nama lengkap").click()
    assert page.evaluate("document.activeElement.id") == "id_anggota-0-nama"

    # Fixing the client-visible problems lets the server speak: its summary gets focus on load.
    page.fill("#id_no_kk", "6271010203040005")
    page.select_option("#id_desa", index=1)
    page.fill("#id_alamat", "Jl. Kenanga 7")
    page.fill("#id_anggota-0-nik", "6271010903800001")
    page.fill("#id_anggota-0-nama", "Budi")
    page.select_option("#id_anggota-0-jenis_kelamin", "L")
    page.fill("#id_anggota-1-nik", "6271010903800001")  # same NIK twice: only the server knows
    page.select_option("#id_anggota-1-jenis_kelamin", "L")
    page.select_option("#id_anggota-1-hubungan", "anak")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert requests, "the corrected form was not sent"
    box = page.get_by_test_id("ringkasan-galat")
    assert "sama dengan NIK anggota lain" in box.inner_text()
    assert page.evaluate("document.activeElement.id") == "ringkasan-galat"
    assert page.console_errors == []
    assert Keluarga.objects.count() == 0
    screenshot(page, "galat-server-ringkasan-360")
