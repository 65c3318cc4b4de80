"""API for mutual aid: requests for assistance, offers, joint procurement. The same
access layer as the pages (``visible_to`` through ScopedViewSetMixin) and the same
actions (``networks.aid.actions``); an action's ValidationError is a 400 with field
errors, never a 500. The organisation a caller acts for is resolved by
:func:`portal.access.acting_organisation`: named, or the only one; several → 400 on the
field, none → 403."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from networks.aid.actions.offers import (
    do_accept_offer,
    do_decline_offer,
    do_make_offer,
    do_withdraw_offer,
)
from networks.aid.actions.procurement import (
    do_add_procurement_item,
    do_create_procurement,
    do_set_quantity,
    procurement_totals,
)
from networks.aid.actions.requests import (
    do_close_request,
    do_create_request,
    do_redirect_request,
)
from networks.aid.api.serializers import (
    AcceptSerializer,
    ItemInputSerializer,
    ItemSerializer,
    LineInputSerializer,
    OfferCreateSerializer,
    OfferSerializer,
    ProcurementCreateSerializer,
    ProcurementSerializer,
    RedirectSerializer,
    RequestCreateSerializer,
    RequestSerializer,
    TotalsSerializer,
)
from networks.aid.exports import order_basis_xlsx
from networks.aid.filtersets import RequestFilterSet
from networks.aid.models import AssistanceOffer, AssistanceRequest, JointProcurement
from networks.aid.rules import (
    acting_org_ids,
    may_manage_procurement,
    may_manage_request,
    may_redirect_request,
    participating_org_ids,
    writer_org_ids,
)
from portal.access import acting_organisation, org_ids_with
from portal.api import ScopedViewSetMixin, action_errors, run_action
from portal.roles import AID_OFFER_ROLES, AID_WRITER_ROLES


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
            queryset.with_quantities()
            .select_related("requester", "incident", "location", "network")
            .prefetch_related("organisations")
            .order_by("-created_at", "-id")
        )

    def _fresh(self, aid):
        return self.get_serializer(self.get_queryset().get(pk=aid.pk)).data

    def create(self, request, *args, **kwargs):
        if not writer_org_ids(request.user):
            raise PermissionDenied
        serializer = RequestCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        requester = run_action(
            acting_organisation,
            request.user,
            AID_WRITER_ROLES,
            data.pop("requester", None),
            field="requester",
        )
        with action_errors():
            aid = do_create_request(requester=requester, acting_user=request.user, **data)
        return Response(self._fresh(aid), status=status.HTTP_201_CREATED)

    def _close(self, request, cancel):
        aid = self.get_object()
        if not may_manage_request(request.user, aid):
            raise PermissionDenied
        with action_errors():
            do_close_request(aid, acting_user=request.user, cancel=cancel)
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
        if not may_redirect_request(request.user, aid):
            raise PermissionDenied
        serializer = RedirectSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with action_errors():
            do_redirect_request(
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
        acting = acting_org_ids(request.user)
        if not acting:
            raise PermissionDenied
        serializer = OfferCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        aid = data.pop("request")
        offerer = data.pop("offerer", None)
        # Named, the offerer goes to the action (offering to one's own request is its
        # 400); by default, the requester is not among those one could mean.
        offerer = run_action(
            acting_organisation,
            request.user,
            AID_OFFER_ROLES,
            offerer,
            field="offerer",
            exclude=() if offerer is not None else {aid.requester_id},
        )
        with action_errors():
            offer = do_make_offer(aid, offerer=offerer, acting_user=request.user, **data)
        return Response(self._fresh(offer), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """Accept the offer, whole or in part (the requester). Refused with 400 if it
        would take the request over what it asked for."""
        offer = self.get_object()
        if not may_manage_request(request.user, offer.request):
            raise PermissionDenied
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with action_errors():
            do_accept_offer(
                offer, acting_user=request.user, quantity=serializer.validated_data.get("quantity")
            )
        return Response(self._fresh(offer))

    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        """Decline the offer (the requester)."""
        offer = self.get_object()
        if not may_manage_request(request.user, offer.request):
            raise PermissionDenied
        with action_errors():
            do_decline_offer(offer, acting_user=request.user)
        return Response(self._fresh(offer))

    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        """Withdraw the offer (the offerer)."""
        offer = self.get_object()
        if offer.offerer_id not in acting_org_ids(request.user):
            raise PermissionDenied
        with action_errors():
            do_withdraw_offer(offer, acting_user=request.user)
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
        writers = writer_org_ids(request.user)
        if not writers:
            raise PermissionDenied
        serializer = ProcurementCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lead = run_action(
            acting_organisation,
            request.user,
            AID_WRITER_ROLES,
            data.pop("lead", None),
            field="lead",
        )
        with action_errors():
            procurement = do_create_procurement(lead=lead, acting_user=request.user, **data)
        fresh = self.get_queryset().get(pk=procurement.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"])
    def items(self, request, *args, **kwargs):
        """The items; POST adds one (the lead, before the deadline)."""
        procurement = self.get_object()
        if request.method == "POST":
            if not may_manage_procurement(request.user, procurement):
                raise PermissionDenied
            serializer = ItemInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            with action_errors():
                do_add_procurement_item(
                    procurement, acting_user=request.user, **serializer.validated_data
                )
        return Response(ItemSerializer(procurement.items.all(), many=True).data)

    def _totals(self, procurement):
        totals = procurement_totals(procurement)
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
        mine = participating_org_ids(request.user, procurement)
        if not mine:
            raise PermissionDenied
        serializer = LineInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = run_action(
            acting_organisation,
            request.user,
            AID_WRITER_ROLES,
            data.get("organisation"),
            exclude=org_ids_with(request.user, AID_WRITER_ROLES) - mine,
        )
        item = procurement.items.filter(pk=data["item"]).first()
        if item is None:
            raise serializers.ValidationError({"item": ["No such item in this procurement."]})
        with action_errors():
            do_set_quantity(
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
        procurement = self.get_object()
        if not may_manage_procurement(request.user, procurement):
            raise PermissionDenied
        content, filename = order_basis_xlsx(procurement)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
