"""The one FilterSet of the resource overview, serving the page and the API alike:
text, category, availability, lendability, region, the owner's network, and nearness to
a municipality (nearest first)."""

import django_filters
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from networks.resources.models import Resource, ResourceAvailability, ResourceCategory
from networks.structure.filtersets import SlugChoiceFilter
from networks.structure.models import Municipality, Network, NetworkMembership, Office


class Nearness:
    SAME = "same"
    NEIGHBOURS = "neighbours"
    REGION = "region"
    CHOICES = [  # the default first: the select shows what the filter does
        (NEIGHBOURS, _("Same municipality and its neighbours")),
        (SAME, _("Same municipality")),
        (REGION, _("Same State Administrator region")),
    ]


@extend_schema_field(OpenApiTypes.STR)
class MunicipalityNumberFilter(django_filters.ModelChoiceFilter):
    """A municipality by its number (a select on the page, "4601" in the API)."""


def neighbour_ids(municipality_id):
    """The ids of a municipality's neighbours, as a subquery (stored both ways in the
    symmetrical ``Municipality.neighbours`` table)."""
    return Municipality.neighbours.through.objects.filter(
        from_municipality_id=municipality_id
    ).values("to_municipality_id")


def near_q(municipality, nearness):
    if nearness == Nearness.SAME:
        return Q(municipality_id=municipality.pk)
    if nearness == Nearness.REGION:
        return Q(municipality__county__office_id=municipality.county.office_id)
    return Q(municipality_id=municipality.pk) | Q(
        municipality_id__in=neighbour_ids(municipality.pk)
    )


class ResourceFilterSet(django_filters.FilterSet):
    """Find resources among those the user may see: by text, category, availability,
    whether they can be lent out, the region they are in, a network their owner is a
    current member of, and nearness to a municipality (``near`` + ``nearness``; nearest
    first)."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    category = django_filters.ChoiceFilter(choices=ResourceCategory.choices, label=_("Category"))
    availability = django_filters.ChoiceFilter(
        choices=ResourceAvailability.choices, label=_("Availability")
    )
    lendable = django_filters.ChoiceFilter(
        method="filter_lendable",
        choices=[("true", _("Yes")), ("false", _("No"))],
        label=_("Can be lent out"),
    )
    region = SlugChoiceFilter(
        field_name="municipality__county__office",
        to_field_name="slug",
        queryset=Office.objects.all(),
        label=_("State Administrator region"),
    )
    network = SlugChoiceFilter(
        method="in_network",
        to_field_name="slug",
        queryset=Network.objects.all(),
        label=_("Owner's network"),
    )
    near = MunicipalityNumberFilter(
        method="near_to",
        to_field_name="number",
        queryset=Municipality.objects.select_related("county"),
        label=_("Near municipality"),
    )
    nearness = django_filters.ChoiceFilter(
        method="ignore",
        choices=Nearness.CHOICES,
        label=_("How near"),
        empty_label=None,
    )

    class Meta:
        model = Resource
        fields = ["q", "category", "availability", "lendable", "region", "network", "near"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def in_network(self, queryset, name, value):
        if not value:
            return queryset
        members = NetworkMembership.objects.current().filter(
            network=value, organisation_id=OuterRef("owner_id")
        )
        return queryset.filter(Exists(members))

    def filter_lendable(self, queryset, name, value):
        return queryset.filter(lendable=value == "true") if value else queryset

    def ignore(self, queryset, name, value):
        return queryset

    def near_to(self, queryset, name, value):
        if not value:
            return queryset
        nearness = self.form.cleaned_data.get("nearness") or Nearness.NEIGHBOURS
        return (
            queryset.filter(near_q(value, nearness))
            .annotate(
                distance_rank=Case(
                    When(municipality_id=value.pk, then=Value(0)),
                    When(municipality_id__in=neighbour_ids(value.pk), then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("distance_rank", "category", "name", "id")
        )
