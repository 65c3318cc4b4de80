"""The start page «Nå» in the browser (issue 13 part 1), at desktop and phone widths:
Bergen's emergency manager finds the open "Kraftig vind" round (the demo's open round,
issued here as reporting/demo_data.py names it) with its deadline, opens the form from
there, and once the report is in, the start page says so; Vestland's officer finds the
same round among the region's open rounds with its counts and opens its dashboard. Every
page checked (axe, console, CSP) and photographed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from networks.structure.models import Office
from reporting import actions
from reporting.demo_data import OPEN_TITLE
from reporting.models import ReportForm, Submission
from tests.e2e.browser import checked
from tests.e2e.test_regional_log import sign_in
from tests.helpers import org
from tests.personas import user

pytestmark = pytest.mark.e2e

SECTORS = ("helse", "vann", "kraft_ekom", "ikt", "transport", "evakuering", "informasjon",
           "bemanning")  # fmt: skip
#: A quiet report on DSB's situation form (as the demo's open answers).
ANSWERS = {
    **{f"{s}_status": {"status": "green", "comment": ""} for s in SECTORS},
    "situasjon_tidspunkt": "2026-12-03 10:00",
    "kriseledelse": "nei",
    "situasjonsbeskrivelse": "Noen trefall over kommunale veier i natt; ryddet.",
    "bistand_behov": "nei",
    "samlet_status": {"status": "green", "comment": ""},
    "utvikling": "uendret",
    "kontaktperson": "Beredskapssjefen, tlf. 400 00 000",
}


def open_round():
    deadline = (timezone.now() + timedelta(days=2)).replace(hour=12, minute=0, second=0)
    return actions.do_issue_round(
        issuer=org("dsb"),
        acting_user=user("dsb_analyst"),
        form=ReportForm.objects.get(owner__slug="dsb"),
        title=OPEN_TITLE,
        deadline=deadline,
        offices=[Office.objects.get(slug="vestland")],
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_open_round_is_on_the_start_page_with_its_deadline(new_page, width):
    round_ = open_round()
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "bergen_manager")
    block = page.locator('[data-block="open_rounds"]')
    row = block.get_by_role("listitem").filter(has_text=OPEN_TITLE)
    expect(row).to_contain_text("Frist")
    expect(row).to_contain_text("Ikke påbegynt")
    expect(row.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    expect(page.locator('[data-block="tasks"]')).to_contain_text("Ingen åpne oppgaver")
    checked(page, f"start-bergen-{width}")
    row.get_by_role("link", name=OPEN_TITLE).click()
    mine = Submission.objects.get(round=round_, municipality__slug="kommune-4601")
    expect(page).to_have_url(re.compile(rf"/rapportering/innsendinger/{mine.uuid}/$"))

    actions.do_submit(
        mine, expected_version=mine.version, acting_user=user("bergen_manager"), answers=ANSWERS
    )
    page.goto("/")
    expect(page.locator('[data-block="open_rounds"]')).to_contain_text("Sendt inn")

    office = new_page()
    office.set_viewport_size({"width": width, "height": 900})
    sign_in(office, "vestland_officer", totp=True)
    rounds = office.locator('[data-block="region_rounds"]')
    expect(rounds).to_contain_text(OPEN_TITLE)
    expect(rounds).to_contain_text("1 sendt inn")
    checked(office, f"start-vestland-{width}")
    rounds.get_by_role("link", name=OPEN_TITLE).click()
    expect(office).to_have_url(re.compile(rf"/rapportering/runder/{round_.uuid}/oversikt/$"))


def fill_situation_report(page):
    """DSB's situation form filled in the browser as a quiet report."""
    for sector in SECTORS:
        page.locator(f"#{sector}_status-green").check()
    page.locator("#samlet_status-green").check()
    page.locator("#field-situasjon_tidspunkt").fill("2026-12-03T10:00")
    page.locator("#kriseledelse-nei").check()
    page.locator("#field-situasjonsbeskrivelse").fill(ANSWERS["situasjonsbeskrivelse"])
    page.locator("#bistand_behov-nei").check()
    page.locator("#utvikling-uendret").check()
    page.locator("#field-kontaktperson").fill(ANSWERS["kontaktperson"])


def test_bergen_reports_from_the_start_page_and_the_office_sees_it_live(new_page):
    """The issue's journey: Bergen finds the open round on «Nå» with its deadline, opens
    it from there, saves a draft, submits; «Nå» then says submitted. Vestland's officer,
    in a second browser with the round's dashboard open, sees the count change within
    5 s without a reload."""
    round_ = open_round()
    office = new_page()
    sign_in(office, "vestland_officer", totp=True)
    office.locator('[data-block="region_rounds"]').get_by_role("link", name=OPEN_TITLE).click()
    expect(office).to_have_url(re.compile(rf"/rapportering/runder/{round_.uuid}/oversikt/$"))
    submitted = office.locator("#dashboard-counts [data-state=submitted] .count")
    expect(submitted).to_have_text("0")
    office.evaluate("document.getElementById('dashboard-page').dataset.marker = 'not reloaded'")

    bergen = new_page()
    sign_in(bergen, "bergen_manager")
    row = (
        bergen.locator('[data-block="open_rounds"]')
        .get_by_role("listitem")
        .filter(has_text=OPEN_TITLE)
    )
    expect(row).to_contain_text("Frist")
    expect(row).to_contain_text("Ikke påbegynt")
    row.get_by_role("link", name=OPEN_TITLE).click()
    expect(bergen.locator("#submission-form")).to_be_visible()
    bergen.locator("#field-situasjonsbeskrivelse").fill("Foreløpig: trefall over veier.")
    bergen.locator("button[name=action][value=save]").click()
    expect(bergen.locator(".messages")).to_be_visible()
    bergen.goto("/")
    expect(bergen.locator('[data-block="open_rounds"]')).to_contain_text("Utkast")
    checked(bergen, "start-journey-01-draft")

    bergen.locator('[data-block="open_rounds"]').get_by_role("link", name=OPEN_TITLE).click()
    fill_situation_report(bergen)
    bergen.locator("button[name=action][value=submit]").click()
    expect(bergen.locator("#receipt")).to_be_visible()
    bergen.goto("/")
    expect(bergen.locator('[data-block="open_rounds"]')).to_contain_text("Sendt inn")
    checked(bergen, "start-journey-02-submitted")

    expect(submitted).to_have_text("1", timeout=5000)
    assert office.evaluate("document.getElementById('dashboard-page').dataset.marker") == (
        "not reloaded"
    )
    checked(office, "start-journey-03-office-live")
