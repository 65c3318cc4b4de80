"""Information down: sending resolves the recipients to rows and notifies once; reading
records each organisation's first reader; the receipts page and its poll; reminders once
per organisation (the database refuses a second); questions and answers; bad input."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from incidents.log.models import CrisisFrame
from networks.information.actions import (
    do_answer_question,
    do_mark_read,
    do_remind,
    do_send_message,
)
from networks.information.models import (
    Message,
    MessageQuestion,
    MessageRecipient,
    MessageReminder,
    Urgency,
)
from networks.structure.models import Organisation
from portal.models import Notification, NotificationKind, RoleAssignment
from tests.access.aid_cases import make_incident, make_user
from tests.access.information_cases import a_text_file, make_message, make_question
from tests.helpers import html, login_as, org
from tests.personas import user

pytestmark = pytest.mark.django_db


def municipalities_of(*office_slugs):
    return Organisation.objects.filter(kind="municipality", region__slug__in=office_slugs)


def test_sending_resolves_the_regions_to_their_municipalities():
    message = make_message()
    expected = set(municipalities_of("vestland", "rogaland").values_list("pk", flat=True))
    got = set(message.recipients.values_list("organisation_id", flat=True))
    assert got == expected and len(expected) > 40
    assert message.recipient_count == len(expected)
    assert org("kommune-3301").pk not in got  # Drammen is in Øst


def test_every_municipality_and_never_the_sender():
    message = do_send_message(
        sender=org("ks"),
        acting_user=user("ks_analyst"),
        title="KS: erfaringsdeling",
        body="Til alle kommuner.",
        all_municipalities=True,
        organisations=[org("ks")],
    )
    assert message.recipient_count == Organisation.objects.filter(kind="municipality").count()
    assert not message.recipients.filter(organisation=org("ks")).exists()


def test_recipients_are_kept_as_sent():
    """A later change of the addressing's meaning does not change who got the message."""
    message = make_message(regions=("vestland",))
    before = message.recipient_count
    bergen = org("kommune-4601")
    bergen.region = org("statsforvalteren-rogaland").office
    bergen.save()
    assert message.recipients.filter(organisation=bergen).exists()
    assert Message.objects.get(pk=message.pk).recipient_count == before


def test_only_senders_send():
    with pytest.raises(PermissionDenied):
        make_message(sender="kommune-4601", author="bergen_manager")
    with pytest.raises(PermissionDenied):  # DSB's analyst cannot send for KS
        make_message(sender="ks", author="dsb_analyst")


def test_bad_input_is_refused_whole():
    with pytest.raises(ValidationError) as error:
        do_send_message(
            sender=org("dsb"),
            acting_user=user("dsb_analyst"),
            title="",
            body="",
            exempt=True,
            urgency="panic",
        )
    assert set(error.value.message_dict) == {
        "title",
        "body",
        "urgency",
        "exempt_basis",
        "recipients",
    }
    assert not Message.objects.exists()


def test_a_link_the_sender_cannot_see_is_refused():
    drammen = make_incident("kommune-3301", user("drammen_staff"))
    with pytest.raises(ValidationError) as error:
        make_message(incident=drammen)
    assert "incident" in error.value.message_dict


def test_urgent_notifies_managers_and_crisis_staff_once_information_only_managers():
    bergen_staff = make_user("bergen_staff", "kommune-4601", role="crisis_staff")
    make_message(urgency=Urgency.URGENT)
    notified = set(
        Notification.objects.filter(kind=NotificationKind.MESSAGE).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"bergen_manager", "stavanger_manager", "bergen_staff"} <= notified
    assert "bergen_reader" not in notified and "drammen_staff" not in notified
    Notification.objects.all().delete()
    make_message(urgency=Urgency.INFORMATION, title="Til orientering")
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert "bergen_manager" in notified and bergen_staff.username not in notified
    assert Notification.objects.filter(recipient=user("bergen_manager")).count() == 1


def test_an_exempt_message_is_not_in_the_notice():
    make_message(exempt=True, exempt_basis="offl. § 24", body="Hemmelig plan")
    notice = Notification.objects.get(recipient=user("bergen_manager"))
    assert "Hemmelig" not in notice.body and "Hans" not in notice.title


def test_the_first_reader_is_recorded_once(client):
    message = make_message()
    login_as(client, user("bergen_reader"))
    assert client.get(reverse("networks:message-detail", args=[message.uuid])).status_code == 200
    row = MessageRecipient.objects.get(message=message, organisation=org("kommune-4601"))
    assert row.read_by == user("bergen_reader") and row.read_at is not None
    first = row.read_at
    assert do_mark_read(message, acting_user=user("bergen_manager")) == 0
    row.refresh_from_db()
    assert row.read_by == user("bergen_reader") and row.read_at == first
    # The sender reading its own message is no one's reading.
    assert do_mark_read(message, acting_user=user("dsb_analyst")) == 0


