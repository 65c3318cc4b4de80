"""Input the database cannot hold is refused by the API as a field error (400), in any
query parameter and any body, before it reaches a query: NUL bytes and lone surrogates
(PostgreSQL text refuses them), time-zone offsets outside ±24 h, integers beyond the
database's range. Found by schemathesis (tests/portal/test_api_schemathesis.py); each
root cause has its own case here."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reporting.models import Submission
from tests.personas import user
from tests.reporting.test_rounds import VALID, vestland_round

pytestmark = pytest.mark.django_db


def api(name="bergen_manager"):
    client = APIClient()
    client.force_authenticate(user(name))
    return client


def field_errors(response):
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/documents/", "q"),  # read by the view, not by a FilterSet
        ("/api/v1/adoptions/", "source"),
    ],
)
def test_a_nul_byte_in_a_query_parameter_is_a_field_error(url, param):
    errors = field_errors(api().get(url, {param: "flom\x00"}))
    assert param in errors


def test_a_nul_byte_in_a_path_parameter_is_a_field_error():
    assert "slug" in field_errors(api().get("/api/v1/networks/a%00b/"))


@pytest.mark.parametrize("param", ["since", "occurred_from", "occurred_to"])
@pytest.mark.parametrize("offset", ["+23:59", "-16:00"])
def test_a_time_zone_offset_no_place_has_is_a_field_error(param, offset):
    # Python takes offsets below 24 h (+99:00 was refused already), PostgreSQL below 16 h:
    # these were server errors.
    response = api().get("/api/v1/entries/", {param: "2026-01-01T00:00:00" + offset})
    assert param in field_errors(response)
    # The widest offset in use still filters.
    response = api().get("/api/v1/entries/", {param: "2026-01-01T00:00:00+14:00"})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"municipality": "4601", "answers": {**VALID, "merknad": "a\x00b"}}, "answers"),
        ({"municipality": "4601", "answers": {"\x00": 1, **VALID}}, "answers"),
        ({"municipality": "4601", "answers": VALID, "version": 2**63}, "version"),
        ({"municipality": "4601", "answers": VALID, "version": -1}, "version"),
    ],
)
def test_malformed_reports_are_field_errors_and_save_nothing(payload, field):
    round_ = vestland_round()
    response = api().post(report_url(round_), payload, format="json")
    assert field in field_errors(response)
    assert_nothing_saved(round_)


def test_a_lone_surrogate_in_a_body_is_a_field_error():
    round_ = vestland_round()
    # Sent as the escape \ud800 (json.dumps escapes what UTF-8 cannot encode).
    body = json.dumps({"municipality": "4601", "answers": {**VALID, "merknad": "\ud800"}})
    response = api().post(report_url(round_), body, content_type="application/json")
    assert "answers" in field_errors(response)
    assert_nothing_saved(round_)


def report_url(round_):
    return reverse("api:reporting-round-reports", kwargs={"uuid": round_.uuid})


def assert_nothing_saved(round_):
    bergen = Submission.objects.get(round=round_, municipality__slug="kommune-4601")
    assert (bergen.status, bergen.answers) == ("draft", {})


def test_an_unknown_format_is_a_field_error_not_404():
    response = api("ks_analyst").get(
        "/api/v1/lessons/export/", {"format": "docx", "start": "2026-01-01", "end": "2026-02-01"}
    )
    assert "format" in field_errors(response)
