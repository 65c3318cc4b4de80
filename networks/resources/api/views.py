"""The resource overview and assistance agreements in the API: ``resources`` (list with
the page's filters incl. ``near=<municipality number>``, retrieve, create, update),
``resource-shares`` (list, retrieve, create, delete) and ``agreements`` (list, retrieve,
create, update). The same access layer as the pages (``visible_to``) and the same actions
(``networks.resources.actions``): bad input is 400 with field errors, nothing half-saved;
an object the user may not see is 404, one they see but may not change is 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from networks.models import (
    Agreement,
    Document,
    Municipality,
    Network,
    Office,
    Organisation,
    Resource,
    ResourceAvailability,
    ResourceCategory,
    ResourceShare,
)
from networks.resources import actions
from networks.resources.forms import ResourceFilterSet
from portal.api import ScopedViewSetMixin, VisibleUUIDField
from portal.api import run_action as _run


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
    """A resource's facts. ``owner`` (create only; default: the first organisation whose
    resources you keep). The quantity is ≥ 0; coordinates are both given or both left out,
    inside mainland Norway (latitude 57–72, longitude 4–32)."""

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


def _first_writer_org(user):
    ids = sorted(actions.writer_org_ids(user))
    if not ids:
        raise PermissionDenied
    return Organisation.objects.get(pk=ids[0])


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
        owner = data.pop("owner", None) or _first_writer_org(request.user)
        resource = _run(actions.do_create_resource, owner=owner, acting_user=request.user, **data)
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
        _run(actions.do_update_resource, resource, acting_user=request.user, **changes)
        return Response(self.get_serializer(self.get_queryset().get(pk=resource.pk)).data)


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


class VisibleShares:
    """``ResourceShare`` has no manager of its own: its access rule lives in
    :func:`networks.resources.actions.visible_shares` (the owner's people and the region's
    officers), which this adapter hands to :class:`ScopedViewSetMixin`."""

    class objects:  # noqa: N801 — mimics a model's manager
        @staticmethod
        def visible_to(user):
            return actions.visible_shares(user)


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

    model = VisibleShares
    queryset = ResourceShare.objects.none()  # for the schema; get_queryset scopes
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
        share = _run(actions.do_share_resource, resource, acting_user=request.user, **data)
        return Response(self.get_serializer(share).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, share):
        if not self.request.user.has_perm("networks.share_resource", share.resource):
            raise PermissionDenied
        actions.do_unshare_resource(share, acting_user=self.request.user)


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
    filterset_fields = []

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
            return _run(
                actions.do_create_agreement,
                owner=owner or _first_writer_org(request.user),
                acting_user=request.user,
                **data,
            )
        return _run(actions.do_update_agreement, agreement, acting_user=request.user, **data)

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
