"""Every write of action cards in use (tiltakskort): one transaction each, attributable
(pghistory context). Views, the API and the demo command call these.

An action card is a library document of kind ``action_card``: it carries its steps in
each version's ``checklist``; saving new steps makes a new version (``do_new_version`` of
the library, with its version-conflict check); applying a version to an incident creates
one task per step there and one log entry.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.log import actions as incident_actions
from incidents.log.models import EntryKind, Incident, Task
from networks.library.actions import do_new_version
from networks.library.models import Document, DocumentKind
from networks.library.rules import writes_for
from portal.history import history_context

STEP_TITLE_MAX = 200
STEP_ROLE_MAX = 100
#: A step's time frame: at most four weeks.
STEP_MAX_MINUTES = 4 * 7 * 24 * 60


def _positive_minutes(value, unit="minutes"):
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    if number != number or number <= 0:  # NaN or not positive
        return None
    minutes = number * 60 if unit == "hours" else number
    if minutes < 1 or minutes > STEP_MAX_MINUTES or minutes != int(minutes):
        return None
    return int(minutes)


TIME_FRAME = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(min|minutes?|minutter|m|t|h|hours?|timer?)?\.?\s*$", re.I
)


def parse_time_frame(text) -> int | None:
    """Minutes from a stored time frame: ``"90 min"``, ``"2 t"``, ``"2 h"``, ``"45"``."""
    match = TIME_FRAME.match(str(text or ""))
    if not match:
        return None
    unit = (match.group(2) or "min").lower()
    return _positive_minutes(match.group(1), "hours" if unit[0] in "th" else "minutes")


def clean_checklist(steps) -> list[dict]:
    """Check and normalise an action card's steps: at least one; each with a title
    (required), a role and a time frame, a positive whole number of minutes
    (``time_frame_minutes``; ``time_frame_hours`` is accepted instead). Raises
    ``ValidationError({"checklist": …})`` with one message per bad step.

    Stored as the library keeps steps (``networks.library.actions.check_checklist``:
    ``title``, ``role``, ``time_frame`` as text), the time frame as ``"<minutes> min"``,
    which :func:`card_steps` reads back."""
    if not isinstance(steps, list | tuple) or not steps:
        raise ValidationError({"checklist": [_("An action card needs at least one step.")]})
    cleaned, errors = [], []
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            errors.append(_("Step %(n)d: not a step.") % {"n": number})
            continue
        title = str(step.get("title") or "").strip()
        role = str(step.get("role") or "").strip()
        if step.get("time_frame_minutes") not in (None, ""):
            minutes = _positive_minutes(step.get("time_frame_minutes"))
        elif step.get("time_frame_hours") not in (None, ""):
            minutes = _positive_minutes(step.get("time_frame_hours"), "hours")
        else:
            minutes = None
        if not title:
            errors.append(_("Step %(n)d: give the step a title.") % {"n": number})
        elif len(title) > STEP_TITLE_MAX:
            errors.append(
                _("Step %(n)d: the title is at most %(max)d characters.")
                % {"n": number, "max": STEP_TITLE_MAX}
            )
        if len(role) > STEP_ROLE_MAX:
            errors.append(
                _("Step %(n)d: the role is at most %(max)d characters.")
                % {"n": number, "max": STEP_ROLE_MAX}
            )
        if minutes is None:
            errors.append(
                _(
                    "Step %(n)d: the time frame must be a positive whole number of minutes "
                    "(at most four weeks)."
                )
                % {"n": number}
            )
        cleaned.append({"title": title, "role": role, "time_frame": f"{minutes} min"})
    if errors:
        raise ValidationError({"checklist": errors})
    return cleaned


def card_steps(version) -> list[dict]:
    """A version's steps with the time frame in minutes (``time_frame_minutes``)."""
    steps = []
    for step in version.checklist or []:
        if not isinstance(step, dict):
            continue
        minutes = step.get("time_frame_minutes")
        if minutes is None and step.get("time_frame_hours") is not None:
            minutes = _positive_minutes(step.get("time_frame_hours"), "hours")
        if minutes is None:
            minutes = parse_time_frame(step.get("time_frame"))
        steps.append(
            {
                "title": str(step.get("title") or ""),
                "role": str(step.get("role") or ""),
                "time_frame_minutes": minutes,
                "description": str(step.get("description") or ""),
            }
        )
    return steps


