"""KS summaries: rounds over a period for a network's members or all municipalities,
submission and lateness rates, status per sector, incidents per type; exercises left out
unless asked for; aggregates for KS and national analysts only; a constant number of
queries however many rounds."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from incidents.log.models import CrisisFrame, Incident
from networks.structure.models import Network, NetworkMembership, Office, Organisation
from portal.exports.times import OSLO
from reporting import actions
from reporting.exports.summary import ks_summary, ks_summary_pdf, ks_summary_xlsx
from reporting.models import ReportingRound, Submission
from tests.helpers import org
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN, STAVANGER = "kommune-4601", "kommune-1103"
START = date(2025, 3, 1)  # a month without demo data
DEFINITION = {
    "sections": [
        {
            "key": "status",
            "title": "Status",
            "fields": [
                {"key": "vann", "type": "sector_status", "label": "Vann og avløp"},
                {"key": "helse", "type": "sector_status", "label": "Helse og omsorg"},
                {"key": "antall", "type": "integer", "label": "Antall"},
            ],
        }
    ]
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def form():
    return actions.do_create_form(
        owner=org("dsb"),
        acting_user=user("dsb_analyst"),
        title="KS-test",
        track="preparedness",
        kind="short",
        definition=DEFINITION,
    )


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)), OSLO)


def make_round(form, day, *, exercise=False, frame=None, offices=None):
    """A round opened on ``day`` at 12 with its deadline at 15: Bergen answered on time
    (water red, health yellow), Stavanger late (water green); the rest missing."""
    kwargs = {"offices": offices} if offices else {"network": Network.objects.get(slug="snb")}
    round_ = actions.do_issue_round(
        issuer=org("dsb"),
        acting_user=user("dsb_analyst"),
        form=form,
        title=f"Runde {day}",
        deadline=timezone.now() + timedelta(days=1),
        frame=frame,
        **kwargs,
    )
    ReportingRound.objects.filter(pk=round_.pk).update(
        opened_at=at(day, 12), deadline=at(day, 15), is_exercise=exercise or round_.is_exercise
    )
    Submission.objects.filter(round=round_, municipality__slug=BERGEN).update(
        status="submitted",
        submitted_at=at(day, 14),
        answers={"vann": {"status": "red", "comment": "Brudd"}, "helse": {"status": "yellow"},
                 "antall": 4},
    )  # fmt: skip
    Submission.objects.filter(round=round_, municipality__slug=STAVANGER).update(
        status="submitted",
        submitted_at=at(day, 16),
        is_late=True,
        answers={"vann": {"status": "green"}, "antall": 2},
    )
    return round_


def snb_members():
    return (
        NetworkMembership.objects.current(on=START + timedelta(days=30))
        .filter(network__slug="snb", organisation__kind="municipality")
        .count()
    )


def summary(who="ks_analyst", network="snb", days=30, **kwargs):
    return ks_summary(
        user=user(who),
        network=Network.objects.get(slug=network) if network else None,
        start=START,
        end=START + timedelta(days=days),
        **kwargs,
    )


def incident(slug, type_, day, *, exercise=False):
    return Incident.objects.create(
        owner=org(slug),
        title=f"{type_} {day}",
        type=type_,
        started_at=at(day, 8),
        is_exercise=exercise,
        created_by=user("bergen_manager"),
    )


def test_numbers_rates_sectors_and_incidents_for_a_network(form):
    members = snb_members()
    for offset in range(3):
        make_round(form, START + timedelta(days=offset))
    make_round(form, START + timedelta(days=40))  # after the period
    incident(BERGEN, "flood", START + timedelta(days=1))
    incident(BERGEN, "flood", START + timedelta(days=2))
    incident(STAVANGER, "power_outage", START + timedelta(days=2))
    incident(BERGEN, "storm", START + timedelta(days=40))  # after the period
    incident(BERGEN, "cyber", START + timedelta(days=3), exercise=True)
    incident("kommune-3301", "fire", START + timedelta(days=3))  # Drammen: not in SNB

    result = summary()
    totals = result["totals"]
    assert totals["rounds"] == 3
    assert totals["recipients"] == 3 * members
    assert totals["submitted"] == 6 and totals["late"] == 3
    assert totals["missing"] == 3 * (members - 2) and totals["awaiting"] == 0
    assert totals["submission_rate"] == round(6 / (3 * members), 4)
    assert totals["lateness_rate"] == 0.5
    assert [r["title"] for r in result["rounds"]] == [
        f"Runde {START + timedelta(days=i)}" for i in range(3)
    ]
    assert all(r["recipients"] == members and not r["exercise"] for r in result["rounds"])
    sectors = {s["key"]: s for s in result["sectors"]}
    assert sectors["vann"] == {"key": "vann", "label": "Vann og avløp", "green": 3,
                               "yellow": 0, "red": 3, "total": 6, "green_municipalities": 1,
                               "yellow_municipalities": 0, "red_municipalities": 1}  # fmt: skip
    assert sectors["helse"]["yellow"] == 3 and sectors["helse"]["total"] == 3
    assert "antall" not in sectors
    assert {i["type"]: i["count"] for i in result["incidents"]} == {"flood": 2, "power_outage": 1}
    assert result["network"] == {"slug": "snb", "name": Network.objects.get(slug="snb").name}
    assert result["period"] == {"start": "2025-03-01", "end": "2025-03-31"}


def test_all_municipalities_and_a_network_count_different_recipients(form):
    vestland = Office.objects.get(slug="vestland")
    make_round(form, START, offices=[vestland])
    region = Organisation.objects.filter(kind="municipality", region=vestland).count()
    everyone = summary(network=None)
    assert everyone["network"] is None
    assert everyone["totals"]["recipients"] == region
    assert everyone["totals"]["submitted"] == 1  # Bergen; Stavanger is not in the region
    network = summary()
    assert network["totals"]["recipients"] == 1  # of the SNB members only Bergen


def test_exercises_are_left_out_unless_asked_for(form):
    exercise_frame = CrisisFrame.objects.create(
        title="Øvelse Fjell",
        type="flood",
        is_exercise=True,
        started_at=at(START, 8),
        owner=org("dsb"),
    )
    make_round(form, START)
    make_round(form, START + timedelta(days=1), exercise=True)
    make_round(form, START + timedelta(days=2), frame=exercise_frame)
    incident(BERGEN, "flood", START)
    incident(BERGEN, "flood", START, exercise=True)

    real = summary()
    assert real["totals"]["rounds"] == 1 and real["totals"]["exercise_rounds"] == 0
    assert real["include_exercises"] is False
    assert {s["key"]: s["red"] for s in real["sectors"]}["vann"] == 1
    assert real["incidents"] == [
        {"type": "flood", "label": "Flood", "count": 1, "municipalities": 1}
    ]

    everything = summary(include_exercises=True)
    assert everything["totals"]["rounds"] == 3 and everything["totals"]["exercise_rounds"] == 2
    assert [r["exercise"] for r in everything["rounds"]] == [False, True, True]
    assert everything["incidents"][0]["count"] == 2


def test_only_ks_and_national_analysts(form):
    assert summary("dsb_analyst")["totals"]["rounds"] == 0
    for persona in ("bergen_manager", "vestland_officer", "snb_coordinator", "nobody"):
        with pytest.raises(PermissionDenied):
            summary(persona)


def test_xlsx_and_pdf_of_a_summary_label_exercises(form):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    make_round(form, START)
    make_round(form, START + timedelta(days=1), exercise=True)
    result = summary(include_exercises=True)
    book = load_workbook(io.BytesIO(ks_summary_xlsx(result)))
    assert book.sheetnames == ["Summary", "Regions", "Rounds", "Sectors", "Incidents"]
    rounds = list(book["Rounds"].iter_rows(values_only=True))
    assert len(rounds) == 3 and [r[3] for r in rounds[1:]] == [None, "ØVELSE"]
    summary_rows = dict(book["Summary"].iter_rows(values_only=True))
    assert summary_rows["Rounds"] == 2
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(ks_summary_pdf(result))).pages)
    assert "ØVELSE" in text and "Vann og avløp" in text
    assert Network.objects.get(slug="snb").name in text


def test_constant_queries_for_few_and_many_rounds(form):
    analyst = user("ks_analyst")

    def count(start, days):
        ks_summary(user=analyst, start=start, end=start + timedelta(days=days))  # viewer cached
        with CaptureQueriesContext(connection) as queries:
            result = ks_summary(user=analyst, start=start, end=start + timedelta(days=days))
        return len(queries), result["totals"]["rounds"]

    for offset in range(2):
        make_round(form, START + timedelta(days=offset))
    later = START + timedelta(days=60)
    for offset in range(12):
        make_round(form, later + timedelta(days=offset))
    few, few_rounds = count(START, 10)
    many, many_rounds = count(later, 20)
    assert (few_rounds, many_rounds) == (2, 12)
    assert few == many <= 7
