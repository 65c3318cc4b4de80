"""Writes survive Redis: the task outbox and the cache calls a write makes after commit.

A write that must get a Celery task run calls :func:`enqueue_after_commit` inside its
transaction. That records the task in :class:`~portal.models.TaskOutbox` (committed with
the write, or rolled back with it) and hands it to the broker once the transaction
commits, over a connection of its own that waits at most ``REDIS_TIMEOUT`` and never
retries. When Redis is stopped or hung the hand-over fails, is logged and swallowed, and
the row waits; the write has already succeeded. What picks the row up later:

- the same web process's next successful hand-over (it takes the backlog with it),
- :func:`drain` when a worker starts (``worker_ready`` in ``portal/celery.py``),
- :func:`drain` every minute from beat (``drain-task-outbox``).

Hand-over is at least once: a publish that timed out may still have reached Redis, and a
message Redis held when it died is lost unless re-sent. So a worker that runs a task
from the outbox first checks that its row is not done yet and marks it done when the
task returns (:class:`portal.celery.OutboxTask`): a second copy of the message does
nothing. Two copies running at the very same moment stay possible; the tasks are
idempotent for that (each says how in its docstring).

After a Redis failure the process leaves Redis alone for ``REDIS_RETRY_AFTER`` seconds
(:func:`redis_suspect`): during an outage one request per process and period waits
``REDIS_TIMEOUT``, the others not at all. See docs/decisions/0011-writes-survive-redis.md.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from portal.celery import app
from portal.models import TaskOutbox

logger = logging.getLogger(__name__)

#: What a Redis that is stopped, hung or gone raises through the cache and through kombu.
REDIS_ERRORS = (RedisError, KombuError, OSError)
#: The message header that names the outbox row a task message came from.
OUTBOX_HEADER = "samvirke_outbox"
#: A handed-over row not run after this is taken for lost with its message (Redis died
#: holding it) and handed over again, at most MAX_ATTEMPTS times in all.
LOST_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 10
#: Rows one hand-over takes at most (a request must stay quick).
BATCH = 100
#: Done rows are kept this long (for the admin and the curious), then deleted.
KEEP_DONE = timedelta(days=7)

_redis_down_until = 0.0


def redis_suspect() -> bool:
    """Whether Redis failed in this process within the last ``REDIS_RETRY_AFTER`` s."""
    return time.monotonic() < _redis_down_until


def note_redis_failure(what: str, error: BaseException) -> None:
    global _redis_down_until
    _redis_down_until = time.monotonic() + settings.REDIS_RETRY_AFTER
    logger.warning("Redis unavailable (%s): %s", what, error)


# --- the cache ----------------------------------------------------------------------------

#: What :func:`cache_get` answers when the cache cannot be read.
UNAVAILABLE = object()


def cache_get(key, default=None):
    """``cache.get`` that answers :data:`UNAVAILABLE` instead of raising (or waiting)
    when Redis is down; the caller falls back to the database."""
    if redis_suspect():
        return UNAVAILABLE
    try:
        return cache.get(key, default)
    except REDIS_ERRORS as error:
        note_redis_failure("cache read", error)
        return UNAVAILABLE


def cache_set(key, value, timeout=None) -> bool:
    """``cache.set`` that logs and swallows a Redis failure; False if it did not write."""
    if redis_suspect():
        return False
    try:
        cache.set(key, value, timeout=timeout)
    except REDIS_ERRORS as error:
        note_redis_failure("cache write", error)
        return False
    return True


# --- the task outbox --------------------------------------------------------------------


def enqueue_after_commit(task, *args) -> TaskOutbox:
    """Get ``task(*args)`` run by a worker: recorded now, in the current transaction,
    handed to the broker after the commit. Never raises for Redis; the arguments must be
    JSON (ids, not objects)."""
    row = TaskOutbox.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: hand_over([row.pk]), robust=True)
    return row


def enqueue(task, *args) -> TaskOutbox:
    """Outside any transaction (after a commit): record and hand over at once."""
    with transaction.atomic():
        return enqueue_after_commit(task, *args)


def _connection():
    timeout = settings.REDIS_TIMEOUT
    return app.connection_for_write(
        connect_timeout=timeout,
        transport_options={
            **(app.conf.broker_transport_options or {}),
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            "max_retries": 0,
        },
    )


def _publish(connection, row) -> None:
    app.send_task(
        row.task,
        args=row.args,
        task_id=str(row.uuid),
        headers={OUTBOX_HEADER: row.pk},
        connection=connection,
        retry=False,
        ignore_result=True,  # no result subscription: one Redis round trip per task
    )


def _publishable(queryset, limit):
    return list(queryset.select_for_update(skip_locked=True).order_by("id")[:limit])


def _hand_over_rows(queryset, limit=BATCH) -> tuple[int, bool]:
    """Publish what ``queryset`` selects (rows another process holds are skipped);
    returns (rows handed over, whether Redis answered)."""
    handed, ok = [], True
    with transaction.atomic():
        rows = _publishable(queryset, limit)
        if not rows:
            return 0, True
        try:
            with _connection() as connection:
                for row in rows:
                    _publish(connection, row)
                    handed.append(row.pk)
        except REDIS_ERRORS as error:
            ok = False
            note_redis_failure("hand-over", error)
            failed = rows[len(handed)]
            TaskOutbox.objects.filter(pk=failed.pk).update(
                attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
        if handed:
            TaskOutbox.objects.filter(pk__in=handed).update(
                handed_over_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
    return len(handed), ok


def _backlog():
    # A row of a request still between its commit and its own hand-over may be taken
    # here: harmless, rows are claimed under SKIP LOCKED and re-read once locked.
    return TaskOutbox.objects.filter(handed_over_at__isnull=True, done_at__isnull=True)


def hand_over(ids) -> int:
    """After a commit: publish the rows ``ids`` and, if Redis answered and a backlog is
    waiting, up to :data:`BATCH` rows of it. Logs and swallows every failure: the write
    has committed, and what was not handed over waits in the table."""
    if redis_suspect():
        return 0
    try:
        handed, ok = _hand_over_rows(TaskOutbox.objects.filter(pk__in=ids, handed_over_at=None))
        if ok and _backlog().exists():
            more, _ok = _hand_over_rows(_backlog())
            handed += more
            logger.info("task outbox: %s waiting rows handed over", more)
        return handed
    except DatabaseError:
        logger.exception("task outbox: hand-over failed")
        return 0


def drain() -> int:
    """Hand over everything waiting: the backlog, and rows whose message was lost (handed
    over ``LOST_AFTER`` ago, never run). Deletes done rows older than ``KEEP_DONE``.
    Returns the number of rows handed over. Run by the worker at start and by beat."""
    now = timezone.now()
    TaskOutbox.objects.filter(done_at__lt=now - KEEP_DONE).delete()
    total = 0
    for queryset in (
        TaskOutbox.objects.filter(handed_over_at__isnull=True, done_at__isnull=True),
        TaskOutbox.objects.filter(
            done_at__isnull=True,
            handed_over_at__lt=now - LOST_AFTER,
            attempts__lt=MAX_ATTEMPTS,
        ),
    ):
        while True:
            handed, ok = _hand_over_rows(queryset)
            total += handed
            if not ok or handed < BATCH:
                break
    if total:
        logger.info("task outbox: %s rows handed over", total)
    return total


@shared_task
def drain_task_outbox() -> int:
    """Beat's per-minute sweep of the task outbox (see :func:`drain`)."""
    return drain()


# --- in the worker (portal.celery.OutboxTask) ---------------------------------------------


def already_run(row_id) -> bool:
    return TaskOutbox.objects.filter(pk=row_id, done_at__isnull=False).exists()


def mark_run(row_id, error: BaseException | None = None) -> None:
    TaskOutbox.objects.filter(pk=row_id, done_at__isnull=True).update(
        done_at=timezone.now(),
        last_error=f"{type(error).__name__}: {error}"[:2000] if error else "",
    )
