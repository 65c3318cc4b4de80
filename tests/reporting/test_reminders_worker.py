"""Exactly once through a crash: a real Celery worker sends a round's notices and
reminders to the writers of 43 Vestland municipalities, is killed (SIGKILL) in the middle
of sending, and a second worker finishes. Every recipient then has exactly one
notification per event and exactly one e-mail per notification.

The outbox (portal/notifications/tasks.py) claims a row, hands its e-mail to the mail
server and marks it sent in one transaction; a killed worker's open transaction is rolled back by
PostgreSQL, so the row it was on is sent by the next worker. The one window in which a
message can go twice is between the server accepting it and the commit (microseconds
here, against the SAMVIRKE_OUTBOX_PAUSE between rows); a copy sent in that window
carries the same Message-ID, so the test counts distinct Message-IDs and allows at most
one repeated copy of one message — never a second, different message.
"""

import email
import os
import signal
import subprocess
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from networks.structure.models import Office, Organisation
from portal.models import EmailState, Notification, RoleAssignment
from portal.notifications.tasks import deliver_notifications
from portal.roles import Role
from reporting import actions
from reporting.models import ReportForm, ReportingRound
from reporting.tasks import send_round_reminders
from tests.helpers import database_url, start_celery_worker
from tests.personas import user

ROOT = Path(__file__).resolve().parents[2]
#: Seconds between two e-mails: long enough for the kill to land mid-run, short enough
#: for the whole test to stay well under half a minute.
PAUSE = "0.05"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def start_worker(mail_dir):
    env = {
        **os.environ,
        "SAMVIRKE_ENV": "test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SAMVIRKE_OUTBOX_PAUSE": PAUSE,
    }
    return start_celery_worker(
        env,
        log_level="warning",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read_mail(mail_dir):
    """Every message in the file back end's files (one file per connection, messages
    separated by a line of 79 dashes)."""
    messages = []
    for path in sorted(Path(mail_dir).glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages


def wait_for(condition, timeout, step=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def many_writers(committed_reference_data):
    """An emergency manager for every Vestland municipality (Bergen already has two)."""
    User = get_user_model()
    office = Office.objects.get(slug="vestland")
    for municipality in Organisation.objects.filter(region=office).exclude(slug="kommune-4601"):
        person = User.objects.create(
            username=f"leder-{municipality.slug}",
            email=f"leder-{municipality.slug}@test.samvirke.no",
            first_name="Leder",
        )
        RoleAssignment.objects.create(
            user=person, organisation=municipality, role=Role.EMERGENCY_MANAGER
        )
    return office


@pytest.mark.worker
def test_a_killed_worker_leaves_every_recipient_notified_exactly_once(tmp_path, many_writers):
    mail_dir = tmp_path / "mail"
    round_ = actions.do_issue_round(
        issuer=Organisation.objects.get(slug="statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=ReportForm.objects.get(owner__slug="dsb"),
        title="Flom i Vestland",
        deadline=timezone.now() + timedelta(hours=1),
        offices=[many_writers],
    )  # the "new round" notices are in the outbox; their delivery is queued
    # Opened eight hours ago: the deadline is inside the two-hour reminder window now.
    ReportingRound.objects.filter(pk=round_.pk).update(
        opened_at=timezone.now() - timedelta(hours=8)
    )
    writers = set(
        RoleAssignment.objects.filter(
            organisation__in=round_.recipients.all(),
            role__in=[Role.EMERGENCY_MANAGER, Role.CRISIS_STAFF],
        ).values_list("user_id", flat=True)
    )
    assert len(writers) >= 44

    first = start_worker(mail_dir)
    try:
        # The worker delivers the new-round notices, then writes the reminders (one per
        # writer) and starts delivering them.
        assert send_round_reminders.delay().get(timeout=60) == len(writers)
        reminders = Notification.objects.filter(event_key__contains=":reminder:")
        sent = reminders.filter(email_state=EmailState.SENT)
        assert wait_for(lambda: sent.count() >= 10, timeout=20)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        sent_at_kill = sent.count()
        assert 0 < sent_at_kill < len(writers), sent_at_kill
    finally:
        stop(first)

    second = start_worker(mail_dir)
    try:
        # The killed worker's delivery task is held by the broker until its visibility
        # timeout; the beat's per-minute safety net queues a new one. This is that tick.
        deliver_notifications.delay().get(timeout=60)
        pending = Notification.objects.filter(email_state=EmailState.PENDING)
        assert wait_for(lambda: not pending.exists(), timeout=20)
    finally:
        stop(second)

    # Exactly one notification per recipient and event.
    notifications = list(
        Notification.objects.filter(event_key__startswith=f"round:{round_.uuid}:").values_list(
            "uuid", "recipient_id", "recipient__email", "event_key", "email_state"
        )
    )
    per_recipient = defaultdict(Counter)
    for _uuid, recipient, _address, key, state in notifications:
        per_recipient[recipient][key.split(":")[2]] += 1
        assert state == EmailState.SENT
    assert set(per_recipient) == writers
    assert all(events == {"issued": 1, "reminder": 1} for events in per_recipient.values())

    # Exactly one e-mail per notification, to its recipient.
    messages = read_mail(mail_dir)
    copies = Counter(m["Message-ID"] for m in messages)
    expected = {f"<notification-{n[0]}@samvirke.no>": n[2] for n in notifications}
    assert set(copies) == set(expected)
    for message in messages:
        assert message["To"] == expected[message["Message-ID"]]
    repeated = {mid: n for mid, n in copies.items() if n > 1}
    assert len(repeated) <= 1 and all(n == 2 for n in repeated.values()), repeated
    per_address = Counter(expected[mid] for mid in copies)
    assert all(n == 2 for n in per_address.values())  # the notice and the reminder
