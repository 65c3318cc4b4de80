"""The acceptance journey of the crisis log (issue 3) in two browsers: two users of
Bergen, each signed in through the real login form in a context of their own. One creates
an incident and writes an entry with the keyboard (Ctrl+Enter); the other sees it appear
without reloading within 5 seconds. A correction strikes the original through on both
pages; an exempt entry is written; the log is exported as PDF and CSV, downloaded and
opened; both search the logs. Every page visited is checked (axe, console, CSP) and
photographed."""

import csv
import io
import re
import time

import pypdf
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from networks.structure.models import Organisation
from portal.models import RoleAssignment
from portal.roles import Role
from tests.e2e.browser import checked, go_to
from tests.personas import PASSWORD, PERSONAS

pytestmark = pytest.mark.e2e

LIVE_MS = 5_000  # the acceptance criterion: another user sees a change within 5 s
TITLE = "Vannlekkasje i Kvernhusbekken"
ENTRY = "Vannverket melder brudd på hovedledningen ved Kvernhusbekken. Tre gater uten vann."
CORRECTED = "Vannverket melder brudd på hovedledningen ved Kvernhusbekken. Fem gater uten vann."
EXEMPT = "Navn og telefonnummer til beboeren med hjemmedialyse: Ola Nordmann, 400 00 000."
EXEMPT_BASIS = "§ 13"
MARKING = "Unntatt offentlighet – offentleglova § 13"
SEARCH_WORD = "Kvernhusbekken"
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def words(*alternatives):
    """A name in Norwegian or English (the incident pages' texts are being translated)."""
    return re.compile(r"^\s*(?:" + "|".join(alternatives) + r")\b")


def heading(page):
    return page.get_by_role("heading", level=1)


def make_second_writer():
    """A crisis staff member of Bergen, beside the persona bergen_manager."""
    writer = get_user_model().objects.create_user(
        username="bergen_staff",
        email="bergen_staff@test.samvirke.no",
        password=PASSWORD,
        first_name="Kari",
        last_name="Krisestab",
    )
    RoleAssignment.objects.create(
        user=writer,
        organisation=Organisation.objects.get(slug="kommune-4601"),
        role=Role.CRISIS_STAFF,
    )
    return writer


def sign_in(page, email):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/konto/login/"))
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.log.assert_clean(page)


def create_incident(page):
    """Through the form: the owner is the user's only organisation (a hidden field)."""
    page.goto("/hendelser/")
    page.get_by_role("link", name=words("Ny hendelse", "New incident")).click()
    page.get_by_label(words("Tittel", "Title")).fill(TITLE)
    page.get_by_label(words("Type")).select_option("water")
    page.get_by_label(words("Alvorlighetsgrad", "Severity")).select_option("high")
    checked(page, "log-a-01-incident-form")
    page.get_by_role("button", name=words("Opprett", "Create")).click()
    expect(page).to_have_url(re.compile(r"/hendelser/[0-9a-f-]{36}/logg/$"))
    expect(heading(page)).to_contain_text(TITLE)


def entry_item(page, text):
    return page.locator("#entries > li.entry").filter(has_text=text)


def write_entry_with_keyboard(page, text, *, exempt_basis=None):
    """Fill the quick entry from the keyboard and save it with Ctrl+Enter; returns when
    the server answered."""
    form = page.locator("form#quick-entry")
    field = form.get_by_role("textbox", name=words("Tekst", "Text"))
    field.focus()
    page.keyboard.type(text)
    if exempt_basis:
        exempt = form.get_by_role("checkbox", name=words("Unntatt", "Exempt"))
        exempt.focus()
        page.keyboard.press("Space")
        expect(exempt).to_be_checked()
        page.keyboard.press("Tab")
        expect(form.get_by_label(words("Hjemmel", "Legal basis"))).to_be_focused()
        page.keyboard.type(exempt_basis)
        field.focus()  # Ctrl+Enter from the text, as a writer would
    with page.expect_response(lambda r: r.url.endswith("/logg/ny/")) as answer:
        page.keyboard.press("Control+Enter")
    saved = time.monotonic()
    assert answer.value.status == 200, answer.value.status
    expect(form.get_by_role("textbox", name=words("Tekst", "Text"))).to_have_value("")
    return saved


def download(page, fmt, exempt, tmp_path):
    """Choose the export on the form, press Download, keep the file."""
    page.get_by_label("Format").select_option(fmt)
    exempt_label = words("Loggføringer unntatt", "Oppføringer unntatt", "Entries exempt")
    page.get_by_label(exempt_label).select_option(exempt)
    with page.expect_download() as info:
        page.get_by_role("button", name=words("Last ned", "Download")).click()
    path = tmp_path / f"{exempt}-{info.value.suggested_filename}"
    info.value.save_as(path)
    assert path.suffix == f".{fmt}", path
    return path


