"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
``live_server``. One browser per session, a fresh context and page per test (``new_page``
opens more, one context each, for a second user); on failure the pages' screenshots and
HTML are saved under test-results/."""

import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from tests.e2e.browser import RESULTS, BrowserLog

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (``item.rep_setup``, ``item.rep_call``) so the
    page fixture knows at teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt install chromium)")
    # Playwright's sync API runs an event loop in this thread, which trips Django's
    # async-safety check; the ORM calls of the DB fixtures are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def e2e_data(committed_reference_data):
    """The structure and personas, committed; no rate limits or used TOTP codes left in
    the cache by earlier tests."""
    cache.clear()


@pytest.fixture
def new_page(browser, live_server, e2e_data, request):
    """``new_page()`` opens a page in a fresh browser context of its own (own cookies: a
    second user beside the first). At teardown every page's screenshot and HTML are saved
    if the test failed, and the contexts are closed."""
    pages = []

    def _new_page():
        context = browser.new_context(
            base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.log = BrowserLog(context, page)
        pages.append(page)
        return page

    yield _new_page
    reports = [getattr(request.node, f"rep_{when}", None) for when in ("setup", "call")]
    if any(report is not None and report.failed for report in reports):
        RESULTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for number, page in enumerate(pages):
            name = stem if number == 0 else f"{stem}-{number + 1}"
            try:
                (RESULTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
                page.screenshot(path=RESULTS / f"{name}.png", full_page=True)
            except Exception as error:  # the page may be gone; the test's own error matters
                print(f"could not save the failing page: {error}")
    for page in pages:
        page.context.close()


@pytest.fixture
def page(new_page):
    return new_page()
