"""The State Administrator's dashboard: rows and states (submitted / late / missing / not
yet), sector statuses and numbers, filters and sorting (page, HTMX partial, API), who may
open it, and a constant number of queries for 8 or 357 municipalities."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from networks.structure.models import Office
from reporting import actions
from reporting.dashboards.queries import dashboard_rows, state_counts
from tests.helpers import html
from tests.personas import user
from tests.reporting.dashboard_helpers import (
    BERGEN,
    STAVANGER,
    VOSS,
    answers,
    national_round,
    pass_deadline,
    snb_round,
    sub,
    submit,
    vestland_round,
)

pytestmark = pytest.mark.django_db


def url(round_, query=""):
    return reverse("reporting:dashboard", kwargs={"uuid": round_.uuid}) + query


@pytest.fixture
def loop_round():
    """Bergen on time (yellow water, 40 evacuated), Voss late (red power, needs help),
    the rest of Vestland missing."""
    round_ = vestland_round()
    submit(round_, BERGEN, answers(evakuerte=40, vann="yellow"))
    pass_deadline(round_)
    submit(round_, VOSS, answers(evakuerte=5, strom="red", behov="ja"))
    return round_


def test_rows_and_counts(loop_round):
    rows = dashboard_rows(loop_round)
    by_name = {row["municipality"]: row for row in rows}
    assert by_name["Bergen"]["state"] == "submitted"
    assert by_name["Voss"]["state"] == "late"
    assert by_name["Stord"]["state"] == "missing"
    assert [s["status"] for s in by_name["Bergen"]["statuses"]] == ["yellow", "green"]
    assert by_name["Bergen"]["statuses"][0]["comment"] == "Kokevarsel"
    assert by_name["Voss"]["numbers"][0]["value"] == 5
    assert by_name["Stord"]["statuses"][0]["status"] == ""
    counts = state_counts(rows)
    assert counts["submitted"] == 1 and counts["late"] == 1
    assert counts["missing"] == counts["total"] - 2 == len(rows) - 2
    assert counts["awaiting"] == 0
    assert [r["municipality"] for r in rows] == sorted(r["municipality"] for r in rows)


def test_before_the_deadline_the_others_are_awaiting():
    round_ = vestland_round()
    submit(round_, BERGEN)
    counts = state_counts(dashboard_rows(round_))
    assert counts["submitted"] == 1 and counts["missing"] == 0
    assert counts["awaiting"] == counts["total"] - 1


def test_drafts_do_not_show_their_answers():
    round_ = vestland_round()
    draft = sub(round_, BERGEN)
    from tests.reporting.dashboard_helpers import writer_for

    actions.do_save_draft(
        draft, answers(vann="red"), expected_version=draft.version, acting_user=writer_for(BERGEN)
    )
    row = next(r for r in dashboard_rows(round_) if r["municipality"] == "Bergen")
    assert row["state"] == "awaiting" and row["statuses"][0]["status"] == ""


def test_acknowledged_and_last_seen(loop_round):
    bergen = sub(loop_round, BERGEN)
    actions.do_acknowledge(bergen, acting_user=user("vestland_officer"))
    officer = user("vestland_officer")
    compilation = actions.do_start_compilation(
        loop_round, acting_user=officer, office=Office.objects.get(slug="vestland")
    )
    actions.do_save_assessment(
        compilation, acting_user=officer, assessment="Rolig.", expected_version=1
    )
    compilation = actions.do_publish_compilation(compilation, acting_user=officer)
    actions.record_seen(compilation, user("bergen_manager"))
    by_name = {r["municipality"]: r for r in dashboard_rows(loop_round)}
    assert by_name["Bergen"]["acknowledged_at"] is not None
    assert by_name["Bergen"]["last_seen_at"] is not None
    assert by_name["Voss"]["acknowledged_at"] is None and by_name["Voss"]["last_seen_at"] is None


# --- the page --------------------------------------------------------------------------


def test_page_shows_counts_map_and_table(login, loop_round):
    response = login("vestland_officer").get(url(loop_round))
    assert response.status_code == 200
    page = html(response)
    assert 'id="status-map"' in page and 'id="dashboard-table"' in page
    assert 'data-state="late"' in page and 'data-state="missing"' in page
    assert reverse("reporting:submission", kwargs={"uuid": sub(loop_round, BERGEN).uuid}) in page
    marker = 'id="dashboard-map-data" type="application/json">'
    data = json.loads(page.split(marker)[1].split("<")[0])
    assert data["4601"]["category"] == "submitted"
    assert data["4621"]["category"] == "late"
    assert sum(v["category"] == "missing" for v in data.values()) == len(data) - 2
    assert "1103" not in data  # Stavanger is not in Vestland
    assert 'id="compile-button"' in page


def test_filters_and_sorting(login, loop_round):
    client = login("vestland_officer")
    page = html(client.get(url(loop_round, "?state=late")))
    assert "Voss" in page and ">Bergen<" not in page
    page = html(client.get(url(loop_round, "?sector_status=red")))
    assert ">Voss<" in page and ">Bergen<" not in page
    page = html(client.get(url(loop_round, "?sector_status=red_yellow&sector=vann_status")))
    assert ">Bergen<" in page and ">Voss<" not in page
    page = html(client.get(url(loop_round, "?q=berg")))
    assert ">Bergen<" in page and ">Voss<" not in page
    page = html(client.get(url(loop_round, "?ordering=-number:evakuerte")))
    assert page.index(">Bergen<") < page.index(">Voss<")
    page = html(client.get(url(loop_round, "?ordering=state")))
    assert page.index(">Voss<") < page.index(">Bergen<")  # late before submitted
    assert 'aria-sort="ascending"' in page


def test_htmx_gets_the_table_only(login, loop_round):
    response = login("vestland_officer").get(url(loop_round, "?state=late"), HTTP_HX_REQUEST="true")
    page = html(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="results"')
    assert "<html" not in page and ">Voss<" in page


def test_bad_filters_are_400_with_a_message(login, loop_round):
    client = login("vestland_officer")
    response = client.get(url(loop_round, "?state=bogus&ordering=nope&sector=x"))
    assert response.status_code == 400
    page = html(response)
    assert "Choose submitted, late, missing or awaiting." in page or "state" in page
    api = APIClient()
    api.force_authenticate(user("vestland_officer"))
    response = api.get(
        reverse("api:reporting-round-dashboard", kwargs={"uuid": loop_round.uuid}),
        {"state": "bogus", "sector_status": "blue"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"state", "sector_status"}


def test_who_may_open_the_dashboard(login, loop_round):
    assert login("bergen_manager").get(url(loop_round)).status_code == 403  # sees the round
    assert login("rogaland_officer").get(url(loop_round)).status_code == 404
    assert login("dsb_analyst").get(url(loop_round)).status_code == 404


def test_regions_of_a_national_round(login):
    round_ = snb_round()
    client = login("dsb_analyst")
    page = html(client.get(url(round_)))
    assert ">Bergen<" in page and ">Stavanger<" in page  # the issuer sees every region
    page = html(client.get(url(round_, "?region=vestland")))
    assert ">Bergen<" in page and ">Stavanger<" not in page
    client = login("vestland_officer")
    page = html(client.get(url(round_)))  # an officer: own region by default
    assert ">Bergen<" in page and ">Stavanger<" not in page
    assert client.get(url(round_, "?region=rogaland")).status_code == 404
    api = APIClient()
    api.force_authenticate(user("rogaland_officer"))
    response = api.get(reverse("api:reporting-round-dashboard", kwargs={"uuid": round_.uuid}))
    assert response.status_code == 200
    assert response.json()["region"] == "rogaland"
    assert {r["municipality"] for r in response.json()["results"]} >= {"Stavanger"}
    assert "Bergen" not in {r["municipality"] for r in response.json()["results"]}


def test_api_dashboard(loop_round):
    api = APIClient()
    api.force_authenticate(user("vestland_officer"))
    endpoint = reverse("api:reporting-round-dashboard", kwargs={"uuid": loop_round.uuid})
    body = api.get(endpoint, {"ordering": "state"}).json()
    assert body["counts"]["late"] == 1 and body["counts"]["submitted"] == 1
    first = body["results"][0]
    assert first["state"] == "missing"
    voss = next(r for r in body["results"] if r["municipality"] == "Voss")
    assert voss["state"] == "late" and voss["number"] == "4621"
    assert voss["statuses"][1] == {"key": "strom_status", "status": "red", "comment": ""}
    api.force_authenticate(user("bergen_manager"))
    assert api.get(endpoint).status_code == 403
    api.force_authenticate(user("stavanger_manager"))
    assert api.get(endpoint).status_code == 404


# --- constant queries ------------------------------------------------------------------


def _queries(client, target):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    return len(queries)


def test_constant_queries_for_8_or_357_municipalities(login):
    small, large = snb_round(), national_round()
    assert small.recipients.count() < 10 and large.recipients.count() == 357
    for round_ in (small, large):
        submit(round_, BERGEN, answers(vann="red"))
        submit(round_, STAVANGER)
    client = login("dsb_analyst")
    _queries(client, url(small))  # warm up (session, content types)
    page_small, page_large = _queries(client, url(small)), _queries(client, url(large))
    assert page_small == page_large, (page_small, page_large)
    assert page_large <= 12
    large_page = html(client.get(url(large)))
    assert large_page.count("<tr data-municipality=") == 357
    api = APIClient()
    api.force_authenticate(user("dsb_analyst"))

    def api_queries(round_):
        endpoint = reverse("api:reporting-round-dashboard", kwargs={"uuid": round_.uuid})
        with CaptureQueriesContext(connection) as queries:
            assert api.get(endpoint).status_code == 200
        return len(queries)

    api_queries(small)
    assert api_queries(small) == api_queries(large)
    with CaptureQueriesContext(connection) as queries:
        rows = dashboard_rows(large)
    assert len(rows) == 357 and len(queries) == 1
