"""What the incident pages share: the scoped lookups (an outsider gets 404), the write
check (a reader gets 403), the log entries with everything they show, and the colours of
the status tags."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from incidents.log.models import (
    Attachment,
    Correction,
    EntryKind,
    Incident,
    IncidentStatus,
    LogEntry,
)

STATUS_COLOURS = {
    IncidentStatus.ACTIVE: "danger",
    IncidentStatus.MONITORING: "warning",
    IncidentStatus.CLOSED: "neutral",
}
SEVERITY_COLOURS = {"low": "info", "moderate": "warning", "high": "danger", "critical": "danger"}

KIND_COLOURS = {
    EntryKind.DECISION: "danger",
    EntryKind.ACTION: "warning",
    EntryKind.MESSAGE_IN: "info",
    EntryKind.MESSAGE_OUT: "accent",
    EntryKind.ASSESSMENT: "success",
    EntryKind.INFORMATION: "neutral",
}


def incidents_for(user):
    return Incident.objects.visible_to(user).select_related("frame", "owner", "owner__region")


def get_incident(request, uuid):
    return get_object_or_404(incidents_for(request.user), uuid=uuid)


def may_write(user, incident):
    return user.has_perm("incidents.write_log", incident)


def require_write(user, incident):
    if not may_write(user, incident):
        raise PermissionDenied


def entries_for(user, incident):
    return LogEntry.objects.visible_in(user, incident)


def with_entry_details(queryset, user):
    """Everything an entry shows, in a fixed number of queries however many entries."""
    return queryset.select_related("author", "organisation", "corrects").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.visible_to(user).order_by("name")),
        Prefetch(
            "corrections",
            queryset=LogEntry.objects.visible_to(user)
            .order_by("recorded_at", "id")
            .only("id", "uuid", "incident_id", "corrects_id", "correction_type", "recorded_at"),
        ),
        Prefetch(
            "links",
            queryset=LogEntry.objects.visible_to(user).only(
                "id", "uuid", "incident_id", "kind", "occurred_at"
            ),
        ),
        # "Svar på" / "Besvart av": only what the viewer may see of the other log.
        Prefetch(
            "responds_to",
            queryset=_answer_entries(user),
            to_attr="visible_responds_to",
        ),
        Prefetch(
            "responses",
            queryset=_answer_entries(user).order_by("occurred_at", "id"),
            to_attr="visible_responses",
        ),
    )


def _answer_entries(user):
    return (
        LogEntry.objects.visible_to(user)
        .select_related("incident", "organisation")
        .only(
            "id", "uuid", "kind", "occurred_at", "text", "responds_to_id",
            "incident__id", "incident__uuid", "incident__title",
            "organisation__id", "organisation__name", "organisation__short_name",
        )
    )  # fmt: skip


def answerable_entries(user, incident):
    """The entries of other logs the user sees, which an entry of ``incident`` may answer."""
    return LogEntry.objects.visible_to(user).exclude(incident=incident)


def decorate(entries):
    """Mark entries that a later entry corrected or retracted (the latest one wins)."""
    entries = list(entries)
    for entry in entries:
        corrections = list(entry.corrections.all())
        entry.correction = corrections[-1] if corrections else None
        entry.correction_count = len(corrections)
        entry.retracted = any(c.correction_type == Correction.RETRACTION for c in corrections)
    return entries


#: How many of a municipal incident's newest entries the regional page shows.
REGIONAL_LATEST = 3


def regional_incidents(user, incident):
    """Beside a State Administrator office's own log under a crisis frame: the municipal
    incidents of its region in the same frame that the user sees (shared with the office
    or with anyone, going in line), each with its newest visible entries. Three queries
    however many incidents and entries. ``None`` for any other incident."""
    if incident.frame_id is None or incident.owner.kind != "state_administrator":
        return None
    latest = (
        LogEntry.objects.visible_to(user)
        .filter(corrects__isnull=True)
        .select_related("organisation")
        .only(
            "id", "uuid", "incident_id", "kind", "occurred_at", "text",
            "organisation__id", "organisation__name", "organisation__short_name",
        )
        .order_by("-occurred_at", "-id")
    )  # fmt: skip
    return list(
        Incident.objects.visible_to(user)
        .filter(frame_id=incident.frame_id, owner__region__organisation_id=incident.owner_id)
        .exclude(pk=incident.pk)
        .select_related("owner")
        .order_by("owner__name", "-started_at")
        .prefetch_related(
            Prefetch("entries", queryset=latest[:REGIONAL_LATEST], to_attr="latest_entries")
        )
    )
