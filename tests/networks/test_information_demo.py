"""The demo messages: DSB's during "Hans" and Covid-19 and the Øst office's, linked to
their frames, dated back, with a read pattern (most read, the big cities first, some
never); a second load adds nothing."""

import pytest
from django.core.management import call_command

from networks.information.demo_data import load_messages
from networks.information.models import Message, MessageRecipient
from portal.models import Notification, User

pytestmark = pytest.mark.django_db


def test_demo_messages():
    call_command("load_demo_incidents", verbosity=0)
    call_command("load_demo_information", verbosity=0)
    assert Message.objects.count() == 5
    covid = Message.objects.with_read_count().get(title__startswith="Covid-19: nasjonale")
    assert covid.recipient_count == 357 and covid.frame.title == "Covid-19"
    assert covid.sent_at.year == 2020
    assert 0.8 * 357 < covid.read_count < 357  # most read, a few never did
    hans = Message.objects.with_read_count().get(title__contains="rødt farevarsel")
    assert hans.frame.title == "Ekstremværet Hans" and hans.read_count < hans.recipient_count
    oslo = MessageRecipient.objects.get(message=covid, organisation__slug="kommune-0301")
    assert oslo.read_at is not None and oslo.read_at > covid.sent_at
    # Bergen's manager (a demo account) reads for Bergen; old messages are no news.
    bergen = MessageRecipient.objects.get(message=covid, organisation__slug="kommune-4601")
    assert bergen.read_by.email.endswith("@demo.samvirke.no")
    assert not Notification.objects.filter(event_key=f"message {covid.uuid}").exists()
    users = User.objects.count()
    assert load_messages() == 0
    assert Message.objects.count() == 5 and User.objects.count() == users
