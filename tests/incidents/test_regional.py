"""Regional and national crisis logs (issue 12, part 1): a State Administrator office, a
national body or KS owns incidents as a municipality does. The owner's crisis staff write,
its other officers and analysts read; an office's log is private to the office unless
shared; the region's municipal incidents in the same crisis frame that the office sees
stand beside its own log; an entry can answer an entry of a municipality's shared log,
and the office can share with every municipality of its region."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.log import actions
from incidents.log.models import CrisisFrame, EntryKind, Incident, IncidentType, LogEntry, Share
from networks.structure.models import Organisation
from portal.models import RoleAssignment
from portal.roles import Role
from tests.helpers import api, html, login_as, org, query_count
from tests.incidents.factories import make_incident, write
from tests.personas import TOTP_SECRET, user

pytestmark = pytest.mark.django_db

OEST = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
DRAMMEN, HOLE = "kommune-3301", "kommune-3310"


@pytest.fixture
def hans():
    return actions.do_create_frame(
        owner=org("dsb"),
        acting_user=user("dsb_analyst"),
        title="Ekstremværet Hans",
        type=IncidentType.EXTREME_WEATHER,
        is_exercise=False,
        started_at=timezone.now(),
    )


@pytest.fixture
def plain_officer():
    """An officer of the Øst office who is not in its crisis staff: reads, never writes."""
    person = get_user_model().objects.create_user(
        username="oest_reader", email="oest_reader@test.samvirke.no", password="x"
    )
    RoleAssignment.objects.create(user=person, organisation=org(OEST), role=Role.OFFICER)
    TOTP.activate(person, TOTP_SECRET)
    return person


def regional(frame, **fields):
    return make_incident(
        owner_slug=OEST,
        author="oest_officer",
        title=fields.pop("title", "Ekstremværet Hans — Øst"),
        frame=frame,
        **fields,
    )


def drammen_incident(frame, *, share_with_office=True):
    incident = make_incident(
        owner_slug=DRAMMEN, author="drammen_staff", title="Flom i Drammenselva", frame=frame
    )
    entry = write(incident, "Drammenselva over flomnivå ved Bragernes.", author="drammen_staff")
    if share_with_office:
        actions.do_share(
            acting_user=user("drammen_staff"), incident=incident, organisation=org(OEST)
        )
    return incident, entry


def now_input():
    value = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {"occurred_at": value, "occurred_at_initial": value}


def client_for(name_or_user):
    person = user(name_or_user) if isinstance(name_or_user, str) else name_or_user
    return login_as(Client(), person)


# --- who writes, who reads ------------------------------------------------------------------


def test_office_crisis_staff_write_other_officers_read(hans, plain_officer):
    incident = regional(hans)
    assert incident.owner == org(OEST)
    entry = write(incident, "Statsforvalteren setter kriseledelse.", author="oest_officer")

    reader = client_for(plain_officer)
    log_url = reverse("incidents:log", args=[incident.uuid])
    page = reader.get(log_url)
    assert page.status_code == 200
    assert "Statsforvalteren setter kriseledelse." in html(page)
    assert 'id="quick-entry"' not in html(page)  # reads, does not write
    post = reader.post(
        reverse("incidents:entry-create", args=[incident.uuid]),
        {"kind": "information", "text": "Forsøk"},
    )
    assert post.status_code == 403
    with pytest.raises(PermissionDenied):
        write(incident, "Forsøk", author="oest_reader")
    assert LogEntry.objects.filter(incident=incident).count() == 1
    assert entry.organisation == org(OEST)


def test_an_office_log_is_private_to_the_office(hans):
    incident = regional(hans)
    write(incident, "Intern vurdering.", author="oest_officer")
    for outsider in ("vestland_officer", "rogaland_officer", "drammen_staff", "dsb_analyst"):
        response = client_for(outsider).get(reverse("incidents:log", args=[incident.uuid]))
        assert response.status_code == 404, outsider
    assert not Incident.objects.visible_to(user("vestland_officer")).filter(pk=incident.pk)


def test_the_office_crisis_staff_open_an_incident_in_the_browser_and_the_api(hans):
    page = client_for("oest_officer").get(reverse("incidents:incident-create"))
    assert page.status_code == 200
    assert f'name="owner" value="{org(OEST).pk}"' in html(page)  # the office: the only owner
    response = api("oest_officer").post(
        "/api/v1/incidents/",
        {
            "title": "Ekstremværet Hans — Øst",
            "type": "extreme_weather",
            "started_at": timezone.now().isoformat(),
            "frame": str(hans.uuid),
            "owner": str(org(OEST).uuid),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Incident.objects.get(uuid=response.json()["id"]).owner == org(OEST)
    # a plain officer of another office may not open one for Øst
    refused = api("vestland_officer").post(
        "/api/v1/incidents/",
        {"title": "X", "type": "flood", "started_at": timezone.now().isoformat()},
        format="json",
    )
    assert refused.status_code == 403


def test_a_national_body_keeps_its_own_log():
    dsb = org("dsb")
    person = get_user_model().objects.create_user(username="dsb_staff", email="d@x.no")
    RoleAssignment.objects.create(user=person, organisation=dsb, role=Role.OFFICE_CRISIS_STAFF)
    incident = actions.do_create_incident(
        owner=dsb,
        acting_user=person,
        title="Nasjonal krisestab: Hans",
        type=IncidentType.EXTREME_WEATHER,
        started_at=timezone.now(),
    )
    actions.do_write_entry(incident, acting_user=person, kind=EntryKind.DECISION, text="Stab satt.")
    # the body's analysts read it; nobody else does
    assert Incident.objects.visible_to(user("dsb_analyst")).filter(pk=incident.pk).exists()
    assert not Incident.objects.editable_by(user("dsb_analyst")).filter(pk=incident.pk).exists()
    assert not Incident.objects.visible_to(user("ks_analyst")).filter(pk=incident.pk).exists()


# --- the region beside the office's log -----------------------------------------------------


def test_the_regional_log_shows_the_regions_shared_incidents_in_the_frame(hans):
    incident = regional(hans)
    drammen, _entry = drammen_incident(hans)
    hole, _ = drammen_incident(hans, share_with_office=False)  # Drammen's private second one
    hole.title = "Privat"
    bergen = make_incident(owner_slug="kommune-4601", author="bergen_manager", frame=hans)
    actions.do_share(acting_user=user("bergen_manager"), incident=bergen, network=None,
                     organisation=org("statsforvalteren-vestland"))  # fmt: skip
    page = html(client_for("oest_officer").get(reverse("incidents:log", args=[incident.uuid])))
    assert "Flom i Drammenselva" in page
    assert reverse("incidents:log", args=[drammen.uuid]) in page
    assert "Drammenselva over flomnivå ved Bragernes." in page
    assert reverse("incidents:log", args=[hole.uuid]) not in page  # not shared: not seen
    assert reverse("incidents:log", args=[bergen.uuid]) not in page  # another region


def test_the_regional_block_costs_the_same_for_one_or_many_municipalities(hans):
    incident = regional(hans)
    client = client_for("oest_officer")
    url = reverse("incidents:log", args=[incident.uuid])
    drammen_incident(hans)
    client.get(url)
    small = query_count(client, url)
    for slug, author in ((HOLE, "hole_manager"), (DRAMMEN, "drammen_staff")):
        for n in range(3):
            other = make_incident(owner_slug=slug, author=author, title=f"H {n}", frame=hans)
            for i in range(4):
                write(other, f"Melding {i}", author=author)
            actions.do_share(acting_user=user(author), incident=other, organisation=org(OEST))
    page = client.get(url)
    assert html(page).count("regional-incident ds-card") == 7
    assert query_count(client, url) == small


# --- answering a municipality's entry -------------------------------------------------------


def test_an_office_entry_answers_a_municipalitys_shared_entry(hans):
    incident = regional(hans)
    drammen, drammen_entry = drammen_incident(hans)
    client = client_for("oest_officer")
    # "Answer" from the regional block prefills the quick entry
    prefill = html(
        client.get(reverse("incidents:log", args=[incident.uuid]) + f"?svar={drammen_entry.uuid}")
    )
    assert f'value="{drammen_entry.uuid}"' in prefill
    assert "Drammenselva over flomnivå" in prefill
    response = client.post(
        reverse("incidents:entry-create", args=[incident.uuid]),
        {
            "kind": "decision",
            "text": "Statsforvalteren ber Sivilforsvaret bistå Drammen med pumper.",
            "responds_to": str(drammen_entry.uuid),
            **now_input(),
        },
    )
    assert response.status_code == 302
    answer = LogEntry.objects.get(incident=incident)
    assert answer.responds_to == drammen_entry
    # shared with the region's municipalities, Drammen sees the answer and where it points
    shares = actions.do_share_with_region(acting_user=user("oest_officer"), incident=incident)
    assert org(DRAMMEN) in {s.organisation for s in shares}
    drammen_client = client_for("drammen_staff")
    regional_page = html(drammen_client.get(reverse("incidents:log", args=[incident.uuid])))
    assert "Statsforvalteren ber Sivilforsvaret bistå Drammen med pumper." in regional_page
    assert (
        reverse("incidents:entry-detail", args=[drammen.uuid, drammen_entry.uuid]) in regional_page
    )
    own_page = html(drammen_client.get(reverse("incidents:log", args=[drammen.uuid])))
    assert reverse("incidents:entry-detail", args=[incident.uuid, answer.uuid]) in own_page
    # the API says the same
    body = api("drammen_staff").get(f"/api/v1/entries/{answer.uuid}/").json()
    assert body["responds_to"] == str(drammen_entry.uuid)


def test_an_answer_to_an_entry_one_cannot_see_is_refused_and_nothing_saved(hans):
    incident = regional(hans)
    _drammen, private_entry = drammen_incident(hans, share_with_office=False)
    with pytest.raises(ValidationError) as error:
        write(incident, "Svar", author="oest_officer", responds_to=private_entry)
    assert "responds_to" in error.value.message_dict
    response = client_for("oest_officer").post(
        reverse("incidents:entry-create", args=[incident.uuid]),
        {"kind": "decision", "text": "Svar", "responds_to": str(private_entry.uuid), **now_input()},
    )
    assert response.status_code == 400
    assert "Loggføringen du svarer på finnes ikke" in html(response) or "you cannot see" in html(
        response
    )
    api_response = api("oest_officer").post(
        "/api/v1/entries/",
        {"incident": str(incident.uuid), "kind": "decision", "text": "Svar",
         "responds_to": str(private_entry.uuid)},
        format="json",
    )  # fmt: skip
    assert api_response.status_code == 400
    assert "responds_to" in api_response.json()
    same_log = write(incident, "Første", author="oest_officer")
    with pytest.raises(ValidationError):
        write(incident, "Svar på egen", author="oest_officer", responds_to=same_log)
    assert LogEntry.objects.filter(incident=incident).count() == 1


def test_the_answer_link_is_append_only_like_the_entry(hans):
    incident = regional(hans)
    _drammen, drammen_entry = drammen_incident(hans)
    answer = write(incident, "Svar", author="oest_officer", responds_to=drammen_entry)
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE incidents_logentry SET responds_to_id = NULL WHERE id = %s", [answer.pk]
        )


# --- sharing with the region ----------------------------------------------------------------


def test_sharing_with_the_regions_municipalities(hans):
    incident = regional(hans)
    count = Organisation.objects.filter(kind="municipality", region__organisation=org(OEST)).count()
    assert count > 30
    client = client_for("oest_officer")
    detail = html(client.get(reverse("incidents:incident-detail", args=[incident.uuid])))
    assert f"({count})" in detail
    response = client.post(
        reverse("incidents:incident-share", args=[incident.uuid]), {"region": "on"}
    )
    assert response.status_code == 302
    assert Share.objects.filter(incident=incident).count() == count
    # again: nothing doubled; through the API as well
    again = api("oest_officer").post(f"/api/v1/incidents/{incident.uuid}/share-with-region/")
    assert again.status_code == 201 and again.json() == []
    assert Share.objects.filter(incident=incident).count() == count
    # the region's municipalities see it, another region's do not
    assert Incident.objects.visible_to(user("hole_manager")).filter(pk=incident.pk).exists()
    assert not Incident.objects.visible_to(user("bergen_manager")).filter(pk=incident.pk).exists()


def test_only_an_office_shares_with_a_region():
    incident = make_incident(owner_slug=DRAMMEN, author="drammen_staff")
    response = api("drammen_staff").post(f"/api/v1/incidents/{incident.uuid}/share-with-region/")
    assert response.status_code == 400
    assert "region" in response.json()
    form = html(
        client_for("drammen_staff").get(reverse("incidents:incident-detail", args=[incident.uuid]))
    )
    assert 'name="region"' not in form
    assert not Share.objects.filter(incident=incident).exists()


def test_a_plain_officer_cannot_share_the_offices_log(hans, plain_officer):
    incident = regional(hans)
    client = client_for(plain_officer)
    response = client.post(
        reverse("incidents:incident-share", args=[incident.uuid]), {"region": "on"}
    )
    assert response.status_code == 403
    assert not CrisisFrame.objects.filter(pk=hans.pk, owner=org(OEST)).exists()
    assert not Share.objects.filter(incident=incident).exists()