def pdf_text(path):
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def csv_rows(path):
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_two_writers_share_a_live_log_correct_and_export(new_page, live_server, tmp_path):
    make_second_writer()
    a, b = new_page(), new_page()
    sign_in(a, PERSONAS["bergen_manager"].email)
    sign_in(b, "bergen_staff@test.samvirke.no")

    # A creates the incident through the form and lands on its log.
    create_incident(a)
    log_url = a.url
    checked(a, "log-a-02-log-empty")

    # B finds it in the list, opens it, then the log.
    go_to(b, words("Hendelser", "Incidents"), words("Hendelser", "Incidents"))
    expect(b.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    checked(b, "log-b-01-incident-list")
    b.get_by_role("link", name=TITLE, exact=True).click()
    expect(heading(b)).to_have_text(TITLE)
    checked(b, "log-b-02-incident-detail")
    b.get_by_role("link", name=words("Åpne loggen", "Open the log")).click()
    expect(b).to_have_url(log_url)
    checked(b, "log-b-03-log-empty")
    b.evaluate("window.__marker = 1")  # gone if the page reloads or navigates

    # A writes an entry, keyboard only; A sees it at once, B within 5 s without reloading.
    saved = write_entry_with_keyboard(a, ENTRY)
    expect(entry_item(a, ENTRY)).to_be_visible(timeout=1_000)
    expect(entry_item(b, ENTRY)).to_be_visible(timeout=LIVE_MS)
    waited_entry = time.monotonic() - saved
    assert b.evaluate("window.__marker") == 1
    print(f"B saw the entry {waited_entry:.2f} s after A saved it")

    # A corrects it: the inline form under the entry, the corrected text, save.
    original = entry_item(a, ENTRY)
    original.get_by_role("link", name=words("Rett", "Correct")).click()
    fix = original.locator("form.correct-form")
    text = fix.get_by_role("textbox", name=words("Rettet tekst", "Corrected text"))
    expect(text).to_be_focused()
    expect(text).to_have_value(ENTRY)  # prefilled with the original
    text.fill(CORRECTED)
    fix.get_by_role("button", name=words("Lagre rettingen", "Save the correction")).click()
    saved = time.monotonic()
    expect(fix).to_have_count(0)
    for page in (a, b):
        timeout = 1_000 if page is a else LIVE_MS
        struck = entry_item(page, ENTRY).locator("del.entry__struck")
        expect(struck).to_contain_text(ENTRY, timeout=timeout)
        expect(entry_item(page, ENTRY)).to_have_class(re.compile(r"\bentry--struck\b"))
        correction = page.locator("#entries > li.entry--correction").filter(has_text=CORRECTED)
        expect(correction).to_be_visible(timeout=timeout)
        expect(correction.locator("del")).to_have_count(0)
        expect(page.locator("#entries > li.entry")).to_have_count(2)  # no duplicates
    waited_correction = time.monotonic() - saved
    assert b.evaluate("window.__marker") == 1
    print(f"B saw the correction {waited_correction:.2f} s after A saved it")

    # An exempt entry, with its legal basis.
    write_entry_with_keyboard(a, EXEMPT, exempt_basis=EXEMPT_BASIS)
    exempt_item = entry_item(a, EXEMPT)
    expect(exempt_item.locator(".exempt-tag")).to_contain_text(EXEMPT_BASIS)
    expect(entry_item(b, EXEMPT)).to_be_visible(timeout=LIVE_MS)
    assert b.evaluate("window.__marker") == 1
    checked(a, "log-a-03-log-corrected")
    checked(b, "log-b-04-log-corrected")

    # Search from the log page's link, for a word of the entry: both users.
    for name, page in (("a", a), ("b", b)):
        page.get_by_role("link", name=words("Søk i alle logger", "Search all logs")).click()
        page.get_by_label(words("Søk etter", "Search for")).fill(SEARCH_WORD)
        page.get_by_label(words("Søk etter", "Search for")).press("Enter")
        expect(page).to_have_url(re.compile(rf"/hendelser/sok/\?q={SEARCH_WORD}"))
        results = page.locator(".search-result")
        expect(results).to_have_count(2)  # the original and the correction
        expect(results.filter(has_text="Fem gater uten vann")).to_have_count(1)
        expect(results.locator("mark").first).to_have_text(SEARCH_WORD)
        checked(page, f"log-{name}-05-search")

    # B: the incident list and detail were checked above; the export page too.
    b.goto(log_url)
    b.get_by_role("link", name=words("Eksport", "Export")).click()
    expect(heading(b)).to_contain_text(TITLE)
    checked(b, "log-b-06-export")

    # A: the list, the detail page, and the export from there.
    a.goto("/hendelser/")
    expect(a.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    checked(a, "log-a-04-incident-list")
    a.get_by_role("link", name=TITLE, exact=True).click()
    expect(heading(a)).to_have_text(TITLE)
    checked(a, "log-a-05-incident-detail")
    a.get_by_role("link", name=words("Eksport", "Export")).click()
    expect(heading(a)).to_contain_text(TITLE)
    checked(a, "log-a-06-export")
    export_url = a.url

    # The PDF, with exempt entries redacted: the marking stands, the text does not.
    pdf = pdf_text(download(a, "pdf", "redact", tmp_path))
    assert TITLE in pdf
    assert CORRECTED in pdf and ENTRY in pdf  # the original stays, struck through
    assert re.search(r"(Rettet|Corrected) – (se|see) \w+ #2", pdf), pdf
    assert re.search(r"(Retter|Corrects) \w+ #1", pdf), pdf
    assert f"[{MARKING}]" in pdf
    assert "Ola Nordmann" not in pdf

    # The CSV, with exempt entries left out; then with them redacted.
    rows = csv_rows(download(a, "csv", "omit", tmp_path))
    assert [row["text"] for row in rows] == [ENTRY, CORRECTED]
    assert rows[1]["corrects"] == rows[0]["id"] and rows[0]["corrected_by"] == rows[1]["id"]
    for row in rows:
        assert ISO_TIME.match(row["occurred_at"]), row["occurred_at"]
        assert ISO_TIME.match(row["recorded_at"]), row["recorded_at"]
    a.goto(export_url)
    rows = csv_rows(download(a, "csv", "redact", tmp_path))
    assert [row["text"] for row in rows] == [ENTRY, CORRECTED, f"[{MARKING}]"]
    assert rows[2]["exempt"] == "true" and rows[2]["exempt_basis"] == EXEMPT_BASIS
    a.log.assert_clean(a)
    b.log.assert_clean(b)
