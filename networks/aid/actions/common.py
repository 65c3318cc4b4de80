"""What the mutual-aid actions share: the quantity check, number formatting, the
writers to notify, and the step written into the incident logs of both sides
(:func:`incidents.log.actions.do_record_entry`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from incidents.log.actions import do_record_entry
from networks.aid.models import AssistanceRequest
from portal.notifications.actions import users_of
from portal.roles import AID_WRITER_ROLES


def clean_quantity(value, field="quantity", *, allow_zero=False) -> Decimal:
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


def writers_of(org_ids):
    """The writers (emergency managers, crisis staff) of these organisations."""
    return users_of(org_ids, AID_WRITER_ROLES)


def request_url(request: AssistanceRequest) -> str:
    return reverse("networks:aid-request-detail", args=[request.uuid])


def log_step(request, *, acting_user, organisation, kind, text, offer=None):
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


def describe(request):
    return _("%(quantity)s %(unit)s — %(title)s") % {
        "quantity": fmt(request.quantity),
        "unit": request.unit,
        "title": request.title,
    }
