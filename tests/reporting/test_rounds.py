"""Reporting rounds and submissions: issuing to a region and to a network, who sees what,
drafts with optimistic locking, submitting and amending (revisions kept), validation that
saves nothing, late marking, the pages and the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from networks.structure.models import Network, NetworkMembership, Office, Organisation
from reporting import actions
from reporting.models import ReportForm, ReportingRound, Submission, SubmissionRevision
from tests.helpers import html, org
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN, STAVANGER = "kommune-4601", "kommune-1103"
DEFINITION = {
    "sections": [
        {
            "key": "status",
            "title": "Status",
            "fields": [
                {"key": "antall", "type": "integer", "label": "Evakuerte", "required": True,
                 "min": 0, "max": 1000},
                {"key": "vann", "type": "sector_status", "label": "Vann og avløp",
                 "required": True},
                {"key": "merknad", "type": "long_text", "label": "Merknad"},
            ],
        }
    ]
}  # fmt: skip
VALID = {"antall": "12", "vann": {"status": "yellow", "comment": "Kokevarsel"}}


def a_form(owner="statsforvalteren-vestland", officer="vestland_officer"):
    return actions.do_create_form(
        owner=org(owner),
        acting_user=user(officer),
        title="Testrapport",
        track="preparedness",
        kind="short",
        definition=DEFINITION,
    )


def vestland_round(**kwargs):
    return actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=a_form(),
        title="Flom i Vestland",
        deadline=timezone.now() + timedelta(hours=6),
        offices=[Office.objects.get(slug="vestland")],
        **kwargs,
    )


def snb_round():
    return actions.do_issue_round(
        issuer=org("dsb"),
        acting_user=user("dsb_analyst"),
        form=ReportForm.objects.get(owner__slug="dsb"),
        title="Nasjonal status",
        deadline=timezone.now() + timedelta(days=1),
        network=Network.objects.get(slug="snb"),
    )


def submission(round_, slug=BERGEN):
    return Submission.objects.get(round=round_, municipality__slug=slug)


# --- issuing ---------------------------------------------------------------------------


def test_issue_to_a_region_stores_its_municipalities_and_their_drafts():
    round_ = vestland_round()
    region = set(
        Organisation.objects.filter(kind="municipality", region__slug="vestland").values_list(
            "pk", flat=True
        )
    )
    assert set(round_.recipients.values_list("pk", flat=True)) == region
    assert len(region) > 10
    assert set(round_.submissions.values_list("municipality_id", flat=True)) == region
    assert round_.track == "preparedness" and round_.kind == "short"
    assert round_.form_version.number == 1 and not round_.is_exercise


def test_issue_to_a_network_takes_its_current_member_municipalities():
    round_ = snb_round()
    members = set(
        NetworkMembership.objects.current()
        .filter(network__slug="snb", organisation__kind="municipality")
        .values_list("organisation_id", flat=True)
    )
    assert set(round_.recipients.values_list("pk", flat=True)) == members
    assert org(BERGEN).pk in members and org(STAVANGER).pk in members


def test_issue_rules_and_validation():
    form = a_form()
    rogaland = Office.objects.get(slug="rogaland")
    with pytest.raises(PermissionDenied):  # another region
        actions.do_issue_round(
            issuer=org("statsforvalteren-vestland"),
            acting_user=user("vestland_officer"),
            form=form,
            title="X",
            deadline=timezone.now() + timedelta(hours=1),
            offices=[rogaland],
        )
    with pytest.raises(PermissionDenied):  # a municipality does not issue
        actions.do_issue_round(
            issuer=org(BERGEN),
            acting_user=user("bergen_manager"),
            form=form,
            title="X",
            deadline=timezone.now() + timedelta(hours=1),
            offices=[rogaland],
        )
    with pytest.raises(ValidationError) as error:
        actions.do_issue_round(
            issuer=org("statsforvalteren-vestland"),
            acting_user=user("vestland_officer"),
            form=form,
            title="X",
            deadline=timezone.now() - timedelta(minutes=1),
        )
    assert set(error.value.message_dict) == {"deadline", "offices"}
    assert not ReportingRound.objects.filter(title="X").exists()


def test_exercise_comes_from_the_frame():
    from incidents.log.models import CrisisFrame

    frame = CrisisFrame.objects.create(
        title="Øvelse Vest",
        type="flood",
        started_at=timezone.now(),
        owner=org("statsforvalteren-vestland"),
        is_exercise=True,
    )
    assert vestland_round(frame=frame).is_exercise


# --- visibility ------------------------------------------------------------------------


def test_visibility_of_rounds_and_submissions():
    round_ = vestland_round()
    bergen = submission(round_)
    rounds = lambda name: ReportingRound.objects.visible_to(user(name))  # noqa: E731
    subs = lambda name: Submission.objects.visible_to(user(name))  # noqa: E731
    for name in ("bergen_manager", "bergen_reader", "vestland_officer"):
        assert rounds(name).filter(pk=round_.pk).exists()
        assert subs(name).filter(pk=bergen.pk).exists()
    for name in ("stavanger_manager", "rogaland_officer", "dsb_analyst", "ks_analyst", "nobody"):
        assert not rounds(name).filter(pk=round_.pk).exists()
        assert not subs(name).filter(pk=bergen.pk).exists()
    assert set(subs("bergen_manager").filter(round=round_)) == {bergen}

    national = snb_round()
    assert rounds("rogaland_officer").filter(pk=national.pk).exists()
    assert set(subs("rogaland_officer").filter(round=national).values_list(
        "municipality__slug", flat=True)) == {STAVANGER}  # fmt: skip
    assert subs("dsb_analyst").filter(round=national).count() == national.recipients.count()
    assert not subs("stavanger_manager").filter(pk=submission(national).pk).exists()


def test_outsiders_get_404_on_pages_and_api(login):
    round_ = vestland_round()
    bergen = submission(round_)
    client = login("stavanger_manager")
    assert client.get(reverse("reporting:round-detail", args=[round_.uuid])).status_code == 404
    assert client.get(reverse("reporting:submission", args=[bergen.uuid])).status_code == 404
    api = APIClient()
    api.force_authenticate(user("rogaland_officer"))
    assert api.get(reverse("api:submission-detail", args=[bergen.uuid])).status_code == 404
    assert api.get(reverse("api:reporting-round-detail", args=[round_.uuid])).status_code == 404


# --- drafts, submitting, amending ------------------------------------------------------


def test_draft_save_and_version_conflict_loses_nothing():
    bergen = submission(vestland_round())
    manager, staff = user("bergen_manager"), user("bergen_manager")
    saved = actions.do_save_draft(bergen, {"antall": "5"}, expected_version=1, acting_user=manager)
    assert saved.version == 2 and saved.answers == {"antall": "5"}
    with pytest.raises(actions.VersionConflict) as conflict:
        actions.do_save_draft(bergen, {"antall": "7"}, expected_version=1, acting_user=staff)
    assert "Noen andre lagret dette utkastet kl." in conflict.value.messages[0]
    assert conflict.value.current.version == 2
    bergen.refresh_from_db()
    assert bergen.answers == {"antall": "5"} and bergen.version == 2


def test_readers_and_other_municipalities_do_not_write():
    bergen = submission(vestland_round())
    for name in ("bergen_reader", "stavanger_manager", "vestland_officer"):
        with pytest.raises(PermissionDenied):
            actions.do_save_draft(bergen, VALID, expected_version=1, acting_user=user(name))
        with pytest.raises(PermissionDenied):
            actions.do_submit(bergen, expected_version=1, acting_user=user(name), answers=VALID)


def test_invalid_answers_save_nothing():
    bergen = submission(vestland_round())
    with pytest.raises(ValidationError) as error:
        actions.do_submit(
            bergen,
            expected_version=1,
            acting_user=user("bergen_manager"),
            answers={"antall": "5000", "vann": {"status": ""}},
        )
    assert set(error.value.message_dict) == {"antall", "vann"}
    bergen.refresh_from_db()
    assert bergen.status == "draft" and bergen.version == 1 and bergen.answers == {}
    assert not bergen.revisions.exists()


def test_submit_and_amend_keep_every_revision():
    bergen = submission(vestland_round())
    manager = user("bergen_manager")
    bergen = actions.do_submit(bergen, expected_version=1, acting_user=manager, answers=VALID)
    assert bergen.status == "submitted" and not bergen.is_late
    assert bergen.answers["antall"] == 12
    first_time = bergen.submitted_at
    amended = actions.do_submit(
        bergen,
        expected_version=bergen.version,
        acting_user=user("bergen_manager"),
        answers={**VALID, "antall": "14"},
    )
    assert amended.answers["antall"] == 14 and amended.submitted_at == first_time
    revisions = list(amended.revisions.order_by("number"))
    assert [(r.number, r.answers["antall"]) for r in revisions] == [(1, 12), (2, 14)]
    with pytest.raises(ValidationError):  # a submitted report is amended, not drafted
        actions.do_save_draft(amended, VALID, expected_version=amended.version, acting_user=manager)
    with pytest.raises(DatabaseError), transaction.atomic():
        SubmissionRevision.objects.filter(pk=revisions[0].pk).update(answers={})
    with pytest.raises(DatabaseError), transaction.atomic():
        SubmissionRevision.objects.filter(pk=revisions[0].pk).delete()


def test_late_submissions_are_accepted_and_marked_late():
    round_ = vestland_round()
    ReportingRound.objects.filter(pk=round_.pk).update(deadline=timezone.now() - timedelta(hours=1))
    late = actions.do_submit(
        submission(round_), expected_version=1, acting_user=user("bergen_manager"), answers=VALID
    )
    assert late.status == "submitted" and late.is_late and late.revisions.get().is_late


def test_closed_round_refuses_submissions():
    round_ = vestland_round()
    ReportingRound.objects.filter(pk=round_.pk).update(closed_at=timezone.now())
    with pytest.raises(ValidationError):
        actions.do_submit(
            submission(round_), expected_version=1, acting_user=user("bergen_manager"),
            answers=VALID,
        )  # fmt: skip


# --- pages -----------------------------------------------------------------------------


def test_submission_page_draft_submit_and_receipt(login):
    bergen = submission(vestland_round())
    client = login("bergen_manager")
    url = reverse("reporting:submission", args=[bergen.uuid])
    page = html(client.get(url))
    assert 'name="vann__status"' in page and 'name="version" value="1"' in page
    assert "Lagre utkast" in page and "Send inn rapporten" in page

    response = client.post(url, {"version": "1", "action": "save", "antall": "3"})
    assert response.status_code == 302
    bergen.refresh_from_db()
    assert bergen.version == 2 and bergen.answers == {"antall": "3"}

    stale = client.post(url, {"version": "1", "action": "save", "antall": "4"})
    assert stale.status_code == 409
    assert "Noen andre lagret dette utkastet kl." in html(stale)
    assert 'value="4"' in html(stale)  # what was entered is kept

    invalid = client.post(url, {"version": "2", "action": "submit", "antall": "-1"})
    assert invalid.status_code == 400
    assert "Velg en status: grønn, gul eller rød." in html(invalid)
    assert 'href="#field-antall"' in html(invalid) and 'value="-1"' in html(invalid)
    bergen.refresh_from_db()
    assert bergen.status == "draft" and bergen.version == 2

    done = client.post(
        url,
        {"version": "2", "action": "submit", "antall": "3", "vann__status": "green",
         "vann__comment": ""},
    )  # fmt: skip
    assert done.status_code == 302
    page = html(client.get(url))
    assert "Kvittering" in page and "Revisjon 1 mottatt" in page
    assert "Send inn en endring" in page


def test_readers_see_the_submission_without_a_form(login):
    bergen = submission(vestland_round())
    client = login("bergen_reader")
    url = reverse("reporting:submission", args=[bergen.uuid])
    page = html(client.get(url))
    assert 'id="submission-form"' not in page and "Vann og avløp" in page
    assert client.post(url, {"version": "1", "action": "save"}).status_code == 403


def test_round_pages(login):
    round_ = vestland_round()
    actions.do_submit(
        submission(round_), expected_version=1, acting_user=user("bergen_manager"), answers=VALID
    )
    officer = login("vestland_officer")
    page = html(officer.get(reverse("reporting:round-detail", args=[round_.uuid])))
    assert "Bergen" in page and "Sendt inn" in page and "Ikke sendt inn ennå" in page
    listing = html(officer.get(reverse("reporting:round-list")))
    assert round_.title in listing and "1 av" in listing

    response = officer.post(
        reverse("reporting:round-create"),
        {
            "issuer": org("statsforvalteren-vestland").pk,
            "form": round_.form_version.form.pk,
            "title": "Ny runde",
            "deadline": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "offices": [Office.objects.get(slug="vestland").pk],
        },
    )
    assert response.status_code == 400 and "Fristen må være fram i tid." in html(response)
    response = officer.post(
        reverse("reporting:round-create"),
        {
            "issuer": org("statsforvalteren-vestland").pk,
            "form": round_.form_version.form.pk,
            "title": "Ny runde",
            "deadline": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "offices": [Office.objects.get(slug="vestland").pk],
        },
    )
    assert response.status_code == 302
    assert ReportingRound.objects.filter(title="Ny runde").exists()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_round_detail_runs_a_constant_number_of_queries(login):
    """10 recipients (a network) and every municipality of the Vestland region."""
    network = Network.objects.create(slug="ti-vest", name="Ti i vest", kind="regional")
    ten = Organisation.objects.filter(kind="municipality", region__slug="vestland")[:10]
    for municipality in ten:
        NetworkMembership.objects.create(
            network=network, organisation=municipality, joined_on=timezone.localdate()
        )
    small = actions.do_issue_round(
        issuer=org("dsb"),
        acting_user=user("dsb_analyst"),
        form=ReportForm.objects.get(owner__slug="dsb"),
        title="Ti",
        deadline=timezone.now() + timedelta(days=1),
        network=network,
    )
    large = vestland_round()
    assert small.recipients.count() == 10 and large.recipients.count() > 10
    client = login("vestland_officer")
    few = count_queries(client, reverse("reporting:round-detail", args=[small.uuid]))
    many = count_queries(client, reverse("reporting:round-detail", args=[large.uuid]))
    assert few == many
    api = [reverse("api:reporting-round-list"), reverse("api:submission-list")]
    assert [count_queries(client, u) for u in api] == [count_queries(client, u) for u in api]


# --- the API ---------------------------------------------------------------------------


def api_as(name):
    api = APIClient()
    api.force_authenticate(user(name))
    return api


def test_api_issue_draft_conflict_submit_amend():
    officer = api_as("vestland_officer")
    response = officer.post(
        reverse("api:reporting-round-list"),
        {
            "form": str(a_form().uuid),
            "title": "API-runde",
            "deadline": (timezone.now() + timedelta(hours=3)).isoformat(),
            "offices": [str(Office.objects.get(slug="vestland").uuid)],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    round_uuid = response.json()["id"]
    assert response.json()["recipient_count"] > 10

    bergen = Submission.objects.get(round__uuid=round_uuid, municipality__slug=BERGEN)
    api = api_as("bergen_manager")
    url = reverse("api:submission-detail", args=[bergen.uuid])
    read = api.get(url)
    assert read.status_code == 200 and read["ETag"] == '"1"'
    draft = api.patch(url, {"answers": {"antall": "2"}}, format="json", HTTP_IF_MATCH='"1"')
    assert draft.status_code == 200 and draft.json()["version"] == 2
    stale = api.patch(url, {"answers": {"antall": "9"}, "version": 1}, format="json")
    assert stale.status_code == 412 and stale.json()["current_version"] == 2
    assert api_as("bergen_reader").patch(url, {"answers": {}}, format="json").status_code == 403

    submit = reverse("api:submission-submit", args=[bergen.uuid])
    bad = api.post(submit, {"version": 2}, format="json")
    assert bad.status_code == 400 and "vann" in bad.json()
    bergen.refresh_from_db()
    assert bergen.status == "draft" and bergen.version == 2
    ok = api.post(submit, {"version": 2, "answers": VALID}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "submitted" and ok.json()["revisions"][0]["number"] == 1
    again = api.post(submit, {"version": 3, "answers": {**VALID, "antall": 13}}, format="json")
    assert [r["number"] for r in again.json()["revisions"]] == [1, 2]

    listed = api_as("stavanger_manager").get(reverse("api:submission-list"), {"round": round_uuid})
    assert listed.json()["results"] == []
    assert (
        api_as("bergen_manager")
        .post(reverse("api:reporting-round-list"), {}, format="json")
        .status_code
        == 403
    )
