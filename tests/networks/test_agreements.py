"""Assistance agreements: registering (two or more parties, a valid period, the parties'
own resources, a library document the user sees), who sees them, and the daily job that
flags expiring agreements exactly once per agreement and end date."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from networks.library.models import Document
from networks.resources import actions
from networks.resources.models import Agreement
from networks.resources.tasks import flag_expiring_agreements
from networks.structure.models import Municipality
from portal.models import Notification, NotificationKind, RoleAssignment
from portal.roles import Role
from tests.helpers import org
from tests.personas import user

# Messages are asserted in their English source text (see the `english` fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


BERGEN, STAVANGER, DRAMMEN = "kommune-4601", "kommune-1103", "kommune-3301"


def resource(owner=BERGEN, acting="bergen_manager", number="4601", name="Aggregat"):
    return actions.do_create_resource(
        owner=org(owner),
        acting_user=user(acting),
        category="power",
        name=name,
        quantity=Decimal("1"),
        unit="stk.",
        municipality=Municipality.objects.get(number=number),
    )


def agreement(title="Gjensidig bistand", parties=(BERGEN, STAVANGER), **fields):
    defaults = {
        "scope": "Gjensidig bistand med personell og utstyr.",
        "valid_from": date(2025, 1, 1),
        "valid_until": None,
    }
    defaults.update(fields)
    return actions.do_create_agreement(
        owner=org(BERGEN),
        acting_user=user("bergen_manager"),
        title=title,
        parties=[org(p) for p in parties],
        **defaults,
    )


def sees(name, obj):
    return Agreement.objects.visible_to(user(name)).filter(pk=obj.pk).exists()


def test_parties_and_their_officers_see_it():
    a = agreement()
    for name in ("bergen_manager", "bergen_reader", "stavanger_manager"):
        assert sees(name, a), name
    assert sees("vestland_officer", a) and sees("rogaland_officer", a)
    for name in ("drammen_staff", "dsb_analyst", "ks_analyst", "snb_coordinator", "nobody"):
        assert not sees(name, a), name


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"parties": (BERGEN,)}, "parties"),
        ({"parties": (STAVANGER, DRAMMEN)}, "parties"),  # the registering org is no party
        ({"valid_from": date(2026, 5, 1), "valid_until": date(2026, 4, 1)}, "valid_until"),
    ],
)
def test_bad_agreements_are_refused(kwargs, field):
    with pytest.raises(ValidationError) as raised:
        agreement(title="Ugyldig", **kwargs)
    assert field in raised.value.message_dict
    assert not Agreement.objects.filter(title="Ugyldig").exists()


def test_linked_resources_are_the_parties_own_and_visible():
    own = resource()
    drammen = resource(owner=DRAMMEN, acting="drammen_staff", number="3301", name="Drammen")
    a = agreement(resources=[own])
    assert list(a.resources.all()) == [own]
    with pytest.raises(ValidationError) as raised:
        agreement(title="Ugyldig", resources=[drammen])
    assert "resources" in raised.value.message_dict
    # Drammen as party, but its resource not shared: Bergen cannot link what it cannot see
    with pytest.raises(ValidationError) as raised:
        agreement(title="Ugyldig", parties=(BERGEN, DRAMMEN), resources=[drammen])
    assert "resources" in raised.value.message_dict
    assert not Agreement.objects.filter(title="Ugyldig").exists()


def test_document_must_be_visible():
    foreign = Document.objects.create(
        owner=org(DRAMMEN),
        kind="agreement",
        title="Drammens avtale",
        created_by=user("drammen_staff"),
    )
    own = Document.objects.create(
        owner=org(BERGEN), kind="agreement", title="Avtaletekst", created_by=user("bergen_manager")
    )
    with pytest.raises(ValidationError) as raised:
        agreement(title="Ugyldig", document=foreign)
    assert "document" in raised.value.message_dict
    assert agreement(document=own).document == own


def test_only_writers_of_the_registering_org():
    a = agreement()
    with pytest.raises(PermissionDenied):
        actions.do_update_agreement(a, acting_user=user("stavanger_manager"), title="X")
    with pytest.raises(PermissionDenied):
        actions.do_update_agreement(a, acting_user=user("bergen_reader"), title="X")
    updated = actions.do_update_agreement(
        a, acting_user=user("bergen_manager"), parties=[org(BERGEN), org(STAVANGER), org(DRAMMEN)]
    )
    assert updated.parties.count() == 3


def test_pages(login):
    client = login("bergen_manager")
    assert client.get(reverse("networks:agreement-create")).status_code == 200
    data = {
        "owner": org(BERGEN).pk,
        "title": "Bistandsavtale Vestland",
        "scope": "Personell",
        "valid_from": "2026-01-01",
        "valid_until": "2025-12-31",
        "parties": [org(BERGEN).pk],
    }
    response = client.post(reverse("networks:agreement-create"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    body = response.content.decode()
    assert "at least two parties" in body and "cannot end before it begins" in body
    assert not Agreement.objects.filter(title="Bistandsavtale Vestland").exists()
    data.update(valid_until="2027-12-31", parties=[org(BERGEN).pk, org(STAVANGER).pk])
    response = client.post(reverse("networks:agreement-create"), data)
    assert response.status_code == 302
    a = Agreement.objects.get(title="Bistandsavtale Vestland")
    detail = reverse("networks:agreement-detail", kwargs={"uuid": a.uuid})
    assert (
        "Bistandsavtale Vestland" in client.get(reverse("networks:agreement-list")).content.decode()
    )
    assert login("stavanger_manager").get(detail).status_code == 200
    assert (
        login("stavanger_manager")
        .get(reverse("networks:agreement-edit", kwargs={"uuid": a.uuid}))
        .status_code
        == 403
    )
    assert login("drammen_staff").get(detail).status_code == 404


def test_api(login):
    client = login("bergen_manager")
    url = reverse("api:agreement-list")
    body = {
        "title": "API-avtale",
        "scope": "Pumper",
        "valid_from": "2026-01-01",
        "valid_until": "2025-01-01",
        "parties": [str(org(BERGEN).uuid)],
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert {"parties", "valid_until"} <= set(response.json())
    assert not Agreement.objects.filter(title="API-avtale").exists()
    body.update(valid_until=None, parties=[str(org(BERGEN).uuid), str(org(STAVANGER).uuid)])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    uid = response.json()["id"]
    detail = reverse("api:agreement-detail", kwargs={"uuid": uid})
    response = client.patch(detail, {"valid_until": "2020-01-01"}, content_type="application/json")
    assert response.status_code == 400 and "valid_until" in response.json()
    assert (
        client.patch(detail, {"conditions": "Kost dekkes"}, content_type="application/json").json()[
            "conditions"
        ]
        == "Kost dekkes"
    )
    assert (
        login("stavanger_manager")
        .patch(detail, {"title": "X"}, content_type="application/json")
        .status_code
        == 403
    )
    assert login("drammen_staff").get(detail).status_code == 404


# --- the expiry job ---------------------------------------------------------------------------


def agreement_notices(a):
    return Notification.objects.filter(
        kind=NotificationKind.AGREEMENT_EXPIRING, event_key__contains=str(a.uuid)
    )


def test_expiring_agreements_are_flagged_once():
    today = timezone.localdate()
    soon = agreement(title="Snart ute", valid_until=today + timedelta(days=30))
    ended = agreement(title="Utløpt", valid_until=today - timedelta(days=3))
    later = agreement(title="Lenge igjen", valid_until=today + timedelta(days=200))
    open_ended = agreement(title="Uten slutt")

    flag_expiring_agreements()
    flag_expiring_agreements()  # a second run adds nothing

    managers = set(
        RoleAssignment.objects.filter(
            organisation__slug__in=(BERGEN, STAVANGER),
            role=Role.EMERGENCY_MANAGER,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
    assert {user("bergen_manager").pk, user("stavanger_manager").pk} <= managers
    for a in (soon, ended):
        notices = agreement_notices(a)
        assert set(notices.values_list("recipient_id", flat=True)) == managers
        assert notices.count() == len(managers)  # one each, despite two runs
    assert not agreement_notices(later).exists() and not agreement_notices(open_ended).exists()
    assert "Utløpt" in agreement_notices(ended).first().title
    # a reader is no emergency manager
    assert not agreement_notices(soon).filter(recipient=user("bergen_reader")).exists()

    # prolonged, then expiring again: a new end date is a new event
    actions.do_update_agreement(
        soon, acting_user=user("bergen_manager"), valid_until=today + timedelta(days=50)
    )
    flag_expiring_agreements()
    assert agreement_notices(soon).count() == 2 * len(managers)


def test_job_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    today = timezone.localdate()
    for i in range(5):
        agreement(title=f"Utløper {i}", valid_until=today + timedelta(days=i + 1))
    with django_assert_max_num_queries(8):
        flag_expiring_agreements()


def test_beat_schedules_the_job():
    from portal.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "networks.resources.tasks.flag_expiring_agreements" in tasks
    assert flag_expiring_agreements.name in tasks  # the schedule names the registered task


@pytest.mark.parametrize("route", ["networks:agreement-list", "api:agreement-list"])
def test_agreement_lists_run_a_constant_number_of_queries(login, route):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("stavanger_manager")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(route)).status_code == 200
        return len(ctx.captured_queries)

    own = resource()
    agreement(title="Første", resources=[own])
    few = count()
    for i in range(8):
        agreement(title=f"Avtale {i}", parties=(BERGEN, STAVANGER, DRAMMEN), resources=[own])
    assert count() == few


def test_detail_links_the_library_document_for_those_who_see_it(login):
    doc = Document.objects.create(
        owner=org(BERGEN),
        kind="agreement",
        title="Avtaletekst Bergen",
        created_by=user("bergen_manager"),
    )
    a = agreement(document=doc)
    url = reverse("networks:agreement-detail", kwargs={"uuid": a.uuid})
    link = reverse("networks:document-detail", kwargs={"uuid": doc.uuid})
    assert link in login("bergen_manager").get(url).content.decode()
    # Stavanger is a party but the document is not shared with it: no title, no link
    body = login("stavanger_manager").get(url).content.decode()
    assert link not in body and "Avtaletekst Bergen" not in body
