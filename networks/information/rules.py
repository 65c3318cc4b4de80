"""Who may do what with a message: the predicates the actions, pages, API and templates
share. Senders act for the sending organisation (MESSAGE_SENDER_ROLES); recipients ask
for their organisation (MESSAGE_ASKER_ROLES)."""

from __future__ import annotations

from portal.access import org_ids_with, viewer_for
from portal.roles import MESSAGE_ASKER_ROLES, MESSAGE_SENDER_ROLES


def sender_org_ids(user) -> frozenset[int]:
    """The organisations the user may send messages for."""
    return org_ids_with(user, MESSAGE_SENDER_ROLES)


def may_send(user) -> bool:
    return bool(sender_org_ids(user))


def may_manage(user, message) -> bool:
    """Read the receipts, remind, answer questions: the sender organisation's senders."""
    return message.sender_id in sender_org_ids(user)


def sees_receipts(user, message) -> bool:
    """Read receipts are for the sender organisation (anyone in it)."""
    return message.sender_id in viewer_for(user).org_ids


def asker_org_ids(user, recipient_org_ids) -> set[int]:
    """Of the message's recipients, those the user may ask a question for."""
    return set(org_ids_with(user, MESSAGE_ASKER_ROLES)) & set(recipient_org_ids)


def reader_org_ids(user, recipient_org_ids) -> set[int]:
    """Of the message's recipients, the user's own organisations (a reading counts for
    each of them)."""
    return set(viewer_for(user).org_ids) & set(recipient_org_ids)
