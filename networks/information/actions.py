"""Every write of information down: send a message, record a reading, remind those who
have not read, ask a question and answer it. One transaction each, a pghistory context,
notifications through portal.notifications (the outbox rows written in the same
transaction, the e-mail sent after commit), the receipts' poll version bumped after
commit."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.log.models import CrisisFrame, Incident
from networks.information import rules
from networks.information.models import (
    Message,
    MessageAttachment,
    MessageQuestion,
    MessageRecipient,
    MessageReminder,
    Urgency,
)
from networks.library.models import Document
from networks.structure.models import NetworkMembership, Organisation, OrganisationKind
from portal import outbox
from portal.history import history_context
from portal.models import NotificationKind
from portal.notifications.actions import Notice, notify_many, users_of
from portal.roles import (
    MESSAGE_ASKER_ROLES,
    MESSAGE_NOTIFIED_ROLES,
    MESSAGE_SENDER_ROLES,
    MESSAGE_URGENT_NOTIFIED_ROLES,
)
from portal.uploads import check_attachment
from portal.validators import control_character_errors

# Reporting is a sibling in the top layer (.importlinter): its rounds are reached by the
# app registry and their URL names, never by importing reporting.
ReportingRound = apps.get_model("reporting", "ReportingRound")


def receipts_version_key(message_id: int) -> str:
    """Cache key holding when the message's receipts last changed (cheap polling)."""
    return f"message-receipts-version:{message_id}"


def _bump_receipts_version(message_id: int) -> None:
    # With Redis down the poll reads the database instead (views.receipts_version).
    outbox.cache_set(receipts_version_key(message_id), timezone.now().isoformat(), timeout=None)


def resolve_recipients(*, sender, all_municipalities=False, regions=(), network=None,
                       organisations=()) -> list[int]:  # fmt: skip
    """The organisations the addressing reaches now: every municipality, the
    municipalities of the regions, the network's current members, the named
    organisations; never the sender itself. Sorted ids."""
    ids: set[int] = set()
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    if all_municipalities:
        ids |= set(municipalities.values_list("pk", flat=True))
    region_ids = [r.pk for r in regions]
    if region_ids:
        ids |= set(municipalities.filter(region_id__in=region_ids).values_list("pk", flat=True))
    if network is not None:
        ids |= set(
            NetworkMembership.objects.current()
            .filter(network=network)
            .values_list("organisation_id", flat=True)
        )
    ids |= {o.pk for o in organisations}
    ids.discard(sender.pk)
    return sorted(ids)


def _check_links(user, *, frame, incident, round, document) -> dict[str, list[str]]:
    """A link the sender cannot see is refused (it would name something they may not)."""
    errors: dict[str, list[str]] = {}
    checks: list[tuple[str, Any, Any]] = [
        ("frame", frame, CrisisFrame),
        ("incident", incident, Incident),
        ("round", round, ReportingRound),
        ("document", document, Document),
    ]
    for field, target, model in checks:
        if target is not None and not model.objects.visible_to(user).filter(pk=target.pk).exists():
            errors[field] = [_("You cannot link to something you cannot see.")]
    return errors


def message_url(message) -> str:
    return reverse("networks:message-detail", kwargs={"uuid": message.uuid})


def do_send_message(
    *,
    sender,
    acting_user,
    title,
    body,
    urgency=Urgency.INFORMATION,
    exempt=False,
    exempt_basis="",
    all_municipalities=False,
    regions=(),
    network=None,
    organisations=(),
    frame=None,
    incident=None,
    round=None,
    document=None,
    attachments=(),
) -> Message:
    """Send a message for ``sender``: checked whole before anything is saved; the
    recipients resolved to organisation rows now (a later change of a network or a
    region does not change who got it); their emergency managers (and for an urgent
    message the crisis staff) notified once, in the portal and by e-mail."""
    if sender.pk not in rules.sender_org_ids(acting_user):
        raise PermissionDenied
    title = (title or "").strip()
    body = (body or "").strip()
    errors = control_character_errors(title=title)
    if not title:
        errors["title"] = [_("Give the message a title.")]
    if not body:
        errors["body"] = [_("Write the message: it cannot be empty.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose information, important or urgent.")]
    if exempt and not (exempt_basis or "").strip():
        errors["exempt_basis"] = [
            _("Give the legal basis (the section of offentleglova) for the exemption.")
        ]
    errors.update(
        _check_links(acting_user, frame=frame, incident=incident, round=round, document=document)
    )
    regions, organisations = list(regions), list(organisations)
    recipient_ids = resolve_recipients(
        sender=sender,
        all_municipalities=all_municipalities,
        regions=regions,
        network=network,
        organisations=organisations,
    )
    if not recipient_ids:
        errors["recipients"] = [
            _("Choose who receives the message: regions, a network, organisations or all.")
        ]
    checked = []
    for upload in attachments:
        try:
            checked.append((upload, *check_attachment(upload)))
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic(), history_context(acting_user, "information.send"):
        message = Message.objects.create(
            sender=sender,
            title=title,
            body=body,
            urgency=urgency,
            exempt=exempt,
            exempt_basis=(exempt_basis or "").strip() if exempt else "",
            all_municipalities=all_municipalities,
            network=network,
            frame=frame,
            incident=incident,
            round=round,
            document=document,
            recipient_count=len(recipient_ids),
            created_by=acting_user,
        )
        if regions:
            message.regions.set(regions)
        if organisations:
            message.organisations.set(organisations)
        MessageRecipient.objects.bulk_create(
            MessageRecipient(message=message, organisation_id=pk) for pk in recipient_ids
        )
        for upload, content_type, extension in checked:
            attachment = MessageAttachment(
                message=message,
                filename=upload.name[:200],
                content_type=content_type,
                extension=extension,
                size=upload.size,
            )
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
        roles = (
            MESSAGE_URGENT_NOTIFIED_ROLES if urgency == Urgency.URGENT else MESSAGE_NOTIFIED_ROLES
        )
        _notify_new(message, users_of(recipient_ids, roles))
    return message


