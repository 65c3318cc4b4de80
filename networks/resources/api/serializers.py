"""The resource overview's and assistance agreements' API serializers: explicit fields
for reading, and the inputs the writes take (the checks themselves are the actions')."""

from rest_framework import serializers

from networks.library.models import Document
from networks.resources.models import (
    Agreement,
    Resource,
    ResourceAvailability,
    ResourceCategory,
    ResourceShare,
)
from networks.structure.models import Municipality, Network, Office, Organisation
from portal.api import VisibleUUIDField


class ResourceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    municipality = serializers.CharField(
        source="municipality.number", read_only=True, help_text="Municipality number."
    )
    municipality_name = serializers.CharField(source="municipality.label", read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "owner",
            "owner_name",
            "category",
            "name",
            "description",
            "quantity",
            "unit",
            "municipality",
            "municipality_name",
            "latitude",
            "longitude",
            "availability",
            "contact_role",
            "lendable",
            "created_at",
            "updated_at",
        ]


class ResourceWriteSerializer(serializers.Serializer):
    """A resource's facts. ``owner`` (create only; default: the only organisation whose
    resources you keep; with several, name it). The quantity is ≥ 0; coordinates are
    both given or both left out, inside mainland Norway (latitude 57–72, longitude 4–32)."""

    owner = VisibleUUIDField(Organisation, required=False)
    category = serializers.ChoiceField(choices=ResourceCategory.choices)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit = serializers.CharField(max_length=40)
    municipality = serializers.SlugRelatedField(
        slug_field="number", queryset=Municipality.objects.all(), help_text="Municipality number."
    )
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    availability = serializers.ChoiceField(
        choices=ResourceAvailability.choices, default=ResourceAvailability.AVAILABLE
    )
    contact_role = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    lendable = serializers.BooleanField(required=False, default=False)


class ResourceShareSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    resource = serializers.UUIDField(source="resource.uuid", read_only=True)
    organisation = serializers.UUIDField(
        source="organisation.uuid", read_only=True, allow_null=True
    )
    network = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)
    office = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)

    class Meta:
        model = ResourceShare
        fields = ["id", "resource", "organisation", "network", "office", "everyone", "created_at"]


class ResourceShareCreateSerializer(serializers.Serializer):
    """Open a resource to exactly one audience: an organisation (uuid), a network (slug),
    a region (office slug) or ``everyone``."""

    resource = VisibleUUIDField(Resource)
    organisation = VisibleUUIDField(Organisation, required=False, allow_null=True)
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )
    office = serializers.SlugRelatedField(
        slug_field="slug", queryset=Office.objects.all(), required=False, allow_null=True
    )
    everyone = serializers.BooleanField(required=False, default=False)


class AgreementSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    parties = serializers.SlugRelatedField(many=True, read_only=True, slug_field="uuid")
    resources = serializers.SerializerMethodField(
        help_text="The linked resources you can see (ids)."
    )
    document = serializers.SerializerMethodField(help_text="The library document, if you see it.")

    class Meta:
        model = Agreement
        fields = [
            "id",
            "owner",
            "title",
            "scope",
            "conditions",
            "valid_from",
            "valid_until",
            "parties",
            "resources",
            "document",
            "created_at",
            "updated_at",
        ]

    def get_resources(self, agreement) -> list[str]:
        visible = self.context.get("visible_resource_ids")
        return [
            str(r.uuid) for r in agreement.resources.all() if visible is None or r.pk in visible
        ]

    def get_document(self, agreement) -> str | None:
        visible = self.context.get("visible_document_ids")
        if agreement.document_id is None or (
            visible is not None and agreement.document_id not in visible
        ):
            return None
        return str(agreement.document.uuid)


class AgreementWriteSerializer(serializers.Serializer):
    """An assistance agreement: two or more ``parties`` (your ``owner`` among them),
    ``valid_until`` not before ``valid_from``, linked ``resources`` (the parties' own) and
    an optional library ``document``."""

    owner = VisibleUUIDField(Organisation, required=False)
    title = serializers.CharField(max_length=200)
    scope = serializers.CharField()
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    parties = VisibleUUIDField(Organisation, many=True)
    resources = VisibleUUIDField(Resource, many=True, required=False, default=list)
    document = VisibleUUIDField(Document, required=False, allow_null=True, default=None)
