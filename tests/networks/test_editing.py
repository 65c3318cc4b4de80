"""Editing the structure and the rosters: through the actions, with history, with clear
Norwegian messages on bad input and nothing half-saved."""

import pghistory.models
import pytest
from django.urls import reverse
from django.utils import timezone

from networks.structure.models import ContactEntry, NetworkMembership, Organisation
from tests.personas import user

pytestmark = pytest.mark.django_db


def snb_members():
    return set(
        NetworkMembership.objects.current()
        .filter(network__slug="snb")
        .values_list("organisation__slug", flat=True)
    )


def test_snb_grows_from_six_to_eight_and_keeps_its_history(login):
    client = login("snb_coordinator")
    url = reverse("networks:network-member-add", args=["snb"])
    today = timezone.localdate().isoformat()
    for slug in ("kommune-3201", "kommune-3301"):  # Bærum, Drammen
        org = Organisation.objects.get(slug=slug)
        response = client.post(url, {"organisation": org.pk, "joined_on": today, "note": ""})
        assert response.status_code == 302, response.content.decode()[:500]
    assert len(snb_members()) == 8
    events = pghistory.models.Events.objects.filter(
        pgh_model="networks.NetworkMembershipEvent", pgh_label="insert"
    ).order_by("-pgh_created_at")[:2]
    assert all(e.pgh_context["user"] == user("snb_coordinator").pk for e in events)
    page = client.get(reverse("networks:network-detail", args=["snb"])).content.decode()
    assert "Bærum" in page and "Drammen" in page


def test_ending_a_membership_keeps_the_row(login):
    client = login("snb_coordinator")
    membership = NetworkMembership.objects.get(
        network__slug="snb", organisation__slug="kommune-5501"
    )
    url = reverse("networks:network-member-end", args=["snb", membership.uuid])
    response = client.post(url, {"left_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()
    assert "kommune-5501" not in snb_members()
    page = client.get(reverse("networks:network-detail", args=["snb"])).content.decode()
    assert "Tromsø" in page  # still listed, among former members


def test_a_membership_cannot_end_before_it_began(login):
    client = login("snb_coordinator")
    membership = NetworkMembership.objects.get(
        network__slug="snb", organisation__slug="kommune-4601"
    )
    url = reverse("networks:network-member-end", args=["snb", membership.uuid])
    response = client.post(url, {"left_on": "2001-01-01"}, follow=True)
    membership.refresh_from_db()
    assert membership.left_on is None
    assert "kan ikke avsluttes før" in response.content.decode()


def test_adding_a_current_member_again_is_refused(login):
    client = login("snb_coordinator")
    before = NetworkMembership.objects.count()
    response = client.post(
        reverse("networks:network-member-add", args=["snb"]),
        {
            "organisation": Organisation.objects.get(slug="kommune-4601").pk,
            "joined_on": "2024-01-01",
        },
    )
    assert response.status_code == 400
    assert NetworkMembership.objects.count() == before


def test_roster_form_errors_are_norwegian_and_nothing_is_saved(login):
    client = login("bergen_manager")
    org = Organisation.objects.get(slug="kommune-4601")
    before = ContactEntry.objects.count()
    response = client.post(
        reverse("networks:roster-add", args=[org.uuid]),
        {
            "function": "Kommuneoverlege",
            "name": "",
            "phone": "",
            "availability": "24_7",
            "sort_order": "10",
            "email": "ikke-en-adresse",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Dette feltet er påkrevd" in body
    assert "gyldig e-postadresse" in body
    assert ContactEntry.objects.count() == before


def test_roster_line_is_saved_with_history(login):
    client = login("bergen_manager")
    org = Organisation.objects.get(slug="kommune-4601")
    response = client.post(
        reverse("networks:roster-add", args=[org.uuid]),
        {
            "function": "Kommuneoverlege",
            "name": "Kari Lege",
            "phone": "40000001",
            "availability": "24_7",
            "sort_order": "10",
        },
    )
    assert response.status_code == 302
    entry = ContactEntry.objects.get(organisation=org, name="Kari Lege")
    event = entry.events.get()
    assert event.pgh_context.metadata["user"] == user("bergen_manager").pk


def test_readers_see_the_roster_but_cannot_edit_it(login):
    client = login("bergen_reader")
    org = Organisation.objects.get(slug="kommune-4601")
    assert client.get(reverse("networks:roster", args=[org.uuid])).status_code == 200
    response = client.post(
        reverse("networks:roster-add", args=[org.uuid]),
        {"function": "X", "name": "Y", "phone": "1", "availability": "24_7", "sort_order": 1},
    )
    assert response.status_code == 403
