"""Who may write lessons learned and exercises (used by views, API permissions, actions
and templates: ``perms.incidents.write_lesson``).

Who writes: the owner organisation's emergency managers and crisis staff; for a State
Administrator office's lessons and exercises its officers; for a national body's its
national analysts (``portal.roles.LESSON_WRITER_ROLES``).
"""

import rules

from portal.access import org_ids_with
from portal.roles import LESSON_WRITER_ROLES


def lesson_writer_org_ids(user) -> frozenset[int]:
    """The organisations whose lessons and exercises the user may write."""
    return org_ids_with(user, LESSON_WRITER_ROLES)


def may_write_lesson(user, lesson) -> bool:
    return lesson is not None and lesson.owner_id in lesson_writer_org_ids(user)


def may_write_exercise(user, exercise) -> bool:
    return exercise is not None and exercise.owner_id in lesson_writer_org_ids(user)


@rules.predicate
def writes_lesson(user, lesson):
    return may_write_lesson(user, lesson)


@rules.predicate
def writes_exercise(user, exercise):
    return may_write_exercise(user, exercise)


@rules.predicate
def records_lessons(user):
    return bool(lesson_writer_org_ids(user))


rules.set_perm("incidents.write_lesson", writes_lesson)
rules.set_perm("incidents.share_lesson", writes_lesson)
rules.set_perm("incidents.write_exercise", writes_exercise)
rules.set_perm("incidents.record_lesson", records_lessons)
rules.set_perm("incidents.organise_exercise", records_lessons)
