"""The form builder in a real browser: Vestland's officer defines a short form (three
sections: a sector status, a population-weighted percentage, a required number with a
range), previews it, publishes it and issues a round with it; Bergen's emergency manager
submits, and a wrong value gets its Norwegian message in place. Every page visited is
checked (axe, console, CSP) and photographed, the editor and the preview at 390 px too."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import ReportForm, Submission
from tests.e2e.browser import checked
from tests.e2e.test_reporting_loop import heading, sign_in_municipality, sign_in_officer

pytestmark = pytest.mark.e2e

TITLE = "Kort statusrapport Vestland"


def add_section(page, index, key, title):
    if index:
        page.locator("#add-section-form").locator("xpath=..").locator("summary").click()
    page.locator("#id_new-title").fill(title)
    page.locator("#id_new-key").fill(key)
    page.locator("#add-section-form button[type=submit]").click()
    expect(page.locator(f"#s{index}-heading")).to_contain_text(title)


def add_field(page, s, **values):
    page.locator(f"#s{s} > details").last.locator("summary").click()
    prefix = f"#id_s{s}new-"
    page.locator(prefix + "type").select_option(values.pop("type"))
    if values.pop("required", False):
        page.locator(prefix + "required").check()
    if "aggregate" in values:
        page.locator(prefix + "aggregate").select_option(values.pop("aggregate"))
    for name, value in values.items():
        page.locator(prefix + name).fill(value)
    page.locator(f"#s{s} > details").last.locator("button[type=submit]").click()
    expect(page.locator(f"#s{s} .builder-field").last).to_contain_text(values["label"])


def test_officer_builds_publishes_and_a_municipality_submits(new_page):
    page = new_page()
    sign_in_officer(page)
    page.goto("/rapportering/skjemabygger/")
    checked(page, "builder-01-list")
    page.locator(".page-title a.ds-button").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_kind").select_option("short")
    page.locator("#builder-create-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/rapportering/skjemabygger/[0-9a-f-]{36}/$"))

    add_section(page, 0, "vann", "Vann og avløp")
    add_field(
        page,
        0,
        type="sector_status",
        label="Status for vann og avløp",
        key="vann_status",
        required=True,
    )
    add_section(page, 1, "strom", "Strøm")
    add_field(
        page, 1, type="decimal", label="Andel husstander uten strøm", key="uten_strom",
        unit="%", min="0", max="100", aggregate="weighted_mean",
    )  # fmt: skip
    add_section(page, 2, "folk", "Befolkning")
    add_field(
        page, 2, type="integer", label="Evakuerte personer", key="evakuerte", min="0", max="5000",
        required=True,
    )  # fmt: skip
    expect(page.locator("#draft-problems")).to_have_count(0)
    checked(page, "builder-02-editor")
    page.set_viewport_size({"width": 390, "height": 900})
    checked(page, "builder-03-editor-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name=re.compile("Forhåndsvis")).click()
    expect(page.locator("#field-evakuerte")).to_be_visible()
    page.locator("#field-evakuerte").fill("9000")
    page.locator("#preview-form button[type=submit]").click()
    expect(page.locator("#preview-form")).to_contain_text("Må være høyst 5000.")
    checked(page, "builder-04-preview", allow=[r"status of 400"])
    page.set_viewport_size({"width": 390, "height": 900})
    checked(page, "builder-05-preview-390", allow=[r"status of 400"])
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Tilbake til redigeringen").first.click()
    page.get_by_role("button", name="Publiser som versjon 1").click()
    expect(page).to_have_url(re.compile(r"/rapportering/skjema/[0-9a-f-]{36}/$"))
    form = ReportForm.objects.get(title=TITLE)
    version = form.versions.get()
    assert version.definition["sections"][1]["fields"][0]["aggregate"] == "weighted_mean"
    checked(page, "builder-06-published")

    page.goto("/rapportering/runder/ny/")
    page.locator("#id_form").select_option(label=TITLE)
    page.locator("#id_title").fill("Status etter uværet")
    deadline = timezone.localtime(timezone.now() + timedelta(hours=3))
    page.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Statsforvalteren i Vestland").check()
    page.get_by_role("button", name="Send ut runden").click()
    expect(heading(page)).to_have_text("Status etter uværet")

    submission = Submission.objects.get(
        round__form_version=version, municipality__slug="kommune-4601"
    )
    bergen = new_page()
    sign_in_municipality(bergen, "bergen_manager@test.samvirke.no")
    bergen.goto(f"/rapportering/innsendinger/{submission.uuid}/")
    bergen.locator("#vann_status-yellow").check()
    bergen.locator("#field-uten_strom").fill("12,5")
    bergen.locator("#field-evakuerte").fill("9000")
    bergen.locator("button[name=action][value=submit]").click()
    message = (
        bergen.locator("#field-evakuerte").locator("xpath=..").locator(".ds-validation-message")
    )
    expect(message).to_have_text("Må være høyst 5000.")
    checked(bergen, "builder-07-bergen-error", allow=[r"status of 400"])
    bergen.locator("#field-evakuerte").fill("120")
    bergen.locator("button[name=action][value=submit]").click()
    expect(bergen.locator("#receipt")).to_be_visible()
    checked(bergen, "builder-08-bergen-receipt")
    submission.refresh_from_db()
    assert submission.answers["evakuerte"] == 120
