"""The acceptance journeys in a real browser: two roles log in through the real forms
(password; password + TOTP), walk the directory and the map, open the rosters they may
see (and get 404 for one they may not), and the keyboard basics (skip link, language
switch). Every page visited is checked with axe-core, for console errors and for CSP
violations, and photographed into test-results/screenshots/."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from networks.structure.models import ContactEntry, Organisation
from tests.e2e.browser import checked, go_to
from tests.helpers import totp_now
from tests.personas import PASSWORD, PERSONAS

pytestmark = pytest.mark.e2e

MUNICIPALITY_COUNT = 357
NOT_FOUND = r"status of 404"  # Chromium logs the 404 response of a page asked for on purpose


def nav(page):
    return page.get_by_role("navigation", name="Hovedmeny")


def heading(page):
    return page.get_by_role("heading", level=1)


def sign_in(page, name):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/konto/login/"))
    expect(heading(page)).to_have_text("Logg inn i Samvirke")
    checked(page, f"{name}-01-login")
    page.get_by_label("E-post").fill(PERSONAS[name].email)
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def contact_names(org_slug):
    """The names on an organisation's roster, whichever data set filled it."""
    names = ContactEntry.objects.filter(organisation__slug=org_slug).values_list("name", flat=True)
    names = sorted(set(names))
    assert names, f"no crisis contacts for {org_slug}"
    return names


def assert_roster(page, org_slug):
    rows = page.locator("main table tbody tr")
    for name in contact_names(org_slug):
        expect(rows.filter(has_text=name).first).to_be_visible()


def walk_map(page, name):
    """Open the map from the navigation, wait for Leaflet to draw every municipality,
    hover one and click it: the tooltip's municipality is the page that opens."""
    go_to(page, "Katalog", "Kart")
    expect(heading(page)).to_have_text("Kart over statsforvalterregionene")
    polygons = page.locator("#map path.leaflet-interactive")
    expect(polygons).to_have_count(MUNICIPALITY_COUNT)
    checked(page, f"{name}-map")

    # A large polygon whose centre is its own (not sea, not a neighbour) is easy to hit;
    # the tooltip names the municipality, and the click must open that page.
    x, y = page.evaluate(
        """() => {
            const hits = [];
            for (const path of document.querySelectorAll("#map path.leaflet-interactive")) {
                const r = path.getBoundingClientRect();
                const x = r.x + r.width / 2, y = r.y + r.height / 2;
                if (document.elementFromPoint(x, y) === path) hits.push([r.width * r.height, x, y]);
            }
            hits.sort((a, b) => b[0] - a[0]);
            return hits[0].slice(1);
        }"""
    )
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip strong")
    expect(tooltip).to_be_visible()
    label = tooltip.inner_text()
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"/katalog/kommuner/\d{4}/$"))
    expect(heading(page)).to_have_text(label)
    checked(page, f"{name}-map-click")


def test_municipal_manager_walks_directory_and_map(page, live_server):
    """bergen_manager: password login, the directory from office to municipality, the
    HTMX filter, the map, and the own crisis contact roster."""
    sign_in(page, "bergen_manager")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page)).to_have_text("Nå")  # the start page
    expect(page.locator("main .lead")).to_contain_text("Velkommen, Bergen")
    expect(nav(page).get_by_role("link", name="Nå")).to_have_attribute("aria-current", "page")
    checked(page, "bergen_manager-02-home")

    # Directory: office → county → municipality
    go_to(page, "Katalog", "Statsforvaltere og fylker")
    expect(heading(page)).to_have_text("Katalog")
    expect(page.locator("main table tbody tr")).to_have_count(10)
    checked(page, "bergen_manager-03-directory")
    page.get_by_role("link", name="Statsforvalteren i Vestland").click()
    expect(heading(page)).to_have_text("Statsforvalteren i Vestland")
    checked(page, "bergen_manager-04-office")
    page.get_by_role("heading", name="Vestland").get_by_role("link").click()
    expect(heading(page)).to_have_text("Vestland")
    expect(page.locator("main table tbody tr")).to_have_count(43)
    checked(page, "bergen_manager-05-county")
    page.get_by_role("link", name="Bergen", exact=True).click()
    expect(heading(page)).to_have_text("Bergen")
    expect(page.locator(".facts")).to_contain_text("4601")
    checked(page, "bergen_manager-06-municipality")

    # The filterable list: typing filters through HTMX and pushes the URL
    page.get_by_role("navigation", name="Du er her:").get_by_role("link", name="Katalog").click()
    page.get_by_role("link", name="Alle kommuner").click()
    expect(heading(page)).to_have_text("Kommuner")
    count = page.locator(".results-count")
    expect(count).to_contain_text(f"{MUNICIPALITY_COUNT} kommuner")
    checked(page, "bergen_manager-07-municipality-list")
    with page.expect_request(lambda r: "q=Sand" in r.url and r.headers.get("hx-request")):
        page.get_by_label("Søk").press_sequentially("Sand", delay=30)
    expect(page).to_have_url(re.compile(r"/katalog/kommuner/\?.*q=Sand"))
    expect(count).not_to_contain_text(str(MUNICIPALITY_COUNT))
    rows = page.locator("#results tbody tr")
    expect(rows.first).to_be_visible()
    assert 1 < rows.count() < 20
    expect(rows.get_by_role("link", name="Sandnes")).to_be_visible()
    for text in rows.locator("td:nth-child(2)").all_inner_texts():
        assert "sand" in text.lower(), text
    expect(page.get_by_label("Søk")).to_be_focused()  # the swap left the field alone
    checked(page, "bergen_manager-08-municipality-filtered")

    walk_map(page, "bergen_manager")

    # The own roster, from the navigation
    go_to(page, "Katalog", "Beredskapskontakter")
    expect(heading(page)).to_have_text("Beredskapskontakter: Bergen kommune")
    assert_roster(page, "kommune-4601")
    expect(page.get_by_role("link", name="Legg til en kontakt")).to_be_visible()
    checked(page, "bergen_manager-09-roster")


