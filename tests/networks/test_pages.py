"""Page behaviour beyond access: HTMX partials, filters, Norwegian formats."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_htmx_filter_returns_only_the_results_partial(login):
    client = login("drammen_staff")
    url = reverse("networks:municipality-list")
    full = client.get(url, {"q": "Sand"}).content.decode()
    partial = client.get(url, {"q": "Sand"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" in full and "<html" not in body
    assert "Sandnes" in body and "Bergen" not in body
    assert "HX-Request" in partial["Vary"]


def test_filter_by_office_and_network(login):
    client = login("drammen_staff")
    url = reverse("networks:municipality-list")
    body = client.get(url, {"network": "snb"}).content.decode()
    for name in ("Oslo", "Bergen", "Trondheim", "Stavanger", "Kristiansand", "Tromsø"):
        assert name in body
    assert "Bærum" not in body
    rogaland = client.get(url, {"office": "rogaland"}).content.decode()
    assert "Sandnes" in rogaland and "Trondheim" not in rogaland


def test_bad_filter_input_is_a_message_not_an_error(login):
    client = login("drammen_staff")
    response = client.get(reverse("networks:municipality-list"), {"office": "finnes-ikke"})
    assert response.status_code == 200


def test_municipality_page_in_norwegian_format(login):
    client = login("bergen_manager")
    body = client.get(reverse("networks:municipality-detail", args=["4601"])).content.decode()
    assert "291\u00a0940" in body or "291 940" in body  # Norwegian thousands separator
    assert "Statsforvalteren i Vestland" in body
    assert "Medlem" in body  # council status
    for neighbour in ("Bjørnafjorden", "Samnanger", "Vaksdal"):
        assert neighbour in body


def test_council_statuses_as_the_report_describes(login):
    client = login("ks_analyst")

    def status(number):
        page = client.get(reverse("networks:municipality-detail", args=[number])).content
        return page.decode()

    assert "Invitert" in status("5501")  # Tromsø
    for number in ("1103", "3301", "3201"):  # Stavanger, Drammen, Bærum
        assert "Ikke medlem" in status(number)
