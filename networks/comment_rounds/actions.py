"""Every write of comment rounds (høring): one transaction each, attributable (pghistory
context), notifications written in the same transaction (the outbox sends e-mail after
the commit). Views, the API and the demo command call these.

The document's owner opens a round on the latest version for a network and/or named
organisations (the document is shared with them: share rows are added, nothing is
edited); the invitees' writers (``portal.roles.LIBRARY_WRITER_ROLES``) comment per
section until the deadline; the owner marks each comment taken in or not (with a reason)
and ends the round with a summary.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from networks.comment_rounds.models import CommentDecision, CommentRound, DocumentComment
from networks.library.models import Document, DocumentShare
from networks.library.rules import library_writer_org_ids, writes_for
from networks.structure.models import NetworkMembership
from portal.access import acting_organisation
from portal.history import history_context
from portal.models import NotificationKind
from portal.notifications.actions import notify, users_of
from portal.roles import LIBRARY_WRITER_ROLES

COMMENT_MAX_LENGTH = 5000
SUMMARY_MAX_LENGTH = 10000


# --- sections --------------------------------------------------------------------------

HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
#: The section of comments on the document as a whole (stored as "").
GENERAL = ""


def split_sections(body: str) -> list[tuple[str, str]]:
    """The Markdown body as ``(heading, text)`` pairs: the text before the first heading
    under ``""`` (general), then each heading with what follows it. Headings are made
    unique (a second "Innledning" becomes "Innledning (2)") and at most 200 characters, the
    length of ``DocumentComment.section``."""
    sections: list[tuple[str, list[str]]] = [(GENERAL, [])]
    seen: dict[str, int] = {}
    in_fence = False
    for line in (body or "").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match:
            title = match.group(2).strip()[:190]
            seen[title] = seen.get(title, 0) + 1
            if seen[title] > 1:
                title = f"{title} ({seen[title]})"
            sections.append((title, []))  # the heading is shown apart from its text
        else:
            sections[-1][1].append(line)
    return [(title, "\n".join(lines).strip("\n")) for title, lines in sections]


def section_names(body: str) -> list[str]:
    """The sections one may comment on: general ("") and every heading of the body."""
    return [title for title, _text in split_sections(body)] or [GENERAL]


def section_label(section: str) -> str:
    return section or _("General")


# --- comment rounds --------------------------------------------------------------------


def round_is_open(round_, now=None) -> bool:
    now = now or timezone.now()
    return round_.closed_at is None and now <= round_.deadline


def invited_org_ids(round_) -> set[int]:
    """The organisations invited to comment: the network's current members and the named
    organisations (the owner never comments on its own document)."""
    ids = set(round_.organisations.values_list("pk", flat=True))
    if round_.network_id:
        ids |= set(
            NetworkMembership.objects.current()
            .filter(network_id=round_.network_id)
            .values_list("organisation_id", flat=True)
        )
    ids.discard(round_.document.owner_id)
    return ids


def commenting_org_ids(user, round_) -> list[int]:
    """The invited organisations ``user`` may comment for (sorted, stable)."""
    return sorted(library_writer_org_ids(user) & invited_org_ids(round_))


def _round_url(round_) -> str:
    return reverse("networks:comment-round-detail", kwargs={"uuid": round_.uuid})


def do_open_round(document, *, acting_user, deadline, network=None, organisations=()):
    """Open the latest version of ``document`` for comments by ``network``'s current
    members and/or the named ``organisations`` until ``deadline``. Shares the document with
    each of them (a new share row where there is none yet) and notifies the invitees'
    writers once. All checks run before anything is written."""
    with transaction.atomic(), history_context(acting_user, "comment_round.open"):
        document = Document.objects.select_for_update().get(pk=document.pk)
        if not writes_for(acting_user, document.owner_id):
            raise PermissionDenied
        organisations = [o for o in organisations if o is not None]
        errors: dict[str, list[str]] = {}
        version = document.versions.order_by("-number").first()
        if version is None:
            errors["__all__"] = [_("The document has no version to comment on yet.")]
        if deadline is None:
            errors["deadline"] = [_("Give a deadline.")]
        elif deadline <= timezone.now():
            errors["deadline"] = [_("The deadline must be in the future.")]
        if network is None and not organisations:
            errors["network"] = [_("Invite a network or at least one organisation.")]
        if any(o.pk == document.owner_id for o in organisations):
            errors["organisations"] = [
                _("The document's owner cannot be invited to comment on it.")
            ]
        if errors:
            raise ValidationError(errors)
        round_ = CommentRound.objects.create(
            document=document, version=version, network=network, deadline=deadline,
            opened_by=acting_user,
        )  # fmt: skip
        round_.organisations.set(organisations)
        audiences = [{"network": network}] if network is not None else []
        audiences += [{"organisation": o} for o in organisations]
        for audience in audiences:
            if not DocumentShare.objects.filter(document=document, **audience).exists():
                DocumentShare.objects.create(document=document, created_by=acting_user, **audience)
        recipients = users_of(invited_org_ids(round_), LIBRARY_WRITER_ROLES)
        notify(
            [u for u in recipients if u.pk != acting_user.pk],
            event_key=f"comment-round:{round_.uuid}:opened",
            kind=NotificationKind.COMMENT_ROUND,
            title=_("Comment round: %(title)s") % {"title": version.title},
            body=_("%(owner)s asks for your comments on version %(number)s by %(deadline)s.")
            % {
                "owner": document.owner.name,
                "number": version.number,
                "deadline": date_format(timezone.localtime(deadline), "d.m.Y H:i"),
            },
            url=_round_url(round_),
        )
        return round_


def do_comment(round_, *, acting_user, section, body, organisation=None):
    """A comment on one section of the round's version, for one of the invited
    organisations the user writes for (``organisation``; without it the only one, and an
    error on ``organisation`` if there are several: ``portal.access.acting_organisation``;
    an organisation the user may not comment for is PermissionDenied). Refused (nothing
    saved) after the deadline, once the round is closed, for a section the version does
    not have, or when empty."""
    body = (body or "").strip()
    section = (section or "").strip()
    with transaction.atomic(), history_context(acting_user, "document_comment.create"):
        # Locked: a comment and the owner's closing of the round do not cross.
        round_ = (
            CommentRound.objects.select_for_update(of=("self",))
            .select_related("version", "document")
            .get(pk=round_.pk)
        )
        orgs = commenting_org_ids(acting_user, round_)
        if not orgs:
            raise PermissionDenied
        if round_.closed_at is not None:
            raise ValidationError(
                _("The comment round is closed: comments are no longer accepted.")
            )
        if timezone.now() > round_.deadline:
            raise ValidationError(
                _("The deadline (%(deadline)s) has passed: comments are no longer accepted.")
                % {"deadline": date_format(timezone.localtime(round_.deadline), "d.m.Y H:i")}
            )
        errors: dict[str, list[str]] = {}
        try:
            # Only the invited organisations the user writes for can comment here.
            organisation = acting_organisation(
                acting_user,
                LIBRARY_WRITER_ROLES,
                organisation,
                exclude=library_writer_org_ids(acting_user) - set(orgs),
            )
        except ValidationError as error:
            errors.update(error.message_dict)
        if section not in section_names(round_.version.body):
            errors["section"] = [_("Choose one of the document's sections.")]
        if not body:
            errors["body"] = [_("Write a comment.")]
        elif len(body) > COMMENT_MAX_LENGTH:
            errors["body"] = [
                _("At most %(max)d characters (it has %(length)d).")
                % {"max": COMMENT_MAX_LENGTH, "length": len(body)}
            ]
        if errors:
            raise ValidationError(errors)
        return DocumentComment.objects.create(
            round=round_,
            organisation=organisation,
            author=acting_user,
            section=section,
            body=body,
        )


def do_decide(comment, *, acting_user, decision, note=""):
    """The owner marks a comment taken in or not taken in (a reason is required when not
    taken in). Decisions can be changed until the round is closed."""
    note = (note or "").strip()
    with transaction.atomic(), history_context(acting_user, "document_comment.decide"):
        round_ = (
            CommentRound.objects.select_for_update(of=("self",))
            .select_related("document")
            .get(pk=comment.round_id)
        )
        if not writes_for(acting_user, round_.document.owner_id):
            raise PermissionDenied
        if round_.closed_at is not None:
            raise ValidationError(_("The comment round is closed: decisions can no longer change."))
        errors: dict[str, list[str]] = {}
        if decision not in (CommentDecision.TAKEN_IN, CommentDecision.NOT_TAKEN_IN):
            errors["decision"] = [_("Choose taken in or not taken in.")]
        elif decision == CommentDecision.NOT_TAKEN_IN and not note:
            errors["decision_note"] = [_("Give the reason the comment is not taken in.")]
        if len(note) > COMMENT_MAX_LENGTH:
            errors["decision_note"] = [
                _("At most %(max)d characters (it has %(length)d).")
                % {"max": COMMENT_MAX_LENGTH, "length": len(note)}
            ]
        if errors:
            raise ValidationError(errors)
        comment = DocumentComment.objects.select_for_update().get(pk=comment.pk)
        comment.decision = decision
        comment.decision_note = note
        comment.decided_by = acting_user
        comment.decided_at = timezone.now()
        comment.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
        return comment


def do_close_round(round_, *, acting_user, summary):
    """The owner ends the round with a summary: no more comments or decisions. The
    invitees' writers are told (once) that the summary is there."""
    summary = (summary or "").strip()
    with transaction.atomic(), history_context(acting_user, "comment_round.close"):
        round_ = (
            CommentRound.objects.select_for_update(of=("self",))
            .select_related("document", "version")
            .get(pk=round_.pk)
        )
        if not writes_for(acting_user, round_.document.owner_id):
            raise PermissionDenied
        if round_.closed_at is not None:
            raise ValidationError(_("The comment round is already closed."))
        if not summary:
            raise ValidationError({"summary": [_("Write a summary of the round.")]})
        if len(summary) > SUMMARY_MAX_LENGTH:
            raise ValidationError(
                {
                    "summary": [
                        _("At most %(max)d characters (it has %(length)d).")
                        % {"max": SUMMARY_MAX_LENGTH, "length": len(summary)}
                    ]
                }
            )
        round_.closed_at = timezone.now()
        round_.summary = summary
        round_.save(update_fields=["closed_at", "summary"])
        recipients = users_of(invited_org_ids(round_), LIBRARY_WRITER_ROLES)
        notify(
            [u for u in recipients if u.pk != acting_user.pk],
            event_key=f"comment-round:{round_.uuid}:closed",
            kind=NotificationKind.COMMENT_ROUND,
            title=_("Comment round ended: %(title)s") % {"title": round_.version.title},
            body=summary[:500],
            url=_round_url(round_),
        )
        return round_
