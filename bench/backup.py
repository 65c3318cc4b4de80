"""How long a backup and a restore take: ``.venv/bin/python bench/backup.py [--quick]
[demo] [year]``.

* **demo** — the demo data ``./samvirke run`` loads (structure, accounts, incidents,
  rounds, library, hearings, lessons, resources, mutual aid) in a database of its own;
* **year** — the national year of :mod:`bench.reporting` (357 municipalities × 365 daily
  rounds, about 130,000 submissions with their revisions and history, a thousand
  incidents) in a database of its own; ``--quick`` builds two weeks instead.

For each: ``portal.backup.create_backup`` (the dump, the row counts and checksums in the
same snapshot, the archive) into a temporary directory, then
``portal.backup.restore_backup`` into a fresh empty database (pg_restore in one
transaction, then every table checked against the manifest). Prints the times, the
archive's size and the database's size. Every database is dropped at the end; the
development database is never touched. Run it alone: it is CPU- and disk-bound.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import override_settings  # noqa: E402

from bench import reporting  # noqa: E402
from bench.owndb import OwnDatabase  # noqa: E402
from portal import backup  # noqa: E402

DEMO_COMMANDS = (
    "load_structure", "load_demo", "load_demo_incidents", "load_report_forms",
    "load_demo_rounds", "load_demo_library", "load_demo_hearings", "load_demo_lessons",
    "load_demo_resources", "load_demo_aid",
)  # fmt: skip
RESTORE_DB = "bench_samvirke_backup_restore"


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _mib(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MiB"


def _admin():
    s = connection.settings_dict
    return psycopg.connect(
        dbname="postgres", host=s["HOST"] or None, port=s["PORT"] or None,
        user=s["USER"] or None, password=s["PASSWORD"] or None, autocommit=True,
    )  # fmt: skip


def round_trip(label: str) -> list[str]:
    """Back up the connection's database, restore it into an empty one, report."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        db_size = cursor.fetchone()[0]
    source_name = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory(prefix="samvirke-bench-backup-") as work:
        work = Path(work)
        with override_settings(MEDIA_ROOT=work / "media"):
            began = time.perf_counter()
            path, manifest = backup.create_backup(
                work / "backup.tar", connection=connection, media_root=work / "media"
            )
            backup_s = time.perf_counter() - began
        rows = sum(t["rows"] for t in manifest["tables"].values())
        biggest = sorted(manifest["tables"].items(), key=lambda kv: -kv[1]["rows"])[:3]
        archive = path.stat().st_size
        connections.close_all()
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{RESTORE_DB}"')
        connection.settings_dict["NAME"] = RESTORE_DB
        try:
            began = time.perf_counter()
            report = backup.restore_backup(
                path, connection=connection, media_root=work / "restored-media"
            )
            restore_s = time.perf_counter() - began
        finally:
            connections.close_all()
            connection.settings_dict["NAME"] = source_name
            with _admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}" WITH (FORCE)')
    s = manifest["seconds"]
    r = report.seconds
    largest = ", ".join(f"{t} {_n(f['rows'])}" for t, f in biggest)
    return [
        f"{label}: {len(manifest['tables'])} tables, {_n(rows)} rows (largest: {largest}); "
        f"database {_mib(db_size)}, archive {_mib(archive)}",
        f"  backup  {backup_s:6.1f} s  (pg_dump {s['dump']:.1f} s, counts and checksums "
        f"{s['count']:.1f} s, archive {s['files']:.1f} s)",
        f"  restore {restore_s:6.1f} s  (verify {r['verify']:.1f} s, pg_restore "
        f"{r['restore']:.1f} s, files {r['files']:.1f} s, check {r['check']:.1f} s)",
    ]


def bench_demo() -> list[str]:
    database = OwnDatabase("bench_samvirke_backup_demo", DEMO_COMMANDS)
    try:
        notes = database.enter()
        return notes + round_trip("demo")
    finally:
        connections.close_all()
        database.cleanup()


def bench_year(quick: bool) -> list[str]:
    if quick:
        reporting.SIZE = reporting.QUICK
    year = reporting.Year()
    try:
        year.ensure()
        label = "national year" if not quick else "two weeks (--quick)"
        return year.notes + round_trip(label)
    finally:
        connections.close_all()
        reporting.cleanup()


def main(args) -> int:
    quick = "--quick" in args
    names = [a for a in args if not a.startswith("--")] or ["demo", "year"]
    lines = []
    if "demo" in names:
        lines += bench_demo()
        print("\n".join(lines), flush=True)
    if "year" in names:
        more = bench_year(quick)
        print("\n".join(more), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
