"""Issue 13, like with like, on the demo rounds: the Vestland Covid-19 picture puts each
number together as its field says (no sum of a percentage or an average), Bergen's new
cases per 1,000 inhabitants stand beside the region's and SNB's with its rank, the
exports say the same, and the daily series' trend page has a chart whose data equals its
table (page and API)."""

import json
import re
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from networks.structure.models import Municipality, NetworkMembership
from reporting.compilation import per_1000
from reporting.demo_series import SERIES_DAYS, SERIES_TITLE
from reporting.exports.picture import compilation_pdf
from reporting.exports.sitrep import sitrep_values
from reporting.exports.tables import round_xlsx
from reporting.models import Compilation, ReportingRound, Submission, SubmissionStatus
from tests.helpers import api, html
from tests.personas import user

pytestmark = pytest.mark.django_db

COVID = "Covid-19: status i kommunene 19. januar 2022"
BERGEN = "kommune-4601"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo rounds, loaded once for the module and rolled back at its end."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo_incidents", stdout=StringIO())
            call_command("load_demo_rounds", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def vestland_picture(title=COVID):
    return Compilation.objects.select_related("round__form_version", "office").get(
        round__title=title, office__slug="vestland"
    )


def submitted(round_, **filters):
    return list(
        Submission.objects.filter(
            round=round_, status=SubmissionStatus.SUBMITTED, **filters
        ).values_list("answers", "municipality_id", "municipality__municipality__population")
    )


def row(text, key):
    return text.split(f'data-field="{key}"')[1].split("</tr>")[0]


def nb(value) -> str:
    return str(value).replace(".", ",")


def test_vestland_picture_shows_no_sum_of_a_percentage_or_an_average(demo, login):
    picture = vestland_picture()
    text = html(login("bergen_manager").get(reverse("reporting:picture", args=[picture.uuid])))
    table = text.split('id="number-summary"')[1].split("</table>")[0]
    rows = re.findall(r'data-aggregate="(\w+)">(.*?)</tr>', table, re.S)
    assert rows
    for aggregate, body in rows:
        # "Sum" is said only of a count
        assert ("<td>Sum</td>" in body) == (aggregate == "sum"), body
    assert 'data-field="vaksinedekning" data-aggregate="weighted_mean"' in table
    assert 'data-field="fravaer_helse" data-aggregate="weighted_mean"' in table
    assert 'data-field="svartid" data-aggregate="median"' in table
    answers = [
        (Decimal(a["vaksinedekning"]), p)
        for a, _m, p in submitted(picture.round, municipality__region=picture.office)
    ]
    mean = (sum(v * p for v, p in answers) / sum(p for _v, p in answers)).quantize(Decimal("0.01"))
    assert 86 < mean < 96  # a coverage, not 3909
    assert f">{nb(mean)}<" in row(table, "vaksinedekning")
    assert "3909" not in table and "Sum 3909" not in text
    # the count: summed, and per 1,000 inhabitants of those who answered
    cases = [
        (a["nye_tilfeller"], p)
        for a, _m, p in submitted(picture.round, municipality__region=picture.office)
    ]
    total = sum(v for v, _p in cases)
    rate = per_1000(total, sum(p for _v, p in cases))
    assert f">{total}<" in row(table, "nye_tilfeller")
    assert f">{nb(rate)}<" in row(table, "nye_tilfeller")
    bergen = Municipality.objects.get(organisation__slug=BERGEN)
    own = Submission.objects.get(round=picture.round, municipality__slug=BERGEN)
    own_rate = per_1000(own.answers["nye_tilfeller"], bergen.population)
    assert f'own-value-per-1000">{nb(own_rate)}<' in row(table, "nye_tilfeller")


def test_bergen_new_cases_per_1000_beside_the_region_and_snb_with_its_rank(demo, login):
    picture = vestland_picture()
    text = html(login("bergen_manager").get(reverse("reporting:picture", args=[picture.uuid])))
    peers = text.split('id="peers"')[1].split("</section>")[0]
    table = peers.split('id="peers-nye_tilfeller"')[1].split("</table>")[0]
    rates = {
        m: per_1000(a["nye_tilfeller"], p)
        for a, m, p in submitted(picture.round)
        if a.get("nye_tilfeller") is not None
    }
    bergen = Municipality.objects.get(organisation__slug=BERGEN)
    own = rates[bergen.organisation_id]
    assert re.search(re.escape(nb(own)) + r" per 1[ \u00a0,]000", table)
    region = set(
        Submission.objects.filter(
            round=picture.round, municipality__region=picture.office
        ).values_list("municipality_id", flat=True)
    )
    snb = set(
        NetworkMembership.objects.current()
        .filter(network__slug="snb")
        .values_list("organisation_id", flat=True)
    )
    for group, members in (("region", region), ("snb", snb)):
        answered = {m: r for m, r in rates.items() if m in members}
        rank = 1 + sum(1 for r in answered.values() if r > own)
        line = table.split(f'data-group="{group}"')[1].split("</tr>")[0]
        assert f"{rank} av {len(answered)}" in line or f"{rank} of {len(answered)}" in line
    assert 'data-kind="neighbours"' in table and 'data-kind="size"' in table
    # the API says the same
    data = (
        api("bergen_manager")
        .get(reverse("api:compilation-peers", kwargs={"uuid": picture.uuid}))
        .json()
    )
    field = next(f for f in data["fields"] if f["key"] == "nye_tilfeller")
    assert Decimal(field["own_per_1000"]) == own
    network = next(g for g in field["groups"] if g["slug"] == "snb")
    assert network["answered"] == len({m for m in rates if m in snb})
    # an officer has no municipality of its own in the picture
    officer = api("vestland_officer")
    assert (
        officer.get(reverse("api:compilation-peers", kwargs={"uuid": picture.uuid})).status_code
        == 403
    )


def test_exports_put_numbers_together_as_the_page(demo):
    picture = vestland_picture()
    values = sitrep_values(picture)
    observation = values["report"]["observationText"]
    coverage = next(line for line in observation.splitlines() if line.startswith("Vaksinedekning"))
    assert "weighted" in coverage.lower() or "vekta" in coverage.lower() or "vektet" in coverage
    assert "sum" not in coverage.lower()
    assert "svartid" in observation.lower()
    answer_time = next(line for line in observation.splitlines() if "svartid" in line.lower())
    assert "median" in answer_time.lower()
    assert compilation_pdf(picture)[:4] == b"%PDF"
    round_ = ReportingRound.objects.get(title=COVID)
    book = load_workbook(BytesIO(round_xlsx(round_, user("vestland_officer"))))
    sheet = book.worksheets[1]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    coverage_row = next(r for label, r in rows.items() if label.startswith("Vaksinedekning"))
    assert 86 < float(coverage_row[2]) < 96 and coverage_row[3] is None
    cases_row = next(r for label, r in rows.items() if label.startswith("Nye bekreftede"))
    officer_cases = [
        (a["nye_tilfeller"], p)
        for a, _m, p in submitted(round_, municipality__region__slug="vestland")
    ]
    assert cases_row[2] == sum(v for v, _p in officer_cases)


def _chart_and_table(text):
    data = json.loads(
        re.search(
            r'<script id="trend-data" type="application/json">(.*?)</script>', text, re.S
        ).group(1)
    )
    for field in data["fields"]:
        opening = f'<table class="ds-table trend-table" data-border data-field="{field["key"]}">'
        table = text.split(opening)[1].split("</table>")[0]
        rows = re.findall(r'<tr data-round="([^"]+)">(.*?)</tr>', table, re.S)
        assert [r for r, _b in rows] == [p["round"] for p in field["points"]]
        for (round_uuid, body), point in zip(rows, field["points"], strict=True):
            shown = dict(re.findall(r'data-series="(\w+)" data-value="([^"]*)"', body))
            assert shown["region"] == (point["region"] or "")
            if "own" in shown:
                assert shown["own"] == (point["own"] or "")
    return data


def test_daily_series_trend_chart_data_equals_its_table(demo, login):
    series = ReportingRound.objects.filter(schedule__title=SERIES_TITLE).order_by("deadline")
    assert series.count() == SERIES_DAYS >= 7
    last = Compilation.objects.get(round=series.last(), office__slug="vestland")
    client = login("bergen_manager")
    picture = html(client.get(reverse("reporting:picture", args=[last.uuid])))
    url = reverse("reporting:picture-trend", args=[last.uuid])
    assert url in picture
    text = html(client.get(url))
    data = _chart_and_table(text)
    assert data["rounds"] == SERIES_DAYS and data["municipality"]
    cases = next(f for f in data["fields"] if f["key"] == "nye_tilfeller")
    assert cases["per_1000"] and all(p["own"] and p["region"] for p in cases["points"])
    assert 'id="trend-chart-nye_tilfeller"' in text and "chart.umd.min.js" in text
    assert "<script>" not in text and 'style="' not in text
    # the region's points are the published pictures' frozen figures
    first = Compilation.objects.get(round=series.first(), office__slug="vestland")
    assert cases["points"][0]["region"] == first.aggregates["numbers"]["nye_tilfeller"]["per_1000"]
    # the API gives the same data
    api_data = (
        api("bergen_manager")
        .get(reverse("api:compilation-trend", kwargs={"uuid": last.uuid}))
        .json()
    )
    api_cases = next(f for f in api_data["fields"] if f["key"] == "nye_tilfeller")
    assert [p["region"] for p in api_cases["points"]] == [p["region"] for p in cases["points"]]
    # the 19 January picture's series: the same frame and form (its own round and the
    # seven daily ones)
    january = html(client.get(reverse("reporting:picture-trend", args=[vestland_picture().uuid])))
    assert _chart_and_table(january)["rounds"] == SERIES_DAYS + 1
