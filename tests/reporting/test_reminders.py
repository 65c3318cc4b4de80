"""Recurring rounds, reminders and notifications, run directly (the real worker is in
test_reminders_worker.py): the "new round" notice, reminders only to municipalities that
have not submitted, before the deadline and when late, never twice; a schedule issues
one round a day and stops; bad input saves nothing; a notification is its recipient's."""

import smtplib
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends import locmem
from django.utils import timezone

from networks.structure.models import Office, Organisation
from portal.models import EmailState, Notification, RoleAssignment
from portal.notifications.tasks import deliver_notifications
from portal.roles import Role
from reporting import actions
from reporting import tasks as reporting_tasks
from reporting.models import ReportForm, ReportingRound, RoundSchedule
from reporting.tasks import issue_due_rounds, send_round_reminders
from tests.helpers import org
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN = "kommune-4601"
DEFINITION = {
    "sections": [
        {
            "key": "status",
            "title": "Status",
            "fields": [
                {"key": "antall", "type": "integer", "label": "Evakuerte", "required": True}
            ],
        }
    ]
}


def vestland():
    return Office.objects.get(slug="vestland")


def a_form():
    existing = ReportForm.objects.filter(title="Daglig status").first()
    return existing or actions.do_create_form(
        owner=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        title="Daglig status",
        track="preparedness",
        kind="short",
        definition=DEFINITION,
    )


def writers_of(municipality_ids):
    return set(
        RoleAssignment.objects.filter(
            organisation_id__in=municipality_ids,
            role__in=[Role.EMERGENCY_MANAGER, Role.CRISIS_STAFF],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def add_person(municipality, role, name, email=True):
    person = get_user_model().objects.create(
        username=name, email=f"{name}@test.samvirke.no" if email else "", first_name=name
    )
    RoleAssignment.objects.create(user=person, organisation=municipality, role=role)
    return person


@pytest.fixture
def round_():
    """A Vestland round open for eight hours; Bergen has submitted. Two other Vestland
    municipalities have writers (one without an e-mail address) and a reader."""
    first, second = Organisation.objects.filter(region=vestland()).exclude(slug=BERGEN)[:2]
    add_person(first, Role.EMERGENCY_MANAGER, "forste_leder")
    add_person(first, Role.CRISIS_STAFF, "forste_stab", email=False)
    add_person(first, Role.READER, "forste_leser")
    add_person(second, Role.CRISIS_STAFF, "andre_stab")
    round_ = actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=a_form(),
        title="Flom i Vestland",
        deadline=timezone.now() + timedelta(hours=8),
        offices=[vestland()],
    )
    bergen = round_.submissions.get(municipality__slug=BERGEN)
    actions.do_submit(
        bergen, expected_version=1, acting_user=user("bergen_manager"), answers={"antall": "3"}
    )
    return round_


def keys_of(round_, event):
    return set(
        Notification.objects.filter(
            event_key__startswith=f"round:{round_.uuid}:{event}:"
        ).values_list("recipient_id", "event_key")
    )


def test_issuing_notifies_the_writers_of_every_recipient(round_):
    issued = Notification.objects.filter(event_key=f"round:{round_.uuid}:issued")
    recipients = set(round_.recipients.values_list("pk", flat=True))
    assert set(issued.values_list("recipient_id", flat=True)) == writers_of(recipients)
    assert user("bergen_manager").pk in writers_of(recipients)
    assert not issued.filter(recipient=user("bergen_reader")).exists()
    assert not issued.filter(recipient=user("vestland_officer")).exists()
    notice = issued.get(recipient=user("bergen_manager"))
    assert notice.kind == "round_issued"
    assert notice.url == f"/rapportering/runder/{round_.uuid}/"


def test_reminders_go_to_non_submitters_before_and_when_late_never_twice(round_):
    others = set(round_.recipients.exclude(slug=BERGEN).values_list("pk", flat=True))
    expected = writers_of(others)
    assert len(expected) == 3
    bergen_manager = user("bergen_manager").pk

    # Early in the round: nothing. The reminder window is the last two hours.
    assert send_round_reminders(now=round_.opened_at + timedelta(hours=1)) == 0
    before = round_.deadline - timedelta(minutes=90)
    written = send_round_reminders(now=before)
    reminded = keys_of(round_, "reminder")
    assert written == len(reminded) > 0
    assert {r for r, _ in reminded} == expected
    assert bergen_manager not in {r for r, _ in reminded}
    assert user("bergen_reader").pk not in {r for r, _ in reminded}
    assert user("forste_leser").pk not in {r for r, _ in reminded}
    assert send_round_reminders(now=before + timedelta(minutes=5)) == 0  # never twice
    assert keys_of(round_, "late") == set()

    late = round_.deadline + timedelta(minutes=1)
    written = send_round_reminders(now=late)
    overdue = keys_of(round_, "late")
    assert written == len(overdue) and {r for r, _ in overdue} == expected
    assert send_round_reminders(now=late + timedelta(minutes=5)) == 0
    assert keys_of(round_, "reminder") == reminded

    notice = Notification.objects.filter(event_key__contains=":late:").first()
    assert notice.kind == "late" and notice.url.startswith("/rapportering/innsendinger/")


def test_a_municipality_that_submits_is_not_reminded_late(round_):
    send_round_reminders(now=round_.deadline - timedelta(minutes=30))
    municipality = round_.submissions.exclude(municipality__slug=BERGEN).filter(
        municipality__role_assignments__role=Role.EMERGENCY_MANAGER
    )[0]
    writer = RoleAssignment.objects.filter(
        organisation_id=municipality.municipality_id, role=Role.EMERGENCY_MANAGER
    )[0].user
    actions.do_submit(municipality, expected_version=1, acting_user=writer, answers={"antall": 1})
    send_round_reminders(now=round_.deadline + timedelta(minutes=1))
    late_for = {key.rsplit(":", 1)[1] for _, key in keys_of(round_, "late")}
    assert str(municipality.municipality_id) not in late_for
    assert str(org(BERGEN).pk) not in late_for


def test_short_rounds_are_reminded_in_their_last_quarter():
    round_ = actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=a_form(),
        title="Kort runde",
        deadline=timezone.now() + timedelta(hours=1),
        offices=[vestland()],
    )
    assert reporting_tasks.reminder_lead(round_) == (round_.deadline - round_.opened_at) / 4
    assert send_round_reminders(now=round_.deadline - timedelta(minutes=20)) == 0
    assert send_round_reminders(now=round_.deadline - timedelta(minutes=10)) > 0


