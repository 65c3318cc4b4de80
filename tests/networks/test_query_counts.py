"""Directory pages and API lists run a constant number of queries however many
municipalities they list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "route,small,large",
    [
        # ten or so rows against every row
        ("api:municipality-list", "?q=Sand&page_size=500", "?page_size=500"),
        ("api:organisation-list", "?q=Sand&page_size=500", "?page_size=500"),
        ("api:county-list", "?office__slug=agder", ""),
        ("api:office-list", "", ""),
        ("api:network-list", "", ""),
        ("api:network-membership-list", "?network__slug=snb", ""),
        ("api:council-list", "", ""),
        ("networks:municipality-list", "?q=Sand", "?page=3"),
        ("networks:office-list", "", ""),
        ("networks:network-list", "", ""),
        ("networks:council-list", "", ""),
    ],
)
def test_list_query_count_is_constant(login, route, small, large):
    client = login("bergen_manager")
    url = reverse(route)
    client.get(url)  # warm per-process caches (content types, sessions)
    n_small, r_small = count_queries(client, url + small)
    n_large, r_large = count_queries(client, url + large)
    assert n_small == n_large, f"{route}: {n_small} queries for few rows, {n_large} for all"
    assert n_large <= 12, f"{route}: {n_large} queries"
    if route == "api:municipality-list":
        assert r_large.json()["count"] == 357
        assert r_small.json()["count"] < 20


def test_detail_pages_do_not_grow_with_neighbours(login):
    client = login("vestland_officer")
    small, _ = count_queries(client, reverse("networks:municipality-detail", args=["1151"]))
    large, _ = count_queries(client, reverse("networks:municipality-detail", args=["0301"]))
    assert small == large
