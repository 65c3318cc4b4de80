"""Every write to the preparedness structure goes through here: one transaction, an
attributable history row (pghistory records who, when and what, with the acting user
as context), side effects after commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.structure.models import (
    ContactEntry,
    Council,
    CouncilMembership,
    CouncilStatus,
    Municipality,
    NeighbourBasis,
    NeighbourLink,
    Network,
    NetworkMembership,
)
from portal.history import history_context


def do_add_network_member(network: Network, organisation, *, joined_on, note="", acting_user):
    with transaction.atomic(), history_context(acting_user, "network.add_member"):
        if NetworkMembership.objects.filter(
            network=network, organisation=organisation, left_on__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "organisation": _("%(org)s is already a member of %(network)s.")
                    % {"org": organisation, "network": network}
                }
            )
        return NetworkMembership.objects.create(
            network=network, organisation=organisation, joined_on=joined_on, note=note
        )


def do_end_network_membership(membership: NetworkMembership, *, left_on, acting_user):
    with transaction.atomic(), history_context(acting_user, "network.end_membership"):
        membership = NetworkMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.left_on is not None:
            raise ValidationError({"left_on": _("This membership has already ended.")})
        if left_on < membership.joined_on:
            raise ValidationError(
                {
                    "left_on": _("A membership cannot end before it started (%(date)s).")
                    % {"date": membership.joined_on.strftime("%d.%m.%Y")}
                }
            )
        membership.left_on = left_on
        membership.save(update_fields=["left_on"])
        return membership


def do_save_contact(contact: ContactEntry, *, acting_user):
    action = "roster.update" if contact.pk else "roster.create"
    with transaction.atomic(), history_context(acting_user, action):
        contact.full_clean()
        contact.save()
        return contact


def do_delete_contact(contact: ContactEntry, *, acting_user):
    with transaction.atomic(), history_context(acting_user, "roster.delete"):
        contact.delete()


# --- county preparedness councils --------------------------------------------------------


def do_add_council_member(council: Council, organisation, *, status, since, note="", acting_user):
    """Seat ``organisation`` in ``council`` (member, invited or observer) from ``since``."""
    with transaction.atomic(), history_context(acting_user, "council.add_member"):
        if CouncilMembership.objects.filter(
            council=council, organisation=organisation, until__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "organisation": _("%(org)s already has a seat in %(council)s.")
                    % {"org": organisation, "council": council}
                }
            )
        if status not in CouncilStatus.values:
            raise ValidationError({"status": _("Choose member, invited or observer.")})
        seat = CouncilMembership(
            council=council, organisation=organisation, status=status, since=since, note=note
        )
        seat.full_clean()
        seat.save()
        return seat


def do_end_council_membership(seat: CouncilMembership, *, until, acting_user):
    """End a seat on ``until``; the row stays, so the council's history is kept."""
    with transaction.atomic(), history_context(acting_user, "council.end_membership"):
        seat = CouncilMembership.objects.select_for_update().get(pk=seat.pk)
        if seat.until is not None:
            raise ValidationError({"until": _("This seat has already ended.")})
        if seat.since is not None and until < seat.since:
            raise ValidationError(
                {
                    "until": _("A seat cannot end before it started (%(date)s).")
                    % {"date": seat.since.strftime("%d.%m.%Y")}
                }
            )
        seat.until = until
        seat.save(update_fields=["until"])
        return seat


# --- neighbours --------------------------------------------------------------------------


def _ordered(a: Municipality, b: Municipality):
    return (a, b) if a.number < b.number else (b, a)


def sync_neighbours(pairs) -> None:
    """Make ``Municipality.neighbours`` (what sharing and the nearness filters read) hold
    the given current pairs ``(first_id, second_id)``, both directions."""
    through = Municipality.neighbours.through
    wanted = set()
    for a, b in pairs:
        wanted.update({(a, b), (b, a)})
    have = set(through.objects.values_list("from_municipality_id", "to_municipality_id"))
    through.objects.bulk_create(
        [through(from_municipality_id=f, to_municipality_id=t) for f, t in wanted - have]
    )
    stale = have - wanted
    if stale:
        stale_q = Q()
        for f, t in stale:
            stale_q |= Q(from_municipality_id=f, to_municipality_id=t)
        through.objects.filter(stale_q).delete()


def _sync_pair(first: Municipality, second: Municipality, *, current: bool) -> None:
    through = Municipality.neighbours.through
    rows = [(first.pk, second.pk), (second.pk, first.pk)]
    if current:
        for f, t in rows:
            through.objects.get_or_create(from_municipality_id=f, to_municipality_id=t)
    else:
        through.objects.filter(
            Q(from_municipality_id=first.pk, to_municipality_id=second.pk)
            | Q(from_municipality_id=second.pk, to_municipality_id=first.pk)
        ).delete()


def do_add_neighbour_link(a: Municipality, b: Municipality, *, reason, acting_user):
    """An office makes two municipalities neighbours (``basis`` "set by the office")."""
    with transaction.atomic(), history_context(acting_user, "neighbours.add"):
        if a.pk == b.pk:
            raise ValidationError({"second": _("Choose two different municipalities.")})
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for the change.")})
        first, second = _ordered(a, b)
        if NeighbourLink.objects.current().filter(first=first, second=second).exists():
            raise ValidationError(
                {"second": _("%(a)s and %(b)s are already neighbours.") % {"a": first, "b": second}}
            )
        link = NeighbourLink.objects.create(
            first=first, second=second, basis=NeighbourBasis.OFFICE, source=reason.strip()
        )
        _sync_pair(first, second, current=True)
        return link


def do_remove_neighbour_link(link: NeighbourLink, *, reason, acting_user):
    """An office removes a pair (however it was found), with the reason. The row stays,
    so ``load_structure`` does not derive it back and the history shows why."""
    with transaction.atomic(), history_context(acting_user, "neighbours.remove"):
        link = NeighbourLink.objects.select_for_update().get(pk=link.pk)
        if link.removed_at is not None:
            raise ValidationError({"reason": _("This pair has already been removed.")})
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for the change.")})
        link.removed_at = timezone.now()
        link.removed_reason = reason.strip()
        link.save(update_fields=["removed_at", "removed_reason"])
        _sync_pair(link.first, link.second, current=False)
        return link
