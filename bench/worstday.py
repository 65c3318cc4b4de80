"""The worst day as a benchmark: ``.venv/bin/python bench/worstday.py [--quick]``.

All 357 municipalities send their situation report through the API within one window
(60 s) before the same deadline, 30 State Administrator officers reload and filter the
round's dashboard every 3–6 s, and 100 people in Bergen's crisis room follow its log
live (polling every 3 s, as the page does), one in ten writing entries. The load comes
from locust (``bench/worstday_locust.py``) on the same cores; Samvirke runs as production
runs it (``docker-compose.yml``: gunicorn, 3 workers, ``SAMVIRKE_ENV=production``,
``DJANGO_DEBUG=0``), on the embedded PostgreSQL and Redis, in a database of its own
(made, filled and dropped here; the development database is not touched). Loopback only,
bounded in time (the window plus 20 s of load; about two minutes in all).

Printed: per endpoint p50/p95/p99 and errors, requests per second, the load generator's
own CPU share, the web workers' largest RSS, and acknowledged against stored writes (every
2xx submit must be a submitted report in the database, every 201 entry an entry).
``--quick`` runs a tenth of the users for 20 s (a smoke run of the machinery).
Figures go in issue notes, never in timed tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SAMVIRKE_ENV", "development")  # the embedded servers
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DJANGO_DEBUG", "0")

DB_NAME = "samvirke_worstday"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
SITUATION_FORM = ("dsb", "Situasjonsrapport fra kommunen")
PREFILLED_ENTRIES = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(db) -> str:
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = quote(db["HOST"] or db["OPTIONS"].get("host", ""), safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


# --- the data ----------------------------------------------------------------------------


def answers_for(definition, number: str) -> dict:
    """Valid answers to every field of ``definition``, varied by municipality."""
    import random

    from reporting.validation import iter_fields, validate_answers

    rng = random.Random(number)  # noqa: S311 — load data
    answers: dict = {}
    for spec in iter_fields(definition):
        kind = spec["type"]
        if kind == "sector_status":
            value = rng.choices(["green", "yellow", "red"], weights=[8, 3, 1])[0]
            answers[spec["key"]] = {"status": value, "comment": ""}
        elif kind in ("integer", "decimal"):
            low, high = spec.get("min", 0), spec.get("max", 1000)
            answers[spec["key"]] = rng.randint(int(low), int(min(high, low + 500)))
        elif kind == "choice":
            answers[spec["key"]] = rng.choice(spec["options"])["value"]
        elif kind == "multiple_choice":
            answers[spec["key"]] = [spec["options"][0]["value"]]
        elif kind == "datetime":
            answers[spec["key"]] = "2026-12-03 08:00"
        else:
            answers[spec["key"]] = "Situasjonen er under kontroll. Belastningstest."
    _cleaned, errors = validate_answers(definition, answers)
    assert not errors, errors  # the load must be valid reports, not refusals
    return answers


def session_for(user, *, mfa: bool) -> str:
    """A session key for ``user``, past the password (and TOTP) step as allauth leaves it."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    methods = [{"method": "password", "at": now, "email": user.email}]
    if mfa:
        totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        methods.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = methods
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return session.session_key


def make_users(prefix: str, organisations, role: str):
    from django.contrib.auth import get_user_model

    from portal.models import RoleAssignment

    User = get_user_model()
    users = []
    for index in range(len(organisations)):
        user = User(
            username=f"{prefix}-{index:03d}",
            email=f"{prefix}-{index:03d}@worstday.invalid",
            first_name=prefix.title(),
            last_name=f"{index:03d}",
        )
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, organisation=o, role=role)
        for u, o in zip(users, organisations, strict=True)
    )
    return users


def token_for(user) -> str:
    from portal.models import ApiToken

    _row, token = ApiToken.objects.create(
        user=user, expiry=timedelta(hours=3), name="worst day", second_factor=True
    )
    return token


