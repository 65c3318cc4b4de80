"""The incidents API: crisis frames, incidents, the log (cursor-paginated, idempotent
creates), attachments, shares and tasks, and the log export.

Every queryset comes from the access layer (ScopedViewSetMixin → ``visible_to``), so an
outsider gets 404. Writes go through incidents/log/actions.py: its ``PermissionDenied``
becomes 403 (a user who sees but may not write), its ``ValidationError`` 400 with field
errors. Where a rule exists (incidents/log/rules.py) the permission is checked before the
input, so a reader gets 403 whatever they send.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _
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
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from incidents.log import actions
from incidents.log.api import serializers as s
from incidents.log.exports import export_response, incident_for_export, with_relations
from incidents.log.filtersets import (
    IncidentFilterSet,
    LogEntryApiFilterSet,
    ShareFilterSet,
    TaskFilterSet,
)
from incidents.log.models import Attachment, CrisisFrame, Incident, LogEntry, Share, Task
from incidents.log.rules import incident_writer_org_ids
from networks.structure.models import Municipality
from portal.access import acting_organisation
from portal.api import ScopedViewSetMixin, action_errors, create_as_owner, require
from portal.api_input import InputCheckingNegotiation
from portal.pagination import LogCursorPagination
from portal.roles import FRAME_WRITER_ROLES, INCIDENT_WRITER_ROLES
from portal.web import stored_file

IDEMPOTENCY_KEY_MAX = 100


def check_write_first(request, context, perm="incidents.write_log"):
    """Check the permission on the ``incident`` named in the input before the rest of
    the input, so a user who sees the incident but may not write gets 403 whatever else
    they send. An unknown or invisible incident is left for the serializer to report."""
    data = request.data if hasattr(request.data, "get") else {}
    field = s.VisibleUUIDField(Incident)
    field.bind("incident", serializers.Serializer(context=context))
    try:
        incident = field.run_validation(data.get("incident"))
    except serializers.ValidationError:
        return
    if incident is not None:
        require(perm, request.user, incident)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The incident was changed since you fetched it (If-Match)."
    default_code = "precondition_failed"


# --- crisis frames ---------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=s.CrisisFrameCreateSerializer, responses={201: s.CrisisFrameSerializer}
    ),
    partial_update=extend_schema(
        request=s.CrisisFrameUpdateSerializer, responses={200: s.CrisisFrameSerializer}
    ),
)
class CrisisFrameViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Nasjonale kriser: the national (or exercise) frames incidents are filed under.
    Visible to every signed-in user. Created by national analysts (DSB, directorates)
    and, exercise frames only, by State Administrator officers; changed (e.g. ended) by
    the owner organisation's analysts or officers."""

    model = CrisisFrame
    serializer_class = s.CrisisFrameSerializer
    lookup_field = "uuid"
    filterset_fields = ["is_exercise", "type"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.select_related("owner").order_by("-started_at", "id")

    def create(self, request, *args, **kwargs):
        require("incidents.create_frame", request.user)
        frame = create_as_owner(
            request, s.CrisisFrameCreateSerializer, FRAME_WRITER_ROLES, actions.do_create_frame
        )
        frame = self.get_queryset().get(pk=frame.pk)
        return Response(self.get_serializer(frame).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        frame = self.get_object()
        require("incidents.change_frame", request.user, frame)
        serializer = s.CrisisFrameUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        with action_errors():
            actions.do_update_frame(frame, acting_user=request.user, **serializer.validated_data)
        frame = self.get_queryset().get(pk=frame.pk)
        return Response(self.get_serializer(frame).data)


# --- incidents -------------------------------------------------------------------------


class IgnoreFormatNegotiation(InputCheckingNegotiation):
    """For the export: ``?format=`` names the file format there, not a DRF renderer."""

    class settings:  # noqa: N801 - stands in for api_settings
        URL_FORMAT_OVERRIDE = None


class CSVDownloadRenderer(JSONRenderer):
    """Accepts ``Accept: text/csv`` for the export; the view returns the file itself, and
    only an error body (JSON) is ever rendered here."""

    media_type = "text/csv"
    format = "csv"


class PDFDownloadRenderer(CSVDownloadRenderer):
    media_type = "application/pdf"
    format = "pdf"


def _etag(incident) -> str:
    return f'"{incident.updated_at.timestamp():.6f}"'


@extend_schema_view(
    create=extend_schema(request=s.IncidentCreateSerializer, responses={201: s.IncidentSerializer}),
    partial_update=extend_schema(
        request=s.IncidentUpdateSerializer,
        responses={200: s.IncidentSerializer, 412: OpenApiResponse(description="If-Match failed")},
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description="The ETag from your last read: the change is refused (412) if "
                "someone changed the incident in between.",
            )
        ],
    ),
)
class IncidentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Hendelser: incidents you own or that were shared with you. Created and changed by
    the owner's emergency managers and crisis staff."""

    model = Incident
    serializer_class = s.IncidentSerializer
    lookup_field = "uuid"
    filterset_class = IncidentFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return (
            queryset.select_related("owner", "frame")
            .prefetch_related(
                Prefetch(
                    "affected_municipalities", queryset=Municipality.objects.only("id", "number")
                )
            )
            .order_by("-started_at", "id")
        )

    def get_renderers(self):
        if getattr(self, "action", None) == "export":
            # A client may ask for the file type in Accept; errors still go out as JSON.
            return [JSONRenderer(), CSVDownloadRenderer(), PDFDownloadRenderer()]
        return super().get_renderers()

    def get_content_negotiator(self):
        # Called once before the action is known (for the request's parsers), then again
        # to choose the renderer.
        if getattr(self, "action", None) == "export":
            return IgnoreFormatNegotiation()
        return super().get_content_negotiator()

    def retrieve(self, request, *args, **kwargs):
        incident = self.get_object()
        return Response(self.get_serializer(incident).data, headers={"ETag": _etag(incident)})

    def create(self, request, *args, **kwargs):
        if not incident_writer_org_ids(request.user):
            raise PermissionDenied
        serializer = s.IncidentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        affected = data.pop("affected_municipalities", ())
        with action_errors():
            owner = acting_organisation(
                request.user, INCIDENT_WRITER_ROLES, data.pop("owner", None), field="owner"
            )
            incident = actions.do_create_incident(
                owner=owner, acting_user=request.user, affected=affected, **data
            )
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(
            self.get_serializer(incident).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": _etag(incident)},
        )

    def partial_update(self, request, *args, **kwargs):
        incident = self.get_object()
        require("incidents.change_incident", request.user, incident)
        if_match = request.headers.get("If-Match")
        if if_match and if_match.strip() not in ("*", _etag(incident)):
            raise PreconditionFailed
        serializer = s.IncidentUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        affected = changes.pop("affected_municipalities", None)
        with action_errors():
            actions.do_update_incident(
                incident, acting_user=request.user, affected=affected, **changes
            )
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(self.get_serializer(incident).data, headers={"ETag": _etag(incident)})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["csv", "pdf"],
                default="csv",
                description="csv: UTF-8 with BOM, semicolon-separated, ISO 8601 times, one "
                "row per entry. pdf: for evaluation and archiving (title page, facts, every "
                "entry, page numbers).",
            ),
            OpenApiParameter(
                "exempt",
                str,
                enum=["omit", "redact"],
                default="omit",
                description="Entries marked unntatt offentlighet: left out (omit) or kept "
                "with their text replaced by the marking (redact).",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def export(self, request, uuid=None):
        """The incident's log as CSV or PDF: only the entries you may see."""
        incident = self.get_object()
        query = s.IncidentExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        incident = incident_for_export(Incident.objects.filter(pk=incident.pk)).get()
        return export_response(
            incident, request.user, query.validated_data["format"], query.validated_data["exempt"]
        )

    @extend_schema(
        request=None,
        responses={201: s.ShareSerializer(many=True)},
        summary="Share a State Administrator office's incident with its region's municipalities",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="share-with-region",
        filterset_class=None,
        pagination_class=None,
    )
    def share_with_region(self, request, uuid=None):
        """One share per municipality of the owning office's region (the shares made now;
        those that existed stay). 400 for an incident no State Administrator office owns."""
        incident = self.get_object()
        require("incidents.share_incident", request.user, incident)
        with action_errors():
            new = actions.do_share_with_region(acting_user=request.user, incident=incident)
        shares = (
            Share.objects.filter(pk__in=[share.pk for share in new])
            .select_related("incident", "entry", "organisation", "network", "created_by")
            .order_by("organisation__name")
        )
        return Response(s.ShareSerializer(shares, many=True).data, status=status.HTTP_201_CREATED)


# --- the log ---------------------------------------------------------------------------


class LogEntryCursorPagination(LogCursorPagination):
    """Oldest first by recorded time, so a client can follow ``next`` to the end and later
    ask for everything ``since`` the last entry it holds."""

    ordering = ("recorded_at", "id")
    page_size_query_param = "page_size"
    max_page_size = 500


@extend_schema_view(
    create=extend_schema(
        request={
            "application/json": s.LogEntryCreateSerializer,
            "multipart/form-data": s.LogEntryCreateSerializer,
        },
        responses={
            201: s.LogEntrySerializer,
            200: OpenApiResponse(
                s.LogEntrySerializer,
                description="Replay: an entry with this Idempotency-Key was already written "
                "by you; it is returned and nothing new is written.",
            ),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Any unique string (e.g. a UUID) of at most 100 characters, chosen "
                "by the client per entry. A retry with the same key from the same user returns "
                "the entry already written (200) instead of writing a duplicate.",
            )
        ],
    ),
)
class LogEntryViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Hendelseslogg: the log entries you may see. Append-only: entries are created, never
    changed or deleted (a correction is a new entry with ``corrects``). The list is
    cursor-paginated oldest first; filter with ``incident`` and ``since``."""

    model = LogEntry
    serializer_class = s.LogEntrySerializer
    lookup_field = "uuid"
    filterset_class = LogEntryApiFilterSet
    pagination_class = LogEntryCursorPagination
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        return with_relations(queryset, self.request.user)

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip() or None
        if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
            raise serializers.ValidationError(
                {
                    "idempotency_key": [
                        _("The Idempotency-Key is too long (at most 100 characters).")
                    ]
                }
            )
        context = self.get_serializer_context()
        check_write_first(request, context)
        serializer = s.LogEntryCreateSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        incident = data.pop("incident")
        with action_errors():
            entry, created = actions.do_write_entry(
                incident, acting_user=request.user, idempotency_key=key, **data
            )
        entry = self.get_queryset().get(pk=entry.pk)
        headers = {
            "Location": request.build_absolute_uri(
                self.reverse_action("detail", kwargs={"uuid": entry.uuid})
            )
        }
        if not created:
            headers["Idempotent-Replayed"] = "true"
        return Response(
            self.get_serializer(entry).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers=headers,
        )


class PassthroughRenderer(BaseRenderer):
    """Lets any Accept header through to a view that returns its own (file) response."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class AttachmentViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Vedlegg: an attachment's file, for those who may see its entry."""

    model = Attachment
    lookup_field = "uuid"
    serializer_class = s.AttachmentSerializer

    def get_renderers(self):
        return [JSONRenderer(), PassthroughRenderer()]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def retrieve(self, request, uuid=None):
        attachment = self.get_object()
        return stored_file(
            attachment.file, filename=attachment.name, content_type=attachment.content_type
        )


