"""Drafts stay home: a submission's answers reach the office, the issuer and national
analysts only once submitted — pages, API, exports and dashboards alike
(``SubmissionQuerySet.with_answers_for``). They see that a draft exists and when it was
last saved; the municipality's own writers and readers see their draft."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from networks.structure.models import Office, Organisation
from reporting import actions
from reporting.dashboards.queries import dashboard_rows
from reporting.exports import tables
from reporting.models import Submission, SubmissionRevision
from tests.helpers import api
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN = "kommune-4601"
SECRET = "Hemmelig utkast 4711"
DEFINITION = {
    "sections": [
        {
            "key": "status",
            "title": "Status",
            "fields": [
                {"key": "evakuerte", "type": "integer", "label": "Evakuerte", "required": True,
                 "min": 0, "max": 100000},
                {"key": "merknad", "type": "long_text", "label": "Merknad"},
            ],
        }
    ]
}  # fmt: skip


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def a_round(*, issuer="statsforvalteren-vestland", issued_by="vestland_officer"):
    form = actions.do_create_form(
        owner=Organisation.objects.get(slug=issuer),
        acting_user=user(issued_by),
        title=f"Utkasttest {issuer}",
        track="preparedness",
        kind="short",
        definition=DEFINITION,
    )
    return actions.do_issue_round(
        issuer=Organisation.objects.get(slug=issuer),
        acting_user=user(issued_by),
        form=form,
        title="Storm i Vestland",
        deadline=timezone.now() + timedelta(hours=4),
        offices=[Office.objects.get(slug="vestland")],
    )


def bergen_draft(round_):
    bergen = Submission.objects.get(round=round_, municipality__slug=BERGEN)
    return actions.do_save_draft(
        bergen,
        {"evakuerte": "4711", "merknad": SECRET},
        expected_version=bergen.version,
        acting_user=user("bergen_manager"),
    )


def bergen_in_list(name, round_):
    response = api(name).get(reverse("api:submission-list"), {"round": str(round_.uuid)})
    assert response.status_code == 200
    results = response.json()["results"]
    return next(r for r in results if r["id"] == str(bergen_uuid(round_)))


def bergen_uuid(round_):
    return Submission.objects.get(round=round_, municipality__slug=BERGEN).uuid


@pytest.mark.parametrize(
    "issuer,issued_by,upward",
    [
        ("statsforvalteren-vestland", "vestland_officer", "vestland_officer"),
        ("dsb", "dsb_analyst", "dsb_analyst"),  # a national body issues: its analysts
        ("dsb", "dsb_analyst", "vestland_officer"),  # … and the region's office
    ],
)
def test_api_shows_the_office_and_the_issuer_that_a_draft_exists_not_its_answers(
    issuer, issued_by, upward
):
    round_ = a_round(issuer=issuer, issued_by=issued_by)
    draft = bergen_draft(round_)
    row = bergen_in_list(upward, round_)
    assert row["status"] == "draft"
    assert row["answers"] == {} and row["answers_withheld"] is True
    assert row["updated_at"] is not None  # when it was last saved
    detail = api(upward).get(reverse("api:submission-detail", kwargs={"uuid": draft.uuid}))
    assert detail.status_code == 200
    assert detail.json()["answers"] == {} and SECRET not in detail.content.decode()

    # The municipality's own people see their draft.
    for own in ("bergen_manager", "bergen_reader"):
        row = bergen_in_list(own, round_)
        assert row["answers"]["merknad"] == SECRET and row["answers_withheld"] is False


def test_api_upward_side_sees_the_last_submitted_revision_through_an_amendment():
    round_ = a_round()
    draft = bergen_draft(round_)
    manager = api("bergen_manager")
    url = reverse("api:submission-submit", kwargs={"uuid": draft.uuid})
    assert manager.post(url, {"version": draft.version}, format="json").status_code == 200
    row = bergen_in_list("vestland_officer", round_)
    assert row["answers"]["merknad"] == SECRET and row["answers_withheld"] is False

    # An amendment is a new submission, never a draft over the submitted one: what the
    # office reads is always the last submitted revision.
    detail = reverse("api:submission-detail", kwargs={"uuid": draft.uuid})
    current = manager.get(detail).json()["version"]
    refused = manager.patch(
        detail, {"answers": {"evakuerte": "1", "merknad": "Endring"}, "version": current},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 400
    assert bergen_in_list("vestland_officer", round_)["answers"]["merknad"] == SECRET
    amended = manager.post(
        url, {"answers": {"evakuerte": "12", "merknad": "Endring"}, "version": current},
        format="json",
    )  # fmt: skip
    assert amended.status_code == 200
    row = bergen_in_list("vestland_officer", round_)
    last = SubmissionRevision.objects.filter(submission__uuid=draft.uuid).order_by("-number")[0]
    assert row["answers"] == last.answers and last.number == 2


def test_submission_page_shows_the_office_only_that_a_draft_was_saved(login):
    round_ = a_round()
    draft = bergen_draft(round_)
    url = reverse("reporting:submission", kwargs={"uuid": draft.uuid})
    page = login("vestland_officer").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET not in html and "4711" not in html
    assert 'id="draft-withheld"' in html
    saved = timezone.localtime(draft.updated_at).strftime("%d.%m.%Y %H:%M")
    assert f"Last saved {saved}." in html

    for own in ("bergen_manager", "bergen_reader"):
        html = login(own).get(url).content.decode()
        assert SECRET in html and 'id="draft-withheld"' not in html


def test_exports_and_dashboards_leave_draft_answers_out_for_everyone_upward():
    round_ = a_round(issuer="dsb", issued_by="dsb_analyst")
    bergen_draft(round_)
    for name in ("dsb_analyst", "vestland_officer"):
        header, table = tables.round_table(round_, user(name))
        bergen = next(r for r in table if r[0] == "4601")
        assert SECRET not in bergen and "4711" not in [str(v) for v in bergen]
        content = tables.round_csv(round_, user(name)).decode("utf-8-sig")
        assert SECRET not in content
        assert len(list(csv.reader(io.StringIO(content), delimiter=";"))) > 1
        rows = dashboard_rows(round_, submissions=Submission.objects.visible_to(user(name)))
        assert all(n["value"] is None for r in rows for n in r["numbers"])
    # The same rule, read by nobody in particular (a task, a benchmark).
    rows = dashboard_rows(round_)
    assert all(n["value"] is None for r in rows for n in r["numbers"])
