"""Query filters of the incidents API (django-filter; drf-spectacular documents them)."""

import django_filters as filters
from django.db.models import Q

from incidents.models import (
    EntryKind,
    Incident,
    IncidentStatus,
    IncidentType,
    LogEntry,
    Share,
    Task,
    TaskStatus,
)
from portal.access import viewer_for


class IncidentFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=IncidentStatus.choices)
    type = filters.ChoiceFilter(choices=IncidentType.choices)
    frame = filters.UUIDFilter(field_name="frame__uuid", help_text="A crisis frame's id.")
    is_exercise = filters.BooleanFilter()
    owner = filters.UUIDFilter(field_name="owner__uuid", help_text="The owner organisation's id.")

    class Meta:
        model = Incident
        fields = ["status", "type", "frame", "is_exercise", "owner"]


class LogEntryFilterSet(filters.FilterSet):
    incident = filters.UUIDFilter(field_name="incident__uuid", help_text="An incident's id.")
    since = filters.IsoDateTimeFilter(
        field_name="recorded_at",
        lookup_expr="gte",
        help_text=(
            "Only entries recorded at or after this time (ISO 8601, e.g. "
            "2023-08-07T10:00:00+02:00). Inclusive: to fetch everything new, pass the "
            "recorded_at of the last entry you have (minus a few seconds, as entries "
            "written in long transactions may commit late) and skip the ids you already hold."
        ),
    )
    kind = filters.ChoiceFilter(choices=EntryKind.choices)
    organisation = filters.UUIDFilter(
        field_name="organisation__uuid", help_text="The writing organisation's id."
    )

    class Meta:
        model = LogEntry
        fields = ["incident", "since", "kind", "organisation"]


class ShareFilterSet(filters.FilterSet):
    incident = filters.UUIDFilter(
        method="filter_incident",
        help_text="An incident's id: its incident-wide shares and those of its entries.",
    )

    class Meta:
        model = Share
        fields = ["incident"]

    def filter_incident(self, queryset, name, value):
        return queryset.filter(Q(incident__uuid=value) | Q(entry__incident__uuid=value))


class TaskFilterSet(filters.FilterSet):
    incident = filters.UUIDFilter(field_name="incident__uuid", help_text="An incident's id.")
    status = filters.ChoiceFilter(choices=TaskStatus.choices)
    mine = filters.BooleanFilter(
        method="filter_mine",
        help_text="My tasks: assigned to me or to one of my organisations.",
    )

    class Meta:
        model = Task
        fields = ["incident", "status", "mine"]

    def filter_mine(self, queryset, name, value):
        viewer = viewer_for(self.request.user)
        mine = Q(assignee_user_id=viewer.user_id) | Q(assignee_organisation_id__in=viewer.org_ids)
        return queryset.filter(mine) if value else queryset.exclude(mine)