# --- sharing ---------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=s.ShareCreateSerializer, responses={201: s.ShareSerializer})
)
class ShareViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Delinger: who an incident or entry is shared with. Listed for the owner and the
    region's State Administrator office; created by the owner's emergency managers and
    crisis staff. The region's office sees whatever is shared (go in line)."""

    model = Share
    serializer_class = s.ShareSerializer
    filterset_class = ShareFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related(
            "incident", "entry", "organisation", "network", "created_by"
        ).order_by("-created_at", "-id")

    def create(self, request, *args, **kwargs):
        serializer = s.ShareCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subject = data.get("incident") or data["entry"].incident
        require("incidents.share_incident", request.user, subject)
        with action_errors():
            share = actions.do_share(
                acting_user=request.user,
                incident=data.get("incident"),
                entry=data.get("entry"),
                organisation=data.get("organisation"),
                network=data.get("network"),
            )
        share = self.get_queryset().get(pk=share.pk)
        return Response(self.get_serializer(share).data, status=status.HTTP_201_CREATED)


# --- tasks -----------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=s.TaskCreateSerializer, responses={201: s.TaskSerializer}),
    partial_update=extend_schema(request=s.TaskStatusSerializer, responses={200: s.TaskSerializer}),
)
class TaskViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Oppgaver: the owner's tasks, and those assigned to you or your organisation
    (``mine=true``). A task's status is changed by its assignee or the owner's writers."""

    model = Task
    serializer_class = s.TaskSerializer
    lookup_field = "uuid"
    filterset_class = TaskFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.select_related(
            "incident", "source_entry", "assignee_user", "assignee_organisation", "created_by"
        ).order_by("status", "due_at", "-created_at", "id")

    def create(self, request, *args, **kwargs):
        context = self.get_serializer_context()
        check_write_first(request, context)
        serializer = s.TaskCreateSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        incident = data.pop("incident")
        require("incidents.write_log", request.user, incident)
        with action_errors():
            task = actions.do_create_task(incident, acting_user=request.user, **data)
        task = self.get_queryset().get(pk=task.pk)
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        serializer = s.TaskStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with action_errors():
            actions.do_set_task_status(
                task, serializer.validated_data["status"], acting_user=request.user
            )
        task = self.get_queryset().get(pk=task.pk)
        return Response(self.get_serializer(task).data)
