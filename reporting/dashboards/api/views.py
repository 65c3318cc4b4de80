"""API for the State Administrator's side of a round: the dashboard's rows, and the
compilations (sammenstillinger) — list and read what you may see, start one, save the
assessment with a version check (If-Match), publish, forward to the national level.

Same rules as the pages: an object you may not see is 404, one you see but may not act on
403, bad input 400 with the errors per field, a version conflict 412.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import CONFLICT, ScopedViewSetMixin, run_action
from portal.search import is_uuid
from reporting import actions
from reporting.api.views import IF_MATCH
from reporting.dashboards.api.serializers import (
    AssessmentSerializer,
    CompilationCreateSerializer,
    CompilationSerializer,
    DashboardSerializer,
)
from reporting.dashboards.queries import (
    DashboardQuery,
    dashboard_rows,
    dashboard_scope,
    state_counts,
)
from reporting.models import Compilation, ReportingRound, Submission
from reporting.rules import compiles


@extend_schema_view(
    create=extend_schema(
        request=CompilationCreateSerializer, responses={201: CompilationSerializer}
    ),
    partial_update=extend_schema(
        request=AssessmentSerializer,
        responses={200: CompilationSerializer, 412: CONFLICT},
        parameters=[IF_MATCH],
    ),
    publish=extend_schema(request=None, responses={200: CompilationSerializer}),
    forward=extend_schema(request=None, responses={200: CompilationSerializer}),
)
class CompilationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Sammenstillinger: the compiled pictures of rounds. You see your own organisation's
    (drafts included), the published pictures of rounds your municipality was in, your
    region's, and — as the round's issuer or a national analyst — the forwarded ones.
    The author saves the assessment (PATCH with If-Match), publishes and forwards."""

    model = Compilation
    serializer_class = CompilationSerializer
    lookup_field = "uuid"
    filterset_fields = ["level"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        queryset = queryset.select_related(
            "round", "round__form_version", "office", "author_org"
        ).order_by("-round__opened_at", "round_id", "level", "office__name_bokmaal")
        round_id = self.request.query_params.get("round")
        if round_id and is_uuid(round_id):
            queryset = queryset.filter(round__uuid=round_id)
        elif round_id:
            queryset = queryset.none()
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["live"] = self.action != "list"
        return context

    @extend_schema(
        parameters=[OpenApiParameter("round", OpenApiTypes.UUID, description="Only this round.")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _respond(self, compilation, code=status.HTTP_200_OK):
        compilation = self.get_queryset().get(pk=compilation.pk)
        return Response(
            self.get_serializer(compilation).data,
            status=code,
            headers={"ETag": f'"{compilation.version}"'},
        )

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def get_authored(self):
        compilation = self.get_object()
        if not compiles(self.request.user, compilation.round, compilation.office):
            raise PermissionDenied
        return compilation

    def create(self, request, *args, **kwargs):
        serializer = CompilationCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        round_ = serializer.validated_data["round"]
        office = serializer.validated_data.get("office")
        if not compiles(request.user, round_, office):
            raise PermissionDenied
        compilation = run_action(
            actions.do_start_compilation, round_, acting_user=request.user, office=office
        )
        return self._respond(compilation, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        compilation = self.get_authored()
        serializer = AssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        header = request.headers.get("If-Match", "").strip().strip('"')
        expected = int(header) if header.isdigit() else data.get("version")
        if expected is None:
            raise serializers.ValidationError(
                {"version": ["Send the version you started from (If-Match or version)."]}
            )
        compilation = run_action(
            actions.do_save_assessment,
            compilation,
            acting_user=request.user,
            assessment=data["assessment"],
            expected_version=expected,
        )
        return self._respond(compilation)

    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        compilation = self.get_authored()
        compilation = run_action(
            actions.do_publish_compilation, compilation, acting_user=request.user
        )
        return self._respond(compilation)

    @action(detail=True, methods=["post"])
    def forward(self, request, *args, **kwargs):
        compilation = self.get_authored()
        compilation = run_action(
            actions.do_forward_compilation, compilation, acting_user=request.user
        )
        return self._respond(compilation)


class RoundDashboardView(APIView):
    """The dashboard of a round: one row per municipality (state, each sector's status, the
    key numbers, acknowledged, last saw the published picture) and the counts. For the
    round's issuer (every region; ``region`` narrows) and the officers of its regions (their
    own by default). Filters as on the page: ``q``, ``state``, ``sector_status``,
    ``sector``, ``ordering``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="An office slug, e.g. vestland."),
            OpenApiParameter("q", str, description="Part of the municipality's name."),
            OpenApiParameter("state", str, enum=["submitted", "late", "missing", "awaiting"]),
            OpenApiParameter("sector_status", str, enum=["red", "yellow", "red_yellow"]),
            OpenApiParameter("sector", str, description="A sector status field's key."),
            OpenApiParameter(
                "ordering",
                str,
                description="name, state, submitted, acknowledged, seen, worst, "
                "status:<key>, number:<key>; a leading - reverses.",
            ),
        ],
        responses={200: DashboardSerializer},
    )
    def get(self, request, uuid):
        round_ = get_object_or_404(
            ReportingRound.objects.visible_to(request.user).select_related("form_version"),
            uuid=uuid,
        )
        regions, sees_all = dashboard_scope(request.user, round_)
        if not regions:
            raise PermissionDenied
        slug = request.query_params.get("region", "")
        if slug:
            office = next((o for o in regions if o.slug == slug), None)
            if office is None:
                raise serializers.ValidationError(
                    {"region": [f"Not a region of this round that you see: {slug}."]}
                )
        elif len(regions) == 1 or not sees_all:
            office = regions[0]
        else:
            office = None
        query = DashboardQuery.from_params(request.query_params, round_)
        if query.errors:
            raise serializers.ValidationError(query.errors)
        rows = dashboard_rows(
            round_, office, submissions=Submission.objects.visible_to(request.user)
        )
        data = {
            "round": round_.uuid,
            "region": office.slug if office is not None else None,
            "counts": state_counts(rows),
            "results": query.apply(rows),
        }
        return Response(DashboardSerializer(data).data)
