"""The acceptance journey of the regional crisis log (issue 12): the Øst office's crisis
staff open a regional incident under «Ekstremværet Hans», answer an entry of Drammen's
shared log with a decision, and share the incident with the region's municipalities;
Drammen finds it among the incidents shared with it and follows its log live: a second
entry appears without reloading within 5 s. At desktop and phone widths, every page
checked (axe, console, CSP) and photographed."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.log import actions
from incidents.log.models import EntryKind, Incident, IncidentType, LogEntry
from networks.structure.models import Organisation
from tests.e2e.browser import checked
from tests.helpers import totp_now
from tests.personas import PASSWORD, PERSONAS, user

pytestmark = pytest.mark.e2e

LIVE_MS = 5_000
OEST = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
TITLE = "Ekstremværet Hans — Øst"
DRAMMEN_ENTRY = "Drammen ber om mannskaper fra Sivilforsvaret til dørbanking i Mjøndalen."
DECISION = "Statsforvalteren støtter anmodningen og ber Sivilforsvaret prioritere Mjøndalen."
FOLLOW_UP = "Kommunemøte for kommunene langs Drammenselva i morgen kl. 10."


def words(*alternatives):
    return re.compile(r"^\s*(?:" + "|".join(alternatives) + r")\b")


def sign_in(page, name, *, totp=False):
    page.goto("/")
    page.get_by_label("E-post").fill(PERSONAS[name].email)
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    if totp:
        expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
        page.get_by_label("Kode").fill(totp_now())
        page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/$"))


def drammen_shared_log():
    """Drammen's incident in the frame, shared with the office, with one entry."""
    frame = actions.do_create_frame(
        owner=Organisation.objects.get(slug="dsb"),
        acting_user=user("dsb_analyst"),
        title="Ekstremværet Hans",
        type=IncidentType.EXTREME_WEATHER,
        is_exercise=False,
        started_at=timezone.now(),
    )
    incident = actions.do_create_incident(
        owner=Organisation.objects.get(slug="kommune-3301"),
        acting_user=user("drammen_staff"),
        title="Flom i Drammenselva",
        type=IncidentType.FLOOD,
        started_at=timezone.now(),
        frame=frame,
    )
    entry, _ = actions.do_write_entry(
        incident, acting_user=user("drammen_staff"), kind=EntryKind.ACTION, text=DRAMMEN_ENTRY
    )
    actions.do_share(
        acting_user=user("drammen_staff"),
        incident=incident,
        organisation=Organisation.objects.get(slug=OEST),
    )
    return frame, incident, entry


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_answers_drammen_and_shares_its_log_with_the_region(new_page, width):
    frame, drammen_incident, drammen_entry = drammen_shared_log()
    officer, drammen = new_page(), new_page()
    for page in (officer, drammen):
        page.set_viewport_size({"width": width, "height": 900})
    shot = f"regional-{width}"
    sign_in(officer, "oest_officer", totp=True)

    # The office's crisis staff open the regional incident under the national frame.
    officer.goto("/hendelser/ny/")
    officer.get_by_label(words("Tittel", "Title")).fill(TITLE)
    officer.get_by_label(words("Type")).select_option("extreme_weather")
    officer.get_by_label(words("Krise", "Crisis", "Nasjonal krise")).select_option(str(frame.pk))
    checked(officer, f"{shot}-01-incident-form")
    officer.get_by_role("button", name=words("Opprett", "Create")).click()
    expect(officer).to_have_url(re.compile(r"/hendelser/[0-9a-f-]{36}/logg/$"))
    regional = Incident.objects.get(title=TITLE)
    assert regional.owner.slug == OEST and regional.frame == frame

    # Beside its own log: Drammen's shared incident in the same frame, with its entry.
    block = officer.locator("details.regional-incidents")
    expect(block).to_contain_text("Flom i Drammenselva")
    expect(block).to_contain_text(DRAMMEN_ENTRY)
    checked(officer, f"{shot}-02-regional-log")

    # Answer Drammen's entry: the quick entry says what it answers.
    block.get_by_role("link", name=words("Svar", "Answer")).first.click()
    form = officer.locator("form#quick-entry")
    expect(form.locator(".responding")).to_contain_text(DRAMMEN_ENTRY)
    form.locator("label.kind-picker__option--decision").click()  # the picker's label
    expect(form.get_by_role("radio", name=words("Beslutning", "Decision"))).to_be_checked()
    form.get_by_role("textbox", name=words("Tekst", "Text")).fill(DECISION)
    checked(officer, f"{shot}-03-answering")
    form.get_by_role("button", name=words("Lagre", "Save")).click()
    answer = officer.locator("#entries > li.entry").filter(has_text=DECISION)
    expect(answer).to_be_visible()
    expect(answer.locator(".entry__responds")).to_contain_text(DRAMMEN_ENTRY[:40])
    assert LogEntry.objects.get(text=DECISION).responds_to_id == drammen_entry.pk

    # Share with every municipality of the region, from the incident's page.
    officer.get_by_role("link", name=words("Om hendelsen", "About the incident")).click()
    officer.get_by_role("checkbox", name=words("Alle kommunene", "Every municipality")).check()
    officer.locator("form.share-form").get_by_role("button", name=words("Del", "Share")).click()
    expect(officer.locator("#shares, .ds-alert").first).to_be_visible()
    checked(officer, f"{shot}-04-shared")
    assert regional.shares.filter(organisation__slug="kommune-3301").exists()

    # Drammen finds it among the incidents shared with it and opens its log.
    sign_in(drammen, "drammen_staff")
    drammen.goto("/hendelser/")
    drammen.get_by_role("link", name=TITLE).first.click()
    if "/logg/" not in drammen.url:
        drammen.get_by_role("link", name=words("Åpne loggen", "Open the log")).click()
    expect(drammen).to_have_url(re.compile(rf"/hendelser/{regional.uuid}/logg/$"))
    seen = drammen.locator("#entries > li.entry").filter(has_text=DECISION)
    expect(seen).to_be_visible()
    link = seen.locator(".entry__responds a")
    expect(link).to_have_attribute(
        "href", f"/hendelser/{drammen_incident.uuid}/logg/{drammen_entry.uuid}/"
    )
    expect(drammen.locator("form#quick-entry")).to_have_count(0)  # reads, does not write
    checked(drammen, f"{shot}-05-drammen-reads")
    drammen.evaluate("window.__marker = 1")

    # Live: the office writes again; Drammen sees it without reloading.
    form = officer.locator("form#quick-entry")
    officer.goto(f"/hendelser/{regional.uuid}/logg/")
    form.get_by_role("textbox", name=words("Tekst", "Text")).fill(FOLLOW_UP)
    form.get_by_role("button", name=words("Lagre", "Save")).click()
    expect(drammen.locator("#entries > li.entry").filter(has_text=FOLLOW_UP)).to_be_visible(
        timeout=LIVE_MS
    )
    assert drammen.evaluate("window.__marker") == 1
    checked(drammen, f"{shot}-06-drammen-live")
