"""Benchmark runner: ``.venv/bin/python bench/run.py [name …]``.

Each benchmark times a Samvirke endpoint in process (the full middleware stack, the access
layer, serialisation) against the raw SQL it replaces, run through psycopg on the same
database, and prints the ratio. Runs against the development database (embedded unless
DATABASE_URL is set) after ``load_structure``; it creates one throw-away bench user. The
crisis-log benchmarks (:mod:`bench.log`) also create, on their first run, a bench incident
with 100,000 log entries, kept and reused (the log is append-only). Notes (the fill time,
EXPLAIN ANALYZE of the search) follow the table. Select benchmarks by name or class name
(``logpage``, ``logsearch``). Figures go in issue notes, never in timed tests.

The reporting benchmarks (:mod:`bench.reporting`: the national dashboard, the national
aggregates and the KS yearly summary over a national year of 130,000 submissions) run in
a database of their own, built at the start and dropped at the end; ``--quick`` builds
two weeks instead of a year (a smoke run).

The resource search (:mod:`bench.resources`: 50,000 resources, filters and nearness)
builds its resources in a database of its own too, dropped at the end; ``--quick``
builds 5,000.

The lessons-learned benchmarks (:mod:`bench.lessons`: Norwegian full-text search and
"similar lessons" over 20,000 lessons) also build their corpus in a database of their own,
dropped at the end; ``--quick`` builds 2,000 lessons.

The read-receipt overview (:mod:`bench.information`: a message to all 357
municipalities, 180 of them read) runs in the development database, its message made
once and reused.

The start page «Nå» (:mod:`bench.start`) runs in the development database with the demo
data ``./samvirke run`` loads, for four demo users; its goal is absolute (≤ 40 ms for
Bergen's emergency manager), beside the same SQL replayed raw.
"""

import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# the development database and embedded servers (settings alone default to production)
os.environ.setdefault("SAMVIRKE_ENV", "development")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DJANGO_DEBUG", "0")  # no query log: measure what production runs

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import benchmarks, lessons, log, reporting  # noqa: E402
from bench import information as information_bench  # noqa: E402
from bench import library as library_bench  # noqa: E402
from bench import resources as resource_bench  # noqa: E402
from bench import start as start_bench  # noqa: E402

ALL = benchmarks.ALL + log.ALL + reporting.ALL + lessons.ALL
ALL += resource_bench.ALL
ALL += library_bench.ALL
ALL += information_bench.ALL
ALL += start_bench.ALL


def timeit(fn, *, repeat, warmup=3):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(args):
    from networks.structure.models import Municipality

    names = [a for a in args if not a.startswith("--")]
    if "--quick" in args:
        resource_bench.SIZE = 5_000
        reporting.SIZE = reporting.QUICK
        lessons.SIZE = lessons.QUICK
        library_bench.SIZE = library_bench.QUICK
    if Municipality.objects.count() != 357:
        call_command("load_structure", verbosity=0)
    selected = [b for b in ALL if not names or b.name in names or type(b).__name__.lower() in names]
    try:
        return run(selected)
    finally:
        library_bench.cleanup()  # entered last of the own databases: dropped first
        resource_bench.cleanup()  # then in the reverse order of entering
        lessons.cleanup()  # its own database (entered after the reporting one, if both)
        reporting.cleanup()  # drops the reporting benchmarks' own database, if made


def run(selected):
    print(f"{'benchmark':40} {'samvirke':>10} {'raw SQL':>10} {'ratio':>7}  goal")
    failed = False
    for bench in selected:
        bench.setup()
        if not getattr(bench, "available", True):
            continue  # its notes say why
        ours = timeit(bench.portal, repeat=bench.repeat)
        with connection.cursor() as cursor:
            raw_cursor = cursor.cursor  # psycopg cursor, no Django in between
            raw = timeit(partial(bench.raw, raw_cursor), repeat=bench.repeat)
        ratio = ours / raw
        goal = f"≤ {bench.goal}×" if bench.goal else ""
        mark = "" if not bench.goal or ratio <= bench.goal else "  MISSED"
        limit = getattr(bench, "limit_ms", None)  # an absolute goal (bench.start)
        if limit:
            goal = f"≤ {limit:g} ms"
            mark = "" if ours * 1000 <= limit else "  MISSED"
        failed |= bool(mark)
        print(
            f"{bench.name:40} {ours * 1000:8.2f}ms {raw * 1000:8.2f}ms {ratio:6.2f}×  {goal}{mark}"
        )
    notes = [(b.name, n) for b in selected for n in getattr(b, "notes", [])]
    if notes:
        print()
        for name, note in notes:
            print(f"{name}: {note}" if not note.startswith(" ") else note)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
