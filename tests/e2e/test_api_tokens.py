"""API tokens in a real browser: an officer logs in with password and TOTP, makes a named
token on the profile's «API-nøkler» page (shown once), uses it against the API, and
revokes it — at desktop width and on a phone. Every page is checked with axe and
photographed into test-results/screenshots/."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from portal.models import ApiToken
from tests.e2e.browser import checked
from tests.e2e.test_journeys import heading, sign_in, totp_now
from tests.personas import user

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390])
def test_an_officer_makes_uses_and_revokes_an_api_token(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "vestland_officer")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    page.get_by_label("Kode").fill(totp_now())
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto("/profil/")
    page.get_by_role("link", name="API-nøkler").click()
    expect(heading(page)).to_have_text("API-nøkler")
    expect(page.get_by_text("Du har ingen API-nøkler.")).to_be_visible()
    checked(page, f"api-tokens-{width}-01-empty")

    name = f"Krisestøtteverktøy {width}"
    page.get_by_label("Navn").fill(name)
    page.get_by_role("button", name="Lag nøkkel").click()
    plain = page.locator("#new-api-token").inner_text()
    assert plain.startswith("samvirke_")
    expect(page.get_by_role("row").filter(has_text=name)).to_be_visible()
    checked(page, f"api-tokens-{width}-02-made")
    # the long token wraps inside the page, also on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    token = ApiToken.objects.get(name=name)
    assert plain not in str(token.digest)  # only the digest is kept

    api = Client()
    response = api.get("/api/v1/me/", headers={"Authorization": f"Token {plain}"})
    assert response.status_code == 200
    assert response.json()["email"] == user("vestland_officer").email

    # shown once: opening the page again lists the token but never shows it
    page.goto("/profil/api-nokler/")
    expect(page.locator("#new-api-token")).to_have_count(0)
    page.get_by_role("row").filter(has_text=name).get_by_role(
        "button", name="Trekk tilbake"
    ).click()
    expect(page.get_by_text("Du har ingen API-nøkler.")).to_be_visible()
    checked(page, f"api-tokens-{width}-03-revoked")
    response = api.get("/api/v1/me/", headers={"Authorization": f"Token {plain}"})
    assert response.status_code == 401
