"""A date filter that is not a date is said so, and the list shows nothing rather than the
whole period (the dashboards link to these lists with dates)."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("nama", ["koordinasi:kegiatan-list", "koordinasi:rujukan-list"])
@pytest.mark.parametrize("query", ["dari=2026-13-01", "sampai=kemarin", "dari=2026-11-01&sampai=x"])
def test_an_invalid_date_is_an_error_not_an_ignored_filter(world, client, nama, query):
    client.force_login(world.users["tksk_pahandut"])
    response = client.get(f"{reverse(nama)}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="galat-tanggal"' in html and "Tanggal tidak valid" in html
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("nama", ["koordinasi:kegiatan-list", "koordinasi:rujukan-list"])
def test_valid_or_empty_dates_give_no_error(world, client, nama):
    client.force_login(world.users["tksk_pahandut"])
    for query in ("", "dari=&sampai=", "dari=2026-11-01&sampai=2026-11-30"):
        html = client.get(f"{reverse(nama)}?{query}").content.decode()
        assert 'data-testid="galat-tanggal"' not in html
