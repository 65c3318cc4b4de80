"""The resource overview and assistance agreements in the API: ``resources`` (list with
the page's filters incl. ``near=<municipality number>``, retrieve, create, update),
``resource-shares`` (list, retrieve, create, delete) and ``agreements`` (list, retrieve,
create, update). The same access layer as the pages (``visible_to``) and the same actions
(``networks.resources.actions``): bad input is 400 with field errors, nothing half-saved;
an object the user may not see is 404, one they see but may not change is 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from networks.library.models import Document
from networks.resources.actions import (
    do_create_agreement,
    do_create_resource,
    do_share_resource,
    do_unshare_resource,
    do_update_agreement,
    do_update_resource,
)
from networks.resources.api.serializers import (
    AgreementSerializer,
    AgreementWriteSerializer,
    ResourceSerializer,
    ResourceShareCreateSerializer,
    ResourceShareSerializer,
    ResourceWriteSerializer,
)
from networks.resources.filtersets import ResourceFilterSet
from networks.resources.models import Agreement, Resource, ResourceShare
from networks.structure.models import Organisation
from portal.access import acting_organisation
from portal.api import ScopedViewSetMixin, run_action
from portal.roles import RESOURCE_WRITER_ROLES


@extend_schema_view(
    create=extend_schema(request=ResourceWriteSerializer, responses={201: ResourceSerializer}),
    update=extend_schema(request=ResourceWriteSerializer, responses={200: ResourceSerializer}),
    partial_update=extend_schema(
        request=ResourceWriteSerializer, responses={200: ResourceSerializer}
    ),
)
class ResourceViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Ressurser: the resources you may see (your own, those shared with you, and — for
    State Administrator officers — those of the region shared with anyone). Filter as on
    the page; ``near=<municipality number>`` with ``nearness`` (same, neighbours, region;
    default neighbours) lists the nearest first."""

    model = Resource
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet
    lookup_field = "uuid"

    def scope_queryset(self, queryset):
        return queryset.select_related("owner", "municipality")

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("networks.add_resource"):
            raise PermissionDenied
        serializer = ResourceWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        owner = run_action(
            acting_organisation,
            request.user,
            RESOURCE_WRITER_ROLES,
            data.pop("owner", None),
            field="owner",
        )
        resource = run_action(do_create_resource, owner=owner, acting_user=request.user, **data)
        resource = self.get_queryset().get(pk=resource.pk)
        return Response(self.get_serializer(resource).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        resource = self.get_object()
        if not request.user.has_perm("networks.change_resource", resource):
            raise PermissionDenied
        partial = kwargs.get("partial", False)
        serializer = ResourceWriteSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k != "owner"}
        if partial:
            changes = {k: v for k, v in changes.items() if k in request.data}
        run_action(do_update_resource, resource, acting_user=request.user, **changes)
        return Response(self.get_serializer(self.get_queryset().get(pk=resource.pk)).data)


@extend_schema_view(
    create=extend_schema(
        request=ResourceShareCreateSerializer, responses={201: ResourceShareSerializer}
    )
)
class ResourceShareViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Delinger: with whom your organisation's resources are shared. Sharing is done by
    the owner's emergency managers and crisis staff (officers for an office's own)."""

    model = ResourceShare
    serializer_class = ResourceShareSerializer
    filterset_fields = ["everyone"]

    def scope_queryset(self, queryset):
        return queryset.select_related("resource", "organisation", "network", "office").order_by(
            "id"
        )

    def create(self, request, *args, **kwargs):
        serializer = ResourceShareCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        resource = data.pop("resource")
        if not request.user.has_perm("networks.share_resource", resource):
            raise PermissionDenied
        share = run_action(do_share_resource, resource, acting_user=request.user, **data)
        return Response(self.get_serializer(share).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, share):
        if not self.request.user.has_perm("networks.share_resource", share.resource):
            raise PermissionDenied
        do_unshare_resource(share, acting_user=self.request.user)


@extend_schema_view(
    create=extend_schema(request=AgreementWriteSerializer, responses={201: AgreementSerializer}),
    update=extend_schema(request=AgreementWriteSerializer, responses={200: AgreementSerializer}),
    partial_update=extend_schema(
        request=AgreementWriteSerializer, responses={200: AgreementSerializer}
    ),
)
class AgreementViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Bistandsavtaler: agreements your organisations are party to (officers: those of
    their region's organisations)."""

    model = Agreement
    serializer_class = AgreementSerializer
    lookup_field = "uuid"
    filterset_fields: list[str] = []

    def scope_queryset(self, queryset):
        return (
            queryset.select_related("owner", "document")
            .prefetch_related(
                Prefetch("parties", queryset=Organisation.objects.order_by("name")),
                Prefetch("resources", queryset=Resource.objects.order_by("name")),
            )
            .order_by("valid_until", "title", "id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated:
            context["visible_resource_ids"] = set(
                Resource.objects.visible_to(user)
                .filter(agreements__in=self.get_queryset().values("pk"))
                .values_list("pk", flat=True)
            )
            context["visible_document_ids"] = set(
                Document.objects.visible_to(user).values_list("pk", flat=True)
            )
        return context

    def _write(self, request, agreement=None, partial=False):
        serializer = AgreementWriteSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        owner = data.pop("owner", None)
        if partial:
            data = {k: v for k, v in data.items() if k in request.data}
        if agreement is None:
            owner = run_action(
                acting_organisation, request.user, RESOURCE_WRITER_ROLES, owner, field="owner"
            )
            return run_action(do_create_agreement, owner=owner, acting_user=request.user, **data)
        return run_action(do_update_agreement, agreement, acting_user=request.user, **data)

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("networks.add_agreement"):
            raise PermissionDenied
        agreement = self._write(request)
        agreement = self.get_queryset().get(pk=agreement.pk)
        return Response(self.get_serializer(agreement).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        agreement = self.get_object()
        if not request.user.has_perm("networks.change_agreement", agreement):
            raise PermissionDenied
        self._write(request, agreement, partial=kwargs.get("partial", False))
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)
