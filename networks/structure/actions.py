"""Every write to the preparedness structure goes through here: one transaction, an
attributable history row (pghistory records who, when and what, with the acting user
as context), side effects after commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks.structure.models import ContactEntry, Network, NetworkMembership
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
