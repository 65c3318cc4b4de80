"""Action rules of the library: who writes documents for an organisation (and so edits,
shares and holds comment rounds on them, and edits an action card's steps). The writers
are ``portal.roles.LIBRARY_WRITER_ROLES``; each role exists only in its kind of
organisation."""

import rules

from portal.access import org_ids_with
from portal.roles import LIBRARY_WRITER_ROLES


def library_writer_org_ids(user) -> frozenset[int]:
    """The organisations the user writes library documents for."""
    return org_ids_with(user, LIBRARY_WRITER_ROLES)


def writes_for(user, organisation_id) -> bool:
    """True if ``user`` writes library documents for the organisation ``organisation_id``
    (a document's, a comment round's or an action card's owner)."""
    return organisation_id in library_writer_org_ids(user)


@rules.predicate
def writes_library_for(user, organisation):
    return organisation is not None and writes_for(user, organisation.pk)


@rules.predicate
def edits_document(user, document):
    return document is not None and writes_for(user, document.owner_id)


rules.add_perm("networks.write_library_for", writes_library_for)
rules.add_perm("networks.edit_document", edits_document)
