"""Closing a round, recurring rounds and notifications through the pages and the API:
who sees the buttons, confirmation, clear messages for bad input with nothing saved,
400 in the API, and the header's unread count in one query."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.structure.models import Office
from portal.models import Notification
from portal.notifications.actions import notify
from reporting import actions
from reporting.models import ReportForm, RoundSchedule
from tests.helpers import api, html, login_as, org
from tests.personas import user

pytestmark = pytest.mark.django_db


def dsb_form():
    return ReportForm.objects.get(owner__slug="dsb")


def vestland_round():
    return actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=dsb_form(),
        title="Flom i Vestland",
        deadline=timezone.now() + timedelta(hours=6),
        offices=[Office.objects.get(slug="vestland")],
    )


# --- closing a round --------------------------------------------------------------------


def test_the_close_button_is_for_the_rounds_managers(login):
    round_ = vestland_round()
    url = reverse("reporting:round-detail", args=[round_.uuid])
    page = html(login("vestland_officer").get(url))
    assert "Avslutt runden" in page
    assert reverse("reporting:round-close", args=[round_.uuid]) in page
    page = html(login("bergen_manager").get(url))
    assert reverse("reporting:round-close", args=[round_.uuid]) not in page


def test_closing_a_round_on_the_page(login):
    round_ = vestland_round()
    client = login("vestland_officer")
    response = client.post(reverse("reporting:round-close", args=[round_.uuid]))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.closed_at is not None and round_.closed_by == user("vestland_officer")
    page = html(client.get(reverse("reporting:round-detail", args=[round_.uuid])))
    assert 'id="round-closed"' in page
    assert reverse("reporting:round-close", args=[round_.uuid]) not in page

    # The municipality's page says so clearly, and a submission is refused.
    bergen = round_.submissions.get(municipality__slug="kommune-4601")
    client = login("bergen_manager")
    page = html(client.get(reverse("reporting:submission", args=[bergen.uuid])))
    assert 'id="round-closed"' in page
    assert 'id="submission-form"' not in page
    response = client.post(
        reverse("reporting:submission", args=[bergen.uuid]), {"version": "1", "action": "draft"}
    )
    assert response.status_code == 400
    assert "closed" in html(response) or "lukket" in html(response)
    bergen.refresh_from_db()
    assert bergen.version == 1


def test_closing_a_round_in_the_api():
    round_ = vestland_round()
    url = reverse("api:reporting-round-close", args=[round_.uuid])
    assert api("bergen_manager").post(url).status_code == 403
    assert api("rogaland_officer").post(url).status_code == 404
    response = api("vestland_officer").post(url)
    assert response.status_code == 200
    closed_at = response.json()["closed_at"]
    assert closed_at is not None
    again = api("vestland_officer").post(url)
    assert again.status_code == 200 and again.json()["closed_at"] == closed_at
    bergen = round_.submissions.get(municipality__slug="kommune-4601")
    response = api("bergen_manager").post(
        reverse("api:submission-submit", args=[bergen.uuid]),
        {"version": 1, "answers": {}},
        format="json",
    )
    assert response.status_code == 400


# --- recurring rounds -------------------------------------------------------------------


def schedule_post(**overrides):
    data = {
        "issuer": org("statsforvalteren-vestland").pk,
        "form": dsb_form().pk,
        "title": "Daglig status Vestland",
        "time_of_day": "12:00",
        "deadline_hours": "4",
        "starts_on": timezone.localdate().isoformat(),
        "offices": [Office.objects.get(slug="vestland").pk],
    }
    data.update(overrides)
    return data


def test_setting_up_and_stopping_a_recurring_round_on_the_pages(login):
    client = login("vestland_officer")
    form = html(client.get(reverse("reporting:schedule-create")))
    assert 'name="time_of_day"' in form and 'name="deadline_hours"' in form
    assert reverse("reporting:schedule-create") in html(
        client.get(reverse("reporting:round-create"))
    )
    response = client.post(reverse("reporting:schedule-create"), schedule_post())
    assert response.status_code == 302
    schedule = RoundSchedule.objects.get()
    assert schedule.time_of_day == time(12) and schedule.deadline_hours == 4
    assert list(schedule.offices.values_list("slug", flat=True)) == ["vestland"]
    page = html(client.get(reverse("reporting:schedule-list")))
    assert "Daglig status Vestland" in page
    assert reverse("reporting:schedule-stop", args=[schedule.uuid]) in page

    response = client.post(reverse("reporting:schedule-stop", args=[schedule.uuid]))
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.stopped_at is not None
    page = html(client.get(reverse("reporting:schedule-list")))
    assert reverse("reporting:schedule-stop", args=[schedule.uuid]) not in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"deadline_hours": "0"}, "168"),
        ({"offices": []}, "region"),
        ({"deadline_hours": "200"}, "168"),
    ],
)
def test_bad_recurring_round_input_on_the_page(login, overrides, message):
    client = login("vestland_officer")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("reporting:schedule-create"), schedule_post(**overrides), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message in html(response)
    assert not RoundSchedule.objects.exists()


def test_recurring_rounds_in_the_api():
    client = api("dsb_analyst")
    response = client.post(
        reverse("api:round-schedule-list"),
        {
            "form": str(dsb_form().uuid),
            "title": "Nasjonal daglig status",
            "time_of_day": "09:30",
            "deadline_hours": 6,
            "offices": [str(Office.objects.get(slug="vestland").uuid)],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_running"] and body["time_of_day"] == "09:30:00"
    assert body["starts_on"] == timezone.localdate().isoformat()
    assert body["round_count"] == 0
    detail = reverse("api:round-schedule-detail", args=[body["id"]])
    assert client.get(detail).status_code == 200
    assert api("vestland_officer").get(detail).status_code == 404  # not its issuer's
    stop = reverse("api:round-schedule-stop", args=[body["id"]])
    assert api("vestland_officer").post(stop).status_code == 404
    response = client.post(stop)
    assert response.status_code == 200 and not response.json()["is_running"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"deadline_hours": 0}, "deadline_hours"),
        ({"offices": []}, "offices"),
        ({"starts_on": "2020-01-01"}, "starts_on"),
        ({"time_of_day": "25:00"}, "time_of_day"),
    ],
)
def test_bad_recurring_round_input_in_the_api(overrides, field):
    data = {
        "form": str(dsb_form().uuid),
        "title": "Daglig",
        "time_of_day": "12:00",
        "deadline_hours": 4,
        "offices": [str(Office.objects.get(slug="vestland").uuid)],
        **overrides,
    }
    response = api("vestland_officer").post(reverse("api:round-schedule-list"), data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not RoundSchedule.objects.exists()


def test_municipalities_do_not_set_up_recurring_rounds():
    response = api("bergen_manager").post(reverse("api:round-schedule-list"), {}, format="json")
    assert response.status_code == 403


# --- notifications ----------------------------------------------------------------------


def notify_bergen(n=2):
    for i in range(n):
        notify(
            [user("bergen_manager")],
            event_key=f"test:{i}",
            kind="comment",
            title=f"Varsel nummer {i}",
            url="/",
        )
    return list(
        Notification.objects.filter(recipient=user("bergen_manager"), event_key__startswith="test:")
    )


def test_the_notification_page_and_marking_read_with_htmx(login):
    first, second = notify_bergen()
    client = login("bergen_manager")
    page = html(client.get(reverse("portal:notifications")))
    assert "Varsel nummer 0" in page and "Varsel nummer 1" in page
    assert page.index("Varsel nummer 1") < page.index("Varsel nummer 0")  # newest first
    assert 'data-count="2"' in page
    response = client.post(
        reverse("portal:notification-read", args=[first.uuid]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = html(response)
    assert 'id="notification-list"' in body
    assert 'hx-swap-oob="true"' in body and 'data-count="1"' in body
    first.refresh_from_db()
    assert first.read_at is not None
    response = client.post(reverse("portal:notifications-read-all"))
    assert response.status_code == 302
    assert not Notification.objects.visible_to(user("bergen_manager")).unread().exists()
    assert "data-count" not in html(client.get(reverse("portal:notifications")))


def test_someone_elses_notification_is_not_found(login):
    first, _ = notify_bergen()
    client = login("stavanger_manager")
    assert client.post(reverse("portal:notification-read", args=[first.uuid])).status_code == 404
    client.post(reverse("portal:notifications-read-all"))
    first.refresh_from_db()
    assert first.read_at is None
    assert "Varsel nummer 0" not in html(client.get(reverse("portal:notifications")))


def test_the_header_count_is_one_query(login):
    notify_bergen(5)
    client = login("bergen_manager")
    # the profile page: the start page «Nå» reads the notices for a block of its own
    client.get(reverse("profile"))
    with CaptureQueriesContext(connection) as ctx:
        page = html(client.get(reverse("profile")))
    counts = [q["sql"] for q in ctx.captured_queries if "portal_notification" in q["sql"]]
    assert len(counts) == 1, counts
    assert 'data-count="5"' in page


def test_notifications_in_the_api():
    first, second = notify_bergen()
    client = api("bergen_manager")
    rows = client.get(reverse("api:notification-list")).json()["results"]
    assert [r["title"] for r in rows[:2]] == ["Varsel nummer 1", "Varsel nummer 0"]
    assert api("stavanger_manager").get(reverse("api:notification-list")).json()["results"] == []
    assert (
        api("stavanger_manager")
        .get(reverse("api:notification-detail", args=[first.uuid]))
        .status_code
        == 404
    )
    response = client.post(reverse("api:notification-read", args=[first.uuid]))
    assert response.status_code == 200 and response.json()["is_read"]
    unread = client.get(reverse("api:notification-list") + "?unread=true").json()["results"]
    assert str(first.uuid) not in {r["id"] for r in unread}
    assert str(second.uuid) in {r["id"] for r in unread}
    assert client.post(reverse("api:notification-read-all")).json()["marked"] >= 1
    assert client.get(reverse("api:notification-list") + "?unread=true").json()["results"] == []


def test_the_notification_list_is_paged_and_marking_read_keeps_the_page(login):
    notify_bergen(55)
    client = login("bergen_manager")
    first_page = html(client.get(reverse("portal:notifications")))
    assert "Varsel nummer 54" in first_page and "Varsel nummer 0<" not in first_page
    second_page = html(client.get(reverse("portal:notifications") + "?page=2"))
    assert "Varsel nummer 0" in second_page
    oldest = Notification.objects.get(recipient=user("bergen_manager"), event_key="test:0")
    response = client.post(reverse("portal:notification-read", args=[oldest.uuid]) + "?page=2")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:notifications") + "?page=2"


def test_a_recurring_round_for_an_incident_in_the_api():
    from incidents.log.models import Incident, IncidentType

    def incident(owner, author):
        return Incident.objects.create(
            owner=org(owner),
            created_by=user(author),
            title=f"Flom ({owner})",
            type=IncidentType.FLOOD,
            started_at=timezone.now(),
        )

    own = incident("statsforvalteren-vestland", "vestland_officer")
    bergens = incident("kommune-4601", "bergen_manager")  # not shared: the office sees nothing
    data = {
        "form": str(dsb_form().uuid),
        "title": "Daglig flomstatus",
        "time_of_day": "08:00",
        "deadline_hours": 3,
        "offices": [str(Office.objects.get(slug="vestland").uuid)],
    }
    client = api("vestland_officer")
    url = reverse("api:round-schedule-list")
    response = client.post(url, {**data, "incident": str(bergens.uuid)}, format="json")
    assert response.status_code == 400 and "incident" in response.json()
    response = client.post(url, {**data, "incident": str(own.uuid)}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["incident"] == str(own.uuid)
    schedule = RoundSchedule.objects.get()
    assert schedule.incident == own
    assert "Flom (statsforvalteren-vestland)" in html(
        api_page("vestland_officer").get(reverse("reporting:schedule-list"))
    )


def api_page(persona):
    from django.test import Client

    client = Client()
    login_as(client, user(persona))
    return client
