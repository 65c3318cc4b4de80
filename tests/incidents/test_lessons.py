"""Lessons learned: create/edit through the pages and the API, the follow-up, sharing
(a network's members see each other's shared lessons; the office goes in line), Norwegian
search and filters, similar lessons, history, bad input and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pghistory.models import Events

from incidents.lessons import actions
from incidents.lessons.models import Lesson, LessonShare
from incidents.lessons.search import similar_lessons
from networks.structure.models import Network
from tests.helpers import org
from tests.incidents.factories import make_incident
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN, STAVANGER, DRAMMEN = "kommune-4601", "kommune-1103", "kommune-3301"


def make_lesson(owner=BERGEN, author="bergen_manager", share=None, **fields):
    """A lesson from an incident of the owner (made for it unless given)."""
    values = {
        "title": "Mangel på smittevernutstyr i starten av pandemien",
        "what_happened": "Beredskapslageret for smittevernutstyr var tomt etter få uker.",
        "recommendation": "Etabler rutiner for beredskapslagre og felles innkjøp i nettverket.",
        "area": "procurement",
        "source": "incident",
        **fields,
    }
    if values["source"] == "incident" and not values.get("incident"):
        values["incident"] = make_incident(owner_slug=owner, author=author)
    lesson = actions.do_create_lesson(owner=org(owner), acting_user=user(author), **values)
    if share == "snb":
        actions.do_share_lesson(
            lesson, acting_user=user(author), network=Network.objects.get(slug="snb")
        )
    elif share == "everyone":
        actions.do_share_lesson(lesson, acting_user=user(author), everyone=True)
    return lesson


FORM = {
    "title": "Digitale møter i kriseledelsen",
    "area": "ict",
    "source": "incident",
    "what_happened": "Kriseledelsen gikk over til digitale møter den første helgen.",
    "what_worked": "Bred deltakelse",
    "what_failed": "",
    "recommendation": "Ha en plan for digitale møter og reserveløsninger i beredskapsplanen.",
    "status": "identified",
    "responsible_role": "Beredskapssjef",
}


# --- pages: create, edit, history ------------------------------------------------------


def test_a_manager_records_a_lesson_from_an_incident(login):
    incident = make_incident(owner_slug=BERGEN, author="bergen_manager")
    client = login("bergen_manager")
    response = client.post(reverse("incidents:lesson-create"), {**FORM, "incident": incident.uuid})
    assert response.status_code == 302
    lesson = Lesson.objects.get(title=FORM["title"])
    assert lesson.owner == org(BERGEN) and lesson.incident == incident
    page = client.get(reverse("incidents:lesson-detail", args=[lesson.uuid])).content.decode()
    assert "Digitale møter i kriseledelsen" in page and incident.title in page


def test_unknown_area_is_refused_in_place_and_nothing_is_saved(login):
    incident = make_incident(owner_slug=BERGEN, author="bergen_manager")
    client = login("bergen_manager")
    before = Lesson.objects.count()
    response = client.post(
        reverse("incidents:lesson-create"), {**FORM, "incident": incident.uuid, "area": "vær"}
    )
    assert response.status_code == 400
    assert "ds-error-summary" in response.content.decode()
    assert Lesson.objects.count() == before


def test_linking_an_incident_you_cannot_see_is_refused(login):
    private = make_incident(owner_slug=STAVANGER, author="stavanger_manager")
    client = login("bergen_manager")
    before = Lesson.objects.count()
    response = client.post(reverse("incidents:lesson-create"), {**FORM, "incident": private.uuid})
    assert response.status_code == 400
    assert Lesson.objects.count() == before
    # the action refuses it too (e.g. the API or a command)
    with pytest.raises(Exception) as error:
        actions.do_create_lesson(
            owner=org(BERGEN),
            acting_user=user("bergen_manager"),
            **{k: v for k, v in FORM.items()},
            incident=private,
        )
    assert "incident" in error.value.message_dict
    assert Lesson.objects.count() == before


def test_an_edit_keeps_the_previous_text_in_the_history(login):
    lesson = make_lesson()
    old = lesson.what_happened
    client = login("bergen_manager")
    data = {
        **FORM,
        "title": lesson.title,
        "source": lesson.source,
        "incident": lesson.incident.uuid,
        "what_happened": "Lageret holdt i tre uker; deretter var det tomt.",
    }
    response = client.post(reverse("incidents:lesson-edit", args=[lesson.uuid]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson.refresh_from_db()
    assert lesson.what_happened.startswith("Lageret holdt")
    events = list(Events.objects.tracks(lesson).order_by("pgh_id"))
    assert [e.pgh_data["what_happened"] for e in events][0] == old
    assert any(
        (e.pgh_diff or {}).get("what_happened") == [old, lesson.what_happened] for e in events
    )
    assert all(e.pgh_context and e.pgh_context.get("user") for e in events)
    page = client.get(reverse("incidents:lesson-detail", args=[lesson.uuid])).content.decode()
    assert old in page  # the history shows what it said before


def test_the_follow_up_moves_step_by_step_and_is_in_the_history(login):
    lesson = make_lesson()
    client = login("bergen_manager")
    url = reverse("incidents:lesson-status", args=[lesson.uuid])
    client.post(url, {"status": "verified"})  # two steps ahead: refused
    lesson.refresh_from_db()
    assert lesson.status == "identified"
    client.post(url, {"status": "measure_decided"})
    client.post(url, {"status": "implemented"})
    lesson.refresh_from_db()
    assert lesson.status == "implemented"
    page = client.get(reverse("incidents:lesson-detail", args=[lesson.uuid])).content.decode()
    assert "Measure decided" in page or "Tiltak besluttet" in page


def test_a_reader_sees_but_may_not_write(login):
    lesson = make_lesson()
    client = login("bergen_reader")
    assert client.get(reverse("incidents:lesson-detail", args=[lesson.uuid])).status_code == 200
    assert client.get(reverse("incidents:lesson-edit", args=[lesson.uuid])).status_code == 403
    url = reverse("incidents:lesson-status", args=[lesson.uuid])
    assert client.post(url, {"status": "measure_decided"}).status_code == 403
    assert client.get(reverse("incidents:lesson-create")).status_code == 403


# --- sharing, search, similar ----------------------------------------------------------


def test_network_members_see_each_others_shared_lessons(login):
    shared = make_lesson(share="snb")
    private = make_lesson(title="Privat læringspunkt om bemanning", area="staffing")
    seen = {
        name: set(Lesson.objects.visible_to(user(name)).values_list("pk", flat=True))
        for name in ("stavanger_manager", "snb_coordinator", "drammen_staff", "vestland_officer",
                     "rogaland_officer", "ks_analyst")
    }  # fmt: skip
    assert shared.pk in seen["stavanger_manager"] and shared.pk in seen["snb_coordinator"]
    assert shared.pk in seen["vestland_officer"]  # go in line: Bergen's office
    assert shared.pk not in seen["drammen_staff"] | seen["rogaland_officer"] | seen["ks_analyst"]
    assert private.pk not in set().union(*seen.values()) - seen["vestland_officer"]
    assert private.pk not in seen["vestland_officer"]  # not shared with anyone
    client = login("drammen_staff")
    assert client.get(reverse("incidents:lesson-detail", args=[shared.uuid])).status_code == 404


def test_share_with_everyone_and_a_region_through_the_page(login):
    lesson = make_lesson()
    client = login("bergen_manager")
    url = reverse("incidents:lesson-share", args=[lesson.uuid])
    assert client.post(url, {"audience": "everyone"}).status_code == 302
    assert client.post(url, {"audience": "office", "office": "rogaland"}).status_code == 302
    assert client.post(url, {"audience": "network"}).status_code == 400  # none chosen
    assert set(
        LessonShare.objects.filter(lesson=lesson).values_list("everyone", "office__slug")
    ) == {
        (True, None),
        (False, "rogaland"),
    }
    assert lesson.pk in set(
        Lesson.objects.visible_to(user("drammen_staff")).values_list("pk", flat=True)
    )


def test_norwegian_search_and_filters(login):
    target = make_lesson(share="snb")
    other = make_lesson(
        title="Kommunikasjon med innbyggerne på flere språk",
        what_happened="Informasjon nådde ikke alle grupper.",
        recommendation="Bruk verter og flere språk i informasjonsarbeidet.",
        area="communication",
        share="snb",
    )
    client = login("stavanger_manager")
    response = client.get(reverse("incidents:lesson-list"), {"q": "smittevernutstyret"})
    page = response.content.decode()
    assert target.title in page and other.title not in page
    response = client.get(reverse("incidents:lesson-list"), {"area": "communication"})
    page = response.content.decode()
    assert other.title in page and target.title not in page
    response = client.get(
        reverse("incidents:lesson-list"), {"network": "snb", "owner": str(org(BERGEN).uuid)}
    )
    assert target.title in response.content.decode()
    response = client.get(reverse("incidents:lesson-list"), {"area": "vær"})
    assert response.status_code == 200  # an invalid filter shows nothing, never 500


def test_similar_lessons_are_ranked_and_restricted_to_what_you_may_see():
    lesson = make_lesson(share="snb")
    close = make_lesson(
        title="Smittevernutstyr ble kjøpt inn sammen",
        what_happened="Storbyene kjøpte smittevernutstyr i fellesskap.",
        recommendation="Felles innkjøp av smittevernutstyr og beredskapslagre.",
        share="snb",
    )
    far = make_lesson(
        title="Utholdenhet i kriseledelsen",
        what_happened="Høyt arbeidspress over lang tid.",
        recommendation="Planlegg avløsning og stedfortredere.",
        area="staffing",
        share="snb",
    )
    hidden = make_lesson(
        owner=STAVANGER,
        author="stavanger_manager",
        title="Smittevernutstyr og beredskapslagre i Stavanger",
        what_happened="Beredskapslageret for smittevernutstyr var tomt.",
    )
    mine = [lesson.pk for lesson in similar_lessons(lesson, user("bergen_manager"))]
    assert mine[0] == close.pk
    assert hidden.pk not in mine and lesson.pk not in mine
    assert far.pk not in mine[:1]
    theirs = [lesson.pk for lesson in similar_lessons(lesson, user("stavanger_manager"))]
    assert hidden.pk in theirs


# --- query counts ----------------------------------------------------------------------


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_list_search_and_similar_run_a_constant_number_of_queries(login):
    client = login("stavanger_manager")
    first = make_lesson(share="snb")
    list_url = reverse("incidents:lesson-list")
    detail = reverse("incidents:lesson-detail", args=[first.uuid])
    api = reverse("api:lesson-list")
    similar_api = reverse("api:lesson-similar", args=[first.uuid])

    def measure():
        return (
            _count(lambda: client.get(list_url)),
            _count(lambda: client.get(list_url, {"q": "smittevernutstyr", "area": "procurement"})),
            _count(lambda: similar_lessons(first, user("stavanger_manager"))),
            _count(lambda: client.get(detail)),
            _count(lambda: client.get(api, {"q": "smittevernutstyr"})),
            _count(lambda: client.get(similar_api)),
        )

    few = measure()
    for i in range(15):
        make_lesson(
            title=f"Smittevernutstyr {i}",
            share="snb" if i % 2 else "everyone",
            incident=first.incident,
        )
    many = measure()
    assert few == many, (few, many)
    similar_user = user("stavanger_manager")
    similar_lessons(first, similar_user)  # the viewer is cached on the user
    assert _count(lambda: similar_lessons(first, similar_user)) == 1


# --- API -------------------------------------------------------------------------------


def test_api_create_update_status_and_similar(login):
    client = login("bergen_manager")
    incident = make_incident(owner_slug=BERGEN, author="bergen_manager")
    body = {**FORM, "incident": str(incident.uuid)}
    response = client.post(reverse("api:lesson-list"), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["incident"] == str(incident.uuid) and data["status"] == "identified"
    url = reverse("api:lesson-detail", args=[data["id"]])
    response = client.patch(url, {"status": "verified"}, content_type="application/json")
    assert response.status_code == 400 and "status" in response.json()
    response = client.patch(url, {"status": "measure_decided"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "measure_decided"
    shares = reverse("api:lesson-shares", args=[data["id"]])
    response = client.post(shares, {"network": "snb"}, content_type="application/json")
    assert response.status_code == 201
    response = client.post(
        shares, {"network": "snb", "everyone": True}, content_type="application/json"
    )
    assert response.status_code == 400
    assert client.get(shares).json()[0]["network"] == "snb"
    assert client.get(reverse("api:lesson-similar", args=[data["id"]])).status_code == 200
    other = login("stavanger_manager")
    assert other.get(url).status_code == 200
    assert other.patch(url, {"title": "x"}, content_type="application/json").status_code == 403


def test_api_bad_input_is_400_and_nothing_is_saved(login):
    private = make_incident(owner_slug=STAVANGER, author="stavanger_manager")
    client = login("bergen_manager")
    before = Lesson.objects.count()
    response = client.post(
        reverse("api:lesson-list"),
        {**FORM, "incident": str(private.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 400 and "incident" in response.json()
    response = client.post(
        reverse("api:lesson-list"), {**FORM, "area": "vær"}, content_type="application/json"
    )
    assert response.status_code == 400 and "area" in response.json()
    response = client.post(
        reverse("api:lesson-list"), {**FORM, "source": "incident"}, content_type="application/json"
    )
    assert response.status_code == 400 and "incident" in response.json()  # the source's link
    assert Lesson.objects.count() == before


def test_api_search_orders_by_rank():
    from rest_framework.test import APIClient

    make_lesson(share="snb")
    best = make_lesson(
        title="Smittevernutstyr, smittevernutstyr og smittevernutstyr",
        what_happened="Smittevernutstyr manglet.",
        recommendation="Kjøp smittevernutstyr sammen.",
        share="snb",
    )
    client = APIClient()
    client.force_authenticate(user("snb_coordinator"))
    rows = client.get(reverse("api:lesson-list"), {"q": "smittevernutstyr"}).json()["results"]
    assert rows[0]["id"] == str(best.uuid)
