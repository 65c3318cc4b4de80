"""Read-only directory API and the (private) crisis contact rosters. Every queryset comes
from the access layer through ScopedViewSetMixin."""

from django.db.models import F, Prefetch
from rest_framework import viewsets

from networks.structure.api import serializers
from networks.structure.filtersets import MunicipalityFilterSet, OrganisationFilterSet
from networks.structure.models import (
    ContactEntry,
    Council,
    CouncilMembership,
    County,
    Municipality,
    Network,
    NetworkMembership,
    Office,
    Organisation,
)
from portal.api import ScopedViewSetMixin


class OfficeViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Statsforvalteren: the 10 State Administrator offices and the counties each covers."""

    model = Office
    serializer_class = serializers.OfficeSerializer
    lookup_field = "slug"

    def scope_queryset(self, queryset):
        return queryset.select_related("organisation").prefetch_related("counties")


class CountyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Fylker: the 15 counties."""

    model = County
    serializer_class = serializers.CountySerializer
    lookup_field = "number"
    filterset_fields = ["office__slug"]

    def scope_queryset(self, queryset):
        return queryset.select_related("office")


class MunicipalityViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Kommuner: the 357 municipalities; filter as on the directory page."""

    model = Municipality
    lookup_field = "number"
    filterset_class = MunicipalityFilterSet

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.MunicipalityDetailSerializer
        return serializers.MunicipalitySerializer

    def scope_queryset(self, queryset):
        queryset = queryset.annotate(
            county_number=F("county__number"),
            office_slug=F("county__office__slug"),
            organisation_uuid=F("organisation__uuid"),
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("neighbours")
        return queryset.order_by("number")


class OrganisationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations taking part: municipalities, offices, national bodies, KS …"""

    model = Organisation
    serializer_class = serializers.OrganisationSerializer
    lookup_field = "uuid"
    filterset_class = OrganisationFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("region").order_by("name")


class NetworkViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Networks with their current members."""

    model = Network
    serializer_class = serializers.NetworkSerializer
    lookup_field = "slug"

    def scope_queryset(self, queryset):
        return queryset.select_related("owner").prefetch_related(
            Prefetch(
                "memberships",
                to_attr="current_memberships",
                queryset=NetworkMembership.objects.current().select_related("organisation"),
            )
        )


class NetworkMembershipViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Every membership with its period: the history of each network."""

    model = NetworkMembership
    serializer_class = serializers.NetworkMembershipSerializer
    lookup_field = "uuid"
    filterset_fields = ["network__slug"]

    def scope_queryset(self, queryset):
        return queryset.select_related("network", "organisation", "organisation__region").order_by(
            "network__slug", "joined_on", "organisation__name"
        )


class CouncilViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """County preparedness councils with their seats (member / invited)."""

    model = Council
    serializer_class = serializers.CouncilSerializer
    lookup_field = "uuid"

    def scope_queryset(self, queryset):
        return queryset.select_related("office").prefetch_related(
            Prefetch(
                "memberships",
                queryset=CouncilMembership.objects.select_related(
                    "organisation", "organisation__region"
                ),
            )
        )


class ContactEntryViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Crisis contact rosters (beredskapskontakter): only your own organisation's, and for
    State Administrator officers those of their region."""

    model = ContactEntry
    serializer_class = serializers.ContactEntrySerializer
    lookup_field = "uuid"
    filterset_fields = ["organisation__uuid"]

    def scope_queryset(self, queryset):
        return queryset.select_related("organisation")
