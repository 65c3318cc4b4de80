"""Action cards (tiltakskort): the steps are checked (at least one, a title each, a
positive time frame) and saved as a new version; applying a card to an incident creates
one task per step, linked to the card version, and one log entry, in one transaction;
the same version twice is refused; an incident the user cannot write to is refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.log.models import LogEntry, Task
from networks.action_cards import actions
from networks.library.actions import do_create_document
from networks.library.models import DocumentVersion
from tests.access.hearing_cases import CARD_STEPS, bergen_card, org
from tests.helpers import query_count
from tests.incidents.factories import make_incident
from tests.personas import user

# Messages are asserted in their English source text (see the `english` fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def bergen_incident(**fields):
    return make_incident("kommune-4601", "bergen_manager", title="Strømbrudd i Bergen", **fields)


# --- the steps -------------------------------------------------------------------------


def test_clean_checklist_normalises_the_time_frame():
    steps = actions.clean_checklist(CARD_STEPS)
    assert [s["time_frame"] for s in steps] == ["30 min", "60 min", "180 min"]
    version = DocumentVersion(checklist=steps)
    assert [s["time_frame_minutes"] for s in actions.card_steps(version)] == [30, 60, 180]


@pytest.mark.parametrize(
    "steps,message",
    [
        ([], "at least one step"),
        (None, "at least one step"),
        ([{"title": "", "role": "x", "time_frame_minutes": 5}], "give the step a title"),
        ([{"title": "A", "time_frame_minutes": 0}], "positive"),
        ([{"title": "A", "time_frame_minutes": -5}], "positive"),
        ([{"title": "A", "time_frame_minutes": "snart"}], "positive"),
        ([{"title": "A"}], "positive"),
        (
            [{"title": "A", "time_frame_hours": "1.5"}, {"title": "B", "time_frame_hours": 0}],
            "Step 2",
        ),
    ],
)
def test_bad_steps_are_refused(steps, message):
    with pytest.raises(ValidationError) as error:
        actions.clean_checklist(steps)
    assert message in " ".join(error.value.message_dict["checklist"])


def test_editor_rows_add_remove_and_reorder_without_saving(login):
    card = bergen_card()
    client = login("bergen_manager")
    url = reverse("networks:action-card-edit", args=[card.uuid])
    assert client.get(url).status_code == 200
    rows = {
        "title": ["Første", "Andre"],
        "role": ["Kriseledelsen", ""],
        "time_frame": ["30", "2"],
        "unit": ["minutes", "hours"],
        "expected_number": "1",
    }
    hx = {"HX-Request": "true"}
    response = client.post(url, {**rows, "op": "add"}, headers=hx)
    assert response.status_code == 200 and response.content.decode().count('name="title"') == 3
    response = client.post(url, {**rows, "op": "down:0"}, headers=hx)
    html = response.content.decode()
    assert html.index('value="Andre"') < html.index('value="Første"')
    response = client.post(url, {**rows, "op": "remove:0"}, headers=hx)
    assert 'value="Første"' not in response.content.decode()
    assert card.versions.count() == 1  # nothing saved


def test_saving_steps_makes_a_new_version(login):
    card = bergen_card()
    client = login("bergen_manager")
    url = reverse("networks:action-card-edit", args=[card.uuid])
    data = {
        "title": ["Sett kriseledelsen", "Åpne evakuerte- og pårørendesenter"],
        "role": ["Kriseledelsen", "Helse og velferd"],
        "time_frame": ["15", "4"],
        "unit": ["minutes", "hours"],
        "expected_number": "1",
        "op": "save",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.current_number == 2
    latest = card.versions.get(number=2)
    assert [s["time_frame_minutes"] for s in actions.card_steps(latest)] == [15, 240]
    assert len(card.versions.get(number=1).checklist) == 3  # the old version as it was


def test_saving_no_steps_or_bad_steps_is_400_and_saves_nothing(login):
    card = bergen_card()
    client = login("bergen_manager")
    url = reverse("networks:action-card-edit", args=[card.uuid])
    response = client.post(url, {"op": "save", "expected_number": "1"})
    assert response.status_code == 400
    assert "at least one step" in response.content.decode()
    bad = {"title": [""], "role": [""], "time_frame": ["-3"], "unit": ["minutes"], "op": "save"}
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "give the step a title" in response.content.decode()
    assert card.versions.count() == 1
    api = client.post(
        reverse("api:action-card-checklist", args=[card.uuid]),
        {"steps": []},
        content_type="application/json",
    )
    assert api.status_code == 400 and "checklist" in api.json()
    assert card.versions.count() == 1


def test_only_the_owners_writers_edit_the_steps(login):
    card = bergen_card()
    url = reverse("networks:action-card-edit", args=[card.uuid])
    assert login("bergen_reader").get(url).status_code == 403
    assert login("stavanger_manager").get(url).status_code == 403  # sees it (SNB)
    assert login("drammen_staff").get(url).status_code == 404


# --- applying --------------------------------------------------------------------------


def test_applying_creates_one_task_per_step_and_one_log_entry(login):
    card = bergen_card()
    incident = bergen_incident()
    version = card.versions.get()
    before = timezone.now()
    client = login("bergen_manager")
    response = client.post(
        reverse("networks:action-card-apply", args=[card.uuid]), {"incident": str(incident.uuid)}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:task-list", args=[incident.uuid])
    tasks = list(Task.objects.filter(incident=incident).order_by("card_step"))
    assert [t.card_step for t in tasks] == [1, 2, 3]
    assert all(t.card_version == version for t in tasks)
    assert all(t.assignee_organisation == org("kommune-4601") for t in tasks)
    assert tasks[1].title == "Varsle innbyggerne"
    assert tasks[1].description.startswith("Responsible: Kommunikasjonsansvarlig")
    assert before + timedelta(minutes=179) <= tasks[2].due_at <= timezone.now() + timedelta(hours=3)
    entries = LogEntry.objects.filter(incident=incident)
    assert entries.count() == 1
    assert "Matrise: Tiltakskort strømbrudd" in entries.get().text
    page = client.get(reverse("incidents:task-list", args=[incident.uuid])).content.decode()
    assert "Kartlegg sårbare brukere" in page


def test_applying_the_same_version_twice_is_refused(login):
    card = bergen_card()
    incident = bergen_incident()
    version = card.versions.get()
    actions.do_apply_card(version, incident, acting_user=user("bergen_manager"))
    client = login("bergen_manager")
    response = client.post(
        reverse("networks:action-card-apply", args=[card.uuid]),
        {"incident": str(incident.uuid)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "already been applied" in response.content.decode()
    assert Task.objects.filter(incident=incident).count() == 3
    assert LogEntry.objects.filter(incident=incident).count() == 1


def test_applying_to_an_incident_you_cannot_write_to_is_refused(login):
    card = bergen_card()
    stavanger = make_incident()  # Stavanger's, not shared
    client = login("bergen_manager")
    response = client.post(
        reverse("networks:action-card-apply", args=[card.uuid]), {"incident": str(stavanger.uuid)}
    )
    assert response.status_code == 400
    assert "Choose an incident you may write to." in response.content.decode()
    response = client.post(
        reverse("api:action-card-apply", args=[card.uuid]),
        {"incident": str(stavanger.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 400 and "incident" in response.json()
    # A reader sees Bergen's incident but does not write to it.
    bergen = bergen_incident()
    response = login("bergen_reader").post(
        reverse("api:action-card-apply", args=[card.uuid]),
        {"incident": str(bergen.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 400 and "incident" in response.json()
    assert not Task.objects.filter(card_version__document=card).exists()


def test_a_card_you_do_not_see_is_404(login):
    card = bergen_card()
    incident = make_incident("kommune-3301", "drammen_staff", title="Flom")
    response = login("drammen_staff").post(
        reverse("api:action-card-apply", args=[card.uuid]),
        {"incident": str(incident.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Task.objects.filter(incident=incident).exists()


def test_api_apply_and_a_newer_version_may_be_applied_again(login):
    card = bergen_card()
    incident = bergen_incident()
    client = login("bergen_manager")
    url = reverse("api:action-card-apply", args=[card.uuid])
    response = client.post(url, {"incident": str(incident.uuid)}, content_type="application/json")
    assert response.status_code == 201 and len(response.json()["tasks"]) == 3
    response = client.post(url, {"incident": str(incident.uuid)}, content_type="application/json")
    assert response.status_code == 400
    response = client.post(
        reverse("api:action-card-checklist", args=[card.uuid]),
        {"steps": [{"title": "Ny rutine", "role": "Teknisk drift", "time_frame_hours": 2}],
         "expected_number": 1},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["steps"] == [
        {"title": "Ny rutine", "role": "Teknisk drift", "time_frame_minutes": 120}
    ]
    response = client.post(url, {"incident": str(incident.uuid)}, content_type="application/json")
    assert response.status_code == 201 and response.json()["version"] == 2
    assert Task.objects.filter(incident=incident).count() == 4


def test_api_steps_saved_from_an_older_version_are_a_412_conflict(login):
    card = bergen_card()
    client = login("bergen_manager")
    url = reverse("api:action-card-checklist", args=[card.uuid])
    steps = [{"title": "Ny rutine", "role": "Teknisk drift", "time_frame_minutes": 30}]
    body = {"steps": steps, "expected_number": 1}
    assert client.post(url, body, content_type="application/json").status_code == 201
    stale = client.post(url, body, content_type="application/json")
    assert stale.status_code == 412 and stale.json()["current_version"] == 2
    assert card.versions.count() == 2


def test_only_action_cards_are_applied():
    guide = do_create_document(org("kommune-4601"), user("bergen_manager"), "guide", "Veileder")
    with pytest.raises(ValidationError):
        actions.do_apply_card(
            guide.versions.get(), bergen_incident(), acting_user=user("bergen_manager")
        )


# --- query counts ----------------------------------------------------------------------


@pytest.mark.parametrize("route", ["networks:action-card-list", "api:action-card-list"])
def test_card_lists_run_a_constant_number_of_queries(login, route):
    bergen_card()
    client = login("stavanger_manager")
    url = reverse(route)
    client.get(url)
    few = query_count(client, url)
    for _ in range(5):
        bergen_card()
    many = query_count(client, url)
    assert few == many, (route, few, many)
