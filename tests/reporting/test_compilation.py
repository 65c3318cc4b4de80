"""Compiling and publishing (pages and API), the published picture with a municipality's
own answers beside the region's, who saw it, forwarding and the national view, and the
office's acknowledgement and comments on a submission."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from networks.structure.models import Municipality, Office
from reporting import actions
from reporting.models import Compilation, PictureSeen, SubmissionComment
from tests.helpers import html
from tests.personas import user
from tests.reporting.dashboard_helpers import (
    BERGEN,
    STAVANGER,
    VOSS,
    answers,
    pass_deadline,
    snb_round,
    sub,
    submit,
    vestland_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop_round():
    round_ = vestland_round()
    submit(round_, BERGEN, answers(evakuerte=40, vann="yellow"), acting_user=user("bergen_manager"))
    pass_deadline(round_)
    submit(round_, VOSS, answers(evakuerte=10, strom="red", behov="ja", fravaer="12,5"))
    return round_


def compile_url(round_):
    return reverse("reporting:compile", kwargs={"uuid": round_.uuid})


def page(compilation):
    return reverse("reporting:compilation", kwargs={"uuid": compilation.uuid})


def picture(compilation):
    return reverse("reporting:picture", kwargs={"uuid": compilation.uuid})


def start(login, round_, persona="vestland_officer", region="vestland"):
    response = login(persona).post(compile_url(round_), {"region": region})
    assert response.status_code == 302
    return Compilation.objects.get(uuid=response["Location"].rstrip("/").split("/")[-1])


def test_compile_starts_once_and_opens_the_page(login, loop_round):
    compilation = start(login, loop_round)
    assert compilation.level == "regional" and compilation.office.slug == "vestland"
    assert start(login, loop_round) == compilation  # the same one again
    response = login("vestland_officer").get(page(compilation))
    assert response.status_code == 200
    text = html(response)
    assert "Not published" in text or "Ikke publisert" in text
    assert 'id="status-distribution"' in text and 'id="number-summary"' in text
    assert "Voss" in text.split('id="needs-help"')[1]  # red power and asks for help
    row = text.split('data-field="evakuerte"')[1].split("</tr>")[0]
    assert ">50<" in row  # the live sum of 40 and 10
    # a count is summed and shown per 1,000 inhabitants of those who answered, no median
    people = sum(
        Municipality.objects.filter(organisation__slug__in=[BERGEN, VOSS]).values_list(
            "population", flat=True
        )
    )
    rate = (Decimal(50) * 1000 / people).quantize(Decimal("0.01"))
    assert f">{str(rate).replace('.', ',')}<" in row and ">25<" not in row
    # Municipalities may not compile: 403 (they see the round), 404 for outsiders
    assert login("bergen_manager").post(compile_url(loop_round)).status_code == 403
    assert login("rogaland_officer").post(compile_url(loop_round)).status_code == 404


def test_assessment_version_conflict_keeps_the_text(login, loop_round):
    compilation = start(login, loop_round)
    client = login("vestland_officer")
    response = client.post(
        page(compilation), {"action": "save", "assessment": "Første utkast.", "version": "1"}
    )
    assert response.status_code == 302
    compilation.refresh_from_db()
    assert compilation.assessment == "Første utkast." and compilation.version == 2
    response = client.post(
        page(compilation), {"action": "save", "assessment": "Min tekst.", "version": "1"}
    )
    assert response.status_code == 409
    text = html(response)
    assert 'id="version-conflict"' in text and "Min tekst." in text
    compilation.refresh_from_db()
    assert compilation.assessment == "Første utkast."
    # publishing without an assessment is refused in place
    empty = client.post(page(compilation), {"action": "save", "version": "2"})
    assert empty.status_code == 400


def test_markdown_is_sanitised(login, loop_round):
    compilation = start(login, loop_round)
    client = login("vestland_officer")
    client.post(
        page(compilation),
        {"action": "save", "assessment": "**Viktig** <script>alert(1)</script>", "version": "1"},
    )
    text = client.get(page(compilation)).content.decode()
    preview = text.split('id="assessment-preview">')[1].split("</div>")[0]
    assert "<strong>Viktig</strong>" in preview and "<script>" not in preview


def test_publish_then_municipalities_see_their_answers_beside_the_region(login, loop_round):
    compilation = start(login, loop_round)
    officer = login("vestland_officer")
    response = officer.post(
        page(compilation),
        {"action": "publish", "assessment": "Krevende i **Voss**.", "version": "1"},
    )
    assert response.status_code == 302 and response["Location"] == picture(compilation)
    compilation.refresh_from_db()
    assert compilation.is_published and compilation.aggregates["counts"]["late"] == 1

    bergen = login("bergen_manager")
    response = bergen.get(picture(compilation))
    assert response.status_code == 200
    text = html(response)
    assert "<strong>Voss</strong>" in text.split('id="assessment"')[1]
    # in the form's order (the frozen document's keys come back re-ordered from jsonb)
    assert text.index('data-field="evakuerte"') < text.index('data-field="fravaer"')
    row = text.split('data-field="evakuerte"')[1].split("</tr>")[0]
    assert 'class="num own-value">40<' in row and ">50<" in row  # own 40, region 50
    status_row = text.split('data-field="vann_status"')[1].split("</tr>")[0]
    assert "own-value" in status_row and 'data-color="warning"' in status_row
    assert PictureSeen.objects.filter(compilation=compilation, organisation__slug=BERGEN).exists()
    assert 'id="picture-map-data"' in text

    # the submission page links to the picture
    submission_page = html(
        bergen.get(reverse("reporting:submission", args=[sub(loop_round, BERGEN).uuid]))
    )
    assert picture(compilation) in submission_page.split('id="published-pictures"')[1]

    # the dashboard knows who saw it (the test client is one: log in again)
    officer = login("vestland_officer")
    dashboard = html(
        officer.get(reverse("reporting:dashboard", kwargs={"uuid": loop_round.uuid}) + "?q=Bergen")
    )
    row = dashboard.split('data-municipality="4601"')[1].split("</tr>")[0]
    assert re.search(r"\d\d\.\d\d\. \d\d:\d\d</td>\s*$", row)  # last saw the picture

    # other municipalities of the region see it too, without a "yours" column when they
    # have not submitted; a municipality outside the region does not
    officer_view = html(login("vestland_officer").get(picture(compilation)))
    assert "own-value" not in officer_view.split('id="number-summary"')[1].split("</thead>")[1]
    assert login("stavanger_manager").get(picture(compilation)).status_code == 404
    assert login("bergen_manager").get(page(compilation)).status_code == 403


def test_forward_and_the_national_view(login):
    round_ = snb_round()
    submit(round_, BERGEN, answers(evakuerte=3))
    submit(round_, STAVANGER, answers(evakuerte=4, vann="red"))
    compilation = start(login, round_, persona="vestland_officer", region="vestland")
    officer = login("vestland_officer")
    assert (
        officer.post(page(compilation), {"action": "forward"}).status_code == 400
    )  # not published yet
    officer.post(page(compilation), {"action": "publish", "assessment": "OK.", "version": "1"})
    assert officer.post(page(compilation), {"action": "forward"}).status_code == 302
    compilation.refresh_from_db()
    assert compilation.forwarded_at is not None

    dsb = login("dsb_analyst")
    national_url = reverse("reporting:national", kwargs={"uuid": round_.uuid})
    text = html(dsb.get(national_url))
    vestland_row = text.split('data-region="vestland"')[1].split("</tr>")[0]
    assert picture(compilation) in vestland_row
    rogaland_row = text.split('data-region="rogaland"')[1].split("</tr>")[0]
    assert picture(compilation) not in rogaland_row
    assert 'id="national-map-data"' in text
    number_row = text.split('data-field="evakuerte"')[1].split("</tr>")[0]
    assert ">7<" in number_row  # national sum
    # the issuer compiles the national picture
    response = dsb.post(compile_url(round_))
    national = Compilation.objects.get(round=round_, level="national")
    assert response["Location"] == page(national)
    assert login("vestland_officer").get(national_url).status_code == 403


def test_exercise_rounds_are_labelled(login):
    from incidents.log.models import CrisisFrame
    from networks.structure.models import Organisation

    frame = CrisisFrame.objects.create(
        title="Øvelse Flom",
        type="extreme_weather",
        started_at=timezone.now(),
        owner=Organisation.objects.get(slug="statsforvalteren-vestland"),
        is_exercise=True,
    )
    round_ = vestland_round(frame=frame)
    assert round_.is_exercise
    submit(round_, BERGEN)
    compilation = start(login, round_)
    client = login("vestland_officer")
    client.post(page(compilation), {"action": "publish", "assessment": "Øving.", "version": "1"})
    for target in (
        reverse("reporting:dashboard", kwargs={"uuid": round_.uuid}),
        page(compilation),
        picture(compilation),
    ):
        assert "exercise-banner" in client.get(target).content.decode(), target


# --- acknowledging and commenting ------------------------------------------------------


def test_acknowledge_and_comment_on_the_page(login, loop_round):
    bergen = sub(loop_round, BERGEN)
    submission_url = reverse("reporting:submission", kwargs={"uuid": bergen.uuid})
    ack_url = reverse("reporting:submission-acknowledge", kwargs={"uuid": bergen.uuid})
    comment_url = reverse("reporting:submission-comment", kwargs={"uuid": bergen.uuid})

    officer = login("vestland_officer")
    assert 'id="acknowledge-button"' in html(officer.get(submission_url))
    response = officer.post(ack_url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="acknowledged"' in html(response)
    response = officer.post(
        comment_url, {"body": "Takk, vi følger opp vannet."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Takk, vi følger opp vannet." in html(response)
    empty = officer.post(comment_url, {"body": "  "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 400 and 'id="comment-error"' in html(empty)

    manager = login("bergen_manager")
    text = html(manager.get(submission_url))
    assert 'id="acknowledged"' in text and 'id="acknowledge-button"' not in text
    assert "Takk, vi følger opp vannet." in text
    response = manager.post(comment_url, {"body": "Vi har satt opp nødvann."})
    assert response.status_code == 302
    assert SubmissionComment.objects.filter(submission=bergen).count() == 2
    reader = login("bergen_reader")
    assert 'id="comment-form"' not in html(reader.get(submission_url))
    assert reader.post(comment_url, {"body": "Hei"}).status_code == 403
    assert reader.post(ack_url).status_code == 403


def test_api_acknowledge_and_comments(loop_round):
    bergen = sub(loop_round, BERGEN)
    api = APIClient()
    api.force_authenticate(user("vestland_officer"))
    ack = reverse("api:submission-acknowledge", kwargs={"uuid": bergen.uuid})
    comments = reverse("api:submission-comments", kwargs={"uuid": bergen.uuid})
    response = api.post(ack)
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    assert api.post(comments, {"body": ""}, format="json").status_code == 400
    assert api.post(comments, {}, format="json").json().keys() == {"body"}
    too_long = api.post(comments, {"body": "x" * 4001}, format="json")
    assert too_long.status_code == 400 and "body" in too_long.json()
    created = api.post(comments, {"body": "Mottatt."}, format="json")
    assert created.status_code == 201 and created.json()["organisation_name"]
    api.force_authenticate(user("bergen_manager"))
    thread = api.get(comments).json()
    assert [c["body"] for c in thread] == ["Mottatt."]
    assert api.post(ack).status_code == 403
    draft = sub(loop_round, "kommune-4613")
    api.force_authenticate(user("vestland_officer"))
    response = api.post(reverse("api:submission-acknowledge", kwargs={"uuid": draft.uuid}))
    assert response.status_code == 400 and "non_field_errors" in response.json()


# --- the compilations API --------------------------------------------------------------


def test_api_compile_save_conflict_publish_forward(loop_round):
    api = APIClient()
    api.force_authenticate(user("vestland_officer"))
    listing = reverse("api:compilation-list")
    assert api.post(listing, {}, format="json").status_code == 400
    assert api.post(listing, {"round": "not-a-uuid"}, format="json").json().keys() == {"round"}
    response = api.post(
        listing, {"round": str(loop_round.uuid), "office": "vestland"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["level"] == "regional" and body["office"] == "vestland"
    assert body["aggregates"]["counts"]["late"] == 1  # live for a draft
    detail = reverse("api:compilation-detail", kwargs={"uuid": body["id"]})
    assert api.patch(detail, {"assessment": "Utkast"}, format="json").status_code == 400
    saved = api.patch(detail, {"assessment": "Utkast"}, format="json", HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200 and saved["ETag"] == '"2"'
    stale = api.patch(detail, {"assessment": "Min"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert api.get(detail).json()["assessment"] == "Utkast"
    forward = reverse("api:compilation-forward", kwargs={"uuid": body["id"]})
    assert api.post(forward).status_code == 400  # not published
    published = api.post(reverse("api:compilation-publish", kwargs={"uuid": body["id"]}))
    assert published.status_code == 200 and published.json()["published_at"]
    assert api.post(forward).json()["forwarded_at"]
    # another office may not create one for Vestland (it does not see the round)
    api.force_authenticate(user("rogaland_officer"))
    response = api.post(
        listing, {"round": str(loop_round.uuid), "office": "vestland"}, format="json"
    )
    assert response.status_code == 400 and "round" in response.json()
    # a municipality sees the published one, and may not change it
    api.force_authenticate(user("bergen_manager"))
    assert api.get(detail).status_code == 200
    assert api.patch(detail, {"assessment": "x"}, format="json").status_code == 403
    assert [
        c["id"] for c in api.get(listing, {"round": str(loop_round.uuid)}).json()["results"]
    ] == [body["id"]]
    # a municipality may not start one (it sees the round)
    response = api.post(
        listing, {"round": str(loop_round.uuid), "office": "vestland"}, format="json"
    )
    assert response.status_code == 403


def test_publish_needs_an_assessment(loop_round):
    officer = user("vestland_officer")
    compilation = actions.do_start_compilation(
        loop_round, acting_user=officer, office=Office.objects.get(slug="vestland")
    )
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(reverse("api:compilation-publish", kwargs={"uuid": compilation.uuid}))
    assert response.status_code == 400 and "assessment" in response.json()
