"""The resource search benchmark (``bench/resources.py``) at a tiny size, so it cannot rot:
the resources are built with the same SQL, and the set-up checks that the API and the raw
SQL return the same count and rows. No timing here (figures belong in issue notes)."""

import pytest
from django.db import connection

from bench import resources

pytestmark = pytest.mark.django_db


def test_the_resource_benchmark_builds_and_agrees_at_a_tiny_size():
    bench = resources.ResourceSearch(size=2_000, own_database=False)
    bench.setup()  # asserts that the API and the raw SQL agree
    assert bench.portal()
    with connection.cursor() as cursor:
        assert bench.raw(cursor.cursor)
    assert "found)" in bench.name and " 0 found" not in bench.name
    assert any("2 000 resources built" in note for note in bench.notes)
