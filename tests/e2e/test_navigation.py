"""The main menu in a real browser at a desktop's, a tablet's and a phone's width: at most
six top-level entries on one row at 1280 px; up to 768 px one «Meny» disclosure that
leaves the page's heading on the first screen; groups opened and closed by keyboard; the
current place marked; and all of it without JavaScript too. Every state is checked with
axe and photographed (test-results/screenshots/nav-*.png)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import SCREENSHOTS, checked, main_menu, open_menu_group
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_journeys import heading, sign_in
from tests.personas import PASSWORD, PERSONAS

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
GROUPS = ["Hendelser", "Rapportering", "Samarbeid", "Kunnskap", "Katalog"]


def top_level(page):
    return main_menu(page).locator(".site-nav__list > li")


def _summary(page, label):
    return page.locator("summary.site-nav__top").filter(has_text=re.compile(rf"^\s*{label}\s*$"))


def group(page, label):
    return main_menu(page).locator("details.site-nav__group").filter(has=_summary(page, label))


def summary(page, label):
    return group(page, label).locator(":scope > summary")


def test_desktop_menu_one_row_by_keyboard(page):
    sign_in(page, "bergen_manager")
    expect(heading(page)).to_be_visible()
    entries = top_level(page)
    expect(entries).to_have_count(6)
    expect(entries.first).to_have_text("Nå")
    for label in GROUPS:
        expect(summary(page, label)).to_be_visible()
    tops = {round(entries.nth(i).bounding_box()["y"]) for i in range(entries.count())}
    assert len(tops) == 1, f"the menu wraps at 1280 px: rows at {tops}"
    expect(main_menu(page).locator("summary.site-nav__toggle")).to_be_hidden()
    expect(main_menu(page).get_by_role("link", name="Nå")).to_have_attribute("aria-current", "page")
    # the header holds profile, language and log-out; the footer the API documentation
    expect(page.locator("header").get_by_role("link", name="Profil")).to_be_visible()
    expect(page.locator("header").get_by_role("button", name="Logg ut")).to_be_visible()
    expect(page.locator("header").get_by_role("button", name="English")).to_be_visible()
    expect(page.locator("footer").get_by_role("link", name="API-dokumentasjon")).to_be_visible()
    checked(page, "nav-1280-closed")

    # Keyboard: Enter opens a group, Tab reaches its links, Escape closes it again.
    hendelser = summary(page, "Hendelser")
    hendelser.focus()
    page.keyboard.press("Enter")
    expect(group(page, "Hendelser")).to_have_attribute("open", "")
    first = group(page, "Hendelser").get_by_role("link").first
    expect(first).to_be_visible()
    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    checked(page, "nav-1280-incidents-open")
    page.keyboard.press("Escape")
    expect(group(page, "Hendelser")).not_to_have_attribute("open", "")
    expect(hendelser).to_be_focused()

    # Opening another group closes the first; Space works as Enter does.
    page.keyboard.press("Space")
    expect(group(page, "Hendelser")).to_have_attribute("open", "")
    summary(page, "Rapportering").focus()
    page.keyboard.press("Enter")
    expect(group(page, "Rapportering")).to_have_attribute("open", "")
    expect(group(page, "Hendelser")).not_to_have_attribute("open", "")
    link = group(page, "Rapportering").get_by_role("link", name="Rapporteringsrunder")
    link.focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Rapporteringsrunder")
    expect(summary(page, "Rapportering")).to_have_attribute("aria-current", "true")
    marked = group(page, "Rapportering").locator("a[aria-current='page']")
    expect(marked).to_have_text("Rapporteringsrunder")  # inside the closed group
    expect(group(page, "Rapportering")).not_to_have_attribute("open", "")  # a new page
    checked(page, "nav-1280-rounds-current")

    # A click elsewhere closes an open group.
    open_menu_group(page, "Katalog")
    heading(page).click()
    expect(group(page, "Katalog")).not_to_have_attribute("open", "")
    # A municipal manager sees neither the form builder nor the KS summary.
    open_menu_group(page, "Rapportering")
    expect(main_menu(page).get_by_role("link", name="Skjemabygger")).to_have_count(0)
    expect(main_menu(page).get_by_role("link", name="KS-sammendrag")).to_have_count(0)


def assert_fits_first_screen(page, size):
    """The closed menu leaves the page's heading on the first screen."""
    box = heading(page).bounding_box()
    assert box is not None and box["y"] + box["height"] <= size["height"], box
    nav_box = main_menu(page).bounding_box()
    assert nav_box["y"] + nav_box["height"] < box["y"], (nav_box, box)
    return box["y"] + box["height"]


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["390", "768"])
def test_small_screens_one_menu_button(page, size):
    page.set_viewport_size(size)
    sign_in(page, "bergen_manager")
    expect(heading(page)).to_be_visible()
    toggle = main_menu(page).locator("summary.site-nav__toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Meny")
    expect(top_level(page).first).to_be_hidden()
    bottom = assert_fits_first_screen(page, size)
    print(f"{size['width']} px: the heading ends at {bottom:.0f} px of {size['height']}")
    no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_overflow)
    checked(page, f"nav-{size['width']}-closed")

    # Keyboard: Enter opens «Meny»; the six entries stack; Enter opens a group.
    toggle.focus()
    page.keyboard.press("Enter")
    entries = top_level(page)
    expect(entries).to_have_count(6)
    for i in range(6):
        expect(entries.nth(i)).to_be_visible()
    lefts = {round(entries.nth(i).bounding_box()["x"]) for i in range(6)}
    assert len(lefts) == 1, f"the entries should stack in one column: {lefts}"
    summary(page, "Katalog").focus()
    page.keyboard.press("Enter")
    kart = group(page, "Katalog").get_by_role("link", name="Kart", exact=True)
    expect(kart).to_be_visible()
    assert page.evaluate(no_overflow)
    checked(page, f"nav-{size['width']}-directory-open")
    # Escape closes the group, then the menu, focus back on each button.
    page.keyboard.press("Escape")
    expect(summary(page, "Katalog")).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_be_focused()
    expect(entries.first).to_be_hidden()

    # Follow an entry; the next page starts with the menu closed, the place marked.
    open_menu_group(page, "Kunnskap").get_by_role("link", name="Bibliotek").click()
    expect(heading(page)).to_have_text("Bibliotek")
    expect(entries.first).to_be_hidden()
    assert_fits_first_screen(page, size)
    expect(summary(page, "Kunnskap")).to_have_attribute("aria-current", "true")
    checked(page, f"nav-{size['width']}-library")


