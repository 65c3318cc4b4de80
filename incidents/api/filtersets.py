"""Query filters of the incidents API (django-filter; drf-spectacular documents them).

Incidents and log entries are filtered by the pages' FilterSets (incidents.filtersets):
the API classes below only add what a client needs beyond the page — an incident's and
an owner's id, a plain boolean ``is_exercise``, and ``since`` for polling. Shares and
tasks have no page filters; their FilterSets live here alone."""

import django_filters as filters
from django.db.models import Q

from incidents import filtersets
from incidents.models import Share, Task, TaskStatus
from portal.access import viewer_for


class IncidentFilterSet(filtersets.IncidentFilterSet):
    """The incident list page's filters (status, type, frame, exercise), plus:"""

    is_exercise = filters.BooleanFilter()
    owner = filters.UUIDFilter(field_name="owner__uuid", help_text="The owner organisation's id.")

    class Meta(filtersets.IncidentFilterSet.Meta):
        fields = [*filtersets.IncidentFilterSet.Meta.fields, "is_exercise", "owner"]


class LogEntryFilterSet(filtersets.LogEntryFilterSet):
    """The log page's filters (q, kind, author, organisation, occurred_from/to), plus:"""

    incident = filters.UUIDFilter(field_name="incident__uuid", help_text="An incident's id.")
    since = filtersets.LocalDateTimeFilter(
        field_name="recorded_at",
        lookup_expr="gte",
        help_text=(
            "Only entries recorded at or after this time (ISO 8601, e.g. "
            "2023-08-07T10:00:00+02:00). Inclusive: to fetch everything new, pass the "
            "recorded_at of the last entry you have (minus a few seconds, as entries "
            "written in long transactions may commit late) and skip the ids you already hold."
        ),
    )

    class Meta(filtersets.LogEntryFilterSet.Meta):
        fields = ["incident", "since", *filtersets.LogEntryFilterSet.Meta.fields]


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
