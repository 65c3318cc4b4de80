"""Notifications (varsler): in the portal and by e-mail, exactly once per recipient and
event.

:func:`notify` writes one :class:`~portal.models.Notification` row per recipient with
``INSERT … ON CONFLICT DO NOTHING`` on (recipient, event_key): creating the same event's
notifications again — a retried task, a worker that crashed half-way, two beats — adds
nothing. The rows are also the e-mail outbox: after the transaction commits,
:func:`portal.notifications.tasks.deliver_notifications` sends each pending row's
e-mail and marks it sent (see there for the exactly-once argument).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portal.models import EmailState, Notification
from portal.validators import strip_control_characters


def notify(
    users, *, event_key: str, kind: str, title: str, body: str = "", url: str = "", deliver=True
):
    """Notify each of ``users`` (distinct, active) of one event. E-mail goes to users
    with an address; the others get the in-portal notification only. ``deliver=False``
    leaves scheduling the e-mail to the caller (one delivery after many events)."""
    return notify_many(
        [Notice(users, event_key=event_key, kind=kind, title=title, body=body, url=url)],
        deliver=deliver,
    )


@dataclass
class Notice:
    """One event for some users, for :func:`notify_many`."""

    users: Iterable
    event_key: str
    kind: str
    title: str
    body: str = ""
    url: str = ""


def notify_many(notices, *, deliver=True) -> int:
    """Write the notifications of many events in one ``INSERT … ON CONFLICT DO NOTHING``
    (a reminder tick covers hundreds of municipalities) and schedule one e-mail delivery
    after the commit. Returns the number of rows offered (conflicts are not counted out:
    callers that need the number of new rows filter out the existing ones first)."""
    rows: list[Notification] = []
    for notice in notices:
        users = {u.pk: u for u in notice.users if u.is_active}.values()
        rows.extend(
            Notification(
                recipient=user,
                event_key=notice.event_key[:200],
                kind=notice.kind,
                # Titles reach an e-mail header: never a line break or control character.
                title=strip_control_characters(notice.title)[:300],
                body=notice.body,
                url=notice.url[:500],
                email_state=EmailState.PENDING if user.email else EmailState.NOT_NEEDED,
            )
            for user in users
        )
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if deliver and any(r.email_state == EmailState.PENDING for r in rows):
        schedule_delivery()
    return len(rows)


def schedule_delivery():
    """Drain the e-mail outbox once the current transaction commits."""
    from portal.notifications.tasks import deliver_notifications
    from portal.outbox import enqueue_after_commit

    enqueue_after_commit(deliver_notifications)


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


def do_mark_read(*, acting_user, uuids=None) -> int:
    """Mark the user's own unread notifications read: those named by ``uuids``, or all.
    Someone else's notification is never touched (the scoped queryset). Returns how many
    were marked."""
    from django.utils import timezone

    unread = Notification.objects.visible_to(acting_user).unread()
    if uuids is not None:
        unread = unread.filter(uuid__in=list(uuids))
    return unread.update(read_at=timezone.now())
