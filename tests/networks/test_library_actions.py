"""The library's actions: versions are complete and immutable, files are checked by
content, sharing is idempotent and attributable, adoption copies and notifies."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InternalError, ProgrammingError, connection, transaction

from networks.library import actions as la
from networks.library.models import Adoption, Document, DocumentShare, DocumentVersion
from networks.structure.models import Network
from portal.models import Notification, RoleAssignment
from portal.roles import Role
from tests.helpers import org
from tests.personas import user

pytestmark = pytest.mark.django_db

STAVANGER, SANDNES = "kommune-1103", "kommune-1108"


def municipal_user(username, slug, role=Role.EMERGENCY_MANAGER):
    from django.contrib.auth import get_user_model

    person, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@test.samvirke.no"}
    )
    RoleAssignment.objects.get_or_create(user=person, organisation=org(slug), role=role)
    return person


def a_regulation(**kwargs):
    return la.do_create_document(
        org(STAVANGER),
        user("stavanger_manager"),
        "local_regulation",
        kwargs.pop("title", "Lokal forskrift om smitteverntiltak"),
        "Smittevern",
        kwargs.pop("body", "§ 1 Formål\n\nForskriften skal hindre smitte."),
        **kwargs,
    )


def docx_bytes(inner="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, "<w:document/>")
    return buffer.getvalue()


def odt_bytes(mimetype=b"application/vnd.oasis.opendocument.text"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_every_edit_is_a_new_version_and_no_text_is_lost():
    document = a_regulation(body="tekst 1")
    texts = ["tekst 1"]
    for n in range(2, 6):
        la.do_new_version(
            document,
            acting_user=user("stavanger_manager"),
            title=f"Lokal forskrift v{n}",
            body=f"tekst {n}",
            change_note=f"endring {n}",
            expected_number=n - 1,
        )
        texts.append(f"tekst {n}")
    document.refresh_from_db()
    assert document.current_number == 5
    assert document.body == "tekst 5" and document.title == "Lokal forskrift v5"
    versions = list(document.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3, 4, 5]
    assert [v.body for v in versions] == texts
    assert all(v.created_by == user("stavanger_manager") for v in versions)


def test_the_database_refuses_to_change_or_delete_a_version():
    document = a_regulation()
    version = document.versions.get()
    for sql in (
        "UPDATE networks_documentversion SET body = 'x' WHERE id = %s",
        "DELETE FROM networks_documentversion WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, ProgrammingError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [version.pk])
    version.refresh_from_db()
    assert version.body.startswith("§ 1")


def test_a_stale_editor_gets_a_conflict_and_nothing_is_saved():
    document = a_regulation()
    la.do_new_version(document, acting_user=user("stavanger_manager"), title="A", body="a",
                      expected_number=1)  # fmt: skip
    with pytest.raises(la.VersionConflict):
        la.do_new_version(document, acting_user=user("stavanger_manager"), title="B", body="b",
                          expected_number=1)  # fmt: skip
    assert document.versions.count() == 2


def test_body_html_is_rendered_once_and_sanitised():
    document = a_regulation(body="**Viktig** <script>alert(1)</script>")
    html = document.versions.get().body_html
    assert "<strong>Viktig</strong>" in html and "<script>" not in html


def test_only_the_owners_writers_write():
    with pytest.raises(PermissionDenied):
        la.do_create_document(org(STAVANGER), user("bergen_manager"), "guide", "X", "", "x")
    document = a_regulation()
    with pytest.raises(PermissionDenied):
        la.do_new_version(document, acting_user=user("rogaland_officer"), title="X", body="")
    reader = municipal_user("stavanger_reader_t", STAVANGER, Role.READER)
    with pytest.raises(PermissionDenied):
        la.do_new_version(document, acting_user=reader, title="X", body="")


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("forskrift.pdf", b"%PDF-1.7\n...", True),
        ("forskrift.docx", docx_bytes(), True),
        ("forskrift.odt", odt_bytes(), True),
        ("forskrift.pdf", b"MZ\x90\x00 not a pdf", False),
        ("forskrift.docx", b"%PDF-1.7\n", False),
        ("forskrift.docx", docx_bytes(inner="xl/workbook.xml"), False),  # an .xlsx renamed
        ("forskrift.odt", odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet"), False),
        ("forskrift.exe", b"MZ", False),
    ],
)
def test_files_are_checked_by_content(name, content, ok):
    upload = SimpleUploadedFile(name, content)
    documents = Document.objects.count()
    if ok:
        document = a_regulation(file=upload)
        assert document.versions.get().file_name == name
    else:
        with pytest.raises(ValidationError) as error:
            a_regulation(file=upload)
        assert "file" in error.value.message_dict
        assert Document.objects.count() == documents  # nothing half-saved


def test_a_new_version_keeps_the_file_unless_replaced():
    document = a_regulation(file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"))
    version = la.do_new_version(document, acting_user=user("stavanger_manager"), title="T",
                                body="b")  # fmt: skip
    assert version.file.name == document.versions.get(number=1).file.name
    assert version.file_name == "a.pdf"


def test_sharing_is_idempotent_and_removing_is_kept_in_the_history():
    document = a_regulation()
    nord_jaeren = Network.objects.get(slug="nord-jaeren")
    first = la.do_share_document(document, user("stavanger_manager"), network=nord_jaeren)
    again = la.do_share_document(document, user("stavanger_manager"), network=nord_jaeren)
    assert first.pk == again.pk and document.shares.count() == 1
    with pytest.raises(PermissionDenied):
        la.do_remove_share(first, acting_user=user("rogaland_officer"))
    la.do_remove_share(first, acting_user=user("stavanger_manager"))
    assert not DocumentShare.objects.filter(pk=first.pk).exists()
    event = DocumentShare.pgh_event_model.objects.get(pgh_obj_id=first.pk, pgh_label="delete")
    assert event.pgh_context.metadata["user"] == user("stavanger_manager").pk
    assert event.pgh_context.metadata["action"] == "document.unshare"


def test_adopting_copies_the_latest_version_and_notifies_of_the_next():
    document = a_regulation(checklist=[{"title": "Varsle", "role": "Beredskapssjef"}])
    la.do_share_document(
        document, user("stavanger_manager"), network=Network.objects.get(slug="nord-jaeren")
    )
    la.do_new_version(document, acting_user=user("stavanger_manager"), title="Forskrift v2",
                      body="§ 1 Ny tekst")  # fmt: skip
    sandnes = municipal_user("sandnes_manager_t", SANDNES)
    adoption = la.do_adopt(document, sandnes, org(SANDNES))
    assert adoption.source_version.number == 2
    copy = adoption.copy
    assert copy.owner == org(SANDNES) and copy.current_number == 1
    assert copy.versions.get().body == "§ 1 Ny tekst"
    assert copy.versions.get().checklist[0]["title"] == "Varsle"

    with pytest.raises(ValidationError) as twice:
        la.do_adopt(document, sandnes, org(SANDNES))  # the same version again
    assert "organisation" in twice.value.message_dict
    la.do_new_version(document, acting_user=user("stavanger_manager"), title="Forskrift v3",
                      body="§ 1 Enda nyere")  # fmt: skip
    notice = Notification.objects.get(recipient=sandnes, kind="new_version")
    assert "?fra=2&til=3" in notice.url
    assert Notification.objects.filter(kind="new_version", recipient=sandnes).count() == 1


def test_new_version_notices_go_only_to_adopters_who_still_see_the_document():
    document = a_regulation()
    share = la.do_share_document(
        document, user("stavanger_manager"), network=Network.objects.get(slug="nord-jaeren")
    )
    sandnes = municipal_user("sandnes_manager_t3", SANDNES)
    la.do_adopt(document, sandnes, org(SANDNES))
    la.do_new_version(document, acting_user=user("stavanger_manager"), title="Forskrift v2",
                      body="§ 1 Ny tekst")  # fmt: skip
    assert Notification.objects.filter(kind="new_version", recipient=sandnes).count() == 1
    la.do_remove_share(share, acting_user=user("stavanger_manager"))  # no longer shared
    assert not Document.objects.visible_to(sandnes).filter(pk=document.pk).exists()
    la.do_new_version(document, acting_user=user("stavanger_manager"), title="Forskrift v3",
                      body="§ 1 Hemmelig")  # fmt: skip
    notices = Notification.objects.filter(kind="new_version", recipient=sandnes)
    assert notices.count() == 1 and "til=3" not in notices.get().url
    assert not Notification.objects.filter(title__contains="Forskrift v3").exists()
    # Shared again (with everyone): the next version is noticed again.
    la.do_share_document(document, user("stavanger_manager"), everyone=True)
    la.do_new_version(document, acting_user=user("stavanger_manager"), title="Forskrift v4",
                      body="§ 1 Offentlig")  # fmt: skip
    assert notices.count() == 2 and notices.filter(title__contains="Forskrift v4").exists()


def test_adopting_what_is_not_shared_is_refused():
    document = a_regulation()  # not shared
    sandnes = municipal_user("sandnes_manager_t2", SANDNES)
    with pytest.raises(ValidationError) as error:
        la.do_adopt(document, sandnes, org(SANDNES))
    assert "source" in error.value.message_dict
    assert not Adoption.objects.exists()
    assert DocumentVersion.objects.filter(document__owner=org(SANDNES)).count() == 0


def test_adopting_for_an_organisation_you_do_not_write_for_is_refused():
    document = a_regulation()
    la.do_share_document(document, user("stavanger_manager"), everyone=True)
    with pytest.raises(PermissionDenied):
        la.do_adopt(document, user("bergen_manager"), org(SANDNES))
