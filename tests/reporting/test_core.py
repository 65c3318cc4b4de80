"""The core of compiling and coming back down, tested on the actions and querysets:
closing a round, acknowledging and commenting (with notifications, exactly once), the
compiled picture's audiences, the aggregates, the e-mail outbox, and the API for a
municipality's own crisis tool."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from networks.structure.models import Office
from portal.models import EmailState, Notification
from portal.notifications.actions import notify
from portal.notifications.tasks import deliver_notifications
from reporting import actions
from reporting.compilation import compute_aggregates
from reporting.models import Compilation, PictureSeen, ReportingRound, Submission
from tests.helpers import api
from tests.personas import user
from tests.reporting.test_rounds import VALID, org, vestland_round

pytestmark = pytest.mark.django_db

BERGEN = "kommune-4601"


def bergen(round_):
    return Submission.objects.get(round=round_, municipality__slug=BERGEN)


def submit(round_, answers=VALID, slug=BERGEN, who="bergen_manager"):
    submission = Submission.objects.get(round=round_, municipality__slug=slug)
    return actions.do_submit(
        submission, expected_version=submission.version, acting_user=user(who), answers=answers
    )


def published_vestland_picture(round_=None):
    round_ = round_ or vestland_round()
    submit(round_)
    office = Office.objects.get(slug="vestland")
    compilation = actions.do_start_compilation(
        round_, acting_user=user("vestland_officer"), office=office
    )
    compilation = actions.do_save_assessment(
        compilation,
        acting_user=user("vestland_officer"),
        assessment="Situasjonen er under kontroll.",
        expected_version=compilation.version,
    )
    return actions.do_publish_compilation(compilation, acting_user=user("vestland_officer"))


# --- closing -------------------------------------------------------------------------


def test_closing_a_round_refuses_further_submissions():
    round_ = vestland_round()
    with pytest.raises(PermissionDenied):
        actions.do_close_round(round_, acting_user=user("bergen_manager"))
    with pytest.raises(PermissionDenied):
        actions.do_close_round(round_, acting_user=user("rogaland_officer"))
    closed = actions.do_close_round(round_, acting_user=user("vestland_officer"))
    first = closed.closed_at
    assert first is not None
    assert actions.do_close_round(round_, acting_user=user("vestland_officer")).closed_at == first
    submission = bergen(round_)
    with pytest.raises(ValidationError, match="avsluttet"):
        actions.do_submit(
            submission,
            expected_version=submission.version,
            acting_user=user("bergen_manager"),
            answers=VALID,
        )
    assert bergen(round_).status == "draft"


# --- acknowledging and commenting ------------------------------------------------------


def test_acknowledgement_reaches_the_municipality_once():
    round_ = vestland_round()
    with pytest.raises(ValidationError):
        actions.do_acknowledge(bergen(round_), acting_user=user("vestland_officer"))
    submitted = submit(round_)
    for outsider in ("rogaland_officer", "bergen_manager", "dsb_analyst"):
        with pytest.raises(PermissionDenied):
            actions.do_acknowledge(submitted, acting_user=user(outsider))
    acknowledged = actions.do_acknowledge(submitted, acting_user=user("vestland_officer"))
    again = actions.do_acknowledge(submitted, acting_user=user("vestland_officer"))
    assert again.acknowledged_at == acknowledged.acknowledged_at
    assert bergen(round_).version == submitted.version  # not a save by the municipality
    notified = set(
        Notification.objects.filter(kind="acknowledged").values_list(
            "recipient__username", flat=True
        )
    )
    assert "bergen_manager" in notified and "bergen_reader" not in notified  # writers only
    assert all(not name.startswith(("stavanger", "vestland")) for name in notified)


def test_comments_go_both_ways_and_stay():
    round_ = vestland_round()
    submission = submit(round_)
    question = actions.do_comment(
        submission, acting_user=user("vestland_officer"), body="Hvor mange er evakuert nå?"
    )
    answer = actions.do_comment(submission, acting_user=user("bergen_manager"), body="Tolv.")
    assert question.organisation.slug == "statsforvalteren-vestland"
    assert answer.organisation.slug == BERGEN

    def notified(comment):
        return set(
            Notification.objects.filter(event_key=f"comment:{comment.uuid}").values_list(
                "recipient__username", flat=True
            )
        )

    assert "bergen_manager" in notified(question) and "vestland_officer" not in notified(question)
    assert "vestland_officer" in notified(answer) and "bergen_manager" not in notified(answer)
    assert "rogaland_officer" not in notified(answer)
    with pytest.raises(PermissionDenied):
        actions.do_comment(submission, acting_user=user("bergen_reader"), body="Hei")
    with pytest.raises(ValidationError):
        actions.do_comment(submission, acting_user=user("bergen_manager"), body="   ")
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        type(question).objects.filter(pk=question.pk).update(body="endret")


# --- compiling, publishing and who sees it ---------------------------------------------


def visible(name):
    return set(Compilation.objects.visible_to(user(name)).values_list("pk", flat=True))


def test_a_draft_compilation_is_the_offices_own():
    round_ = vestland_round()
    office = Office.objects.get(slug="vestland")
    with pytest.raises(PermissionDenied):
        actions.do_start_compilation(round_, acting_user=user("rogaland_officer"), office=office)
    with pytest.raises(PermissionDenied):
        actions.do_start_compilation(round_, acting_user=user("bergen_manager"), office=office)
    draft = actions.do_start_compilation(
        round_, acting_user=user("vestland_officer"), office=office
    )
    assert (
        actions.do_start_compilation(round_, acting_user=user("vestland_officer"), office=office)
        == draft
    )
    assert draft.pk in visible("vestland_officer")
    for name in ("bergen_manager", "bergen_reader", "rogaland_officer", "dsb_analyst",
                 "ks_analyst", "stavanger_manager", "nobody"):  # fmt: skip
        assert draft.pk not in visible(name), name
    with pytest.raises(ValidationError):  # no assessment yet
        actions.do_publish_compilation(draft, acting_user=user("vestland_officer"))
    with pytest.raises(ValidationError, match="Noen andre lagret"):
        actions.do_save_assessment(
            draft, acting_user=user("vestland_officer"), assessment="x", expected_version=99
        )


def test_the_published_picture_comes_back_down_to_the_region():
    picture = published_vestland_picture()
    assert picture.aggregates["counts"]["submitted"] == 1
    seen_by = {"bergen_manager", "bergen_reader", "vestland_officer", "ks_analyst"}
    for name in ("bergen_manager", "bergen_reader", "vestland_officer", "ks_analyst",
                 "rogaland_officer", "stavanger_manager", "dsb_analyst", "drammen_staff",
                 "nobody"):  # fmt: skip
        assert (picture.pk in visible(name)) == (name in seen_by), name
    # Every municipal user of the region is notified, once; not the other regions.
    notified = set(
        Notification.objects.filter(kind="published").values_list("recipient__username", flat=True)
    )
    assert {"bergen_manager", "bergen_reader"} <= notified
    assert not notified & {"stavanger_manager", "drammen_staff", "vestland_officer"}
    # Forwarded: the national analysts see it.
    actions.do_forward_compilation(picture, acting_user=user("vestland_officer"))
    assert picture.pk in visible("dsb_analyst")
    # Who saw it.
    actions.record_seen(picture, user("bergen_reader"))
    actions.record_seen(picture, user("vestland_officer"))  # not a recipient: not recorded
    actions.record_seen(picture, user("bergen_manager"))
    seen = PictureSeen.objects.get(compilation=picture)
    assert seen.organisation.slug == BERGEN and seen.last_seen_by == user("bergen_manager")
    assert seen.last_seen_at >= seen.first_seen_at


def test_forwarding_needs_a_published_regional_picture():
    round_ = vestland_round()
    draft = actions.do_start_compilation(
        round_, acting_user=user("vestland_officer"), office=Office.objects.get(slug="vestland")
    )
    with pytest.raises(ValidationError):
        actions.do_forward_compilation(draft, acting_user=user("vestland_officer"))


def test_aggregates_add_up_the_submitted_answers_only():
    round_ = vestland_round()
    submit(round_, {"antall": "12", "vann": {"status": "red", "comment": "Brudd"}})
    other = Submission.objects.filter(round=round_).exclude(municipality__slug=BERGEN).first()
    writer = user("bergen_manager")
    # A draft elsewhere does not count.
    from portal.models import RoleAssignment

    RoleAssignment.objects.create(user=writer, organisation=other.municipality, role="crisis_staff")
    from portal.access import forget_viewer

    forget_viewer(writer)
    actions.do_save_draft(
        other, {"antall": "500"}, expected_version=other.version, acting_user=writer
    )
    result = compute_aggregates(round_, Office.objects.get(slug="vestland"))
    recipients = round_.recipients.count()
    assert result["counts"] == {
        "recipients": recipients, "submitted": 1, "late": 0, "missing": 0,
        "awaiting": recipients - 1,
    }  # fmt: skip
    assert result["numbers"]["antall"]["sum"] == "12"
    assert result["statuses"]["vann"]["red"] == 1
    assert [n["municipality"] for n in result["needs_help"]] == ["Bergen kommune"]
    # After the deadline, the drafts are missing.
    ReportingRound.objects.filter(pk=round_.pk).update(deadline=timezone.now() - timedelta(1))
    round_.refresh_from_db()
    late = compute_aggregates(round_, Office.objects.get(slug="vestland"))
    assert late["counts"]["missing"] == recipients - 1 and late["counts"]["awaiting"] == 0
    national = compute_aggregates(round_)
    assert [r["office"] for r in national["regions"]] == ["vestland"]
    assert Decimal(national["numbers"]["antall"]["sum"]) == 12


# --- the outbox ------------------------------------------------------------------------


def test_notify_is_idempotent_and_the_outbox_sends_once(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    people = [user("bergen_manager"), user("stavanger_manager"), user("bergen_manager")]
    for _ in range(3):
        notify(people, event_key="test:event", kind="reminder", title="Frist i dag", url="/")
    rows = Notification.objects.filter(event_key="test:event")
    assert rows.count() == 2
    assert deliver_notifications() == 2
    assert deliver_notifications() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in people[:2])
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 2
    assert set(rows.values_list("email_state", flat=True)) == {EmailState.SENT}


# --- the API for a municipality's own crisis tool ---------------------------------------


def report_url(round_):
    from django.urls import reverse

    return reverse("api:reporting-round-reports", kwargs={"uuid": round_.uuid})


def test_a_crisis_tool_reports_by_municipality_number():
    round_ = vestland_round()
    response = api("bergen_manager").post(
        report_url(round_), {"municipality": "4601", "answers": VALID}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert response.headers["ETag"] == f'"{bergen(round_).version}"'
    amended = api("bergen_manager").post(
        report_url(round_),
        {"municipality": str(org(BERGEN).uuid), "answers": {**VALID, "antall": 13}},
        format="json",
    )
    assert amended.status_code == 200
    assert [r["number"] for r in amended.json()["revisions"]] == [1, 2]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"municipality": "4601", "answers": {**VALID, "antall": 5000}}, "antall"),
        ({"municipality": "4601", "answers": {"antall": 3}}, "vann"),
        ({"municipality": "1103", "answers": VALID}, "municipality"),
        ({"municipality": "9999", "answers": VALID}, "municipality"),
        ({"answers": VALID}, "municipality"),
        ({"municipality": "4601", "answers": "alt vel"}, "answers"),
    ],
)
def test_bad_reports_are_400_and_save_nothing(payload, field):
    round_ = vestland_round()
    before = bergen(round_)
    response = api("bergen_manager").post(report_url(round_), payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    after = bergen(round_)
    assert (after.status, after.version, after.answers) == ("draft", before.version, {})


def test_reports_to_a_closed_round_are_refused():
    round_ = vestland_round()
    actions.do_close_round(round_, acting_user=user("vestland_officer"))
    response = api("bergen_manager").post(
        report_url(round_), {"municipality": "4601", "answers": VALID}, format="json"
    )
    assert response.status_code == 400
    assert "avsluttet" in str(response.json())


def test_who_may_report_through_the_api():
    round_ = vestland_round()
    body = {"municipality": "4601", "answers": VALID}
    assert api("bergen_reader").post(report_url(round_), body, format="json").status_code == 403
    assert api("vestland_officer").post(report_url(round_), body, format="json").status_code == 403
    for outsider in ("stavanger_manager", "rogaland_officer", "dsb_analyst", "nobody"):
        response = api(outsider).post(report_url(round_), body, format="json")
        assert response.status_code == 404, outsider
    assert APIClient().post(report_url(round_), body, format="json").status_code in (401, 403)
    assert bergen(round_).status == "draft"


def test_publishing_again_with_nothing_new_notifies_no_one_again():
    picture = published_vestland_picture()
    notices = Notification.objects.filter(kind="published").count()
    again = actions.do_publish_compilation(picture, acting_user=user("vestland_officer"))
    assert again.published_at == picture.published_at
    assert Notification.objects.filter(kind="published").count() == notices
    # A new submission changes the picture: a new publication, a new notice.
    round_ = picture.round
    submission = Submission.objects.filter(round=round_, status="draft").first()
    from portal.models import RoleAssignment

    writer = user("bergen_manager")
    RoleAssignment.objects.create(
        user=writer, organisation=submission.municipality, role="crisis_staff"
    )
    from portal.access import forget_viewer

    forget_viewer(writer)
    actions.do_submit(
        submission, expected_version=submission.version, acting_user=writer, answers=VALID
    )
    republished = actions.do_publish_compilation(picture, acting_user=user("vestland_officer"))
    assert republished.published_at > picture.published_at
    assert republished.aggregates["counts"]["submitted"] == 2
    assert Notification.objects.filter(kind="published").count() > notices
