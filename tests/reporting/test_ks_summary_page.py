"""The KS summary on screen before the file (issue 13 part 6): the figures filtered by
network, period and crisis frame; small groups suppressed on the page and in the file
alike (one constant); the XLSX holds exactly the page's figures; the API answers the
same tables; a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from incidents.log.models import CrisisFrame
from reporting.exports import tasks as export_tasks
from reporting.exports.summary_figures import (
    MIN_MUNICIPALITIES,
    SUPPRESSED,
    count_cell,
    figures,
    rate_cell,
)
from reporting.models import ExportJob, Submission
from tests.helpers import api, html, org
from tests.personas import user
from tests.reporting.ks_tables import page_tables, workbook_tables
from tests.reporting.test_ks_summary import (  # noqa: F401  (the form fixture)
    START,
    at,
    form,
    incident,
    make_round,
    summary,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"  # the pages' and the export task's language
    with translation.override("en"):
        yield


def query(**extra):
    params = {"network": "snb", "start": START.isoformat(),
              "end": (START + timedelta(days=30)).isoformat(), **extra}  # fmt: skip
    return "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_one_constant_decides_what_is_suppressed():
    assert MIN_MUNICIPALITIES == 3 and SUPPRESSED == "1–2"
    assert count_cell(0, 0) == 0
    assert count_cell(5, 1) == SUPPRESSED and count_cell(5, 2) == SUPPRESSED
    assert count_cell(5, 3) == 5
    assert rate_cell(SUPPRESSED, 10) == SUPPRESSED and rate_cell(3, 0) is None
    assert rate_cell(1, 4) == 0.25


def test_small_groups_are_suppressed(form):  # noqa: F811
    for offset in range(3):
        make_round(form, START + timedelta(days=offset))
    incident("kommune-4601", "flood", START + timedelta(days=1))
    incident("kommune-4601", "flood", START + timedelta(days=2))
    shown = figures(summary())
    totals = dict(shown["totals"])
    # two municipalities answered (Bergen on time, Stavanger late), each three times
    assert totals["Submitted"] == SUPPRESSED and totals["Late"] == SUPPRESSED
    assert totals["Submission rate"] == SUPPRESSED
    assert isinstance(totals["Reports asked for"], int)
    # two floods, both Bergen's: one municipality
    assert shown["incidents"]["rows"] == [{"label": "Flood", "count": SUPPRESSED, "width": 0}]
    # water: Bergen red, Stavanger green: one municipality each, the total hidden too
    vann = next(r for r in shown["sectors"]["rows"] if r["label"] == "Vann og avløp")
    assert vann["cells"] == [SUPPRESSED, 0, SUPPRESSED, SUPPRESSED] and vann["bars"] == []
    # a region with fewer than three SNB members shows nothing but the range
    small = [r for r in shown["regions"]["rows"] if r["cells"][0] == SUPPRESSED]
    assert small and all(set(r["cells"]) == {SUPPRESSED} for r in small)
    for row in shown["rounds"]["rows"]:
        assert row[5] == SUPPRESSED  # submitted: 2 municipalities


def test_a_group_of_three_is_shown(form):  # noqa: F811
    round_ = make_round(form, START)
    extra = (
        Submission.objects.filter(round=round_, status="draft")
        .exclude(municipality__slug__in=("kommune-4601", "kommune-1103"))
        .first()
    )
    Submission.objects.filter(pk=extra.pk).update(
        status="submitted", submitted_at=at(START, 13), answers={"vann": {"status": "red"}}
    )
    totals = dict(figures(summary())["totals"])
    assert totals["Submitted"] == 3 and totals["Late"] == SUPPRESSED


def test_page_shows_the_figures_and_the_file_holds_them(login, form):  # noqa: F811
    frame = CrisisFrame.objects.create(
        title="Storm Ingrid", type="storm", started_at=at(START, 6), owner=org("dsb")
    )
    for offset in range(2):
        day = START + timedelta(days=offset)
        round_ = make_round(form, day, frame=frame)
        # every other SNB member on time with water green: groups large enough to show
        Submission.objects.filter(round=round_, status="draft").update(
            status="submitted", submitted_at=at(day, 13)
        )
        Submission.objects.filter(round=round_).update(answers={"vann": {"status": "green"}})
    make_round(form, START + timedelta(days=3))  # outside the frame
    client = login("ks_analyst")
    response = client.get(reverse("reporting:ks-summary") + query(frame=frame.uuid))
    assert response.status_code == 200
    page = html(response)
    screen = page_tables(page)
    assert len(screen["ks-rounds"]) == 1 + 2  # the header and the frame's two rounds
    assert "Storm Ingrid" in dict((r[0], r[1]) for r in screen["ks-totals"])["Crisis frame"]
    assert "ks-stack__part--green w-" in page  # the sector chart beside its table
    totals = dict((r[0], r[1]) for r in screen["ks-totals"])
    assert totals["Late"] == SUPPRESSED and totals["Submitted"].isdigit()
    # the download carries the page's parameters
    assert f'name="frame" value="{frame.uuid}"' in page
    post = client.post(
        reverse("reporting:ks-summary"),
        {"network": "snb", "start": START.isoformat(),
         "end": (START + timedelta(days=30)).isoformat(), "frame": str(frame.uuid),
         "format": "ks_summary_xlsx"},
    )  # fmt: skip
    assert post.status_code == 302
    job = ExportJob.objects.get(requested_by=user("ks_analyst"))
    export_tasks.run_export(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        book = workbook_tables(handle.read())
    generated = {"Generated"}
    for table_id, rows in screen.items():
        if table_id == "ks-totals":
            rows = [r for r in rows if r[0] not in generated]
            book[table_id] = [r for r in book[table_id] if r[0] not in generated]
        assert rows == book[table_id], table_id


def test_bad_filters_are_400_in_place(login):
    client = login("ks_analyst")
    response = client.get(reverse("reporting:ks-summary") + "?start=2026-02-01&end=2026-01-01")
    assert response.status_code == 400
    assert "The end cannot be before the start." in html(response)
    assert client.get(reverse("reporting:ks-summary")).status_code == 200  # the default period


def test_constant_queries_for_few_and_many_rounds(login, form):  # noqa: F811
    for offset in range(2):
        make_round(form, START + timedelta(days=offset))
    later = START + timedelta(days=60)
    for offset in range(12):
        make_round(form, later + timedelta(days=offset))
    client = login("ks_analyst")

    def count(start, days):
        target = reverse("reporting:ks-summary") + (
            f"?start={start.isoformat()}&end={(start + timedelta(days=days)).isoformat()}"
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        return len(queries)

    count(START, 10)
    assert count(START, 10) == count(later, 20)


def test_api_gives_the_same_tables(form):  # noqa: F811
    make_round(form, START)
    endpoint = reverse("api:ks-summary")
    response = api("ks_analyst").get(endpoint + query())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["min_municipalities"] == MIN_MUNICIPALITIES
    shown = figures(summary())
    assert body["sectors"]["rows"][0]["cells"] == shown["sectors"]["rows"][0]["cells"]
    assert api("bergen_manager").get(endpoint + query()).status_code == 403
    assert api("ks_analyst").get(endpoint + "?start=x").status_code == 400
