"""The worst day's load, for locust (run by ``bench/worstday.py``, which writes the plan
this file reads from ``SAMVIRKE_WORSTDAY_PLAN``): no Django here, only HTTP to gunicorn.

* 357 reporters, one per municipality: each, at a random moment in the reporting window,
  reads its submission and submits its report through the API (token), once.
* 30 officers (three per State Administrator office, session past TOTP): reload the
  round's dashboard every 3–6 s, now and then filtered or sorted.
* 100 followers of one crisis room (Bergen's incident, sessions): open the log page, then
  poll it every 3 s as the page does (the poller URL the last answer gave); one in ten
  also writes an entry through the API every 10–30 s.

Every acknowledged write (2xx) is counted and written to the plan's ``acknowledged``
file when the run ends, for the runner to compare with what the database holds.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import threading
import time

from locust import HttpUser, between, constant, events, task

with open(os.environ["SAMVIRKE_WORSTDAY_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
WINDOW = float(PLAN["window_seconds"])
POLLER_RE = re.compile(r'id="log-poller"[^>]*hx-get="([^"]+)"')

_lock = threading.Lock()
_reporters = itertools.count()
_officers = itertools.count()
_followers = itertools.count()
ACKNOWLEDGED = {"submissions": [], "entries": 0, "entry_failures": 0, "submit_failures": 0}
STARTED = time.monotonic()


@events.quitting.add_listener
def write_acknowledged(environment, **kwargs):
    with open(PLAN["acknowledged"], "w", encoding="utf-8") as out:
        json.dump(ACKNOWLEDGED, out)


class Reporter(HttpUser):
    """A municipality's emergency manager sending the report before the deadline."""

    fixed_count = len(PLAN["reporters"])
    wait_time = constant(0)

    def on_start(self):
        with _lock:
            number = next(_reporters)
        # locust may start a user anew: a municipality beyond the plan's has nothing to send
        self.me = PLAN["reporters"][number] if number < len(PLAN["reporters"]) else None
        self.headers = {"Authorization": f"Token {self.me['token']}"} if self.me else {}
        # Each reporter's moment inside the window (from the start of the run).
        self.moment = STARTED + random.uniform(0, WINDOW)  # noqa: S311 — load pattern

    @task
    def report(self):
        if self.me is None:
            time.sleep(3600)  # this one has reported: it stays, idle, until the run ends
            return
        delay = self.moment - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        submission = self.me["submission"]
        got = self.client.get(
            f"/api/v1/submissions/{submission}/",
            headers=self.headers,
            name="reporter: GET submission",
        )
        body = {"answers": self.me["answers"]}
        if got.ok:
            body["version"] = got.json().get("version")
        with self.client.post(
            f"/api/v1/submissions/{submission}/submit/",
            json=body,
            headers=self.headers,
            name="reporter: POST submit",
            catch_response=True,
        ) as response:
            if response.ok:
                with _lock:
                    ACKNOWLEDGED["submissions"].append(submission)
                response.success()
            else:
                with _lock:
                    ACKNOWLEDGED["submit_failures"] += 1
                response.failure(f"{response.status_code}: {response.text[:200]}")
        self.me = None  # once: a municipality sends its report, it does not send it again


class Officer(HttpUser):
    """A State Administrator officer with the round's dashboard open in a meeting."""

    fixed_count = len(PLAN["officers"])
    wait_time = between(3, 6)
    VIEWS = ("", "?state=missing", "?ordering=-name", "?state=late", "?q=berg")

    def on_start(self):
        with _lock:
            self.me = PLAN["officers"][next(_officers) % len(PLAN["officers"])]
        self.client.cookies.set("sessionid", self.me["session"])
        self.client.cookies.set("django_language", "nb")

    @task
    def dashboard(self):
        view = random.choice(self.VIEWS)  # noqa: S311 — load pattern
        self.client.get(
            PLAN["dashboard"] + view,
            name="officer: dashboard" + (" (filtered)" if view else ""),
        )


class Follower(HttpUser):
    """Someone in Bergen's crisis room with the log open; one in ten also writes."""

    fixed_count = len(PLAN["followers"])
    wait_time = constant(3)

    def on_start(self):
        with _lock:
            number = next(_followers)
            self.me = PLAN["followers"][number % len(PLAN["followers"])]
        self.writer = number % 10 == 0
        self.next_write = time.monotonic() + random.uniform(5, 30)  # noqa: S311
        self.client.cookies.set("sessionid", self.me["session"])
        self.client.cookies.set("django_language", "nb")
        self.poller = None
        self.open_log()

    def open_log(self):
        response = self.client.get(PLAN["log"], name="follower: log page")
        match = POLLER_RE.search(response.text) if response.ok else None
        self.poller = html.unescape(match.group(1)) if match else None

    @task
    def follow(self):
        if self.poller is None:
            self.open_log()
        else:
            response = self.client.get(self.poller, name="follower: poll")
            if response.status_code == 200:
                match = POLLER_RE.search(response.text)
                if match:
                    self.poller = html.unescape(match.group(1))
        if self.writer and time.monotonic() >= self.next_write:
            self.next_write = time.monotonic() + random.uniform(10, 30)  # noqa: S311
            self.write()

    def write(self):
        with self.client.post(
            "/api/v1/entries/",
            json={
                "incident": PLAN["incident"],
                "kind": random.choice(["information", "action", "message_in"]),  # noqa: S311
                "text": "Belastningstest: melding fra kriserommet.",
            },
            headers={"Authorization": f"Token {self.me['token']}"},
            name="follower: POST entry",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                with _lock:
                    ACKNOWLEDGED["entries"] += 1
                response.success()
            else:
                with _lock:
                    ACKNOWLEDGED["entry_failures"] += 1
                response.failure(f"{response.status_code}: {response.text[:200]}")
