"""Exempt stays exempt (issue 10, point 7): a task made from an exempt log entry
(unntatt offentlighet) is exempt too, with the entry's legal basis; it is marked in
"Mine oppgaver", on the incident's task page and in the API, and its notice to the
assignee says only that there is a task, with a link — never the entry's text, neither
in the portal nor by e-mail."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from incidents.log import actions
from incidents.log.models import EntryKind, Task
from portal.models import Notification, NotificationKind
from portal.notifications.tasks import deliver_notifications
from tests.incidents.factories import make_incident, write
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN = "kommune-4601"
SECRET = "Pasient Kari Nordmann evakueres fra Haukeland"
MARK = "Unntatt offentlighet, offl. § 13"


@pytest.fixture
def exempt_entry():
    incident = make_incident(owner_slug=BERGEN, author="bergen_manager")
    entry = write(
        incident,
        f"{SECRET}\nPårørende er varslet.",
        author="bergen_manager",
        kind=EntryKind.ACTION,
        exempt=True,
        exempt_basis="offl. § 13",
    )
    return incident, entry


def page(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_a_task_made_from_an_exempt_entry_is_exempt_and_marked(login, exempt_entry):
    incident, entry = exempt_entry
    client = login("bergen_manager")
    url = reverse("incidents:task-create", args=[incident.uuid])
    assert "og det blir også en oppgave laget av den" in page(client, url, entry=entry.uuid)
    response = client.post(
        url,
        {
            "title": SECRET,
            "description": entry.text,
            "assignee_user": user("bergen_reader").pk,
            "source_entry": entry.uuid,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(incident=incident)
    assert (task.exempt, task.exempt_basis) == (True, "offl. § 13")
    reader = login("bergen_reader")
    mine = page(reader, reverse("incidents:my-tasks"))
    row = mine[mine.index(f'id="task-{task.uuid}"') :]
    assert MARK in row[: row.index("</tr>")]
    listing = page(reader, reverse("incidents:task-list", args=[incident.uuid]))
    assert MARK in listing
    assert MARK in page(reader, reverse("incidents:incident-detail", args=[incident.uuid]))
    api = reader.get(reverse("api:task-detail", args=[task.uuid])).json()
    assert (api["exempt"], api["exempt_basis"]) == (True, "offl. § 13")


def test_the_notice_of_an_exempt_task_carries_no_exempt_text(exempt_entry):
    incident, entry = exempt_entry
    task = actions.do_create_task(
        incident,
        acting_user=user("bergen_manager"),
        title=SECRET,
        description=entry.text,
        source_entry=entry,
        assignee_user=user("bergen_reader"),
    )
    assert task.exempt
    notice = Notification.objects.get(kind=NotificationKind.TASK)
    assert notice.recipient == user("bergen_reader")
    assert notice.url.startswith(reverse("incidents:my-tasks"))
    assert "Kari" not in notice.title + notice.body and "Pårørende" not in notice.body
    assert "unntatt offentlighet" in notice.title
    mail.outbox.clear()
    assert deliver_notifications() == 1
    message = mail.outbox[0].message().as_string()
    assert "Kari" not in message and "Haukeland" not in message
    assert reverse("incidents:my-tasks") in mail.outbox[0].body


def test_a_task_from_an_open_entry_is_not_exempt_and_its_notice_says_what(login):
    incident = make_incident(owner_slug=BERGEN, author="bergen_manager")
    entry = write(incident, "Skaff 500 sandsekker", author="bergen_manager", kind="action")
    task = actions.do_create_task(
        incident,
        acting_user=user("bergen_manager"),
        title="Skaff sandsekker",
        source_entry=entry,
        assignee_role="reader",
    )
    assert (task.exempt, task.exempt_basis) == (False, "")
    notice = Notification.objects.get(kind=NotificationKind.TASK)
    assert notice.recipient == user("bergen_reader")  # the role's holders
    assert "Skaff sandsekker" in notice.title
    assert "Unntatt offentlighet" not in page(login("bergen_reader"), reverse("incidents:my-tasks"))
