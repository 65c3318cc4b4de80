"""Comment rounds (høring): opening shares and notifies once, comments per section until
the deadline, the owner's decisions and summary; bad input refused with a clear message
(400 in the API) and nothing saved; lists at a constant number of queries."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from networks.comment_rounds import actions
from networks.comment_rounds.models import CommentRound, DocumentComment
from networks.library.actions import do_create_document
from networks.library.models import DocumentShare
from networks.structure.models import Network
from portal.models import Notification, NotificationKind, RoleAssignment
from portal.roles import Role
from tests.access.hearing_cases import GUIDE_BODY, dsb_round, org, stavanger_round
from tests.helpers import query_count
from tests.personas import user

# Messages are asserted in their English source text (see the `english` fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def guide(title="Veileder – utkast"):
    return do_create_document(org("dsb"), user("dsb_analyst"), "guide", title, body=GUIDE_BODY)


def in_days(days):
    return timezone.now() + timedelta(days=days)


def expire(round_):
    """The deadline passes (set directly: time moves on, nobody edits a round's deadline)."""
    CommentRound.objects.filter(pk=round_.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    round_.refresh_from_db()


# --- sections --------------------------------------------------------------------------


def test_sections_are_the_headings_and_general():
    assert actions.section_names(GUIDE_BODY) == [
        "",
        "Formål",
        "Helhetlig risiko- og sårbarhetsanalyse",
        "Beredskapsplan",
    ]
    assert actions.section_names("Bare tekst") == [""]
    body = "# A\n\n```\n# not a heading\n```\n\n# A\n"
    assert actions.section_names(body) == ["", "A", "A (2)"]


# --- opening ---------------------------------------------------------------------------


def test_opening_shares_with_the_network_and_notifies_writers_once():
    document = guide()
    snb = Network.objects.get(slug="snb")
    round_ = actions.do_open_round(
        document, acting_user=user("dsb_analyst"), deadline=in_days(14), network=snb,
        organisations=[org("kommune-3301")],
    )  # fmt: skip
    assert round_.version.number == 1
    shares = DocumentShare.objects.filter(document=document)
    assert {(s.network_id, s.organisation_id) for s in shares} == {
        (snb.pk, None),
        (None, org("kommune-3301").pk),
    }
    notified = set(
        Notification.objects.filter(kind=NotificationKind.COMMENT_ROUND).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"bergen_manager", "stavanger_manager", "snb_coordinator", "drammen_staff"} <= notified
    assert "bergen_reader" not in notified and "dsb_analyst" not in notified
    # A second round adds no second share for the same audience, and its own notices.
    before = Notification.objects.count()
    actions.do_open_round(
        document, acting_user=user("dsb_analyst"), deadline=in_days(3), network=snb
    )
    assert DocumentShare.objects.filter(document=document).count() == 2
    assert Notification.objects.count() > before


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"deadline": None}, "deadline"),
        ({"deadline": "past"}, "deadline"),
        ({"network": None}, "network"),
    ],
)
def test_opening_refuses_bad_input(kwargs, field):
    document = guide()
    args = {"deadline": in_days(7), "network": Network.objects.get(slug="snb")}
    args.update(kwargs)
    if args["deadline"] == "past":
        args["deadline"] = timezone.now() - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        actions.do_open_round(document, acting_user=user("dsb_analyst"), **args)
    assert field in error.value.message_dict
    assert not CommentRound.objects.filter(document=document).exists()
    assert not DocumentShare.objects.filter(document=document).exists()


def test_only_the_owner_opens_a_round():
    document = guide()
    with pytest.raises(PermissionDenied):
        actions.do_open_round(
            document, acting_user=user("bergen_manager"), deadline=in_days(7),
            network=Network.objects.get(slug="snb"),
        )  # fmt: skip


