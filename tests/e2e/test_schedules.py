"""Recurring rounds, closing a round and notifications in a real browser: the Vestland
officer sets up a daily round and stops it (after confirming), closes a round (after
confirming); Bergen's manager sees the unread count in the header, marks one
notification read (HTMX: the list and the header count change without a reload) and
then all. Every page visited is checked (axe, console, CSP) and photographed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from networks.structure.models import Office, Organisation
from portal.models import Notification
from reporting import actions
from reporting.models import ReportForm, RoundSchedule
from tests.e2e.browser import checked
from tests.e2e.test_reporting_loop import (
    heading,
    sign_in_municipality,
    sign_in_officer,
    words,
)
from tests.personas import user

pytestmark = pytest.mark.e2e


def a_round(title):
    return actions.do_issue_round(
        issuer=Organisation.objects.get(slug="statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=ReportForm.objects.get(owner__slug="dsb"),
        title=title,
        deadline=timezone.now() + timedelta(hours=6),
        offices=[Office.objects.get(slug="vestland")],
    )


def test_officer_sets_up_stops_a_recurring_round_and_closes_a_round(new_page):
    page = new_page()
    sign_in_officer(page)

    page.goto("/rapportering/runder/")
    page.get_by_role("link", name=words("Faste runder", "Recurring rounds")).click()
    expect(page).to_have_url(re.compile(r"/rapportering/faste-runder/$"))
    checked(page, "schedules-01-empty-list")
    page.locator(".page-title a.ds-button").click()
    expect(page).to_have_url(re.compile(r"/rapportering/faste-runder/ny/$"))
    page.locator("#id_form").select_option(index=1)
    page.locator("#id_title").fill("Daglig status Vestland")
    page.locator("#id_time_of_day").fill("12:00")
    page.locator("#id_deadline_hours").fill("0")
    page.get_by_label("Statsforvalteren i Vestland").check()
    page.locator("#schedule-form button[type=submit]").click()
    # Bad input: the form comes back with the message in place (HTMX), nothing saved.
    expect(page.locator("#id_deadline_hours-error")).to_contain_text("168")
    assert not RoundSchedule.objects.exists()
    # The form answers 400 (HTMX swaps it in); the browser logs that status, on purpose.
    checked(page, "schedules-02-form-error", allow=[r"status of 400"])
    page.locator("#id_deadline_hours").fill("4")
    page.locator("#schedule-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/rapportering/faste-runder/$"))
    schedule = RoundSchedule.objects.get()
    row = page.locator(f"#schedule-{schedule.uuid}")
    expect(row).to_contain_text("Daglig status Vestland")
    checked(page, "schedules-03-list")

    row.locator("summary").click()
    checked(page, "schedules-04-stop-confirm")
    row.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/rapportering/faste-runder/$"))
    expect(row.locator("details")).to_have_count(0)
    schedule.refresh_from_db()
    assert schedule.stopped_at is not None

    round_ = a_round("Runde som skal lukkes")
    page.goto(f"/rapportering/runder/{round_.uuid}/")
    expect(heading(page)).to_have_text(round_.title)
    page.locator("#close-round summary").click()
    checked(page, "schedules-05-close-confirm")
    page.locator("#close-round button[type=submit]").click()
    expect(page.locator("#round-closed")).to_be_visible()
    expect(page.locator("#close-round")).to_have_count(0)
    checked(page, "schedules-06-closed")
    round_.refresh_from_db()
    assert round_.closed_at is not None


def test_municipal_manager_reads_notifications(new_page):
    a_round("Første runde")
    a_round("Andre runde")
    page = new_page()
    sign_in_municipality(page, "bergen_manager@test.samvirke.no")
    counter = page.locator("#notification-count .ds-badge")
    expect(counter).to_have_attribute("data-count", "2")
    page.locator("#notification-count").click()
    expect(page).to_have_url(re.compile(r"/varsler/$"))
    items = page.locator(".notification")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Andre runde")  # newest first
    checked(page, "notifications-01-list")

    # One read: the list and the header's count change in place (HTMX, out of band).
    with page.expect_response(lambda r: "/les/" in r.url):
        items.first.locator("form button").click()
    expect(counter).to_have_attribute("data-count", "1")
    expect(page.locator(".notification--unread")).to_have_count(1)
    assert page.url.endswith("/varsler/")
    checked(page, "notifications-02-one-read")

    page.locator("#notification-list > form button").click()
    expect(page.locator(".notification--unread")).to_have_count(0)
    expect(page.locator("#notification-count .ds-badge")).to_have_count(0)
    assert not Notification.objects.visible_to(user("bergen_manager")).unread().exists()
    checked(page, "notifications-03-all-read")
