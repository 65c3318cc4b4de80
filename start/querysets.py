"""The start page's blocks («Nå»): what needs the user now, per role.

Each block is one query (two for the tasks: the incident tasks and the other features'
«Mine oppgaver» sources), however much data there is: the rows are limited to a few, and
the total is read in the same query with a window count. Every query starts from the
feature's ``visible_to(user)``; the role decides which blocks a user gets, the access
layer decides what is in them. A user with several roles gets the blocks of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, JSONField, OuterRef, Q, Subquery, Window
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
from networks.meetings.models import Meeting
from portal.access import viewer_for
from portal.models import Notification
from portal.roles import MUNICIPAL_ROLES, Role
from portal.worklist import items_for
from reporting.models import (
    Compilation,
    CompilationLevel,
    ExportJob,
    ReportingRound,
    Submission,
    SubmissionStatus,
)

#: How many rows a block shows; its total says how many there are.
LIMIT = 5
#: A picture published this many days ago or less is new.
NEW_DAYS = 14


@dataclass
class Item:
    """One row of a block: what, where to go, and a state or a time to show."""

    title: str
    url: str
    detail: str = ""
    state: str = ""
    state_label: str = ""
    colour: str = "neutral"
    when: datetime | date | None = None
    when_label: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


@dataclass
class Block:
    key: str
    role: str  # municipality, office, national, ks
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    more_label: str = ""


def _total(rows) -> int:
    return rows[0].total if rows else 0


def _counted(queryset):
    """The rows (at most LIMIT) with the whole set's size on each (one query)."""
    return list(queryset.annotate(total=Window(Count("pk")))[:LIMIT])


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


