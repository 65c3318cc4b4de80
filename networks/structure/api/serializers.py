from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from networks.structure.models import (
    ContactEntry,
    Council,
    CouncilMembership,
    CouncilStatus,
    County,
    Municipality,
    NeighbourLink,
    Network,
    NetworkMembership,
    Office,
    Organisation,
)
from portal.api import VisibleUUIDField


class OfficeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    counties = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)

    class Meta:
        model = Office
        fields = [
            "id",
            "slug",
            "name",
            "name_bokmaal",
            "orgnr",
            "website",
            "organisation",
            "counties",
        ]


class CountySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    office = serializers.SlugRelatedField(read_only=True, slug_field="slug")

    class Meta:
        model = County
        fields = ["id", "number", "name", "name_no", "office", "population", "area_km2"]


class MunicipalitySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    # Annotated by MunicipalityViewSet: one model instance per row instead of four.
    county = serializers.CharField(source="county_number", read_only=True)
    office = serializers.CharField(source="office_slug", read_only=True)
    organisation = serializers.UUIDField(source="organisation_uuid", read_only=True)
    label_point = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = [
            "id",
            "number",
            "label",
            "name",
            "name_no",
            "county",
            "office",
            "population",
            "area_km2",
            "administrative_centre",
            "website",
            "label_point",
            "organisation",
        ]

    def get_label_point(self, obj) -> list[float]:
        return [obj.label_lon, obj.label_lat]

    def to_representation(self, obj):
        """Hand-written for speed: the full list (357 rows) is fetched often, and DRF's
        field-by-field path costs more than the query. The declared fields above remain
        the contract (and the OpenAPI schema); tests/networks/test_api.py checks that this
        returns exactly them, with the same values as the generic path."""
        return {
            "id": str(obj.uuid),
            "number": obj.number,
            "label": obj.label,
            "name": obj.name,
            "name_no": obj.name_no,
            "county": obj.county_number,
            "office": obj.office_slug,
            "population": obj.population,
            "area_km2": f"{obj.area_km2:.2f}",
            "administrative_centre": obj.administrative_centre,
            "website": obj.website,
            "label_point": [obj.label_lon, obj.label_lat],
            "organisation": str(obj.organisation_uuid),
        }


class MunicipalityDetailSerializer(MunicipalitySerializer):
    neighbours = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")

    class Meta(MunicipalitySerializer.Meta):
        fields = [*MunicipalitySerializer.Meta.fields, "neighbours"]

    def to_representation(self, obj):
        data = super().to_representation(obj)
        data["neighbours"] = [n.number for n in obj.neighbours.all()]
        return data


class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    region = serializers.SlugRelatedField(read_only=True, allow_null=True, slug_field="slug")

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "short_name", "kind", "orgnr", "region", "website"]


class NetworkMembershipSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    network = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = NetworkMembership
        fields = ["id", "network", "organisation", "joined_on", "left_on", "note"]


class NetworkSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.SlugRelatedField(read_only=True, allow_null=True, slug_field="slug")
    current_members = serializers.SerializerMethodField()

    class Meta:
        model = Network
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "kind",
            "description",
            "owner",
            "current_members",
        ]

    def get_current_members(self, obj) -> list[str]:
        return [m.organisation.slug for m in obj.current_memberships]


class CouncilMembershipSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = CouncilMembership
        fields = ["id", "organisation", "status", "since", "until", "note"]


class CouncilSeatSerializer(CouncilMembershipSerializer):
    """A seat with its council (the ``council-memberships`` list)."""

    council = serializers.UUIDField(source="council.uuid", read_only=True)
    office = serializers.CharField(source="council.office.slug", read_only=True)

    class Meta(CouncilMembershipSerializer.Meta):
        fields = ["id", "council", "office", *CouncilMembershipSerializer.Meta.fields[1:]]


class CouncilSeatCreateSerializer(serializers.Serializer):
    council = VisibleUUIDField(Council)
    organisation = VisibleUUIDField(Organisation)
    status = serializers.ChoiceField(choices=CouncilStatus.choices)
    since = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CouncilSeatEndSerializer(serializers.Serializer):
    until = serializers.DateField()


class NeighbourLinkSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    first = serializers.CharField(source="first.number", read_only=True)
    second = serializers.CharField(source="second.number", read_only=True)

    class Meta:
        model = NeighbourLink
        fields = [
            "id",
            "first",
            "second",
            "basis",
            "distance_m",
            "source",
            "created_at",
            "removed_at",
            "removed_reason",
        ]


@extend_schema_field(OpenApiTypes.STR)
class MunicipalityNumberField(serializers.SlugRelatedField):
    """A municipality by its number, among those the user may see."""

    def get_queryset(self):
        return Municipality.objects.visible_to(self.context["request"].user)


class NeighbourLinkCreateSerializer(serializers.Serializer):
    first = MunicipalityNumberField(slug_field="number")
    second = MunicipalityNumberField(slug_field="number")
    reason = serializers.CharField(max_length=300)


class NeighbourLinkRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CouncilSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    office = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    seats = CouncilMembershipSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Council
        fields = ["id", "name", "office", "seats"]


class ContactEntrySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)

    class Meta:
        model = ContactEntry
        fields = [
            "id",
            "organisation",
            "function",
            "name",
            "phone",
            "phone_alt",
            "email",
            "deputy",
            "deputy_phone",
            "availability",
            "sort_order",
            "updated_at",
        ]
