"""The library API: documents (search and filters, detail, create), their versions (list,
new version, file download), the diff between two versions, shares and adoptions.

Same access layer as the pages: documents come from ``Document.objects.visible_to`` (an
outsider gets 404, files included), adoptions from ``Adoption.objects.visible_to``.
Writes go through networks/library/actions.py, their errors answered by the kit
(``portal.api.action_errors``): ``PermissionDenied`` → 403 (you see the document but may
not write for its owner), ``ValidationError`` → 400 with field errors, a version conflict
→ 412 with the current version.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from networks.library import actions
from networks.library.api import serializers as s
from networks.library.diff import diff_versions
from networks.library.models import Adoption, Document, DocumentKind, DocumentShare
from networks.library.search import search_documents
from portal.access import viewer_for
from portal.api import CONFLICT, ScopedViewSetMixin, action_errors
from portal.search import is_uuid
from portal.web import stored_file

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q", str, description="Norwegian full-text search (web-search syntax), ranked."
    ),
    OpenApiParameter("kind", str, enum=DocumentKind.values),
    OpenApiParameter("owner", OpenApiTypes.UUID, description="The owner organisation's id."),
    OpenApiParameter("network", str, description="Shared with this network (its slug)."),
    OpenApiParameter("topic", str, description="The topic (exact, case-insensitive)."),
]


@extend_schema_view(
    list=extend_schema(parameters=SEARCH_PARAMETERS),
    create=extend_schema(
        request={
            "application/json": s.DocumentCreateSerializer,
            "multipart/form-data": s.DocumentCreateSerializer,
        },
        responses={201: s.DocumentDetailSerializer},
    ),
)
class DocumentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Bibliotek: the documents you own or that were shared with you — templates, action
    cards, draft local regulations, agreements and guides. Every edit is a new version;
    the detail carries the latest one."""

    model = Document
    lookup_field = "uuid"
    filter_backends = []  # search_documents filters (the same function as the page)
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.DocumentDetailSerializer
        if self.action == "create":
            return s.DocumentCreateSerializer
        return s.DocumentSerializer

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            return search_documents(
                self.request.user,
                **{k: params.get(k, "") for k in ("q", "kind", "owner", "network", "topic")},
            )
        return super().get_queryset().select_related("owner", "owner__region")

    def detail_response(self, document, status_code=200):
        user = self.request.user
        viewer = viewer_for(user)
        sees_shares = (
            document.owner_id in viewer.org_ids
            or document.owner.region_id in viewer.officer_office_ids
        )
        origin = (
            Adoption.objects.filter(copy=document)
            .select_related("source", "source__owner", "source_version")
            .first()
        )
        if origin and not Document.objects.visible_to(user).filter(pk=origin.source_id).exists():
            origin = None
        context = {
            "request": self.request,
            "latest": document.versions.select_related("created_by", "document").get(
                number=document.current_number
            ),
            "shares": list(
                document.shares.select_related(
                    "organisation", "network", "office", "created_by"
                ).order_by("created_at", "id")
            )
            if sees_shares
            else None,
            "origin": origin,
        }
        return Response(
            s.DocumentDetailSerializer(document, context=context).data, status=status_code
        )

    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = s.DocumentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with action_errors():
            document = actions.do_create_document(
                data["owner"],
                request.user,
                data["kind"],
                data["title"],
                data["topic"],
                data["body"],
                file=data.get("file"),
                checklist=data.get("checklist") or [],
            )
        document = Document.objects.select_related("owner", "owner__region").get(pk=document.pk)
        return self.detail_response(document, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses=s.DocumentVersionSerializer(many=True),
        description="Every version, newest first.",
    )
    @extend_schema(
        methods=["POST"],
        request={
            "application/json": s.DocumentNewVersionSerializer,
            "multipart/form-data": s.DocumentNewVersionSerializer,
        },
        responses={201: s.DocumentVersionSerializer, 412: CONFLICT},
        description="Save the next version (the owner's writers). Earlier versions stay as "
        "they were; organisations that adopted the document are notified. A newer version "
        "saved since ``expected_number`` is 412 with the current version.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def versions(self, request, uuid=None):
        document = self.get_object()
        if request.method == "GET":
            versions = document.versions.select_related("created_by", "document").order_by(
                "-number"
            )
            return Response(s.DocumentVersionSerializer(versions, many=True).data)
        serializer = s.DocumentNewVersionSerializer(data=request.data)
        if not request.user.has_perm("networks.edit_document", document):
            raise PermissionDenied
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with action_errors():
            version = actions.do_new_version(
                document,
                acting_user=request.user,
                title=data["title"],
                body=data["body"],
                file=data.get("file"),
                checklist=data.get("checklist"),
                change_note=data["change_note"],
                expected_number=data.get("expected_number"),
                keep_file=not data["remove_file"],
            )
        return Response(s.DocumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The version's file (PDF, DOCX or ODT)."
            )
        },
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)/file",
            url_name="version-file")  # fmt: skip
    def version_file(self, request, uuid=None, number=None):
        """A version's file; 404 if the document is not shared with you or the version
        has no file."""
        document = self.get_object()
        version = get_object_or_404(document.versions, number=int(number))
        return stored_file(
            version.file, filename=version.download_name, content_type=version.file_type
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, description="The older version (default: to − 1)."),
            OpenApiParameter("to", int, description="The newer version (default: the latest)."),
        ],
        responses=s.DocumentDiffSerializer,
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, uuid=None):
        """What changed between two versions: a unified diff, the marked-up text and the
        change blocks."""
        document = self.get_object()
        try:
            new_n = int(request.query_params.get("to") or document.current_number)
            old_n = int(request.query_params.get("from") or max(new_n - 1, 1))
        except ValueError as error:
            raise Http404 from error
        versions = {v.number: v for v in document.versions.filter(number__in=[old_n, new_n])}
        if old_n not in versions or new_n not in versions:
            raise Http404
        return Response(
            s.DocumentDiffSerializer(diff_versions(versions[old_n], versions[new_n])).data
        )

    @extend_schema(methods=["GET"], responses=s.DocumentShareSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=s.DocumentShareSerializer,
        responses={201: s.DocumentShareSerializer},
        description="Share with one audience (idempotent). The owner's State "
        "Administrator office sees every shared document.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def shares(self, request, uuid=None):
        """Who the document is shared with: known to the owner and the owner's office;
        a recipient gets an empty list."""
        document = self.get_object()
        if request.method == "GET":
            viewer = viewer_for(request.user)
            if not (
                document.owner_id in viewer.org_ids
                or document.owner.region_id in viewer.officer_office_ids
            ):
                return Response([])
            shares = document.shares.select_related(
                "organisation", "network", "office", "created_by"
            ).order_by("created_at", "id")
            return Response(
                s.DocumentShareSerializer(shares, many=True, context={"request": request}).data
            )
        if not request.user.has_perm("networks.edit_document", document):
            raise PermissionDenied
        serializer = s.DocumentShareSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with action_errors():
            share = actions.do_share_document(document, request.user, **serializer.validated_data)
        return Response(
            s.DocumentShareSerializer(share, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=s.DocumentShareSerializer,
        responses={204: None},
        description="Stop sharing with one audience (given as when sharing). Kept in the "
        "share's history: who removed it and when.",
    )
    @action(detail=True, methods=["post"], url_path="shares/remove", url_name="unshare")
    def unshare(self, request, uuid=None):
        document = self.get_object()
        if not request.user.has_perm("networks.edit_document", document):
            raise PermissionDenied
        serializer = s.DocumentShareSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        share = DocumentShare.objects.filter(
            document=document,
            organisation=data.get("organisation"),
            network=data.get("network"),
            office=data.get("office"),
            everyone=bool(data.get("everyone")),
        ).first()
        if share is None:
            raise ValidationError({"non_field_errors": ["The document is not shared so."]})
        actions.do_remove_share(share, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("source", OpenApiTypes.UUID, description="Adoptions of this document.")
        ]
    ),
    create=extend_schema(responses={201: s.AdoptionSerializer}),
)
class AdoptionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Adopsjon: who adopted which version of a document — known to the adopter, the
    origin's owner and the officers of both regions. Adopting (POST) copies the source's
    latest version into the organisation's library; a source that is not shared with
    you is 400 on ``source``."""

    model = Adoption
    serializer_class = s.AdoptionSerializer
    lookup_field = "uuid"
    filter_backends = []

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("source", "source_version", "copy", "organisation")
        source = self.request.query_params.get("source")
        if source and self.action == "list":
            queryset = queryset.filter(source__uuid=source) if is_uuid(source) else queryset.none()
        return queryset.order_by("-adopted_at", "-id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with action_errors():
            adoption = actions.do_adopt(data["source"], request.user, data["organisation"])
        return Response(self.get_serializer(adoption).data, status=status.HTTP_201_CREATED)
