"""Every write to the library: documents, their versions, shares and adoptions. One
transaction each, attributable (pghistory context; versions carry their author), side
effects (notifications) written in the same transaction. Views, the API, other parts of
the portal (action cards, comment rounds) and the demo command call these.

A document is never edited in place: every change is a new, immutable
:class:`~networks.library.models.DocumentVersion` (PostgreSQL refuses UPDATE and DELETE of a
version); the :class:`~networks.library.models.Document` row mirrors the latest version's title
and text for lists and full-text search.
"""

from __future__ import annotations

import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from networks.library.models import (
    Adoption,
    Document,
    DocumentKind,
    DocumentShare,
    DocumentVersion,
)
from networks.library.rules import library_writer_org_ids
from portal.history import VersionConflict, history_context
from portal.models import NotificationKind
from portal.notifications.actions import Notice, notify_many, users_of
from portal.roles import LIBRARY_WRITER_ROLES
from portal.templatetags.portal_markdown import render_markdown
from portal.uploads import ALLOWED as ATTACHMENT_TYPES
from portal.validators import reject_control_characters, strip_control_characters

#: Files a library document may carry, checked by content, not by name.
LIBRARY_FILE_TYPES = ("pdf", "docx", "odt")
MAX_LIBRARY_FILE_BYTES = 20 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _require_writer(organisation, acting_user):
    if organisation is None or organisation.pk not in library_writer_org_ids(acting_user):
        raise PermissionDenied


# --- checks ------------------------------------------------------------------------------


