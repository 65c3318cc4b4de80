"""Every write to incidents, logs, shares and tasks: one transaction each, attributable
(pghistory context; log entries carry their author), side effects after commit."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.log.models import (
    Attachment,
    Correction,
    CrisisFrame,
    Incident,
    IncidentStatus,
    LogEntry,
    Share,
    Task,
    TaskStatus,
)
from incidents.log.rules import frame_owner_orgs, incident_writer_org_ids
from networks.structure.models import Organisation, OrganisationKind
from portal import outbox
from portal.access import viewer_for
from portal.history import history_context
from portal.models import NotificationKind
from portal.notifications.actions import notify, users_of
from portal.roles import INCIDENT_WRITER_ROLES
from portal.templatetags.portal_markdown import render_markdown
from portal.uploads import check_attachment
from portal.validators import reject_control_characters


def log_version_key(incident_id: int) -> str:
    """Cache key holding when the incident's log last changed (cheap polling)."""
    return f"incident-log-version:{incident_id}"


def _bump_log_version(incident_id: int):
    """After commit: tell the pollers the log changed. With Redis down the entry stands
    and the pollers read the database (incidents.log.views.log.log_version); a worker bumps the
    version once Redis is back, so that a poller whose version Redis kept through a hang
    still looks (docs/decisions/0011-writes-survive-redis.md)."""
    if not outbox.cache_set(log_version_key(incident_id), new_log_version(), timeout=None):
        from incidents.tasks import bump_log_version  # the task module imports this one

        outbox.enqueue(bump_log_version, incident_id)


def new_log_version() -> str:
    return timezone.now().isoformat()


def _require_writer(incident, user):
    if not Incident.objects.editable_by(user).filter(pk=incident.pk).exists():
        raise PermissionDenied


# --- crisis frames ---------------------------------------------------------------------

#: What may change on a crisis frame (its owner never does).
FRAME_FIELDS = ("title", "type", "description", "is_exercise", "started_at", "ended_at")


def _check_frame_kind(frame, acting_user):
    """A State Administrator office runs exercises, not national crises: an officer
    (who is not also a national analyst of the owner) may only hold exercise frames."""
    if not frame.is_exercise and frame_owner_orgs(acting_user).get(frame.owner_id) == "exercise":
        raise ValidationError(
            {
                "is_exercise": _(
                    "A State Administrator office can only create exercise frames: "
                    "tick “Exercise”. National crisis frames are created by DSB and "
                    "the directorates."
                )
            }
        )


def do_create_frame(
    *, owner, acting_user, title, type, description="", is_exercise, started_at, ended_at=None
) -> CrisisFrame:
    """A national crisis frame (national analysts of DSB or a directorate, for their own
    organisation) or an exercise frame (those, or a State Administrator office's officers
    for their office). The incidents of the organisations taking part are filed under it."""
    with transaction.atomic(), history_context(acting_user, "frame.create"):
        if owner is None or owner.pk not in frame_owner_orgs(acting_user):
            raise PermissionDenied
        frame = CrisisFrame(
            owner=owner,
            title=(title or "").strip(),
            type=type,
            description=description or "",
            is_exercise=bool(is_exercise),
            started_at=started_at,
            ended_at=ended_at,
        )
        _check_frame_kind(frame, acting_user)
        frame.full_clean()
        frame.save()
        return frame


def do_update_frame(frame: CrisisFrame, *, acting_user, **changes) -> CrisisFrame:
    """Change a frame's facts, e.g. end it (``ended_at``). Whether it is an exercise is
    fixed once incidents are filed under it: an exercise frame's incidents are exercises,
    and real and exercise data are never mixed."""
    unknown = set(changes) - set(FRAME_FIELDS)
    if unknown:
        raise ValueError(f"not a frame field: {sorted(unknown)}")
    with transaction.atomic(), history_context(acting_user, "frame.update"):
        frame = CrisisFrame.objects.select_for_update().get(pk=frame.pk)
        if frame.owner_id not in frame_owner_orgs(acting_user):
            raise PermissionDenied
        if (
            "is_exercise" in changes
            and bool(changes["is_exercise"]) != frame.is_exercise
            and frame.incidents.exists()
        ):
            raise ValidationError(
                {
                    "is_exercise": _(
                        "Incidents are already filed under this frame: whether it is an "
                        "exercise can no longer be changed."
                    )
                }
            )
        for key, value in changes.items():
            setattr(frame, key, value)
        if "title" in changes:
            frame.title = (frame.title or "").strip()
        _check_frame_kind(frame, acting_user)
        frame.full_clean()
        frame.save()
        return frame


