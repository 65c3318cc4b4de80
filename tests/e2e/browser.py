"""Helpers for the browser tests: the per-page checks (axe-core, console errors, CSP
violations) and a screenshot of every main page."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
AXE_PATH = "/static/vendor/axe/axe.min.js"

# Report CSP violations to Python through an exposed binding (not subject to the CSP).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__samvirkeCsp(JSON.stringify({
    directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample,
  }));
});
"""


class BrowserLog:
    """Console errors, uncaught exceptions and CSP violations of a page (a context's
    pages), collected until the next ``assert_clean``."""

    def __init__(self, context, page):
        self.problems = []
        context.expose_binding("__samvirkeCsp", self._csp)
        context.add_init_script(CSP_LISTENER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location})")

    def _csp(self, _source, violation):
        self.problems.append(f"CSP violation: {violation}")

    def assert_clean(self, page, allow=()):
        """No problems since the last check, except messages matching an ``allow``
        regular expression (e.g. the 404 a test asks for on purpose)."""
        problems = [p for p in self.problems if not any(re.search(a, p) for a in allow)]
        self.problems.clear()
        assert not problems, f"{page.url}:\n" + "\n".join(problems)


def check_axe(page):
    """Run axe-core in the page and fail on serious or critical violations (all are
    printed). axe is loaded from our own static files: same origin, so the CSP allows
    it, where an inline script would be blocked."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        page.add_script_tag(url=origin + AXE_PATH)
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 10).map((n) => n.target.join(" ")),
            }));
        }"""
    )
    for v in violations:
        print(f"axe {v['impact']} {v['id']} on {page.url}: {v['help']} {v['targets']}")
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe violations on {page.url}:\n" + json.dumps(bad, indent=2)


def checked(page, name, allow=()):
    """The checks every visited page gets: a full-page screenshot
    (test-results/screenshots/<name>.png), axe, and no console errors or CSP violations."""
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    check_axe(page)
    page.log.assert_clean(page, allow=allow)


# ---- the main menu (templates/portal/main_menu.html) ---------------------------------

MENU_NAME = re.compile(r"^(Hovedmeny|Main menu)$")


def main_menu(page):
    return page.get_by_role("navigation", name=MENU_NAME)


def _whole(text):
    """A name (str: exact) or pattern for an element's whole text."""
    if isinstance(text, str):
        return re.compile(rf"^\s*{re.escape(text)}\s*$")
    return text


def open_menu_group(page, group):
    """Open the main menu's ``group`` (its label, or a pattern for it) the way a person
    does: on a phone first «Meny», then the group's button; returns the group."""
    nav = main_menu(page)
    whole = nav.locator("details.site-nav__menu")
    toggle = whole.locator(":scope > summary")
    if toggle.is_visible() and whole.get_attribute("open") is None:
        toggle.click()
    inner = page.locator("summary.site-nav__top").filter(has_text=_whole(group))
    details = nav.locator("details.site-nav__group").filter(has=inner)
    summary = details.locator(":scope > summary")
    if details.get_attribute("open") is None:
        summary.click()
    return details


def go_to(page, group, entry):
    """Follow ``entry`` (a link's exact name, or a pattern) of the main menu's ``group``."""
    link = open_menu_group(page, group).get_by_role(
        "link", name=entry, exact=isinstance(entry, str) or None
    )
    link.click()
