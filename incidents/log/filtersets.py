"""One FilterSet per list, for the pages and the API alike. They filter querysets that
are already scoped (``visible_to``); choices that list people or organisations are taken
from the queryset being filtered, so a filter never reveals anything new.

The log is the one list with two: the API's :class:`LogEntryApiFilterSet` adds
``incident`` and ``since`` to the page's filters, and the page cannot take them, because
its live updates send ``since`` for their own window (incidents.log.views.log.LogUpdatesView)."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from incidents.log.models import (
    CrisisFrame,
    EntryKind,
    Incident,
    IncidentStatus,
    IncidentType,
    LogEntry,
    Share,
    Task,
    TaskStatus,
)
from networks.structure.models import Organisation
from portal.access import viewer_for
from portal.filtersets import LocalDateTimeFilter
from portal.forms import LOCAL_FORMATS, DateTimeLocalInput
from portal.search import norwegian_query


def visible_frames(request):
    if request is None:
        return CrisisFrame.objects.none()
    return CrisisFrame.objects.visible_to(request.user).order_by("-started_at")


class IncidentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, label=_("Status"))
    type = django_filters.ChoiceFilter(choices=IncidentType.choices, label=_("Type"))
    frame = django_filters.ModelChoiceFilter(
        queryset=visible_frames, to_field_name="uuid", label=_("Crisis frame")
    )
    exercise = django_filters.ChoiceFilter(
        method="filter_exercise",
        choices=[("yes", _("Only exercises")), ("no", _("Only real incidents"))],
        label=_("Exercises"),
    )
    is_exercise = django_filters.BooleanFilter()
    owner = django_filters.UUIDFilter(
        field_name="owner__uuid", help_text="The owner organisation's id."
    )

    class Meta:
        model = Incident
        fields = ["status", "type", "frame", "exercise", "is_exercise", "owner"]

    def filter_exercise(self, queryset, name, value):
        exercise = Q(is_exercise=True) | Q(frame__is_exercise=True)
        if value == "yes":
            return queryset.filter(exercise)
        if value == "no":
            return queryset.exclude(exercise)
        return queryset


class LogEntryFilterSet(django_filters.FilterSet):
    """Filters of a log: kind, author, organisation, time of event, and Norwegian
    full-text search."""

    q = django_filters.CharFilter(method="search", label=_("Search the log"))
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices, label=_("Kind"))
    author = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.none(), to_field_name="uuid", label=_("Author")
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), to_field_name="uuid", label=_("Organisation")
    )
    occurred_from = LocalDateTimeFilter(
        field_name="occurred_at",
        lookup_expr="gte",
        label=_("From"),
        input_formats=LOCAL_FORMATS,
        widget=DateTimeLocalInput(),
    )
    occurred_to = LocalDateTimeFilter(
        field_name="occurred_at",
        lookup_expr="lte",
        label=_("To"),
        input_formats=LOCAL_FORMATS,
        widget=DateTimeLocalInput(),
    )

    class Meta:
        model = LogEntry
        fields = ["q", "kind", "author", "organisation", "occurred_from", "occurred_to"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # Choices from the (scoped) entries being filtered: nobody unseen is offered.
        # A semi-join from the small side (people, organisations) probing the entries by
        # index stops at the first match; `pk__in=entries.values(...)` read every entry
        # (over 100 ms for a log of 100,000).
        entries = self.queryset.order_by()
        self.filters["author"].queryset = (
            get_user_model()
            .objects.filter(Exists(entries.filter(author_id=OuterRef("pk"))))
            .order_by("first_name", "last_name", "email")
        )
        self.filters["organisation"].queryset = Organisation.objects.filter(
            Exists(entries.filter(organisation_id=OuterRef("pk")))
        ).order_by("name")

    @property
    def form(self):
        form = super().form
        form.fields["author"].label_from_instance = lambda u: u.get_full_name() or u.email
        return form

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(search=norwegian_query(value))

    @property
    def active(self):
        """Whether any filter is set (the page opens the filter panel then)."""
        return any(self.data.get(name) for name in self.Meta.fields)


class LogEntryApiFilterSet(LogEntryFilterSet):
    """The log page's filters (q, kind, author, organisation, occurred_from/to), plus:"""

    incident = django_filters.UUIDFilter(field_name="incident__uuid", help_text="An incident's id.")
    since = LocalDateTimeFilter(
        field_name="recorded_at",
        lookup_expr="gte",
        help_text=(
            "Only entries recorded at or after this time (ISO 8601, e.g. "
            "2023-08-07T10:00:00+02:00). Inclusive: to fetch everything new, pass the "
            "recorded_at of the last entry you have (minus a few seconds, as entries "
            "written in long transactions may commit late) and skip the ids you already hold."
        ),
    )

    class Meta(LogEntryFilterSet.Meta):
        fields = ["incident", "since", *LogEntryFilterSet.Meta.fields]


class ShareFilterSet(django_filters.FilterSet):
    incident = django_filters.UUIDFilter(
        method="filter_incident",
        help_text="An incident's id: its incident-wide shares and those of its entries.",
    )

    class Meta:
        model = Share
        fields = ["incident"]

    def filter_incident(self, queryset, name, value):
        return queryset.filter(Q(incident__uuid=value) | Q(entry__incident__uuid=value))


class TaskFilterSet(django_filters.FilterSet):
    incident = django_filters.UUIDFilter(field_name="incident__uuid", help_text="An incident's id.")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    mine = django_filters.BooleanFilter(
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
