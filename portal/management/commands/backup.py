"""``manage.py backup [FILE]`` (``./samvirke backup``): one consistent backup of the
portal's database (embedded or DATABASE_URL) and its uploaded files, in one tar archive
with a manifest. See :mod:`portal.backup`.

FILE may be a file name or a directory (the archive is then named
``samvirke-<UTC time>.tar`` in it); without it, ``SAMVIRKE_BACKUP_DIR`` or ``backups/`` in
the project. ``--keep N`` then deletes all but the N newest ``samvirke-*.tar`` there.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.backup import BackupError, create_backup, prune


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


class Command(BaseCommand):
    help = "Write one consistent backup (database dump, uploaded files, manifest) to a tar file."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="the archive to write, or a directory to write it in "
            "(default: SAMVIRKE_BACKUP_DIR or backups/)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="afterwards, keep only the N newest samvirke-*.tar in the archive's directory",
        )

    def handle(self, *args, file=None, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1.")
        target = file or os.environ.get("SAMVIRKE_BACKUP_DIR") or settings.BASE_DIR / "backups"
        if file is None:
            Path(target).mkdir(parents=True, exist_ok=True)
        try:
            path, manifest = create_backup(
                target, connection=connection, media_root=Path(settings.MEDIA_ROOT)
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        tables = manifest["tables"]
        media = len(manifest["files"]) - 1
        seconds = manifest["seconds"]
        self.stdout.write(
            f"Backup written: {path} ({_size(path.stat().st_size)})\n"
            f"  database {manifest['database']['name']} (PostgreSQL "
            f"{manifest['database']['server_version']}): {len(tables)} tables, "
            f"{sum(t['rows'] for t in tables.values())} rows, "
            f"{len(manifest['migrations'])} migrations applied\n"
            f"  uploaded files: {media}\n"
            f"  {seconds['total']:.1f} s (dump {seconds['dump']:.1f} s, counts "
            f"{seconds['count']:.1f} s, archive {seconds['files']:.1f} s)"
        )
        if keep:
            for old in prune(path.parent, keep):
                self.stdout.write(f"  removed the older backup {old.name}")
