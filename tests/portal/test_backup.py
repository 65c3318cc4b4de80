"""Backup and restore (``manage.py backup`` / ``restore``, :mod:`portal.backup`) round-trip
the demo data through a real pg_dump and pg_restore.

The source is a database of its own on the test server: a copy of the session's test
database (migrated, with the reference data and the personas) with the demo incidents,
rounds, library, hearings, lessons, resources and mutual aid loaded on top, and log
entries with uploaded attachments. It is backed up, restored into a second, empty
database and a second MEDIA_ROOT, and every table is compared — its row count and a
checksum of its rows, computed here with ``COPY … TO STDOUT`` (not with the module's own
checksum) — and so is every uploaded file.
"""

import hashlib
import io
import json
import shutil
import tarfile
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import override_settings

from portal import backup

SOURCE = "test_samvirke_backup_source"
TARGET = "test_samvirke_backup_target"
DEMO = (
    "load_demo_incidents",
    "load_demo_rounds",
    "load_demo_library",
    "load_demo_hearings",
    "load_demo_lessons",
    "load_demo_resources",
    "load_demo_aid",
)
UPLOADS = {
    "vannstand.txt": "Målt vannstand 3,2 m ved Vikersund bru kl. 14.00".encode(),
    "kart.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
}


def _connect(dbname, **kwargs):
    """psycopg to database ``dbname`` on the test server, with Django's credentials."""
    s = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        **kwargs,
    )


def _admin():
    """A connection to the server's maintenance database (to create and drop databases)."""
    return _connect("postgres", autocommit=True)


def _drop(*names):
    with _admin() as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def use_database(name):
    """Point the default connection at database ``name`` for the block."""
    connections.close_all()
    before = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connections.close_all()
        connection.settings_dict["NAME"] = before


def table_digests(name) -> dict[str, tuple[int, str]]:
    """Every public table of database ``name``: (rows, sha256 of its sorted COPY lines)."""
    digests = {}
    with _connect(name) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        for table in names:
            with conn.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                lines = b"".join(bytes(chunk) for chunk in copy).splitlines()
            digests[table] = (len(lines), hashlib.sha256(b"\n".join(sorted(lines))).hexdigest())
    return digests


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def write_entries_with_attachments():
    from incidents.log.actions import do_write_entry
    from incidents.log.models import Incident

    incident = Incident.objects.filter(title__contains="Hans").select_related("owner").first()
    assert incident is not None, "the demo incidents hold Ekstremværet Hans"
    author = incident.created_by
    for name, content in UPLOADS.items():
        do_write_entry(
            incident,
            acting_user=author,
            kind="information",
            text=f"Vedlegg: {name}",
            attachments=[SimpleUploadedFile(name, content)],
        )


@pytest.fixture(scope="module")
def round_trip(django_db_setup, django_db_blocker, tmp_path_factory):
    """Source database with the demo, its backup, and the restore into an empty target."""
    root = tmp_path_factory.mktemp("backup")
    source_media, target_media = root / "media-source", root / "media-target"
    archive = root / "samvirke-test.tar"
    with django_db_blocker.unblock():
        template = connection.settings_dict["NAME"]
        connections.close_all()
        _drop(SOURCE, TARGET)
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{SOURCE}" TEMPLATE "{template}"')
            admin.execute(f'CREATE DATABASE "{TARGET}"')
        try:
            with use_database(SOURCE), override_settings(MEDIA_ROOT=source_media):
                for command in DEMO:
                    call_command(command, verbosity=0, stdout=io.StringIO())
                write_entries_with_attachments()
                call_command("backup", str(archive), stdout=io.StringIO())
            with use_database(TARGET), override_settings(MEDIA_ROOT=target_media):
                call_command("restore", str(archive), stdout=io.StringIO())
            yield {
                "archive": archive,
                "source_media": source_media,
                "target_media": target_media,
                "source": table_digests(SOURCE),
                "target": table_digests(TARGET),
                "root": root,
            }
        finally:
            connections.close_all()
            _drop(SOURCE, TARGET)


def test_restore_reproduces_every_table_and_every_uploaded_file(round_trip):
    source, target = round_trip["source"], round_trip["target"]
    assert set(target) == set(source)
    differ = [t for t in source if source[t] != target[t]]
    assert differ == []
    # The demo really is in it: log entries, submissions, history events, the attachments.
    for table in ("incidents_logentry", "incidents_attachment", "reporting_submission",
                  "networks_document", "portal_user"):  # fmt: skip
        assert source[table][0] > 0, table
    assert source["incidents_attachment"][0] >= len(UPLOADS)
    assert any(t.endswith("event") and n > 0 for t, (n, _) in source.items())
    source_files = files_under(round_trip["source_media"])
    assert sorted(Path(p).name for p in source_files) == sorted(UPLOADS)
    assert files_under(round_trip["target_media"]) == source_files


