"""Lessons learned in a real browser, on the demo lessons: Stavanger searches what the
big-city network shared (HTMX filter), opens a Bergen lesson with its similar lessons,
records a lesson of its own (bad input shown in place first), shares it with SNB and moves
its follow-up; Bergen opens the regional exercise and its lessons. Every page is checked
with axe-core, for console errors and CSP violations, and photographed."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from incidents.lessons.models import Lesson, LessonShare
from incidents.log.models import Incident
from tests.e2e.browser import checked, go_to
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_lessons(e2e_data):
    call_command("load_demo_lessons", stdout=io.StringIO())


def test_search_share_and_follow_up_lessons(new_page, demo_lessons):
    page = new_page()
    sign_in(page, "stavanger_manager")
    go_to(page, "Kunnskap", "Læringspunkter")
    expect(page).to_have_url(re.compile(r"/laering/$"))
    expect(page.locator("#results")).to_contain_text("Storbynettverket ga rask erfaringsdeling")
    checked(page, "lessons-01-list")

    page.locator("#id_q").fill("smittevernutstyr")
    page.locator("#lesson-filter button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"q=smittevernutstyr"))
    expect(page.locator("#results")).to_contain_text("Beredskapslageret for smittevernutstyr")
    expect(page.locator("#results")).not_to_contain_text("Digitale møter i kriseledelsen")
    checked(page, "lessons-02-search")

    page.goto("/laering/")
    page.get_by_role("link", name="Utholdenhet i kriseledelsen under en langvarig krise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Utholdenhet i kriseledelsen under en langvarig krise"
    )
    expect(page.locator("#similar-heading")).to_be_visible()
    checked(page, "lessons-03-shared-lesson")

    page.goto("/laering/ny/")
    page.locator("#lesson-form button[type=submit]").click()
    expect(page.locator("#lesson-form .ds-error-summary")).to_be_visible()
    checked(page, "lessons-04-form-errors", allow=[r"status of 400"])
    before = Lesson.objects.count()
    page.locator("#id_title").fill("Felles lager av aggregater på Nord-Jæren")
    page.locator("#id_area").select_option("infrastructure")
    page.locator("#id_source").select_option("incident")
    incident = Incident.objects.get(title="Koronapandemien i Stavanger")
    page.locator("#id_incident").select_option(str(incident.uuid))
    page.locator("#id_what_happened").fill("Kommunene manglet oversikt over hverandres aggregater.")
    page.locator("#id_recommendation").fill(
        "Lag en felles oversikt over aggregater og drivstoff i regionen."
    )
    page.locator("#lesson-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Felles lager av aggregater på Nord-Jæren"
    )
    assert Lesson.objects.count() == before + 1

    page.locator("#id_network").select_option("snb")
    page.locator(".share-form button[type=submit]").click()
    expect(page.locator("#shares table")).to_contain_text("Storbynettverk beredskap")
    lesson = Lesson.objects.get(title="Felles lager av aggregater på Nord-Jæren")
    assert LessonShare.objects.filter(lesson=lesson, network__slug="snb").exists()

    page.locator("#follow-up button[type=submit]").first.click()
    expect(page.locator("#follow-up h2")).not_to_contain_text("Identified")
    lesson.refresh_from_db()
    assert lesson.status == "measure_decided"
    expect(page.locator("table.history-table")).to_be_visible()
    checked(page, "lessons-05-own-lesson-shared-and-followed-up")


def test_exercise_pages_and_lessons(new_page, demo_lessons):
    page = new_page()
    sign_in(page, "bergen_manager")
    page.goto("/laering/ovelser/")
    page.get_by_role("link", name="Øvelse Vestland 2026 – langvarig strømbrudd").click()
    expect(page.locator("#lessons-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Drivstoff til aggregater må avtales")
    checked(page, "lessons-06-exercise")
    page.goto("/laering/ovelser/")
    checked(page, "lessons-07-exercise-list")
