"""The demo library loads, is idempotent, and leaves diffs and notifications behind."""

import pytest
from django.core.management import call_command

from networks.library.models import Adoption, Document, DocumentVersion
from portal.models import Notification, User

pytestmark = pytest.mark.django_db


def test_demo_library_is_idempotent_and_notifies_the_adopters():
    call_command("load_demo_library", verbosity=0)
    draft = Document.objects.get(
        owner__slug="kommune-1103", title__startswith="Lokal forskrift om smitteverntiltak"
    )
    assert draft.current_number == 2
    adopters = set(
        Adoption.objects.filter(source=draft).values_list("organisation__name", flat=True)
    )
    assert adopters == {"Sandnes kommune", "Sola kommune", "Randaberg kommune"}
    sandnes = User.objects.get(email="sandnes.beredskap@demo.samvirke.no")
    notice = Notification.objects.get(recipient=sandnes, kind="new_version")
    assert notice.url.endswith("?fra=1&til=2")
    assert not User.objects.filter(username__startswith="demo-bibliotek-", is_active=True).exists()

    def counts():
        return [m.objects.count() for m in (Document, DocumentVersion, Adoption, Notification)]

    before = counts()
    call_command("load_demo_library", verbosity=0)
    assert counts() == before