# --- incidents -------------------------------------------------------------------------


def do_create_incident(*, owner, acting_user, affected=(), **fields) -> Incident:
    reject_control_characters(title=fields.get("title"))
    with transaction.atomic(), history_context(acting_user, "incident.create"):
        frame = fields.get("frame")
        if frame is not None and frame.is_exercise:
            fields["is_exercise"] = True  # an exercise frame holds only exercises
        incident = Incident(owner=owner, created_by=acting_user, **fields)
        incident.full_clean()
        _require_writer_org(owner, acting_user)
        incident.save()
        if affected:
            incident.affected_municipalities.set(affected)
        return incident


def _require_writer_org(owner, user):
    if owner.pk not in incident_writer_org_ids(user):
        raise PermissionDenied


ALLOWED_TRANSITIONS: dict[str, set[IncidentStatus]] = {
    IncidentStatus.ACTIVE: {IncidentStatus.MONITORING, IncidentStatus.CLOSED},
    IncidentStatus.MONITORING: {IncidentStatus.ACTIVE, IncidentStatus.CLOSED},
    IncidentStatus.CLOSED: {IncidentStatus.ACTIVE},  # reopening
}


def do_update_incident(incident: Incident, *, acting_user, affected=None, **changes) -> Incident:
    """Change an incident's facts or status (active → monitoring → closed; a closed
    incident can be reopened). pghistory keeps before/after with the acting user."""
    reject_control_characters(title=changes.get("title"))
    with transaction.atomic(), history_context(acting_user, "incident.update"):
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        _require_writer(incident, acting_user)
        new_status = changes.get("status", incident.status)
        if new_status != incident.status and new_status not in ALLOWED_TRANSITIONS[incident.status]:
            raise ValidationError(
                {
                    "status": _("An incident cannot go from %(old)s to %(new)s.")
                    % {
                        "old": incident.get_status_display(),
                        "new": IncidentStatus(new_status).label,
                    }
                }
            )
        if (
            new_status == IncidentStatus.CLOSED
            and not changes.get("ended_at")
            and not incident.ended_at
        ):
            changes["ended_at"] = timezone.now()
        if new_status == IncidentStatus.ACTIVE and incident.status == IncidentStatus.CLOSED:
            changes["ended_at"] = None
        for key, value in changes.items():
            setattr(incident, key, value)
        incident.full_clean()
        incident.save()
        if affected is not None:
            incident.affected_municipalities.set(affected)
        return incident


# --- the log ---------------------------------------------------------------------------


