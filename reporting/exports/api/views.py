"""Exports API: ask for an export (202 with the job), follow its progress, download the
file. The same checks as the pages (``reporting.exports.jobs.resolve_export``): an object the
user does not see is 404, one the user sees but may not export 403, bad parameters 400
with errors per field. Jobs are seen only by the user who asked for them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import ScopedViewSetMixin, action_errors
from reporting.exports.api.serializers import (
    ExportJobSerializer,
    ExportRequestSerializer,
    KsSummarySerializer,
)
from reporting.exports.jobs import (
    ExportExpired,
    check_download,
    do_request_export,
    resolve_export,
)
from reporting.exports.summary import ks_summary
from reporting.exports.summary_figures import figures
from reporting.models import ExportJob, ExportKind, ExportState


class ExportNotReady(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The export is not done yet; follow its progress and try again."
    default_code = "not_ready"


class ExportGone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = (
        "The export's file was kept for its retention period and is deleted; ask for the "
        "export again."
    )
    default_code = "expired"


@extend_schema_view(
    create=extend_schema(
        request=ExportRequestSerializer,
        responses={
            202: ExportJobSerializer,
            400: OpenApiResponse(description="Bad kind or parameters (errors per field)"),
            403: OpenApiResponse(description="You see the object but may not export it"),
            404: OpenApiResponse(description="No such round or compilation that you see"),
        },
    ),
    download=extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(
                description="No such job of yours, or you no longer may export what it holds"
            ),
            409: OpenApiResponse(description="Not done yet"),
            410: OpenApiResponse(description="The file expired and was deleted"),
        },
    ),
)
class ExportJobViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Eksporter: a round as CSV/XLSX, a compiled picture as PDF or EDXL-SitRep 1.0 XML,
    a KS summary as XLSX/PDF. Made in the background: POST returns 202 with the job;
    GET the job for its state and progress, and ``…/download/`` when it is done. Only
    the user who asked sees a job."""

    model = ExportJob
    serializer_class = ExportJobSerializer
    lookup_field = "uuid"
    filterset_fields = ["kind", "state"]

    def scope_queryset(self, queryset):
        return queryset.order_by("-created_at", "-id")

    def create(self, request, *args, **kwargs):
        serializer = ExportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            job = do_request_export(
                acting_user=request.user, kind=data["kind"], params=data["params"]
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                detail = {"params": error.message_dict}
                if "kind" in error.message_dict:
                    detail = {"kind": error.message_dict["kind"]}
            else:
                detail = {"params": error.messages}
            raise serializers.ValidationError(detail) from error
        return Response(
            self.get_serializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("api:export-detail", kwargs={"uuid": job.uuid})},
        )

    @action(detail=True, methods=["get"])
    def download(self, request, uuid=None):
        job = self.get_object()
        if job.state not in (ExportState.DONE, ExportState.EXPIRED):
            raise ExportNotReady
        try:
            check_download(job, request.user)  # access again, now: else 404
        except ExportExpired as error:
            raise ExportGone from error
        if not job.file:
            raise ExportGone
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@extend_schema(
    parameters=[
        OpenApiParameter("start", OpenApiTypes.DATE, required=True),
        OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        OpenApiParameter("network", OpenApiTypes.STR, description="A network's slug"),
        OpenApiParameter("frame", OpenApiTypes.UUID, description="A crisis frame's id"),
        OpenApiParameter("include_exercises", OpenApiTypes.BOOL),
    ],
    responses={
        200: KsSummarySerializer,
        400: OpenApiResponse(description="Bad parameters (errors per field)"),
        403: OpenApiResponse(description="Only KS analysts and national analysts"),
    },
)
class KsSummaryView(APIView):
    """A KS summary's figures — the same tables as the page and the XLSX/PDF export
    (``kind`` ks_summary_xlsx / ks_summary_pdf on ``exports``), small groups
    suppressed."""

    def get(self, request):
        params = {
            key: request.query_params.get(key) for key in ("start", "end", "network", "frame")
        }
        params["include_exercises"] = request.query_params.get("include_exercises", "").lower() in (
            "1",
            "true",
            "on",
        )
        with action_errors():
            resolved = resolve_export(request.user, ExportKind.KS_SUMMARY_XLSX, params)
        return Response(
            KsSummarySerializer(figures(ks_summary(user=request.user, **resolved))).data
        )
