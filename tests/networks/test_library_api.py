"""The library API: create (with a file checked by content), new versions with the
conflict check, diff, shares, adoptions (a source not shared with you is 400 on
``source``), search with filters in a constant number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.library import actions as la
from networks.library.models import Adoption, Document
from networks.structure.models import Network
from portal.models import RoleAssignment
from portal.roles import Role
from tests.helpers import login_as, org
from tests.personas import user

pytestmark = pytest.mark.django_db

STAVANGER, SANDNES = "kommune-1103", "kommune-1108"
FILTERS = {"q": "flom", "network": "nord-jaeren", "kind": "local_regulation"}


def sandnes_manager():
    from django.contrib.auth import get_user_model

    person, _ = get_user_model().objects.get_or_create(
        username="sandnes_manager_api", defaults={"email": "sandnes_manager_api@test.samvirke.no"}
    )
    RoleAssignment.objects.get_or_create(
        user=person, organisation=org(SANDNES), role=Role.EMERGENCY_MANAGER
    )
    return person


def a_draft(shared=True):
    document = la.do_create_document(
        org(STAVANGER), user("stavanger_manager"), "local_regulation",
        "Lokal forskrift om flom", "Flom", "§ 1 Formål\nBegrense skade ved flom.",
    )  # fmt: skip
    if shared:
        la.do_share_document(
            document, user("stavanger_manager"), network=Network.objects.get(slug="nord-jaeren")
        )
    return document


def test_create_with_a_checklist_and_a_file(client):
    login_as(client, user("stavanger_manager"))
    response = client.post(
        reverse("api:document-list"),
        {
            "owner": str(org(STAVANGER).uuid),
            "kind": "action_card",
            "title": "Tiltakskort: flom",
            "body": "Når flomvarsel er gult",
            "checklist": '[{"title": "Sett kriseledelsen", "role": "Beredskapssjef"}]',
            "file": SimpleUploadedFile("kort.pdf", b"%PDF-1.7 x"),
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == 1 and body["latest"]["checklist"][0]["title"] == "Sett kriseledelsen"
    assert body["latest"]["file_url"].endswith("/versions/1/file/")
    assert client.get(body["latest"]["file_url"]).status_code == 200
    assert body["shares"] == []


def test_a_renamed_file_is_400_and_nothing_is_saved(client):
    login_as(client, user("stavanger_manager"))
    before = Document.objects.count()
    response = client.post(
        reverse("api:document-list"),
        {
            "owner": str(org(STAVANGER).uuid),
            "kind": "guide",
            "title": "Falsk",
            "file": SimpleUploadedFile("veileder.odt", b"GIF89a not an odt"),
        },
    )
    assert response.status_code == 400 and "file" in response.json()
    assert Document.objects.count() == before


def test_new_version_conflict_and_diff(client):
    document = a_draft()
    login_as(client, user("stavanger_manager"))
    url = reverse("api:document-versions", args=[document.uuid])
    body = {"title": "Lokal forskrift om flom", "body": "§ 1 Formål\nHindre skade ved flom.",
            "expected_number": 1}  # fmt: skip
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["number"] == 2
    stale = client.post(url, body, content_type="application/json")
    # A version conflict is 412 with the version now stored (portal.api), as everywhere.
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2 and stale.json()["detail"]
    versions = client.get(url).json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[1]["body"] == "§ 1 Formål\nBegrense skade ved flom."
    diff = client.get(reverse("api:document-diff", args=[document.uuid]), {"from": 1, "to": 2})
    data = diff.json()
    assert data["from_version"] == 1 and data["to_version"] == 2 and data["changed"]
    assert "-Begrense skade ved flom." in data["unified"]
    assert "+Hindre skade ved flom." in data["unified"]
    assert "<del>" in data["html"] and "<ins>" in data["html"]
    # someone who sees it but does not write for Stavanger
    login_as(client, user("rogaland_officer"))
    assert client.post(url, body, content_type="application/json").status_code == 403


def test_shares_and_the_office(client):
    document = a_draft(shared=False)
    login_as(client, user("stavanger_manager"))
    url = reverse("api:document-shares", args=[document.uuid])
    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(url, {"network": "nord-jaeren"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["audience"] == "Nord-Jæren"
    login_as(client, user("rogaland_officer"))
    detail = client.get(reverse("api:document-detail", args=[document.uuid])).json()
    assert [s["network"] for s in detail["shares"]] == ["nord-jaeren"]
    login_as(client, user("stavanger_manager"))
    removed = client.post(
        reverse("api:document-unshare", args=[document.uuid]),
        {"network": "nord-jaeren"},
        content_type="application/json",
    )
    assert removed.status_code == 204 and not document.shares.exists()


def test_adoption_and_its_bad_input(client):
    shared, unshared = a_draft(), a_draft(shared=False)
    login_as(client, sandnes_manager())
    url = reverse("api:adoption-list")
    refused = client.post(
        url, {"source": str(unshared.uuid), "organisation": str(org(SANDNES).uuid)},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 400 and "source" in refused.json()
    not_mine = client.post(
        url, {"source": str(shared.uuid), "organisation": str(org("kommune-4601").uuid)},
        content_type="application/json",
    )  # fmt: skip
    assert not_mine.status_code == 403
    assert not Adoption.objects.exists()
    response = client.post(
        url, {"source": str(shared.uuid), "organisation": str(org(SANDNES).uuid)},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    data = response.json()
    assert data["source"] == str(shared.uuid) and data["source_version"] == 1
    copy = Document.objects.get(uuid=data["copy"])
    detail = client.get(reverse("api:document-detail", args=[copy.uuid])).json()
    assert detail["origin"]["source"] == str(shared.uuid)
    listed = client.get(url, {"source": str(shared.uuid)}).json()["results"]
    assert [a["id"] for a in listed] == [data["id"]]


def test_search_filters_in_a_constant_number_of_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a_draft()
    login_as(client, user("rogaland_officer"))
    url = reverse("api:document-list")

    def run():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, FILTERS)
        return response.json(), len(ctx.captured_queries)

    data, few = run()
    assert data["count"] == 1
    for _ in range(10):
        a_draft()
    data, many = run()
    assert data["count"] == 11 and many == few
    assert client.get(url, {"kind": "nonsense"}).json()["count"] == 0
