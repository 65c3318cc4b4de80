"""The demo lessons and exercise (``load_demo_lessons``): loaded through the actions,
shared as described, idempotent."""

import io

import pytest
from django.core.management import call_command
from pghistory.models import Events

from incidents.lessons.models import Exercise, Lesson, LessonShare
from tests.personas import user

pytestmark = pytest.mark.django_db


def test_demo_lessons_load_once_and_read_like_the_evaluations():
    call_command("load_demo_lessons", stdout=io.StringIO())
    lessons = Lesson.objects.all()
    counts = (lessons.count(), LessonShare.objects.count(), Exercise.objects.count())
    assert counts[0] >= 14
    assert {lesson.owner.slug for lesson in lessons} >= {
        "kommune-4601",
        "kommune-1103",
        "kommune-3301",
    }
    assert len(set(lessons.values_list("status", flat=True))) == 4
    assert lessons.filter(title__icontains="smittevernutstyr").exists()
    exercise = Exercise.objects.get(title__startswith="Øvelse Vestland 2026")
    assert exercise.status == "held" and exercise.participants.count() >= 3
    assert exercise.lessons.count() == 2
    verified = lessons.get(title__startswith="Storbynettverket ga rask")
    statuses = [e.pgh_data["status"] for e in Events.objects.tracks(verified).order_by("pgh_id")]
    assert statuses == ["identified", "measure_decided", "implemented", "verified"]
    # shared with SNB: Trondheim (an SNB member without lessons of its own) sees them
    seen = Lesson.objects.visible_to(user("snb_coordinator"))
    assert seen.filter(owner__slug="kommune-4601").exists()
    assert not seen.filter(title="Lager og fordeling av sandsekker").exists()  # private

    out = io.StringIO()
    call_command("load_demo_lessons", stdout=out)
    assert (Lesson.objects.count(), LessonShare.objects.count(), Exercise.objects.count()) == counts
    assert "created" not in out.getvalue()
