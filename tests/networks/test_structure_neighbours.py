"""Neighbours across water (issue 12, part 6): pairs derived from land borders, from
boundaries within WATER_DISTANCE_M across water and from fixed links, each marked with how
it was found; an office corrects its region's pairs with history."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from networks.management.commands.load_structure import DATA
from networks.structure.actions import do_add_neighbour_link, do_remove_neighbour_link
from networks.structure.models import Municipality, NeighbourLink
from networks.structure.neighbours import (
    WATER_DISTANCE_M,
    derive_near_pairs,
    derive_neighbours,
)
from tests.helpers import api, html, query_count
from tests.personas import user

pytestmark = pytest.mark.django_db


def m(number):
    return Municipality.objects.get(number=number)


def pair(a, b):
    first, second = sorted((a, b))
    return NeighbourLink.objects.current().filter(first__number=first, second__number=second)


@pytest.fixture(scope="module")
def geojson():
    return json.loads((DATA / "kommuner.geojson").read_text(encoding="utf-8"))


def test_bergen_and_askoy_are_neighbours_by_a_fixed_link():
    link = pair("4601", "4627").get()
    assert link.basis == "fixed_link" and "Askøybrua" in link.source
    assert 1000 < link.distance_m <= WATER_DISTANCE_M
    assert m("4627") in m("4601").neighbours.all()
    assert m("4601") in m("4627").neighbours.all()


def test_land_borders_stay_land(geojson):
    land = derive_neighbours(geojson)
    assert len(land) == 738
    assert pair("4601", "4624").get().basis == "land"  # Bergen–Bjørnafjorden
    assert NeighbourLink.objects.current().filter(basis="land").count() == len(land)


def test_a_pair_across_water_is_within_the_distance(geojson):
    near = derive_near_pairs(geojson)
    assert near[("4601", "4627")] == pytest.approx(1027, abs=2)
    water = NeighbourLink.objects.current().filter(basis="water")
    assert water.exists()
    assert all(0 <= link.distance_m <= WATER_DISTANCE_M for link in water)


def test_how_many_without_a_land_neighbour_still_have_none(geojson):
    land = derive_neighbours(geojson)
    numbers = {f["properties"]["kommunenummer"] for f in geojson["features"]}
    no_land = {n for n in numbers if not any(n in p for p in land)}
    assert len(no_land) == 23
    still = {n for n in no_land if not m(n).neighbours.exists()}
    assert len(still) == 10, sorted(still)


def test_the_m2m_mirrors_the_current_pairs():
    through = Municipality.neighbours.through
    assert through.objects.count() == 2 * NeighbourLink.objects.current().count()


def test_an_office_removes_a_pair_with_a_reason_and_load_structure_keeps_it_removed(client, login):
    link = pair("4601", "4627").get()
    login("vestland_officer")
    url = reverse("networks:neighbour-remove", kwargs={"slug": "vestland", "uuid": link.uuid})
    assert client.post(url, {"reason": ""}).status_code == 302
    assert pair("4601", "4627").exists()  # no reason, nothing removed
    assert client.post(url, {"reason": "Test av retting"}).status_code == 302
    assert not pair("4601", "4627").exists()
    assert m("4627") not in m("4601").neighbours.all()
    call_command("load_structure", verbosity=0)
    assert not pair("4601", "4627").exists()
    page = html(client.get(reverse("networks:office-neighbours", kwargs={"slug": "vestland"})))
    assert "Test av retting" in page
    event = NeighbourLink.pgh_event_model.objects.filter(pgh_obj=link).latest("pgh_id")
    assert event.pgh_context.metadata["user"] == user("vestland_officer").pk


def test_an_office_adds_a_pair_and_others_may_not(client, login):
    login("vestland_officer")
    add = reverse("networks:neighbour-add", kwargs={"slug": "vestland"})
    response = client.post(add, {"first": "4601", "second": "4613", "reason": ""})
    assert response.status_code == 400 and "Dette feltet er påkrevd." in html(response)
    response = client.post(add, {"first": "4601", "second": "4613", "reason": "Ferje"})
    assert response.status_code == 302
    assert pair("4601", "4613").get().basis == "office"
    again = client.post(add, {"first": "4601", "second": "4613", "reason": "Ferje"})
    assert again.status_code == 400 and "allerede naboer" in html(again)
    login("rogaland_officer")
    assert client.post(add, {"first": "4601", "second": "4614", "reason": "x"}).status_code == 403
    # Rogaland's own form offers only Rogaland's municipalities as the first of the pair
    rogaland_add = reverse("networks:neighbour-add", kwargs={"slug": "rogaland"})
    response = client.post(rogaland_add, {"first": "4601", "second": "4614", "reason": "x"})
    assert response.status_code == 400


def test_another_office_cannot_remove_a_pair_outside_its_region(client, login):
    link = pair("4601", "4627").get()
    login("rogaland_officer")
    url = reverse("networks:neighbour-remove", kwargs={"slug": "rogaland", "uuid": link.uuid})
    assert client.post(url, {"reason": "x"}).status_code == 404
    url = reverse("networks:neighbour-remove", kwargs={"slug": "vestland", "uuid": link.uuid})
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert pair("4601", "4627").exists()


def test_api_lists_adds_and_removes():
    reader = api("bergen_reader")
    response = reader.get("/api/v1/neighbour-links/", {"municipality": "4627", "current": True})
    rows = response.json()["results"]
    assert {"4601"} <= {r["first"] for r in rows} | {r["second"] for r in rows}
    officer = api("vestland_officer")
    body = {"first": "4613", "second": "4601", "reason": "Ferjesamband"}
    created = officer.post("/api/v1/neighbour-links/", body, format="json")
    assert created.status_code == 201 and created.json()["basis"] == "office"
    assert created.json()["first"] == "4601"  # pairs are stored in number order
    assert officer.post("/api/v1/neighbour-links/", body, format="json").status_code == 400
    assert (
        api("rogaland_officer").post("/api/v1/neighbour-links/", body, format="json").status_code
        == 403
    )
    uuid = created.json()["id"]
    assert officer.post(f"/api/v1/neighbour-links/{uuid}/remove/", {}).status_code == 400
    assert (
        api("rogaland_officer")
        .post(f"/api/v1/neighbour-links/{uuid}/remove/", {"reason": "x"})
        .status_code
        == 403
    )
    removed = officer.post(f"/api/v1/neighbour-links/{uuid}/remove/", {"reason": "Feil"})
    assert removed.status_code == 200 and removed.json()["removed_reason"] == "Feil"


def test_the_neighbour_list_runs_constant_queries(client, login):
    login("vestland_officer")
    url = reverse("networks:office-neighbours", kwargs={"slug": "vestland"})
    small = query_count(client, url)
    officer = user("vestland_officer")
    bergen = m("4601")
    far = Municipality.objects.exclude(county__office__slug="vestland").order_by("number")[:30]
    for other in far:
        do_add_neighbour_link(bergen, other, reason="Test", acting_user=officer)
    removed = NeighbourLink.objects.current().filter(basis="office").first()
    do_remove_neighbour_link(removed, reason="Test", acting_user=officer)
    assert query_count(client, url) == small
