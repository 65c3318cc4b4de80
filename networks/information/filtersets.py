"""The one FilterSet of the message list, shared by the page and the API."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from networks.information.models import Message, Urgency


class MessageFilterSet(filters.FilterSet):
    """Urgency, sender, the national crisis and sent / received."""

    urgency = filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    sender = filters.UUIDFilter(field_name="sender__uuid", label=_("Sender"))
    frame = filters.UUIDFilter(field_name="frame__uuid", label=_("National crisis"))
    q = filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Message
        fields = ["urgency", "sender", "frame", "q"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))
