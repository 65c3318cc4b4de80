"""The library pages: search and filters (constant queries), create, new version, diff,
sharing (with the office made visible), adoption, file downloads and bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.library import actions as la
from networks.library.models import Adoption, Document
from networks.structure.models import Network
from portal.models import Notification, RoleAssignment
from portal.roles import Role
from tests.helpers import login_as, org
from tests.personas import user

# Messages are asserted in their English source text (see the `english` fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

STAVANGER, SANDNES = "kommune-1103", "kommune-1108"
V1 = "§ 1 Formål\nForskriften skal begrense smitte.\n§ 2 Virkeområde\nGjelder i kommunen."


def sandnes_manager():
    from django.contrib.auth import get_user_model

    person, _ = get_user_model().objects.get_or_create(
        username="sandnes_manager_p", defaults={"email": "sandnes_manager_p@test.samvirke.no"}
    )
    RoleAssignment.objects.get_or_create(
        user=person, organisation=org(SANDNES), role=Role.EMERGENCY_MANAGER
    )
    return person


def regulation(shared=True, **kwargs):
    document = la.do_create_document(
        org(STAVANGER),
        user("stavanger_manager"),
        "local_regulation",
        kwargs.pop("title", "Lokal forskrift om tiltak mot smitte"),
        "Smittevern",
        kwargs.pop("body", V1),
        **kwargs,
    )  # fmt: skip
    if shared:
        la.do_share_document(
            document, user("stavanger_manager"), network=Network.objects.get(slug="nord-jaeren")
        )
    return document


def test_create_a_document_with_a_file(client):
    login_as(client, user("stavanger_manager"))
    response = client.post(
        reverse("networks:document-create"),
        {
            "owner": org(STAVANGER).pk,
            "kind": "guide",
            "title": "Veileder for evakuering",
            "topic": "Evakuering",
            "body": "## Slik gjør du\n\n- Varsle",
            "file": SimpleUploadedFile("veileder.pdf", b"%PDF-1.7 test"),
            "checklist": "Varsle innbyggerne | Kommunikasjonsleder | Innen 1 time",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="Veileder for evakuering")
    version = document.versions.get()
    assert version.checklist == [
        {"title": "Varsle innbyggerne", "role": "Kommunikasjonsleder", "time_frame": "Innen 1 time"}
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Veileder for evakuering" in page and "veileder.pdf" in page
    download = client.get(reverse("networks:document-file", args=[document.uuid, 1]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 test"


def test_a_file_that_is_not_what_its_name_says_is_refused_in_place(client):
    login_as(client, user("stavanger_manager"))
    before = Document.objects.count()
    response = client.post(
        reverse("networks:document-create"),
        {
            "owner": org(STAVANGER).pk,
            "kind": "guide",
            "title": "Falsk fil",
            "file": SimpleUploadedFile("plan.docx", b"MZ\x90\x00 this is an exe"),
        },
    )
    assert response.status_code == 400
    assert "plan.docx is not a real .docx file." in response.content.decode()
    assert Document.objects.count() == before


def test_new_version_diff_and_versions_pages(client):
    document = regulation()
    login_as(client, user("stavanger_manager"))
    edit = reverse("networks:document-edit", args=[document.uuid])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "title": document.title,
            "body": V1.replace("begrense", "hindre"),
            "change_note": "Skjerpet formålet",
            "expected_number": 1,
        },
    )  # fmt: skip
    assert response.status_code == 302
    stale = client.post(edit, {"title": "X", "body": "y", "expected_number": 1})
    assert stale.status_code == 400
    assert "Someone saved version 2" in stale.content.decode()
    diff = client.get(reverse("networks:document-diff", args=[document.uuid]) + "?fra=1&til=2")
    html = diff.content.decode()
    assert diff.status_code == 200
    assert "<del>" in html and "begrense" in html and "<ins>" in html and "hindre" in html
    assert "--- version 1" in html  # the text alternative (unified diff)
    versions = client.get(reverse("networks:document-versions", args=[document.uuid]))
    assert "Skjerpet formålet" in versions.content.decode()
    v1 = client.get(reverse("networks:document-version", args=[document.uuid, 1]))
    assert "begrense" in v1.content.decode()
    missing = reverse("networks:document-diff", args=[document.uuid]) + "?fra=1&til=9"
    assert client.get(missing).status_code == 404


def test_the_office_sees_the_sharing(client):
    document = regulation()
    login_as(client, user("rogaland_officer"))
    page = client.get(reverse("networks:document-detail", args=[document.uuid])).content.decode()
    assert "Nord-Jæren" in page and "Statsforvalteren i Rogaland" in page


def test_adopt_notify_and_see_the_diff(client):
    document = regulation()
    sandnes = sandnes_manager()
    login_as(client, sandnes)
    response = client.post(
        reverse("networks:document-adopt", args=[document.uuid]), {"organisation": org(SANDNES).pk}
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get(source=document, organisation=org(SANDNES))
    origin_page = client.get(reverse("networks:document-detail", args=[document.uuid]))
    assert 'id="own-copy"' in origin_page.content.decode()
    assert 'id="adopt-form"' not in origin_page.content.decode()  # that version is adopted
    copy_page = client.get(response["Location"]).content.decode()
    assert "Adopted from" in copy_page or "Tatt i bruk" in copy_page
    la.do_new_version(
        document, acting_user=user("stavanger_manager"), title=document.title, body="§ 1 Ny"
    )
    notice = Notification.objects.get(recipient=sandnes, kind="new_version")
    diff = client.get(notice.url)
    assert diff.status_code == 200 and "<ins>" in diff.content.decode()
    origin = client.get(reverse("networks:document-detail", args=[adoption.copy.uuid]))
    assert "?fra=1&amp;til=2" in origin.content.decode()
    beside = client.get(reverse("networks:document-origin-diff", args=[adoption.copy.uuid]))
    html = beside.content.decode()
    assert beside.status_code == 200 and "<ins>" in html and "§ 1 Ny" in html
    assert "Stavanger kommune, version 2" in html or "Stavanger kommune, versjon 2" in html
    # the origin's owner sees who adopted which version
    login_as(client, user("stavanger_manager"))
    page = client.get(reverse("networks:document-detail", args=[document.uuid])).content.decode()
    assert "Sandnes kommune" in page


def test_adopting_what_is_not_shared_is_404(client):
    document = regulation(shared=False)
    login_as(client, sandnes_manager())
    response = client.post(
        reverse("networks:document-adopt", args=[document.uuid]), {"organisation": org(SANDNES).pk}
    )
    assert response.status_code == 404
    assert not Adoption.objects.exists()


def test_share_and_unshare(client):
    document = regulation(shared=False)
    login_as(client, user("stavanger_manager"))
    url = reverse("networks:document-share", args=[document.uuid])
    assert client.post(url, {}).status_code == 400  # no audience: errors in place
    assert client.post(url, {"network": "nord-jaeren"}).status_code == 302
    share = document.shares.get()
    response = client.post(
        reverse("networks:document-unshare", args=[document.uuid]), {"share": share.pk}
    )
    assert response.status_code == 302 and not document.shares.exists()


def test_search_finds_norwegian_word_forms_and_filters(client):
    regulation(title="Lokal forskrift om evakuering ved flom", body="Flommen krever evakuering.")
    la.do_create_document(
        org(STAVANGER), user("stavanger_manager"), "guide", "Veileder strøm", "Strøm", "Strøm"
    )
    login_as(client, user("stavanger_manager"))
    url = reverse("networks:document-list")
    page = client.get(url, {"q": "flom"}).content.decode()
    assert "evakuering ved flom" in page and "Veileder strøm" not in page
    page = client.get(url, {"kind": "guide"}).content.decode()
    assert "Veileder strøm" in page and "evakuering ved flom" not in page
    page = client.get(url, {"network": "nord-jaeren"}).content.decode()
    assert "evakuering ved flom" in page and "Veileder strøm" not in page
    partial = client.get(url, {"q": "flom"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "evakuering ved flom" in partial
    # Bergen does not see what is shared with Nord-Jæren
    login_as(client, user("bergen_manager"))
    assert "evakuering ved flom" not in client.get(url, {"q": "flom"}).content.decode()


@pytest.mark.parametrize("api", [False, True])
def test_the_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, api):
    login_as(client, user("stavanger_manager"))
    url = reverse("api:document-list") if api else reverse("networks:document-list")

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"q": "forskrift"}).status_code == 200
        return len(ctx.captured_queries)

    regulation()
    few = count()
    for n in range(15):
        regulation(title=f"Lokal forskrift nr. {n}")
    assert count() == few
