"""The notification outbox cannot jam (issue 10, point 8): a row whose e-mail cannot be
built or sent is marked with its error and an attempt count, tried again after a
backoff, given up after the bound, and never holds up the rows behind it. Titles never
carry a line break into an e-mail header. The real task runs against the locmem
back end (tests/reporting/test_reminders.py does the same)."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from networks.aid.models import AssistanceRequest
from portal.models import EmailState, Notification, NotificationKind
from portal.notifications.actions import notify
from portal.notifications.tasks import deliver_notifications
from portal.validators import reject_control_characters, strip_control_characters
from tests.access.aid_cases import make_incident, org
from tests.helpers import login_as
from tests.personas import TOTP_SECRET, user

pytestmark = pytest.mark.django_db


def row(recipient, key, title="Ny rapporteringsrunde: Flom"):
    """A notification written straight into the table, past notify() and its checks, as
    rows written before the checks existed are."""
    return Notification.objects.create(
        recipient=recipient,
        event_key=f"test:{key}",
        kind=NotificationKind.ROUND_ISSUED,
        title=title,
        url="/varsler/",
        email_state=EmailState.PENDING,
    )


@pytest.fixture
def poisoned(settings):
    """Two good rows with a poison row between them (a recipient whose stored address
    carries a header break, which no e-mail library will put in a To: header), and a
    row with a line break in its title, as legacy data holds."""
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_EMAIL_RETRY_SECONDS = 60
    broken = get_user_model().objects.create(
        username="ødelagt", email="gammel@test.samvirke.no\r\nBcc: alle@test.samvirke.no"
    )
    mail.outbox.clear()
    return {
        "first": row(user("bergen_manager"), "first"),
        "poison": row(broken, "poison"),
        "legacy": row(user("stavanger_manager"), "legacy", title="Sandsekker\r\nBcc: x@y.no"),
        "last": row(user("drammen_staff"), "last"),
    }


def refreshed(notification):
    notification.refresh_from_db()
    return notification


def test_a_poison_row_does_not_hold_up_the_rows_behind_it(poisoned):
    before = timezone.now()
    assert deliver_notifications() == 3  # one run: every row but the poison
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        user(name).email for name in ("bergen_manager", "stavanger_manager", "drammen_staff")
    )
    for name in ("first", "legacy", "last"):
        assert refreshed(poisoned[name]).email_state == EmailState.SENT
        assert poisoned[name].email_attempts == 0
    poison = refreshed(poisoned["poison"])
    assert poison.email_state == EmailState.PENDING
    assert poison.email_attempts == 1
    assert "linefeed or carriage return" in poison.email_error
    assert poison.next_attempt_at >= before + timedelta(seconds=60)
    # The legacy title went out on one line; nothing was injected.
    legacy = next(m for m in mail.outbox if m.to == [user("stavanger_manager").email])
    assert legacy.subject == "[Samvirke] Sandsekker Bcc: x@y.no"
    assert "Bcc" not in legacy.message()
    assert legacy.message()["Subject"] == "[Samvirke] Sandsekker Bcc: x@y.no"
    assert not legacy.bcc


def test_a_failing_row_is_retried_after_backoff_and_given_up_after_the_bound(poisoned):
    deliver_notifications()
    poison = refreshed(poisoned["poison"])
    first_wait = poison.next_attempt_at
    # Before its time it is not tried again.
    assert deliver_notifications() == 0
    assert refreshed(poison).email_attempts == 1
    # Due: tried again, and the wait doubles.
    Notification.objects.filter(pk=poison.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    moved = timezone.now()
    deliver_notifications()
    poison = refreshed(poison)
    assert poison.email_attempts == 2
    assert poison.email_state == EmailState.PENDING
    assert poison.next_attempt_at >= moved + timedelta(seconds=120)
    assert poison.next_attempt_at > first_wait
    # The third attempt is the last (the bound is 3 here): given up.
    Notification.objects.filter(pk=poison.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    deliver_notifications()
    poison = refreshed(poison)
    assert poison.email_attempts == 3
    assert poison.email_state == EmailState.FAILED
    assert poison.next_attempt_at is None
    assert "linefeed or carriage return" in poison.email_error
    # Nothing is sent twice along the way: three good e-mails in all.
    assert len(mail.outbox) == 3
    assert deliver_notifications() == 0


def test_a_row_that_failed_once_is_sent_when_it_can_be(poisoned):
    deliver_notifications()
    poison = poisoned["poison"]
    get_user_model().objects.filter(pk=poison.recipient_id).update(email="rettet@test.samvirke.no")
    Notification.objects.filter(pk=poison.pk).update(next_attempt_at=timezone.now())
    assert deliver_notifications() == 1
    poison = refreshed(poison)
    assert poison.email_state == EmailState.SENT
    assert mail.outbox[-1].to == ["rettet@test.samvirke.no"]
    assert (
        mail.outbox[-1].extra_headers["Message-ID"] == f"<notification-{poison.uuid}@samvirke.no>"
    )


def test_the_recipient_sees_that_the_email_was_given_up(client, settings):
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 1
    manager = user("bergen_manager")
    notification = row(manager, "given-up")
    get_user_model().objects.filter(pk=manager.pk).update(email="bergen\n@test.samvirke.no")
    deliver_notifications()
    assert refreshed(notification).email_state == EmailState.FAILED
    get_user_model().objects.filter(pk=manager.pk).update(email="bergen_manager@test.samvirke.no")
    client.force_login(user("bergen_manager"))
    page = client.get(reverse("portal:notifications")).content.decode()
    assert "E-post gitt opp" in page
    assert "Varselet kunne ikke sendes med e-post (forsøk: 1)" in page


def test_the_admin_lists_the_delivery_state(client, poisoned):
    deliver_notifications()
    admin = get_user_model().objects.create_superuser(
        username="admin-outbox", email="admin-outbox@test.samvirke.no", password="x"
    )
    TOTP.activate(admin, TOTP_SECRET)
    login_as(client, admin, mfa=True)  # a superuser must have passed the second factor
    page = client.get(
        reverse("admin:portal_notification_changelist") + "?email_state=pending"
    ).content.decode()
    assert "linefeed or carriage return" in page
    assert poisoned["poison"].title in page


def test_notify_strips_control_characters_from_titles():
    notify(
        [user("bergen_manager")],
        event_key="test:strip",
        kind=NotificationKind.ROUND_ISSUED,
        title="Flom\r\ni Bergen\x00\x1b[31m\u2028nå",
    )
    notification = Notification.objects.get(event_key="test:strip")
    assert notification.title == "Flom i Bergen [31m nå"


def test_the_shared_validator():
    assert strip_control_characters("a\tb\n\nc ") == "a b c"
    reject_control_characters(title="Sandsekker, 2000 stk", name="Bergen – sentrum")
    with pytest.raises(Exception) as raised:
        reject_control_characters(title="Sandsekker\nX", name="ok", other="tab\there")
    assert set(raised.value.message_dict) == {"title", "other"}


# --- titles with control characters are refused at the action ---------------------------

ONE_LINE = "Teksten kan ikke inneholde linjeskift, tabulatorer eller andre kontrolltegn."


def aid_payload(incident):
    return {
        "incident": str(incident.uuid),
        "title": "Sandsekker\nX",
        "category": "other",
        "quantity": "2000",
        "unit": "stk",
        "location": "1103",
        "needed_by": "2030-01-01T12:00:00+01:00",
        "organisations": [str(org("kommune-4601").uuid)],
    }


def test_the_api_refuses_a_title_with_a_line_break(login):
    incident = make_incident("kommune-1103", user("stavanger_manager"))
    client = login("stavanger_manager")
    answer = client.post(
        reverse("api:aid-request-list"), aid_payload(incident), content_type="application/json"
    )
    assert answer.status_code == 400
    assert ONE_LINE in " ".join(answer.json()["title"])
    assert not AssistanceRequest.objects.exists()
    assert not Notification.objects.exists()
    tab = client.post(
        reverse("api:aid-request-list"),
        {**aid_payload(incident), "title": "Sandsekker", "unit": "stk\tX"},
        content_type="application/json",
    )
    assert tab.status_code == 400 and "unit" in tab.json()
    ok = client.post(
        reverse("api:aid-request-list"),
        {**aid_payload(incident), "title": "Sandsekker X"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()


def test_the_request_form_shows_the_error_on_the_title(login):
    client = login("stavanger_manager")
    incident = make_incident("kommune-1103", user("stavanger_manager"))
    data = {
        "requester": org("kommune-1103").pk,
        "incident": incident.pk,
        "title": "Sandsekker\r\nX",
        "category": "other",
        "quantity": "2000",
        "unit": "stk",
        "location": org("kommune-1103").municipality.pk,
        "needed_by": "2030-01-01T12:00",
        "priority": "high",
        "neighbours": [org("kommune-1108").pk],
    }
    page = client.post(reverse("networks:aid-request-create"), data)
    assert page.status_code == 400
    assert ONE_LINE in page.content.decode()
    assert not AssistanceRequest.objects.exists()
