"""The reporting benchmarks (``bench/reporting.py``) at a tiny size, so they cannot rot:
the year is built with the same SQL, and each benchmark's set-up checks that the portal
and its raw SQL return the same facts. No timing here (figures belong in issue notes)."""

import pytest
from django.db import connection

from bench import reporting

pytestmark = pytest.mark.django_db


def test_the_reporting_benchmarks_build_and_agree_at_a_tiny_size():
    year = reporting.Year(municipalities=5, days=3, own_database=False)
    benches = [cls(year) for cls in (reporting.NationalDashboard, reporting.NationalAggregates,
                                     reporting.KsYearlySummary)]  # fmt: skip
    for bench in benches:
        bench.setup()  # asserts that the portal and the raw SQL agree
        if not bench.available:
            continue
        assert bench.portal()
        with connection.cursor() as cursor:
            assert bench.raw(cursor.cursor)
    assert year.round.submissions.count() == 5
    assert year.round.submissions.filter(status="submitted").exists()
    assert any("5 municipalities × 3 days" in note for b in benches for note in b.notes)
