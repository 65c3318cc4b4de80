"""Every write to requests for assistance, offers and joint procurements: one
transaction each, attributable (pghistory context), every step written into the incident
logs of both sides (:func:`incidents.actions.do_record_entry`), notifications after
commit through the outbox (:func:`portal.notifications.notify`, once per recipient and
event). Views, the API and the demo loader call these.

Who acts for whom:

* a municipality's emergency managers and crisis staff act for it (request, offer,
  accept, decline, withdraw, close, join a procurement, lead one);
* a State Administrator office's officers act for the office: they offer, and redirect a
  request of their region to more organisations ("go in line").
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from incidents.actions import do_record_entry
from incidents.models import EntryKind, Incident
from networks.models import (
    AssistanceOffer,
    AssistanceRequest,
    JointProcurement,
    NetworkMembership,
    OfferStatus,
    Organisation,
    ProcurementItem,
    ProcurementLine,
    RequestStatus,
    Resource,
)
from portal.access import viewer_for
from portal.history import history_context
from portal.models import NotificationKind
from portal.notifications import notify, users_of
from portal.roles import Role
from portal.validators import control_character_errors

WRITER_ROLES = (Role.EMERGENCY_MANAGER, Role.CRISIS_STAFF)


# --- who acts for whom ----------------------------------------------------------------


def writer_org_ids(user) -> set[int]:
    """Organisations the user writes for (emergency managers, crisis staff)."""
    return {o for o, r in viewer_for(user).roles if r in WRITER_ROLES}


def officer_org_ids(user) -> set[int]:
    """State Administrator offices (their organisations) the user is an officer of."""
    return {o for o, r in viewer_for(user).roles if r == Role.OFFICER}


def acting_org_ids(user) -> set[int]:
    """Organisations the user may offer assistance for."""
    return writer_org_ids(user) | officer_org_ids(user)


def may_manage_request(user, request: AssistanceRequest) -> bool:
    """Accept/decline offers, close or cancel: the requester's writers."""
    return request.requester_id in writer_org_ids(user)


def may_redirect_request(user, request: AssistanceRequest) -> bool:
    """Send a request on to more organisations: the officers of the requester's region."""
    return bool(
        request.requester.region_id
        and request.requester.region_id in viewer_for(user).officer_office_ids
    )


def may_offer(user, request: AssistanceRequest) -> bool:
    return request.status == RequestStatus.OPEN and bool(
        acting_org_ids(user) - {request.requester_id}
    )


def may_manage_procurement(user, procurement: JointProcurement) -> bool:
    return procurement.lead_id in writer_org_ids(user)


def participant_org_ids(procurement: JointProcurement) -> set[int]:
    """The lead, the invited organisations and the network's current members."""
    ids = {procurement.lead_id, *procurement.organisations.values_list("pk", flat=True)}
    if procurement.network_id:
        ids |= set(
            NetworkMembership.objects.current()
            .filter(network_id=procurement.network_id)
            .values_list("organisation_id", flat=True)
        )
    return ids


def participating_org_ids(user, procurement: JointProcurement) -> set[int]:
    """Organisations the user may enter quantities for in this procurement."""
    mine = writer_org_ids(user)
    return mine & participant_org_ids(procurement) if mine else set()


# --- helpers ---------------------------------------------------------------------------


def _quantity(value, field="quantity", *, allow_zero=False) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Give the quantity as a number.")}) from None
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        message = (
            _("The quantity cannot be negative.")
            if allow_zero
            else _("The quantity must be greater than zero.")
        )
        raise ValidationError({field: message})
    if number >= Decimal("1e10"):
        raise ValidationError({field: _("The quantity is too large.")})
    return number


def fmt(value) -> str:
    """A quantity without needless decimals (12, 2.5)."""
    value = Decimal(value)
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    return number_format(value)


def _writers(org_ids):
    return users_of(org_ids, WRITER_ROLES)


