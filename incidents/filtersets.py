"""One FilterSet per list, for the pages and the API alike. They filter querysets that
are already scoped (``visible_to``); choices that list people or organisations are taken
from the queryset being filtered, so a filter never reveals anything new."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from incidents.models import (
    CrisisFrame,
    EntryKind,
    Incident,
    IncidentStatus,
    IncidentType,
    LogEntry,
)
from networks.models import Organisation
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

    class Meta:
        model = Incident
        fields = ["status", "type", "frame", "exercise"]

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


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search all logs"), required=False, max_length=200)
