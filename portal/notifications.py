"""Notifications (varsler): in the portal and by e-mail, exactly once per recipient and
event.

:func:`notify` writes one :class:`~portal.models.Notification` row per recipient with
``INSERT … ON CONFLICT DO NOTHING`` on (recipient, event_key): creating the same event's
notifications again — a retried task, a worker that crashed half-way, two beats — adds
nothing. The rows are also the e-mail outbox: after the transaction commits,
:func:`portal.tasks.deliver_notifications` sends each pending row's e-mail and marks it
sent (see there for the exactly-once argument).
"""

from __future__ import annotations

from django.db import transaction

from portal.models import EmailState, Notification


def notify(users, *, event_key: str, kind: str, title: str, body: str = "", url: str = ""):
    """Notify each of ``users`` (distinct, active) of one event. E-mail goes to users
    with an address; the others get the in-portal notification only."""
    rows = [
        Notification(
            recipient=user,
            event_key=event_key[:200],
            kind=kind,
            title=title[:300],
            body=body,
            url=url[:500],
            email_state=EmailState.PENDING if user.email else EmailState.NOT_NEEDED,
        )
        for user in {u.pk: u for u in users if u.is_active}.values()
    ]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(r.email_state == EmailState.PENDING for r in rows):
        from portal.tasks import deliver_notifications

        transaction.on_commit(deliver_notifications.delay)


def users_of(organisation_ids, roles):
    """Active users holding one of ``roles`` in one of the organisations."""
    from portal.models import User

    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__organisation_id__in=list(organisation_ids),
            role_assignments__role__in=list(roles),
        ).distinct()
    )
