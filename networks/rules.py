"""Action rules (who may edit what), used by views, API permissions and templates alike."""

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


# --- the library -----------------------------------------------------------------------

#: Who writes library documents for an organisation: a municipality's emergency managers
#: and crisis staff, an office's officers, a national agency's analysts, KS's analysts
#: (each role only exists in its kind of organisation, portal.roles).
LIBRARY_WRITER_ROLES = frozenset(
    {
        Role.EMERGENCY_MANAGER,
        Role.CRISIS_STAFF,
        Role.OFFICER,
        Role.NATIONAL_ANALYST,
        Role.KS_ANALYST,
    }
)


def library_writer_org_ids(user) -> frozenset[int]:
    """The organisations the user writes library documents for."""
    viewer = viewer_for(user)
    return frozenset(org for org, role in viewer.roles if role in LIBRARY_WRITER_ROLES)


@rules.predicate
def writes_library_for(user, organisation):
    return organisation is not None and organisation.pk in library_writer_org_ids(user)


@rules.predicate
def edits_document(user, document):
    return document is not None and document.owner_id in library_writer_org_ids(user)


rules.add_perm("networks.write_library_for", writes_library_for)
rules.add_perm("networks.edit_document", edits_document)
