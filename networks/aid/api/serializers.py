"""The mutual-aid API's serializers: requests, offers, joint procurements and their
inputs. Read serializers are explicit and read-only; writes go through the actions."""

from rest_framework import serializers

from incidents.log.models import Incident
from networks.aid.models import (
    AssistanceOffer,
    AssistanceRequest,
    JointProcurement,
    ProcurementItem,
    RequestPriority,
)
from networks.resources.models import Resource, ResourceCategory
from networks.structure.models import Municipality, Network, Organisation
from portal.api import VisibleUUIDField


class OfferSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    request = serializers.UUIDField(source="request.uuid", read_only=True)
    offerer = serializers.UUIDField(source="offerer.uuid", read_only=True)
    offerer_name = serializers.CharField(source="offerer.name", read_only=True)
    resource = serializers.SerializerMethodField()
    offerer_incident = serializers.SerializerMethodField()

    class Meta:
        model = AssistanceOffer
        fields = [
            "id",
            "request",
            "offerer",
            "offerer_name",
            "quantity",
            "accepted_quantity",
            "note",
            "resource",
            "offerer_incident",
            "status",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields

    def get_resource(self, obj) -> str | None:
        return str(obj.resource.uuid) if obj.resource_id else None

    def get_offerer_incident(self, obj) -> str | None:
        return str(obj.offerer_incident.uuid) if obj.offerer_incident_id else None


class OfferCreateSerializer(serializers.Serializer):
    request = VisibleUUIDField(AssistanceRequest)
    offerer = VisibleUUIDField(
        Organisation, required=False, help_text="Defaults to your only organisation."
    )
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    resource = VisibleUUIDField(Resource, required=False, allow_null=True)
    offerer_incident = VisibleUUIDField(Incident, required=False, allow_null=True)


class AcceptSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Accept part of the offer; leave out to accept it whole.",
    )


class RequestSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    requester = serializers.UUIDField(source="requester.uuid", read_only=True)
    requester_name = serializers.CharField(source="requester.name", read_only=True)
    incident = serializers.UUIDField(source="incident.uuid", read_only=True)
    location = serializers.CharField(source="location.number", read_only=True)
    organisations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="uuid")
    network = serializers.SlugRelatedField(read_only=True, allow_null=True, slug_field="slug")
    offered = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    accepted = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    offer_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AssistanceRequest
        fields = [
            "id",
            "requester",
            "requester_name",
            "incident",
            "title",
            "description",
            "category",
            "quantity",
            "unit",
            "location",
            "needed_by",
            "priority",
            "status",
            "fulfilled_quantity",
            "offered",
            "accepted",
            "offer_count",
            "organisations",
            "network",
            "to_office",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields


class RequestCreateSerializer(serializers.Serializer):
    requester = VisibleUUIDField(
        Organisation, required=False, help_text="Defaults to your only organisation."
    )
    incident = VisibleUUIDField(Incident)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=ResourceCategory.choices)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit = serializers.CharField(max_length=40)
    location = serializers.SlugRelatedField(
        slug_field="number", queryset=Municipality.objects.all(), help_text="Municipality number"
    )
    needed_by = serializers.DateTimeField()
    priority = serializers.ChoiceField(choices=RequestPriority.choices, default="normal")
    organisations = serializers.ListField(
        child=VisibleUUIDField(Organisation), required=False, default=list
    )
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )
    to_office = serializers.BooleanField(required=False, default=False)


class RedirectSerializer(serializers.Serializer):
    organisations = serializers.ListField(child=VisibleUUIDField(Organisation), min_length=1)


class ItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProcurementItem
        fields = ["id", "name", "unit", "specification", "position"]
        read_only_fields = ["id", "position"]


class ProcurementSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    lead = serializers.UUIDField(source="lead.uuid", read_only=True)
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    network = serializers.SlugRelatedField(read_only=True, allow_null=True, slug_field="slug")
    organisations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="uuid")
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = JointProcurement
        fields = [
            "id",
            "lead",
            "lead_name",
            "title",
            "description",
            "deadline",
            "closed_at",
            "network",
            "organisations",
            "items",
            "created_at",
        ]
        read_only_fields = fields


class ItemInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=40)
    specification = serializers.CharField(required=False, allow_blank=True, default="")


class ProcurementCreateSerializer(serializers.Serializer):
    lead = VisibleUUIDField(
        Organisation, required=False, help_text="Defaults to your only organisation."
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateTimeField()
    items = ItemInputSerializer(many=True)
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )
    organisations = serializers.ListField(
        child=VisibleUUIDField(Organisation), required=False, default=list
    )
    incident = VisibleUUIDField(Incident, required=False, allow_null=True)


class LineInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="The item's id")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    organisation = VisibleUUIDField(
        Organisation, required=False, help_text="Defaults to your only participating organisation."
    )


class TotalsItemSerializer(serializers.Serializer):
    item = ItemSerializer()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    lines = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2),
        help_text="Quantity per participant (organisation id)",
    )


class TotalsSerializer(serializers.Serializer):
    items = TotalsItemSerializer(many=True)
    participants = serializers.DictField(
        child=serializers.CharField(), help_text="Organisation id → name"
    )