def test_closed_rounds_get_no_reminders(round_):
    actions.do_close_round(round_, acting_user=user("vestland_officer"))
    assert send_round_reminders(now=round_.deadline - timedelta(minutes=30)) == 0
    assert send_round_reminders(now=round_.deadline + timedelta(minutes=30)) == 0


def test_the_outbox_sends_each_email_once(round_):
    mail.outbox.clear()
    send_round_reminders(now=round_.deadline - timedelta(minutes=30))
    pending = Notification.objects.filter(email_state=EmailState.PENDING).count()
    assert pending > 0
    assert deliver_notifications() == pending == len(mail.outbox)
    assert deliver_notifications() == 0
    assert len(mail.outbox) == pending
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(set(ids)) == len(ids)
    assert not Notification.objects.filter(email_state=EmailState.PENDING).exists()


def test_notifications_are_visible_only_to_their_recipient(round_):
    mine = Notification.objects.visible_to(user("bergen_manager"))
    assert mine.exists()
    assert set(mine.values_list("recipient_id", flat=True)) == {user("bergen_manager").pk}
    assert (
        not Notification.objects.visible_to(user("vestland_officer"))
        .filter(recipient=user("bergen_manager"))
        .exists()
    )
    from django.contrib.auth.models import AnonymousUser

    assert not Notification.objects.visible_to(AnonymousUser()).exists()


