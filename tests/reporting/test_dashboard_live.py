"""The live dashboard and national view (issue 13 part 3): the poll answers 204 while
nothing changed in the round, with one scoped query and a cache read; a submission,
acknowledgement or publication changes the version, and the poll then brings the counts,
the table as the user filtered and sorted it, the map's data and a summary for screen
readers — in a constant number of queries for 8 or 357 municipalities."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.live import LIVE_HEADER, VERSION_HEADER
from reporting import actions
from tests.helpers import html
from tests.personas import user
from tests.reporting.dashboard_helpers import (
    BERGEN,
    STAVANGER,
    VOSS,
    answers,
    national_round,
    snb_round,
    sub,
    submit,
    vestland_round,
)

pytestmark = pytest.mark.django_db


def live_url(round_, query=""):
    return reverse("reporting:dashboard-live", kwargs={"uuid": round_.uuid}) + query


def page_version(client, round_, name="dashboard"):
    page = html(client.get(reverse(f"reporting:{name}", kwargs={"uuid": round_.uuid})))
    return page.split('data-live-version="')[1].split('"')[0]


def test_unchanged_is_204_with_one_query(login, django_capture_on_commit_callbacks):
    round_ = vestland_round()
    client = login("vestland_officer")
    version = page_version(client, round_)
    assert version
    client.get(live_url(round_, f"?v={version}"))  # warm up (session, user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(live_url(round_, f"?v={version}"))
    assert response.status_code == 204 and response.content == b""
    assert response[LIVE_HEADER] == "unchanged"
    # the session, the user and their roles (middleware), the scoped round: no row
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if "reporting_submission" in q.split("WHERE")[0]], sql
    assert sum('FROM "reporting_reportinground"' in q for q in sql) == 1, sql
    assert len(sql) <= 7, sql


def test_a_submission_changes_the_poll(login, django_capture_on_commit_callbacks):
    round_ = vestland_round()
    client = login("vestland_officer")
    version = page_version(client, round_)
    with django_capture_on_commit_callbacks(execute=True):
        submit(round_, BERGEN, answers(vann="red"))
    response = client.get(live_url(round_, f"?v={version}&state=submitted&ordering=-name"))
    assert response.status_code == 200 and response[LIVE_HEADER] == "changed"
    new_version = response[VERSION_HEADER]
    assert new_version and new_version != version
    fragment = html(response)
    # the counts, the table filtered as the page was, the map's data, the summary
    assert 'id="dashboard-counts"' in fragment and 'id="results"' in fragment
    assert fragment.count("<tr data-municipality=") == 1 and "Bergen" in fragment
    assert 'aria-sort="descending"' in fragment
    data = json.loads(fragment.split('id="dashboard-map-data" type="application/json">')[1]
                      .split("<")[0])  # fmt: skip
    assert data["4601"]["category"] == "submitted"
    assert "1 submitted on time" in fragment or "1 sendt inn i tide" in fragment
    # the sort links of the fresh table do not carry the version
    assert "v=" not in fragment.split('id="dashboard-table"')[1].split("</thead>")[0]
    assert client.get(live_url(round_, f"?v={new_version}")).status_code == 204


def test_acknowledgement_and_publication_change_it(login, django_capture_on_commit_callbacks):
    round_ = vestland_round()
    client = login("vestland_officer")
    with django_capture_on_commit_callbacks(execute=True):
        submit(round_, BERGEN)
    version = page_version(client, round_)
    assert client.get(live_url(round_, f"?v={version}")).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_acknowledge(sub(round_, BERGEN), acting_user=user("vestland_officer"))
    response = client.get(live_url(round_, f"?v={version}"))
    assert response.status_code == 200
    version = response[VERSION_HEADER]
    office = round_.recipients.get(slug=BERGEN).region
    with django_capture_on_commit_callbacks(execute=True):
        compilation = actions.do_start_compilation(
            round_, acting_user=user("vestland_officer"), office=office
        )
        compilation = actions.do_save_assessment(
            compilation, acting_user=user("vestland_officer"), assessment="Rolig.",
            expected_version=compilation.version,
        )  # fmt: skip
        actions.do_publish_compilation(compilation, acting_user=user("vestland_officer"))
    assert client.get(live_url(round_, f"?v={version}")).status_code == 200


def test_outsiders_get_no_poll(login):
    round_ = vestland_round()
    assert login("bergen_manager").get(live_url(round_, "?v=x")).status_code == 403
    assert login("rogaland_officer").get(live_url(round_, "?v=x")).status_code == 404


def test_changed_poll_queries_constant_for_8_or_357_municipalities(login):
    small, large = snb_round(), national_round()
    for round_ in (small, large):
        submit(round_, BERGEN, answers(vann="red"))
        submit(round_, STAVANGER)
    client = login("dsb_analyst")

    def count(target):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target)
        assert response.status_code == 200
        return len(queries)

    count(live_url(small, "?v=old"))  # warm up
    few, many = count(live_url(small, "?v=old")), count(live_url(large, "?v=old"))
    assert few == many <= 12, (few, many)
    national = lambda r, v="old": (  # noqa: E731
        reverse("reporting:national-live", kwargs={"uuid": r.uuid}) + f"?v={v}"
    )
    count(national(small))
    assert count(national(small)) == count(national(large))


def test_national_view_poll(login, django_capture_on_commit_callbacks):
    round_ = national_round()
    client = login("dsb_analyst")
    version = page_version(client, round_, "national")
    target = reverse("reporting:national-live", kwargs={"uuid": round_.uuid})
    assert client.get(f"{target}?v={version}").status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        submit(round_, VOSS)
    response = client.get(f"{target}?v={version}")
    assert response.status_code == 200
    fragment = html(response)
    assert 'id="region-table-wrap"' in fragment and 'id="national-map-data"' in fragment
    assert login("bergen_manager").get(f"{target}?v=x").status_code in (403, 404)
