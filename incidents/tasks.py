"""Background work for incidents."""

from celery import shared_task
from django.core.cache import cache
from redis.exceptions import RedisError

from incidents.log.actions import log_version_key, new_log_version


@shared_task(acks_late=True, autoretry_for=(RedisError, OSError), retry_backoff=5, max_retries=5)
def bump_log_version(incident_id: int) -> None:
    """Mark an incident's log changed, for a write whose own bump found Redis down (see
    ``incidents.log.actions._bump_log_version``). Idempotent: a second run only makes the
    pollers look once more."""
    cache.set(log_version_key(incident_id), new_log_version(), timeout=None)
