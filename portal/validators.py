"""Checks shared by every app's actions.

Text that becomes a notification title reaches an e-mail header (the subject). A line
break there ends the header (header injection) and makes the e-mail library refuse the
whole message; other control characters (NUL, ESC …) garble the subject. So a title or
name that a notification carries is refused at the action when it holds one, with a
message the user can act on, and :func:`strip_control_characters` cleans what is
written anyway (text composed by the portal, rows written before the check existed).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Control characters (Unicode category Cc: C0, DEL, C1) and the Unicode line and
#: paragraph separators, which ``str.splitlines`` and some mail clients treat as breaks.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def has_control_characters(value) -> bool:
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


def strip_control_characters(value: str) -> str:
    """``value`` on one line: every run of control characters becomes one space."""
    return CONTROL_CHARACTERS.sub(" ", str(value or "")).strip()


def control_character_errors(**fields) -> dict[str, list[str]]:
    """The errors :func:`reject_control_characters` would raise, for an action that
    gathers all its field errors before raising them together."""
    return {
        name: [
            _(
                "The text cannot contain line breaks, tabs or other control characters. "
                "Write it on one line."
            )
        ]
        for name, value in fields.items()
        if has_control_characters(value)
    }


def reject_control_characters(**fields) -> None:
    """Raise a ``ValidationError`` naming each of ``fields`` (field name → value) whose
    value holds a line break or another control character. Actions call it before they
    write; forms and the API show the error on the field."""
    errors = control_character_errors(**fields)
    if errors:
        raise ValidationError(errors)
