"""The blocks of a municipality's start page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, JSONField, OuterRef, Subquery, Window
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.log.models import Incident, IncidentStatus, LogEntry, Task, TaskStatus
from incidents.log.views.tasks import my_tasks_q
from networks.aid.models import AssistanceOffer, AssistanceRequest
from networks.information.models import MessageRecipient
from networks.library.models import Adoption
from portal.models import Notification
from portal.worklist import items_for
from reporting.models import (
    Compilation,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
from reporting.start.querysets.base import LIMIT, NEW_DAYS, Block, Item, _counted, _short, _total

# --- a municipality ----------------------------------------------------------------------

SUBMISSION_STATES = {
    "not_started": (gettext_lazy("Not started"), "neutral"),
    "draft": (gettext_lazy("Draft"), "info"),
    "submitted": (gettext_lazy("Submitted"), "success"),
    "submitted_late": (gettext_lazy("Submitted late"), "warning"),
    "late": (gettext_lazy("Late"), "danger"),
}


def submission_state(submission, now) -> str:
    """Not started (never saved: version 1), draft, submitted (late or not), or late (not
    submitted and past the deadline)."""
    if submission.status == SubmissionStatus.SUBMITTED:
        return "submitted_late" if submission.is_late else "submitted"
    if now > submission.round.deadline:
        return "late"
    return "not_started" if submission.version == 1 else "draft"


def open_rounds(user, org_ids, now) -> Block:
    rows = _counted(
        Submission.objects.visible_to(user)
        .filter(municipality_id__in=org_ids, round__closed_at__isnull=True)
        .select_related("round", "municipality")
        .order_by("round__deadline", "round__title", "municipality__name")
    )
    items = []
    for s in rows:
        state = submission_state(s, now)
        label, colour = SUBMISSION_STATES[state]
        items.append(
            Item(
                title=s.round.title,
                url=reverse("reporting:submission", args=[s.uuid]),
                detail=s.municipality.name if len(org_ids) > 1 else "",
                state=state,
                state_label=str(label),
                colour=colour,
                when=s.round.deadline,
                when_label=_("Deadline"),
            )
        )
    return Block(
        "open_rounds",
        "municipality",
        _("Open reporting rounds"),
        _("No open reporting rounds for you right now."),
        items,
        _total(rows),
        reverse("reporting:round-list"),
        _("All rounds"),
    )


def new_pictures(user, org_ids, now) -> Block:
    """Published pictures of rounds we were in, the last NEW_DAYS days."""
    through = ReportingRound.recipients.through.objects
    rows = _counted(
        Compilation.objects.visible_to(user)
        .filter(published_at__gte=now - timedelta(days=NEW_DAYS))
        .filter(
            Exists(
                through.filter(reportinground_id=OuterRef("round_id"), organisation_id__in=org_ids)
            )
        )
        .select_related("round", "office")
        .order_by("-published_at")
    )
    return Block(
        "new_pictures",
        "municipality",
        _("Newly published situation pictures"),
        _("No situation picture has been published for you in the last two weeks."),
        [_picture_item(c) for c in rows],
        _total(rows),
    )


def _picture_item(c) -> Item:
    level = c.office.name_bokmaal if c.office_id else _("National")
    return Item(
        title=c.round.title,
        url=reverse("reporting:picture", args=[c.uuid]),
        detail=str(level),
        when=c.published_at,
        when_label=_("Published"),
    )


def unread_messages(user, org_ids) -> Block:
    rows = _counted(
        MessageRecipient.objects.visible_to(user)
        .filter(organisation_id__in=org_ids, read_at__isnull=True)
        .select_related("message", "message__sender")
        .order_by("-message__sent_at", "pk")
    )
    return Block(
        "unread_messages",
        "municipality",
        _("Unread information"),
        _("No unread information messages."),
        [
            Item(
                title=r.message.title,
                url=reverse("networks:message-detail", args=[r.message.uuid]),
                detail=r.message.sender.name,
                state=r.message.urgency,
                state_label=str(r.message.get_urgency_display()),
                colour={"urgent": "danger", "important": "warning"}.get(r.message.urgency, "info"),
                when=r.message.sent_at,
                when_label=_("Sent"),
            )
            for r in rows
        ],
        _total(rows),
        reverse("networks:message-list"),
        _("All messages"),
    )


def unread_notices(user) -> Block:
    rows = _counted(Notification.objects.visible_to(user).unread().order_by("-created_at", "-pk"))
    return Block(
        "notices",
        "all",
        _("Unread notices"),
        _("No unread notices."),
        [
            Item(
                title=n.title,
                url=n.url or reverse("portal:notifications"),
                detail=str(n.get_kind_display()),
                when=n.created_at,
                when_label=_("Received"),
            )
            for n in rows
        ],
        _total(rows),
        reverse("portal:notifications"),
        _("All notices"),
    )


def tasks_due(user) -> Block:
    """Open incident tasks for me (the «Mine oppgaver» rule) and the other features'
    items (meeting follow-ups), the earliest due first."""
    tasks = list(
        Task.objects.visible_to(user)
        .filter(my_tasks_q(user), status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
        .select_related("incident")
        .annotate(total=Window(Count("pk")))
        .order_by(F("due_at").asc(nulls_last=True), "-created_at")[:LIMIT]
    )
    items = [
        Item(
            title=t.title,
            url=reverse("incidents:task-list", args=[t.incident.uuid]),
            detail=t.incident.title,
            state=t.status,
            state_label=str(t.get_status_display()),
            when=t.due_at,
            when_label=_("Due"),
        )
        for t in tasks
    ]
    others = items_for(user)
    items += [
        Item(
            title=w.title,
            url=w.url,
            detail=f"{w.source}: {w.context}" if w.context else w.source,
            when=w.due,
            when_label=_("Due"),
        )
        for w in others
    ]

    def due(item):
        when = item.when
        if isinstance(when, datetime):
            when = timezone.localdate(when)
        return (when is None, when or date.max)

    items.sort(key=due)
    return Block(
        "tasks",
        "municipality",
        _("Tasks and follow-ups"),
        _("No open tasks or meeting follow-ups for you."),
        items[:LIMIT],
        _total(tasks) + len(others),
        reverse("incidents:my-tasks"),
        _("My tasks"),
    )


def aid_to_us(user, org_ids) -> Block:
    """Open requests addressed to us (not ours) that we have not offered on."""
    offered = AssistanceOffer.objects.filter(request_id=OuterRef("pk"), offerer_id__in=org_ids)
    rows = _counted(
        AssistanceRequest.objects.visible_to(user)
        .open()
        .exclude(requester_id__in=org_ids)
        .exclude(Exists(offered))
        .select_related("requester")
        .order_by("needed_by", "pk")
    )
    return Block(
        "aid_to_us",
        "municipality",
        _("Requests for assistance awaiting our answer"),
        _("No request for assistance awaits an answer from you."),
        [
            Item(
                title=r.title,
                url=reverse("networks:aid-request-detail", args=[r.uuid]),
                detail=r.requester.name,
                state=r.priority,
                state_label=str(r.get_priority_display()),
                colour={"critical": "danger", "high": "warning"}.get(r.priority, "neutral"),
                when=r.needed_by,
                when_label=_("Needed by"),
            )
            for r in rows
        ],
        _total(rows),
        reverse("networks:aid-request-list"),
        _("All requests"),
    )


def our_aid_requests(user, org_ids) -> Block:
    rows = _counted(
        AssistanceRequest.objects.visible_to(user)
        .filter(requester_id__in=org_ids)
        .exclude(status__in=["closed", "cancelled"])
        .with_quantities()
        .order_by("-created_at", "pk")
    )
    return Block(
        "our_aid_requests",
        "municipality",
        _("Our requests for assistance"),
        _("You have no open requests for assistance."),
        [
            Item(
                title=r.title,
                url=reverse("networks:aid-request-detail", args=[r.uuid]),
                detail=_("%(offers)s offers, %(accepted)s of %(quantity)s %(unit)s accepted")
                % {
                    "offers": r.offer_count,
                    "accepted": f"{r.accepted.normalize():f}",
                    "quantity": f"{r.quantity.normalize():f}",
                    "unit": r.unit,
                },
                state=r.status,
                state_label=str(r.get_status_display()),
                colour="success" if r.status == "fulfilled" else "info",
                when=r.needed_by,
                when_label=_("Needed by"),
            )
            for r in rows
        ],
        _total(rows),
    )


def active_incidents(user, org_ids) -> Block:
    # the latest entry's text and time in one subquery (one compiled visible_to, not two)
    latest = (
        LogEntry.objects.visible_to(user)
        .filter(incident_id=OuterRef("pk"))
        .order_by("-recorded_at", "-pk")
        .values(entry=JSONObject(text="text", at="recorded_at"))[:1]
    )
    rows = _counted(
        Incident.objects.visible_to(user)
        .filter(owner_id__in=org_ids, status=IncidentStatus.ACTIVE)
        .annotate(latest=Subquery(latest, output_field=JSONField()))
        .order_by(F("latest__at").desc(nulls_last=True), "-started_at")
    )
    for i in rows:
        i.latest_text = (i.latest or {}).get("text")
        at = (i.latest or {}).get("at")
        i.latest_at = parse_datetime(at) if at else None
    return Block(
        "active_incidents",
        "municipality",
        _("Our active incidents"),
        _("You have no active incidents."),
        [
            Item(
                title=i.title,
                url=reverse("incidents:log", args=[i.uuid]),
                detail=_short(i.latest_text) if i.latest_text else _("No log entries yet."),
                state=i.severity,
                state_label=str(i.get_severity_display()),
                colour={"critical": "danger", "high": "warning"}.get(i.severity, "neutral"),
                when=i.latest_at,
                when_label=_("Latest entry"),
            )
            for i in rows
        ],
        _total(rows),
        reverse("incidents:incident-list"),
        _("All incidents"),
    )


def shared_entries(user, org_ids, role="municipality") -> Block:
    """The newest log entries of other organisations' incidents that we see (shared with
    us; for an office, also what its region shares with anyone)."""
    rows = _counted(
        LogEntry.objects.visible_to(user)
        .exclude(incident__owner_id__in=org_ids)
        .select_related("incident", "organisation")
        .order_by("-recorded_at", "-pk")
    )
    office = role == "office"
    return Block(
        "shared_entries" if not office else "shared_with_office",
        role,
        _("Newly shared with us") if not office else _("Newly shared with the office"),
        _("Nothing has been shared with you.")
        if not office
        else _("Nothing has been shared with the office."),
        [
            Item(
                title=e.incident.title,
                url=reverse("incidents:entry-detail", args=[e.incident.uuid, e.uuid]),
                detail=f"{e.organisation.name}: {_short(e.text)}",
                state=e.kind,
                state_label=str(e.get_kind_display()),
                when=e.recorded_at,
                when_label=_("Recorded"),
            )
            for e in rows
        ],
        _total(rows),
    )


def newer_versions(user, org_ids) -> Block:
    """Documents we adopted whose origin has a newer version than the one adopted."""
    rows = _counted(
        Adoption.objects.visible_to(user)
        .filter(organisation_id__in=org_ids, source__current_number__gt=F("source_version__number"))
        .select_related("source", "source_version", "copy")
        .order_by("source__title", "pk")
    )
    return Block(
        "newer_versions",
        "municipality",
        _("Adopted documents with a newer version"),
        _("The documents you adopted are up to date."),
        [
            Item(
                title=a.copy.title,
                url=reverse("networks:document-detail", args=[a.copy.uuid]),
                detail=_("Adopted version %(adopted)s, the origin is at version %(latest)s")
                % {"adopted": a.source_version.number, "latest": a.source.current_number},
            )
            for a in rows
        ],
        _total(rows),
    )