def do_write_entry(
    incident: Incident,
    *,
    acting_user,
    kind,
    text,
    occurred_at=None,
    exempt=False,
    exempt_basis="",
    attachments=(),
    links=(),
    corrects: LogEntry | None = None,
    correction_type="",
    responds_to: LogEntry | None = None,
    idempotency_key=None,
) -> tuple[LogEntry, bool]:
    """Append an entry to the incident's log. Returns ``(entry, created)``: with an
    ``idempotency_key`` already used by this author, the earlier entry comes back and
    nothing is written. All checks run before anything is saved; the entry and its
    attachments are saved in one transaction."""
    if idempotency_key:
        existing = LogEntry.objects.filter(
            author=acting_user, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing, False
    _require_writer(incident, acting_user)
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write what happened: the entry cannot be empty.")]
    if exempt and not (exempt_basis or "").strip():
        errors["exempt_basis"] = [
            _("Give the legal basis (the section of offentleglova) for the exemption.")
        ]
    if corrects is not None:
        if corrects.incident_id != incident.pk:
            errors["corrects"] = [_("Only entries in this incident's log can be corrected.")]
        if not correction_type:
            correction_type = Correction.CORRECTION
    if responds_to is not None:
        if responds_to.incident_id == incident.pk:
            errors["responds_to"] = [
                _("An entry answers an entry in another log; link entries of this log instead.")
            ]
        elif not LogEntry.objects.visible_to(acting_user).filter(pk=responds_to.pk).exists():
            errors["responds_to"] = [
                _("The entry you answer does not exist, or you cannot see it.")
            ]
    checked = []
    for upload in attachments:
        try:
            checked.append((upload, *check_attachment(upload)))
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)

    entry = LogEntry(
        incident=incident,
        organisation=incident.owner,
        author=acting_user,
        kind=kind,
        text=text,
        text_html=render_markdown(text),
        occurred_at=occurred_at or timezone.now(),
        exempt=exempt,
        exempt_basis=(exempt_basis or "").strip() if exempt else "",
        corrects=corrects,
        correction_type=correction_type if corrects else "",
        responds_to=responds_to,
        idempotency_key=idempotency_key or None,
    )
    entry.full_clean(exclude=["search", "idempotency_key", "links", "text_html"])
    try:
        with transaction.atomic():
            entry.save()
            if links:
                entry.links.set(links)
            for upload, content_type, _extension in checked:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                attachment = Attachment(
                    entry=entry,
                    name=upload.name[:200],
                    content_type=content_type,
                    size=upload.size,
                    sha256=digest.hexdigest(),
                )
                attachment.file.save(upload.name, upload, save=False)
                attachment.save()
    except IntegrityError:
        if idempotency_key:  # a concurrent retry with the same key won the race
            return LogEntry.objects.get(author=acting_user, idempotency_key=idempotency_key), False
        raise
    transaction.on_commit(lambda: _bump_log_version(incident.pk))
    return entry, True


def do_record_entry(
    incident: Incident, *, acting_user, organisation, kind, text, occurred_at=None
) -> LogEntry:
    """An entry another part of the portal writes into an incident's log as one step of
    its own action (a request for assistance sent, an offer made or accepted …), inside
    that action's transaction. The author is the acting user and the organisation the
    acting organisation — which may be the other side of the exchange, not the owner (an
    offer accepted by the requester appears in the offerer's log as from the requester).
    The calling action has already checked that the acting user may take the step; the
    entry is append-only like every other."""
    text = (text or "").strip()
    entry = LogEntry(
        incident=incident,
        organisation=organisation,
        author=acting_user,
        kind=kind,
        text=text,
        text_html=render_markdown(text),
        occurred_at=occurred_at or timezone.now(),
    )
    entry.full_clean(exclude=["search", "idempotency_key", "links", "text_html"])
    entry.save()
    transaction.on_commit(lambda: _bump_log_version(incident.pk))
    return entry


# --- sharing ---------------------------------------------------------------------------


def do_share(*, acting_user, incident=None, entry=None, organisation=None, network=None) -> Share:
    """Open an incident or one entry to an organisation or a network. Never edits what
    is shared; the region's office sees it through the share (go in line)."""
    subject_incident = incident or entry.incident
    with transaction.atomic(), history_context(acting_user, "share.create"):
        _require_writer(subject_incident, acting_user)
        if organisation is not None and organisation.pk == subject_incident.owner_id:
            raise ValidationError({"organisation": _("The incident already belongs to it.")})
        share, _created = Share.objects.get_or_create(
            incident=incident,
            entry=entry,
            organisation=organisation,
            network=network,
            defaults={"created_by": acting_user},
        )
    transaction.on_commit(lambda: _bump_log_version(subject_incident.pk))
    return share


def region_municipalities(incident):
    """The municipalities of the region of the State Administrator office that owns the
    incident (none for an incident another kind of organisation owns)."""
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, region__organisation_id=incident.owner_id
    ).order_by("name")


