import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.access import acting_organisation
from portal.api import ScopedViewSetMixin, action_errors, run_action
from portal.roles import REPORT_ISSUER_ROLES
from portal.search import is_uuid
from reporting import actions
from reporting.api import serializers as s
from reporting.models import (
    ReportForm,
    ReportFormVersion,
    ReportingRound,
    Submission,
    SubmissionComment,
    SubmissionRevision,
    SubmissionStatus,
)


class ReportFormViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Rapportskjema: the report forms municipalities report on, visible to every
    signed-in user. The detail holds the latest version's definition and the list of
    published versions (a round always uses the version it was issued with)."""

    model = ReportForm
    serializer_class = s.ReportFormSerializer
    lookup_field = "uuid"
    filterset_fields = ["track", "kind"]

    def get_serializer_class(self):
        return s.ReportFormDetailSerializer if self.action == "retrieve" else s.ReportFormSerializer

    def scope_queryset(self, queryset):
        queryset = (
            queryset.select_related("owner")
            .annotate(latest_number=Max("versions__number"))
            .order_by("owner__name", "title", "id")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "versions",
                    queryset=ReportFormVersion.objects.visible_to(self.request.user).order_by(
                        "-number"
                    ),
                    to_attr="published_versions",
                )
            )
        return queryset

    def get_object(self):
        form = super().get_object()
        form.latest = form.published_versions[0] if form.published_versions else None
        return form


# --- rounds and submissions ------------------------------------------------------------


def expected_version(request, data):
    """The version the client started from: the If-Match header, else ``version``."""
    header = request.headers.get("If-Match", "").strip().strip('"')
    if header.isdigit():
        return int(header)
    return data.get("version")


def etag(submission) -> str:
    """The ETag of a submission: its version, quoted."""
    return f'"{submission.version}"'


@extend_schema_view(
    create=extend_schema(
        request=s.ReportingRoundCreateSerializer, responses={201: s.ReportingRoundSerializer}
    )
)
class ReportingRoundViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Rapporteringsrunder: rounds your organisation issued or reports in, and those of
    your region (State Administrator officers). Issued by officers and national analysts."""

    model = ReportingRound
    serializer_class = s.ReportingRoundSerializer
    lookup_field = "uuid"
    filterset_fields = ["track", "kind", "is_exercise"]

    def scope_queryset(self, queryset):
        return (
            queryset.select_related("issuer", "form_version__form", "frame")
            .annotate(
                recipient_count=Count("submissions", distinct=True),
                submitted_count=Count(
                    "submissions",
                    filter=Q(submissions__status=SubmissionStatus.SUBMITTED),
                    distinct=True,
                ),
            )
            .order_by("-opened_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        if not rules.has_perm("reporting.issue_round", request.user):
            raise PermissionDenied
        serializer = s.ReportingRoundCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with action_errors():
            issuer = acting_organisation(
                request.user, REPORT_ISSUER_ROLES, data.get("issuer"), field="issuer"
            )
        round_ = run_action(
            actions.do_issue_round,
            issuer=issuer,
            acting_user=request.user,
            form=data["form"],
            title=data["title"],
            deadline=data["deadline"],
            offices=data.get("offices") or (),
            network=data.get("network"),
            frame=data.get("frame"),
        )
        round_ = self.get_queryset().get(pk=round_.pk)
        return Response(self.get_serializer(round_).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ReportingRoundSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """Lukk runden: no more submissions or amendments (the issuer's officers or
        analysts). Closing a closed round changes nothing."""
        round_ = self.get_object()
        if not rules.has_perm("reporting.manage_round", request.user, round_):
            raise PermissionDenied
        run_action(actions.do_close_round, round_, acting_user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=round_.pk)).data)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag (the version, e.g. "3") from your last read; refused with 412 if '
    "someone saved in between. Or send the version in the body.",
)