def _officers_of_office(office_id):
    from networks.models import Office

    org = Office.objects.filter(pk=office_id).values_list("organisation_id", flat=True).first()
    return users_of([org], [Role.OFFICER]) if org else []


def _request_url(request):
    return reverse("networks:aid-request-detail", args=[request.uuid])


def _recipient_org_ids(request: AssistanceRequest) -> set[int]:
    ids = set(request.organisations.values_list("pk", flat=True))
    if request.network_id:
        ids |= set(
            NetworkMembership.objects.current()
            .filter(network_id=request.network_id)
            .values_list("organisation_id", flat=True)
        )
    ids.discard(request.requester_id)
    return ids


def _log_request(request, *, acting_user, organisation, kind, text, offer=None):
    """The step in the requester's incident log and, for an offer naming the offerer's
    own incident, in that log too."""
    do_record_entry(
        request.incident,
        acting_user=acting_user,
        organisation=organisation,
        kind=kind,
        text=text,
    )
    if offer is not None and offer.offerer_incident_id:
        do_record_entry(
            offer.offerer_incident,
            acting_user=acting_user,
            organisation=organisation,
            kind=kind,
            text=text,
        )


def _describe(request):
    return _("%(quantity)s %(unit)s — %(title)s") % {
        "quantity": fmt(request.quantity),
        "unit": request.unit,
        "title": request.title,
    }


# --- requests --------------------------------------------------------------------------


def do_create_request(
    *,
    requester: Organisation,
    incident: Incident,
    acting_user,
    title,
    category,
    quantity,
    unit,
    location,
    needed_by,
    priority="normal",
    description="",
    organisations=(),
    network=None,
    to_office=False,
) -> AssistanceRequest:
    """Bistandsanmodning: sent to named organisations, a network the requester is a
    member of, and/or the State Administrator office. Their writers (and the office's
    officers when sent to it) are notified once; the step goes into the incident's log."""
    with transaction.atomic(), history_context(acting_user, "aid.request.create"):
        if requester is None or requester.pk not in writer_org_ids(acting_user):
            raise PermissionDenied
        # Title and unit go into notification titles and so into e-mail subjects.
        errors = control_character_errors(title=title, unit=unit)
        if incident is None or not (
            Incident.objects.editable_by(acting_user)
            .filter(pk=incident.pk, owner=requester)
            .exists()
        ):
            errors["incident"] = [_("Choose one of your organisation's incidents.")]
        try:
            quantity = _quantity(quantity)
        except ValidationError as error:
            errors.update(error.message_dict)
        organisations = [o for o in organisations if o.pk != requester.pk]
        if network is not None and not (
            NetworkMembership.objects.current()
            .filter(network=network, organisation=requester)
            .exists()
        ):
            errors["network"] = [_("Your organisation is not a member of this network.")]
        if not organisations and network is None and not to_office:
            errors["organisations"] = [
                _(
                    "Send the request to someone: named organisations, a network or the "
                    "State Administrator."
                )
            ]
        if to_office and requester.region_id is None:
            errors["to_office"] = [_("Your organisation belongs to no State Administrator.")]
        if errors:
            raise ValidationError(errors)
        request = AssistanceRequest(
            requester=requester,
            incident=incident,
            title=(title or "").strip(),
            description=description or "",
            category=category,
            quantity=quantity,
            unit=(unit or "").strip(),
            location=location,
            needed_by=needed_by,
            priority=priority or "normal",
            network=network,
            to_office=bool(to_office),
            created_by=acting_user,
        )
        request.full_clean()
        request.save()
        if organisations:
            request.organisations.set(organisations)
        recipients = [
            *_writers(_recipient_org_ids(request)),
            *(_officers_of_office(requester.region_id) if to_office else []),
        ]
        _log_request(
            request,
            acting_user=acting_user,
            organisation=requester,
            kind=EntryKind.MESSAGE_OUT,
            text=_("Request for assistance sent: %(what)s. Sent to: %(to)s.")
            % {"what": _describe(request), "to": _recipients_text(request)},
        )
        notify(
            recipients,
            event_key=f"aid-request:{request.uuid}",
            kind=NotificationKind.ASSISTANCE,
            title=_("%(org)s asks for assistance: %(what)s")
            % {"org": requester.display_name, "what": _describe(request)},
            body=request.description,
            url=_request_url(request),
        )
        return request


