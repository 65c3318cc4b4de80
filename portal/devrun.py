"""``./samvirke run``: the whole system on one machine, for development and demos.

    python -m portal.devrun [--port 8000] [--host 127.0.0.1]

1. Starts the embedded PostgreSQL and Redis unless ``DATABASE_URL`` and ``REDIS_URL`` are
   set (see :mod:`portal.embedded`).
2. Runs ``check``, ``migrate``, ``load_structure``, ``load_demo``, ``load_demo_incidents``,
   ``load_report_forms``, ``load_demo_rounds`` and the demos in :data:`DEMO_COMMANDS` in
   this process (one Django start-up instead of twelve).
3. Starts the web server (``runserver``, which serves static files in DEBUG; checks already
   ran) and, once it answers, a Celery worker and Celery beat, all with this environment.
4. Prints the URL and the demo accounts, then watches the children.

Ctrl-C (SIGINT) or SIGTERM, or any child exiting, stops everything: the children get
SIGTERM, and SIGKILL after a timeout; each child runs in its own process group, so the
worker's pool processes go with it. Finally the embedded servers are stopped, but only
those this run started: a PostgreSQL or Redis that was already running (another
developer's test run, say) is left alone.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_TIMEOUT = 10.0
T0 = time.monotonic()


class Shutdown(Exception):
    """Raised from the signal handler to unwind whatever is running."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_shutdown(signum, frame):
    # Ignore repeats while we are already shutting down (a second Ctrl-C).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Shutdown(signum)


def _die_with_parent():
    """In the child, before exec: own process group, and SIGTERM if devrun dies (Linux)."""
    os.setsid()
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def log(message: str) -> None:
    print(f"==> [{time.monotonic() - T0:5.1f} s] {message}", flush=True)


# --- the embedded servers ------------------------------------------------------------


def start_embedded() -> list[str]:
    """Start what the environment does not provide; return what this call started."""
    from portal import embedded

    wanted = [
        n
        for n, url in (("postgres", "DATABASE_URL"), ("redis", "REDIS_URL"))
        if not os.environ.get(url)
    ]
    if not wanted:
        return []
    embedded.ensure()  # sets DATABASE_URL / REDIS_URL in os.environ for the children
    started = sorted(embedded.STARTED)
    reused = [n for n in wanted if n not in started]
    log(
        "Embedded "
        + ", ".join(
            [f"{n} started" for n in started] + [f"{n} already running (kept)" for n in reused]
        )
        + f" under {embedded.LOCAL}"
    )
    return started


def stop_embedded(started: list[str]) -> None:
    if not started:
        return
    from portal import embedded

    embedded.stop(started)
    log(f"Stopped embedded {' and '.join(started)}.")


# --- set-up --------------------------------------------------------------------------

#: The demo of the library, comment rounds and action cards, lessons and exercises,
#: resources and agreements, and mutual aid (each idempotent), after the rounds.
DEMO_COMMANDS = (
    "load_demo_library",
    "load_demo_hearings",
    "load_demo_lessons",
    "load_demo_resources",
    "load_demo_aid",
    "load_demo_information",
)


