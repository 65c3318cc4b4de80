"""Who may change resources and agreements: the ``rules`` permissions the pages, the API
and the templates check. The emergency managers and crisis staff of the owning
municipality keep its resources and agreements, and the officers of a State
Administrator office the office's own (``portal.roles.RESOURCE_WRITER_ROLES``)."""

from __future__ import annotations

import rules

from portal.access import org_ids_with
from portal.roles import RESOURCE_WRITER_ROLES


def writer_org_ids(user) -> frozenset[int]:
    """Organisations whose resources and agreements ``user`` keeps."""
    return org_ids_with(user, RESOURCE_WRITER_ROLES)


@rules.predicate
def keeps_resource(user, resource):
    return resource is not None and resource.owner_id in writer_org_ids(user)


@rules.predicate
def keeps_agreement(user, agreement):
    return agreement is not None and agreement.owner_id in writer_org_ids(user)


@rules.predicate
def keeps_any(user):
    return bool(writer_org_ids(user))


rules.add_perm("networks.add_resource", keeps_any)
rules.add_perm("networks.change_resource", keeps_resource)
rules.add_perm("networks.share_resource", keeps_resource)
rules.add_perm("networks.add_agreement", keeps_any)
rules.add_perm("networks.change_agreement", keeps_agreement)
