"""One FilterSet per list, serving both the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from networks.structure.models import Municipality, Network, NetworkMembership, Office, Organisation


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of object by slug (a select on the page, a slug string in the API)."""


class MunicipalityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    office = django_filters.ModelChoiceFilter(
        field_name="county__office",
        to_field_name="slug",
        queryset=Office.objects.all(),
        label=_("State Administrator"),
    )
    county = django_filters.CharFilter(field_name="county__number", label=_("County number"))
    network = SlugChoiceFilter(
        method="in_network",
        to_field_name="slug",
        queryset=Network.objects.all(),
        label=_("Network"),
    )
    min_population = django_filters.NumberFilter(
        field_name="population", lookup_expr="gte", label=_("Population at least")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("label", "name"),
            ("number", "number"),
            ("population", "population"),
            ("county__number", "county"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Municipality
        fields = ["q", "office", "county", "network", "min_population"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(label__icontains=value) | Q(name__icontains=value) | Q(number__startswith=value)
        )

    def in_network(self, queryset, name, value):
        if not value:
            return queryset
        members = NetworkMembership.objects.current().filter(network=value)
        return queryset.filter(organisation__in=members.values("organisation"))


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    office = django_filters.ModelChoiceFilter(
        field_name="region",
        to_field_name="slug",
        queryset=Office.objects.all(),
        label=_("State Administrator"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "office"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
            if value
            else queryset
        )