def prepare_database() -> None:
    """check, migrate, load_structure, load_demo, load_demo_incidents, load_report_forms,
    load_demo_rounds and :data:`DEMO_COMMANDS` — in this process, then drop the
    connections so nothing is held open while the children run."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    log("check")
    call_command("check")  # here, once, so runserver can skip it (--skip-checks)
    log("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    log("load_structure")
    call_command("load_structure")
    log("load_demo")
    call_command("load_demo")
    log("load_demo_incidents")
    call_command("load_demo_incidents")
    log("load_report_forms")
    call_command("load_report_forms")
    log("load_demo_rounds")
    call_command("load_demo_rounds")
    for command in DEMO_COMMANDS:
        log(command)
        call_command(command)
    connections.close_all()


# --- the children --------------------------------------------------------------------


def child_commands(host: str, port: int) -> dict[str, list[str]]:
    from portal import embedded

    python = sys.executable
    celery = str(Path(python).with_name("celery"))
    return {
        "web": [python, "manage.py", "runserver", f"{host}:{port}", "--noreload", "--skip-checks"],
        "worker": [celery, "-A", "portal", "worker", "-l", "info", "--concurrency", "2"],
        "beat": [
            celery,
            "-A",
            "portal",
            "beat",
            "-l",
            "info",
            "--schedule",
            str(embedded.LOCAL / "celerybeat-schedule"),
        ],
    }


def start_children(commands: dict[str, list[str]]) -> dict[str, subprocess.Popen]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    children = {}
    for name, command in commands.items():
        children[name] = subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=_die_with_parent)
        log(f"{name} started (pid {children[name].pid}): {' '.join(command[1:])}")
    return children


def stop_children(children: dict[str, subprocess.Popen], timeout: float = STOP_TIMEOUT) -> None:
    alive = {n: p for n, p in children.items() if p.poll() is None}
    for proc in alive.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for name, proc in alive.items():
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop within {timeout:.0f} s: killing it")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # The process groups may still hold grandchildren (the worker's pool): sweep them.
    for proc in children.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def wait_until_serving(url: str, children, timeout: float = 60.0) -> float | None:
    """Seconds until ``url`` answers, or None if it did not within ``timeout``."""
    import urllib.error
    import urllib.request

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if children["web"].poll() is not None:
            return None
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  # nosec B310  # our own http URL
                return time.monotonic() - started
        except urllib.error.HTTPError:
            return time.monotonic() - started  # it answered
        except OSError:
            time.sleep(0.2)
    return None


def banner(url: str, elapsed: float) -> str:
    from portal.demo import accounts_table

    rule = "=" * 78
    return "\n".join(
        [
            "",
            rule,
            f"Samvirke kjører på {url}  (klar etter {elapsed:.1f} s)",
            f"Logg inn: {url}konto/login/    API: {url}api/v1/docs/    Admin: {url}admin/",
            "",
            "Demokontoer:",
            accounts_table(),
            "",
            "Stopp med Ctrl-C (stopper web, worker, beat og de innebygde serverne).",
            rule,
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./samvirke run", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # a development runner: development defaults unless told otherwise (settings alone
    # default to production)
    os.environ.setdefault("SAMVIRKE_ENV", "development")
    signal.signal(signal.SIGINT, _raise_shutdown)
    signal.signal(signal.SIGTERM, _raise_shutdown)

    started: list[str] = []
    children: dict[str, subprocess.Popen] = {}
    exit_code = 0
    try:
        if os.environ.get("SAMVIRKE_ENV") != "production":
            started = start_embedded()
        prepare_database()
        commands = child_commands(args.host, args.port)
        # The web server first, on its own: on a small machine it comes up faster when it
        # does not compete with the worker and beat for the CPU.
        children = start_children({"web": commands.pop("web")})
        url = f"http://{args.host}:{args.port}/"
        ready = wait_until_serving(url + "konto/login/", children)
        if ready is None:
            log("The web server did not come up; stopping.")
            exit_code = 1
        else:
            log(f"web answers at {url}")
            children |= start_children(commands)
            print(banner(url, time.monotonic() - T0), flush=True)
            while True:
                dead = {n: p.returncode for n, p in children.items() if p.poll() is not None}
                if dead:
                    name, code = next(iter(dead.items()))
                    log(f"{name} exited (code {code}); stopping the others.")
                    exit_code = 1
                    break
                time.sleep(0.5)
    except Shutdown as stop:
        print(flush=True)
        log(f"{stop} received; stopping.")
    finally:
        # Keep shutdown itself from being interrupted half-way.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if children:
            stop_children(children)
            log("web, worker and beat stopped.")
        stop_embedded(started)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
