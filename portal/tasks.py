"""Background work for the portal: the notification e-mail outbox."""

from __future__ import annotations

import logging
import os
import smtplib
import time

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone

from portal.models import EmailState, Notification

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
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.title}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        # The same notification always has the same Message-ID, so a receiving system can
        # discard the copy sent again in the one window where that can happen (below).
        headers={"Message-ID": f"<notification-{notification.uuid}@samvirke.no>"},
    )


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def deliver_notifications() -> int:
    """Send the e-mail of every pending notification, one row at a time.

    Each row is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and marked sent in the
    same transaction as its e-mail is handed to the mail server, so two workers never
    send the same row, and a worker that dies before the commit leaves the row pending
    for the next run (``acks_late``: the broker gives the task to another worker). The
    only window for a second copy is between the server accepting the message and the
    commit; the stable Message-ID covers it. (With Redis the killed worker's message
    comes back only after the visibility timeout, so beat also runs this task every
    minute.)

    A message the server refuses for its recipient does not hold up the rest: refused for
    good (5xx), the e-mail is given up (the notification stays in the portal); refused
    for now (4xx), the row stays pending for the next run. Other errors (the server is
    down) end the run and Celery retries it. Returns the number of e-mails sent.
    """
    pause = float(os.environ.get("SAMVIRKE_OUTBOX_PAUSE", "0") or 0)  # tests: widen the run
    connection = mailers.default
    # One connection (one SMTP session) for the whole run, closed however the run ends.
    connection.open()
    sent = 0
    refused: set[int] = set()  # refused for now: not tried again in this run
    try:
        while True:
            row = None
            try:
                with transaction.atomic():
                    row = (
                        Notification.objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(email_state=EmailState.PENDING)
                        .exclude(pk__in=refused)
                        .select_related("recipient")
                        .order_by("id")
                        .first()
                    )
                    if row is None:
                        break
                    if row.recipient.email:
                        connection.send_messages([notification_email(row)])
                        row.email_state = EmailState.SENT
                        row.emailed_at = timezone.now()
                    else:
                        # The address was removed after the notification was written.
                        row.email_state = EmailState.NOT_NEEDED
                    row.save(update_fields=["email_state", "emailed_at"])
            except smtplib.SMTPRecipientsRefused as error:
                # Rolled back: the row is pending again. The SMTP session is still usable.
                codes = [code for code, _message in error.recipients.values()]
                if codes and all(code >= 500 for code in codes):
                    Notification.objects.filter(pk=row.pk, email_state=EmailState.PENDING).update(
                        email_state=EmailState.NOT_NEEDED
                    )
                    logger.error("Notification %s: e-mail refused for good: %s", row.uuid, error)
                else:
                    refused.add(row.pk)
                    logger.warning("Notification %s: e-mail refused for now: %s", row.uuid, error)
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
