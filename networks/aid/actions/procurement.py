"""Joint procurement (felles innkjøp): the lead opens a joint need with its items, the
participants enter their quantities until the deadline, the lead closes it; the totals
feed the page, the API and the order basis. One transaction each, attributable (every
quantity change is kept by pghistory), invitations after commit through the outbox."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.log.models import Incident
from networks.aid.actions.common import clean_quantity, writers_of
from networks.aid.models import JointProcurement, ProcurementItem, ProcurementLine
from networks.aid.rules import (
    may_manage_procurement,
    participant_org_ids,
    participating_org_ids,
    writer_org_ids,
)
from networks.structure.models import NetworkMembership, Organisation
from portal.history import history_context
from portal.models import NotificationKind
from portal.notifications.actions import notify
from portal.validators import control_character_errors


def _procurement_url(procurement):
    return reverse("networks:procurement-detail", args=[procurement.uuid])


def _clean_items(items):
    cleaned, errors = [], []
    for position, item in enumerate(items or ()):
        name = (item.get("name") or "").strip()
        unit = (item.get("unit") or "").strip()
        if not name and not unit:
            continue
        if not name or not unit:
            errors.append(_("Every item needs a name and a unit."))
            continue
        cleaned.append(
            ProcurementItem(
                name=name[:200],
                unit=unit[:40],
                specification=(item.get("specification") or "").strip(),
                position=position,
            )
        )
    if not cleaned and not errors:
        errors.append(_("Add at least one item."))
    return cleaned, errors


def do_create_procurement(
    *,
    lead: Organisation,
    acting_user,
    title,
    deadline,
    items,
    description="",
    network=None,
    organisations=(),
    incident=None,
) -> JointProcurement:
    """Felles innkjøp: the lead opens a joint need with its items; the invited
    organisations' writers (and the network's members') are notified once."""
    with transaction.atomic(), history_context(acting_user, "aid.procurement.create"):
        if lead is None or lead.pk not in writer_org_ids(acting_user):
            raise PermissionDenied
        errors = control_character_errors(title=title)
        cleaned, item_errors = _clean_items(items)
        if item_errors:
            errors["items"] = item_errors
        if deadline is not None and deadline <= timezone.now():
            errors["deadline"] = [_("The deadline must be in the future.")]
        if network is not None and not (
            NetworkMembership.objects.current().filter(network=network, organisation=lead).exists()
        ):
            errors["network"] = [_("Your organisation is not a member of this network.")]
        organisations = [o for o in organisations if o.pk != lead.pk]
        if network is None and not organisations:
            errors["organisations"] = [_("Invite a network or at least one organisation.")]
        if incident is not None and not (
            Incident.objects.editable_by(acting_user).filter(pk=incident.pk, owner=lead).exists()
        ):
            errors["incident"] = [_("Choose one of your organisation's incidents.")]
        if errors:
            raise ValidationError(errors)
        procurement = JointProcurement(
            lead=lead,
            title=(title or "").strip(),
            description=description or "",
            deadline=deadline,
            network=network,
            incident=incident,
            created_by=acting_user,
        )
        procurement.full_clean()
        procurement.save()
        if organisations:
            procurement.organisations.set(organisations)
        for item in cleaned:
            item.procurement = procurement
            item.full_clean()
        ProcurementItem.objects.bulk_create(cleaned)
        invited = participant_org_ids(procurement) - {lead.pk}
        notify(
            writers_of(invited),
            event_key=f"procurement:{procurement.uuid}",
            kind=NotificationKind.PROCUREMENT,
            title=_("%(lead)s invites you to a joint procurement: %(title)s")
            % {"lead": lead.display_name, "title": procurement.title},
            body=procurement.description,
            url=_procurement_url(procurement),
        )
        return procurement


def do_add_procurement_item(
    procurement: JointProcurement, *, acting_user, name, unit, specification=""
) -> ProcurementItem:
    with transaction.atomic(), history_context(acting_user, "aid.procurement.item"):
        procurement = JointProcurement.objects.select_for_update().get(pk=procurement.pk)
        if not may_manage_procurement(acting_user, procurement):
            raise PermissionDenied
        _require_open(procurement)
        cleaned, errors = _clean_items(
            [{"name": name, "unit": unit, "specification": specification}]
        )
        if errors:
            raise ValidationError({"name": errors})
        item = cleaned[0]
        item.procurement = procurement
        item.position = procurement.items.count()
        item.save()
        return item


def _require_open(procurement):
    if procurement.closed_at is not None:
        raise ValidationError(_("The joint procurement is closed."))
    if procurement.deadline <= timezone.now():
        raise ValidationError(_("The deadline has passed: quantities can no longer be changed."))


def do_set_quantity(
    item: ProcurementItem, *, organisation: Organisation, acting_user, quantity
) -> ProcurementLine:
    """A participant enters or changes its quantity of an item (0 = none) until the
    deadline. One line per item and organisation; every change is kept by pghistory."""
    with transaction.atomic(), history_context(acting_user, "aid.procurement.quantity"):
        procurement = JointProcurement.objects.select_for_update().get(pk=item.procurement_id)
        if organisation is None or organisation.pk not in participating_org_ids(
            acting_user, procurement
        ):
            raise PermissionDenied
        _require_open(procurement)
        quantity = clean_quantity(quantity, allow_zero=True)
        line, _created = ProcurementLine.objects.update_or_create(
            item=item,
            organisation=organisation,
            defaults={"quantity": quantity, "updated_by": acting_user},
        )
        return line


def do_close_procurement(procurement: JointProcurement, *, acting_user) -> JointProcurement:
    with transaction.atomic(), history_context(acting_user, "aid.procurement.close"):
        procurement = JointProcurement.objects.select_for_update().get(pk=procurement.pk)
        if not may_manage_procurement(acting_user, procurement):
            raise PermissionDenied
        if procurement.closed_at is None:
            procurement.closed_at = timezone.now()
            procurement.save(update_fields=["closed_at"])
        return procurement


def procurement_totals(procurement: JointProcurement):
    """Items with their lines and totals, and the participants' column totals — two
    queries (items, lines) however many participants."""
    items = list(procurement.items.all())
    lines = list(
        ProcurementLine.objects.filter(item__procurement=procurement)
        .select_related("organisation")
        .order_by("organisation__name", "item_id")
    )
    by_pk: dict[int, Organisation] = {}
    by_item: dict[int, dict[int, Decimal]] = {item.pk: {} for item in items}
    for line in lines:
        by_pk.setdefault(line.organisation_id, line.organisation)
        by_item.setdefault(line.item_id, {})[line.organisation_id] = line.quantity
    participants = list(by_pk.values())
    rows = []
    for item in items:
        cells = [by_item[item.pk].get(p.pk) for p in participants]
        rows.append(
            {"item": item, "cells": cells, "total": sum((c for c in cells if c), Decimal(0))}
        )
    columns = [
        {
            "organisation": p,
            "total_lines": sum(1 for item in items if by_item[item.pk].get(p.pk)),
        }
        for p in participants
    ]
    return {"items": items, "rows": rows, "participants": participants, "columns": columns}
