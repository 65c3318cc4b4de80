"""Joint procurement: invitations notified once, quantities upserted until the deadline
(history kept), totals per item and participant, the XLSX order basis, pages and API."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from networks.aid.actions.procurement import (
    do_create_procurement,
    do_set_quantity,
    procurement_totals,
)
from networks.aid.models import JointProcurement, ProcurementLine
from portal.models import Notification, NotificationKind
from tests.access.aid_cases import make_procurement, make_user, org
from tests.helpers import login_as
from tests.personas import user

# Messages are asserted in their English source text (see the `english` fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_invitees_notified_once_and_quantities_upserted():
    procurement = make_procurement(invited=("kommune-1103", "kommune-3312"))
    notified = Notification.objects.filter(kind=NotificationKind.PROCUREMENT)
    assert notified.filter(recipient=user("stavanger_manager")).count() == 1
    assert not notified.filter(recipient=user("drammen_staff")).exists()  # the lead
    masks, gloves = procurement.items.all()
    stavanger = user("stavanger_manager")
    do_set_quantity(masks, organisation=org("kommune-1103"), acting_user=stavanger, quantity=500)
    do_set_quantity(masks, organisation=org("kommune-1103"), acting_user=stavanger, quantity=800)
    do_set_quantity(
        masks, organisation=org("kommune-3301"), acting_user=user("drammen_staff"), quantity=2000
    )
    do_set_quantity(
        gloves, organisation=org("kommune-3301"), acting_user=user("drammen_staff"), quantity=40
    )
    line = ProcurementLine.objects.get(item=masks, organisation=org("kommune-1103"))
    assert line.quantity == 800
    assert line.events.count() == 2  # pghistory keeps both values
    totals = procurement_totals(procurement)
    assert [r["total"] for r in totals["rows"]] == [Decimal(2800), Decimal(40)]
    assert [p.slug for p in totals["participants"]] == ["kommune-3301", "kommune-1103"]


def test_bad_quantities_and_deadline():
    procurement = make_procurement()
    masks = procurement.items.first()
    stavanger = user("stavanger_manager")
    with pytest.raises(ValidationError, match="cannot be negative"):
        do_set_quantity(masks, organisation=org("kommune-1103"), acting_user=stavanger, quantity=-1)
    with pytest.raises(PermissionDenied):  # not invited
        do_set_quantity(
            masks, organisation=org("kommune-4601"), acting_user=user("bergen_manager"), quantity=1
        )
    JointProcurement.objects.filter(pk=procurement.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="deadline has passed"):
        do_set_quantity(masks, organisation=org("kommune-1103"), acting_user=stavanger, quantity=1)
    assert not ProcurementLine.objects.exists()


def test_create_needs_items_and_invitees():
    with pytest.raises(ValidationError) as error:
        do_create_procurement(
            lead=org("kommune-3301"),
            acting_user=user("drammen_staff"),
            title="Tomt",
            deadline=timezone.now() + timedelta(days=1),
            items=[{"name": "Munnbind", "unit": ""}],
        )
    assert {"items", "organisations"} <= set(error.value.message_dict)
    assert not JointProcurement.objects.exists()


def test_pages_quantities_and_export(login):
    procurement = make_procurement()
    masks, gloves = procurement.items.all()
    client = login("stavanger_manager")
    page = client.get(reverse("networks:procurement-detail", args=[procurement.uuid]))
    assert page.status_code == 200 and "Munnbind type IIR" in page.content.decode()
    prefix = f"org{org('kommune-1103').pk}"
    bad = client.post(
        reverse("networks:procurement-quantities", args=[procurement.uuid]),
        {"organisation": org("kommune-1103").pk, f"{prefix}-item-{masks.pk}": "-5"},
    )
    assert bad.status_code == 400 and "cannot be negative" in bad.content.decode()
    assert not ProcurementLine.objects.exists()
    ok = client.post(
        reverse("networks:procurement-quantities", args=[procurement.uuid]),
        {
            "organisation": org("kommune-1103").pk,
            f"{prefix}-item-{masks.pk}": "1500",
            f"{prefix}-item-{gloves.pk}": "20",
        },
    )
    assert ok.status_code == 302
    assert (
        client.get(reverse("networks:procurement-export", args=[procurement.uuid])).status_code
        == 403
    )
    lead = login("drammen_staff")
    export = lead.get(reverse("networks:procurement-export", args=[procurement.uuid]))
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Item")
    assert rows[header][4] == "Stavanger kommune" or "Stavanger" in rows[header][4]
    assert rows[header + 1][:4] == ["Munnbind type IIR", "stk", "EN 14683", 1500]


def test_api_create_lines_totals(login):
    client = login("drammen_staff")
    created = client.post(
        reverse("api:procurement-list"),
        {
            "title": "Desinfeksjon",
            "deadline": (timezone.now() + timedelta(days=3)).isoformat(),
            "items": [{"name": "Hånddesinfeksjon 1 l", "unit": "flaske"}],
            "organisations": [str(org("kommune-3312").uuid)],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    item = body["items"][0]["id"]
    lier = make_user("lier_proc", "kommune-3312")
    login_as(client, lier)
    negative = client.post(
        reverse("api:procurement-lines", args=[body["id"]]),
        {"item": item, "quantity": "-3"},
        content_type="application/json",
    )
    assert negative.status_code == 400 and "quantity" in negative.json()
    ok = client.post(
        reverse("api:procurement-lines", args=[body["id"]]),
        {"item": item, "quantity": "120"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["items"][0]["total"] == "120.00"
    assert ok.json()["items"][0]["lines"] == {str(org("kommune-3312").uuid): "120.00"}
