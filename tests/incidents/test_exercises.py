"""Exercises (pages and API) and the KS export of lessons learned."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.lessons import actions
from incidents.lessons.models import Exercise, Lesson
from networks.library.models import Document
from tests.helpers import org
from tests.incidents.test_lessons import make_lesson
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN, STAVANGER, ASKOY = "kommune-4601", "kommune-1103", "kommune-4627"


def make_exercise(**fields):
    values = {
        "title": "Regional øvelse: langvarig strømbrudd",
        "scenario": "power_outage",
        "status": "held",
        "planned_for": date(2026, 3, 10),
        "held_on": date(2026, 3, 10),
        **fields,
    }
    return actions.do_create_exercise(
        owner=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        participants=[org(BERGEN), org(ASKOY)],
        **values,
    )


def private_document(owner_slug=STAVANGER):
    return Document.objects.create(
        owner=org(owner_slug),
        kind="evaluation_template",
        title="Intern evaluering",
        created_by=user("stavanger_manager"),
    )


def test_organiser_participants_and_office_see_an_exercise_others_do_not(login):
    exercise = make_exercise()
    for name, expected in [
        ("vestland_officer", 200),
        ("bergen_manager", 200),
        ("bergen_reader", 200),
        ("stavanger_manager", 404),
        ("rogaland_officer", 404),
        ("ks_analyst", 404),
    ]:
        client = login(name)
        url = reverse("incidents:exercise-detail", args=[exercise.uuid])
        assert client.get(url).status_code == expected, name
    client = login("bergen_manager")
    page = client.get(reverse("incidents:exercise-list")).content.decode()
    assert exercise.title in page
    # a participant may record lessons from it but not change the exercise
    assert client.get(reverse("incidents:exercise-edit", args=[exercise.uuid])).status_code == 403


def test_create_an_exercise_through_the_page_and_record_a_lesson_from_it(login):
    client = login("bergen_manager")
    response = client.post(
        reverse("incidents:exercise-create"),
        {
            "title": "Evakueringsøvelse Bergen sentrum",
            "scenario": "major_accident",
            "status": "planned",
            "planned_for": "2026-05-04",
            "participants": [str(org(ASKOY).uuid)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    exercise = Exercise.objects.get(title="Evakueringsøvelse Bergen sentrum")
    assert exercise.owner == org(BERGEN)
    assert list(exercise.participants.all()) == [org(ASKOY)]
    response = client.post(
        reverse("incidents:lesson-create") + f"?exercise={exercise.uuid}",
        {
            "title": "Sambandet sviktet",
            "area": "ict",
            "source": "exercise",
            "exercise": str(exercise.uuid),
            "what_happened": "Nødnett falt ut i to timer.",
            "recommendation": "Øv reserveløsninger for samband.",
            "status": "identified",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("incidents:exercise-detail", args=[exercise.uuid])).content.decode()
    assert "Sambandet sviktet" in page


def test_held_without_a_date_and_an_unseen_evaluation_are_refused(login):
    client = login("bergen_manager")
    before = Exercise.objects.count()
    response = client.post(
        reverse("incidents:exercise-create"),
        {"title": "Øvelse", "scenario": "flood", "status": "held", "planned_for": "2026-05-04"},
    )
    assert response.status_code == 400
    document = private_document()
    response = client.post(
        reverse("api:exercise-list"),
        {
            "title": "Øvelse",
            "scenario": "flood",
            "planned_for": "2026-05-04",
            "evaluation": str(document.uuid),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "evaluation" in response.json()
    assert Exercise.objects.count() == before


def test_exercise_api_lists_participants_and_visible_lessons_only(login):
    exercise = make_exercise()
    own = make_lesson(source="exercise", exercise=exercise, title="Delt fra øvelsen", share="snb")
    hidden = make_lesson(source="exercise", exercise=exercise, title="Privat fra øvelsen")
    client = login("vestland_officer")
    data = client.get(reverse("api:exercise-detail", args=[exercise.uuid])).json()
    assert set(data["participants"]) == {str(org(BERGEN).uuid), str(org(ASKOY).uuid)}
    assert data["lessons"] == [str(own.uuid)]  # the office sees what is shared
    assert str(hidden.uuid) not in data["lessons"]
    response = client.patch(
        reverse("api:exercise-detail", args=[exercise.uuid]),
        {"status": "planned", "held_on": None},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "planned"
    bergen = login("bergen_manager")
    assert (
        bergen.patch(
            reverse("api:exercise-detail", args=[exercise.uuid]),
            {"title": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )


# --- KS export -------------------------------------------------------------------------


def _period():
    today = timezone.localdate()
    return {"start": (today - timedelta(days=7)).isoformat(), "end": today.isoformat()}


def test_ks_export_counts_everything_and_lists_only_shared_lessons(login):
    from openpyxl import load_workbook

    public = make_lesson(title="Verdien av storbynettverket", share="everyone")
    network = make_lesson(title="Felles innkjøp i SNB", share="snb")
    private = make_lesson(title="Privat: intern bemanning", area="staffing")
    client = login("ks_analyst")
    response = client.get(reverse("incidents:lesson-export"), {**_period(), "format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    listed = {row[1] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)}
    assert public.title in listed
    assert network.title not in listed  # not the network's export
    assert private.title not in listed
    matrix = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    total = matrix[-1][-1]
    assert total >= Lesson.objects.filter(owner__kind="municipality").count() - 0 and total >= 3

    response = client.get(
        reverse("incidents:lesson-export"), {**_period(), "format": "xlsx", "network": "snb"}
    )
    book = load_workbook(io.BytesIO(response.content))
    listed = {row[1] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)}
    assert {public.title, network.title} <= listed and private.title not in listed

    response = client.get(reverse("incidents:lesson-export"), {**_period(), "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_ks_export_is_for_analysts_and_checks_its_input(login):
    assert login("bergen_manager").get(reverse("incidents:lesson-export")).status_code == 403
    client = login("dsb_analyst")
    assert client.get(reverse("incidents:lesson-export")).status_code == 200
    response = client.get(
        reverse("incidents:lesson-export"),
        {"start": "2026-02-01", "end": "2026-01-01", "format": "xlsx"},
    )
    assert response.status_code == 400
    response = client.get(
        reverse("incidents:lesson-export"),
        {"start": "2026-01-01", "end": "2026-02-01", "format": "docx"},
    )
    assert response.status_code == 400


def test_ks_export_through_the_api(login):
    from openpyxl import load_workbook

    public = make_lesson(title="Verdien av storbynettverket", share="everyone")
    client = login("ks_analyst")
    response = client.get(reverse("api:lesson-export"), {**_period(), "kind": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert public.title in {r[1] for r in book.worksheets[2].iter_rows(values_only=True)}
    response = client.get(reverse("api:lesson-export"), {**_period(), "kind": "doc"})
    assert response.status_code == 400 and "kind" in response.json()
    response = client.get(reverse("api:lesson-export"), {"start": "x", "kind": "pdf"})
    assert response.status_code == 400 and {"start", "end"} <= set(response.json())
    assert login("bergen_manager").get(reverse("api:lesson-export")).status_code == 403
