"""Offers (tilbud) on requests for assistance: made by an organisation that sees the
request, accepted (whole or in part) or declined by the requester, withdrawn by the
offerer. One transaction each, attributable, every step in the incident logs of both
sides, notifications after commit through the outbox."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.log.models import EntryKind, Incident
from networks.aid.actions.common import (
    clean_quantity,
    describe,
    fmt,
    log_step,
    request_url,
    writers_of,
)
from networks.aid.models import AssistanceOffer, AssistanceRequest, OfferStatus, RequestStatus
from networks.aid.rules import acting_org_ids, may_manage_request
from networks.resources.models import Resource
from networks.structure.models import Organisation
from portal.history import history_context
from portal.models import NotificationKind
from portal.notifications.actions import notify


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
            quantity = clean_quantity(quantity)
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
        log_step(
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
            writers_of([request.requester_id]),
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
            url=request_url(request),
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
            accepted = offer.quantity if quantity in (None, "") else clean_quantity(quantity)
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
            log_step(
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
                log_step(
                    request,
                    acting_user=acting_user,
                    organisation=request.requester,
                    kind=EntryKind.INFORMATION,
                    text=_("Request for assistance fulfilled: %(what)s.")
                    % {"what": describe(request)},
                )
            notify(
                writers_of([offer.offerer_id]),
                event_key=f"aid-offer-decided:{offer.uuid}",
                kind=NotificationKind.OFFER,
                title=_("%(requester)s accepted your offer: %(quantity)s %(unit)s (%(title)s)")
                % {
                    "requester": request.requester.display_name,
                    "quantity": fmt(accepted),
                    "unit": request.unit,
                    "title": request.title,
                },
                url=request_url(request),
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
        log_step(
            request,
            acting_user=acting_user,
            organisation=request.requester,
            kind=EntryKind.DECISION,
            text=text,
            offer=offer,
        )
        notify(
            writers_of([offer.offerer_id]),
            event_key=f"aid-offer-decided:{offer.uuid}",
            kind=NotificationKind.OFFER,
            title=text,
            url=request_url(request),
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
        log_step(
            request,
            acting_user=acting_user,
            organisation=offer.offerer,
            kind=EntryKind.MESSAGE_IN,
            text=text,
            offer=offer,
        )
        notify(
            writers_of([request.requester_id]),
            event_key=f"aid-offer-withdrawn:{offer.uuid}",
            kind=NotificationKind.OFFER,
            title=text,
            url=request_url(request),
        )
        return offer
