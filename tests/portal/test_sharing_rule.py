"""The one sharing rule (portal.access.shared_visible_q) keeps default deny: a user with
no role anywhere sees nothing, not even what is shared with everyone in the portal."""

import pytest

from incidents.lessons.models import Lesson
from networks.library import actions as library_actions
from networks.library.models import Document
from networks.structure.models import Organisation
from tests.personas import user

pytestmark = pytest.mark.django_db


def test_shared_with_everyone_reaches_every_organisation_but_not_a_user_without_one():
    document = library_actions.do_create_document(
        Organisation.objects.get(slug="kommune-4601"),
        user("bergen_manager"),
        "guide",
        "Veileder for evakuering ved flom",
        body="## Varsling\nBeboerne varsles på SMS.",
    )
    library_actions.do_share_document(document, user("bergen_manager"), everyone=True)
    for name in ("stavanger_manager", "ks_analyst", "dsb_analyst", "rogaland_officer"):
        assert Document.objects.visible_to(user(name)).filter(pk=document.pk).exists(), name
    assert not Document.objects.visible_to(user("nobody")).exists()
    assert not Lesson.objects.visible_to(user("nobody")).exists()
