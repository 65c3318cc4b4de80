"""Background work for reporting: recurring rounds and reminders.

Both tasks are ticks of Celery beat (``portal/celery.py``) and idempotent, so a tick
that runs twice, two beats, or a retried task change nothing the second time:

* :func:`issue_due_rounds` (every minute) issues today's round of every running
  :class:`~reporting.models.RoundSchedule` whose time of day has passed; the unique
  constraint on (schedule, day) makes a second round for the same day impossible.
* :func:`send_round_reminders` (every five minutes) notifies the writers of every
  municipality that has not submitted: a reminder before the deadline and an overdue
  notice after it, each exactly once per user and event (the notification's unique
  (recipient, event) key; the e-mail outbox in ``portal.notifications.tasks`` sends each once).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.models import Notification, NotificationKind, RoleAssignment
from portal.notifications.actions import Notice, notify_many
from portal.roles import REPORT_WRITER_ROLES
from reporting.actions import do_issue_scheduled_round, exercise_label
from reporting.models import ReportingRound, RoundSchedule, Submission, SubmissionStatus

logger = logging.getLogger(__name__)

#: The reminder goes this long before the deadline …
REMIND_BEFORE = timedelta(hours=2)
#: … or, for a round open for less than four times that, in the last quarter of it.
REMIND_SHARE = 4
#: Overdue notices go for rounds whose deadline passed less than this long ago (an old
#: round nobody closed does not start sending notices when the portal is deployed).
LATE_NOTICE_WITHIN = timedelta(days=7)


# --- recurring rounds -----------------------------------------------------------------


def due_schedules(now):
    """The running schedules (not stopped, begun) whose time of day today (Norwegian
    time) has passed and that have no round for today. Missed earlier days are not
    caught up: a daily situation report for a day gone by is of no use."""
    local = timezone.localtime(now)
    today = local.date()
    issued_today = ReportingRound.objects.filter(schedule=OuterRef("pk"), occurrence=today)
    return (
        RoundSchedule.objects.filter(
            stopped_at__isnull=True, starts_on__lte=today, time_of_day__lte=local.time()
        )
        .exclude(Exists(issued_today))
        .select_related("issuer", "form", "network", "frame", "incident", "created_by")
        .order_by("pk")
    )


@shared_task(acks_late=True)
def issue_due_rounds(now=None) -> int:
    """Issue today's round of every due schedule (:func:`due_schedules`), each in its own
    transaction. Two ticks racing for the same schedule: the second insert fails on the
    unique constraint and is skipped. A schedule whose creator may no longer issue it is
    skipped with a warning. Returns the number of rounds issued."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    issued = 0
    for schedule in due_schedules(now):
        try:
            with transaction.atomic():
                do_issue_scheduled_round(schedule, occurrence=today)
        except IntegrityError:
            continue  # another tick issued today's round first
        except (ValidationError, PermissionDenied) as error:
            logger.warning("Recurring round %s (%s) not issued: %s", schedule.uuid, schedule, error)
            continue
        issued += 1
    if issued:
        logger.info("Recurring rounds: %d round(s) issued", issued)
    return issued


# --- reminders ------------------------------------------------------------------------


def reminder_lead(round_) -> timedelta:
    """How long before the deadline the reminder goes."""
    return min(REMIND_BEFORE, (round_.deadline - round_.opened_at) / REMIND_SHARE)


def round_event(round_, now) -> str | None:
    """``"reminder"`` in the reminder window, ``"late"`` after the deadline, else None."""
    if now >= round_.deadline:
        return "late"
    if now >= round_.deadline - reminder_lead(round_):
        return "reminder"
    return None


def event_key(round_, event, municipality_id) -> str:
    return f"round:{round_.uuid}:{event}:{municipality_id}"


def _texts(round_, event, municipality_name):
    deadline = date_format(timezone.localtime(round_.deadline), "d.m.Y H:i")
    values = {"round": round_.title, "deadline": deadline, "municipality": municipality_name}
    if event == "reminder":
        return (
            NotificationKind.REMINDER,
            exercise_label(round_, _("Reminder: report “%(round)s” by %(deadline)s") % values),
            _(
                "%(municipality)s has not yet submitted its report in “%(round)s”. "
                "The deadline is %(deadline)s."
            )
            % values,
        )
    return (
        NotificationKind.LATE,
        exercise_label(round_, _("Overdue: the report in “%(round)s”") % values),
        _(
            "The deadline %(deadline)s has passed and %(municipality)s has not submitted "
            "its report in “%(round)s”. A late report is still accepted, marked late."
        )
        % values,
    )


@shared_task(acks_late=True)
def send_round_reminders(now=None) -> int:
    """Notify the emergency managers and crisis staff of every municipality whose
    submission in an open round is still a draft: a reminder in the reminder window
    (:func:`reminder_lead`) and an overdue notice after the deadline, exactly once per
    user, round, event and municipality (``round:<uuid>:reminder:<municipality id>``,
    ``…:late:…``). A constant number of queries however many rounds and municipalities;
    what was notified before is left out, so a rerun writes nothing. Returns the number
    of notifications written."""
    now = now or timezone.now()
    rounds = {
        r.pk: r
        for r in ReportingRound.objects.filter(
            closed_at__isnull=True,
            deadline__lte=now + REMIND_BEFORE,
            deadline__gt=now - LATE_NOTICE_WITHIN,
        )
    }
    events = {pk: round_event(r, now) for pk, r in rounds.items()}
    events = {pk: e for pk, e in events.items() if e}
    if not events:
        return 0
    drafts = list(
        Submission.objects.filter(round_id__in=list(events), status=SubmissionStatus.DRAFT)
        .values_list("round_id", "municipality_id", "municipality__name", "uuid")
        .order_by("round_id", "municipality__name")
    )
    writers = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(
        organisation_id__in={d[1] for d in drafts},
        role__in=REPORT_WRITER_ROLES,  # who writes the submission is reminded
        user__is_active=True,
    ).select_related("user"):
        writers[assignment.organisation_id].append(assignment.user)
    keys = {event_key(rounds[r], events[r], m): (r, m, name, uuid) for r, m, name, uuid in drafts}
    notified = defaultdict(set)
    for recipient_id, key in Notification.objects.filter(event_key__in=list(keys)).values_list(
        "recipient_id", "event_key"
    ):
        notified[key].add(recipient_id)
    notices = []
    for key, (round_id, municipality_id, name, submission_uuid) in keys.items():
        users = [u for u in writers[municipality_id] if u.pk not in notified[key]]
        if not users:
            continue
        round_ = rounds[round_id]
        kind, title, body = _texts(round_, events[round_id], name)
        notices.append(
            Notice(
                users,
                event_key=key,
                kind=kind,
                title=title,
                body=body,
                url=reverse("reporting:submission", kwargs={"uuid": submission_uuid}),
            )
        )
    with transaction.atomic():
        written = notify_many(notices)
    if written:
        logger.info("Round reminders: %d notification(s) written", written)
    return written