def _require_card(document):
    if document.kind != DocumentKind.ACTION_CARD:
        raise ValidationError(_("Only an action card has steps."))


def do_save_checklist(document, *, acting_user, steps, change_note="", expected_number=None):
    """Save new steps for an action card: a new version (the library's
    ``do_new_version``) with the latest version's title, text and file and the new
    checklist. ``expected_number``: the version the user started from (a conflict is
    refused by ``do_new_version``)."""
    _require_card(document)
    if not writes_for(acting_user, document.owner_id):
        raise PermissionDenied
    checklist = clean_checklist(steps)
    latest = document.versions.order_by("-number").first()
    return do_new_version(
        document,
        acting_user=acting_user,
        title=latest.title if latest else document.title,
        body=latest.body if latest else document.body,
        checklist=checklist,
        change_note=(change_note or "").strip()[:300] or _("Steps changed"),
        expected_number=expected_number,
    )


def applied_task_count(version, incident) -> int:
    return Task.objects.filter(incident=incident, card_version=version).count()


def format_minutes(minutes) -> str:
    if not minutes:
        return "—"
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return _("%(n)d d") % {"n": days}
    if minutes % 60 == 0:
        return _("%(n)d h") % {"n": minutes // 60}
    if minutes > 60:
        return _("%(h)d h %(m)d min") % {"h": minutes // 60, "m": minutes % 60}
    return _("%(n)d min") % {"n": minutes}


def do_apply_card(version, incident, *, acting_user):
    """Apply an action card's version to an incident the user writes to: one task per
    step (assigned to the incident's owner, the step's role first in the description, due
    now + the step's time frame, linked to the card version and step) and one log entry
    saying the card was applied — all in one transaction. The same version applied twice
    to the same incident is refused (a double click must not double the tasks); a newer
    version of the card may be applied."""
    _require_card(version.document)
    if not Document.objects.visible_to(acting_user).filter(pk=version.document_id).exists():
        raise PermissionDenied
    with transaction.atomic(), history_context(acting_user, "action_card.apply"):
        # Locked: two applications of the same card to the same incident do not cross.
        incident = (
            Incident.objects.editable_by(acting_user)
            .select_for_update(of=("self",))
            .select_related("owner")
            .filter(pk=incident.pk)
            .first()
        )
        if incident is None:
            raise ValidationError({"incident": [_("Choose an incident you may write to.")]})
        steps = card_steps(version)
        if not steps:
            raise ValidationError(_("The action card has no steps to apply."))
        if Task.objects.filter(incident=incident, card_version=version).exists():
            raise ValidationError(
                {
                    "incident": [
                        _(
                            "Version %(number)s of this action card has already been applied "
                            "to %(incident)s."
                        )
                        % {"number": version.number, "incident": incident.title}
                    ]
                }
            )
        now = timezone.now()
        tasks = []
        for number, step in enumerate(steps, start=1):
            description = step["description"]
            if step["role"]:
                description = _("Responsible: %(role)s") % {"role": step["role"]} + (
                    f"\n\n{description}" if description else ""
                )
            minutes = step["time_frame_minutes"]
            tasks.append(
                incident_actions.do_create_task(
                    incident,
                    acting_user=acting_user,
                    title=step["title"][:200] or _("Step %(n)d") % {"n": number},
                    description=description,
                    assignee_organisation=incident.owner,
                    due_at=now + timedelta(minutes=minutes) if minutes else None,
                    card_version=version,
                    card_step=number,
                )
            )
        lines = "\n".join(
            f"{n}. {s['title']}" + (f" ({s['role']})" if s["role"] else "")
            for n, s in enumerate(steps, start=1)
        )
        incident_actions.do_write_entry(
            incident,
            acting_user=acting_user,
            kind=EntryKind.ACTION,
            text=_(
                "Action card “%(title)s” (version %(number)s, %(owner)s) applied: "
                "%(count)d tasks created."
            )
            % {
                "title": version.title,
                "number": version.number,
                "owner": version.document.owner.name,
                "count": len(tasks),
            }
            + "\n\n"
            + lines,
        )
        return tasks
