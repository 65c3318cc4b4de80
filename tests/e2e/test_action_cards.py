"""Action cards and comment rounds in a real browser: Bergen's emergency manager edits
an action card's steps (a row added with HTMX, bad input refused in place, saved as
version 2), applies the card to an incident and finds its steps as tasks in the
incident's task list; Stavanger comments on a section of DSB's draft in SNB's comment
round, and DSB decides on the comments (HTMX) and ends the round with a summary.
Every page visited is checked (axe, console, CSP) and photographed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.log.models import LogEntry, Task
from networks.comment_rounds.models import CommentRound
from networks.library.actions import do_create_document
from networks.structure.models import Organisation
from tests.access.hearing_cases import bergen_card, dsb_round
from tests.e2e.browser import checked
from tests.e2e.test_journeys import totp_now
from tests.e2e.test_reporting_loop import heading, sign_in_municipality
from tests.incidents.factories import make_incident
from tests.personas import user

pytestmark = pytest.mark.e2e


def test_an_action_card_applied_to_an_incident_creates_its_tasks(new_page):
    card = bergen_card()
    incident = make_incident("kommune-4601", "bergen_manager", title="Strømbrudd i Bergen sentrum")
    page = new_page()
    sign_in_municipality(page, "bergen_manager@test.samvirke.no")

    page.goto("/tiltakskort/")
    expect(page.locator("#card-table")).to_contain_text(card.title)
    checked(page, "cards-01-list")
    page.get_by_role("link", name=card.title).click()
    expect(heading(page)).to_have_text(card.title)
    expect(page.locator("#step-table tbody tr")).to_have_count(3)
    checked(page, "cards-02-card")

    # Edit the steps: add a row (HTMX), leave its title empty, then fill it in.
    page.locator(".page-title .actions a").first.click()
    expect(page).to_have_url(re.compile(r"/tiltakskort/.+/steg/$"))
    page.locator("#add-step").click()
    expect(page.locator("#step-rows > li")).to_have_count(4)
    # htmx focuses the new row's title (autofocus) after the swap settles: wait for it, or
    # the text typed next can land in the title instead.
    expect(page.locator("#step-3-title")).to_be_focused()
    page.locator("#step-3-time").fill("8")
    page.locator("#step-3-unit").select_option("hours")
    page.locator("#step-3-role").fill("Beredskapskoordinator")
    page.locator("#save-steps").click()
    expect(page.locator("#step-errors")).to_contain_text("4")
    assert card.versions.count() == 1  # nothing saved
    checked(page, "cards-03-editor-error", allow=[r"status of 400"])
    page.locator("#step-3-title").fill("Send situasjonsrapport til statsforvalteren")
    page.locator("#save-steps").click()
    expect(page).to_have_url(re.compile(rf"/tiltakskort/{card.uuid}/$"))
    expect(page.locator("#step-table tbody tr")).to_have_count(4)
    assert card.versions.count() == 2

    # Apply it to the incident: its steps become the incident's tasks.
    page.locator("#id_incident").select_option(str(incident.uuid))
    checked(page, "cards-04-apply")
    page.locator("#apply-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/hendelser/{incident.uuid}/oppgaver/$"))
    table = page.locator(".task-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table).to_contain_text("Sett kriseledelsen")
    expect(table).to_contain_text("Send situasjonsrapport til statsforvalteren")
    checked(page, "cards-05-incident-tasks")
    assert Task.objects.filter(incident=incident, card_version__number=2).count() == 4
    assert LogEntry.objects.filter(incident=incident).count() == 1

    # Applying the same version again is refused in place.
    page.goto(f"/tiltakskort/{card.uuid}/")
    page.locator("#id_incident").select_option(str(incident.uuid))
    page.locator("#apply-form button[type=submit]").click()
    expect(page.locator("#apply-form")).to_contain_text(incident.title)
    assert Task.objects.filter(incident=incident).count() == 4
    checked(page, "cards-06-applied-twice", allow=[r"status of 400"])


def test_a_network_member_comments_on_a_section(new_page):
    round_, _comment = dsb_round()
    page = new_page()
    sign_in_municipality(page, "stavanger_manager@test.samvirke.no")
    page.goto("/horinger/")
    expect(page.locator("#round-table")).to_contain_text(round_.version.title)
    checked(page, "hearing-01-list")
    page.get_by_role("link", name=round_.version.title).click()
    expect(page.locator("#section-1")).to_contain_text("Presiser formålet.")
    checked(page, "hearing-02-round")
    section = page.locator("#section-3")
    section.locator("summary").click()
    section.locator("button[type=submit]").click()  # empty: refused in place
    expect(section.locator(".ds-error-summary")).to_be_visible()
    checked(page, "hearing-03-empty-comment", allow=[r"status of 400"])
    section.locator("textarea").fill("Planen bør omtale samarbeid med nabokommunene.")
    section.locator("button[type=submit]").click()
    expect(page.locator("#section-3")).to_contain_text("Planen bør omtale samarbeid")
    assert round_.comments.count() == 2
    checked(page, "hearing-04-commented")

    # DSB, the owner, decides on Stavanger's comment and ends the round.
    owner = new_page()
    sign_in_municipality_with_totp(owner, "dsb_analyst@test.samvirke.no")
    owner.goto(f"/horinger/{round_.uuid}/")
    comment = round_.comments.get(organisation__slug="kommune-1103")
    article = owner.locator(f"#comment-{comment.uuid}")
    article.locator("select").select_option("not_taken_in")
    article.locator("button[type=submit]").click()  # no reason: refused in place
    expect(article.locator(".ds-error-summary")).to_be_visible()
    checked(owner, "hearing-05-decision-error", allow=[r"status of 400"])
    article.locator("textarea").fill("Dekkes av kapittel 4.")
    article.locator("button[type=submit]").click()
    expect(article).to_contain_text("Dekkes av kapittel 4.")
    expect(article.locator(".ds-error-summary")).to_have_count(0)
    owner.locator("#id_summary").fill("Takk for innspillene. Ett er tatt inn.")
    owner.locator("#close-form button[type=submit]").click()
    expect(owner.locator("#summary")).to_contain_text("Takk for innspillene.")
    round_ = CommentRound.objects.get(pk=round_.pk)
    assert round_.closed_at is not None
    checked(owner, "hearing-06-ended")

    # DSB opens a new round on another draft: bad input is refused in place.
    draft = do_create_document(
        Organisation.objects.get(slug="dsb"), user("dsb_analyst"), "guide",
        "Veileder for evakuering – utkast", body="## Formål\n\nTekst.",
    )  # fmt: skip
    owner.goto(f"/bibliotek/{draft.uuid}/horing/ny/")
    owner.locator("#round-form button[type=submit]").click()
    expect(owner.locator("#round-form .ds-error-summary")).to_be_visible()
    checked(owner, "hearing-07-open-form-error", allow=[r"status of 400"])
    owner.locator("#id_network").select_option("snb")
    deadline = timezone.localtime(timezone.now() + timedelta(days=10))
    owner.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    owner.locator("#round-form button[type=submit]").click()
    expect(owner).to_have_url(re.compile(r"/horinger/[0-9a-f-]+/$"))
    expect(heading(owner)).to_contain_text("Veileder for evakuering")
    assert CommentRound.objects.filter(document=draft).exists()
    checked(owner, "hearing-08-opened")


def sign_in_municipality_with_totp(page, email):
    page.goto("/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord", exact=True).fill("Test-passord-2026")
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    page.get_by_label("Kode").fill(totp_now())
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/$"))