@extend_schema_view(
    partial_update=extend_schema(
        request=s.DraftSerializer,
        responses={
            200: s.SubmissionSerializer,
            412: OpenApiResponse(description="Someone else saved in between"),
        },
        parameters=[IF_MATCH],
    ),
    submit=extend_schema(
        request=s.SubmitSerializer,
        responses={
            200: s.SubmissionSerializer,
            412: OpenApiResponse(description="Someone else saved in between"),
        },
        parameters=[IF_MATCH],
    ),
)
class SubmissionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Innrapporteringer: your municipality's reports, and those your office or your
    organisation's rounds receive. The municipality's emergency managers and crisis staff
    save drafts (PATCH) and submit (POST …/submit/); a submitted report is amended by
    submitting again, each submission kept as a revision."""

    model = Submission
    serializer_class = s.SubmissionSerializer
    lookup_field = "uuid"
    filterset_fields = ["status", "is_late"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("round", "municipality").prefetch_related(
            Prefetch("revisions", queryset=SubmissionRevision.objects.order_by("number"))
        )
        round_id = self.request.query_params.get("round")
        if round_id and is_uuid(round_id):
            queryset = queryset.filter(round__uuid=round_id)
        elif round_id:
            queryset = queryset.none()
        return queryset.order_by("round_id", "municipality__name")

    @extend_schema(
        parameters=[OpenApiParameter("round", OpenApiTypes.UUID, description="Only this round.")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        submission = self.get_object()
        return Response(self.get_serializer(submission).data, headers={"ETag": etag(submission)})

    def _respond(self, submission):
        submission = self.get_queryset().get(pk=submission.pk)
        return Response(self.get_serializer(submission).data, headers={"ETag": etag(submission)})

    def partial_update(self, request, *args, **kwargs):
        submission = self.get_object()
        if not rules.has_perm("reporting.write_submission", request.user, submission):
            raise PermissionDenied
        serializer = s.DraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = run_action(
            actions.do_save_draft,
            submission,
            data["answers"],
            expected_version=expected_version(request, data),
            acting_user=request.user,
        )
        return self._respond(submission)

    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        submission = self.get_object()
        if not rules.has_perm("reporting.write_submission", request.user, submission):
            raise PermissionDenied
        serializer = s.SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = run_action(
            actions.do_submit,
            submission,
            expected_version=expected_version(request, data),
            acting_user=request.user,
            answers=data.get("answers"),
        )
        return self._respond(submission)

    # --- acknowledging and commenting (the office's review) -----------------------------

    @extend_schema(request=None, responses={200: s.SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, *args, **kwargs):
        """Kvitter ut: the office (or the round's issuer) acknowledges a submitted report.
        Acknowledging again keeps the first acknowledgement."""
        submission = self.get_object()
        if not rules.has_perm("reporting.review_submission", request.user, submission):
            raise PermissionDenied
        submission = run_action(actions.do_acknowledge, submission, acting_user=request.user)
        return self._respond(submission)

    @extend_schema(
        methods=["GET"], request=None, responses={200: s.SubmissionCommentSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=s.CommentCreateSerializer,
        responses={201: s.SubmissionCommentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_fields=[])
    def comments(self, request, *args, **kwargs):
        """The comment thread of a submission (oldest first); the office, the issuer and
        the municipality's writers add to it."""
        submission = self.get_object()
        if request.method == "POST":
            if not rules.has_perm("reporting.comment_submission", request.user, submission):
                raise PermissionDenied
            serializer = s.CommentCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = run_action(
                actions.do_comment,
                submission,
                acting_user=request.user,
                body=serializer.validated_data["body"],
            )
            comment = SubmissionComment.objects.select_related("organisation", "author").get(
                pk=comment.pk
            )
            return Response(
                s.SubmissionCommentSerializer(comment).data, status=status.HTTP_201_CREATED
            )
        comments = (
            SubmissionComment.objects.visible_to(request.user)
            .filter(submission=submission)
            .select_related("organisation", "author")
            .order_by("created_at", "id")
        )
        return Response(s.SubmissionCommentSerializer(comments, many=True).data)
