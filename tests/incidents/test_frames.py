"""Crisis frames in the portal and the API: national analysts create national frames and
exercises, State Administrator officers exercise frames for their office, emergency
managers none. Municipalities open their incidents in a frame (an exercise frame makes
them exercises), the frame page groups what the user may see by region and
organisation, and exercises stay out of the real statistics."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.log import actions
from incidents.log.models import CrisisFrame, Incident, IncidentType
from networks.structure.models import Network
from tests.helpers import html, org, query_count
from tests.incidents.factories import make_incident
from tests.personas import user

pytestmark = pytest.mark.django_db

VESTLAND = "statsforvalteren-vestland"
HTMX = {"HTTP_HX_REQUEST": "true"}


def frame_post(**fields):
    data = {
        "title": "Øvelse Vestland – flom",
        "type": "flood",
        "is_exercise": "on",
        "started_at": "2026-10-21T08:30",
        "ended_at": "",
        "description": "Regional øvelse for kommunene i Vestland.",
    }
    data.update(fields)
    return data


def exercise_frame(**fields):
    return actions.do_create_frame(
        owner=org(VESTLAND),
        acting_user=user("vestland_officer"),
        **{
            "title": "Øvelse Vestland",
            "type": IncidentType.POWER_OUTAGE,
            "is_exercise": True,
            "started_at": timezone.now() - timedelta(hours=2),
            **fields,
        },
    )


def national_frame(**fields):
    return actions.do_create_frame(
        owner=org("dsb"),
        acting_user=user("dsb_analyst"),
        **{
            "title": "Ekstremværet Testa",
            "type": IncidentType.EXTREME_WEATHER,
            "is_exercise": False,
            "started_at": timezone.now() - timedelta(days=1),
            **fields,
        },
    )


# --- the actions -----------------------------------------------------------------------


def test_who_may_create_which_frame():
    assert national_frame().owner.slug == "dsb"
    assert exercise_frame().is_exercise
    with pytest.raises(ValidationError) as error:
        exercise_frame(is_exercise=False)
    assert "is_exercise" in error.value.message_dict
    for name, owner in [
        ("bergen_manager", "kommune-4601"),  # emergency managers hold no frames
        ("ks_analyst", "ks"),
        ("vestland_officer", "statsforvalteren-rogaland"),  # another office
        ("dsb_analyst", VESTLAND),  # only for the analyst's own organisation
    ]:
        with pytest.raises(PermissionDenied):
            actions.do_create_frame(
                owner=org(owner),
                acting_user=user(name),
                title="Nei",
                type="flood",
                is_exercise=True,
                started_at=timezone.now(),
            )


def test_update_ends_a_frame_and_keeps_the_exercise_flag_once_used():
    frame = exercise_frame()
    end = timezone.now()
    actions.do_update_frame(frame, acting_user=user("vestland_officer"), ended_at=end)
    frame.refresh_from_db()
    assert frame.ended_at == end
    with pytest.raises(PermissionDenied):
        actions.do_update_frame(frame, acting_user=user("rogaland_officer"), title="Nei")
    with pytest.raises(PermissionDenied):
        actions.do_update_frame(frame, acting_user=user("dsb_analyst"), title="Nei")
    with pytest.raises(ValidationError):
        actions.do_update_frame(
            frame, acting_user=user("vestland_officer"), ended_at=frame.started_at - timedelta(1)
        )
    make_incident(owner_slug="kommune-4601", author="bergen_manager", frame=frame)
    national = national_frame()
    make_incident(owner_slug="kommune-4601", author="bergen_manager", frame=national)
    with pytest.raises(ValidationError) as error:
        actions.do_update_frame(national, acting_user=user("dsb_analyst"), is_exercise=True)
    assert "is_exercise" in error.value.message_dict


# --- pages -----------------------------------------------------------------------------


def test_officer_creates_an_exercise_frame_and_is_refused_a_national_one(login):
    client = login("vestland_officer")
    url = reverse("incidents:frame-create")
    page = html(client.get(url))
    assert 'name="owner"' in page and "checked" in page  # one office; exercise pre-ticked
    before = CrisisFrame.objects.count()
    refused = client.post(url, frame_post(owner=org(VESTLAND).pk, is_exercise=""), **HTMX)
    assert refused.status_code == 400
    body = html(refused)
    assert "<html" not in body
    assert "kan bare opprette øvelsesrammer" in body
    assert CrisisFrame.objects.count() == before
    empty = client.post(url, {"owner": org(VESTLAND).pk}, **HTMX)
    assert empty.status_code == 400 and "Dette feltet er påkrevd" in html(empty)
    backwards = client.post(
        url, frame_post(owner=org(VESTLAND).pk, ended_at="2026-10-20T08:00"), **HTMX
    )
    assert backwards.status_code == 400 and "kan ikke være før starten" in html(backwards)
    assert CrisisFrame.objects.count() == before
    response = client.post(url, frame_post(owner=org(VESTLAND).pk))
    frame = CrisisFrame.objects.get(title="Øvelse Vestland – flom")
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:frame-detail", args=[frame.uuid])
    assert frame.is_exercise and frame.owner.slug == VESTLAND


def test_analyst_creates_a_national_frame_and_managers_may_not(login):
    client = login("dsb_analyst")
    response = client.post(
        reverse("incidents:frame-create"),
        frame_post(owner=org("dsb").pk, title="Tørkesommeren", type="supply", is_exercise=""),
    )
    assert response.status_code == 302
    frame = CrisisFrame.objects.get(title="Tørkesommeren")
    assert not frame.is_exercise and frame.owner.slug == "dsb"
    assert login("bergen_manager").get(reverse("incidents:frame-create")).status_code == 403
    assert (
        login("bergen_manager").post(reverse("incidents:frame-create"), frame_post()).status_code
        == 403
    )


def test_edit_page_ends_the_frame(login):
    frame = national_frame()
    url = reverse("incidents:frame-edit", args=[frame.uuid])
    client = login("dsb_analyst")
    assert client.get(url).status_code == 200
    started = timezone.localtime(frame.started_at).strftime("%Y-%m-%dT%H:%M")
    ended = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bad = client.post(url, frame_post(title="", started_at=started, is_exercise=""), **HTMX)
    assert bad.status_code == 400 and "Dette feltet er påkrevd" in html(bad)
    frame.refresh_from_db()
    assert frame.title == "Ekstremværet Testa"
    data = frame_post(title="Ekstremværet Testa", started_at=started, ended_at=ended)
    data["is_exercise"] = ""
    assert client.post(url, data).status_code == 302
    frame.refresh_from_db()
    assert frame.ended_at is not None and not frame.is_exercise
    assert login("vestland_officer").get(url).status_code == 403
    assert login("bergen_manager").get(url).status_code == 403


def test_municipality_opens_an_exercise_incident_in_the_frame(login):
    frame = exercise_frame()
    client = login("bergen_manager")
    detail = html(client.get(reverse("incidents:frame-detail", args=[frame.uuid])))
    assert "exercise-banner" in detail and "ØVELSE" in detail
    link = f"{reverse('incidents:incident-create')}?frame={frame.uuid}"
    assert f'href="{link}"' in detail and "Opprett øvingshendelse i denne rammen" in detail
    form = html(client.get(link))
    assert f'<option value="{frame.pk}" selected>' in form
    response = client.post(
        reverse("incidents:incident-create"),
        {
            "owner": org("kommune-4601").pk,
            "title": "Øving: strømbrudd i Bergen",
            "frame": frame.pk,
            "type": "power_outage",
            "severity": "high",
            "started_at": "2026-10-21T09:00",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get(title="Øving: strømbrudd i Bergen")
    assert incident.frame == frame and incident.is_exercise  # forced by the frame
    assert not Incident.objects.real().filter(pk=incident.pk).exists()
    assert Incident.objects.real().filter(frame=frame).count() == 0
    # The incident's pages link the frame.
    frame_url = reverse("incidents:frame-detail", args=[frame.uuid])
    for name in ("incidents:incident-detail", "incidents:log"):
        assert f'href="{frame_url}"' in html(client.get(reverse(name, args=[incident.uuid])))
    listing = html(client.get(reverse("incidents:incident-list")))
    assert f'href="{frame_url}"' in listing
    assert f'href="{reverse("incidents:frame-list")}"' in listing


def test_frame_page_groups_what_the_user_may_see_by_region_and_organisation(login):
    frame = national_frame()
    bergen = make_incident(
        owner_slug="kommune-4601", author="bergen_manager", title="Flom i Bergen", frame=frame
    )
    make_incident(owner_slug="kommune-4601", author="bergen_manager", title="Skred i Bergen",
                  frame=frame)  # fmt: skip
    private = make_incident(title="Flom i Stavanger", frame=frame)  # Stavanger, not shared
    actions.do_share(
        acting_user=user("bergen_manager"), incident=bergen, organisation=org(VESTLAND)
    )
    officer = html(
        login("vestland_officer").get(reverse("incidents:frame-detail", args=[frame.uuid]))
    )
    assert "Flom i Bergen" in officer and "Skred i Bergen" not in officer
    assert private.title not in officer
    assert "Vestland" in officer and "Bergen kommune" in officer
    stavanger = html(
        login("stavanger_manager").get(reverse("incidents:frame-detail", args=[frame.uuid]))
    )
    assert "Flom i Stavanger" in stavanger and "Flom i Bergen" not in stavanger
    own = html(login("bergen_manager").get(reverse("incidents:frame-detail", args=[frame.uuid])))
    assert own.index("Flom i Bergen") > own.index("Bergen kommune")
    assert "Skred i Bergen" in own
    # Shared with SNB, Stavanger's incident joins Bergen's page under its own region
    # (offices in name order: Rogaland before Vestland).
    actions.do_share(
        acting_user=user("stavanger_manager"),
        incident=private,
        network=Network.objects.get(slug="snb"),
    )
    both = html(login("bergen_manager").get(reverse("incidents:frame-detail", args=[frame.uuid])))
    order = [
        both.index(text) for text in ("Rogaland", "Flom i Stavanger", "Vestland", "Flom i Bergen")
    ]
    assert order == sorted(order), order
    # The list counts only what each user may see.
    listing = html(login("vestland_officer").get(reverse("incidents:frame-list")))
    assert "Ekstremværet Testa" in listing


def test_frame_pages_run_a_constant_number_of_queries(login):
    frame = national_frame()
    exercise_frame()
    make_incident(owner_slug="kommune-4601", author="bergen_manager", frame=frame)
    client = login("bergen_manager")
    urls = [reverse("incidents:frame-list"), reverse("incidents:frame-detail", args=[frame.uuid])]
    for url in urls:
        client.get(url)  # warm per-process caches
    before = [query_count(client, url) for url in urls]
    for n in range(6):
        make_incident(owner_slug="kommune-4601", author="bergen_manager", title=f"Flere {n}",
                      frame=frame)  # fmt: skip
        national_frame(title=f"Ramme {n}")
    assert [query_count(client, url) for url in urls] == before


def test_frame_list_counts_the_incidents_each_user_may_see(login):
    frame = national_frame(title="Telleramme")
    make_incident(owner_slug="kommune-4601", author="bergen_manager", frame=frame)
    make_incident(owner_slug="kommune-4601", author="bergen_manager", frame=frame)
    make_incident(frame=frame)  # Stavanger's

    def count_for(name):
        body = html(login(name).get(reverse("incidents:frame-list")))
        row = body[body.index("Telleramme") :]
        row = row[: row.index("</tr>")]
        return int(row.rsplit('<td class="num">', 1)[1].split("<", 1)[0])

    assert count_for("bergen_manager") == 2
    assert count_for("stavanger_manager") == 1
    assert count_for("ks_analyst") == 0


# --- the API ---------------------------------------------------------------------------


@pytest.fixture
def api():
    def _client(name):
        client = APIClient()
        client.force_authenticate(user(name))
        return client

    return _client


def test_api_creates_and_patches_frames(api):
    url = reverse("api:crisis-frame-list")
    body = {
        "title": "Øvelse Vestland API",
        "type": "flood",
        "is_exercise": True,
        "started_at": "2026-10-21T08:30:00+02:00",
    }
    response = api("vestland_officer").post(url, body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["is_exercise"] and created["owner"] == str(org(VESTLAND).uuid)
    refused = api("vestland_officer").post(url, {**body, "is_exercise": False}, format="json")
    assert refused.status_code == 400 and "is_exercise" in refused.json()
    national = api("dsb_analyst").post(
        url, {**body, "title": "Nasjonal", "is_exercise": False}, format="json"
    )
    assert national.status_code == 201 and national.json()["owner_name"] == org("dsb").name
    detail = reverse("api:crisis-frame-detail", args=[created["id"]])
    ended = api("vestland_officer").patch(
        detail, {"ended_at": "2026-10-22T15:00:00+02:00"}, format="json"
    )
    assert ended.status_code == 200 and ended.json()["ended_at"].startswith("2026-10-22T15:00")
    backwards = api("vestland_officer").patch(
        detail, {"ended_at": "2020-01-01T00:00:00Z"}, format="json"
    )
    assert backwards.status_code == 400 and "ended_at" in backwards.json()
    assert api("dsb_analyst").patch(detail, {"title": "x"}, format="json").status_code == 403


def test_api_refuses_those_who_may_not_and_bad_input(api):
    url = reverse("api:crisis-frame-list")
    before = CrisisFrame.objects.count()
    body = {"title": "Nei", "type": "flood", "is_exercise": True, "started_at": "2026-01-01T00:00Z"}
    for name in ("bergen_manager", "ks_analyst", "nobody"):
        assert api(name).post(url, body, format="json").status_code == 403, name
    other_office = api("vestland_officer").post(
        url, {**body, "owner": str(org("statsforvalteren-rogaland").uuid)}, format="json"
    )
    assert other_office.status_code == 403
    bad = api("dsb_analyst").post(url, {"title": "", "type": "nope"}, format="json")
    assert bad.status_code == 400
    assert {"title", "type", "started_at"} <= set(bad.json())
    assert CrisisFrame.objects.count() == before
