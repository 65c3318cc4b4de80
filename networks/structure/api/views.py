"""Read-only directory API and the (private) crisis contact rosters. Every queryset comes
from the access layer through ScopedViewSetMixin."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from networks.structure.actions import (
    do_add_council_member,
    do_add_neighbour_link,
    do_end_council_membership,
    do_remove_neighbour_link,
)
from networks.structure.api import serializers
from networks.structure.filtersets import MunicipalityFilterSet, OrganisationFilterSet
from networks.structure.models import (
    ContactEntry,
    Council,
    CouncilMembership,
    County,
    Municipality,
    NeighbourLink,
    Network,
    NetworkMembership,
    Office,
    Organisation,
)
from portal.api import ScopedViewSetMixin, require, run_action


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
    """County preparedness councils with their seats (member / invited / observer),
    current and former."""

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


@extend_schema_view(
    create=extend_schema(
        request=serializers.CouncilSeatCreateSerializer,
        responses={201: serializers.CouncilSeatSerializer},
    )
)
class CouncilMembershipViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Seats in the county preparedness councils, current and former (a council's
    membership is public inside the portal). The chairing office's officers add a seat
    (member, invited, observer) and end one (``end`` with ``until``); nothing is deleted."""

    model = CouncilMembership
    serializer_class = serializers.CouncilSeatSerializer
    lookup_field = "uuid"
    filterset_fields = ["council__office__slug", "status"]

    def scope_queryset(self, queryset):
        return queryset.select_related(
            "council__office", "organisation", "organisation__region"
        ).order_by("council__office__slug", "until", "status", "organisation__name")

    def create(self, request, *args, **kwargs):
        data = serializers.CouncilSeatCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        council = values.pop("council")
        require("networks.edit_council", request.user, council)
        seat = run_action(
            do_add_council_member,
            council,
            values.pop("organisation"),
            acting_user=request.user,
            **values,
        )
        seat = self.get_queryset().get(pk=seat.pk)
        return Response(self.get_serializer(seat).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.CouncilSeatEndSerializer,
        responses={200: serializers.CouncilSeatSerializer},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, uuid=None):
        seat = self.get_object()
        require("networks.edit_council", request.user, seat.council)
        data = serializers.CouncilSeatEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run_action(
            do_end_council_membership,
            seat,
            until=data.validated_data["until"],
            acting_user=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=seat.pk)).data)


class NeighbourLinkFilterSet(django_filters.FilterSet):
    municipality = django_filters.CharFilter(method="filter_municipality")
    office = django_filters.CharFilter(method="filter_office")
    current = django_filters.BooleanFilter(field_name="removed_at", lookup_expr="isnull")

    class Meta:
        model = NeighbourLink
        fields = ["basis"]

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(Q(first__number=value) | Q(second__number=value))

    def filter_office(self, queryset, name, value):
        return queryset.filter(
            Q(first__county__office__slug=value) | Q(second__county__office__slug=value)
        )


@extend_schema_view(
    create=extend_schema(
        request=serializers.NeighbourLinkCreateSerializer,
        responses={201: serializers.NeighbourLinkSerializer},
    )
)
class NeighbourLinkViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Nabokommuner: neighbour pairs with how each was found (``basis``: land, water,
    fixed_link, office) and removed pairs with the reason. Filter by ``municipality``
    (number), ``office`` (slug), ``basis``, ``current``. An office's officers add a pair
    with one municipality in their region and ``remove`` a pair of their region, each with
    a reason."""

    model = NeighbourLink
    serializer_class = serializers.NeighbourLinkSerializer
    lookup_field = "uuid"
    filterset_class = NeighbourLinkFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("first", "second").order_by(
            "first__number", "second__number", "id"
        )

    def create(self, request, *args, **kwargs):
        data = serializers.NeighbourLinkCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        first, second = data.validated_data["first"], data.validated_data["second"]
        offices = Office.objects.filter(pk__in={first.county.office_id, second.county.office_id})
        if not any(request.user.has_perm("networks.edit_neighbours", o) for o in offices):
            raise PermissionDenied
        link = run_action(
            do_add_neighbour_link,
            first,
            second,
            reason=data.validated_data["reason"],
            acting_user=request.user,
        )
        link = self.get_queryset().get(pk=link.pk)
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.NeighbourLinkRemoveSerializer,
        responses={200: serializers.NeighbourLinkSerializer},
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, uuid=None):
        link = self.get_object()
        link = NeighbourLink.objects.select_related("first__county", "second__county").get(
            pk=link.pk
        )
        require("networks.remove_neighbour_link", request.user, link)
        data = serializers.NeighbourLinkRemoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run_action(
            do_remove_neighbour_link,
            link,
            reason=data.validated_data["reason"],
            acting_user=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=link.pk)).data)


class ContactEntryViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Crisis contact rosters (beredskapskontakter): only your own organisation's, and for
    State Administrator officers those of their region."""

    model = ContactEntry
    serializer_class = serializers.ContactEntrySerializer
    lookup_field = "uuid"
    filterset_fields = ["organisation__uuid"]

    def scope_queryset(self, queryset):
        return queryset.select_related("organisation")
