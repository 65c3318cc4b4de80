"""The portal's Celery tasks, as Celery's autodiscovery finds them (it imports
``<app>.tasks``): the e-mail delivery of notifications lives in its package."""

from portal.notifications.tasks import deliver_notifications  # noqa: F401
