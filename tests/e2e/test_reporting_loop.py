"""The acceptance loop of situation reporting (issue 4) in real browsers: the Vestland
officer issues a round through the form; Bergen submits on time and Voss late (the
deadline is moved into the past between the two, in the database); the officer's
dashboard shows submitted / late / missing on the map and in the table, filters the
table (HTMX, URL pushed), acknowledges and comments on Bergen's report, compiles and
publishes; Bergen's manager sees the acknowledgement and the published regional picture
with Bergen's own answers beside the region's. Every page visited is checked (axe,
console, CSP) and photographed into test-results/screenshots/."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from networks.structure.models import Organisation
from portal.models import RoleAssignment
from reporting.models import ReportingRound, Submission
from tests.e2e.browser import checked
from tests.e2e.test_journeys import sign_in, totp_now
from tests.personas import PASSWORD
from tests.reporting.dashboard_helpers import small_form

pytestmark = pytest.mark.e2e

TITLE = "Ekstremvær Vestland – situasjonsrapport"
ASSESSMENT = "Krevende natt i **Voss**: strømbrudd. Bergen har kokevarsel."
VESTLAND_MUNICIPALITIES = 43
#: The map's fill colours (static/css/reporting-dashboard.css), as the browser reports them.
GREEN, AMBER, RED = "rgb(46, 125, 50)", "rgb(224, 161, 0)", "rgb(198, 40, 40)"


def words(*alternatives):
    """A text in Norwegian or English (new texts are translated at the end)."""
    return re.compile(r"^\s*(?:" + "|".join(alternatives) + r")\b")


def heading(page):
    return page.get_by_role("heading", level=1)


def make_voss_writer():
    user = get_user_model().objects.create_user(
        username="voss_staff",
        email="voss_staff@test.samvirke.no",
        password=PASSWORD,
        first_name="Vera",
        last_name="Voss",
    )
    RoleAssignment.objects.create(
        user=user, organisation=Organisation.objects.get(slug="kommune-4621"), role="crisis_staff"
    )
    return user


def sign_in_officer(page):
    sign_in(page, "vestland_officer")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    page.get_by_label("Kode").fill(totp_now())
    page.get_by_role("button", name="Logg inn").click()
    expect(heading(page)).to_have_text("Nå")  # the start page
    expect(page.locator("main .lead")).to_contain_text("Velkommen, Vestland")


def sign_in_municipality(page, email):
    page.goto("/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/$"))


def issue_round(page, live_server):
    page.goto("/rapportering/runder/ny/")
    expect(heading(page)).to_be_visible()
    page.locator("#id_form").select_option(label="Oversikt")
    page.locator("#id_title").fill(TITLE)
    deadline = timezone.localtime(timezone.now() + timedelta(hours=3))
    page.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Statsforvalteren i Vestland").check()
    checked(page, "loop-01-issue-form")
    page.get_by_role("button", name=words("Send ut runden", "Issue the round")).click()
    expect(page).to_have_url(re.compile(r"/rapportering/runder/[0-9a-f-]{36}/$"))
    expect(heading(page)).to_have_text(TITLE)
    checked(page, "loop-02-round")
    return ReportingRound.objects.get(title=TITLE)


def submit_report(page, round_, slug, *, evakuerte, vann, strom, behov, name):
    submission = Submission.objects.get(round=round_, municipality__slug=slug)
    page.goto(f"/rapportering/innsendinger/{submission.uuid}/")
    expect(page.locator("#submission-form")).to_be_visible()
    page.locator(f"#vann_status-{vann}").check()
    if vann != "green":
        page.locator("#vann_status-comment").fill("Kokevarsel i sentrum")
    page.locator(f"#strom_status-{strom}").check()
    page.locator("#field-evakuerte").fill(str(evakuerte))
    page.locator(f"#bistand_behov-{behov}").check()
    checked(page, f"loop-03-{name}-form")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("#receipt")).to_be_visible()
    checked(page, f"loop-04-{name}-receipt")
    return submission


def map_fills(page):
    """How many municipalities the map drew in each fill colour."""
    expect(page.locator("#status-map")).to_have_attribute(
        "data-drawn", str(VESTLAND_MUNICIPALITIES)
    )
    return page.evaluate(
        """() => {
            const fills = {};
            for (const path of document.querySelectorAll("#status-map path.leaflet-interactive")) {
                const fill = path.getAttribute("fill");
                fills[fill] = (fills[fill] || 0) + 1;
            }
            return fills;
        }"""
    )


def test_round_submit_dashboard_compile_publish_picture(new_page, live_server):
    small_form()  # the Vestland office's short form: two sector statuses, numbers, help
    make_voss_writer()
    officer, bergen, voss = new_page(), new_page(), new_page()

    # The office issues the round through the form
    sign_in_officer(officer)
    round_ = issue_round(officer, live_server)

    # Bergen submits on time
    sign_in_municipality(bergen, "bergen_manager@test.samvirke.no")
    bergen_submission = submit_report(
        bergen, round_, "kommune-4601", evakuerte=40, vann="yellow", strom="green",
        behov="nei", name="bergen",
    )  # fmt: skip
    assert not Submission.objects.get(pk=bergen_submission.pk).is_late

    # The deadline passes; Voss submits late
    ReportingRound.objects.filter(pk=round_.pk).update(
        deadline=timezone.now() - timedelta(minutes=5)
    )
    sign_in_municipality(voss, "voss_staff@test.samvirke.no")
    voss_submission = submit_report(
        voss, round_, "kommune-4621", evakuerte=10, vann="green", strom="red",
        behov="ja", name="voss",
    )  # fmt: skip
    assert Submission.objects.get(pk=voss_submission.pk).is_late

    # The officer's dashboard: counts, the map and the table agree
    officer.goto(f"/rapportering/runder/{round_.uuid}/")
    officer.locator("#dashboard-link").click()
    expect(officer).to_have_url(re.compile(r"/oversikt/$"))
    counts = officer.locator("#dashboard-counts")
    expect(counts.locator("[data-state=submitted] .count")).to_have_text("1")
    expect(counts.locator("[data-state=late] .count")).to_have_text("1")
    missing = VESTLAND_MUNICIPALITIES - 2
    expect(counts.locator("[data-state=missing] .count")).to_have_text(str(missing))
    assert map_fills(officer) == {GREEN: 1, AMBER: 1, RED: missing}
    rows = officer.locator("#dashboard-table tbody tr")
    expect(rows).to_have_count(VESTLAND_MUNICIPALITIES)
    expect(officer.locator("tr[data-municipality='4601']")).to_have_attribute(
        "data-state", "submitted"
    )
    expect(officer.locator("tr[data-municipality='4621']")).to_have_attribute("data-state", "late")
    expect(officer.locator("tr[data-state=missing]")).to_have_count(missing)
    checked(officer, "loop-05-dashboard")

    # Hovering Voss on the map names it and its state
    box = officer.evaluate(
        """() => {
            const data = JSON.parse(document.getElementById("dashboard-map-data").textContent);
            return data["4621"].label;
        }"""
    )
    assert box.startswith("Voss")

    # Filter the table: only the late ones (HTMX swaps the table and pushes the URL)
    with officer.expect_request(lambda r: "state=late" in r.url and r.headers.get("hx-request")):
        officer.locator("#filter-state").select_option("late")
    expect(officer).to_have_url(re.compile(r"state=late"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Voss")
    # ... and red sector statuses, sorted by the number evacuated
    officer.locator("#filter-state").select_option("")
    officer.locator("#filter-sector-status").select_option("red_yellow")
    expect(rows).to_have_count(2)
    officer.locator("th.sortable a", has_text="Evakuerte").click()
    expect(officer).to_have_url(re.compile(r"ordering=number"))
    expect(rows.first).to_contain_text("Voss")  # 10 before 40
    checked(officer, "loop-06-dashboard-filtered")

    # Meeting mode: the same page, large
    officer.locator("#meeting-toggle").click()
    expect(officer.locator("#dashboard-page")).to_have_class(re.compile("dashboard--meeting"))
    checked(officer, "loop-07-dashboard-meeting")
    officer.locator("#meeting-toggle").click()

    # Drill into Bergen's report: acknowledge and comment (HTMX)
    officer.locator("#filter-sector-status").select_option("")
    expect(rows).to_have_count(VESTLAND_MUNICIPALITIES)
    officer.locator("tr[data-municipality='4601'] th a").click()
    expect(officer).to_have_url(re.compile(rf"/innsendinger/{bergen_submission.uuid}/$"))
    officer.locator("#acknowledge-button").click()
    expect(officer.locator("#acknowledged")).to_be_visible()
    officer.locator("#comment-body").fill("Takk. Vi sender vanntank i morgen tidlig.")
    officer.locator("#comment-form button[type=submit]").click()
    expect(officer.locator("#comment-thread li")).to_have_count(1)
    expect(officer.locator("#comment-body")).to_have_value("")
    checked(officer, "loop-08-submission-reviewed")

    # Compile and publish
    officer.goto(f"/rapportering/runder/{round_.uuid}/oversikt/")
    officer.locator("#compile-button").click()
    expect(officer).to_have_url(re.compile(r"/rapportering/sammenstillinger/[0-9a-f-]{36}/$"))
    needs_help = officer.locator("#needs-help")
    expect(needs_help).to_contain_text("Voss")
    expect(officer.locator("#number-summary tr[data-field=evakuerte]")).to_contain_text("50")
    officer.locator("#id_assessment").fill(ASSESSMENT)
    checked(officer, "loop-09-compilation")
    officer.locator("#publish-button").click()
    expect(officer).to_have_url(re.compile(r"/rapportering/situasjonsbilde/[0-9a-f-]{36}/$"))
    expect(officer.locator("#assessment strong")).to_have_text("Voss")
    checked(officer, "loop-10-picture-officer")

    # Bergen: the acknowledgement, the comment, and the picture with its own answers
    bergen.goto(f"/rapportering/innsendinger/{bergen_submission.uuid}/")
    expect(bergen.locator("#acknowledged")).to_be_visible()
    expect(bergen.locator("#comment-thread")).to_contain_text("vanntank")
    checked(bergen, "loop-11-bergen-submission")
    bergen.locator("#published-pictures a").first.click()
    expect(bergen).to_have_url(re.compile(r"/rapportering/situasjonsbilde/"))
    expect(bergen.locator("#own-note")).to_be_visible()
    numbers = bergen.locator("#number-summary tr[data-field=evakuerte]")
    expect(numbers.locator(".own-value")).to_have_text("40")
    expect(numbers).to_contain_text("50")  # the region's sum
    water = bergen.locator("#status-distribution tr[data-field=vann_status]")
    expect(water.locator(".own-value .ds-tag")).to_have_text(words("Gul", "Yellow"))
    expect(bergen.locator("#status-map")).to_have_attribute(
        "data-drawn", str(VESTLAND_MUNICIPALITIES)
    )
    checked(bergen, "loop-12-picture-bergen")

    # The dashboard now shows that Bergen saw the picture
    officer.goto(f"/rapportering/runder/{round_.uuid}/oversikt/?q=Bergen")
    last_cell = officer.locator("tr[data-municipality='4601'] td").last
    expect(last_cell).to_have_text(re.compile(r"\d\d\.\d\d\. \d\d:\d\d"))


def test_national_view_shows_the_regions_and_every_municipality(page, live_server):
    """DSB's round to the SNB cities: Vestland compiles, publishes and forwards; DSB's
    analyst sees the regions' reports, the national aggregate and all 357 municipalities
    on the map."""
    from networks.structure.models import Office
    from reporting import actions
    from tests.personas import user
    from tests.reporting.dashboard_helpers import answers, snb_round, submit

    round_ = snb_round()
    submit(round_, "kommune-4601", answers(evakuerte=12, vann="red"))
    submit(round_, "kommune-1103", answers(evakuerte=3))
    officer = user("vestland_officer")
    compilation = actions.do_start_compilation(
        round_, acting_user=officer, office=Office.objects.get(slug="vestland")
    )
    actions.do_save_assessment(
        compilation, acting_user=officer, assessment="Bergen: rødt på vann.", expected_version=1
    )
    actions.do_publish_compilation(compilation, acting_user=officer)
    actions.do_forward_compilation(compilation, acting_user=officer)

    sign_in(page, "dsb_analyst")
    page.get_by_label("Kode").fill(totp_now())
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(f"/rapportering/runder/{round_.uuid}/nasjonalt/")
    expect(page.locator("#status-map")).to_have_attribute("data-drawn", "357")
    vestland = page.locator("#region-table tr[data-region=vestland]")
    expect(vestland.get_by_role("link")).to_be_visible()
    expect(page.locator("#number-summary tr[data-field=evakuerte]")).to_contain_text("15")
    checked(page, "loop-13-national")
    vestland.get_by_role("link").click()
    expect(page.locator("#assessment")).to_contain_text("rødt på vann")
    checked(page, "loop-14-national-regional-picture")
    page.goto(f"/rapportering/runder/{round_.uuid}/oversikt/")
    expect(page.locator("#dashboard-table tbody tr")).to_have_count(round_.recipients.count())
    checked(page, "loop-15-national-dashboard")
