"""County preparedness councils (issue 12, part 5): the seats as reference data, the
chairing office editing them with history, the API, and the national overview."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from networks.structure.actions import do_add_council_member, do_end_council_membership
from networks.structure.models import Council, CouncilMembership, Organisation
from portal.models import RoleAssignment
from portal.roles import AGENCY_KINDS, Role
from tests.helpers import api, html, org, query_count
from tests.personas import user

pytestmark = pytest.mark.django_db


def seat(office, slug):
    return CouncilMembership.objects.current().filter(
        council__office__slug=office, organisation__slug=slug
    )


@pytest.mark.parametrize(
    "office,slug,status",
    [
        ("ostfold-buskerud-oslo-og-akershus", "kommune-0301", "member"),
        ("agder", "kommune-4204", "member"),
        ("trondelag", "kommune-5001", "member"),
        ("trondelag", "kommune-5006", "member"),
        ("vestland", "kommune-4601", "member"),
        ("troms-finnmark", "kommune-5501", "invited"),
    ],
)
def test_the_reports_big_cities_are_seated(office, slug, status):
    assert seat(office, slug).get().status == status
    assert seat(office, slug).get().since == date(2023, 10, 9)


@pytest.mark.parametrize("slug", ["kommune-1103", "kommune-3301", "kommune-3201"])
def test_stavanger_drammen_and_baerum_have_no_seat(slug):
    assert not CouncilMembership.objects.filter(organisation__slug=slug).exists()


def test_every_office_has_a_council_with_agencies():
    councils = Council.objects.all()
    assert councils.count() == 10
    for council in councils:
        kinds = set(council.memberships.current().values_list("organisation__kind", flat=True))
        assert {"police_district", "health_trust", "county_council"} <= kinds, council


def test_the_agencies_of_the_demo_regions_are_organisations():
    for slug in [
        "vest-politidistrikt", "sor-vest-politidistrikt", "ost-politidistrikt",
        "oslo-politidistrikt", "sor-ost-politidistrikt", "trondelag-politidistrikt",
        "agder-politidistrikt", "helse-bergen-hf", "helse-stavanger-hf",
        "oslo-universitetssykehus-hf", "vestre-viken-hf", "akershus-universitetssykehus-hf",
        "st-olavs-hospital-hf", "sorlandet-sykehus-hf", "sivilforsvaret-vestland",
        "nve-region-vest", "mattilsynet-region-sor-og-vest", "hv-09", "vestland-fylkeskommune",
    ]:  # fmt: skip
        assert org(slug).kind in AGENCY_KINDS, slug


def test_a_liaison_role_is_valid_in_an_agency_and_not_in_a_municipality():
    RoleAssignment(user=user("nobody"), organisation=org("hv-09"), role=Role.LIAISON).full_clean()
    with pytest.raises(ValidationError):
        RoleAssignment(
            user=user("nobody"), organisation=org("kommune-4601"), role=Role.LIAISON
        ).full_clean()


def test_load_structure_is_idempotent_and_keeps_the_offices_edits():
    officer = user("rogaland_officer")
    police = seat("rogaland", "sor-vest-politidistrikt").get()
    do_end_council_membership(police, until=date(2026, 11, 30), acting_user=officer)
    seats = CouncilMembership.objects.count()
    events = CouncilMembership.pgh_event_model.objects.count()
    call_command("load_structure", verbosity=0)
    assert CouncilMembership.objects.count() == seats
    assert CouncilMembership.pgh_event_model.objects.count() == events
    assert not seat("rogaland", "sor-vest-politidistrikt").exists()


def test_rogalands_officer_invites_stavanger_and_the_overview_shows_it(client, login):
    login("rogaland_officer")
    url = reverse("networks:council-detail", kwargs={"slug": "rogaland"})
    response = client.post(
        reverse("networks:council-member-add", kwargs={"slug": "rogaland"}),
        {
            "organisation": org("kommune-1103").pk,
            "status": "invited",
            "since": "2026-12-02",
            "note": "Anbefaling 5",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    assert seat("rogaland", "kommune-1103").get().status == "invited"
    page = html(client.get(url))
    assert "Stavanger kommune" in page and "Anbefaling 5" in page
    overview = client.get(reverse("networks:council-list"))
    row = next(r for r in overview.context["big_cities"] if r["city"].number == "1103")
    assert row["seat"].status == "invited"
    assert row["council"].office.slug == "rogaland"


def test_the_history_names_who_changed_a_seat(client, login):
    officer = user("rogaland_officer")
    added = do_add_council_member(
        Council.objects.get(office__slug="rogaland"),
        org("kommune-1103"),
        status="observer",
        since=date(2026, 12, 1),
        acting_user=officer,
    )
    do_end_council_membership(added, until=date(2026, 12, 2), acting_user=officer)
    login("bergen_reader")  # a council's membership is public inside the portal
    response = client.get(reverse("networks:council-detail", kwargs={"slug": "rogaland"}))
    history = [r for r in response.context["history"] if r["organisation"].slug == "kommune-1103"]
    assert [r["kind"] for r in history] == ["update", "insert"]
    assert history[0]["until"] == date(2026, 12, 2)
    assert history[0]["by"] == (officer.get_full_name() or officer.email)
    assert response.context["can_edit"] is False


def test_another_office_and_a_municipality_may_not_edit(client, login):
    for persona in ("vestland_officer", "stavanger_manager"):
        login(persona)
        response = client.post(
            reverse("networks:council-member-add", kwargs={"slug": "rogaland"}),
            {"organisation": org("kommune-1103").pk, "status": "member", "since": "2026-12-02"},
        )
        assert response.status_code == 403
    assert not seat("rogaland", "kommune-1103").exists()


def test_bad_input_gets_norwegian_errors_in_place(client, login):
    login("rogaland_officer")
    response = client.post(
        reverse("networks:council-member-add", kwargs={"slug": "rogaland"}),
        {"organisation": org("sor-vest-politidistrikt").pk, "status": "member", "since": ""},
    )
    assert response.status_code == 400
    page = html(response)
    assert "Dette feltet er påkrevd." in page  # since
    assert "Velg et gyldig valg" in page  # already seated: not offered


def test_a_seat_cannot_end_before_it_began():
    police = seat("rogaland", "sor-vest-politidistrikt").get()
    with pytest.raises(ValidationError) as error:
        do_end_council_membership(
            police, until=date(2020, 1, 1), acting_user=user("rogaland_officer")
        )
    assert "until" in error.value.message_dict
    police.refresh_from_db()
    assert police.until is None


def test_api_adds_and_ends_a_seat():
    council = Council.objects.get(office__slug="rogaland")
    client = api("rogaland_officer")
    body = {
        "council": str(council.uuid),
        "organisation": str(org("kommune-1103").uuid),
        "status": "invited",
        "since": "2026-12-02",
    }
    response = client.post("/api/v1/council-memberships/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "invited" and response.json()["office"] == "rogaland"
    again = client.post("/api/v1/council-memberships/", body, format="json")
    assert again.status_code == 400 and "organisation" in again.json()
    uuid = response.json()["id"]
    bad = client.post(f"/api/v1/council-memberships/{uuid}/end/", {"until": "2020-01-01"})
    assert bad.status_code == 400 and "until" in bad.json()
    ended = client.post(f"/api/v1/council-memberships/{uuid}/end/", {"until": "2026-12-03"})
    assert ended.status_code == 200 and ended.json()["until"] == "2026-12-03"
    other = api("vestland_officer").post("/api/v1/council-memberships/", body, format="json")
    assert other.status_code == 403


def test_api_lists_seats_with_status_filter():
    response = api("bergen_reader").get(
        "/api/v1/council-memberships/",
        {"council__office__slug": "troms-finnmark", "status": "invited"},
    )
    assert response.status_code == 200
    assert [r["organisation"]["slug"] for r in response.json()["results"]] == ["kommune-5501"]


def add_seats(n):
    council = Council.objects.get(office__slug="nordland")
    for i in range(n):
        agency = Organisation.objects.create(
            slug=f"test-agency-{i}", name=f"Testetat {i}", kind="sector_agency"
        )
        CouncilMembership.objects.create(
            council=council, organisation=agency, status="observer", since=date(2026, 1, 1)
        )


@pytest.mark.parametrize(
    "url", [reverse("networks:council-list"), reverse("networks:council-detail", args=["nordland"])]
)
def test_council_pages_run_constant_queries(client, login, url):
    login("rogaland_officer")
    small = query_count(client, url)
    add_seats(25)
    assert query_count(client, url) == small
