"""The resource overview and assistance agreements in a real browser: Bergen's emergency
manager finds resources near Bergen (HTMX filter, URL pushed, markers on the map, the
table beside it), registers a resource (a negative quantity refused in place first) and
shares it with the Vestland region; opens the agreements, registers one (one party and an
end before the start refused in place first). Every page is checked (axe, console, CSP)
and photographed into test-results/screenshots/."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from networks.resources.models import Agreement, Resource, ResourceShare
from tests.e2e.browser import checked
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.e2e


def test_find_keep_and_share_resources_and_agreements(new_page):
    call_command("load_demo_resources", verbosity=0)
    page = new_page()
    sign_in(page, "bergen_manager")
    expect(page).to_have_url(re.compile(r"/$"))

    # find: the list and the map, filtered near Bergen without a page load
    page.goto("/ressurser/")
    expect(page.locator("#results table")).to_be_visible()
    expect(page.locator("#resource-map path.leaflet-interactive").first).to_be_attached()
    checked(page, "resources-01-list")
    page.locator("select[name=near]").select_option("4601")
    expect(page).to_have_url(re.compile(r"near=4601"))
    expect(page.locator("#results")).to_contain_text("Kriseledelsesstøtte")
    expect(page.locator("#results")).not_to_contain_text("Mobilt aggregat 250 kVA")
    page.locator("select[name=category]").select_option("personnel")
    expect(page).to_have_url(re.compile(r"category=personnel"))
    expect(page.locator("#results")).not_to_contain_text("Evakueringssenter Bergen")
    expect(page.locator("#resource-map path.leaflet-interactive").first).to_be_attached()
    checked(page, "resources-02-near-bergen")

    # keep: a negative quantity is refused in place, then the resource is saved
    page.goto("/ressurser/ny/")
    form = page.locator("#resource-form")
    form.locator("select[name=category]").select_option("pumps")
    form.locator("input[name=name]").fill("Lensepumper Fana")
    form.locator("input[name=quantity]").fill("-2")
    form.locator("input[name=unit]").fill("stk.")
    form.locator("input[name=lendable]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#resource-form .ds-validation-message")).to_contain_text(
        re.compile("negative|negativ")
    )
    assert not Resource.objects.filter(name="Lensepumper Fana").exists()
    checked(page, "resources-03-form-error", allow=[r"status of 400"])
    page.locator("#resource-form input[name=quantity]").fill("6")
    page.locator("#resource-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ressurser/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lensepumper Fana")

    # share with the Vestland region (HTMX form; the page moves on)
    share = page.locator("#share-form")
    share.locator("select[name=office]").select_option(label="Statsforvalteren i Vestland")
    share.locator("button[type=submit]").click()
    expect(page.locator("#share-section li")).to_contain_text("Statsforvalteren i Vestland")
    resource = Resource.objects.get(name="Lensepumper Fana")
    assert ResourceShare.objects.filter(resource=resource, office__slug="vestland").exists()
    checked(page, "resources-04-detail-shared")

    # agreements: the list (the demo's Bergen agreement), then a new one
    page.goto("/avtaler/")
    expect(page.locator("table")).to_contain_text("Bergen og nabokommunene")
    checked(page, "resources-05-agreements")
    page.get_by_role("link", name="Bergen og nabokommunene: støtte til kriseledelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bergen og nabokommunene: støtte til kriseledelse"
    )
    expect(page.locator("main")).to_contain_text("Kriseledelsesstøtte")
    checked(page, "resources-06-agreement-detail")

    page.goto("/avtaler/ny/")
    form = page.locator("#agreement-form")
    form.locator("input[name=title]").fill("Lån av lensepumper Fana–Askøy")
    form.locator("textarea[name=scope]").fill("Utlån av lensepumper ved flom.")
    form.locator("input[name=valid_from]").fill("2026-06-01")
    form.locator("input[name=valid_until]").fill("2026-01-01")
    form.locator("button[type=submit]").click()
    errors = page.locator("#agreement-form .ds-validation-message")
    expect(errors.first).to_be_visible()
    expect(page.locator("#agreement-form")).to_contain_text(re.compile("two parties|to parter"))
    assert not Agreement.objects.filter(title__startswith="Lån av lensepumper").exists()
    checked(page, "resources-07-agreement-error", allow=[r"status of 400"])
    form = page.locator("#agreement-form")
    form.locator("input[name=valid_until]").fill("2027-06-01")
    form.locator("select[name=parties]").select_option(label=["Bergen kommune", "Askøy kommune"])
    form.get_by_label(re.compile("Lensepumper Fana")).check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/avtaler/[0-9a-f-]{36}/$"))
    expect(page.locator("main")).to_contain_text("Askøy kommune")
    expect(page.locator("main")).to_contain_text("Lensepumper Fana")
    checked(page, "resources-08-agreement-saved")