# --- recurring rounds -----------------------------------------------------------------


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def a_schedule(**kwargs):
    values = {
        "issuer": org("statsforvalteren-vestland"),
        "acting_user": user("vestland_officer"),
        "form": a_form(),
        "title": "Daglig situasjonsrapport",
        "time_of_day": time(12, 0),
        "deadline_hours": 4,
        "starts_on": timezone.localdate(),
        "offices": [vestland()],
    }
    return actions.do_create_schedule(**{**values, **kwargs})


def test_a_schedule_issues_one_round_a_day_until_stopped():
    schedule = a_schedule()
    today = timezone.localdate()
    assert issue_due_rounds(now=at(today, 11, 59)) == 0  # not yet time
    assert issue_due_rounds(now=at(today, 12, 0)) == 1
    assert issue_due_rounds(now=at(today, 12, 1)) == 0  # a second tick: nothing
    assert issue_due_rounds(now=at(today, 18, 0)) == 0
    round_ = ReportingRound.objects.get(schedule=schedule)
    assert round_.occurrence == today
    assert round_.issued_by == user("vestland_officer")
    assert round_.title == f"Daglig situasjonsrapport {today:%d.%m.%Y}"
    assert abs(round_.deadline - round_.opened_at - timedelta(hours=4)) < timedelta(seconds=5)
    assert round_.submissions.count() == round_.recipients.count() > 40
    assert Notification.objects.filter(event_key=f"round:{round_.uuid}:issued").exists()

    tomorrow = today + timedelta(days=1)
    assert issue_due_rounds(now=at(tomorrow, 12, 5)) == 1
    assert schedule.rounds.count() == 2
    actions.do_stop_schedule(schedule, acting_user=user("vestland_officer"))
    assert issue_due_rounds(now=at(tomorrow + timedelta(days=1), 12, 5)) == 0
    assert schedule.rounds.count() == 2


def test_missed_days_are_not_caught_up():
    schedule = a_schedule()
    RoundSchedule.objects.filter(pk=schedule.pk).update(
        starts_on=timezone.localdate() - timedelta(days=3)
    )
    assert issue_due_rounds(now=at(timezone.localdate(), 13, 0)) == 1
    assert list(schedule.rounds.values_list("occurrence", flat=True)) == [timezone.localdate()]


def test_a_schedule_not_begun_issues_nothing():
    a_schedule(starts_on=timezone.localdate() + timedelta(days=1))
    assert issue_due_rounds(now=at(timezone.localdate(), 23, 0)) == 0


def test_two_ticks_racing_make_one_round(monkeypatch):
    schedule = a_schedule()
    today = timezone.localdate()
    actions.do_issue_scheduled_round(schedule, occurrence=today)
    # The other tick read the schedules before this round was committed.
    monkeypatch.setattr(
        reporting_tasks, "due_schedules", lambda now: RoundSchedule.objects.filter(pk=schedule.pk)
    )
    assert issue_due_rounds(now=at(today, 13, 0)) == 0
    assert schedule.rounds.count() == 1


def test_a_schedule_whose_creator_left_issues_nothing():
    schedule = a_schedule()
    RoleAssignment.objects.filter(user=user("vestland_officer")).delete()
    assert issue_due_rounds(now=at(timezone.localdate(), 13, 0)) == 0
    assert schedule.rounds.count() == 0


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"deadline_hours": 0}, "deadline_hours"),
        ({"deadline_hours": 169}, "deadline_hours"),
        ({"offices": []}, "offices"),
        ({"title": "  "}, "title"),
        ({"time_of_day": None}, "time_of_day"),
        ({"starts_on": timezone.localdate() - timedelta(days=1)}, "starts_on"),
    ],
)
def test_bad_schedule_input_saves_nothing(kwargs, field):
    form = a_form()
    with pytest.raises(ValidationError) as error:
        a_schedule(form=form, **kwargs)
    assert field in error.value.message_dict
    assert not RoundSchedule.objects.exists()