def _short(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


# --- a State Administrator office, a national analyst ------------------------------------


def _with_counts(rounds, region_ids=None):
    """Submitted, late and not-submitted counts per round (of the regions, or all)."""
    scope = Q(submissions__municipality__region_id__in=region_ids) if region_ids else Q()
    submitted = Q(submissions__status=SubmissionStatus.SUBMITTED)
    return rounds.annotate(
        n_submitted=Count("submissions", filter=scope & submitted & Q(submissions__is_late=False)),
        n_late=Count("submissions", filter=scope & submitted & Q(submissions__is_late=True)),
        n_missing=Count("submissions", filter=scope & ~submitted),
    )


def _round_item(r, url, now) -> Item:
    missing = _("missing") if now > r.deadline else _("not yet submitted")
    late = r.n_late
    return Item(
        title=r.title,
        url=url,
        detail=_("%(submitted)s submitted, %(late)s late, %(missing)s %(missing_label)s")
        % {
            "submitted": r.n_submitted,
            "late": late,
            "missing": r.n_missing,
            "missing_label": missing,
        },
        state="missing" if r.n_missing and now > r.deadline else "",
        state_label=str(_("Deadline passed")) if now > r.deadline else "",
        colour="danger" if r.n_missing and now > r.deadline else "neutral",
        when=r.deadline,
        when_label=_("Deadline"),
    )


def region_rounds(user, office_ids, now) -> Block:
    through = ReportingRound.recipients.through.objects
    in_region = through.filter(
        reportinground_id=OuterRef("pk"), organisation__region_id__in=office_ids
    )
    rows = _counted(
        _with_counts(
            ReportingRound.objects.visible_to(user).filter(
                Exists(in_region), closed_at__isnull=True
            ),
            office_ids,
        ).order_by("deadline", "pk")
    )
    return Block(
        "region_rounds",
        "office",
        _("Open rounds in the region"),
        _("No open reporting rounds in the region."),
        [_round_item(r, reverse("reporting:dashboard", args=[r.uuid]), now) for r in rows],
        _total(rows),
        reverse("reporting:round-list"),
        _("All rounds"),
    )


def unacknowledged(user, office_ids) -> Block:
    rows = _counted(
        Submission.objects.visible_to(user)
        .filter(
            municipality__region_id__in=office_ids,
            status=SubmissionStatus.SUBMITTED,
            acknowledged_at__isnull=True,
        )
        .select_related("round", "municipality")
        .order_by("submitted_at", "pk")
    )
    return Block(
        "unacknowledged",
        "office",
        _("Submissions not yet acknowledged"),
        _("Every submission in the region is acknowledged."),
        [
            Item(
                title=s.municipality.name,
                url=reverse("reporting:submission", args=[s.uuid]),
                detail=s.round.title,
                state="late" if s.is_late else "submitted",
                state_label=str(_("Submitted late") if s.is_late else _("Submitted")),
                colour="warning" if s.is_late else "success",
                when=s.submitted_at,
                when_label=_("Submitted"),
            )
            for s in rows
        ],
        _total(rows),
    )


def region_aid(user, office_ids) -> Block:
    rows = _counted(
        AssistanceRequest.objects.visible_to(user)
        .open()
        .filter(requester__region_id__in=office_ids)
        .with_quantities()
        .select_related("requester")
        .order_by("needed_by", "pk")
    )
    return Block(
        "region_aid",
        "office",
        _("Open requests for assistance in the region"),
        _("No open requests for assistance in the region."),
        [
            Item(
                title=r.title,
                url=reverse("networks:aid-request-detail", args=[r.uuid]),
                detail=_("%(requester)s · %(offers)s offers")
                % {"requester": r.requester.name, "offers": r.offer_count},
                state=r.priority,
                state_label=str(r.get_priority_display()),
                colour={"critical": "danger", "high": "warning"}.get(r.priority, "neutral"),
                when=r.needed_by,
                when_label=_("Needed by"),
            )
            for r in rows
        ],
        _total(rows),
        reverse("networks:aid-overview"),
        _("Regional overview"),
    )


def next_meeting(user, now) -> Block:
    rows = _counted(
        Meeting.objects.visible_to(user)
        .filter(starts_at__gte=now)
        .select_related("convener")
        .order_by("starts_at", "pk")
    )
    return Block(
        "next_meeting",
        "office",
        _("Next meeting"),
        _("No meetings ahead."),
        [
            Item(
                title=m.title,
                url=reverse("networks:meeting-detail", args=[m.uuid]),
                detail=m.convener.name,
                when=m.starts_at,
                when_label=_("Starts"),
            )
            for m in rows[:1]
        ],
        _total(rows),
        reverse("networks:meeting-list"),
        _("All meetings"),
    )


def forwarded_pictures(user, org_ids) -> Block:
    national = Compilation.objects.filter(
        round_id=OuterRef("round_id"),
        level=CompilationLevel.NATIONAL,
        published_at__isnull=False,
    )
    rows = _counted(
        Compilation.objects.visible_to(user)
        .filter(level=CompilationLevel.REGIONAL, forwarded_at__isnull=False)
        .filter(round__issuer_id__in=org_ids)
        .exclude(Exists(national))
        .select_related("round", "office")
        .order_by("-forwarded_at", "pk")
    )
    return Block(
        "forwarded_pictures",
        "national",
        _("Regional pictures awaiting the national compilation"),
        _("No forwarded regional picture awaits the national compilation."),
        [
            Item(
                title=c.round.title,
                url=reverse("reporting:national", args=[c.round.uuid]),
                detail=c.office.name_bokmaal if c.office_id else "",
                when=c.forwarded_at,
                when_label=_("Forwarded"),
            )
            for c in rows
        ],
        _total(rows),
    )


def issued_rounds(user, org_ids, now) -> Block:
    rows = _counted(
        _with_counts(
            ReportingRound.objects.visible_to(user).filter(
                issuer_id__in=org_ids, closed_at__isnull=True
            )
        ).order_by("deadline", "pk")
    )
    return Block(
        "issued_rounds",
        "national",
        _("Rounds we issued, national counts"),
        _("You have no open rounds."),
        [_round_item(r, reverse("reporting:national", args=[r.uuid]), now) for r in rows],
        _total(rows),
        reverse("reporting:round-list"),
        _("All rounds"),
    )


# --- KS ----------------------------------------------------------------------------------


def latest_pictures(user) -> Block:
    rows = _counted(
        Compilation.objects.visible_to(user)
        .filter(published_at__isnull=False)
        .select_related("round", "office")
        .order_by("-published_at", "pk")
    )
    return Block(
        "latest_pictures",
        "ks",
        _("Latest published situation pictures"),
        _("No situation picture has been published yet."),
        [_picture_item(c) for c in rows],
        _total(rows),
    )


def own_exports(user) -> Block:
    rows = _counted(ExportJob.objects.visible_to(user).order_by("-created_at", "-pk"))
    return Block(
        "exports",
        "ks",
        _("Our exports"),
        _("You have not made any exports."),
        [
            Item(
                title=j.filename or str(j.get_kind_display()),
                url=reverse("reporting:export-job", args=[j.uuid]),
                detail=str(j.get_kind_display()),
                state=j.state,
                state_label=str(j.get_state_display()),
                colour={"done": "success", "failed": "danger"}.get(j.state, "info"),
                when=j.created_at,
                when_label=_("Requested"),
            )
            for j in rows
        ],
        _total(rows),
        reverse("reporting:ks-summary"),
        _("KS summary"),
    )


# --- the page ----------------------------------------------------------------------------


@dataclass
class Section:
    role: str
    heading: str
    blocks: list[Block]


def sections_for(user, now=None) -> list[Section]:
    """The start page: a section per role the user holds (municipality, office,
    national analyst, KS), then the user's own notices."""
    now = now or timezone.now()
    viewer = viewer_for(user)
    sections = []
    municipal = frozenset(o for o, role in viewer.roles if role in MUNICIPAL_ROLES)
    if municipal:
        sections.append(
            Section(
                "municipality",
                _("Our municipality"),
                [
                    open_rounds(user, municipal, now),
                    tasks_due(user),
                    aid_to_us(user, municipal),
                    unread_messages(user, municipal),
                    active_incidents(user, municipal),
                    shared_entries(user, municipal),
                    new_pictures(user, municipal, now),
                    our_aid_requests(user, municipal),
                    newer_versions(user, municipal),
                ],
            )
        )
    if viewer.officer_office_ids:
        office_orgs = frozenset(o for o, role in viewer.roles if role == Role.OFFICER)
        offices = viewer.officer_office_ids
        sections.append(
            Section(
                "office",
                _("The State Administrator"),
                [
                    region_rounds(user, offices, now),
                    unacknowledged(user, offices),
                    region_aid(user, offices),
                    shared_entries(user, office_orgs, role="office"),
                    next_meeting(user, now),
                ],
            )
        )
    national = frozenset(o for o, role in viewer.roles if role == Role.NATIONAL_ANALYST)
    if national:
        sections.append(
            Section(
                "national",
                _("National analysis"),
                [forwarded_pictures(user, national), issued_rounds(user, national, now)],
            )
        )
    if viewer.has_role(Role.KS_ANALYST):
        sections.append(Section("ks", _("KS"), [latest_pictures(user), own_exports(user)]))
    sections.append(Section("all", _("For you"), [unread_notices(user)]))
    return sections


def as_data(sections: list[Section]) -> list[dict[str, Any]]:
    """The sections as plain data (for the API)."""
    from dataclasses import asdict

    return [asdict(s) for s in sections]
