"""API for mutual aid: requests for assistance, offers, joint procurement. The same
access layer as the pages (``visible_to`` through ScopedViewSetMixin) and the same
actions (``networks.aid.actions``); an action's ValidationError is a 400 with field
errors, never a 500."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents.models import Incident
from networks.aid import actions
from networks.aid.views import RequestFilterSet, with_quantities
from networks.models import (
    AssistanceOffer,
    AssistanceRequest,
    JointProcurement,
    Municipality,
    Network,
    Organisation,
    ProcurementItem,
    RequestPriority,
    Resource,
    ResourceCategory,
)
from portal.api import ScopedViewSetMixin, VisibleUUIDField, action_errors

# --- serializers -------------------------------------------------------------------------


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


def _default_org(given, ids, field):
    if given is not None:
        return given
    if len(ids) == 1:
        return Organisation.objects.get(pk=next(iter(ids)))
    raise serializers.ValidationError({field: ["Choose the organisation you act for."]})


# --- viewsets -----------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=RequestCreateSerializer, responses={201: RequestSerializer}),
    close=extend_schema(request=None, responses={200: RequestSerializer}),
    cancel=extend_schema(request=None, responses={200: RequestSerializer}),
    redirect=extend_schema(request=RedirectSerializer, responses={200: RequestSerializer}),
)
class AssistanceRequestViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Bistandsanmodninger: your organisation's requests, those sent to it, those you
    offered to, and — for State Administrator officers — every request of the region."""

    model = AssistanceRequest
    serializer_class = RequestSerializer
    lookup_field = "uuid"
    filterset_class = RequestFilterSet

    def scope_queryset(self, queryset):
        return (
            with_quantities(queryset)
            .select_related("requester", "incident", "location", "network")
            .prefetch_related("organisations")
            .order_by("-created_at", "-id")
        )

    def _fresh(self, aid):
        return self.get_serializer(self.get_queryset().get(pk=aid.pk)).data

    def create(self, request, *args, **kwargs):
        if not actions.writer_org_ids(request.user):
            raise PermissionDenied
        serializer = RequestCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        requester = _default_org(
            data.pop("requester", None), actions.writer_org_ids(request.user), "requester"
        )
        with action_errors():
            aid = actions.do_create_request(requester=requester, acting_user=request.user, **data)
        return Response(self._fresh(aid), status=status.HTTP_201_CREATED)

    def _close(self, request, cancel):
        aid = self.get_object()
        if not actions.may_manage_request(request.user, aid):
            raise PermissionDenied
        with action_errors():
            actions.do_close_request(aid, acting_user=request.user, cancel=cancel)
        return Response(self._fresh(aid))

    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """Close the request (the requester): enough help arrived."""
        return self._close(request, cancel=False)

    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """Cancel the request (the requester)."""
        return self._close(request, cancel=True)

    @action(detail=True, methods=["post"])
    def redirect(self, request, *args, **kwargs):
        """Send the request on to more organisations (the officers of the requester's
        region): they are added, notified, and it is logged."""
        aid = self.get_object()
        if not actions.may_redirect_request(request.user, aid):
            raise PermissionDenied
        serializer = RedirectSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with action_errors():
            actions.do_redirect_request(
                aid,
                acting_user=request.user,
                organisations=serializer.validated_data["organisations"],
            )
        return Response(self._fresh(aid))


