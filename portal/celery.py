"""The Celery app. Periodic tasks live in ``beat_schedule`` here, in code."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("samvirke")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules not named tasks.py, which autodiscovery does not find.
app.conf.imports = ("reporting.export_tasks",)
app.conf.beat_schedule = {
    "remind-stale-contact-rosters": {
        "task": "networks.tasks.remind_stale_contact_rosters",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Recurring rounds: a per-minute tick finds the schedules that are due.
    "issue-due-rounds": {
        "task": "reporting.tasks.issue_due_rounds",
        "schedule": crontab(),
        "options": {"expires": 55},  # a tick not run within its minute is left to the next
    },
    "send-round-reminders": {
        "task": "reporting.tasks.send_round_reminders",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 290},
    },
    # The safety net of the e-mail outbox: notify() queues a delivery after each commit,
    # but a worker killed mid-run holds its (acks_late) message until the broker's
    # visibility timeout; this drains whatever is pending within a minute.
    "deliver-notifications": {
        "task": "portal.tasks.deliver_notifications",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Assistance agreements ending within 60 days (or ended): their parties' emergency
    # managers are notified once per agreement and end date.
    "flag-expiring-agreements": {
        "task": "networks.tasks.flag_expiring_agreements",
        "schedule": crontab(hour=6, minute=45),
    },
    # Export files past SAMVIRKE_EXPORT_RETENTION_DAYS: deleted, their jobs marked expired.
    "expire-exports": {
        "task": "reporting.export_tasks.expire_exports",
        "schedule": crontab(minute=23),
    },
}