def _recipients_text(request, organisations=None):
    names = [
        o.display_name
        for o in (organisations if organisations is not None else request.organisations.all())
    ]
    if organisations is None:
        if request.network_id:
            names.append(request.network.name)
        if request.to_office and request.requester.region_id:
            names.append(str(request.requester.region))
    return ", ".join(names) or "—"


def do_close_request(request: AssistanceRequest, *, acting_user, cancel=False):
    """The requester closes (enough help arrived) or cancels an open request. Offers
    still open stay as they are; no more can be made or accepted."""
    with transaction.atomic(), history_context(acting_user, "aid.request.close"):
        request = AssistanceRequest.objects.select_for_update().get(pk=request.pk)
        if not may_manage_request(acting_user, request):
            raise PermissionDenied
        if request.status != RequestStatus.OPEN:
            raise ValidationError(
                _("The request is already %(status)s.")
                % {"status": request.get_status_display().lower()}
            )
        request.status = RequestStatus.CANCELLED if cancel else RequestStatus.CLOSED
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "closed_at"])
        text = (
            _("Request for assistance cancelled: %(what)s.")
            if cancel
            else _("Request for assistance closed: %(what)s (%(fulfilled)s received).")
        ) % {"what": _describe(request), "fulfilled": fmt(request.fulfilled_quantity)}
        _log_request(
            request,
            acting_user=acting_user,
            organisation=request.requester,
            kind=EntryKind.DECISION,
            text=text,
        )
        offerers = set(
            request.offers.filter(status=OfferStatus.OFFERED).values_list("offerer_id", flat=True)
        )
        notify(
            _writers(offerers),
            event_key=f"aid-request-closed:{request.uuid}",
            kind=NotificationKind.ASSISTANCE,
            title=text,
            url=_request_url(request),
        )
        return request


def do_redirect_request(request: AssistanceRequest, *, acting_user, organisations):
    """The region's office sends a request on to more organisations: they are added to
    the recipients, notified, and the step goes into the requester's log."""
    with transaction.atomic(), history_context(acting_user, "aid.request.redirect"):
        request = (
            AssistanceRequest.objects.select_for_update(of=("self",))
            .select_related("requester__region__organisation", "incident")
            .get(pk=request.pk)
        )
        if not may_redirect_request(acting_user, request):
            raise PermissionDenied
        if request.status != RequestStatus.OPEN:
            raise ValidationError(
                _("The request is %(status)s: it can no longer be sent on.")
                % {"status": request.get_status_display().lower()}
            )
        already = set(request.organisations.values_list("pk", flat=True))
        new = [o for o in organisations if o.pk not in already and o.pk != request.requester_id]
        if not new:
            raise ValidationError(
                {"organisations": [_("Choose at least one organisation not already asked.")]}
            )
        request.organisations.add(*new)
        office_org = request.requester.region.organisation
        _log_request(
            request,
            acting_user=acting_user,
            organisation=office_org,
            kind=EntryKind.MESSAGE_IN,
            text=_("%(office)s sent the request for assistance (%(what)s) on to: %(to)s.")
            % {
                "office": office_org.display_name,
                "what": _describe(request),
                "to": _recipients_text(request, new),
            },
        )
        notify(
            _writers({o.pk for o in new}),
            event_key=f"aid-request:{request.uuid}",
            kind=NotificationKind.ASSISTANCE,
            title=_("%(org)s asks for assistance: %(what)s (sent on by %(office)s)")
            % {
                "org": request.requester.display_name,
                "what": _describe(request),
                "office": office_org.display_name,
            },
            body=request.description,
            url=_request_url(request),
        )
        notify(
            _writers([request.requester_id]),
            event_key=f"aid-request-redirected:{request.uuid}:{','.join(str(o.pk) for o in new)}",
            kind=NotificationKind.ASSISTANCE,
            title=_("%(office)s sent your request on to: %(to)s")
            % {"office": office_org.display_name, "to": _recipients_text(request, new)},
            url=_request_url(request),
        )
        return request