@extend_schema_view(
    create=extend_schema(request=OfferCreateSerializer, responses={201: OfferSerializer}),
    accept=extend_schema(request=AcceptSerializer, responses={200: OfferSerializer}),
    decline=extend_schema(request=None, responses={200: OfferSerializer}),
    withdraw=extend_schema(request=None, responses={200: OfferSerializer}),
)
class AssistanceOfferViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Tilbud: offers your organisation made or received, and (officers) those of the
    region. Filter by ``request`` (its id)."""

    model = AssistanceOffer
    serializer_class = OfferSerializer
    lookup_field = "uuid"
    filterset_fields = {"status": ["exact"], "request__uuid": ["exact"]}

    def scope_queryset(self, queryset):
        return queryset.select_related(
            "request", "offerer", "resource", "offerer_incident"
        ).order_by("-created_at", "-id")

    def _fresh(self, offer):
        return self.get_serializer(self.get_queryset().get(pk=offer.pk)).data

    def create(self, request, *args, **kwargs):
        acting = actions.acting_org_ids(request.user)
        if not acting:
            raise PermissionDenied
        serializer = OfferCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        aid = data.pop("request")
        offerer = _default_org(data.pop("offerer", None), acting - {aid.requester_id}, "offerer")
        with action_errors():
            offer = actions.do_make_offer(aid, offerer=offerer, acting_user=request.user, **data)
        return Response(self._fresh(offer), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """Accept the offer, whole or in part (the requester). Refused with 400 if it
        would take the request over what it asked for."""
        offer = self.get_object()
        if not actions.may_manage_request(request.user, offer.request):
            raise PermissionDenied
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with action_errors():
            actions.do_accept_offer(
                offer, acting_user=request.user, quantity=serializer.validated_data.get("quantity")
            )
        return Response(self._fresh(offer))

    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        """Decline the offer (the requester)."""
        offer = self.get_object()
        if not actions.may_manage_request(request.user, offer.request):
            raise PermissionDenied
        with action_errors():
            actions.do_decline_offer(offer, acting_user=request.user)
        return Response(self._fresh(offer))

    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        """Withdraw the offer (the offerer)."""
        offer = self.get_object()
        if offer.offerer_id not in actions.acting_org_ids(request.user):
            raise PermissionDenied
        with action_errors():
            actions.do_withdraw_offer(offer, acting_user=request.user)
        return Response(self._fresh(offer))


@extend_schema_view(
    create=extend_schema(
        request=ProcurementCreateSerializer, responses={201: ProcurementSerializer}
    ),
    items=extend_schema(request=ItemInputSerializer, responses={200: ItemSerializer(many=True)}),
    lines=extend_schema(request=LineInputSerializer, responses={200: TotalsSerializer}),
    totals=extend_schema(responses={200: TotalsSerializer}),
    export=extend_schema(
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(response=OpenApiTypes.BINARY, description="The order basis")
        }
    ),
)
class JointProcurementViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Felles innkjøp: joint needs your organisation leads or is invited to (and, for
    officers, those led from the region)."""

    model = JointProcurement
    serializer_class = ProcurementSerializer
    lookup_field = "uuid"

    def scope_queryset(self, queryset):
        return (
            queryset.select_related("lead", "network")
            .prefetch_related("organisations", "items")
            .order_by("-created_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        writers = actions.writer_org_ids(request.user)
        if not writers:
            raise PermissionDenied
        serializer = ProcurementCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lead = _default_org(data.pop("lead", None), writers, "lead")
        with action_errors():
            procurement = actions.do_create_procurement(lead=lead, acting_user=request.user, **data)
        fresh = self.get_queryset().get(pk=procurement.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"])
    def items(self, request, *args, **kwargs):
        """The items; POST adds one (the lead, before the deadline)."""
        procurement = self.get_object()
        if request.method == "POST":
            if not actions.may_manage_procurement(request.user, procurement):
                raise PermissionDenied
            serializer = ItemInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            with action_errors():
                actions.do_add_procurement_item(
                    procurement, acting_user=request.user, **serializer.validated_data
                )
        return Response(ItemSerializer(procurement.items.all(), many=True).data)

    def _totals(self, procurement):
        totals = actions.procurement_totals(procurement)
        participants = totals["participants"]
        return {
            "items": [
                {
                    "item": ItemSerializer(row["item"]).data,
                    "total": row["total"],
                    "lines": {
                        str(p.uuid): cell
                        for p, cell in zip(participants, row["cells"], strict=True)
                        if cell is not None
                    },
                }
                for row in totals["rows"]
            ],
            "participants": {str(p.uuid): p.name for p in participants},
        }

    @action(detail=True, methods=["post"])
    def lines(self, request, *args, **kwargs):
        """Enter or change your quantity of one item (upsert; 0 = none) until the
        deadline. Answers with the totals."""
        procurement = self.get_object()
        mine = actions.participating_org_ids(request.user, procurement)
        if not mine:
            raise PermissionDenied
        serializer = LineInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = _default_org(data.get("organisation"), mine, "organisation")
        item = procurement.items.filter(pk=data["item"]).first()
        if item is None:
            raise serializers.ValidationError({"item": ["No such item in this procurement."]})
        with action_errors():
            actions.do_set_quantity(
                item, organisation=organisation, acting_user=request.user, quantity=data["quantity"]
            )
        return Response(TotalsSerializer(self._totals(procurement)).data)

    @action(detail=True, methods=["get"])
    def totals(self, request, *args, **kwargs):
        """Totals per item and per participant."""
        return Response(TotalsSerializer(self._totals(self.get_object())).data)

    @action(detail=True, methods=["get"])
    def export(self, request, *args, **kwargs):
        """The order basis as XLSX (the lead)."""
        from networks.aid.exports import order_basis_xlsx

        procurement = self.get_object()
        if not actions.may_manage_procurement(request.user, procurement):
            raise PermissionDenied
        content, filename = order_basis_xlsx(procurement)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