def test_only_the_issuers_people_set_up_and_stop_schedules():
    with pytest.raises(PermissionDenied):
        a_schedule(acting_user=user("rogaland_officer"))  # not its office
    with pytest.raises(PermissionDenied):
        a_schedule(issuer=org("statsforvalteren-rogaland"))  # Vestland officer, not its region
    schedule = a_schedule()
    with pytest.raises(PermissionDenied):
        actions.do_stop_schedule(schedule, acting_user=user("rogaland_officer"))
    schedule.refresh_from_db()
    assert schedule.stopped_at is None
    stopped = actions.do_stop_schedule(schedule, acting_user=user("vestland_officer"))
    again = actions.do_stop_schedule(schedule, acting_user=user("vestland_officer"))
    assert again.stopped_at == stopped.stopped_at
    assert set(RoundSchedule.objects.visible_to(user("rogaland_officer"))) == set()
    assert list(RoundSchedule.objects.visible_to(user("vestland_officer"))) == [schedule]


class RefusingBackend(locmem.EmailBackend):
    """Refuses one address for good (550) and another for now (450)."""

    CODES = {"forste_leder@test.samvirke.no": 550, "andre_stab@test.samvirke.no": 450}

    def send_messages(self, messages):
        for message in messages:
            code = self.CODES.get(message.to[0])
            if code:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (code, b"No")})
        return super().send_messages(messages)


REFUSING = {"default": {"BACKEND": "tests.reporting.test_reminders.RefusingBackend"}}


def test_a_refused_address_does_not_hold_up_the_outbox(round_, settings, monkeypatch):
    settings.MAILERS = REFUSING
    mail.outbox.clear()
    pending = Notification.objects.filter(email_state=EmailState.PENDING)
    total = pending.count()
    assert total > 2
    sent = deliver_notifications()
    assert sent == len(mail.outbox) == total - 2  # everyone else got theirs
    forever = Notification.objects.get(recipient=user("forste_leder"))
    assert forever.email_state == EmailState.FAILED  # given up; still in the portal
    assert forever.email_attempts == 1 and "550" in forever.email_error
    later = Notification.objects.get(recipient=user("andre_stab"))
    assert later.email_state == EmailState.PENDING  # tried again after its backoff
    assert later.email_attempts == 1 and later.next_attempt_at > timezone.now()
    monkeypatch.setattr(RefusingBackend, "CODES", {})  # the mailbox has room again
    assert deliver_notifications() == 0  # not before its time
    Notification.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now())
    assert deliver_notifications() == 1
    later.refresh_from_db()
    assert later.email_state == EmailState.SENT


def test_reminders_run_a_constant_number_of_queries(django_assert_max_num_queries):
    national = actions.do_issue_round(
        issuer=org("dsb"),
        acting_user=user("dsb_analyst"),
        form=ReportForm.objects.get(owner__slug="dsb"),
        title="Nasjonal runde",
        deadline=timezone.now() + timedelta(hours=8),
        offices=list(Office.objects.all()),
    )
    assert national.recipients.count() == 357
    # Rounds, drafts, writers, earlier notifications, one insert (+ the savepoint pair),
    # the task outbox row of the e-mail delivery.
    with django_assert_max_num_queries(8):
        written = send_round_reminders(now=national.deadline - timedelta(minutes=30))
    assert written > 0
    with django_assert_max_num_queries(7):
        assert send_round_reminders(now=national.deadline - timedelta(minutes=25)) == 0


def test_notices_of_an_exercise_round_say_so():
    from incidents.log.models import CrisisFrame

    frame = CrisisFrame.objects.create(
        title="Øvelse Vestland",
        type="extreme_weather",
        started_at=timezone.now(),
        owner=org("dsb"),
        is_exercise=True,
    )
    round_ = actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=a_form(),
        title="Øvelsesrunde",
        deadline=timezone.now() + timedelta(hours=8),
        offices=[vestland()],
        frame=frame,
    )
    assert round_.is_exercise
    send_round_reminders(now=round_.deadline - timedelta(minutes=30))
    titles = Notification.objects.filter(
        recipient=user("bergen_manager"), event_key__startswith=f"round:{round_.uuid}:"
    ).values_list("title", flat=True)
    assert len(titles) == 2
    assert all(t.startswith(("ØVELSE", "EXERCISE")) for t in titles), titles
