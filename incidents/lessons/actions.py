"""Every write to lessons learned (læringspunkter), their shares and exercises (øvelser):
one transaction each, attributable (pghistory context: who and what), all checks before
anything is saved. Views, the API and the demo command call these.

Who writes is decided in :mod:`incidents.lessons.rules` (``lesson_writer_org_ids``). A
linked incident, exercise or evaluation document must be one the acting user may see
(``visible_to``), or the write is refused with a message on that field.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incidents.lessons.models import (
    Exercise,
    ExerciseStatus,
    Lesson,
    LessonShare,
    LessonSource,
    LessonStatus,
)
from incidents.lessons.rules import lesson_writer_org_ids
from incidents.log.models import Incident
from networks.library.models import Document
from portal.history import history_context
from portal.models import RoleAssignment
from portal.validators import control_character_errors

#: What may change on a lesson through :func:`do_update_lesson` (never its owner).
LESSON_FIELDS = (
    "title",
    "what_happened",
    "what_worked",
    "what_failed",
    "recommendation",
    "area",
    "source",
    "incident",
    "exercise",
    "evaluation",
    "status",
    "responsible",
    "responsible_role",
)
EXERCISE_FIELDS = ("title", "scenario", "description", "status", "planned_for", "held_on")

#: The follow-up in order: identified → measure decided → implemented → verified.
STATUS_ORDER = [
    LessonStatus.IDENTIFIED,
    LessonStatus.MEASURE_DECIDED,
    LessonStatus.IMPLEMENTED,
    LessonStatus.VERIFIED,
]


def _require_writer_org(owner, user):
    if owner is None or owner.pk not in lesson_writer_org_ids(user):
        raise PermissionDenied


def allowed_statuses(current) -> list[str]:
    """A lesson's follow-up moves one step forward, or back to any earlier step (a
    measure that did not work is decided again)."""
    index = STATUS_ORDER.index(LessonStatus(current))
    return [s.value for s in STATUS_ORDER[: index + 2] if s != current]


def _check_links(lesson: Lesson, acting_user) -> dict:
    """The source's links: only what the acting user may see, and the one the source
    names must be there."""
    errors: dict[str, list] = {}
    unseen = _("You cannot link to something you cannot see.")
    if (
        lesson.incident_id
        and not Incident.objects.visible_to(acting_user).filter(pk=lesson.incident_id).exists()
    ):
        errors["incident"] = [unseen]
    if (
        lesson.exercise_id
        and not Exercise.objects.visible_to(acting_user).filter(pk=lesson.exercise_id).exists()
    ):
        errors["exercise"] = [unseen]
    if (
        lesson.evaluation_id
        and not Document.objects.visible_to(acting_user).filter(pk=lesson.evaluation_id).exists()
    ):
        errors["evaluation"] = [unseen]
    needed: dict[str, tuple[str, str]] = {
        LessonSource.INCIDENT: ("incident", _("Choose the incident the lesson comes from.")),
        LessonSource.EXERCISE: ("exercise", _("Choose the exercise the lesson comes from.")),
        LessonSource.EVALUATION: (
            "evaluation",
            _("Choose the evaluation document the lesson comes from."),
        ),
    }
    if lesson.source in needed:
        field, message = needed[lesson.source]
        if not getattr(lesson, f"{field}_id") and field not in errors:
            errors[field] = [message]
    return errors


def _check_responsible(lesson: Lesson) -> dict:
    """The person responsible for the follow-up works in the owner organisation."""
    if (
        lesson.responsible_id
        and not RoleAssignment.objects.filter(
            user_id=lesson.responsible_id, organisation_id=lesson.owner_id
        ).exists()
    ):
        return {
            "responsible": [
                _("The person responsible must work in %(owner)s.") % {"owner": lesson.owner}
            ]
        }
    return {}


def _validate_lesson(lesson: Lesson, acting_user):
    errors = {}
    for name in ("title", "what_happened", "recommendation"):
        setattr(lesson, name, (getattr(lesson, name) or "").strip())
    try:
        lesson.full_clean(exclude=["search", "created_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for field, messages in {
        **_check_links(lesson, acting_user),
        **_check_responsible(lesson),
        **control_character_errors(title=lesson.title),
    }.items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def do_create_lesson(*, owner, acting_user, **fields) -> Lesson:
    """A new lesson owned by ``owner`` (an organisation the acting user writes for),
    private to it until shared."""
    unknown = set(fields) - set(LESSON_FIELDS)
    if unknown:
        raise ValueError(f"not a lesson field: {sorted(unknown)}")
    with transaction.atomic(), history_context(acting_user, "lesson.create"):
        _require_writer_org(owner, acting_user)
        lesson = Lesson(owner=owner, created_by=acting_user, **fields)
        _validate_lesson(lesson, acting_user)
        lesson.save()
        return lesson


def do_update_lesson(lesson: Lesson, *, acting_user, **changes) -> Lesson:
    """Change a lesson's text, area, source or follow-up. pghistory keeps every earlier
    version with who changed it; a status change is checked against the follow-up order
    (:func:`allowed_statuses`)."""
    unknown = set(changes) - set(LESSON_FIELDS)
    if unknown:
        raise ValueError(f"not a lesson field: {sorted(unknown)}")
    action = "lesson.status" if set(changes) == {"status"} else "lesson.update"
    with transaction.atomic(), history_context(acting_user, action):
        lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
        _require_writer_org(lesson.owner, acting_user)
        new_status = changes.get("status", lesson.status)
        if new_status != lesson.status and new_status not in allowed_statuses(lesson.status):
            valid = dict(LessonStatus.choices)
            raise ValidationError(
                {
                    "status": _("The follow-up cannot go from %(old)s to %(new)s.")
                    % {
                        "old": lesson.get_status_display(),
                        "new": valid.get(new_status, new_status),
                    }
                }
            )
        for key, value in changes.items():
            setattr(lesson, key, value)
        _validate_lesson(lesson, acting_user)
        lesson.save()
        return lesson


def do_set_lesson_status(lesson: Lesson, status, *, acting_user) -> Lesson:
    return do_update_lesson(lesson, acting_user=acting_user, status=status)


def do_share_lesson(
    lesson: Lesson, *, acting_user, organisation=None, network=None, office=None, everyone=False
) -> LessonShare:
    """Open a lesson to one audience: a named organisation, a network's current members,
    a region (an office and its municipalities) or everyone in Samvirke. Sharing adds a
    row (the same audience twice is the same share); the owner's State Administrator
    office sees whatever is shared with anyone."""
    chosen = [a for a in (organisation, network, office) if a is not None] + (
        [True] if everyone else []
    )
    if len(chosen) != 1:
        raise ValidationError(
            _("Choose one audience: an organisation, a network, a region or everyone.")
        )
    if organisation is not None and organisation.pk == lesson.owner_id:
        raise ValidationError({"organisation": _("The lesson already belongs to it.")})
    with transaction.atomic(), history_context(acting_user, "lesson.share"):
        _require_writer_org(lesson.owner, acting_user)
        share, _created = LessonShare.objects.get_or_create(
            lesson=lesson,
            organisation=organisation,
            network=network,
            office=office,
            everyone=bool(everyone),
            defaults={"created_by": acting_user},
        )
        return share


# --- exercises -------------------------------------------------------------------------


def _validate_exercise(exercise: Exercise, acting_user, evaluation_changed: bool):
    exercise.title = (exercise.title or "").strip()
    errors = {}
    try:
        exercise.full_clean(exclude=["created_by", "participants"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if exercise.status == ExerciseStatus.HELD and not exercise.held_on:
        errors.setdefault("held_on", []).append(_("Give the date the exercise was held."))
    if (
        evaluation_changed
        and exercise.evaluation_id
        and not Document.objects.visible_to(acting_user).filter(pk=exercise.evaluation_id).exists()
    ):
        errors.setdefault("evaluation", []).append(
            _("You cannot link to something you cannot see.")
        )
    if errors:
        raise ValidationError(errors)


def do_create_exercise(
    *, owner, acting_user, participants=(), evaluation=None, **fields
) -> Exercise:
    """A planned (or already held) exercise organised by ``owner``, with the
    organisations taking part. It is seen by the organiser, the participants and the
    organiser's State Administrator office."""
    unknown = set(fields) - set(EXERCISE_FIELDS)
    if unknown:
        raise ValueError(f"not an exercise field: {sorted(unknown)}")
    with transaction.atomic(), history_context(acting_user, "exercise.create"):
        _require_writer_org(owner, acting_user)
        exercise = Exercise(owner=owner, created_by=acting_user, evaluation=evaluation, **fields)
        _validate_exercise(exercise, acting_user, evaluation_changed=True)
        exercise.save()
        exercise.participants.set([p for p in participants if p.pk != owner.pk])
        return exercise


def do_update_exercise(
    exercise: Exercise, *, acting_user, participants=None, **changes
) -> Exercise:
    """Change an exercise: mark it held (with the date), link its evaluation document,
    change who takes part."""
    unknown = set(changes) - {*EXERCISE_FIELDS, "evaluation"}
    if unknown:
        raise ValueError(f"not an exercise field: {sorted(unknown)}")
    with transaction.atomic(), history_context(acting_user, "exercise.update"):
        exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
        _require_writer_org(exercise.owner, acting_user)
        before = exercise.evaluation_id
        for key, value in changes.items():
            setattr(exercise, key, value)
        _validate_exercise(
            exercise, acting_user, evaluation_changed=exercise.evaluation_id != before
        )
        exercise.save()
        if participants is not None:
            exercise.participants.set([p for p in participants if p.pk != exercise.owner_id])
        return exercise
