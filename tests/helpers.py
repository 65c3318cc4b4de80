"""Helpers shared by the tests: one place for each (a test module never defines its own
``org``, ``html``, ``api`` or ``count_queries``)."""

import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import quote

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from networks.structure.models import Organisation
from tests.personas import TOTP_SECRET, user

# allauth keeps, beside the steps, whose steps they are (allauth.account.internal.flows.login)
AUTHENTICATION_METHODS_USER_SESSION_KEY = "account_authentication_methods_user"


def login_as(client, user, *, mfa=True):
    """Log ``client`` in as ``user`` the way allauth's log-in leaves the session: the
    password step, and (``mfa=True``, for a user with TOTP) the TOTP step, so the session
    counts as having passed the second factor (portal.auth.passed_second_factor).
    ``mfa=False`` gives a password-only session."""
    client.force_login(user)
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email}]
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if mfa and totp is not None:
        records.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def totp_now(secret=TOTP_SECRET, *, margin=5.0):
    """The persona authenticator's current code (allauth's own generator). allauth accepts
    only the current 30-second window (no tolerance), so a code taken in the last
    ``margin`` seconds of a window would expire on its way through a busy browser test:
    then wait for the next window."""
    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


ROOT = Path(__file__).resolve().parent.parent


def database_url(db):
    """The URL of the test database, for a process started by the test."""
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = quote(db["HOST"] or db["OPTIONS"].get("host", ""), safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def start_celery_worker(env, *, log_level="warning", **popen):
    """A real Celery worker process with ``env`` (solo pool; no heartbeat, gossip or mingle,
    so it is ready fast). ``popen`` says where its output goes."""
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", log_level]
    return subprocess.Popen(command, cwd=ROOT, env=env, **popen)  # noqa: S603


def org(slug):
    """The organisation with this slug (from the loaded structure and demo data)."""
    return Organisation.objects.get(slug=slug)


def html(response) -> str:
    """A response's body as text, entities unescaped (for ``in`` assertions)."""
    return unescape(response.content.decode())


def api(persona) -> APIClient:
    """An API client authenticated as the persona (``force_authenticate``: the second
    factor is the middleware's and tests/portal/test_auth.py's concern)."""
    client = APIClient()
    client.force_authenticate(user(persona) if isinstance(persona, str) else persona)
    return client


def count_queries(client, url, *, status=200, **extra):
    """How many queries ``client.get(url, **extra)`` runs, and the response (which must
    have ``status``)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code)
    return len(queries.captured_queries), response


def query_count(client, url, **extra) -> int:
    """How many queries ``client.get(url, **extra)`` runs (the response must be a 200)."""
    return count_queries(client, url, **extra)[0]
