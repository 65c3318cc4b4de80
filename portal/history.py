"""What every write records, and the conflict a stale write meets.

Every ``do_*`` action runs inside :func:`history_context`, so the pghistory events of the
rows it touches name the acting user and the action. A write that started from an older
version than the one now stored raises :class:`VersionConflict`: nothing is saved, and
both faces answer the same way (a form error; API 412 with the current version).
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.core.exceptions import ValidationError


def history_context(user: Any, action: str) -> Any:
    """The pghistory context of one action by ``user`` (None for the system)."""
    return pghistory.context(user=user.pk if user is not None else None, action=action)


class VersionConflict(ValidationError):
    """Someone saved a newer version since the writer started from ``expected``. Nothing
    was saved; ``current_version`` is the version now stored and ``current`` (when the
    action has it) the object as it is now, for the caller to show."""

    def __init__(self, message: Any, *, current_version: int | None = None, current: Any = None):
        self.current_version = current_version
        self.current = current
        super().__init__(message, code="version_conflict")
