"""API for the State Administrator's side of a round: the dashboard's rows, and the
compilations (sammenstillinger) — list and read what you may see, start one, save the
assessment with a version check (If-Match), publish, forward to the national level.

Same rules as the pages: an object you may not see is 404, one you see but may not act on
403, bad input 400 with the errors per field, a version conflict 412.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from networks.models import Office
from portal.api import ScopedViewSetMixin, VisibleUUIDField
from reporting import actions
from reporting.api.views import IF_MATCH, _action_errors
from reporting.compilation import compute_aggregates
from reporting.dashboards.queries import (
    DashboardQuery,
    dashboard_rows,
    dashboard_scope,
    state_counts,
)
from reporting.models import Compilation, ReportingRound, Submission
from reporting.rules import compiles

# --- serializers -----------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.OBJECT)
class AggregatesField(serializers.JSONField):
    """The compiled figures: ``counts`` (recipients, submitted, late, missing, awaiting),
    ``numbers`` (per number field: label, unit, count, sum, min, max, median — decimals as
    strings), ``statuses`` (per sector status field: green, yellow, red, none),
    ``choices`` (per choice field: [value, label, count] per option), ``needs_help`` (the
    municipalities with a red status or a need for assistance), and for a national
    compilation ``regions`` (the counts per region)."""


class CompilationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    round = serializers.UUIDField(source="round.uuid", read_only=True)
    office = serializers.SlugField(source="office.slug", read_only=True, allow_null=True)
    office_name = serializers.CharField(
        source="office.name_bokmaal", read_only=True, allow_null=True
    )
    author = serializers.UUIDField(source="author_org.uuid", read_only=True)
    author_name = serializers.CharField(source="author_org.name", read_only=True)
    is_exercise = serializers.BooleanField(source="round.is_exercise", read_only=True)
    assessment = serializers.CharField(
        source="picture_assessment",
        read_only=True,
        help_text="The assessment as published (frozen with the aggregates); before the first "
        "publication the author's draft (only the author sees an unpublished compilation).",
    )
    draft_assessment = serializers.SerializerMethodField(
        help_text="The author's working text (the draft of the next publication); null for "
        "everyone but the author."
    )
    has_unpublished_changes = serializers.SerializerMethodField(
        help_text="Published, and the author has since changed the assessment (not yet "
        "published); null for everyone but the author."
    )
    aggregates = serializers.SerializerMethodField(
        help_text="Frozen at publication; for a draft (its author only) computed now in the "
        "detail view, null in the list."
    )

    class Meta:
        model = Compilation
        fields = [
            "id",
            "round",
            "level",
            "office",
            "office_name",
            "author",
            "author_name",
            "is_exercise",
            "assessment",
            "draft_assessment",
            "has_unpublished_changes",
            "aggregates",
            "version",
            "published_at",
            "forwarded_at",
            "updated_at",
        ]

    def _is_author(self, compilation) -> bool:
        request = self.context.get("request")
        user = request.user if request is not None else None
        return user is not None and compiles(user, compilation.round, compilation.office)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_draft_assessment(self, compilation) -> str | None:
        return compilation.assessment if self._is_author(compilation) else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_has_unpublished_changes(self, compilation) -> bool | None:
        return compilation.has_unpublished_changes if self._is_author(compilation) else None

    @extend_schema_field(AggregatesField)
    def get_aggregates(self, compilation):
        if compilation.aggregates is not None and compilation.published_at is not None:
            return compilation.aggregates
        if self.context.get("live"):
            return compute_aggregates(compilation.round, compilation.office)
        return compilation.aggregates


class CompilationCreateSerializer(serializers.Serializer):
    """Start (or get) the compilation of a round: a regional one for ``office`` (its
    officers), or without ``office`` the national one (the round's issuer)."""

    round = VisibleUUIDField(ReportingRound)
    office = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Office.objects.all(),
        required=False,
        allow_null=True,
        help_text="The region (office slug, e.g. vestland); leave out for the national one.",
    )


class AssessmentSerializer(serializers.Serializer):
    assessment = serializers.CharField(
        allow_blank=True,
        max_length=actions.ASSESSMENT_MAX_LENGTH,
        trim_whitespace=False,
        help_text="The office's (or issuer's) assessment, in Markdown.",
    )
    version = serializers.IntegerField(
        required=False,
        help_text="The version you started from (or send it as If-Match). Refused with 412 "
        "if someone saved in between.",
    )


class DashboardStatusSerializer(serializers.Serializer):
    key = serializers.CharField()
    status = serializers.CharField(help_text="green, yellow, red or empty (not given).")
    comment = serializers.CharField()


class DashboardNumberSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)


class DashboardRowSerializer(serializers.Serializer):
    submission = serializers.UUIDField(source="uuid")
    municipality = serializers.CharField()
    organisation = serializers.UUIDField(source="organisation_uuid")
    number = serializers.CharField(help_text="The municipality number (kommunenummer).")
    region = serializers.CharField(help_text="The State Administrator office's slug.")
    state = serializers.ChoiceField(choices=["submitted", "late", "missing", "awaiting"])
    submitted_at = serializers.DateTimeField(allow_null=True)
    statuses = DashboardStatusSerializer(many=True)
    numbers = DashboardNumberSerializer(many=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    last_seen_at = serializers.DateTimeField(
        allow_null=True, help_text="When the municipality last opened a published picture."
    )


class DashboardCountsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField(help_text="Submitted on time.")
    late = serializers.IntegerField(help_text="Submitted after the deadline.")
    missing = serializers.IntegerField(help_text="Not submitted, deadline passed.")
    awaiting = serializers.IntegerField(help_text="Not submitted, deadline not passed.")
    total = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    round = serializers.UUIDField()
    region = serializers.CharField(allow_null=True)
    counts = DashboardCountsSerializer()
    results = DashboardRowSerializer(many=True)


# --- views -----------------------------------------------------------------------------


class CompilationConflictError(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Someone else saved this compilation since the version you sent."
    default_code = "version_conflict"


def _run(action_, *args, **kwargs):
    try:
        return action_(*args, **kwargs)
    except DjangoValidationError as error:
        if getattr(error, "code", None) == "version_conflict":
            conflict = CompilationConflictError()
            conflict.detail = {"detail": error.messages[0]}
            raise conflict from error
        raise serializers.ValidationError(_action_errors(error)) from error


CONFLICT = OpenApiResponse(description="Someone else saved in between (version conflict)")


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
        if round_id:
            queryset = queryset.filter(round__uuid__in=_uuids(round_id))
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
        compilation = _run(
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
        compilation = _run(
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
        compilation = _run(actions.do_publish_compilation, compilation, acting_user=request.user)
        return self._respond(compilation)

    @action(detail=True, methods=["post"])
    def forward(self, request, *args, **kwargs):
        compilation = self.get_authored()
        compilation = _run(actions.do_forward_compilation, compilation, acting_user=request.user)
        return self._respond(compilation)


def _uuids(value):
    import uuid as uuid_lib

    try:
        return [uuid_lib.UUID(value)]
    except ValueError:
        return []


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
