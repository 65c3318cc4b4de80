"""Live pages by polling, the crisis log's pattern made reusable: a write bumps a version
in the cache after its commit; the page polls with the version it has (``?v=``) and gets
204 without a body while nothing changed — one scoped query and a cache read — or the
fresh fragment with the new version in ``X-Samvirke-Version``.

With Redis down the version is None: every poll reads the database (slower, never
stale), and the write's bump is handed to a worker for when Redis is back
(docs/decisions/0011-writes-survive-redis.md)."""

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError

from portal import outbox

#: The header a live fragment carries its version in, and the one that says the page
#: answering is a live fragment (not, say, the login page after the session ended).
VERSION_HEADER = "X-Samvirke-Version"
LIVE_HEADER = "X-Samvirke-Live"


def new_version() -> str:
    """Nanoseconds since the epoch: unique enough, and nothing to escape in a URL."""
    return str(time.time_ns())


@shared_task(acks_late=True, autoretry_for=(RedisError, OSError), retry_backoff=5, max_retries=5)
def bump_live_version(key: str) -> None:
    """A bump whose write found Redis down; idempotent (pollers only look once more)."""
    cache.set(key, new_version(), timeout=None)


def _bump(key: str) -> None:
    if not outbox.cache_set(key, new_version(), timeout=None):
        outbox.enqueue(bump_live_version, key)


def bump_after_commit(key: str) -> None:
    """Tell the pollers of ``key`` that what they show changed, once the transaction
    commits (at once outside one)."""
    transaction.on_commit(lambda: _bump(key))


def current_version(key: str, *extra: object) -> str | None:
    """The version a poller compares, from the cache, with ``extra`` parts that change
    by themselves (e.g. whether a deadline has passed); None while Redis is down."""
    version = outbox.cache_get(key)
    if version is outbox.UNAVAILABLE:
        return None
    return "|".join([str(version or "0"), *(str(part) for part in extra)])


def unchanged(request: HttpRequest, version: str | None) -> HttpResponse | None:
    """The 204 for a poll whose ``?v=`` is the current version, else None."""
    if version is not None and request.GET.get("v") == version:
        response = HttpResponse(status=204)
        response[LIVE_HEADER] = "unchanged"
        response[VERSION_HEADER] = version
        return response
    return None


def mark_changed(response: HttpResponse, version: str | None) -> HttpResponse:
    """Stamp a live fragment with its version (empty while Redis is down: the next
    poll reads the database again)."""
    response[LIVE_HEADER] = "changed" if version is not None else "degraded"
    response[VERSION_HEADER] = version or ""
    return response