def test_receipts_page_counts_and_poll(client, django_capture_on_commit_callbacks):
    message = make_message()
    login_as(client, user("dsb_analyst"))
    url = reverse("networks:message-receipts", args=[message.uuid])
    page = html(client.get(url))
    assert f"0 of {message.recipient_count} read" in page or "0 av" in page
    poll = reverse("networks:message-receipts-updates", args=[message.uuid])
    first = client.get(poll + "?v=stale", HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    version = first.content.decode().split("?v=")[1].split('"')[0]
    assert client.get(poll + f"?v={version}", HTTP_HX_REQUEST="true").status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        do_mark_read(message, acting_user=user("bergen_manager"))
    changed = client.get(poll + f"?v={version}", HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    text = html(changed)
    assert "Bergen" in text and (f"1 of {message.recipient_count}" in text or "1 av" in text)


def test_remind_once_per_message_and_organisation():
    message = make_message()
    do_mark_read(message, acting_user=user("bergen_manager"))
    reminded = do_remind(message, acting_user=user("dsb_analyst"))
    assert org("kommune-4601") not in reminded and org("kommune-1103") in reminded
    assert len(reminded) == message.recipient_count - 1
    assert Notification.objects.filter(
        recipient=user("stavanger_manager"), kind=NotificationKind.REMINDER
    ).exists()
    with pytest.raises(ValidationError):
        do_remind(message, acting_user=user("dsb_analyst"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageReminder.objects.create(
            message=message, organisation=org("kommune-1103"), reminded_by=user("dsb_analyst")
        )
    with pytest.raises(PermissionDenied):
        do_remind(message, acting_user=user("bergen_manager"))


def test_questions_private_until_the_answer_is_public(client):
    message = make_message()
    question = make_question(message)
    stavanger = MessageQuestion.objects.visible_to(user("stavanger_manager"))
    assert not stavanger.filter(pk=question.pk).exists()
    with pytest.raises(PermissionDenied):
        do_answer_question(question, acting_user=user("bergen_manager"), answer="Ja")
    do_answer_question(question, acting_user=user("dsb_analyst"), answer="Ja, også Askøy.")
    assert not stavanger.filter(pk=question.pk).exists()
    with pytest.raises(ValidationError):
        do_answer_question(question, acting_user=user("dsb_analyst"), answer="Igjen")
    second = make_question(message, asker="stavanger_manager", slug="kommune-1103")
    do_answer_question(second, acting_user=user("dsb_analyst"), answer="Alle.", public=True)
    login_as(client, user("bergen_manager"))
    page = html(client.get(reverse("networks:message-detail", args=[message.uuid])))
    assert "Ja, også Askøy." in page and "Alle." in page


def test_the_reader_cannot_ask_and_the_page_shows_errors_in_place(client):
    message = make_message()
    login_as(client, user("bergen_reader"))
    url = reverse("networks:message-ask", args=[message.uuid])
    assert client.post(url, {"text": "?"}).status_code == 403
    login_as(client, user("bergen_manager"))
    response = client.post(url, {"organisation": org("kommune-4601").pk, "text": "  "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not MessageQuestion.objects.exists()


def test_send_page_errors_in_place_and_success(client):
    login_as(client, user("dsb_analyst"))
    url = reverse("networks:message-create")
    response = client.post(url, {"sender": org("dsb").pk, "title": "Uten mottakere"})
    assert response.status_code == 400 and not Message.objects.exists()
    assert "ds-error-summary" in response.content.decode()
    response = client.post(
        url,
        {
            "sender": org("dsb").pk,
            "title": "Veileder for evakuering",
            "body": "Se vedlegg. <script>alert(1)</script>",
            "urgency": "important",
            "regions": [org("statsforvalteren-vestland").office.pk],
            "attachments": [a_text_file()],
        },
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:message-receipts", args=[message.uuid])
    assert message.attachments.count() == 1
    login_as(client, user("bergen_manager"))
    page = client.get(reverse("networks:message-detail", args=[message.uuid])).content.decode()
    assert "<script>alert(1)</script>" not in page and "veileder.txt" in page


def test_links_shown_only_to_those_who_see_the_target(client):
    """The Øst office links its own (private) incident and a national frame: Bergen sees
    the frame's link, not the incident's (not even its title)."""
    incident = make_incident("statsforvalteren-ostfold-buskerud-oslo-og-akershus",
                             user("oest_officer"), title="Øst: intern stab")  # fmt: skip
    frame = CrisisFrame.objects.create(
        title="Ekstremværet Test", type="extreme_weather", started_at=timezone.now(),
        owner=org("dsb"),
    )  # fmt: skip
    message = make_message(
        "statsforvalteren-ostfold-buskerud-oslo-og-akershus",
        "oest_officer",
        regions=("vestland",),
        incident=incident,
        frame=frame,
    )
    login_as(client, user("bergen_manager"))
    page = html(client.get(reverse("networks:message-detail", args=[message.uuid])))
    assert "Ekstremværet Test" in page and "Øst: intern stab" not in page
    login_as(client, user("oest_officer"))
    page = html(client.get(reverse("networks:message-detail", args=[message.uuid])))
    assert "Øst: intern stab" in page


def test_an_extra_sender_with_two_organisations_chooses(client):
    analyst = make_user("two_hats", "dsb", role="national_analyst")
    RoleAssignment.objects.create(user=analyst, organisation=org("ks"), role="ks_analyst")
    with pytest.raises(PermissionDenied):
        make_message(sender="statsforvalteren-vestland", author="two_hats")
    assert make_message(sender="ks", author="two_hats").sender == org("ks")
