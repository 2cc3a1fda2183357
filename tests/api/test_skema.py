"""The OpenAPI schema is the contract: it validates, and the API answers as it says.

* Schemathesis generates requests from /api/schema/ (every GET and the household create), sent as
  a TKSK with a token through the WSGI app, bounded and deterministic: no answer may be a 5xx or
  break the schema.
* Real answers of every kind (201, 200, 400, 404, 409, 428, verification actions) are checked
  against the schema as well, since random uuids rarely hit a stored record.
"""

import uuid

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api import badan_keluarga
from tests.matrix.keluarga import buat_keluarga
from tests.matrix.ppks import buat_ppks, buat_psks
from tksk.perangkat import buat_perangkat

CHECKS = [not_a_server_error, response_schema_conformance]
# Schemathesis reads the body as it arrives; compression (GZipMiddleware) is the transport's
# business, tested in tests/tksk/test_halaman_ringan.py.
POLOS = {"Accept-Encoding": "identity"}


def _termasuk(ctx) -> bool:
    operation = ctx.operation
    if operation.method.upper() == "GET":
        return True
    return operation.method.upper() == "POST" and operation.path == "/api/v1/keluarga/"


def _bisa_salah(operation) -> bool:
    """Negative generation needs something that can be made invalid: a body, a path or a query
    parameter. Any string is a valid header or cookie value (If-None-Match, the credentials)."""
    if operation.method.upper() != "GET":
        return True
    return any(p.location.value in ("path", "query") for p in operation.iter_parameters())


@pytest.fixture
def token_tksk(world):
    return buat_perangkat(user=world.users["tksk_pahandut"])[1]


@pytest.fixture
def wsgi():
    """The project's WSGI app, called in-process inside the test's transaction. Like Django's
    test client, keep the request signals from closing the test's database connection."""
    from tksk.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(world, wsgi):
    # Something to list in the TKSK's area, so list answers carry real rows.
    buat_keluarga(world, "pahandut")
    buat_ppks(world, "pahandut")
    buat_psks(world, "pahandut")
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi)
    return schema.include(_termasuk)


@pytest.mark.django_db
def test_api_sesuai_skema(api_schema, token_tksk):
    """Every GET and the household create, valid and invalid inputs, 20 examples each."""
    gagal, jumlah = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not _bisa_salah(operation):
                continue

            @settings(
                max_examples=20,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(mode))
            def periksa(case):
                # The "berat" throttle would answer 429 (documented) after 30 heavy calls.
                cache.clear()
                case.call_and_validate(
                    headers={"Authorization": f"Token {token_tksk}", **POLOS}, checks=CHECKS
                )

            try:
                periksa()
            except Exception as error:  # collected: one report for all operations
                gagal.append(f"{mode.value} {operation.method.upper()} {operation.path}: {error}")
            jumlah += 1
    assert jumlah >= 10
    assert not gagal, "\n\n".join(gagal)


# --- real answers against the schema --------------------------------------------------------


@pytest.fixture
def skema(world, wsgi):
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi)


def _panggil(skema, token, method, path, **kwargs):
    operation = skema[path][method]
    headers = {"Authorization": f"Token {token}", **POLOS, **kwargs.pop("headers", {})}
    case = operation.Case(headers=headers, **kwargs)
    return case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
def test_real_answers_match_the_schema(world, skema, token_tksk):
    tok_kab = buat_perangkat(user=world.users["kab_palangkaraya"])[1]
    body = badan_keluarga(world.desa["pahandut"], jumlah=3)
    detail = "/api/v1/keluarga/{uuid}/"
    ada = {"uuid": body["uuid"]}

    dibuat = _panggil(skema, token_tksk, "POST", "/api/v1/keluarga/", body=body)
    assert dibuat.status_code == 201
    assert _panggil(skema, token_tksk, "POST", "/api/v1/keluarga/", body=body).status_code == 200
    clash = {**body, "rt": "009"}
    assert _panggil(skema, token_tksk, "POST", "/api/v1/keluarga/", body=clash).status_code == 409
    salah = {**badan_keluarga(world.desa["pahandut"]), "no_kk": "123"}
    assert _panggil(skema, token_tksk, "POST", "/api/v1/keluarga/", body=salah).status_code == 400
    tag = dibuat.headers["etag"][0]

    assert _panggil(skema, token_tksk, "GET", detail, path_parameters=ada).status_code == 200
    lain = {"uuid": str(uuid.uuid4())}
    assert _panggil(skema, token_tksk, "GET", detail, path_parameters=lain).status_code == 404
    ubah = {"rt": "005"}
    assert (
        _panggil(skema, token_tksk, "PATCH", detail, path_parameters=ada, body=ubah).status_code
        == 428
    )
    kepala = {"If-Match": tag}
    hasil = _panggil(
        skema, token_tksk, "PATCH", detail, path_parameters=ada, body=ubah, headers=kepala
    )
    assert hasil.status_code == 200
    stale = _panggil(
        skema, token_tksk, "PATCH", detail, path_parameters=ada, body=ubah, headers=kepala
    )
    assert stale.status_code == 409
    tolak = _panggil(skema, tok_kab, "PATCH", detail, path_parameters=ada, body={"versi": 2})
    assert tolak.status_code == 403
    for aksi, token, isi, status in [
        ("ajukan", token_tksk, {}, 200),
        ("verifikasi", token_tksk, {}, 403),
        ("kembalikan", tok_kab, {"catatan": "x"}, 400),
        ("kembalikan", tok_kab, {"alasan": "lainnya", "catatan": "Periksa."}, 200),
        ("verifikasi", tok_kab, {}, 409),
    ]:
        path = f"/api/v1/keluarga/{{uuid}}/{aksi}/"
        jawab = _panggil(skema, token, "POST", path, path_parameters=ada, body=isi)
        assert jawab.status_code == status, (aksi, jawab.status_code)

    orang = buat_keluarga(world, "pahandut").anggota.get()
    path = "/api/v1/individu/{uuid}/"
    assert (
        _panggil(
            skema, token_tksk, "GET", path, path_parameters={"uuid": str(orang.uuid)}
        ).status_code
        == 200
    )
    ppks = buat_ppks(world, "pahandut")
    psks = buat_psks(world, "pahandut")
    for path, obj in [("/api/v1/ppks/{uuid}/", ppks), ("/api/v1/psks/{uuid}/", psks)]:
        uid = {"uuid": str(obj.uuid)}
        assert _panggil(skema, token_tksk, "GET", path, path_parameters=uid).status_code == 200
        jawab = _panggil(skema, token_tksk, "PATCH", path, path_parameters=uid, body={"versi": 1})
        assert jawab.status_code == 200
    for path in ("/api/v1/keluarga/", "/api/v1/individu/", "/api/v1/ppks/", "/api/v1/psks/"):
        query = {"nik": "lengkap"} if path in ("/api/v1/keluarga/", "/api/v1/individu/") else {}
        assert _panggil(skema, token_tksk, "GET", path, query=query).status_code == 200
        assert (
            _panggil(skema, token_tksk, "GET", path, query={"updated_since": "x"}).status_code
            == 400
        )


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    teks = (tmp_path / "s.yml").read_text()
    for kata in ("/api/v1/keluarga/{uuid}/ajukan/", "If-Match", "ETag", "'428'", "'409'"):
        assert kata in teks