def test_officer_with_totp_walks_directory_map_and_rosters(page, live_server):
    """vestland_officer: password, then the TOTP step; the office and its council, the
    map, Bergen's roster (their region) — and 404 for Stavanger's (another region)."""
    sign_in(page, "vestland_officer")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    expect(heading(page)).to_have_text("Tofaktorautentisering")
    checked(page, "vestland_officer-02-totp")
    page.get_by_label("Kode").fill(totp_now())
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page)).to_have_text("Nå")  # the start page
    expect(page.locator("main .lead")).to_contain_text("Velkommen, Vestland")
    checked(page, "vestland_officer-03-home")

    go_to(page, "Katalog", "Statsforvaltere og fylker")
    page.get_by_role("link", name="Statsforvalteren i Vestland").click()
    expect(heading(page)).to_have_text("Statsforvalteren i Vestland")
    checked(page, "vestland_officer-04-office")
    page.get_by_role("link", name="Medlemmene i rådet").click()
    expect(heading(page)).to_have_text(re.compile(r"^Fylkesberedskapsrådet"))
    expect(page.get_by_role("region", name="Medlemmer og inviterte")).to_be_visible()
    checked(page, "vestland_officer-05-council")

    walk_map(page, "vestland_officer")

    # The keyboard-accessible list beside the map leads to Bergen too
    go_to(page, "Katalog", "Kart")
    vestland = page.locator("[data-office=vestland] details")
    vestland.locator("summary").click()
    vestland.get_by_role("link", name="Bergen", exact=True).click()
    expect(heading(page)).to_have_text("Bergen")
    page.log.assert_clean(page)

    # Bergen's roster is the officer's to see
    page.get_by_role("link", name="Beredskapskontaktene til Bergen").click()
    expect(heading(page)).to_have_text("Beredskapskontakter: Bergen kommune")
    assert_roster(page, "kommune-4601")
    expect(page.get_by_role("link", name="Legg til en kontakt")).to_have_count(0)
    checked(page, "vestland_officer-06-bergen-roster")

    # Stavanger's is not: the plain 404 page
    stavanger = Organisation.objects.get(slug="kommune-1103")
    hidden = contact_names("kommune-1103")
    response = page.goto(reverse("networks:roster", kwargs={"org_uuid": stavanger.uuid}))
    assert response.status == 404
    expect(heading(page)).to_have_text("Fant ikke siden")
    for name in hidden:
        expect(page.get_by_text(name)).to_have_count(0)
    checked(page, "vestland_officer-07-stavanger-roster-404", allow=[NOT_FOUND])


def test_keyboard_skip_link_and_language_switch(page):
    """The skip link is the first Tab stop and moves focus to the main content; the
    language switch turns the page into English."""
    sign_in(page, "bergen_reader")
    expect(heading(page)).to_have_text("Nå")  # the start page
    expect(page.locator("main .lead")).to_contain_text("Velkommen, Bergen")
    go_to(page, "Katalog", "Statsforvaltere og fylker")
    expect(page.locator("html")).to_have_attribute("lang", "nb")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til hovedinnhold")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # visible when focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside main, not back in the header
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")

    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading(page)).to_have_text("Directory")
    expect(nav(page)).to_have_count(0)  # the menu is now "Main menu"
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    expect(page.get_by_role("button", name="Norsk (bokmål)")).to_be_visible()
    checked(page, "bergen_reader-directory-english")