def test_open_round_page(login):
    document = guide()
    client = login("dsb_analyst")
    url = reverse("networks:comment-round-create", args=[document.uuid])
    assert client.get(url).status_code == 200
    response = client.post(url, {"network": "", "deadline": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert (
        "Invite a network" in response.content.decode() or "deadline" in response.content.decode()
    )
    deadline = timezone.localtime(in_days(10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"network": "snb", "deadline": deadline})
    assert response.status_code == 302
    round_ = CommentRound.objects.get(document=document)
    assert response["Location"] == reverse("networks:comment-round-detail", args=[round_.uuid])


# --- commenting ------------------------------------------------------------------------


def test_comment_per_section_is_listed_under_its_section(login):
    round_, comment = dsb_round()
    assert comment.organisation == org("kommune-4601")
    client = login("stavanger_manager")
    url = reverse("networks:comment-create", args=[round_.uuid])
    response = client.post(url, {"section": "", "s0-section": "", "s0-body": "Generelt godt."})
    assert response.status_code == 302
    page = client.get(reverse("networks:comment-round-detail", args=[round_.uuid]))
    html = page.content.decode()
    assert "Presiser formålet." in html and "Generelt godt." in html
    assert html.index("Presiser formålet.") > html.index('id="section-1"')
    assert DocumentComment.objects.filter(round=round_).count() == 2


def test_comment_after_the_deadline_is_refused_everywhere(login):
    round_, _comment = dsb_round()
    expire(round_)
    with pytest.raises(ValidationError, match="deadline"):
        actions.do_comment(round_, acting_user=user("stavanger_manager"), section="", body="Sent")
    client = login("stavanger_manager")
    response = client.post(
        reverse("networks:comment-create", args=[round_.uuid]),
        {"section": "", "s0-section": "", "s0-body": "For sent"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "deadline" in response.content.decode()
    response = client.post(
        reverse("api:document-comment-list"),
        {"round": str(round_.uuid), "section": "", "body": "For sent"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "deadline" in str(response.json())
    assert DocumentComment.objects.filter(round=round_).count() == 1


def test_comment_in_a_closed_round_and_on_unknown_sections_is_refused():
    round_, _comment = dsb_round()
    with pytest.raises(ValidationError) as error:
        actions.do_comment(round_, acting_user=user("snb_coordinator"), section="Ukjent", body="x")
    assert "section" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.do_comment(round_, acting_user=user("snb_coordinator"), section="", body="  ")
    assert "body" in error.value.message_dict
    actions.do_close_round(round_, acting_user=user("dsb_analyst"), summary="Takk for innspill.")
    with pytest.raises(ValidationError, match="closed"):
        actions.do_comment(round_, acting_user=user("snb_coordinator"), section="", body="Sent")
    assert DocumentComment.objects.filter(round=round_).count() == 1


def test_one_who_writes_for_several_invitees_chooses_which(login):
    """The one acting-organisation resolver (portal.access): with several invited
    organisations to comment for, the API answers 400 on ``organisation`` until one is
    chosen; one the user may not comment for is 403."""
    round_, _comment = dsb_round()
    stavanger = user("stavanger_manager")
    RoleAssignment.objects.create(
        user=stavanger, organisation=org("kommune-5501"), role=Role.CRISIS_STAFF
    )
    client = login("stavanger_manager")
    url = reverse("api:document-comment-list")
    body = {"round": str(round_.uuid), "section": "", "body": "Fra Tromsø"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "organisation" in response.json()
    response = client.post(
        url, {**body, "organisation": str(org("dsb").uuid)}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.post(
        url,
        {**body, "organisation": str(org("kommune-5501").uuid)},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["organisation"] == str(
        org("kommune-5501").uuid
    )
    assert DocumentComment.objects.filter(round=round_).count() == 2


def test_readers_owners_and_outsiders_cannot_comment(login):
    round_, _comment = dsb_round()
    for name in ("bergen_reader", "dsb_analyst"):
        with pytest.raises(PermissionDenied):
            actions.do_comment(round_, acting_user=user(name), section="", body="Hei")
    url = reverse("networks:comment-create", args=[round_.uuid])
    data = {"section": "", "s0-section": "", "s0-body": "Hei"}
    assert login("bergen_reader").post(url, data).status_code == 403
    assert login("drammen_staff").post(url, data).status_code == 404


def test_a_member_who_left_the_network_still_sees_its_comments():
    round_, _comment = dsb_round()
    from networks.structure.models import NetworkMembership

    NetworkMembership.objects.filter(network__slug="snb", organisation=org("kommune-4601")).update(
        left_on=timezone.localdate() - timedelta(days=1)
    )
    bergen = user("bergen_manager")
    assert CommentRound.objects.visible_to(bergen).filter(pk=round_.pk).exists()
    assert not actions.commenting_org_ids(bergen, round_)  # but no longer comments


def test_the_owners_region_office_sees_a_municipal_round():
    round_ = stavanger_round()
    assert CommentRound.objects.visible_to(user("rogaland_officer")).filter(pk=round_.pk).exists()
    assert (
        not CommentRound.objects.visible_to(user("vestland_officer")).filter(pk=round_.pk).exists()
    )


# --- decisions and the summary ---------------------------------------------------------


def test_decisions_need_a_reason_when_not_taken_in(login):
    round_, comment = dsb_round()
    with pytest.raises(ValidationError) as error:
        actions.do_decide(comment, acting_user=user("dsb_analyst"), decision="not_taken_in")
    assert "decision_note" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.do_decide(comment, acting_user=user("bergen_manager"), decision="taken_in")
    client = login("dsb_analyst")
    url = reverse("networks:comment-decide", args=[comment.uuid])
    prefix = f"c{comment.pk}"
    response = client.post(
        url, {f"{prefix}-decision": "not_taken_in", f"{prefix}-decision_note": ""},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 400
    response = client.post(
        url, {f"{prefix}-decision": "not_taken_in", f"{prefix}-decision_note": "Dekket i § 3."},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Dekket i § 3." in response.content.decode()
    comment.refresh_from_db()
    assert comment.decision == "not_taken_in" and comment.decided_by == user("dsb_analyst")


def test_closing_with_a_summary_ends_the_round_and_tells_the_invitees(login):
    round_, comment = dsb_round()
    client = login("dsb_analyst")
    url = reverse("networks:comment-round-close", args=[round_.uuid])
    assert client.post(url, {"summary": ""}).status_code == 400
    assert client.post(url, {"summary": "Innspillene er innarbeidet."}).status_code == 302
    round_.refresh_from_db()
    assert round_.closed_at is not None and round_.summary == "Innspillene er innarbeidet."
    assert Notification.objects.filter(
        event_key=f"comment-round:{round_.uuid}:closed", recipient=user("bergen_manager")
    ).exists()
    with pytest.raises(ValidationError):
        actions.do_decide(comment, acting_user=user("dsb_analyst"), decision="taken_in")
    with pytest.raises(ValidationError):
        actions.do_close_round(round_, acting_user=user("dsb_analyst"), summary="Igjen")
    html = client.get(reverse("networks:comment-round-detail", args=[round_.uuid])).content
    assert "Innspillene er innarbeidet." in html.decode()


# --- API -------------------------------------------------------------------------------


def test_api_round_comment_decide_close(login):
    document = guide()
    dsb = login("dsb_analyst")
    snb = Network.objects.get(slug="snb")
    response = dsb.post(
        reverse("api:comment-round-list"),
        {
            "document": str(document.uuid),
            "network": str(snb.uuid),
            "deadline": in_days(5).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    round_id = response.json()["id"]
    assert response.json()["sections"][1] == "Formål"
    bergen = login("bergen_manager")
    response = bergen.post(
        reverse("api:document-comment-list"),
        {"round": round_id, "section": "Beredskapsplan", "body": "Ta med evakuering."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    comment_id = response.json()["id"]
    response = bergen.post(
        reverse("api:document-comment-list"),
        {"round": round_id, "section": "Finnes ikke", "body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "section" in response.json()
    dsb = login("dsb_analyst")
    response = dsb.post(
        reverse("api:document-comment-decide", args=[comment_id]),
        {"decision": "taken_in"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["decision"] == "taken_in"
    response = dsb.post(
        reverse("api:comment-round-close", args=[round_id]),
        {"summary": "Ferdig."},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["closed_at"]
    response = dsb.get(reverse("api:document-comment-list") + f"?round={round_id}")
    assert [c["id"] for c in response.json()["results"]] == [comment_id]


def test_api_open_round_for_a_document_you_do_not_own_is_403(login):
    document = guide()
    actions.do_open_round(
        document, acting_user=user("dsb_analyst"), deadline=in_days(5),
        network=Network.objects.get(slug="snb"),
    )  # fmt: skip
    response = login("bergen_manager").post(
        reverse("api:comment-round-list"),
        {"document": str(document.uuid), "organisations": [str(org("kommune-1103").uuid)],
         "deadline": in_days(5).isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403


# --- query counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "route", ["networks:comment-round-list", "api:comment-round-list", "api:document-comment-list"]
)
def test_round_lists_run_a_constant_number_of_queries(login, route):
    dsb_round()
    client = login("bergen_manager")
    url = reverse(route)
    client.get(url)
    few = query_count(client, url)
    for _ in range(4):
        dsb_round()
        stavanger_round()
    actions.do_comment(
        CommentRound.objects.last(), acting_user=user("snb_coordinator"), section="", body="Ja"
    )
    many = query_count(client, url)
    assert few == many, (route, few, many)


def test_round_page_runs_a_constant_number_of_queries(login):
    round_, _comment = dsb_round()
    client = login("dsb_analyst")
    url = reverse("networks:comment-round-detail", args=[round_.uuid])
    client.get(url)
    few = query_count(client, url)
    extra = user("bergen_manager")
    for n in range(5):
        actions.do_comment(
            round_, acting_user=extra, section="Beredskapsplan", body=f"Innspill {n}"
        )
    # another writer in a third SNB city
    tromso = user("nobody")
    RoleAssignment.objects.create(
        user=tromso, organisation=org("kommune-5501"), role=Role.CRISIS_STAFF
    )
    actions.do_comment(round_, acting_user=tromso, section="", body="Fra Tromsø")
    many = query_count(client, url)
    assert few == many, (few, many)


def test_api_rounds_filter_by_document_and_state(login):
    round_, _comment = dsb_round()
    other = stavanger_round()
    client = login("bergen_manager")
    url = reverse("api:comment-round-list")
    ids = {r["id"] for r in client.get(url + f"?document={round_.document.uuid}").json()["results"]}
    assert ids == {str(round_.uuid)}
    actions.do_close_round(other, acting_user=user("stavanger_manager"), summary="Ferdig")
    ids = {r["id"] for r in client.get(url + "?closed=true").json()["results"]}
    assert ids == {str(other.uuid)}
    ids = {r["id"] for r in client.get(url + "?closed=false").json()["results"]}
    assert str(round_.uuid) in ids and str(other.uuid) not in ids
