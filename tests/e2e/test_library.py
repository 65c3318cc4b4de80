"""The library in a real browser: Stavanger's emergency manager publishes a draft local
regulation to Nord-Jæren; a Sandnes emergency manager finds it (search as you type),
adopts it; Stavanger publishes version 2; Sandnes is notified and reads the diff from
the notification; Rogaland's office officer (TOTP) sees the sharing and the adoption.
Every page visited is checked (axe, console, CSP) and photographed."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from networks.library.models import Adoption, Document
from networks.structure.models import Organisation
from portal.models import Notification, RoleAssignment
from tests.e2e.browser import checked
from tests.e2e.test_journeys import sign_in, totp_now
from tests.e2e.test_reporting_loop import heading, sign_in_municipality
from tests.personas import PASSWORD

pytestmark = pytest.mark.e2e

TITLE = "Lokal forskrift om smitteverntiltak på Nord-Jæren"
V1 = """### § 1 Formål
Forskriften skal begrense spredning av smitte.

### § 2 Arrangementer
Inntil 50 personer kan delta på arrangementer innendørs.

### § 3 Varighet
Forskriften gjelder i 14 dager."""
V2 = V1.replace("50 personer", "20 personer").replace("14 dager", "28 dager")


def make_sandnes_manager():
    user = get_user_model().objects.create_user(
        username="sandnes_e2e",
        email="sandnes_e2e@test.samvirke.no",
        password=PASSWORD,
        first_name="Siri",
        last_name="Sandnes",
    )
    RoleAssignment.objects.create(
        user=user,
        organisation=Organisation.objects.get(slug="kommune-1108"),
        role="emergency_manager",
    )
    return user


def test_a_regulation_spreads_in_nord_jaeren_and_in_line_with_the_office(new_page):
    sandnes_user = make_sandnes_manager()

    # Stavanger writes the draft and shares it with Nord-Jæren.
    stavanger = new_page()
    sign_in_municipality(stavanger, "stavanger_manager@test.samvirke.no")
    stavanger.goto("/bibliotek/")
    checked(stavanger, "library-01-list-empty")
    stavanger.locator("a[href='/bibliotek/nytt/']").click()
    stavanger.locator("#id_kind").select_option("local_regulation")
    stavanger.locator("#id_title").fill(TITLE)
    stavanger.locator("#id_topic").fill("Smittevern")
    stavanger.locator("#id_body").fill(V1)
    checked(stavanger, "library-02-new")
    stavanger.locator("#document-form button[type=submit]").click()
    expect(heading(stavanger)).to_have_text(TITLE)
    document = Document.objects.get(title=TITLE)
    stavanger.locator("#sharing summary").click()
    stavanger.locator("#id_network").select_option("nord-jaeren")
    # A plain form post: wait for the page it leads to (a busy machine takes its time).
    with stavanger.expect_navigation():
        stavanger.locator("#share-form button[type=submit]").click()
    expect(stavanger.locator("#shared-with")).to_contain_text("Nord-Jæren")
    expect(stavanger.locator("#shared-with")).to_contain_text("Statsforvalteren i Rogaland")
    checked(stavanger, "library-03-shared")

    # Sandnes finds it by searching as it types, and adopts it.
    sandnes = new_page()
    sign_in_municipality(sandnes, sandnes_user.email)
    sandnes.goto("/bibliotek/")
    with sandnes.expect_response(lambda r: "q=forskriften" in r.url):
        sandnes.locator("#id_q").press_sequentially("forskriften", delay=20)
    expect(sandnes.locator("#results")).to_contain_text(TITLE)
    assert "q=forskriften" in sandnes.url  # pushed: the search has an address
    checked(sandnes, "library-04-search")
    sandnes.get_by_role("link", name=TITLE).click()
    expect(heading(sandnes)).to_have_text(TITLE)
    checked(sandnes, "library-05-shared-with-sandnes")
    sandnes.locator("#adopt-form button[type=submit]").click()
    expect(sandnes.locator("#origin")).to_be_visible()
    adoption = Adoption.objects.get(source=document)
    assert adoption.copy.owner.slug == "kommune-1108" and adoption.source_version.number == 1
    expect(sandnes).to_have_url(re.compile(rf"/bibliotek/{adoption.copy.uuid}/$"))
    checked(sandnes, "library-06-adopted-copy")

    # Stavanger publishes version 2.
    stavanger.reload()
    expect(stavanger.locator("#adoptions")).to_contain_text("Sandnes")
    stavanger.locator(f"a[href='/bibliotek/{document.uuid}/ny-versjon/']").click()
    stavanger.locator("#id_body").fill(V2)
    stavanger.locator("#id_change_note").fill("Færre deltakere, lengre varighet")
    checked(stavanger, "library-07-new-version")
    stavanger.locator("#version-form button[type=submit]").click()
    expect(heading(stavanger)).to_have_text(TITLE)
    document.refresh_from_db()
    assert document.current_number == 2
    assert list(document.versions.order_by("number").values_list("body", flat=True)) == [V1, V2]

    # Sandnes is notified and reads the diff from the notification.
    notice = Notification.objects.get(recipient=sandnes_user, kind="new_version")
    sandnes.goto("/varsler/")
    expect(sandnes.locator(".notification").first).to_contain_text(TITLE)
    checked(sandnes, "library-08-notification")
    sandnes.locator(f".notification a[href='{notice.url}']").click()
    expect(sandnes).to_have_url(re.compile(r"/endringer/\?fra=1&til=2$"))
    diff = sandnes.locator("#diff")
    expect(diff.locator("del").first).to_contain_text("50")
    expect(diff.locator("ins").first).to_contain_text("20")
    checked(sandnes, "library-09-diff")
    sandnes.goto(f"/bibliotek/{adoption.copy.uuid}/")
    expect(sandnes.locator("#origin")).to_contain_text("2")
    checked(sandnes, "library-10-copy-behind")

    # Rogaland's office sees the sharing and the adoption ("go in line").
    officer = new_page()
    sign_in(officer, "rogaland_officer")
    expect(officer).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    officer.get_by_label("Kode").fill(totp_now())
    officer.get_by_role("button", name="Logg inn").click()
    expect(heading(officer)).to_have_text("Nå")  # the start page
    expect(officer.locator("main .lead")).to_contain_text(re.compile("Velkommen"))
    officer.goto("/bibliotek/")
    expect(officer.locator("#results")).to_contain_text(TITLE)
    officer.get_by_role("link", name=TITLE).click()
    expect(officer.locator("#shared-with")).to_contain_text("Nord-Jæren")
    expect(officer.locator("#shared-with")).to_contain_text("Statsforvalteren i Rogaland")
    expect(officer.locator("#adoptions")).to_contain_text("Sandnes kommune")
    checked(officer, "library-11-office")
