"""The Øst officer convenes a kommunemøte with the «Hans» round's dashboard as an agenda
item; Drammen and Hole accept; minutes with a task for Hole are published; the task is
in Hole's «Mine oppgaver». Every page visited is checked (axe, console, CSP) and
photographed at desktop width and at 390 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from networks.meetings.models import FollowUp, Invitation, Meeting, Reply
from networks.structure.models import Office, Organisation
from reporting import actions as reporting_actions
from reporting.models import ReportForm
from tests.e2e.browser import checked
from tests.e2e.test_mutual_aid import sign_in
from tests.personas import user

pytestmark = pytest.mark.e2e

OEST = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
TITLE = "Kommunemøte – ekstremværet Hans (e2e)"
TASK = "Kartlegge stengte kommunale veier"


def hans_round():
    return reporting_actions.do_issue_round(
        issuer=Organisation.objects.get(slug=OEST),
        acting_user=user("oest_officer"),
        form=ReportForm.objects.get(owner__slug="dsb"),
        title="Ekstremværet Hans – status (e2e)",
        deadline=timezone.now() + timedelta(hours=6),
        offices=[Office.objects.get(organisation__slug=OEST)],
    )


#: The convene form's bad input answers 400 (HTMX swaps the errors in): the browser logs
#: that status, on purpose.
BAD_INPUT = [r"status of 400"]


def both_widths(page, name):
    checked(page, f"{name}-desktop", allow=BAD_INPUT)
    page.set_viewport_size({"width": 390, "height": 844})
    checked(page, f"{name}-390", allow=BAD_INPUT)
    page.set_viewport_size({"width": 1280, "height": 900})


def reply(new_page, persona, choice):
    page = new_page()
    sign_in(page, user(persona))
    page.goto("/moter/")
    page.get_by_role("link", name=TITLE).click()
    page.locator(f"#reply-form input[value={choice}]").check()
    page.locator("#reply-form button[type=submit]").click()
    expect(page.locator("#innkalte")).to_be_visible()
    return page


def test_oest_convenes_a_kommunemote_and_hole_gets_the_task(new_page):
    round_ = hans_round()
    officer = new_page()
    sign_in(officer, user("oest_officer"), totp=True)
    officer.goto("/moter/nytt/")
    officer.locator("#id_kind").select_option("municipal")
    officer.locator("#id_title").fill(TITLE)
    start = timezone.localtime(timezone.now() + timedelta(hours=2))
    officer.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    officer.locator("#id_duration_minutes").fill("1")  # bad: in place, nothing saved
    officer.locator("#id_video_link").fill("https://video.example.no/hans")
    officer.locator("#id_agenda_title").fill("Situasjonen i kommunene")
    officer.locator("#id_agenda_ref_kind").select_option("dashboard")
    officer.locator("#id_agenda_ref_uuid").fill(str(round_.uuid))
    both_widths(officer, "meetings-01-convene-form")
    officer.locator("#meeting-form button[type=submit]").click()
    expect(officer.locator("#id_duration_minutes-error")).to_contain_text("5")
    assert not Meeting.objects.filter(title=TITLE).exists()
    officer.locator("#id_duration_minutes").fill("60")
    officer.locator("#meeting-form button[type=submit]").click()
    expect(officer).to_have_url(re.compile(r"/moter/[0-9a-f-]{36}/$"))
    meeting = Meeting.objects.get(title=TITLE)
    assert (
        meeting.invitations.filter(organisation__slug__in=["kommune-3301", "kommune-3310"]).count()
        == 2
    )
    # The agenda item opens the round's dashboard in meeting mode.
    link = officer.locator("#saksliste ~ ol.agenda a").first
    expect(link).to_have_attribute("href", re.compile(r"/oversikt/\?meeting=1$"))
    both_widths(officer, "meetings-02-meeting-page")
    link.click()
    expect(officer).to_have_url(re.compile(r"meeting=1"))
    officer.go_back()

    drammen = reply(new_page, "drammen_staff", "attending")
    checked(drammen, "meetings-03-drammen-replied")
    hole = reply(new_page, "hole_manager", "attending")
    replies = dict(
        Invitation.objects.filter(meeting=meeting).values_list("organisation__slug", "reply")
    )
    assert replies["kommune-3301"] == replies["kommune-3310"] == Reply.ATTENDING

    officer.reload()
    officer.locator("#id_text").fill("Drammen og Hole deltok. Hole melder stengte veier.")
    officer.locator("#minutes-form button[type=submit]").click()
    expect(officer.locator("#minutes-form [role=status]")).to_contain_text(re.compile(r"\d"))
    officer.goto(f"/moter/{meeting.uuid}/")
    officer.locator("#id_follow_up-title").fill(TASK)
    hole_org = Organisation.objects.get(slug="kommune-3310")
    officer.locator("#id_follow_up-assignee").select_option(value=str(hole_org.pk))
    officer.locator("#id_follow_up-due_on").fill(
        (timezone.localdate() + timedelta(days=3)).isoformat()
    )
    officer.locator("form[action$='/oppfolging/'] button[type=submit]").click()
    officer.locator("form[action$='/referat/publiser/'] button").click()
    expect(officer.locator("article.minutes")).to_contain_text("Hole melder stengte veier")
    both_widths(officer, "meetings-04-published")
    assert FollowUp.objects.get(title=TASK).published

    hole.goto("/hendelser/mine-oppgaver/")
    expect(hole.get_by_role("link", name=TASK, exact=True)).to_be_visible()
    both_widths(hole, "meetings-05-hole-my-tasks")
    hole.get_by_role("link", name=TASK, exact=True).click()
    hole.locator("form[action$='/utfort/'] button").click()
    expect(hole.locator("#oppfolging ~ .table-wrap")).to_contain_text(re.compile("Done|Utført"))
    checked(hole, "meetings-06-hole-done")
