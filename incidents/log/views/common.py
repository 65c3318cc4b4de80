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
    )


def decorate(entries):
    """Mark entries that a later entry corrected or retracted (the latest one wins)."""
    entries = list(entries)
    for entry in entries:
        corrections = list(entry.corrections.all())
        entry.correction = corrections[-1] if corrections else None
        entry.correction_count = len(corrections)
        entry.retracted = any(c.correction_type == Correction.RETRACTION for c in corrections)
    return entries
