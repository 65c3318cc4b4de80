"""Meetings: convening (who, whom it invites), replies, the agenda's typed links shown only
to who may see them, attendance, minutes (draft with version, published versions kept),
decisions, follow-ups in «Mine oppgaver» and marking them done, recurring series, the
.ics file parsed back, the API, bad input (message in place / 400, nothing saved)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from networks.meetings import actions
from networks.meetings.ics import escape, fold, meeting_ics
from networks.meetings.models import FollowUp, FollowUpStatus, Meeting, MinutesVersion, Reply
from networks.structure.models import Office, Organisation
from portal.history import VersionConflict
from reporting import actions as reporting_actions
from tests.access.aid_cases import make_incident
from tests.access.meeting_cases import DRAMMEN, HOLE, OEST, make_follow_up, make_meeting
from tests.helpers import api, html, login_as, org
from tests.personas import user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_kommunemote_invites_every_municipality_of_the_region_and_only_those():
    meeting = make_meeting(invited=())
    office = Office.objects.get(organisation__slug=OEST)
    invited = set(meeting.invitations.values_list("organisation__slug", flat=True))
    region = set(
        Organisation.objects.filter(kind="municipality", region=office).values_list(
            "slug", flat=True
        )
    )
    assert invited == region and DRAMMEN in invited and HOLE in invited
    assert "kommune-4601" not in invited


def test_only_an_office_convenes_a_kommunemote_and_only_for_its_region():
    before = Meeting.objects.count()
    with pytest.raises(PermissionDenied):
        actions.do_convene_meeting(
            convener=org(OEST), acting_user=user("vestland_officer"), kind="municipal",
            title="x", starts_at=timezone.now(),
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        make_meeting(invited=("kommune-4601",))
    assert "organisations" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.do_convene_meeting(
            convener=org("kommune-4601"), acting_user=user("bergen_manager"), kind="municipal",
            title="x", starts_at=timezone.now(),
        )  # fmt: skip
    assert "kind" in error.value.message_dict
    assert Meeting.objects.count() == before


def test_a_network_meeting_by_the_coordinator_invites_the_networks_members():
    from networks.structure.models import Network

    snb = Network.objects.get(slug="snb")
    meeting = actions.do_convene_meeting(
        convener=org("kommune-5001"), acting_user=user("snb_coordinator"), kind="network",
        network=snb, title="SNB-møte", starts_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    invited = set(meeting.invitations.values_list("organisation__slug", flat=True))
    assert "kommune-4601" in invited and "kommune-5001" not in invited
    with pytest.raises(PermissionDenied):
        actions.do_convene_meeting(
            convener=org("kommune-4601"), acting_user=user("bergen_manager"), kind="network",
            network=snb, title="x", starts_at=timezone.now(),
        )  # fmt: skip


def test_a_recurring_meeting_makes_its_occurrences_a_week_apart():
    start = timezone.now() + timedelta(days=1)
    first = make_meeting(occurrences=4, starts_at=start)
    meetings = list(Meeting.objects.filter(series=first.series).order_by("starts_at"))
    assert len(meetings) == 4
    assert [m.starts_at - start for m in meetings] == [timedelta(days=7 * n) for n in range(4)]
    assert all(m.invitations.count() == 2 for m in meetings)


def test_replies_and_someone_else_needs_a_name():
    meeting = make_meeting()
    drammen = meeting.invitations.get(organisation__slug=DRAMMEN)
    with pytest.raises(ValidationError) as error:
        actions.do_reply(drammen, acting_user=user("drammen_staff"), reply=Reply.DELEGATE)
    assert error.value.message_dict == {"delegate_name": ["Give the name of who attends."]}
    actions.do_reply(
        drammen, acting_user=user("drammen_staff"), reply=Reply.DELEGATE, delegate_name="Kari"
    )
    drammen.refresh_from_db()
    assert (drammen.reply, drammen.delegate_name) == (Reply.DELEGATE, "Kari")
    with pytest.raises(PermissionDenied):  # Hole does not reply for Drammen
        actions.do_reply(drammen, acting_user=user("hole_manager"), reply=Reply.ATTENDING)


def test_reply_page_shows_the_error_in_place_and_saves_a_reply(client):
    meeting = make_meeting()
    login_as(client, user("hole_manager"))
    url = reverse("networks:meeting-reply", args=[meeting.uuid])
    response = client.post(url, {"reply": "delegate"})
    assert response.status_code == 400
    assert "Give the name of who attends." in html(response)
    response = client.post(url, {"reply": "attending"})
    assert response.status_code == 302
    assert meeting.invitations.get(organisation__slug=HOLE).reply == Reply.ATTENDING


def test_another_regions_officer_and_outsiders_get_404(client):
    meeting = make_meeting()
    for persona in ("vestland_officer", "bergen_manager", "dsb_analyst"):
        client.logout()
        login_as(client, user(persona))
        assert (
            client.get(reverse("networks:meeting-detail", args=[meeting.uuid])).status_code == 404
        )
        assert api(persona).get(f"/api/v1/meetings/{meeting.uuid}/").status_code == 404


def test_agenda_links_only_what_the_viewer_may_see_and_the_dashboard_opens_in_meeting_mode(client):
    meeting = make_meeting()
    officer = user("oest_officer")
    incident = make_incident(OEST, officer, title="Hans – Øst")  # the office's own, not shared
    form = reporting_actions.do_create_form(
        owner=org(OEST), acting_user=officer, title="Hans-status", track="preparedness",
        kind="short",
        definition={"sections": [{"key": "s", "title": "S", "fields": [
            {"key": "n", "type": "integer", "label": "N"}]}]},
    )  # fmt: skip
    round_ = reporting_actions.do_issue_round(
        issuer=org(OEST), acting_user=officer, form=form, title="Hans-runden",
        deadline=timezone.now() + timedelta(hours=4),
        offices=[Office.objects.get(organisation__slug=OEST)],
    )  # fmt: skip
    actions.do_add_agenda_item(
        meeting, acting_user=officer, title="Situasjonen", ref_kind="dashboard",
        ref_uuid=round_.uuid,
    )  # fmt: skip
    actions.do_add_agenda_item(
        meeting, acting_user=officer, title="Fylkesmannens logg", ref_kind="incident",
        ref_uuid=incident.uuid,
    )  # fmt: skip
    with pytest.raises(ValidationError):  # nothing the convener cannot see
        actions.do_add_agenda_item(
            meeting, acting_user=officer, title="x", ref_kind="incident",
            ref_uuid=make_incident("kommune-4601", user("bergen_manager")).uuid,
        )  # fmt: skip
    dashboard = reverse("reporting:dashboard", args=[round_.uuid]) + "?meeting=1"
    incident_url = reverse("incidents:incident-detail", args=[incident.uuid])
    login_as(client, officer)
    page = html(client.get(reverse("networks:meeting-detail", args=[meeting.uuid])))
    assert dashboard in page and incident_url in page
    assert client.get(dashboard).status_code == 200
    client.logout()
    # Drammen is in the round but the dashboard is the office's (403 there): no link to it,
    # nor to the office's private incident; the items' titles are there.
    login_as(client, user("drammen_staff"))
    page = html(client.get(reverse("networks:meeting-detail", args=[meeting.uuid])))
    assert dashboard not in page and incident_url not in page
    assert "Fylkesmannens logg" in page and "Situasjonen" in page
    assert client.get(dashboard).status_code == 403


def test_minutes_draft_conflict_publish_keeps_versions_and_only_participants_read():
    meeting = make_meeting()
    officer = user("oest_officer")
    actions.do_save_minutes_draft(meeting, acting_user=officer, text="Utkast 1", version=0)
    with pytest.raises(VersionConflict):
        actions.do_save_minutes_draft(meeting, acting_user=officer, text="Gammel", version=0)
    actions.do_add_decision(meeting, acting_user=officer, text="Kommunene melder status daglig.")
    actions.do_publish_minutes(meeting, acting_user=officer)
    with pytest.raises(ValidationError):  # the same text again is no new version
        actions.do_publish_minutes(meeting, acting_user=officer)
    actions.do_save_minutes_draft(meeting, acting_user=officer, text="Utkast 2", version=1)
    actions.do_publish_minutes(meeting, acting_user=officer)
    assert list(meeting.minutes.order_by("number").values_list("text", flat=True)) == [
        "Utkast 1",
        "Utkast 2",
    ]
    assert meeting.decisions.get().published
    for persona, count in (("hole_manager", 2), ("vestland_officer", 0), ("nobody", 0)):
        visible = MinutesVersion.objects.visible_to(user(persona)).filter(meeting=meeting)
        assert visible.count() == count
    with pytest.raises(PermissionDenied):
        actions.do_publish_minutes(meeting, acting_user=user("drammen_staff"))


def test_follow_up_reaches_hole_only_when_published_and_hole_marks_it_done(client):
    meeting = make_meeting()
    follow_up = make_follow_up(meeting, publish=False)
    login_as(client, user("hole_manager"))
    tasks = reverse("incidents:my-tasks")
    assert follow_up.title not in html(client.get(tasks))
    assert not FollowUp.objects.visible_to(user("hole_manager")).filter(meeting=meeting).exists()
    officer = user("oest_officer")
    actions.do_save_minutes_draft(meeting, acting_user=officer, text="Referat", version=0)
    actions.do_publish_minutes(meeting, acting_user=officer)
    page = html(client.get(tasks))
    assert (
        follow_up.title in page and reverse("networks:meeting-detail", args=[meeting.uuid]) in page
    )
    with pytest.raises(PermissionDenied):
        actions.do_complete_follow_up(follow_up, acting_user=user("drammen_staff"))
    response = client.post(reverse("networks:follow-up-done", args=[follow_up.uuid]))
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE and follow_up.done_by == user("hole_manager")
    client.get(tasks)  # the success message is shown once
    assert follow_up.title not in html(client.get(tasks))


def test_follow_up_must_go_to_an_organisation_in_the_meeting():
    meeting = make_meeting()
    before = FollowUp.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.do_add_follow_up(
            meeting, acting_user=user("oest_officer"), title="x", assignee=org("kommune-4601"),
            due_on=timezone.localdate(),
        )  # fmt: skip
    assert "assignee" in error.value.message_dict
    assert FollowUp.objects.count() == before


def test_attendance_is_recorded_by_the_convener():
    meeting = make_meeting()
    actions.do_record_attendance(meeting, acting_user=user("oest_officer"), attended=[org(HOLE)])
    assert dict(meeting.invitations.values_list("organisation__slug", "attended")) == {
        HOLE: True,
        DRAMMEN: False,
    }
    with pytest.raises(ValidationError):
        actions.do_record_attendance(
            meeting, acting_user=user("oest_officer"), attended=[org("kommune-4601")]
        )


# --- .ics ---------------------------------------------------------------------------------


def unfold(text):
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    return text.replace("\r\n ", "").split("\r\n")


def test_ics_lines_fold_at_75_octets_and_text_is_escaped():
    line = "DESCRIPTION:" + "æøå, ;\\" * 30
    for part in fold(line).split("\r\n"):
        assert len(part.encode()) <= 75
    assert fold(line).replace("\r\n ", "") == line
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_ics_file_parses_back(client):
    meeting = make_meeting(
        title="Kommunemøte; Hans, dag 3",
        starts_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
        description="Status fra kommunene.\nNeste møte fredag. " + "Lang tekst " * 20,
    )
    login_as(client, user("hole_manager"))
    response = client.get(reverse("networks:meeting-ics", args=[meeting.uuid]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfold(body)
    props = dict(line.split(":", 1) for line in lines if line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert props["UID"].startswith(f"{meeting.uuid}@")
    assert props["DTSTART"] == "20261203T090000Z" and props["DTEND"] == "20261203T100000Z"
    assert props["SUMMARY"] == "Kommunemøte\\; Hans\\, dag 3"
    assert props["DESCRIPTION"].startswith("Status fra kommunene.\\nNeste møte fredag.")
    assert props["LOCATION"] == "https://møte.example.no/hans"
    assert props["URL"].endswith(reverse("networks:meeting-detail", args=[meeting.uuid]))
    assert datetime.strptime(props["DTSTAMP"], "%Y%m%dT%H%M%SZ")
    assert meeting_ics(meeting, url="u", host="h").count("BEGIN:VEVENT") == 1


# --- API ----------------------------------------------------------------------------------


def test_api_convene_reply_minutes_follow_up_done():
    officer = api("oest_officer")
    bad = officer.post("/api/v1/meetings/", {"kind": "municipal"}, format="json")
    assert bad.status_code == 400 and "title" in bad.json()
    response = officer.post(
        "/api/v1/meetings/",
        {
            "kind": "municipal", "title": "API-møte", "starts_at": "2026-12-03T09:00:00+01:00",
            "organisations": [str(org(DRAMMEN).uuid), str(org(HOLE).uuid)],
            "convener": str(org(OEST).uuid),
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    uuid = response.json()["id"]
    hole = api("hole_manager")
    assert hole.post(f"/api/v1/meetings/{uuid}/reply/", {"reply": "attending"}).status_code == 200
    assert (
        hole.post(f"/api/v1/meetings/{uuid}/minutes/", {"text": "x", "version": 0}).status_code
        == 403
    )
    assert (
        officer.post(f"/api/v1/meetings/{uuid}/minutes/", {"text": "R", "version": 0}).status_code
        == 200
    )
    assert (
        officer.post(f"/api/v1/meetings/{uuid}/minutes/", {"text": "R", "version": 0}).status_code
        == 412
    )
    task = officer.post(
        f"/api/v1/meetings/{uuid}/follow-ups/",
        {"title": "Rapportere", "assignee": str(org(HOLE).uuid), "due_on": "2026-12-10"},
    )
    assert task.status_code == 201
    assert officer.post(f"/api/v1/meetings/{uuid}/publish/").status_code == 201
    detail = hole.get(f"/api/v1/meetings/{uuid}/").json()
    assert detail["minutes"][0]["text"] == "R" and detail["follow_ups"][0]["title"] == "Rapportere"
    done = hole.post(f"/api/v1/meeting-follow-ups/{task.json()['id']}/done/")
    assert done.status_code == 200 and done.json()["status"] == "done"