def test_menu_works_without_javascript(browser, live_server, e2e_data):
    """No script: the desktop row shows itself, and on a phone «Meny» and the groups
    are plain <details> that open by click and by keyboard."""
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False, viewport=PHONE
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/")  # the log-in form, without the checks (axe needs a script)
        page.get_by_label("E-post").fill(PERSONAS["bergen_manager"].email)
        page.get_by_label("Passord", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()
        expect(heading(page)).to_be_visible()
        toggle = main_menu(page).locator("summary.site-nav__toggle")
        expect(top_level(page).first).to_be_hidden()
        toggle.focus()
        page.keyboard.press("Enter")
        summary(page, "Samarbeid").click()
        group(page, "Samarbeid").get_by_role("link", name="Ressurser").click()
        expect(heading(page)).to_have_text("Ressurser")
        page.screenshot(path=SCREENSHOTS / "nav-390-no-js.png", full_page=True)

        page.set_viewport_size({"width": 1280, "height": 900})
        expect(toggle).to_be_hidden()
        expect(top_level(page)).to_have_count(6)
        expect(summary(page, "Samarbeid")).to_be_visible()
        expect(summary(page, "Samarbeid")).to_have_attribute("aria-current", "true")
        summary(page, "Hendelser").click()
        group(page, "Hendelser").get_by_role("link", name="Mine oppgaver").click()
        expect(heading(page)).to_have_text("Mine oppgaver")
        page.screenshot(path=SCREENSHOTS / "nav-1280-no-js.png", full_page=True)
    finally:
        context.close()
