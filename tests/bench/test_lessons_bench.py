"""The lessons benchmarks (``bench/lessons.py``) at a tiny size, so they cannot rot: the
corpus is built with the same SQL, and each benchmark's set-up checks that the portal and
its raw SQL return the same rows. No timing here (figures belong in issue notes)."""

import pytest
from django.db import connection

from bench import lessons

pytestmark = pytest.mark.django_db


def test_the_lessons_benchmarks_build_and_agree_at_a_tiny_size():
    corpus = lessons.Corpus(size=400, own_database=False)
    benches = [lessons.LessonSearch(corpus), lessons.SimilarLessons(corpus)]
    for bench in benches:
        bench.setup()  # asserts that the portal and the raw SQL agree
        assert bench.portal()
        with connection.cursor() as cursor:
            assert bench.raw(cursor.cursor)
    from incidents.lessons.models import Lesson, LessonShare

    assert Lesson.objects.filter(created_by=corpus.user).count() == 400
    assert LessonShare.objects.filter(lesson__created_by=corpus.user, everyone=True).exists()
    assert any("hits the bench user may see" in note for b in benches for note in b.notes)
    assert '"count": 0' not in benches[0].portal()
