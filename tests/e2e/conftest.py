"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
``live_server``. One browser per session, a fresh context and page per test; on failure
the page's screenshot and HTML are saved under test-results/."""

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
def page(browser, live_server, e2e_data, request):
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.log = BrowserLog(context, page)
    yield page
    reports = [getattr(request.node, f"rep_{when}", None) for when in ("setup", "call")]
    if any(report is not None and report.failed for report in reports):
        RESULTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=RESULTS / f"{stem}.png", full_page=True)
            (RESULTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # the page may be gone; the test's own error matters more
            print(f"could not save the failing page: {error}")
    context.close()
