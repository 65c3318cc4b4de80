"""The weekly roster reminder, run directly and by a real Celery worker."""

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from networks.structure.models import ContactEntry
from networks.tasks import remind_stale_contact_rosters
from tests.helpers import database_url, start_celery_worker

ROOT = Path(__file__).resolve().parents[2]
#: Bergen's emergency managers: the test persona and the demo account.
BERGEN_MANAGERS = {"bergen_manager@test.samvirke.no", "bergen.beredskap@demo.samvirke.no"}


def make_bergen_roster_stale():
    ContactEntry.objects.filter(organisation__slug="kommune-4601").update(
        updated_at=timezone.now() - timedelta(days=200)
    )


@pytest.mark.django_db
def test_reminds_managers_of_stale_rosters_once_a_week():
    cache.clear()
    assert remind_stale_contact_rosters() == 0  # every roster is fresh
    make_bergen_roster_stale()
    assert remind_stale_contact_rosters() == len(BERGEN_MANAGERS)
    assert {m.to[0] for m in mail.outbox} == BERGEN_MANAGERS
    assert all("Bergen" in m.subject for m in mail.outbox)
    assert "/beredskapskontakter/" in mail.outbox[0].body
    assert remind_stale_contact_rosters() == 0  # the same week: nothing more
    assert len(mail.outbox) == len(BERGEN_MANAGERS)


@pytest.fixture
def worker(tmp_path, committed_reference_data):
    """A real Celery worker process on the test database and the test Redis."""
    env = {
        **os.environ,
        "SAMVIRKE_ENV": "test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    process = start_celery_worker(
        env,
        log_level="warning",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield tmp_path / "mail", process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.worker
def test_a_real_worker_runs_the_reminder(worker):
    mail_dir, process = worker
    cache.clear()
    make_bergen_roster_stale()
    result = remind_stale_contact_rosters.delay()
    assert result.get(timeout=60) == len(BERGEN_MANAGERS), process.stdout
    files = list(mail_dir.iterdir())
    sent = "".join(f.read_text() for f in files)
    assert all(address in sent for address in BERGEN_MANAGERS)
    # a duplicate delivery of the same task sends nothing
    assert remind_stale_contact_rosters.delay().get(timeout=60) == 0
    assert len(list(mail_dir.iterdir())) == len(files)
    assert settings.CELERY_BROKER_URL.startswith(("redis", "redis+socket"))