def build_plan(scale: float, window: float, workdir: Path) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from incidents.log.actions import do_create_incident, do_write_entry
    from networks.structure.models import Municipality, Office, Organisation
    from reporting.actions import do_issue_round
    from reporting.models import ReportForm, Submission

    municipalities = list(Municipality.objects.select_related("organisation").order_by("number"))
    offices = list(Office.objects.select_related("organisation").order_by("name"))
    dsb = Organisation.objects.get(slug=SITUATION_FORM[0])

    (analyst,) = make_users("wd-dsb", [dsb], "national_analyst")
    TOTP.activate(analyst, TOTP_SECRET)
    form = ReportForm.objects.get(owner=dsb, title=SITUATION_FORM[1])
    round_ = do_issue_round(
        issuer=dsb,
        acting_user=analyst,
        form=form,
        title="Den verste dagen: situasjonsrapport",
        deadline=timezone.now() + timedelta(hours=1),
        offices=offices,
    )
    definition = round_.form_version.definition

    reporters_n = max(1, round(len(municipalities) * scale))
    chosen = municipalities[:reporters_n]
    reporter_users = make_users("wd-rep", [m.organisation for m in chosen], "emergency_manager")
    submissions = dict(
        Submission.objects.filter(round=round_).values_list("municipality_id", "uuid")
    )
    reporters = [
        {
            "token": token_for(user),
            "submission": str(submissions[m.organisation_id]),
            "answers": answers_for(definition, m.number),
        }
        for m, user in zip(chosen, reporter_users, strict=True)
    ]

    officers_n = max(1, round(30 * scale))
    officer_orgs = [offices[i % len(offices)].organisation for i in range(officers_n)]
    officer_users = make_users("wd-officer", officer_orgs, "officer")
    officers = []
    for user in officer_users:
        TOTP.activate(user, TOTP_SECRET)
        officers.append({"session": session_for(user, mfa=True)})

    followers_n = max(1, round(100 * scale))
    bergen = Organisation.objects.get(slug="kommune-4601")
    follower_users = make_users("wd-crisis", [bergen] * followers_n, "crisis_staff")
    incident = do_create_incident(
        owner=bergen,
        acting_user=follower_users[0],
        title="Den verste dagen: ekstremvær i Bergen",
        type="flood",
        started_at=timezone.now() - timedelta(hours=6),
    )
    for i in range(PREFILLED_ENTRIES):
        do_write_entry(
            incident,
            acting_user=follower_users[i % len(follower_users)],
            kind="information",
            text=f"Oppføring {i + 1}: vannstanden følges, mannskap i beredskap.",
        )
    followers = [
        {
            "session": session_for(user, mfa=False),
            "token": token_for(user) if index % 10 == 0 else None,
        }
        for index, user in enumerate(follower_users)
    ]
    return {
        "window_seconds": window,
        "acknowledged": str(workdir / "acknowledged.json"),
        "round": round_.pk,
        "incident": str(incident.uuid),
        "incident_id": incident.pk,
        "dashboard": f"/rapportering/runder/{round_.uuid}/oversikt/",
        "log": f"/hendelser/{incident.uuid}/logg/",
        "reporters": reporters,
        "officers": officers,
        "followers": followers,
    }


# --- the run -----------------------------------------------------------------------------


class RssSampler(threading.Thread):
    """The largest resident set of each gunicorn worker, read from /proc every second."""

    def __init__(self, master_pid: int):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.largest: dict[int, int] = {}
        self.stopping = threading.Event()

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def run(self):
        while not self.stopping.wait(1.0):
            for pid in self.workers():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            kb = int(line.split()[1])
                            self.largest[pid] = max(self.largest.get(pid, 0), kb)
                except OSError:
                    continue


def production_env(url: str, static_root: Path) -> dict:
    from django.conf import settings

    return {
        **os.environ,
        "SAMVIRKE_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # the sessions made here are signed with this process's key
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "SAMVIRKE_TRUSTED_PROXY_COUNT": "0",
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SAMVIRKE_STATIC_ROOT": str(static_root),
    }