def do_share_with_region(*, acting_user, incident=None, entry=None) -> list[Share]:
    """A State Administrator office opens its incident (or one entry) to every
    municipality of its region: one share per municipality, so that each reads it as
    shared with it, and a municipality that joins the region later is not included
    silently. Shares that exist already stay; returns the new ones."""
    subject_incident = incident or entry.incident
    with transaction.atomic(), history_context(acting_user, "share.region"):
        _require_writer(subject_incident, acting_user)
        municipalities = list(region_municipalities(subject_incident))
        if not municipalities:
            raise ValidationError(
                {
                    "region": _(
                        "Only a State Administrator office shares with its region's municipalities."
                    )
                }
            )
        existing = set(
            Share.objects.filter(
                incident=incident, entry=entry, organisation__in=municipalities
            ).values_list("organisation_id", flat=True)
        )
        shares = Share.objects.bulk_create(
            Share(incident=incident, entry=entry, organisation=org, created_by=acting_user)
            for org in municipalities
            if org.pk not in existing
        )
    transaction.on_commit(lambda: _bump_log_version(subject_incident.pk))
    return shares


# --- tasks -----------------------------------------------------------------------------


def do_create_task(incident, *, acting_user, title, source_entry=None, **fields) -> Task:
    """Oppgave. A task made from an exempt entry (unntatt offentlighet) is exempt too,
    with the entry's legal basis: it carries the entry's text. The assignees are notified
    (not of the steps of an applied action card: the log holds that step); the notice of
    an exempt task says only that there is a task, with a link, never its text."""
    reject_control_characters(title=title)
    with transaction.atomic(), history_context(acting_user, "task.create"):
        _require_writer(incident, acting_user)
        if source_entry is not None and source_entry.incident_id != incident.pk:
            raise ValidationError({"source_entry": _("The entry belongs to another incident.")})
        if source_entry is not None and source_entry.exempt:
            fields["exempt"] = True
            fields["exempt_basis"] = source_entry.exempt_basis
        task = Task(
            incident=incident,
            title=title,
            source_entry=source_entry,
            created_by=acting_user,
            **fields,
        )
        task.full_clean()
        task.save()
        if task.card_version_id is None:
            _notify_assignees(task, acting_user)
        return task


def _task_assignees(task):
    """Who the task is for, as "Mine oppgaver" finds it (``incidents.log.views.tasks.my_tasks_q``):
    the person, the holders of the role (in the organisation named, or the owner), and
    the organisation's writers when it names neither."""
    people = [task.assignee_user] if task.assignee_user_id else []
    if task.assignee_role:
        org_id = task.assignee_organisation_id or task.incident.owner_id
        people += users_of([org_id], [task.assignee_role])
    elif task.assignee_organisation_id and not task.assignee_user_id:
        people += users_of([task.assignee_organisation_id], INCIDENT_WRITER_ROLES)
    return people


def _notify_assignees(task, acting_user):
    if task.exempt:
        title = _("You have a new task (exempt from public disclosure)")
        body = _("The task is exempt from public disclosure: read it in Samvirke.")
    else:
        title = _("New task: %(title)s") % {"title": task.title}
        body = task.description[:500]
    notify(
        [person for person in _task_assignees(task) if person.pk != acting_user.pk],
        event_key=f"task:{task.uuid}:created",
        kind=NotificationKind.TASK,
        title=title,
        body=body,
        url=reverse("incidents:my-tasks") + f"#task-{task.uuid}",
    )


def do_set_task_status(task: Task, status, *, acting_user) -> Task:
    with transaction.atomic(), history_context(acting_user, "task.status"):
        task = Task.objects.select_for_update().get(pk=task.pk)
        viewer = viewer_for(acting_user)
        may = (
            task.assignee_user_id == acting_user.pk
            or task.assignee_organisation_id in viewer.org_ids
            or Incident.objects.editable_by(acting_user).filter(pk=task.incident_id).exists()
        )
        if not may:
            raise PermissionDenied
        task.status = TaskStatus(status)
        task.save(update_fields=["status", "updated_at"])
        return task
