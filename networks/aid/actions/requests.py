"""Requests for assistance (bistandsanmodninger): sent, closed or cancelled by the
requester, sent on by the region's State Administrator office ("go in line"). One
transaction each, attributable (pghistory context), every step in the incident log,
notifications after commit through the outbox (once per recipient and event)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from networks.aid.models import AssistanceRequest, OfferStatus, RequestStatus
from networks.aid.rules import may_manage_request, may_redirect_request, writer_org_ids
from networks.structure.models import NetworkMembership, Office, Organisation
from portal.history import history_context
from portal.models import NotificationKind
from portal.notifications.actions import notify, users_of
from portal.roles import Role
from portal.validators import control_character_errors


def _officers_of_office(office_id):
    org = Office.objects.filter(pk=office_id).values_list("organisation_id", flat=True).first()
    return users_of([org], [Role.OFFICER]) if org else []


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
            quantity = clean_quantity(quantity)
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
            *writers_of(_recipient_org_ids(request)),
            *(_officers_of_office(requester.region_id) if to_office else []),
        ]
        log_step(
            request,
            acting_user=acting_user,
            organisation=requester,
            kind=EntryKind.MESSAGE_OUT,
            text=_("Request for assistance sent: %(what)s. Sent to: %(to)s.")
            % {"what": describe(request), "to": _recipients_text(request)},
        )
        notify(
            recipients,
            event_key=f"aid-request:{request.uuid}",
            kind=NotificationKind.ASSISTANCE,
            title=_("%(org)s asks for assistance: %(what)s")
            % {"org": requester.display_name, "what": describe(request)},
            body=request.description,
            url=request_url(request),
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
        ) % {"what": describe(request), "fulfilled": fmt(request.fulfilled_quantity)}
        log_step(
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
            writers_of(offerers),
            event_key=f"aid-request-closed:{request.uuid}",
            kind=NotificationKind.ASSISTANCE,
            title=text,
            url=request_url(request),
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
        region = request.requester.region
        assert region is not None  # may_redirect_request needs the requester's region
        office_org = region.organisation
        log_step(
            request,
            acting_user=acting_user,
            organisation=office_org,
            kind=EntryKind.MESSAGE_IN,
            text=_("%(office)s sent the request for assistance (%(what)s) on to: %(to)s.")
            % {
                "office": office_org.display_name,
                "what": describe(request),
                "to": _recipients_text(request, new),
            },
        )
        notify(
            writers_of({o.pk for o in new}),
            event_key=f"aid-request:{request.uuid}",
            kind=NotificationKind.ASSISTANCE,
            title=_("%(org)s asks for assistance: %(what)s (sent on by %(office)s)")
            % {
                "org": request.requester.display_name,
                "what": describe(request),
                "office": office_org.display_name,
            },
            body=request.description,
            url=request_url(request),
        )
        notify(
            writers_of([request.requester_id]),
            event_key=f"aid-request-redirected:{request.uuid}:{','.join(str(o.pk) for o in new)}",
            kind=NotificationKind.ASSISTANCE,
            title=_("%(office)s sent your request on to: %(to)s")
            % {"office": office_org.display_name, "to": _recipients_text(request, new)},
            url=request_url(request),
        )
        return request