def _notice_text(message) -> tuple[str, str]:
    prefix = {Urgency.URGENT: _("URGENT: "), Urgency.IMPORTANT: _("Important: ")}.get(
        message.urgency, ""
    )
    if message.exempt:
        # Exempt text never leaves the portal by e-mail: the notice only says it is there.
        return (
            prefix + _("New message from %(sender)s") % {"sender": message.sender.display_name},
            _("The message is exempt from public disclosure: read it in Samvirke."),
        )
    return (
        prefix + message.title,
        _("From %(sender)s. Read the message in Samvirke.")
        % {"sender": message.sender.display_name},
    )


def _notify_new(message, users) -> None:
    title, body = _notice_text(message)
    notify_many(
        [
            Notice(
                users,
                event_key=f"message {message.uuid}",
                kind=NotificationKind.MESSAGE,
                title=title,
                body=body,
                url=message_url(message),
            )
        ]
    )


def do_mark_read(message, *, acting_user) -> int:
    """Record the first reading of ``message`` for each of the user's organisations that
    it reached and that had not read it yet. Returns how many organisations that was
    (0 when none: a second reading changes nothing). A conditional UPDATE: two people of
    the same organisation reading at once leave one first reader."""
    org_ids = rules.reader_org_ids(
        acting_user,
        MessageRecipient.objects.filter(message=message).values_list("organisation_id", flat=True),
    )
    if not org_ids:
        return 0
    with transaction.atomic(), history_context(acting_user, "information.read"):
        marked = MessageRecipient.objects.filter(
            message=message, organisation_id__in=org_ids, read_at__isnull=True
        ).update(read_at=timezone.now(), read_by=acting_user)
    if marked:
        transaction.on_commit(lambda: _bump_receipts_version(message.pk))
    return marked


def do_remind(message, *, acting_user) -> list[Organisation]:
    """Remind each recipient that has not read and was not reminded before: one reminder
    per message and organisation (the database's unique constraint; the message row is
    locked so two senders pressing at once remind once). Returns the organisations
    reminded; none left → ValidationError."""
    if not rules.may_manage(acting_user, message):
        raise PermissionDenied
    with transaction.atomic(), history_context(acting_user, "information.remind"):
        Message.objects.select_for_update().filter(pk=message.pk).first()
        reminded = MessageReminder.objects.filter(message=message).values("organisation_id")
        due = list(
            Organisation.objects.filter(
                pk__in=MessageRecipient.objects.filter(
                    message=message, read_at__isnull=True
                ).values("organisation_id")
            )
            .exclude(pk__in=reminded)
            .order_by("name")
        )
        if not due:
            raise ValidationError(
                _("Everyone has read the message or has already been reminded once."),
                code="nothing_to_remind",
            )
        MessageReminder.objects.bulk_create(
            MessageReminder(message=message, organisation=o, reminded_by=acting_user) for o in due
        )
        transaction.on_commit(lambda: _bump_receipts_version(message.pk))
        roles = (
            MESSAGE_URGENT_NOTIFIED_ROLES
            if message.urgency == Urgency.URGENT
            else MESSAGE_NOTIFIED_ROLES
        )
        title, body = _notice_text(message)
        notify_many(
            [
                Notice(
                    users_of([o.pk for o in due], roles),
                    event_key=f"message {message.uuid} reminder",
                    kind=NotificationKind.REMINDER,
                    title=_("Reminder: %(title)s") % {"title": title},
                    body=body,
                    url=message_url(message),
                )
            ]
        )
    return due


def do_ask_question(message, *, organisation, acting_user, text) -> MessageQuestion:
    """A recipient organisation asks the sender about the message."""
    recipients = MessageRecipient.objects.filter(message=message).values_list(
        "organisation_id", flat=True
    )
    if organisation.pk not in rules.asker_org_ids(acting_user, recipients):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write your question.")]})
    with transaction.atomic(), history_context(acting_user, "information.ask"):
        question = MessageQuestion.objects.create(
            message=message, organisation=organisation, text=text, asked_by=acting_user
        )
        notify_many(
            [
                Notice(
                    users_of([message.sender_id], MESSAGE_SENDER_ROLES),
                    event_key=f"message question {question.uuid}",
                    kind=NotificationKind.MESSAGE,
                    title=_("Question on “%(title)s” from %(org)s")
                    % {"title": message.title, "org": organisation.display_name},
                    url=message_url(message),
                )
            ]
        )
    return question


def do_answer_question(question, *, acting_user, answer, public=False) -> MessageQuestion:
    """The sender answers a question, once: to the asker, or (``public``) to every
    recipient."""
    message = question.message
    if not rules.may_manage(acting_user, message):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("Write the answer.")]})
    with transaction.atomic(), history_context(acting_user, "information.answer"):
        updated = MessageQuestion.objects.filter(pk=question.pk, answered_at__isnull=True).update(
            answer=answer, public=bool(public), answered_by=acting_user, answered_at=timezone.now()
        )
        if not updated:
            raise ValidationError(
                {"answer": [_("The question has already been answered.")]}, code="answered"
            )
        question.refresh_from_db()
        notify_many(
            [
                Notice(
                    users_of([question.organisation_id], MESSAGE_ASKER_ROLES),
                    event_key=f"message answer {question.uuid}",
                    kind=NotificationKind.MESSAGE,
                    title=_("Answer on “%(title)s”") % {"title": message.title},
                    url=message_url(message),
                )
            ]
        )
    return question
