"""The resource overview: keeping resources (writers only, bad input refused with a clear
message and nothing saved), sharing, finding them (filters and nearness) on the page and in
the API, and a constant number of queries for the list and the map."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from networks.resources import actions
from networks.resources.models import Resource, ResourceShare
from networks.structure.models import Municipality, Network, NetworkMembership, Office
from tests.helpers import login_as, org
from tests.personas import user

# Messages are asserted in their English source text (see the `english` fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def muni(number):
    return Municipality.objects.get(number=number)


def make(owner_slug="kommune-4601", number="4601", acting="bergen_manager", **fields):
    defaults = {
        "category": "power",
        "name": "Aggregat 100 kVA",
        "quantity": Decimal("2"),
        "unit": "stk.",
        "municipality": muni(number),
        "lendable": True,
    }
    defaults.update(fields)
    return actions.do_create_resource(owner=org(owner_slug), acting_user=user(acting), **defaults)


def bergen_neighbour():
    return muni("4601").neighbours.order_by("number").first()


# --- keeping resources -----------------------------------------------------------------------


def test_writer_creates_and_edits_on_the_page(login):
    client = login("bergen_manager")
    response = client.get(reverse("networks:resource-create"))
    assert response.status_code == 200
    response = client.post(
        reverse("networks:resource-create"),
        {
            "owner": org("kommune-4601").pk,
            "category": "pumps",
            "name": "Lensepumpe",
            "quantity": "4",
            "unit": "stk.",
            "municipality": "4601",
            "latitude": "60.39",
            "longitude": "5.32",
            "availability": "available",
            "lendable": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get(name="Lensepumpe")
    assert resource.owner.slug == "kommune-4601" and resource.lendable
    response = client.post(
        reverse("networks:resource-edit", kwargs={"uuid": resource.uuid}),
        {
            "category": "pumps",
            "name": "Lensepumpe",
            "quantity": "3",
            "unit": "stk.",
            "municipality": "4601",
            "availability": "committed",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.quantity == 3 and resource.availability == "committed"
    assert not resource.lendable and resource.latitude is None


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"quantity": "-1"}, "quantity", "The quantity cannot be negative."),
        ({"latitude": "59.9", "longitude": "40"}, "latitude", "outside Norway"),
        ({"latitude": "59.9"}, "longitude", "both latitude and longitude"),
    ],
)
def test_bad_input_on_the_page_is_shown_in_place(login, changes, field, message):
    client = login("bergen_manager")
    data = {
        "owner": org("kommune-4601").pk,
        "category": "power",
        "name": "Feil",
        "quantity": "1",
        "unit": "stk.",
        "municipality": "4601",
        "availability": "available",
        **changes,
    }
    response = client.post(reverse("networks:resource-create"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Resource.objects.filter(name="Feil").exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"quantity": Decimal("-5")}, "quantity"),
        ({"latitude": 80.0, "longitude": 10.0}, "latitude"),
        ({"latitude": 60.0, "longitude": -3.0}, "latitude"),
    ],
)
def test_action_refuses_bad_input(fields, field):
    with pytest.raises(ValidationError) as raised:
        make(name="Ugyldig", **fields)
    assert field in raised.value.message_dict
    assert not Resource.objects.filter(name="Ugyldig").exists()


def test_only_writers_of_the_owner_keep_resources(login):
    resource = make()
    with pytest.raises(PermissionDenied):
        actions.do_update_resource(resource, acting_user=user("bergen_reader"), name="X")
    with pytest.raises(PermissionDenied):
        make(acting="stavanger_manager")
    # a reader sees the resource (own organisation) but may not change it: 403
    assert (
        login("bergen_reader")
        .get(reverse("networks:resource-edit", kwargs={"uuid": resource.uuid}))
        .status_code
        == 403
    )
    # an outsider does not see it at all: 404
    assert (
        login("stavanger_manager")
        .get(reverse("networks:resource-detail", kwargs={"uuid": resource.uuid}))
        .status_code
        == 404
    )


def test_officer_keeps_the_offices_own_resources():
    officer = user("vestland_officer")
    resource = actions.do_create_resource(
        owner=org("statsforvalteren-vestland"),
        acting_user=officer,
        category="ict",
        name="Satellittelefoner",
        quantity=Decimal("10"),
        unit="stk.",
        municipality=muni("4601"),
    )
    assert Resource.objects.visible_to(officer).filter(pk=resource.pk).exists()
    with pytest.raises(PermissionDenied):
        make(acting="vestland_officer")  # not the office's own


# --- sharing --------------------------------------------------------------------------------


def visible(name, resource):
    return Resource.objects.visible_to(user(name)).filter(pk=resource.pk).exists()


def test_sharing_rules():
    resource = make()
    assert visible("bergen_reader", resource)
    assert not visible("vestland_officer", resource)  # not shared with anyone yet
    assert not visible("stavanger_manager", resource)

    actions.do_share_resource(
        resource, acting_user=user("bergen_manager"), organisation=org("kommune-1103")
    )
    assert visible("stavanger_manager", resource)
    assert visible("vestland_officer", resource)  # go in line: shared with anyone
    assert not visible("rogaland_officer", resource)
    assert not visible("drammen_staff", resource)

    actions.do_share_resource(resource, acting_user=user("bergen_manager"), everyone=True)
    assert visible("drammen_staff", resource)
    # twice the same audience adds nothing
    actions.do_share_resource(resource, acting_user=user("bergen_manager"), everyone=True)
    assert ResourceShare.objects.filter(resource=resource).count() == 2


def test_region_share_reaches_the_region():
    resource = make(owner_slug="kommune-3301", number="3301", acting="drammen_staff")
    actions.do_share_resource(
        resource, acting_user=user("drammen_staff"), office=Office.objects.get(slug="vestland")
    )
    assert visible("bergen_manager", resource)
    assert visible("vestland_officer", resource)
    assert not visible("stavanger_manager", resource)


def test_share_needs_exactly_one_audience():
    resource = make()
    with pytest.raises(ValidationError):
        actions.do_share_resource(resource, acting_user=user("bergen_manager"))
    with pytest.raises(ValidationError):
        actions.do_share_resource(
            resource,
            acting_user=user("bergen_manager"),
            everyone=True,
            network=Network.objects.get(slug="snb"),
        )
    with pytest.raises(PermissionDenied):
        actions.do_share_resource(resource, acting_user=user("bergen_reader"), everyone=True)


def test_share_page(login):
    resource = make()
    client = login("bergen_manager")
    url = reverse("networks:resource-share", kwargs={"uuid": resource.uuid})
    response = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Choose one audience" in response.content.decode()
    response = client.post(url, {"network": Network.objects.get(slug="snb").pk})
    assert response.status_code == 302
    share = ResourceShare.objects.get(resource=resource)
    assert visible("snb_coordinator", resource)
    assert client.post(url, {"unshare": share.pk}).status_code == 302
    assert not ResourceShare.objects.filter(resource=resource).exists()
    assert login("bergen_reader").post(url, {"everyone": "on"}).status_code == 403


# --- finding ------------------------------------------------------------------------------------


def shared_everyone(resource):
    actions.do_share_resource(
        resource, acting_user=None, everyone=True, created_by=user("bergen_manager")
    )
    return resource


def names(response):
    return {row["name"] for row in response.json()["results"]}


def test_nearness_filters(login):
    neighbour = bergen_neighbour()
    far_in_region = (
        Municipality.objects.filter(county__office__slug="vestland")
        .exclude(pk=muni("4601").pk)
        .exclude(pk__in=muni("4601").neighbours.all())
        .order_by("number")
        .first()
    )
    shared_everyone(make(name="R-Bergen"))
    shared_everyone(make(name="R-Nabo", number=neighbour.number))
    shared_everyone(make(name="R-Vestland", number=far_in_region.number))
    shared_everyone(
        make(name="R-Drammen", owner_slug="kommune-3301", number="3301", acting="drammen_staff")
    )
    client = login("stavanger_manager")
    api = reverse("api:resource-list")

    def found(**params):
        return names(client.get(api, params)) & {"R-Bergen", "R-Nabo", "R-Vestland", "R-Drammen"}

    assert found(near="4601", nearness="same") == {"R-Bergen"}
    assert found(near="4601") == {"R-Bergen", "R-Nabo"}  # neighbours by default
    assert found(near="4601", nearness="region") == {"R-Bergen", "R-Nabo", "R-Vestland"}
    assert found(region="vestland") == {"R-Bergen", "R-Nabo", "R-Vestland"}
    assert found(category="power", lendable="true") == {
        "R-Bergen",
        "R-Nabo",
        "R-Vestland",
        "R-Drammen",
    }
    assert found(availability="committed") == set()
    assert found(network="snb") == {"R-Bergen", "R-Nabo", "R-Vestland"}  # Bergen's
    # nearest first
    rows = [r["name"] for r in client.get(api, {"near": "4601"}).json()["results"]]
    assert rows.index("R-Bergen") < rows.index("R-Nabo")
    # an unknown municipality is a clear 400
    response = client.get(api, {"near": "9999"})
    assert response.status_code == 400 and "near" in response.json()
    page = client.get(reverse("networks:resource-list"), {"near": "9999"})
    assert page.status_code == 400


def test_network_filter_follows_current_membership():
    shared_everyone(
        make(
            name="R-Drammen-nett", owner_slug="kommune-3301", number="3301", acting="drammen_staff"
        )
    )
    from django.test import Client

    client = Client()
    login_as(client, user("bergen_manager"))
    api = reverse("api:resource-list")
    assert "R-Drammen-nett" not in names(client.get(api, {"network": "snb"}))
    from datetime import date

    NetworkMembership.objects.create(
        network=Network.objects.get(slug="snb"),
        organisation=org("kommune-3301"),
        joined_on=date(2024, 1, 1),
    )
    assert "R-Drammen-nett" in names(client.get(api, {"network": "snb"}))


def test_list_page_filters_with_and_without_htmx(login):
    shared_everyone(make(name="Aggregat Bergen"))
    client = login("stavanger_manager")
    url = reverse("networks:resource-list")
    full = client.get(url, {"near": "4601"})
    assert full.status_code == 200
    html = full.content.decode()
    assert "Aggregat Bergen" in html and "<html" in html and "resource-map-data" in html
    partial = client.get(url, {"near": "4601"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and 'id="results"' in body and "Aggregat Bergen" in body
    assert "Aggregat Bergen" not in client.get(url, {"category": "shelter"}).content.decode()


def test_map_points_use_coordinates_or_the_label_point():
    from networks.resources.views import map_points

    exact = make(name="Eksakt", latitude=60.4, longitude=5.3)
    rough = make(name="Kommune")
    points = {p["name"]: p for p in map_points([exact, rough])}
    assert (points["Eksakt"]["lat"], points["Eksakt"]["lon"]) == (60.4, 5.3)
    bergen = muni("4601")
    assert (points["Kommune"]["lat"], points["Kommune"]["lon"]) == (
        bergen.label_lat,
        bergen.label_lon,
    )


# --- query counts ---------------------------------------------------------------------------------


def bulk(n):
    bergen_user = user("bergen_manager")
    owner = org("kommune-4601")
    numbers = list(
        Municipality.objects.filter(county__office__slug="vestland").values_list("pk", flat=True)
    )
    rows = Resource.objects.bulk_create(
        Resource(
            owner=owner,
            category="power",
            name=f"Masse {i}",
            quantity=i,
            unit="stk.",
            municipality_id=numbers[i % len(numbers)],
            created_by=bergen_user,
        )
        for i in range(n)
    )
    ResourceShare.objects.bulk_create(
        ResourceShare(resource=r, everyone=True, created_by=bergen_user) for r in rows
    )


@pytest.mark.parametrize("route", ["networks:resource-list", "api:resource-list"])
def test_constant_queries(login, django_assert_max_num_queries, route):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("stavanger_manager")
    url = reverse(route)
    params = {"near": "4601", "nearness": "region", "category": "power"}

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return [q["sql"][:150] for q in ctx.captured_queries]

    bulk(3)
    few = count()
    bulk(60)
    many = count()
    assert len(many) == len(few), "\n".join(many)
    with django_assert_max_num_queries(15):
        client.get(url, params)


# --- API ---------------------------------------------------------------------------------------


def test_api_create_update_and_bad_input(login):
    client = login("bergen_manager")
    url = reverse("api:resource-list")
    body = {
        "category": "protective",
        "name": "Munnbind",
        "quantity": "5000",
        "unit": "stk.",
        "municipality": "4601",
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["owner"] == str(org("kommune-4601").uuid)
    detail = reverse("api:resource-detail", kwargs={"uuid": created["id"]})
    response = client.patch(detail, {"quantity": "-3"}, content_type="application/json")
    assert response.status_code == 400 and "quantity" in response.json()
    assert Resource.objects.get(uuid=created["id"]).quantity == 5000
    response = client.patch(
        detail, {"latitude": 10, "longitude": 10}, content_type="application/json"
    )
    assert response.status_code == 400 and "latitude" in response.json()
    response = client.patch(detail, {"availability": "committed"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["availability"] == "committed"
    response = client.post(
        url, {**body, "name": "Minus", "quantity": "-1"}, content_type="application/json"
    )
    assert response.status_code == 400 and "quantity" in response.json()
    assert not Resource.objects.filter(name="Minus").exists()
    # a reader sees but may not change: 403; an outsider: 404
    assert (
        login("bergen_reader")
        .patch(detail, {"name": "X"}, content_type="application/json")
        .status_code
        == 403
    )
    assert login("stavanger_manager").get(detail).status_code == 404
    assert (
        login("bergen_reader").post(url, body, content_type="application/json").status_code == 403
    )


def test_api_shares(login):
    resource = make()
    client = login("bergen_manager")
    url = reverse("api:resource-share-list")
    response = client.post(
        url, {"resource": str(resource.uuid), "office": "vestland"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    response = client.post(url, {"resource": str(resource.uuid)}, content_type="application/json")
    assert response.status_code == 400
    ids = [row["id"] for row in client.get(url).json()["results"]]
    assert response.status_code == 400 and len(ids) >= 1
    # the audience sees the resource, not the share rows
    assert login("bergen_reader").get(url).status_code == 200
    assert (
        login("stavanger_manager")
        .get(reverse("api:resource-share-detail", kwargs={"pk": ids[0]}))
        .status_code
        == 404
    )


def test_api_owner_is_asked_for_when_the_writer_keeps_several(login):
    """The acting organisation comes from portal.access.acting_organisation: with two
    organisations to keep resources for and none named, a 400 on ``owner`` (not the first
    one taken silently); named, it is used."""
    from portal.models import RoleAssignment
    from portal.roles import Role

    manager = user("bergen_manager")
    RoleAssignment.objects.create(
        user=manager, organisation=org("kommune-4602"), role=Role.CRISIS_STAFF
    )
    client = login("bergen_manager")
    body = {
        "category": "protective",
        "name": "Munnbind",
        "quantity": "10",
        "unit": "stk.",
        "municipality": "4601",
    }
    url = reverse("api:resource-list")
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "owner" in response.json()
    assert not Resource.objects.filter(name="Munnbind").exists()
    named = {**body, "owner": str(org("kommune-4602").uuid)}
    response = client.post(url, named, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == str(org("kommune-4602").uuid)
    agreement = {
        "title": "Gjensidig bistand",
        "scope": "Pumper",
        "valid_from": "2026-01-01",
        "parties": [str(org("kommune-4601").uuid), str(org("kommune-4602").uuid)],
    }
    response = client.post(
        reverse("api:agreement-list"), agreement, content_type="application/json"
    )
    assert response.status_code == 400 and "owner" in response.json()
