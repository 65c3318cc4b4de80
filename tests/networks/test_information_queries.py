"""The message list, a message's page and the read-receipt overview run a constant
number of queries: the same for a few messages, questions or recipients as for many —
the receipts of a message to all 357 municipalities included."""

import pytest
from django.urls import reverse

from networks.information.actions import do_answer_question, do_mark_read, do_send_message
from networks.structure.models import Organisation
from tests.access.information_cases import a_text_file, make_message, make_question
from tests.helpers import login_as, org, query_count
from tests.personas import user

pytestmark = pytest.mark.django_db


def count(client, url, **headers):
    client.get(url, **headers)  # warm caches (session, viewer)
    return query_count(client, url, **headers)


def to_every_municipality():
    return do_send_message(
        sender=org("dsb"),
        acting_user=user("dsb_analyst"),
        title="Covid-19: nye tiltak",
        body="Til alle kommuner.",
        all_municipalities=True,
    )


@pytest.mark.parametrize(
    "persona,route,headers",
    [
        ("dsb_analyst", "networks:message-list", {}),
        ("bergen_manager", "networks:message-list", {}),
        ("bergen_manager", "networks:message-list", {"HTTP_HX_REQUEST": "true"}),
        ("dsb_analyst", "api:message-list", {}),
        ("bergen_manager", "api:message-list", {}),
    ],
)
def test_lists_constant(client, persona, route, headers):
    login_as(client, user(persona))
    make_message(title="Første")
    few = count(client, reverse(route), **headers)
    for i in range(8):
        message = make_message(title=f"Melding {i}", attachments=[a_text_file()])
        do_mark_read(message, acting_user=user("bergen_manager"))
    many = count(client, reverse(route), **headers)
    assert many == few, (few, many)


@pytest.mark.parametrize("persona", ["dsb_analyst", "bergen_manager"])
def test_message_page_constant(client, persona):
    login_as(client, user(persona))
    message = make_message(attachments=[a_text_file()])
    make_question(message)
    url = reverse("networks:message-detail", args=[message.uuid])
    few = count(client, url)
    for i in range(6):
        question = make_question(message)
        if i % 2:
            do_answer_question(question, acting_user=user("dsb_analyst"), answer="Ja", public=True)
    many = count(client, url)
    assert many == few, (few, many)


@pytest.mark.parametrize(
    "route,headers",
    [
        ("networks:message-receipts", {}),
        ("networks:message-receipts-updates", {"HTTP_HX_REQUEST": "true"}),
        ("api:message-receipts", {}),
    ],
)
def test_receipts_of_357_constant(client, route, headers):
    """One region (43 recipients) against every municipality (357), half of them read."""
    login_as(client, user("dsb_analyst"))
    small = make_message(regions=("vestland",))
    everyone = to_every_municipality()
    assert everyone.recipient_count == Organisation.objects.filter(kind="municipality").count()
    assert everyone.recipient_count == 357
    readers = list(everyone.recipients.order_by("organisation_id")[:180])
    everyone.recipients.filter(pk__in=[r.pk for r in readers]).update(
        read_by=user("bergen_manager"), read_at=everyone.sent_at
    )
    few = count(client, reverse(route, args=[small.uuid]) + "?v=x", **headers)
    many = count(client, reverse(route, args=[everyone.uuid]) + "?v=x", **headers)
    assert many == few, (few, many)
    assert many <= 12, many
