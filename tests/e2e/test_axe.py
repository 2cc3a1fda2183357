"""axe-core (vendored for tests only) at 360 × 740 on the main pages of every role: no serious
or critical accessibility violation."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.conftest import PHONE, login

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
HALAMAN = {
    "tksk.pahandut": [
        "/",
        "/laporan/",
        "/koordinasi/",
        "/pendataan/",
        "/pendataan/keluarga/",
        "/pendataan/keluarga/baru/",
        "/pendataan/ppks/",
    ],
    "dinsos.palangkaraya": ["/", "/laporan/", "/pendataan/verifikasi/"],
    "dinsos.prov": ["/laporan/"],
    "admin": ["/akun/"],
}
RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                contoh: v.nodes.slice(0, 3).map(
                  n => n.target.join(' ') + ' :: ' + n.failureSummary.slice(0, 160))}));
}"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_violations(page_factory, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", households=30, verbosity=0)
    from pendataan.models import Keluarga

    Keluarga.objects.filter(status="draf").update(status="diajukan")
    temuan = {}
    for username, paths in HALAMAN.items():
        page = page_factory(PHONE)
        login(page, username, "Demo-Kalteng-2026")
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            # Through the DevTools protocol, so the page's CSP (no inline script) still holds.
            page.evaluate(AXE + "\n;true")
            hasil = page.evaluate(RUN)
            if hasil:
                temuan[f"{username} {path}"] = hasil
    assert temuan == {}, "\n".join(f"{k}: {v}" for k, v in temuan.items())
