"""Every write of comment rounds (høring) and action cards in use (tiltakskort): one
transaction each, attributable (pghistory context), notifications written in the same
transaction (the outbox sends e-mail after the commit). Views, the API and the demo
command call these.

Comment rounds: the document's owner opens a round on the latest version for a network
and/or named organisations (the document is shared with them: share rows are added,
nothing is edited); the invitees' writers comment per section until the deadline; the
owner marks each comment taken in or not (with a reason) and ends the round with a
summary.

Action cards: a document of kind ``action_card`` carries its steps in each version's
``checklist``; saving new steps makes a new version (``do_new_version`` of the library);
applying a version to an incident creates one task per step there and one log entry.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from networks.rules import LIBRARY_WRITER_ROLES, library_writer_org_ids
from portal.history import history_context

#: Roles that write on an organisation's behalf — comment in a round, open and close one,
#: edit an action card: the library's writers (readers only read).
WRITER_ROLES = LIBRARY_WRITER_ROLES

COMMENT_MAX_LENGTH = 5000
SUMMARY_MAX_LENGTH = 10000
STEP_TITLE_MAX = 200
STEP_ROLE_MAX = 100
#: A step's time frame: at most four weeks.
STEP_MAX_MINUTES = 4 * 7 * 24 * 60


def writer_org_ids(user) -> frozenset[int]:
    """The organisations ``user`` writes for (the library's rule)."""
    return library_writer_org_ids(user)


def writes_for(user, organisation_id) -> bool:
    return organisation_id in writer_org_ids(user)


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
    from networks.models import NetworkMembership

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
    return sorted(writer_org_ids(user) & invited_org_ids(round_))


def _round_url(round_) -> str:
    return reverse("networks:comment-round-detail", kwargs={"uuid": round_.uuid})


def do_open_round(document, *, acting_user, deadline, network=None, organisations=()):
    """Open the latest version of ``document`` for comments by ``network``'s current
    members and/or the named ``organisations`` until ``deadline``. Shares the document with
    each of them (a new share row where there is none yet) and notifies the invitees'
    writers once. All checks run before anything is written."""
    from networks.models import CommentRound, Document, DocumentShare
    from portal.models import NotificationKind
    from portal.notifications import notify, users_of

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
        recipients = users_of(invited_org_ids(round_), WRITER_ROLES)
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
    organisations the user writes for. Refused (nothing saved) after the deadline, once
    the round is closed, for a section the version does not have, or when empty."""
    from networks.models import CommentRound, DocumentComment

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
        if organisation is not None and organisation.pk not in orgs:
            errors["organisation"] = [_("You cannot comment on behalf of that organisation.")]
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
            organisation_id=organisation.pk if organisation is not None else orgs[0],
            author=acting_user,
            section=section,
            body=body,
        )


def do_decide(comment, *, acting_user, decision, note=""):
    """The owner marks a comment taken in or not taken in (a reason is required when not
    taken in). Decisions can be changed until the round is closed."""
    from networks.models import CommentDecision, CommentRound, DocumentComment

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
    from networks.models import CommentRound
    from portal.models import NotificationKind
    from portal.notifications import notify, users_of

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
        recipients = users_of(invited_org_ids(round_), WRITER_ROLES)
        notify(
            [u for u in recipients if u.pk != acting_user.pk],
            event_key=f"comment-round:{round_.uuid}:closed",
            kind=NotificationKind.COMMENT_ROUND,
            title=_("Comment round ended: %(title)s") % {"title": round_.version.title},
            body=summary[:500],
            url=_round_url(round_),
        )
        return round_


# --- action cards ----------------------------------------------------------------------


def _positive_minutes(value, unit="minutes"):
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    if number != number or number <= 0:  # NaN or not positive
        return None
    minutes = number * 60 if unit == "hours" else number
    if minutes < 1 or minutes > STEP_MAX_MINUTES or minutes != int(minutes):
        return None
    return int(minutes)


TIME_FRAME = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(min|minutes?|minutter|m|t|h|hours?|timer?)?\.?\s*$", re.I
)


def parse_time_frame(text) -> int | None:
    """Minutes from a stored time frame: ``"90 min"``, ``"2 t"``, ``"2 h"``, ``"45"``."""
    match = TIME_FRAME.match(str(text or ""))
    if not match:
        return None
    unit = (match.group(2) or "min").lower()
    return _positive_minutes(match.group(1), "hours" if unit[0] in "th" else "minutes")


def clean_checklist(steps) -> list[dict]:
    """Check and normalise an action card's steps: at least one; each with a title
    (required), a role and a time frame, a positive whole number of minutes
    (``time_frame_minutes``; ``time_frame_hours`` is accepted instead). Raises
    ``ValidationError({"checklist": …})`` with one message per bad step.

    Stored as the library keeps steps (``networks.library.actions.check_checklist``:
    ``title``, ``role``, ``time_frame`` as text), the time frame as ``"<minutes> min"``,
    which :func:`card_steps` reads back."""
    if not isinstance(steps, list | tuple) or not steps:
        raise ValidationError({"checklist": [_("An action card needs at least one step.")]})
    cleaned, errors = [], []
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            errors.append(_("Step %(n)d: not a step.") % {"n": number})
            continue
        title = str(step.get("title") or "").strip()
        role = str(step.get("role") or "").strip()
        if step.get("time_frame_minutes") not in (None, ""):
            minutes = _positive_minutes(step.get("time_frame_minutes"))
        elif step.get("time_frame_hours") not in (None, ""):
            minutes = _positive_minutes(step.get("time_frame_hours"), "hours")
        else:
            minutes = None
        if not title:
            errors.append(_("Step %(n)d: give the step a title.") % {"n": number})
        elif len(title) > STEP_TITLE_MAX:
            errors.append(
                _("Step %(n)d: the title is at most %(max)d characters.")
                % {"n": number, "max": STEP_TITLE_MAX}
            )
        if len(role) > STEP_ROLE_MAX:
            errors.append(
                _("Step %(n)d: the role is at most %(max)d characters.")
                % {"n": number, "max": STEP_ROLE_MAX}
            )
        if minutes is None:
            errors.append(
                _(
                    "Step %(n)d: the time frame must be a positive whole number of minutes "
                    "(at most four weeks)."
                )
                % {"n": number}
            )
        cleaned.append({"title": title, "role": role, "time_frame": f"{minutes} min"})
    if errors:
        raise ValidationError({"checklist": errors})
    return cleaned


def card_steps(version) -> list[dict]:
    """A version's steps with the time frame in minutes (``time_frame_minutes``)."""
    steps = []
    for step in version.checklist or []:
        if not isinstance(step, dict):
            continue
        minutes = step.get("time_frame_minutes")
        if minutes is None and step.get("time_frame_hours") is not None:
            minutes = _positive_minutes(step.get("time_frame_hours"), "hours")
        if minutes is None:
            minutes = parse_time_frame(step.get("time_frame"))
        steps.append(
            {
                "title": str(step.get("title") or ""),
                "role": str(step.get("role") or ""),
                "time_frame_minutes": minutes,
                "description": str(step.get("description") or ""),
            }
        )
    return steps


def _require_card(document):
    from networks.models import DocumentKind

    if document.kind != DocumentKind.ACTION_CARD:
        raise ValidationError(_("Only an action card has steps."))


def do_save_checklist(document, *, acting_user, steps, change_note="", expected_number=None):
    """Save new steps for an action card: a new version (the library's
    ``do_new_version``) with the latest version's title, text and file and the new
    checklist. ``expected_number``: the version the user started from (a conflict is
    refused by ``do_new_version``)."""
    from networks.library.actions import do_new_version

    _require_card(document)
    if not writes_for(acting_user, document.owner_id):
        raise PermissionDenied
    checklist = clean_checklist(steps)
    latest = document.versions.order_by("-number").first()
    return do_new_version(
        document,
        acting_user=acting_user,
        title=latest.title if latest else document.title,
        body=latest.body if latest else document.body,
        checklist=checklist,
        change_note=(change_note or "").strip()[:300] or _("Steps changed"),
        expected_number=expected_number,
    )


def applied_task_count(version, incident) -> int:
    from incidents.models import Task

    return Task.objects.filter(incident=incident, card_version=version).count()


def format_minutes(minutes) -> str:
    if not minutes:
        return "—"
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return _("%(n)d d") % {"n": days}
    if minutes % 60 == 0:
        return _("%(n)d h") % {"n": minutes // 60}
    if minutes > 60:
        return _("%(h)d h %(m)d min") % {"h": minutes // 60, "m": minutes % 60}
    return _("%(n)d min") % {"n": minutes}


def do_apply_card(version, incident, *, acting_user):
    """Apply an action card's version to an incident the user writes to: one task per
    step (assigned to the incident's owner, the step's role first in the description, due
    now + the step's time frame, linked to the card version and step) and one log entry
    saying the card was applied — all in one transaction. The same version applied twice
    to the same incident is refused (a double click must not double the tasks); a newer
    version of the card may be applied."""
    from incidents import actions as incident_actions
    from incidents.models import EntryKind, Incident, Task
    from networks.models import Document

    _require_card(version.document)
    if not Document.objects.visible_to(acting_user).filter(pk=version.document_id).exists():
        raise PermissionDenied
    with transaction.atomic(), history_context(acting_user, "action_card.apply"):
        # Locked: two applications of the same card to the same incident do not cross.
        incident = (
            Incident.objects.editable_by(acting_user)
            .select_for_update(of=("self",))
            .select_related("owner")
            .filter(pk=incident.pk)
            .first()
        )
        if incident is None:
            raise ValidationError({"incident": [_("Choose an incident you may write to.")]})
        steps = card_steps(version)
        if not steps:
            raise ValidationError(_("The action card has no steps to apply."))
        if Task.objects.filter(incident=incident, card_version=version).exists():
            raise ValidationError(
                {
                    "incident": [
                        _(
                            "Version %(number)s of this action card has already been applied "
                            "to %(incident)s."
                        )
                        % {"number": version.number, "incident": incident.title}
                    ]
                }
            )
        now = timezone.now()
        tasks = []
        for number, step in enumerate(steps, start=1):
            description = step["description"]
            if step["role"]:
                description = _("Responsible: %(role)s") % {"role": step["role"]} + (
                    f"\n\n{description}" if description else ""
                )
            minutes = step["time_frame_minutes"]
            tasks.append(
                incident_actions.do_create_task(
                    incident,
                    acting_user=acting_user,
                    title=step["title"][:200] or _("Step %(n)d") % {"n": number},
                    description=description,
                    assignee_organisation=incident.owner,
                    due_at=now + timedelta(minutes=minutes) if minutes else None,
                    card_version=version,
                    card_step=number,
                )
            )
        lines = "\n".join(
            f"{n}. {s['title']}" + (f" ({s['role']})" if s["role"] else "")
            for n, s in enumerate(steps, start=1)
        )
        incident_actions.do_write_entry(
            incident,
            acting_user=acting_user,
            kind=EntryKind.ACTION,
            text=_(
                "Action card “%(title)s” (version %(number)s, %(owner)s) applied: "
                "%(count)d tasks created."
            )
            % {
                "title": version.title,
                "number": version.number,
                "owner": version.document.owner.name,
                "count": len(tasks),
            }
            + "\n\n"
            + lines,
        )
        return tasks
