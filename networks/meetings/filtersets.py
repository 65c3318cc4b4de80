"""The one FilterSet of the meeting list, shared by the page and the API."""

from django_filters import rest_framework as filters

from networks.meetings.models import Meeting, MeetingKind


class MeetingFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=MeetingKind.choices)
    convener = filters.UUIDFilter(field_name="convener__uuid")
    after = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    before = filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Meeting
        fields = ["kind", "convener", "after", "before"]