# --- offers ----------------------------------------------------------------------------


def _closed_message(request):
    return _("The request is %(status)s: it takes no more offers.") % {
        "status": request.get_status_display().lower()
    }


def do_make_offer(
    request: AssistanceRequest,
    *,
    offerer: Organisation,
    acting_user,
    quantity,
    note="",
    resource: Resource | None = None,
    offerer_incident: Incident | None = None,
) -> AssistanceOffer:
    """Tilbud: an organisation that sees the request offers (part of) it. The requester's
    writers are notified; the step goes into the requester's log and the offerer's own
    incident's log when named."""
    with transaction.atomic(), history_context(acting_user, "aid.offer.create"):
        if offerer is None or offerer.pk not in acting_org_ids(acting_user):
            raise PermissionDenied
        if not AssistanceRequest.objects.visible_to(acting_user).filter(pk=request.pk).exists():
            raise PermissionDenied
        request = (
            AssistanceRequest.objects.select_for_update()
            .select_related("incident", "requester")
            .get(pk=request.pk)
        )
        errors = {}
        if request.status != RequestStatus.OPEN:
            raise ValidationError(_closed_message(request))
        if offerer.pk == request.requester_id:
            raise ValidationError(_("An organisation cannot offer to its own request."))
        try:
            quantity = _quantity(quantity)
        except ValidationError as error:
            errors.update(error.message_dict)
        if resource is not None and resource.owner_id != offerer.pk:
            errors["resource"] = [_("Choose one of your organisation's own resources.")]
        if offerer_incident is not None and not (
            Incident.objects.editable_by(acting_user)
            .filter(pk=offerer_incident.pk, owner=offerer)
            .exists()
        ):
            errors["offerer_incident"] = [_("Choose one of your organisation's incidents.")]
        if errors:
            raise ValidationError(errors)
        offer = AssistanceOffer(
            request=request,
            offerer=offerer,
            quantity=quantity,
            note=note or "",
            resource=resource,
            offerer_incident=offerer_incident,
            created_by=acting_user,
        )
        offer.full_clean(exclude=["request"])
        offer.save()
        _log_request(
            request,
            acting_user=acting_user,
            organisation=offerer,
            kind=EntryKind.ACTION,
            text=_(
                "%(offerer)s offered %(quantity)s %(unit)s to %(requester)s's request: %(title)s."
            )
            % {
                "offerer": offerer.display_name,
                "quantity": fmt(quantity),
                "unit": request.unit,
                "requester": request.requester.display_name,
                "title": request.title,
            }
            + (f" {note.strip()}" if (note or "").strip() else ""),
            offer=offer,
        )
        notify(
            _writers([request.requester_id]),
            event_key=f"aid-offer:{offer.uuid}",
            kind=NotificationKind.OFFER,
            title=_("%(offerer)s offers %(quantity)s %(unit)s: %(title)s")
            % {
                "offerer": offerer.display_name,
                "quantity": fmt(quantity),
                "unit": request.unit,
                "title": request.title,
            },
            body=note or "",
            url=_request_url(request),
        )
        return offer


def _locked_offer(offer):
    """Lock the request first, then the offer (always in this order: no deadlock)."""
    request = (
        AssistanceRequest.objects.select_for_update()
        .select_related("incident", "requester")
        .get(pk=offer.request_id)
    )
    offer = (
        AssistanceOffer.objects.select_for_update(of=("self",))
        .select_related("offerer", "offerer_incident")
        .get(pk=offer.pk)
    )
    return request, offer


