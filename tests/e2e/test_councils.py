"""The county preparedness council in a real browser (issue 12's acceptance journey):
Rogaland's officer (password + TOTP) opens Rogaland's council, seats Stavanger as invited
(an empty date refused in place first), sees the seat and its history, and the national
overview shows Stavanger invited in Rogaland's council; the officer then reads Vestland's
neighbour pairs (Bergen–Askøy by Askøybrua). Desktop and 390 px; every page checked
(axe, console, CSP) and photographed into test-results/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from networks.structure.models import CouncilMembership
from tests.e2e.browser import checked
from tests.e2e.test_journeys import heading, sign_in, totp_now

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
def test_rogalands_officer_invites_stavanger_and_the_overview_shows_it(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "rogaland_officer")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    page.get_by_label("Kode").fill(totp_now())
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto("/beredskapsrad/")
    stavanger_row = page.locator("#big-cities tbody tr").filter(has_text="Stavanger")
    expect(stavanger_row).to_contain_text("Ingen plass")
    checked(page, f"councils-{width}-01-overview-before")

    page.goto("/beredskapsrad/rogaland/")
    expect(heading(page)).to_have_text(re.compile(r"^Fylkesberedskapsrådet"))
    checked(page, f"councils-{width}-02-rogaland")

    form = page.locator("form[action$='/medlemmer/ny/']")
    form.locator("select[name=organisation]").select_option(label="Stavanger kommune")
    form.locator("select[name=status]").select_option("invited")
    form.locator("input[name=since]").fill("")
    form.locator("button[type=submit]").click()
    expect(page.locator("form[action$='/medlemmer/ny/'] .ds-validation-message")).to_contain_text(
        "påkrevd"
    )
    assert not CouncilMembership.objects.filter(
        council__office__slug="rogaland", organisation__slug="kommune-1103"
    ).exists()
    checked(page, f"councils-{width}-03-form-error", allow=[r"status of 400"])

    form = page.locator("form[action$='/medlemmer/ny/']")
    form.locator("select[name=organisation]").select_option(label="Stavanger kommune")
    form.locator("select[name=status]").select_option("invited")
    form.locator("input[name=since]").fill("2026-12-02")
    form.locator("input[name=note]").fill("Anbefaling 5 i KPMG-rapporten")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/beredskapsrad/rogaland/")
    seats = page.locator("main table").first
    expect(seats.locator("tr").filter(has_text="Stavanger kommune")).to_contain_text("Invitert")
    history = page.locator("section[aria-labelledby=history-heading] table")
    expect(history.locator("tr").filter(has_text="Stavanger kommune")).to_be_visible()
    checked(page, f"councils-{width}-04-stavanger-invited")

    page.goto("/beredskapsrad/")
    stavanger_row = page.locator("#big-cities tbody tr").filter(has_text="Stavanger")
    expect(stavanger_row).to_contain_text("Invitert")
    expect(stavanger_row).to_contain_text("Rogaland")
    checked(page, f"councils-{width}-05-overview-after")

    page.goto("/katalog/statsforvaltere/vestland/naboer/")
    pairs = page.locator("#neighbour-pairs")
    askoy = pairs.locator("tr").filter(has_text="Askøy").filter(has_text="Bergen")
    expect(askoy).to_contain_text("Askøybrua")
    expect(page.locator("form[action$='/naboer/ny/']")).to_have_count(0)  # not their region
    checked(page, f"councils-{width}-06-vestland-neighbours")
