"""The live dashboard (issue 13 part 3) in real browsers: Vestland's officer has the
round's dashboard open, sorted and scrolled; Bergen's manager, in a second browser,
submits; within 5 s the officer's counts, map and row change without a reload, the sort
and the scroll stay, and the change is read out politely. Then the KS summary (part 6):
the KS analyst sees the figures for SNB's cities on screen and downloads the XLSX, whose
figures equal the screen's. At 1280 and 390 px, every page checked (axe, console, CSP)
and photographed."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.log.models import CrisisFrame
from reporting import actions
from reporting.exports import tasks as export_tasks
from reporting.models import ExportJob, Submission
from tests.e2e.browser import checked
from tests.e2e.test_journeys import sign_in, totp_now
from tests.e2e.test_reporting_loop import sign_in_municipality, submit_report
from tests.helpers import org
from tests.personas import user
from tests.reporting.dashboard_helpers import vestland_round
from tests.reporting.ks_tables import page_tables, workbook_tables
from tests.reporting.test_ks_summary import DEFINITION, at, make_round

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def sign_in_with_code(page, persona):
    """Sign in, with the second factor where the persona has one (officers do)."""
    sign_in(page, persona)
    page.wait_for_load_state("load")
    if "/konto/2fa/authenticate/" in page.url:
        page.get_by_label("Kode").fill(totp_now())
        page.get_by_role("button", name="Logg inn").click()
    expect(page).not_to_have_url(re.compile(r"/konto/"))


def test_the_officers_dashboard_updates_itself(new_page):
    round_ = vestland_round(title="Storm i Vestland – live")
    officer, bergen = new_page(), new_page()
    sign_in_with_code(officer, "vestland_officer")
    officer.goto(f"/rapportering/runder/{round_.uuid}/oversikt/?ordering=-name")
    counts = officer.locator("#dashboard-counts")
    expect(counts.locator("[data-state=submitted] .count")).to_have_text("0")
    expect(officer.locator("#status-map")).to_have_attribute("data-drawn", re.compile(r"\d+"))
    first = officer.locator("#dashboard-table tbody tr").first.get_attribute("data-municipality")
    officer.locator("tr[data-municipality='4601']").scroll_into_view_if_needed()
    scrolled = officer.evaluate("window.scrollY")
    assert scrolled > 0
    officer.evaluate("document.getElementById('dashboard-page').dataset.marker = 'same-page'")
    checked(officer, "live-01-dashboard-before")

    sign_in_municipality(bergen, "bergen_manager@test.samvirke.no")
    submit_report(
        bergen, round_, "kommune-4601", evakuerte=12, vann="yellow", strom="green",
        behov="nei", name="live-bergen",
    )  # fmt: skip

    # Within 5 s, without a reload: the count, the row, the map
    expect(counts.locator("[data-state=submitted] .count")).to_have_text("1", timeout=5000)
    expect(officer.locator("tr[data-municipality='4601']")).to_have_attribute(
        "data-state", "submitted"
    )
    expect(officer.locator("#status-map")).to_have_attribute("data-version", re.compile(r"\d+"))
    assert officer.evaluate("document.getElementById('dashboard-page').dataset.marker") == (
        "same-page"
    )
    # sort and scroll kept, the change said once in the polite region
    expect(officer).to_have_url(re.compile(r"ordering=-name"))
    assert (
        officer.locator("#dashboard-table tbody tr").first.get_attribute("data-municipality")
        == first
    )
    assert abs(officer.evaluate("window.scrollY") - scrolled) < 5
    expect(officer.locator("#live-summary")).to_have_attribute("aria-live", "polite")
    expect(officer.locator("#live-summary")).to_contain_text("1")
    checked(officer, "live-02-dashboard-after")

    # The phone: the same page live at 390 px
    officer.set_viewport_size(PHONE)
    officer.goto(f"/rapportering/runder/{round_.uuid}/oversikt/?ordering=-name")
    expect(counts.locator("[data-state=submitted] .count")).to_have_text("1")
    checked(officer, "live-03-dashboard-phone")


def covid_rounds():
    """SNB's cities in the Covid-19 period: a crisis frame and two rounds of it, every
    member answering (Stavanger late, so lateness is a small group)."""
    frame = CrisisFrame.objects.filter(title="Covid-19").first() or CrisisFrame.objects.create(
        title="Covid-19", type="pandemic", started_at=at(date(2020, 3, 12), 8),
        ended_at=at(date(2022, 2, 12), 8), owner=org("dsb"),
    )  # fmt: skip
    form = actions.do_create_form(
        owner=org("dsb"), acting_user=user("dsb_analyst"), title="Covid-status",
        track="preparedness", kind="short", definition=DEFINITION,
    )  # fmt: skip
    for day in (date(2022, 1, 19), date(2022, 1, 26)):
        round_ = make_round(form, day, frame=frame)
        Submission.objects.filter(round=round_, status="draft").update(
            status="submitted", submitted_at=at(day, 13)
        )
        Submission.objects.filter(round=round_).update(
            answers={"vann": {"status": "green"}, "helse": {"status": "yellow"}}
        )
    return frame


def test_ks_analyst_sees_the_summary_then_downloads_it(new_page):
    frame = covid_rounds()
    analyst = new_page()
    sign_in_with_code(analyst, "ks_analyst")
    analyst.goto("/rapportering/ks-sammendrag/")
    analyst.locator("#id_network").select_option(value="snb")
    analyst.locator("#id_frame").select_option(value=str(frame.uuid))
    # SNB's memberships are known from October 2023 (the report they come from), and a
    # summary counts the members on its last day: the Covid-19 frame's rounds, from the
    # last wave (a summary covers at most five years) up to today
    start, end = "2022-01-01", timezone.localdate().isoformat()
    analyst.locator("#id_start").fill(str(start))
    analyst.locator("#id_end").fill(str(end))
    analyst.get_by_role("button", name=re.compile("^(Vis|Show)$")).click()
    expect(analyst).to_have_url(re.compile(r"network=snb"))
    expect(analyst.locator("#ks-totals")).to_be_visible()
    checked(analyst, "live-04-ks-summary")
    screen = page_tables(analyst.content())
    summary_url = analyst.url

    analyst.locator("#ks-download-xlsx").click()
    expect(analyst).to_have_url(re.compile(r"/rapportering/eksporter/[0-9a-f-]+/$"))
    # the test is the worker: the job page polls until the file is made
    job = ExportJob.objects.get(requested_by__username="ks_analyst")
    export_tasks.run_export(job.pk)
    link = analyst.locator("a[href$='/fil/']").first
    expect(link).to_be_visible(timeout=30000)
    with analyst.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as handle:
        book = workbook_tables(handle.read())
    checked(analyst, "live-05-ks-export")
    for table_id, rows in screen.items():
        if table_id == "ks-totals":  # the last line, when it was made, differs by seconds
            rows, book[table_id] = rows[:-1], book[table_id][:-1]
        assert rows == book[table_id], table_id

    analyst.set_viewport_size(PHONE)
    analyst.goto(summary_url)
    expect(analyst.locator("#ks-totals")).to_be_visible()
    checked(analyst, "live-06-ks-summary-phone")
