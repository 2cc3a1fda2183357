"""A NUL character in an address's query (`%00`) is refused with a 400 before any view runs:
PostgreSQL text cannot hold it, so a filter on it would otherwise end in a database error."""

import pytest

from tests.api import klien


@pytest.mark.parametrize(
    "alamat",
    [
        "/api/v1/wilayah/?induk=%00",
        "/api/v1/wilayah/?induk=62%0071",
        "/api/v1/individu/?search=a%00b",
        "/api/v1/keluarga/?x%00=1",
    ],
)
def test_api_answers_json_400(world, alamat):
    response = klien(world.users["prov"]).get(alamat)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["kode"] == "karakter_nul"


@pytest.mark.parametrize("alamat", ["/pendataan/keluarga/?q=a%00b", "/laporan/?wilayah=%00"])
def test_pages_answer_400_in_indonesian(world, client, alamat):
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(alamat)
    assert response.status_code == 400
    assert "karakter NUL" in response.content.decode()


def test_an_ordinary_query_passes(world, client):
    client.force_login(world.users["tksk_pahandut"])
    assert client.get("/pendataan/keluarga/?q=budi").status_code == 200
