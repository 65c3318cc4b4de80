"""The demo comment rounds and action cards load, read as intended and load only once."""

import pytest
from django.core.management import call_command

from incidents.log.models import LogEntry, Task
from networks.comment_rounds.models import CommentRound, DocumentComment
from networks.library.models import Document

pytestmark = pytest.mark.django_db


def test_demo_hearings_load_once():
    call_command("load_demo_incidents", verbosity=0)
    call_command("load_demo_hearings", verbosity=0)
    counts = (
        Document.objects.count(),
        CommentRound.objects.count(),
        DocumentComment.objects.count(),
        Task.objects.count(),
        LogEntry.objects.count(),
    )
    call_command("load_demo_hearings", verbosity=0)
    assert counts == (
        Document.objects.count(),
        CommentRound.objects.count(),
        DocumentComment.objects.count(),
        Task.objects.count(),
        LogEntry.objects.count(),
    )
    closed = CommentRound.objects.get(
        document__title="Veileder for kommunal beredskapsplikt – utkast til revisjon"
    )
    assert closed.closed_at is not None and closed.summary
    assert closed.comments.count() == 5
    assert not closed.comments.filter(decision="pending").exists()
    assert {c.organisation.slug for c in closed.comments.all()} == {
        "kommune-4601", "kommune-1103", "kommune-5001",
    }  # fmt: skip
    open_round = CommentRound.objects.get(document__kind="evaluation_template")
    assert (
        open_round.closed_at is None and open_round.comments.filter(decision="pending").count() == 2
    )
    tasks = Task.objects.filter(card_version__document__title="Tiltakskort: Langvarig strømbrudd")
    assert tasks.count() == 7
    assert tasks.first().incident.title == "ØVELSE – langvarig strømbrudd i Bergen"
    assert Document.objects.filter(kind="action_card").count() == 2
