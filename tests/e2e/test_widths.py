"""Phones and tablets (issue 13 part 7): the start page, the submission form, the log
(quick entry and live updates), the picture and the dashboard at 390 px (a phone) and
768 px (a tablet). Every page checked (axe, console, CSP), none wider than the screen,
and photographed into test-results/screenshots/width-*.png."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.log import actions as log_actions
from networks.structure.models import Office
from reporting import actions
from reporting.models import Submission
from tests.e2e.browser import checked
from tests.e2e.test_log import write_entry_with_keyboard
from tests.e2e.test_regional_log import sign_in
from tests.helpers import org
from tests.personas import user
from tests.reporting.dashboard_helpers import BERGEN, VOSS, answers, submit, vestland_round

pytestmark = pytest.mark.e2e

SIZES = {390: 844, 768: 1024}


def assert_fits(page, name):
    """Nothing wider than the screen: the page never scrolls sideways (wide tables scroll
    inside their own focusable region)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        wide = page.evaluate(
            """() => {
                const clipped = (e) => {
                    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                        if (["auto", "scroll", "hidden", "clip"].includes(
                            getComputedStyle(a).overflowX)) return true;
                    }
                    return false;
                };
                return [...document.querySelectorAll("body *")]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !clipped(e))
                    .slice(-1)
                    .map(e => {
                        const chain = [];
                        for (let a = e; a && a !== document.body; a = a.parentElement) {
                            chain.push(a.tagName + "." + a.className + "="
                                       + Math.round(a.getBoundingClientRect().width));
                        }
                        return e.textContent.slice(0, 40) + " in " + chain.join(" < ");
                    });
            }"""
        )
        raise AssertionError(f"{name}: {overflow} px wider than the screen: {wide}")


def published_picture():
    round_ = vestland_round(title="Flom i Vestland – bilde")
    submit(round_, BERGEN, answers(evakuerte=120, fravaer="6.5"))
    submit(round_, VOSS, answers(evakuerte=12, vann="yellow", fravaer="9"))
    officer = user("vestland_officer")
    compilation = actions.do_start_compilation(
        round_, acting_user=officer, office=Office.objects.get(slug="vestland")
    )
    compilation = actions.do_save_assessment(
        compilation, acting_user=officer, assessment="Flom i ytre strøk.", expected_version=1
    )
    return round_, actions.do_publish_compilation(compilation, acting_user=officer)


def bergen_incident():
    manager = user("bergen_manager")
    incident = log_actions.do_create_incident(
        owner=org("kommune-4601"),
        acting_user=manager,
        title="Flom i Bergen sentrum",
        type="flood",
        started_at=timezone.now(),
    )
    log_actions.do_write_entry(
        incident, acting_user=manager, kind="decision", text="Kriseledelsen er satt."
    )
    return incident


@pytest.mark.parametrize("width", sorted(SIZES))
def test_the_main_pages_at_phone_and_tablet_widths(new_page, width):
    round_, picture = published_picture()
    open_round = vestland_round(title="Flom i Vestland – ny runde")
    incident = bergen_incident()
    size = {"width": width, "height": SIZES[width]}

    bergen = new_page()
    bergen.set_viewport_size(size)
    sign_in(bergen, "bergen_manager")
    checked(bergen, f"width-{width}-01-start")
    assert_fits(bergen, "start page")

    submission = Submission.objects.get(round=open_round, municipality__slug=BERGEN)
    bergen.goto(f"/rapportering/innsendinger/{submission.uuid}/")
    expect(bergen.locator("#submission-form")).to_be_visible()
    checked(bergen, f"width-{width}-02-submission-form")
    assert_fits(bergen, "submission form")

    bergen.goto(f"/hendelser/{incident.uuid}/logg/")
    write_entry_with_keyboard(bergen, "Vannstanden stiger ved Bryggen.")
    entries = bergen.locator("#entries > li.entry")
    expect(entries.filter(has_text="Vannstanden stiger ved Bryggen.")).to_have_count(1)
    # a colleague writes: the open log shows it without a reload
    log_actions.do_write_entry(
        incident, acting_user=user("bergen_manager"), kind="information", text="Sandsekker ut."
    )
    expect(entries.filter(has_text="Sandsekker ut.")).to_have_count(1, timeout=8000)
    checked(bergen, f"width-{width}-03-log")
    assert_fits(bergen, "log")

    bergen.goto(f"/rapportering/situasjonsbilde/{picture.uuid}/")
    checked(bergen, f"width-{width}-04-picture")
    assert_fits(bergen, "picture")

    office = new_page()
    office.set_viewport_size(size)
    sign_in(office, "vestland_officer", totp=True)
    office.goto(f"/rapportering/runder/{round_.uuid}/oversikt/")
    expect(office.locator("#dashboard-counts")).to_be_visible()
    checked(office, f"width-{width}-05-dashboard")
    assert_fits(office, "dashboard")