def exceeds_message(request, remaining):
    return _(
        "Accepting this would exceed what is still needed: only %(remaining)s %(unit)s of "
        "%(quantity)s %(unit)s remain."
    ) % {"remaining": fmt(remaining), "unit": request.unit, "quantity": fmt(request.quantity)}


def do_accept_offer(offer: AssistanceOffer, *, acting_user, quantity=None) -> AssistanceOffer:
    """The requester accepts an offer, whole or in part. The request row is locked, so two
    acceptances at the same moment are counted one after the other; one that would take
    the request over what it asked for is refused (and the database's check constraint
    refuses it too, should anything get past). When the request reaches its quantity it
    is fulfilled."""
    try:
        with transaction.atomic(), history_context(acting_user, "aid.offer.accept"):
            request, offer = _locked_offer(offer)
            if not may_manage_request(acting_user, request):
                raise PermissionDenied
            if request.status != RequestStatus.OPEN:
                raise ValidationError(_closed_message(request))
            if offer.status != OfferStatus.OFFERED:
                raise ValidationError(
                    _("The offer is already %(status)s.")
                    % {"status": offer.get_status_display().lower()}
                )
            accepted = offer.quantity if quantity in (None, "") else _quantity(quantity)
            if accepted > offer.quantity:
                raise ValidationError(
                    {
                        "quantity": [
                            _("You cannot accept more than was offered (%(offered)s %(unit)s).")
                            % {"offered": fmt(offer.quantity), "unit": request.unit}
                        ]
                    }
                )
            remaining = request.quantity - request.fulfilled_quantity
            if accepted > remaining:
                raise ValidationError({"quantity": [exceeds_message(request, remaining)]})
            offer.status = OfferStatus.ACCEPTED
            offer.accepted_quantity = accepted
            offer.decided_by = acting_user
            offer.decided_at = timezone.now()
            offer.save(update_fields=["status", "accepted_quantity", "decided_by", "decided_at"])
            # Added in the database (not from what was read): should anything have got
            # past the check above, request_never_over_fulfilled refuses the row.
            AssistanceRequest.objects.filter(pk=request.pk).update(
                fulfilled_quantity=F("fulfilled_quantity") + accepted
            )
            request.refresh_from_db(fields=["fulfilled_quantity"])
            if request.fulfilled_quantity >= request.quantity:
                request.status = RequestStatus.FULFILLED
                request.closed_at = timezone.now()
                request.save(update_fields=["status", "closed_at"])
            _log_request(
                request,
                acting_user=acting_user,
                organisation=request.requester,
                kind=EntryKind.DECISION,
                text=_(
                    "%(requester)s accepted %(quantity)s %(unit)s offered by %(offerer)s: "
                    "%(title)s (%(fulfilled)s of %(total)s %(unit)s covered)."
                )
                % {
                    "requester": request.requester.display_name,
                    "quantity": fmt(accepted),
                    "unit": request.unit,
                    "offerer": offer.offerer.display_name,
                    "title": request.title,
                    "fulfilled": fmt(request.fulfilled_quantity),
                    "total": fmt(request.quantity),
                },
                offer=offer,
            )
            if request.status == RequestStatus.FULFILLED:
                _log_request(
                    request,
                    acting_user=acting_user,
                    organisation=request.requester,
                    kind=EntryKind.INFORMATION,
                    text=_("Request for assistance fulfilled: %(what)s.")
                    % {"what": _describe(request)},
                )
            notify(
                _writers([offer.offerer_id]),
                event_key=f"aid-offer-decided:{offer.uuid}",
                kind=NotificationKind.OFFER,
                title=_("%(requester)s accepted your offer: %(quantity)s %(unit)s (%(title)s)")
                % {
                    "requester": request.requester.display_name,
                    "quantity": fmt(accepted),
                    "unit": request.unit,
                    "title": request.title,
                },
                url=_request_url(request),
            )
            return offer
    except IntegrityError as error:
        # The last line of defence (request_never_over_fulfilled): the same message.
        fresh = AssistanceRequest.objects.get(pk=offer.request_id)
        raise ValidationError(
            {"quantity": [exceeds_message(fresh, fresh.quantity - fresh.fulfilled_quantity)]}
        ) from error


