"""The demo meetings: two kommunemøter in Øst during «Hans», with published minutes,
decisions and follow-ups that reach Hole's «Mine oppgaver»; loading again adds nothing."""

import pytest
from django.urls import reverse

from networks.meetings import demo_data
from networks.meetings.models import FollowUp, Meeting
from tests.helpers import html, login_as
from tests.personas import user

pytestmark = pytest.mark.django_db


def test_demo_meetings_load_once_with_minutes_decisions_and_tasks(client):
    demo_data.load()  # the test database's load_demo may have loaded them already
    assert demo_data.load() == 0
    meetings = Meeting.objects.filter(convener__slug=demo_data.OEST)
    assert meetings.count() == 2
    for meeting in meetings:
        assert meeting.minutes.count() == 1
        assert meeting.decisions.filter(published=True).exists()
        assert meeting.follow_ups.filter(published=True, assignee__slug="kommune-3310").exists()
        assert meeting.invitations.filter(organisation__slug="kommune-3301", attended=True).exists()
    login_as(client, user("hole_manager"))
    page = html(client.get(reverse("incidents:my-tasks")))
    for task in FollowUp.objects.filter(assignee__slug="kommune-3310"):
        assert task.title in page
