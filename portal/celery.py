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
}
