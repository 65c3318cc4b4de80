"""The mutual-aid lists and the regional overview run a constant number of queries:
the same for a few requests and offers as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.aid.actions.offers import do_accept_offer
from networks.aid.actions.procurement import do_set_quantity
from tests.access.aid_cases import make_incident, make_offer, make_procurement, make_request, org
from tests.helpers import login_as
from tests.personas import user

pytestmark = pytest.mark.django_db


def count(client, url, **headers):
    client.get(url, **headers)  # warm caches (session, viewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


def add_requests(n):
    incident = make_incident("kommune-1103", user("stavanger_manager"))
    for i in range(n):
        aid = make_request(incident=incident, title=f"Behov {i}", quantity=10)
        offer = make_offer(aid, quantity=2)
        if i % 2:
            do_accept_offer(offer, acting_user=user("stavanger_manager"))


@pytest.mark.parametrize(
    "persona,route,headers",
    [
        ("stavanger_manager", "networks:aid-request-list", {}),
        ("rogaland_officer", "networks:aid-overview", {}),
        ("rogaland_officer", "networks:aid-overview", {"HTTP_HX_REQUEST": "true"}),
        ("stavanger_manager", "api:aid-request-list", {}),
        ("rogaland_officer", "api:aid-offer-list", {}),
    ],
)
def test_constant_queries(client, persona, route, headers):
    login_as(client, user(persona))
    add_requests(2)
    few = count(client, reverse(route), **headers)
    add_requests(12)
    many = count(client, reverse(route), **headers)
    assert many == few, (few, many)


def test_procurement_detail_constant_queries(client):
    procurement = make_procurement(invited=("kommune-1103", "kommune-3312", "kommune-3310"))
    login_as(client, user("drammen_staff"))
    url = reverse("networks:procurement-detail", args=[procurement.uuid])
    items = list(procurement.items.all())
    do_set_quantity(
        items[0], organisation=org("kommune-3301"), acting_user=user("drammen_staff"), quantity=5
    )
    few = count(client, url)
    do_set_quantity(
        items[1], organisation=org("kommune-3301"), acting_user=user("drammen_staff"), quantity=5
    )
    do_set_quantity(
        items[0],
        organisation=org("kommune-1103"),
        acting_user=user("stavanger_manager"),
        quantity=7,
    )
    many = count(client, url)
    assert many == few, (few, many)
