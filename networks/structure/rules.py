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


# --- councils and neighbours (issue 12) ------------------------------------------------


@rules.predicate
def is_officer_of_office(user, office):
    """An officer of the State Administrator office (``office`` is an Office)."""
    viewer = viewer_for(user)
    return office is not None and (
        viewer.is_superuser or viewer.has_role(Role.OFFICER, office.organisation_id)
    )


@rules.predicate
def chairs_council(user, council):
    """The office that chairs a county preparedness council edits its seats."""
    return council is not None and is_officer_of_office(user, council.office)


@rules.predicate
def corrects_neighbour_link(user, link):
    """An office corrects the pairs of its region: a pair with at least one of its
    municipalities."""
    if link is None:
        return False
    viewer = viewer_for(user)
    return viewer.is_superuser or bool(
        {link.first.county.office_id, link.second.county.office_id} & viewer.officer_office_ids
    )


rules.add_perm("networks.edit_council", chairs_council)
rules.add_perm("networks.edit_neighbours", is_officer_of_office)
rules.add_perm("networks.remove_neighbour_link", corrects_neighbour_link)