def wait_for_port(port: int, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn ended with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not listen in time")


def warm_up(port: int, plan: dict) -> None:
    """One request of each kind before the load (each worker loads its code on its first),
    and a check that the sessions and tokens are accepted."""
    import urllib.request

    base = f"http://127.0.0.1:{port}"
    checks = [
        (plan["dashboard"], {"Cookie": f"sessionid={plan['officers'][0]['session']}"}),
        (plan["log"], {"Cookie": f"sessionid={plan['followers'][0]['session']}"}),
        (
            f"/api/v1/submissions/{plan['reporters'][0]['submission']}/",
            {"Authorization": f"Token {plan['reporters'][0]['token']}"},
        ),
    ]
    for _ in range(3):
        for path, headers in checks:
            began = time.perf_counter()
            request = urllib.request.Request(base + path, headers=headers)
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
                if response.status != 200 or response.url != base + path:
                    raise RuntimeError(f"warm-up {path}: {response.status} {response.url}")
            print(f"warm-up {path[:40]}: {1000 * (time.perf_counter() - began):.0f} ms")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def print_stats(path: Path):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    head = ("requests", "errors", "p50", "p95", "p99", "rps")
    print(f"{'endpoint':34} {head[0]:>8} {head[1]:>6} " + " ".join(f"{h:>6}" for h in head[2:]))
    for row in rows:
        name = row["Name"] if row["Type"] else "all"
        print(
            f"{name[:34]:34} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {float(row['Requests/s']):6.1f}"
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the users, 20 s")
    parser.add_argument("--verbose", action="store_true", help="show locust's own output")
    args = parser.parse_args(argv)
    scale, window, run_for = (0.1, 15.0, 20) if args.quick else (1.0, 60.0, 80)

    import django

    django.setup()
    from django.db import connection

    from bench.owndb import OwnDatabase
    from incidents.log.models import LogEntry
    from reporting.models import Submission, SubmissionStatus

    database = OwnDatabase(DB_NAME, commands=("load_structure", "load_report_forms"))
    workdir = Path(tempfile.mkdtemp(prefix="samvirke-worstday-"))
    web = None
    try:
        for note in database.enter():
            print(note)
        began = time.perf_counter()
        plan = build_plan(scale, window, workdir)
        (workdir / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        entries_before = LogEntry.objects.filter(incident_id=plan["incident_id"]).count()
        print(
            f"plan: {len(plan['reporters'])} reporters, {len(plan['officers'])} officers, "
            f"{len(plan['followers'])} followers, {entries_before} entries in the log, "
            f"made in {time.perf_counter() - began:.1f} s"
        )
        env = production_env(database_url(connection.settings_dict), workdir / "static")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        port = free_port()
        web = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "3",
             "--access-logfile", str(workdir / "access.log")],
            cwd=ROOT, env=env,
        )  # fmt: skip
        wait_for_port(port, web)
        warm_up(port, plan)
        sampler = RssSampler(web.pid)
        sampler.start()
        users = len(plan["reporters"]) + len(plan["officers"]) + len(plan["followers"])
        cpu_before, wall_before = children_cpu(), time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/worstday_locust.py"),
             "--headless", "--host", f"http://127.0.0.1:{port}",
             "-u", str(users), "-r", str(max(10, users // 5)), "-t", f"{run_for}s",
             "--stop-timeout", "10", "--csv", str(workdir / "run"), "--only-summary",
             "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "SAMVIRKE_WORSTDAY_PLAN": str(workdir / "plan.json")},
            check=False, stdout=None if args.verbose else subprocess.DEVNULL,
        )  # fmt: skip
        wall = time.perf_counter() - wall_before
        load_cpu = children_cpu() - cpu_before
        sampler.stopping.set()
        print()
        print_stats(workdir / "run_stats.csv")
        cores = os.cpu_count() or 1
        print(
            f"\nload generator: {load_cpu:.1f} CPU-s in {wall:.0f} s = "
            f"{100 * load_cpu / (wall * cores):.0f} % of {cores} cores"
        )
        rss = sorted(sampler.largest.values())
        if rss:
            print(f"web workers' largest RSS: {', '.join(f'{kb / 1024:.0f} MB' for kb in rss)}")
        acknowledged = json.loads(Path(plan["acknowledged"]).read_text(encoding="utf-8"))
        stored = set(
            str(u)
            for u in Submission.objects.filter(
                round_id=plan["round"], status=SubmissionStatus.SUBMITTED
            ).values_list("uuid", flat=True)
        )
        lost = set(acknowledged["submissions"]) - stored
        entries = LogEntry.objects.filter(incident_id=plan["incident_id"]).count() - entries_before
        print(
            f"reports: {len(acknowledged['submissions'])} acknowledged, {len(stored)} stored, "
            f"{len(lost)} acknowledged but not stored, {acknowledged['submit_failures']} refused; "
            f"of {len(plan['reporters'])}"
        )
        print(
            f"log entries: {acknowledged['entries']} acknowledged, {entries} stored, "
            f"{acknowledged['entry_failures']} refused"
        )
        return 1 if lost or entries < acknowledged["entries"] else 0
    finally:
        if web is not None:
            web.terminate()
            try:
                web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                web.kill()
        connection.close()
        database.cleanup()


if __name__ == "__main__":
    sys.exit(main())
