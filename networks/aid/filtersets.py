"""The one FilterSet of the request list, shared by the page and the API."""

from django_filters import rest_framework as filters

from networks.aid.models import AssistanceRequest, RequestPriority, RequestStatus
from networks.resources.models import ResourceCategory


class RequestFilterSet(filters.FilterSet):
    """One filter for the request list page and the API."""

    status = filters.ChoiceFilter(choices=RequestStatus.choices)
    priority = filters.ChoiceFilter(choices=RequestPriority.choices)
    category = filters.ChoiceFilter(choices=ResourceCategory.choices)
    region = filters.CharFilter(field_name="requester__region__slug", help_text="Office slug")
    requester = filters.UUIDFilter(field_name="requester__uuid")
    incident = filters.UUIDFilter(field_name="incident__uuid")

    class Meta:
        model = AssistanceRequest
        fields = ["status", "priority", "category", "region", "requester", "incident"]
