"""Background work for the portal: the notification e-mail outbox."""

from __future__ import annotations

import logging
import os
import smtplib
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.models import EmailState, Notification
from portal.validators import strip_control_characters

logger = logging.getLogger(__name__)


def notification_email(notification) -> EmailMessage:
    url = settings.SITE_URL.rstrip("/") + notification.url if notification.url else ""
    body = notification.body.strip()
    text = "\n\n".join(
        part
        for part in [
            f"Hei {notification.recipient.first_name or notification.recipient.email},",
            body,
            url,
            "Hilsen\nSamvirke",
            "--\nDu får denne e-posten fordi du har en rolle i Samvirke. "
            "Varselet ligger også under Varsler i portalen.",
        ]
        if part
    )
    # Never a line break in a header, even in rows written before titles were checked.
    subject = strip_control_characters(notification.title)
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        # The same notification always has the same Message-ID, so a receiving system can
        # discard the copy sent again in the one window where that can happen (below).
        headers={"Message-ID": f"<notification-{notification.uuid}@samvirke.no>"},
    )


#: Errors that say the SMTP session is gone rather than that this message is at fault.
SESSION_ERRORS = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)

#: The longest wait between two attempts, however many there were.
MAX_BACKOFF = timedelta(hours=6)


def record_failure(row: Notification, error: Exception, *, now) -> None:
    """Mark ``row`` with a failed attempt: the error, and when to try again, or given up
    (``FAILED``) after the last attempt or a permanent refusal (5xx for every
    recipient). The notification itself stays in the portal either way."""
    row.email_attempts += 1
    row.email_error = f"{type(error).__name__}: {error}"[:2000]
    permanent = isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _message in error.recipients.values()
    )
    if permanent or row.email_attempts >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS:
        row.email_state = EmailState.FAILED
        row.next_attempt_at = None
        logger.error(
            "Notification %s: e-mail given up after %d attempt(s): %s",
            row.uuid,
            row.email_attempts,
            row.email_error,
        )
    else:
        wait = timedelta(seconds=settings.NOTIFICATION_EMAIL_RETRY_SECONDS)
        row.next_attempt_at = now + min(wait * 2 ** (row.email_attempts - 1), MAX_BACKOFF)
        logger.warning(
            "Notification %s: e-mail attempt %d failed, next at %s: %s",
            row.uuid,
            row.email_attempts,
            row.next_attempt_at.isoformat(),
            row.email_error,
        )
    row.save(update_fields=["email_state", "email_attempts", "email_error", "next_attempt_at"])


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def deliver_notifications() -> int:
    """Send the e-mail of every pending notification that is due, one row at a time.

    Each row is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and marked sent in the
    same transaction as its e-mail is handed to the mail server, so two workers never
    send the same row, and a worker that dies before the commit leaves the row pending
    for the next run (``acks_late``: the broker gives the task to another worker). The
    only window for a second copy is between the server accepting the message and the
    commit; the stable Message-ID covers it. (With Redis the killed worker's message
    comes back only after the visibility timeout, so beat also runs this task every
    minute.)

    No row holds up the others. Whatever goes wrong while one row's e-mail is built or
    sent (a header the e-mail library refuses, a recipient the server refuses, the
    server dropping the session) is recorded on that row, in the transaction that holds
    its lock: the error, one more attempt, and the time of the next one (backoff,
    doubling from ``NOTIFICATION_EMAIL_RETRY_SECONDS``); after
    ``NOTIFICATION_EMAIL_MAX_ATTEMPTS``, or refused for good (5xx), the e-mail is given
    up (``FAILED``). Then the run goes on with the next row; a row is tried at most once
    per run. If the session was lost, the run opens a new one; if the server cannot be
    reached at all, the run ends (before claiming anything) and Celery retries it.
    Returns the number of e-mails sent.
    """
    pause = float(os.environ.get("SAMVIRKE_OUTBOX_PAUSE", "0") or 0)  # tests: widen the run
    connection = mailers.default
    # One connection (one SMTP session) for the whole run, closed however the run ends.
    connection.open()
    sent = 0
    tried: set[int] = set()  # rows that failed in this run: not tried again in it
    try:
        while True:
            failure = None
            with transaction.atomic():
                now = timezone.now()
                row = (
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(email_state=EmailState.PENDING)
                    .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                    .exclude(pk__in=tried)
                    .select_related("recipient")
                    .order_by("id")
                    .first()
                )
                if row is None:
                    break
                try:
                    with transaction.atomic():
                        if row.recipient.email:
                            connection.send_messages([notification_email(row)])
                            row.email_state = EmailState.SENT
                            row.emailed_at = timezone.now()
                        else:
                            # The address was removed after the notification was written.
                            row.email_state = EmailState.NOT_NEEDED
                        row.next_attempt_at = None
                        row.save(update_fields=["email_state", "emailed_at", "next_attempt_at"])
                except Exception as error:  # whatever it is, it is this row's: recorded
                    failure = error
                    row.email_state = EmailState.PENDING
                    record_failure(row, error, now=now)
            if failure is not None:
                tried.add(row.pk)
                if isinstance(failure, SESSION_ERRORS):
                    # A new session for the rows behind; unreachable: the run ends here.
                    connection.close()
                    connection.open()
                continue
            if row.email_state == EmailState.SENT:
                sent += 1
            if pause:
                time.sleep(pause)
    finally:
        connection.close()
    if sent:
        logger.info("Notifications: %d e-mail(s) sent", sent)
    return sent