def check_library_file(upload):
    """Return (content type, file name) for an acceptable PDF, DOCX or ODT upload, or
    raise ValidationError({"file": …}) with a message the user can act on. The type is
    decided by the content: a PDF starts with ``%PDF-``; a DOCX is a ZIP holding
    ``word/document.xml``; an ODT is a ZIP whose ``mimetype`` entry names an
    OpenDocument text."""
    name = (upload.name or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in LIBRARY_FILE_TYPES:
        raise ValidationError(
            {
                "file": _("%(name)s: only PDF, DOCX and ODT files can be added to the library.")
                % {"name": name}
            },
            code="type",
        )
    if upload.size > MAX_LIBRARY_FILE_BYTES:
        raise ValidationError(
            {
                "file": _("%(name)s is too large (%(size)s MB). The limit is %(limit)s MB.")
                % {
                    "name": name,
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": MAX_LIBRARY_FILE_BYTES // 1024 // 1024,
                }
            },
            code="size",
        )
    content_type, magic = ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    real = head.startswith(magic)
    if real and extension in ("docx", "odt"):
        try:
            with zipfile.ZipFile(upload) as archive:
                if extension == "docx":
                    real = "word/document.xml" in archive.namelist()
                else:
                    real = archive.read("mimetype").strip() == ODT_MIMETYPE
        except (zipfile.BadZipFile, KeyError, OSError):
            real = False
        finally:
            upload.seek(0)
    if not real:
        raise ValidationError(
            {"file": _("%(name)s is not a real .%(ext)s file.") % {"name": name, "ext": extension}},
            code="content",
        )
    return content_type, name


def check_checklist(checklist):
    """An action card's steps: a list of {"title", "role", "time_frame"} with a title
    each. Returns the cleaned list."""
    if checklist in (None, ""):
        return []
    if not isinstance(checklist, list):
        raise ValidationError({"checklist": _("The checklist must be a list of steps.")})
    steps = []
    for position, step in enumerate(checklist, start=1):
        if not isinstance(step, dict) or not str(step.get("title") or "").strip():
            raise ValidationError({"checklist": _("Step %(n)s needs a title.") % {"n": position}})
        steps.append(
            {
                # A step becomes a task's title when the card is applied: one line.
                "title": strip_control_characters(str(step["title"]))[:300],
                "role": str(step.get("role") or "").strip()[:200],
                "time_frame": str(step.get("time_frame") or "").strip()[:200],
            }
        )
    return steps


def _clean_body(body):
    """Line ends as LF (browsers send CR LF), so versions compare line by line."""
    return (body or "").replace("\r\n", "\n").replace("\r", "\n")


def _clean_title(title):
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the document a title.")})
    reject_control_characters(title=title)  # notices and comment rounds carry it
    if len(title) > 200:
        raise ValidationError({"title": _("The title can be at most 200 characters.")})
    return title


# --- documents and versions ----------------------------------------------------------------


def _write_version(document, *, acting_user, number, title, body, file, checklist, change_note,
                   file_from=None) -> DocumentVersion:  # fmt: skip
    body = _clean_body(body)
    version = DocumentVersion(
        document=document,
        number=number,
        title=title,
        body=body,
        body_html=render_markdown(body),
        checklist=checklist,
        change_note=(change_note or "").strip()[:300],
        created_by=acting_user,
    )
    if file is not None:
        content_type, name = check_library_file(file)
        version.file_name = name[:200]
        version.file_type = content_type
        version.file_size = file.size
        version.file.save(name, file, save=False)
    elif file_from is not None and file_from.file:
        # An unchanged file is carried over by reference: versions are immutable, so
        # the stored file is never replaced under anyone.
        version.file = file_from.file.name
        version.file_name = file_from.file_name
        version.file_type = file_from.file_type
        version.file_size = file_from.file_size
    version.save()
    return version


def do_create_document(
    owner, acting_user, kind, title, topic="", body="", file=None, checklist=None,
    change_note="",
) -> Document:  # fmt: skip
    """A new library document owned by ``owner`` (the acting user must write for it),
    saved as version 1. ``file`` (PDF, DOCX or ODT) is checked by its content; a bad
    file raises ValidationError and nothing is saved."""
    with transaction.atomic(), history_context(acting_user, "document.create"):
        _require_writer(owner, acting_user)
        title = _clean_title(title)
        body = _clean_body(body)
        if kind not in DocumentKind.values:
            raise ValidationError({"kind": _("Choose a kind of document.")})
        checklist = check_checklist(checklist)
        if file is not None:
            check_library_file(file)  # before any row is written
        document = Document(
            owner=owner,
            kind=kind,
            title=title,
            topic=(topic or "").strip()[:100],
            body=body or "",
            current_number=1,
            created_by=acting_user,
        )
        document.save()
        _write_version(
            document,
            acting_user=acting_user,
            number=1,
            title=title,
            body=body,
            file=file,
            checklist=checklist,
            change_note=change_note,
        )
        return document


def do_new_version(
    document, *, acting_user, title, body, file=None, checklist=None, change_note="",
    expected_number=None, keep_file=True,
) -> DocumentVersion:  # fmt: skip
    """Save the document's next version (n + 1); earlier versions stay as they were.
    ``expected_number`` is the version the editor started from: if someone saved a
    newer one meanwhile, :class:`VersionConflict` is raised and nothing is saved.
    Without a new ``file`` the latest version's file is kept (``keep_file``); without a
    ``checklist`` (None) the latest checklist is kept. Organisations that adopted the
    document are notified once per adoption and version, with a link to the diff."""
    with transaction.atomic(), history_context(acting_user, "document.new_version"):
        document = Document.objects.select_for_update().get(pk=document.pk)
        _require_writer(document.owner, acting_user)
        if expected_number is not None and int(expected_number) != document.current_number:
            raise VersionConflict(
                {
                    "expected_number": _(
                        "Someone saved version %(current)s while you were editing "
                        "version %(expected)s. Open the latest version and make your "
                        "change again."
                    )
                    % {"current": document.current_number, "expected": expected_number}
                },
                current_version=document.current_number,
            )
        title = _clean_title(title)
        body = _clean_body(body)
        latest = document.versions.order_by("-number").first()
        checklist = latest.checklist if checklist is None and latest else check_checklist(checklist)
        if file is not None:
            check_library_file(file)
        number = document.current_number + 1
        version = _write_version(
            document,
            acting_user=acting_user,
            number=number,
            title=title,
            body=body,
            file=file,
            checklist=checklist,
            change_note=change_note,
            file_from=latest if keep_file else None,
        )
        document.title = title
        document.body = body or ""
        document.current_number = number
        document.save(update_fields=["title", "body", "current_number", "updated_at"])
        _notify_adopters(document, version)
        return version


def _notify_adopters(document, version):
    adoptions = list(
        Adoption.objects.filter(source=document).select_related("source_version", "organisation")
    )
    if not adoptions:
        return
    notices = []
    for adoption in adoptions:
        url = (
            reverse("networks:document-diff", args=[document.uuid])
            + f"?fra={adoption.source_version.number}&til={version.number}"
        )
        # Only adopters who can still see the document (a share may have been removed
        # since they adopted it): the notice would tell the others what they may not read.
        readers = [
            person
            for person in users_of([adoption.organisation_id], LIBRARY_WRITER_ROLES)
            if Document.objects.visible_to(person).filter(pk=document.pk).exists()
        ]
        notices.append(
            Notice(
                readers,
                event_key=f"library.new_version:{adoption.uuid}:{version.number}",
                kind=NotificationKind.NEW_VERSION,
                title=_("New version %(n)s of “%(title)s”")
                % {"n": version.number, "title": version.title},
                body=_(
                    "%(owner)s published version %(n)s. You adopted version %(adopted)s: "
                    "see what changed."
                )
                % {
                    "owner": document.owner,
                    "n": version.number,
                    "adopted": adoption.source_version.number,
                },
                url=url,
            )
        )
    notify_many(notices)


# --- sharing -------------------------------------------------------------------------------


def do_share_document(
    document, acting_user, organisation=None, network=None, office=None, everyone=False
) -> DocumentShare:
    """Open the document to one audience (idempotent: sharing twice is one share). The
    owner's State Administrator office sees every shared document ("go in line")."""
    audiences = [a for a in (organisation, network, office) if a is not None] + (
        [True] if everyone else []
    )
    if len(audiences) != 1:
        raise ValidationError(_("Choose one audience to share with."))
    with transaction.atomic(), history_context(acting_user, "document.share"):
        _require_writer(document.owner, acting_user)
        if organisation is not None and organisation.pk == document.owner_id:
            raise ValidationError({"organisation": _("The document already belongs to it.")})
        share = DocumentShare.objects.filter(
            document=document,
            organisation=organisation,
            network=network,
            office=office,
            everyone=bool(everyone),
        ).first()
        if share is None:
            share = DocumentShare.objects.create(
                document=document,
                organisation=organisation,
                network=network,
                office=office,
                everyone=bool(everyone),
                created_by=acting_user,
            )
        return share


def do_remove_share(share, *, acting_user) -> None:
    """Stop sharing with one audience. The row's deletion is kept in the history
    (pghistory DeleteEvent with the acting user in its context). Adopted copies stay
    with their adopters."""
    with transaction.atomic(), history_context(acting_user, "document.unshare"):
        share = DocumentShare.objects.select_related("document__owner").get(pk=share.pk)
        _require_writer(share.document.owner, acting_user)
        share.delete()


# --- adoption ------------------------------------------------------------------------------


def do_adopt(source_document, acting_user, organisation) -> Adoption:
    """``organisation`` takes the source's latest version into its own library: a new
    document owned by it (version 1 = the source's latest text, file and checklist) and
    an :class:`Adoption` that remembers the origin and version. The source must be
    visible to the acting user and the user must write for ``organisation``."""
    with transaction.atomic(), history_context(acting_user, "document.adopt"):
        if not Document.objects.visible_to(acting_user).filter(pk=source_document.pk).exists():
            raise ValidationError(
                {"source": _("The document does not exist or is not shared with you.")}
            )
        _require_writer(organisation, acting_user)
        source = Document.objects.select_for_update().get(pk=source_document.pk)
        if source.owner_id == organisation.pk:
            raise ValidationError(
                {
                    "organisation": _("The document already belongs to %(org)s.")
                    % {"org": organisation}
                }
            )
        latest = source.versions.get(number=source.current_number)
        if Adoption.objects.filter(source_version=latest, organisation=organisation).exists():
            raise ValidationError(
                {
                    "organisation": _("%(org)s has already adopted version %(n)s: open your copy.")
                    % {"org": organisation, "n": latest.number}
                }
            )
        copy = Document.objects.create(
            owner=organisation,
            kind=source.kind,
            title=latest.title,
            topic=source.topic,
            body=latest.body,
            current_number=1,
            created_by=acting_user,
        )
        _write_version(
            copy,
            acting_user=acting_user,
            number=1,
            title=latest.title,
            body=latest.body,
            file=None,
            checklist=latest.checklist,
            change_note=_("Adopted from %(owner)s, version %(n)s")
            % {"owner": source.owner, "n": latest.number},
            file_from=latest,
        )
        return Adoption.objects.create(
            source=source,
            source_version=latest,
            copy=copy,
            organisation=organisation,
            adopted_by=acting_user,
        )
