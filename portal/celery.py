"""The Celery app. Periodic tasks live in ``beat_schedule`` here, in code."""

import logging
import os

from celery import Celery, Task
from celery.exceptions import Retry
from celery.schedules import crontab
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

logger = logging.getLogger(__name__)


class OutboxTask(Task):
    """The base of every task: a message handed over from the task outbox
    (portal.outbox) names its row in a header; a row already run is not run again (a
    second copy of the message, after a hand-over that timed out but had reached Redis),
    and the row is marked run when the task returns or fails for good. A Celery retry
    keeps the header, so its row is marked when the last attempt ends."""

    def __call__(self, *args, **kwargs):
        row_id = (self.request.headers or {}).get("samvirke_outbox")
        if row_id is None:
            return super().__call__(*args, **kwargs)
        # portal.outbox needs the Django app registry, which is not ready when Celery
        # imports this module.
        from portal import outbox

        if outbox.already_run(row_id):
            logger.info("task outbox: row %s already run; %s skipped", row_id, self.name)
            return None
        try:
            result = super().__call__(*args, **kwargs)
        except Retry:
            raise
        except Exception as error:
            outbox.mark_run(row_id, error)
            raise
        outbox.mark_run(row_id)
        return result


app = Celery("samvirke", task_cls=OutboxTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules not named tasks.py, which autodiscovery does not find.
app.conf.imports = ("reporting.exports.tasks", "portal.outbox", "portal.live")


@worker_ready.connect
def drain_outbox_on_start(**_kwargs):
    """Beat needs the broker too: a worker that (re)connects takes whatever the web could
    not hand over while Redis was away, without waiting for beat's next minute."""
    from portal import outbox

    try:
        outbox.drain()
    except Exception:  # the worker must start even if the sweep cannot run
        logger.exception("task outbox: drain at worker start failed")


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
        "task": "portal.notifications.tasks.deliver_notifications",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # The task outbox (portal.outbox): what the web could not hand over while Redis was
    # stopped or hung, and messages Redis lost. Workers also drain it when they start.
    "drain-task-outbox": {
        "task": "portal.outbox.drain_task_outbox",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Assistance agreements ending within 60 days (or ended): their parties' emergency
    # managers are notified once per agreement and end date.
    "flag-expiring-agreements": {
        "task": "networks.resources.tasks.flag_expiring_agreements",
        "schedule": crontab(hour=6, minute=45),
    },
    # Export files past SAMVIRKE_EXPORT_RETENTION_DAYS: deleted, their jobs marked expired.
    "expire-exports": {
        "task": "reporting.exports.tasks.expire_exports",
        "schedule": crontab(minute=23),
    },
}
