"""Action rules of the preparedness structure: who edits a crisis contact roster and a
network's members. Used by views, API permissions and templates alike."""

import rules

from portal.access import viewer_for
from portal.roles import Role


@rules.predicate
def is_emergency_manager_of(user, organisation):
    return organisation is not None and viewer_for(user).has_role(
        Role.EMERGENCY_MANAGER, organisation.pk
    )


@rules.predicate
def coordinates_network(user, network):
    viewer = viewer_for(user)
    return network is not None and (
        viewer.is_superuser or network.pk in viewer.coordinated_network_ids
    )


rules.add_perm("networks.edit_roster", is_emergency_manager_of)
rules.add_perm("networks.edit_network_members", coordinates_network)
