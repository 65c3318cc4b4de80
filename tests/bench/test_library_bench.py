"""The library benchmark (``bench/library.py``) at a tiny size, so it cannot rot: the
corpus is built with the same SQL, and the set-up checks that the portal and its raw SQL
return the same rows. No timing here (figures belong in issue notes)."""

import pytest
from django.db import connection

from bench import library

pytestmark = pytest.mark.django_db


def test_the_library_benchmark_builds_and_agrees_at_a_tiny_size():
    corpus = library.Corpus(size=300, own_database=False)
    bench = library.DocumentSearch(corpus)
    bench.setup()  # asserts that the portal and the raw SQL agree
    assert bench.portal()
    with connection.cursor() as cursor:
        assert bench.raw(cursor.cursor)
    from networks.library.models import Document, DocumentShare

    assert Document.objects.filter(created_by=corpus.user).count() == 300
    assert DocumentShare.objects.filter(document__created_by=corpus.user, everyone=True).exists()
    assert any("hits the bench user may see" in note for note in bench.notes)
    assert '"count": 0' not in bench.portal()