def do_decline_offer(offer: AssistanceOffer, *, acting_user) -> AssistanceOffer:
    with transaction.atomic(), history_context(acting_user, "aid.offer.decline"):
        request, offer = _locked_offer(offer)
        if not may_manage_request(acting_user, request):
            raise PermissionDenied
        if offer.status != OfferStatus.OFFERED:
            raise ValidationError(
                _("The offer is already %(status)s.")
                % {"status": offer.get_status_display().lower()}
            )
        offer.status = OfferStatus.DECLINED
        offer.decided_by = acting_user
        offer.decided_at = timezone.now()
        offer.save(update_fields=["status", "decided_by", "decided_at"])
        text = _(
            "%(requester)s declined the offer of %(quantity)s %(unit)s from %(offerer)s: %(title)s."
        ) % {
            "requester": request.requester.display_name,
            "quantity": fmt(offer.quantity),
            "unit": request.unit,
            "offerer": offer.offerer.display_name,
            "title": request.title,
        }
        _log_request(
            request,
            acting_user=acting_user,
            organisation=request.requester,
            kind=EntryKind.DECISION,
            text=text,
            offer=offer,
        )
        notify(
            _writers([offer.offerer_id]),
            event_key=f"aid-offer-decided:{offer.uuid}",
            kind=NotificationKind.OFFER,
            title=text,
            url=_request_url(request),
        )
        return offer


def do_withdraw_offer(offer: AssistanceOffer, *, acting_user) -> AssistanceOffer:
    """The offerer takes back an offer not yet decided."""
    with transaction.atomic(), history_context(acting_user, "aid.offer.withdraw"):
        request, offer = _locked_offer(offer)
        if offer.offerer_id not in acting_org_ids(acting_user):
            raise PermissionDenied
        if offer.status != OfferStatus.OFFERED:
            raise ValidationError(
                _("The offer is already %(status)s.")
                % {"status": offer.get_status_display().lower()}
            )
        offer.status = OfferStatus.WITHDRAWN
        offer.decided_by = acting_user
        offer.decided_at = timezone.now()
        offer.save(update_fields=["status", "decided_by", "decided_at"])
        text = _("%(offerer)s withdrew its offer of %(quantity)s %(unit)s: %(title)s.") % {
            "offerer": offer.offerer.display_name,
            "quantity": fmt(offer.quantity),
            "unit": request.unit,
            "title": request.title,
        }
        _log_request(
            request,
            acting_user=acting_user,
            organisation=offer.offerer,
            kind=EntryKind.MESSAGE_IN,
            text=text,
            offer=offer,
        )
        notify(
            _writers([request.requester_id]),
            event_key=f"aid-offer-withdrawn:{offer.uuid}",
            kind=NotificationKind.OFFER,
            title=text,
            url=_request_url(request),
        )
        return offer


# --- joint procurement -----------------------------------------------------------------


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
            _writers(invited),
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
        quantity = _quantity(quantity, allow_zero=True)
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
    participants = {}
    by_item = {item.pk: {} for item in items}
    for line in lines:
        participants.setdefault(line.organisation_id, line.organisation)
        by_item.setdefault(line.item_id, {})[line.organisation_id] = line.quantity
    participants = list(participants.values())
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


def offered_totals(requests):
    """Offered quantity (offers still standing or accepted) per request id — one query."""
    return dict(
        AssistanceOffer.objects.filter(
            request__in=requests, status__in=[OfferStatus.OFFERED, OfferStatus.ACCEPTED]
        )
        .values_list("request_id")
        .annotate(total=Sum("quantity"))
        .values_list("request_id", "total")
    )
