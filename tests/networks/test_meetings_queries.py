"""The meeting page, the meeting lists (page and API), the follow-up list and «Mine
oppgaver» with meeting follow-ups run a constant number of queries: the same for a small
meeting as for a kommunemøte with the whole region, and for few meetings as for many."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.meetings import actions
from tests.access.aid_cases import make_incident
from tests.access.meeting_cases import HOLE, OEST, make_meeting
from tests.helpers import login_as, org
from tests.personas import user

pytestmark = pytest.mark.django_db


def count(client, url, **headers):
    client.get(url, **headers)  # warm caches (session, viewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return len(queries)


def fill(meeting, n, incident):
    """``n`` agenda items (linking an incident), decisions, follow-ups for Hole, published
    minutes versions."""
    officer = user("oest_officer")
    for i in range(n):
        actions.do_add_agenda_item(
            meeting, acting_user=officer, title=f"Sak {i}", ref_kind="incident",
            ref_uuid=incident.uuid,
        )  # fmt: skip
        actions.do_add_decision(meeting, acting_user=officer, text=f"Vedtak {i}")
        actions.do_add_follow_up(
            meeting, acting_user=officer, title=f"Oppgave {i}", assignee=org(HOLE),
            due_on=timezone.localdate() + timedelta(days=i),
        )  # fmt: skip
        meeting.refresh_from_db()
        actions.do_save_minutes_draft(
            meeting, acting_user=officer, text=f"Referat {i}", version=meeting.minutes_draft_version
        )
        actions.do_publish_minutes(meeting, acting_user=officer)


@pytest.mark.parametrize("persona", ["oest_officer", "hole_manager"])
@pytest.mark.parametrize("route", ["networks:meeting-detail", "api:meeting-detail"])
def test_meeting_page_constant_queries(client, persona, route):
    incident = make_incident(OEST, user("oest_officer"), title="Hans – Øst")
    small = make_meeting(title="Lite møte")
    fill(small, 1, incident)
    region = make_meeting(title="Kommunemøte hele regionen", invited=())  # every municipality
    fill(region, 8, incident)
    assert region.invitations.count() > 40
    login_as(client, user(persona))
    few = count(client, reverse(route, args=[small.uuid]))
    many = count(client, reverse(route, args=[region.uuid]))
    assert many == few, (few, many)


@pytest.mark.parametrize(
    "persona,route",
    [
        ("oest_officer", "networks:meeting-list"),
        ("hole_manager", "networks:meeting-list"),
        ("hole_manager", "api:meeting-list"),
        ("hole_manager", "api:follow-up-list"),
        ("hole_manager", "incidents:my-tasks"),
    ],
)
def test_lists_constant_queries(client, persona, route):
    incident = make_incident(OEST, user("oest_officer"), title="Hans – Øst")
    fill(make_meeting(title="Møte 0"), 1, incident)
    login_as(client, user(persona))
    few = count(client, reverse(route))
    for i in range(6):
        fill(
            make_meeting(title=f"Møte {i + 1}", invited=() if i % 2 else ("kommune-3310",)),
            2,
            incident,
        )
    many = count(client, reverse(route))
    assert many == few, (few, many)
