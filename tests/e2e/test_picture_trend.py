"""Like with like and trends in a browser (issue 13): seven daily rounds in one crisis
frame, each published by the Vestland office; Bergen's manager opens the last picture
(counts per 1,000 inhabitants, its peers with its rank), follows the link to the trend
page and sees a chart per key field drawn by Chart.js from the page's JSON data block,
with the same figures in the table beside it. At desktop and phone widths, every page
checked (axe, console, CSP) and photographed."""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.log.models import CrisisFrame
from networks.structure.models import Office
from reporting import actions
from tests.e2e.browser import checked
from tests.e2e.test_reporting_loop import sign_in_municipality
from tests.helpers import org
from tests.personas import user
from tests.reporting.dashboard_helpers import BERGEN, VOSS, answers, submit, vestland_round

pytestmark = pytest.mark.e2e

DAYS = 7
OTHERS = ["kommune-4624", "kommune-4626", "kommune-4627", "kommune-4631", "kommune-4640"]


def daily_series():
    frame = CrisisFrame.objects.create(
        title="Flom i Vestland",
        type="flood",
        started_at=timezone.now(),
        owner=org("statsforvalteren-vestland"),
    )
    officer = user("vestland_officer")
    office = Office.objects.get(slug="vestland")
    last = None
    for day in range(DAYS):
        round_ = vestland_round(title=f"Flom i Vestland, dag {day + 1}", frame=frame)
        submit(round_, BERGEN, answers(evakuerte=200 + 40 * day - 6 * day * day, fravaer="6.5"))
        submit(round_, VOSS, answers(evakuerte=10 + 3 * day, fravaer="9"))
        for i, slug in enumerate(OTHERS):
            submit(round_, slug, answers(evakuerte=5 + i * 4 + day, fravaer=str(4 + i)))
        compilation = actions.do_start_compilation(round_, acting_user=officer, office=office)
        compilation = actions.do_save_assessment(
            compilation, acting_user=officer, assessment="Flom, dag for dag.", expected_version=1
        )
        last = actions.do_publish_compilation(compilation, acting_user=officer)
    return last


@pytest.mark.parametrize("width", [1280, 390])
def test_bergen_sees_like_with_like_and_the_trend(new_page, width):
    last = daily_series()
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_municipality(page, "bergen_manager@test.samvirke.no")
    page.goto(f"/rapportering/situasjonsbilde/{last.uuid}/")
    numbers = page.locator("#number-summary")
    expect(numbers.locator('tr[data-field="fravaer"] td').nth(2)).to_have_text(
        re.compile(r"Gjennomsnitt vektet|Mean weighted|vektet", re.I)
    )
    expect(page.locator("#peers")).to_be_visible()
    expect(page.locator('#peers tr[data-group="region"]').first).to_contain_text(
        re.compile(r"\d+ (av|of) \d+")
    )
    checked(page, f"picture-like-with-like-{width}")

    page.locator("#trend-link").click()
    expect(page).to_have_url(re.compile(r"/utvikling/$"))
    chart = page.locator("#trend-chart-evakuerte")
    expect(chart).to_be_visible()
    # Chart.js drew into the canvas, from the JSON block
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('trend-chart-evakuerte'))"
    )
    drawn = page.evaluate(
        """() => Chart.getChart(document.getElementById('trend-chart-evakuerte'))
            .data.datasets.map((d) => ({label: d.label, data: d.data,
                                        dash: d.borderDash || [], point: d.pointStyle}))"""
    )
    data = json.loads(page.locator("#trend-data").text_content())
    field = next(f for f in data["fields"] if f["key"] == "evakuerte")
    assert len(field["points"]) == DAYS
    own, region = drawn
    assert own["data"] == [float(p["own"]) for p in field["points"]]
    assert region["data"] == [float(p["region"]) for p in field["points"]]
    # told apart without colour: a dashed line with square markers for the region
    assert region["dash"] and region["point"] == "rect" and own["point"] == "circle"
    cells = page.locator('table[data-field="evakuerte"] td[data-series="region"]')
    assert [float(v) for v in cells.evaluate_all("(els) => els.map((e) => e.dataset.value)")] == (
        region["data"]
    )
    checked(page, f"picture-trend-{width}")
    if width == 390:
        # nothing wider than the phone's screen: the chart and the table stack
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width + 1, overflow
