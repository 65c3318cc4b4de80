"""``manage.py restore FILE [--force]`` (``./samvirke restore``): restore a backup made by
``manage.py backup`` into the portal's database (embedded or DATABASE_URL), which must be
empty, and put its uploaded files back. Every file is checked against the manifest's
SHA-256 before anything is touched, and every table's row count and checksum after.
See :mod:`portal.backup`.

Stop the web processes, the worker and beat first. ``--force`` restores into a database
that holds data: it drops the database's ``public`` schema (everything Samvirke has)
first, and overwrites uploaded files that differ from the backup's.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup (from manage.py backup) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup archive (samvirke-….tar)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even into a database that holds data: drop its public schema first "
            "and overwrite differing uploaded files",
        )

    def handle(self, *args, file, force=False, **options):
        try:
            report = restore_backup(
                Path(file),
                connection=connection,
                media_root=Path(settings.MEDIA_ROOT),
                force=force,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        seconds = report.seconds
        self.stdout.write(
            f"Restored {file} into the database {connection.settings_dict.get('NAME')!r}\n"
            f"  {report.tables} tables, {report.rows} rows: row counts and checksums match "
            "the manifest\n"
            f"  uploaded files: {report.files} put back, {report.files_unchanged} already there\n"
            f"  {seconds['total']:.1f} s (verify {seconds['verify']:.1f} s, pg_restore "
            f"{seconds['restore']:.1f} s, files {seconds['files']:.1f} s, check "
            f"{seconds['check']:.1f} s)"
        )
        if report.unapplied_migrations:
            self.stdout.write(
                f"  {len(report.unapplied_migrations)} migration(s) of this code are not in "
                "the backup: run `manage.py migrate` before starting the portal."
            )
