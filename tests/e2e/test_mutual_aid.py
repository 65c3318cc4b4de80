"""The acceptance journey of mutual aid (issue 6) in real browsers: Hole (a neighbour)
asks for generators in its incident, sent to Ringerike and Drammen and to its State
Administrator; Ringerike and Drammen offer, each naming its own incident; Hole accepts
Ringerike's offer; Hole's and Ringerike's incident logs show the steps; the Øst office's
officer (password + TOTP) sees it all on the regional overview. Every page is checked
(axe, console, CSP) and photographed into test-results/screenshots/aid-*.png."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from incidents.log import actions as incident_actions
from networks.aid.actions.offers import do_make_offer
from networks.aid.models import AssistanceOffer, AssistanceRequest
from networks.structure.models import Organisation
from portal.models import RoleAssignment
from tests.e2e.browser import checked, go_to
from tests.e2e.test_journeys import heading, totp_now
from tests.personas import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.e2e

HOLE, RINGERIKE, DRAMMEN = "kommune-3310", "kommune-3305", "kommune-3301"
OFFICE_EAST = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
TITLE = "Strømaggregater til pumpestasjonene"


def make_user(username, slug, role="emergency_manager"):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@test.samvirke.no",
        password=PASSWORD,
        first_name=username.split("_")[0].title(),
        last_name="Test",
    )
    RoleAssignment.objects.create(
        user=user, organisation=Organisation.objects.get(slug=slug), role=role
    )
    if role == "officer":
        TOTP.activate(user, TOTP_SECRET)
    return user


def incident(slug, user, title):
    return incident_actions.do_create_incident(
        owner=Organisation.objects.get(slug=slug),
        acting_user=user,
        title=title,
        type="flood",
        started_at=timezone.now(),
    )


def sign_in(page, user, totp=False):
    page.goto("/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    if totp:
        expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
        page.get_by_label("Kode").fill(totp_now())
        page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/$"))


def offer(page, name, quantity, note, incident_title):
    page.goto("/")
    go_to(page, re.compile("Samarbeid|Cooperation"), re.compile("^(Bistand|Mutual aid)$"))
    page.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    page.locator("#id_quantity").fill(str(quantity))
    page.locator("#id_note").fill(note)
    page.locator("#id_offerer_incident").select_option(label=incident_title)
    checked(page, f"aid-{name}-offer-form")
    page.locator("#offer-form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()


def test_mutual_aid_journey(new_page):
    hole = get_user_model().objects.get(username="hole_manager")  # the persona
    ringerike = make_user("ringerike_manager", RINGERIKE)
    drammen = make_user("drammen_manager", DRAMMEN)
    officer = make_user("ost_officer", OFFICE_EAST, role="officer")
    hole_incident = incident(HOLE, hole, "Flom og strømbrudd i Hole")
    ringerike_incident = incident(RINGERIKE, ringerike, "Hans – Ringerike")
    incident(DRAMMEN, drammen, "Hans – Drammen")
    orgs = {slug: Organisation.objects.get(slug=slug) for slug in (RINGERIKE, DRAMMEN, HOLE)}
    full = {slug: org.name for slug, org in orgs.items()}  # in the form's choices
    names = {slug: org.display_name for slug, org in orgs.items()}  # in the texts

    # 1. Hole asks for generators, in its incident
    page = new_page()
    sign_in(page, hole)
    go_to(page, re.compile("Samarbeid|Cooperation"), re.compile("^(Bistand|Mutual aid)$"))
    checked(page, "aid-01-hole-list-empty")
    page.locator("a.ds-button[href$='/bistand/ny/']").click()
    page.locator("#id_incident").select_option(label=hole_incident.title)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_category").select_option("power")
    page.locator("#id_quantity").fill("-4")
    page.locator("#id_unit").fill("stk")
    page.locator("#id_needed_by").fill(
        timezone.localtime(timezone.now() + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator("#id_priority").select_option("critical")
    page.get_by_label(full[RINGERIKE]).check()  # a neighbour, from the quick pick
    page.locator("#id_organisations").select_option(label=full[DRAMMEN])
    page.locator("#id_to_office").check()
    page.locator("#request-form button[type=submit]").click()
    # bad input: the message in place, nothing saved
    expect(
        page.locator("#request-form ds-error-summary, #request-form .ds-error-summary")
    ).to_be_visible()
    checked(page, "aid-02-hole-request-error", allow=(r"status of 400",))
    assert not AssistanceRequest.objects.exists()
    page.locator("#id_quantity").fill("4")
    page.locator("#request-form button[type=submit]").click()
    expect(heading(page)).to_have_text(TITLE)
    checked(page, "aid-03-hole-request-sent")

    # 2. two municipalities offer, each logging it in its own incident
    ringerike_page = new_page()
    sign_in(ringerike_page, ringerike)
    offer(ringerike_page, "ringerike", 2, "To aggregater à 100 kVA", ringerike_incident.title)
    drammen_page = new_page()
    sign_in(drammen_page, drammen)
    offer(drammen_page, "drammen", 3, "Tre mobile aggregater", "Hans – Drammen")
    checked(drammen_page, "aid-04-drammen-offered")

    # 3. Hole accepts Ringerike's offer
    page.reload()
    ringerike_offer = AssistanceOffer.objects.get(offerer__slug=RINGERIKE)
    row = page.locator(f"#offer-{ringerike_offer.uuid}")
    expect(row).to_contain_text(names[RINGERIKE])
    checked(page, "aid-05-hole-two-offers")
    row.locator("button[type=submit]").first.click()
    expect(page.locator(f"#offer-{ringerike_offer.uuid}")).not_to_contain_text("Antall å godta")
    expect(page.locator("#fulfilled")).to_contain_text("2 stk")
    checked(page, "aid-06-hole-accepted")
    ringerike_offer.refresh_from_db()
    assert ringerike_offer.status == "accepted"

    # 4. both incident logs show the steps
    page.goto(f"/hendelser/{hole_incident.uuid}/logg/")
    entries = page.locator("#entries")
    # The entries are written in the writer's language: Norwegian here.
    expect(entries).to_contain_text("Bistandsanmodning sendt")
    expect(entries).to_contain_text(f"{names[DRAMMEN]} tilbød 3")
    expect(entries).to_contain_text("godtok 2 stk tilbudt av")
    checked(page, "aid-07-hole-log")
    ringerike_page.goto(f"/hendelser/{ringerike_incident.uuid}/logg/")
    entries = ringerike_page.locator("#entries")
    expect(entries).to_contain_text(f"{names[RINGERIKE]} tilbød 2")
    expect(entries).to_contain_text("godtok 2 stk tilbudt av")
    checked(ringerike_page, "aid-08-ringerike-log")

    # 5. the office sees it all on the regional overview
    office_page = new_page()
    sign_in(office_page, officer, totp=True)
    go_to(office_page, re.compile("Samarbeid|Cooperation"), re.compile("^(Bistand|Mutual aid)$"))
    office_page.locator("main a[href$='/bistand/region/']").first.click()
    table = office_page.locator("#overview-rows table")
    expect(table).to_contain_text(TITLE)
    row = table.locator("tbody tr").first
    expect(row.locator("[data-col=requested]")).to_contain_text("4")  # requested
    expect(row.locator("[data-col=offered]")).to_have_text("5")  # offered: 2 + 3
    expect(row.locator("[data-col=accepted]")).to_have_text("2")  # accepted
    expect(row.locator("[data-col=fulfilled]")).to_have_text("2")  # fulfilled
    expect(row).to_contain_text(names[DRAMMEN])
    checked(office_page, "aid-09-office-overview")
    # a new offer shows up by itself (HTMX polling)
    do_make_offer(
        AssistanceRequest.objects.get(),
        offerer=Organisation.objects.get(slug=OFFICE_EAST),
        acting_user=officer,
        quantity=1,
    )
    expect(row.locator("[data-col=offered]")).to_have_text("6", timeout=12_000)
    office_page.get_by_role("link", name=TITLE).click()
    expect(heading(office_page)).to_have_text(TITLE)
    checked(office_page, "aid-10-office-request")


def test_joint_procurement_journey(new_page):
    """Drammen opens a joint procurement through the form; Lier enters its quantities;
    Drammen sees the totals per item and participant and can download the order basis."""
    drammen = make_user("drammen_lead", DRAMMEN)
    lier = make_user("lier_manager", "kommune-3312")
    lier_org = Organisation.objects.get(slug="kommune-3312")

    page = new_page()
    sign_in(page, drammen)
    page.goto("/innkjop/")
    checked(page, "aid-20-procurement-list")
    page.locator("a.ds-button[href$='/innkjop/ny/']").click()
    page.locator("#id_title").fill("Smittevernutstyr – felles innkjøp")
    page.locator("#id_deadline").fill(
        timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator("#id_items").fill("Munnbind type IIR; stk; EN 14683\nHansker, nitril; eske à 100")
    page.get_by_label(lier_org.name).check()
    checked(page, "aid-21-procurement-form")
    page.locator("#procurement-form button[type=submit]").click()
    expect(heading(page)).to_have_text("Smittevernutstyr – felles innkjøp")

    lier_page = new_page()
    sign_in(lier_page, lier)
    lier_page.goto(page.url)
    inputs = lier_page.locator("form input[type=number]")
    inputs.nth(0).fill("1200")
    inputs.nth(1).fill("30")
    checked(lier_page, "aid-22-procurement-quantities")
    lier_page.locator("form button[type=submit]", has_text=re.compile(".")).last.click()
    expect(lier_page.locator("#totals")).to_contain_text("1200")

    page.reload()
    totals = page.locator("#totals")
    expect(totals).to_contain_text(lier_org.display_name)
    expect(totals).to_contain_text("1200")
    checked(page, "aid-23-procurement-totals")
    with page.expect_download() as download:
        page.locator("a[href$='bestillingsgrunnlag.xlsx']").click()
    assert download.value.suggested_filename.endswith(".xlsx")
