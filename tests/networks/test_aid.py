"""Requests for assistance and offers: the actions, both incident logs, notifications,
go in line, pages and API, bad input (clear message, 400, nothing half-saved)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incidents.log.models import LogEntry
from networks.aid.actions.offers import do_accept_offer, do_decline_offer, do_withdraw_offer
from networks.aid.actions.requests import do_close_request, do_create_request, do_redirect_request
from networks.aid.models import AssistanceOffer, AssistanceRequest, OfferStatus, RequestStatus
from portal.models import Notification, NotificationKind
from tests.access.aid_cases import make_incident, make_offer, make_request, make_user, org
from tests.personas import user

# Messages are asserted in their English source text (see the `english` fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def texts(incident):
    return list(
        LogEntry.objects.filter(incident=incident).order_by("id").values_list("text", flat=True)
    )


def test_request_is_logged_and_notifies_recipients_and_office_once():
    aid = make_request(to=("kommune-4601",), to_office=True)
    assert aid.status == RequestStatus.OPEN
    log = texts(aid.incident)
    assert len(log) == 1 and "Aggregater til pumpestasjoner" in log[0]
    entry = LogEntry.objects.get(incident=aid.incident)
    assert entry.author == user("stavanger_manager")
    assert entry.organisation == org("kommune-1103")
    notified = set(
        Notification.objects.filter(kind=NotificationKind.ASSISTANCE).values_list(
            "recipient__username", flat=True
        )
    )
    # Bergen's writers and the Rogaland office (personas and demo accounts alike); not
    # Bergen's reader, not Vestland, not the requester
    assert {"bergen_manager", "rogaland_officer"} <= notified
    assert not notified & {"bergen_reader", "vestland_officer", "stavanger_manager"}


def test_offer_accept_and_fulfil_log_both_sides():
    sandnes = make_user("sandnes_aid", "kommune-1108")
    aid = make_request(to=("kommune-4601", "kommune-1108"), quantity=10)
    bergen_incident = make_incident("kommune-4601", user("bergen_manager"), "Bistand til Stavanger")
    offer = make_offer(
        aid, quantity=6, note="Kan leveres i kveld", offerer_incident=bergen_incident
    )
    other = make_offer(aid, offerer="kommune-1108", author=sandnes, quantity=4)
    assert (
        Notification.objects.filter(
            kind=NotificationKind.OFFER, recipient=user("stavanger_manager")
        ).count()
        == 2
    )

    do_accept_offer(offer, acting_user=user("stavanger_manager"))
    aid.refresh_from_db()
    assert aid.fulfilled_quantity == 6 and aid.status == RequestStatus.OPEN
    do_accept_offer(other, acting_user=user("stavanger_manager"), quantity=4)
    aid.refresh_from_db()
    assert aid.fulfilled_quantity == 10 and aid.status == RequestStatus.FULFILLED
    assert aid.closed_at is not None

    requester_log = texts(aid.incident)
    assert len(requester_log) == 6  # sent, 2 offers, 2 accepted, fulfilled
    assert "fulfilled" in requester_log[-1].lower()
    offerer_log = texts(bergen_incident)
    assert len(offerer_log) == 2  # its offer, its acceptance
    accepted = LogEntry.objects.filter(incident=bergen_incident).order_by("id").last()
    # written into Bergen's log by Stavanger's user, for Stavanger
    assert accepted.author == user("stavanger_manager")
    assert accepted.organisation == org("kommune-1103")
    # the offerer is told once
    assert (
        Notification.objects.filter(
            kind=NotificationKind.OFFER, recipient=user("bergen_manager")
        ).count()
        == 1
    )


def test_requester_log_stays_private_to_the_requester():
    """The aid steps are ordinary entries of the requester's log: private unless shared
    (the office sees the request itself, on the regional overview)."""
    aid = make_request()
    make_offer(aid)
    visible = LogEntry.objects.filter(incident=aid.incident)
    assert visible.count() == 2
    assert (
        LogEntry.objects.visible_to(user("stavanger_manager")).filter(incident=aid.incident).count()
        == 2
    )
    for outsider in ("bergen_manager", "vestland_officer", "drammen_staff", "ks_analyst"):
        assert (
            not LogEntry.objects.visible_to(user(outsider)).filter(incident=aid.incident).exists()
        )


def test_accepting_more_than_needed_is_refused_and_nothing_changes():
    aid = make_request(quantity=5)
    big = make_offer(aid, quantity=8)
    with pytest.raises(ValidationError) as error:
        do_accept_offer(big, acting_user=user("stavanger_manager"))
    assert "only 5 stk of 5 stk remain" in str(error.value)
    big.refresh_from_db()
    aid.refresh_from_db()
    assert big.status == OfferStatus.OFFERED and aid.fulfilled_quantity == 0
    # a part of it is fine
    do_accept_offer(big, acting_user=user("stavanger_manager"), quantity=5)
    aid.refresh_from_db()
    assert aid.status == RequestStatus.FULFILLED


def test_accepting_more_than_offered_is_refused():
    aid = make_request(quantity=10)
    offer = make_offer(aid, quantity=3)
    with pytest.raises(ValidationError, match="more than was offered"):
        do_accept_offer(offer, acting_user=user("stavanger_manager"), quantity=4)


def test_database_refuses_over_fulfilment_and_the_action_says_so(monkeypatch):
    """The check constraint is the last line of defence: if the Python check is fooled,
    the IntegrityError becomes the same clear message."""
    aid = make_request(quantity=5)
    offer = make_offer(aid, quantity=5)
    AssistanceRequest.objects.filter(pk=aid.pk).update(fulfilled_quantity=Decimal(3))
    original = AssistanceRequest.objects.select_for_update

    class Stale:
        def __init__(self, qs):
            self.qs = qs

        def select_related(self, *a):
            return Stale(self.qs.select_related(*a))

        def get(self, **kw):
            obj = self.qs.get(**kw)
            obj.fulfilled_quantity = Decimal(0)  # a stale read
            return obj

    monkeypatch.setattr(
        AssistanceRequest.objects, "select_for_update", lambda *a, **k: Stale(original(*a, **k))
    )
    with pytest.raises(ValidationError, match="exceed what is still needed"):
        do_accept_offer(offer, acting_user=user("stavanger_manager"))
    monkeypatch.undo()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED
    assert AssistanceRequest.objects.get(pk=aid.pk).fulfilled_quantity == 3


@pytest.mark.parametrize("quantity", [-1, 0, "abc"])
def test_bad_offer_quantity(quantity):
    aid = make_request()
    with pytest.raises(ValidationError) as error:
        make_offer(aid, quantity=quantity)
    assert "quantity" in error.value.message_dict
    assert not AssistanceOffer.objects.exists()
    assert len(texts(aid.incident)) == 1


@pytest.mark.parametrize("how", ["close", "cancel", "fulfil"])
def test_no_offer_to_a_request_that_is_not_open(how):
    aid = make_request(quantity=2)
    if how == "fulfil":
        do_accept_offer(make_offer(aid, quantity=2), acting_user=user("stavanger_manager"))
    else:
        do_close_request(aid, acting_user=user("stavanger_manager"), cancel=how == "cancel")
    before = AssistanceOffer.objects.count()
    with pytest.raises(ValidationError, match="takes no more offers"):
        make_offer(aid, quantity=1)
    assert AssistanceOffer.objects.count() == before


def test_who_may_act():
    aid = make_request()
    with pytest.raises(PermissionDenied):  # a reader writes for nobody
        make_offer(aid, author=user("bergen_reader"))
    with pytest.raises(PermissionDenied):  # cannot see the request
        make_offer(aid, offerer="kommune-3301", author=user("drammen_staff"))
    offer = make_offer(aid)
    # go in line on both sides: Bergen offered, so its office sees the request too
    assert AssistanceRequest.objects.visible_to(user("vestland_officer")).filter(pk=aid.pk).exists()
    with pytest.raises(PermissionDenied):  # only the requester accepts
        do_accept_offer(offer, acting_user=user("bergen_manager"))
    with pytest.raises(PermissionDenied):  # only the region's office redirects
        do_redirect_request(
            aid, acting_user=user("vestland_officer"), organisations=[org("kommune-3301")]
        )
    with pytest.raises(ValidationError):  # not one's own incident
        do_create_request(
            requester=org("kommune-4601"),
            incident=aid.incident,
            acting_user=user("bergen_manager"),
            title="x",
            category="power",
            quantity=1,
            unit="stk",
            location=org("kommune-4601").municipality,
            needed_by=aid.needed_by,
            to_office=True,
        )


def test_office_sees_everything_in_its_region_offers_and_redirects():
    aid = make_request(to=("kommune-4601",), to_office=False)
    officer = user("rogaland_officer")
    assert AssistanceRequest.objects.visible_to(officer).filter(pk=aid.pk).exists()
    assert (
        not AssistanceRequest.objects.visible_to(user("vestland_officer"))
        .filter(pk=aid.pk)
        .exists()
    )
    offer = make_offer(aid, offerer="statsforvalteren-rogaland", author=officer, quantity=2)
    assert AssistanceOffer.objects.visible_to(officer).filter(pk=offer.pk).exists()
    do_redirect_request(aid, acting_user=officer, organisations=[org("kommune-3301")])
    assert AssistanceRequest.objects.visible_to(user("drammen_staff")).filter(pk=aid.pk).exists()
    assert Notification.objects.filter(
        recipient=user("drammen_staff"), kind=NotificationKind.ASSISTANCE
    ).exists()
    last = LogEntry.objects.filter(incident=aid.incident).order_by("id").last()
    assert "Drammen" in last.text and last.author == officer
    assert last.organisation == org("statsforvalteren-rogaland")
    with pytest.raises(ValidationError, match="not already asked"):
        do_redirect_request(aid, acting_user=officer, organisations=[org("kommune-3301")])


def test_decline_and_withdraw():
    aid = make_request()
    declined = make_offer(aid)
    do_decline_offer(declined, acting_user=user("stavanger_manager"))
    withdrawn = make_offer(aid, quantity=1)
    do_withdraw_offer(withdrawn, acting_user=user("bergen_manager"))
    with pytest.raises(ValidationError, match="already"):
        do_accept_offer(withdrawn, acting_user=user("stavanger_manager"))
    assert {o.status for o in AssistanceOffer.objects.all()} == {"declined", "withdrawn"}


# --- pages -------------------------------------------------------------------------------


def test_request_form_creates_and_shows_errors_in_place(login):
    client = login("stavanger_manager")
    incident = make_incident("kommune-1103", user("stavanger_manager"))
    page = client.get(reverse("networks:aid-request-create"))
    assert page.status_code == 200
    assert "Sandnes" in page.content.decode()  # a neighbour as a quick pick
    data = {
        "requester": org("kommune-1103").pk,
        "incident": incident.pk,
        "title": "Lensepumper",
        "category": "pumps",
        "quantity": "-3",
        "unit": "stk",
        "location": org("kommune-1103").municipality.pk,
        "needed_by": "2030-01-01T12:00",
        "priority": "high",
        "neighbours": [org("kommune-1108").pk],
    }
    bad = client.post(reverse("networks:aid-request-create"), data)
    assert bad.status_code == 400
    assert "greater than zero" in bad.content.decode()
    assert not AssistanceRequest.objects.exists()
    data["quantity"] = "3"
    ok = client.post(reverse("networks:aid-request-create"), data)
    assert ok.status_code == 302
    aid = AssistanceRequest.objects.get()
    assert list(aid.organisations.all()) == [org("kommune-1108")]


def test_detail_accept_too_much_shows_the_message(login):
    aid = make_request(quantity=5)
    offer = make_offer(aid, quantity=5)
    client = login("stavanger_manager")
    response = client.post(
        reverse("networks:aid-offer-accept", args=[offer.uuid]), {"quantity": "7"}
    )
    assert response.status_code == 400
    assert "more than was offered" in response.content.decode()
    response = client.post(
        reverse("networks:aid-offer-accept", args=[offer.uuid]), {"quantity": "2"}
    )
    assert response.status_code == 302
    page = client.get(reverse("networks:aid-request-detail", args=[aid.uuid]))
    assert "3 stk still needed" in page.content.decode()


def test_offer_to_closed_request_page(login):
    aid = make_request()
    do_close_request(aid, acting_user=user("stavanger_manager"))
    response = login("bergen_manager").post(
        reverse("networks:aid-offer-create", args=[aid.uuid]),
        {"offerer": org("kommune-4601").pk, "quantity": "2"},
    )
    assert response.status_code == 400
    assert "takes no more offers" in response.content.decode()
    assert not AssistanceOffer.objects.exists()


def test_overview_polls_and_shows_quantities(login):
    aid = make_request(quantity=10)
    offer = make_offer(aid, quantity=6)
    do_accept_offer(offer, acting_user=user("stavanger_manager"), quantity=5)
    client = login("rogaland_officer")
    page = client.get(reverse("networks:aid-overview"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 5s"' in html and aid.title in html
    partial = client.get(reverse("networks:aid-overview"), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body and aid.title in body and "Bergen" in body


# --- API ---------------------------------------------------------------------------------


def test_api_flow_and_bad_input(login):
    incident = make_incident("kommune-1103", user("stavanger_manager"))
    client = login("stavanger_manager")
    payload = {
        "incident": str(incident.uuid),
        "title": "Strømaggregat 100 kVA",
        "category": "power",
        "quantity": "2",
        "unit": "stk",
        "location": "1103",
        "needed_by": "2030-01-01T12:00:00+01:00",
        "organisations": [str(org("kommune-4601").uuid)],
    }
    created = client.post(reverse("api:aid-request-list"), payload, content_type="application/json")
    assert created.status_code == 201, created.json()
    aid_id = created.json()["id"]
    bad = client.post(
        reverse("api:aid-request-list"),
        {**payload, "quantity": "-1"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "quantity" in bad.json()

    bergen = login("bergen_manager")
    negative = bergen.post(
        reverse("api:aid-offer-list"),
        {"request": aid_id, "quantity": "-2"},
        content_type="application/json",
    )
    assert negative.status_code == 400 and "quantity" in negative.json()
    offer = bergen.post(
        reverse("api:aid-offer-list"),
        {"request": aid_id, "quantity": "3"},
        content_type="application/json",
    )
    assert offer.status_code == 201, offer.json()

    client = login("stavanger_manager")
    too_much = client.post(
        reverse("api:aid-offer-accept", args=[offer.json()["id"]]),
        {},
        content_type="application/json",
    )
    assert too_much.status_code == 400
    assert "exceed what is still needed" in str(too_much.json())
    ok = client.post(
        reverse("api:aid-offer-accept", args=[offer.json()["id"]]),
        {"quantity": "2"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["accepted_quantity"] == "2.00"
    detail = client.get(reverse("api:aid-request-detail", args=[aid_id])).json()
    assert detail["status"] == "fulfilled" and detail["fulfilled_quantity"] == "2.00"
    closed_offer = login("bergen_manager").post(
        reverse("api:aid-offer-list"),
        {"request": aid_id, "quantity": "1"},
        content_type="application/json",
    )
    assert closed_offer.status_code == 400
    assert "takes no more offers" in str(closed_offer.json())


def test_api_acting_organisation(login):
    """Which organisation the caller acts for comes from portal.access.acting_organisation:
    none left to act for → 403; offering for the requester itself, named → the action's
    400; several to choose from and none named → 400 on the field."""
    from portal.models import RoleAssignment
    from portal.roles import Role

    aid = make_request()
    offers = reverse("api:aid-offer-list")
    own = login("stavanger_manager")
    body = {"request": str(aid.uuid), "quantity": "1"}
    assert own.post(offers, body, content_type="application/json").status_code == 403
    named = {**body, "offerer": str(org("kommune-1103").uuid)}
    response = own.post(offers, named, content_type="application/json")
    assert response.status_code == 400
    assert "cannot offer to its own request" in str(response.json())

    RoleAssignment.objects.create(
        user=user("bergen_manager"), organisation=org("kommune-4602"), role=Role.CRISIS_STAFF
    )
    bergen = login("bergen_manager")
    response = bergen.post(offers, body, content_type="application/json")
    assert response.status_code == 400 and "offerer" in response.json()
    assert not AssistanceOffer.objects.filter(request=aid).exists()
    chosen = {**body, "offerer": str(org("kommune-4601").uuid)}
    assert bergen.post(offers, chosen, content_type="application/json").status_code == 201
    incident = make_incident("kommune-4601", user("bergen_manager"))
    response = bergen.post(
        reverse("api:aid-request-list"),
        {
            "incident": str(incident.uuid),
            "title": "Sandsekker",
            "category": "pumps",
            "quantity": "100",
            "unit": "stk",
            "location": "4601",
            "needed_by": "2030-01-01T12:00:00+01:00",
            "to_office": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "requester" in response.json()


def test_list_page_and_api_share_the_filter(login):
    make_request(title="Aggregat", category="power")
    make_request(title="Pumper", category="pumps", priority="high")
    client = login("stavanger_manager")
    page = client.get(reverse("networks:aid-request-list"), {"category": "pumps"}).content.decode()
    assert "Pumper" in page and "Aggregat" not in page
    api = client.get(reverse("api:aid-request-list"), {"priority": "high"}).json()
    assert [r["title"] for r in api["results"]] == ["Pumper"]
    bad = client.get(reverse("networks:aid-request-list"), {"category": "nonsense"})
    assert bad.status_code == 200 and "Pumper" not in bad.content.decode()