def test_the_restored_log_is_still_append_only(round_trip, django_db_blocker):
    """The pgtrigger guards came back with the schema (after the data)."""
    with (
        _connect(TARGET) as conn,
        pytest.raises(psycopg.errors.RaiseException, match="Cannot update"),
    ):
        conn.execute("UPDATE incidents_logentry SET text = 'endret' WHERE true")


def test_the_manifest_describes_the_archive(round_trip):
    with tarfile.open(round_trip["archive"]) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        members = {m.name: m for m in tar.getmembers()}
        for entry in manifest["files"]:
            data = tar.extractfile(members[entry["path"]]).read()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
    assert set(members) == {"manifest.json"} | {f["path"] for f in manifest["files"]}
    assert "database.dump" in members
    assert {t: f["rows"] for t, f in manifest["tables"].items()} == {
        t: rows for t, (rows, _) in round_trip["source"].items()
    }
    assert manifest["database"]["server_version_num"] == connection.pg_version
    assert ["incidents", "0001_initial"] in manifest["migrations"]
    revision = manifest["samvirke_revision"]
    assert revision is None or len(revision) == 40


def test_restore_refuses_a_database_that_holds_data(round_trip, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        before = table_digests(connection.settings_dict["NAME"])
        with (
            override_settings(MEDIA_ROOT=tmp_path),
            pytest.raises(CommandError, match="is not empty"),
        ):
            call_command("restore", str(round_trip["archive"]))
        assert table_digests(connection.settings_dict["NAME"]) == before


def test_restore_refuses_a_damaged_archive_and_touches_nothing(
    round_trip, django_db_blocker, tmp_path
):
    damaged = tmp_path / "damaged.tar"
    shutil.copy(round_trip["archive"], damaged)
    with tarfile.open(damaged) as tar:
        offset = tar.getmember("database.dump").offset_data
    with open(damaged, "r+b") as handle:
        handle.seek(offset + 100)
        byte = handle.read(1)
        handle.seek(offset + 100)
        handle.write(bytes([byte[0] ^ 0xFF]))
    name = "test_samvirke_backup_damaged"
    with django_db_blocker.unblock():
        connections.close_all()
        _drop(name)
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            with (
                use_database(name),
                override_settings(MEDIA_ROOT=tmp_path / "media"),
                pytest.raises(CommandError, match="Checksums do not match for 1 file"),
            ):
                call_command("restore", str(damaged))
            assert table_digests(name) == {}
            assert files_under(tmp_path / "media") == {}
        finally:
            _drop(name)


def test_a_pg_dump_older_than_the_server_is_refused_with_a_clear_message():
    """No pg_dump 99 exists: every one found is named, with what to install."""
    with pytest.raises(backup.BackupError) as error:
        backup.find_tool("pg_dump", 99, embedded=False)
    message = str(error.value)
    assert "pg_dump 99 or newer" in message
    assert "postgresql-client-99" in message
    assert "(PostgreSQL) 18" in message  # the embedded wheel's, which is too old for 99


def test_force_replaces_a_database_that_holds_data(round_trip, django_db_blocker):
    """--force drops what the database holds (here: the earlier restore and a stray
    table) and restores the backup in its place. Last: it rewrites the target."""
    with _connect(TARGET, autocommit=True) as conn:
        conn.execute("CREATE TABLE stray (id int)")
        conn.execute("DELETE FROM django_session")
    with django_db_blocker.unblock():
        with use_database(TARGET), override_settings(MEDIA_ROOT=round_trip["target_media"]):
            out = io.StringIO()
            call_command("restore", str(round_trip["archive"]), force=True, stdout=out)
        assert table_digests(TARGET) == round_trip["source"]
    assert "row counts and checksums match" in out.getvalue()
    assert f"{len(UPLOADS)} already there" in out.getvalue()


@pytest.mark.parametrize("kind", [tarfile.DIRTYPE, tarfile.SYMTYPE])
def test_a_manifest_that_is_not_a_file_is_refused_with_a_message(kind):
    """A crafted archive whose manifest.json is a directory or a link is not a backup."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        member = tarfile.TarInfo(backup.MANIFEST)
        member.type = kind
        member.linkname = "elsewhere" if kind == tarfile.SYMTYPE else ""
        tar.addfile(member)
    data.seek(0)
    with tarfile.open(fileobj=data) as tar, pytest.raises(backup.BackupError) as error:
        backup.read_manifest(tar)
    assert "manifest.json is not a file" in str(error.value)
