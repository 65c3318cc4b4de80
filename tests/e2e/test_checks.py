"""The browser checks themselves: axe, the console and the CSP listener must catch a
real problem, or the journeys would pass for nothing."""

import pytest

from tests.e2e.browser import check_axe

pytestmark = pytest.mark.e2e


def test_checks_catch_axe_violations_console_errors_and_csp(page):
    page.goto("/konto/login/")
    page.log.assert_clean(page)

    # An image without alternative text is a critical axe violation.
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_axe(page)

    # An inline script is refused by the CSP: reported both as a violation and in the console.
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("window.inlineRan") is None
    page.wait_for_timeout(100)  # the violation event is dispatched asynchronously
    with pytest.raises(AssertionError, match="CSP violation: .*script-src"):
        page.log.assert_clean(page)
