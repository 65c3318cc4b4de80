"""The blocks of a State Administrator office, a national analyst and KS."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from networks.aid.models import AssistanceRequest
from networks.meetings.models import Meeting
from reporting.models import (
    Compilation,
    CompilationLevel,
    ExportJob,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
from reporting.start.querysets.base import Block, Item, _counted, _total
from reporting.start.querysets.municipality import _picture_item

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
