"""The lessons-learned and exercise API: lessons (search, filters, create, update incl. the
follow-up status, similar lessons), a lesson's shares, exercises.

Same access layer as the pages: querysets from ``visible_to`` (ScopedViewSetMixin), so an
outsider gets 404; writes through ``incidents.lessons.actions`` — its ``PermissionDenied``
is 403, its ``ValidationError`` 400 with field errors. An incident, exercise or document
named in the input is looked up among what the caller may see: one that does not exist
and one the caller may not see get the same 400.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from incidents.lessons import actions
from incidents.lessons import exports as lesson_exports
from incidents.lessons.api.serializers import (
    ExerciseCreateSerializer,
    ExerciseSerializer,
    ExerciseUpdateSerializer,
    LessonCreateSerializer,
    LessonSerializer,
    LessonShareSerializer,
    LessonUpdateSerializer,
    SimilarLessonSerializer,
)
from incidents.lessons.exports import XLSX_TYPE
from incidents.lessons.filtersets import LessonFilterSet
from incidents.lessons.forms import LessonExportForm
from incidents.lessons.models import Exercise, Lesson
from incidents.lessons.rules import lesson_writer_org_ids, may_write_exercise, may_write_lesson
from incidents.lessons.search import similar_lessons
from incidents.log.api.views import PDFDownloadRenderer
from incidents.log.models import Incident
from networks.library.models import Document
from networks.structure.models import Organisation
from portal.access import viewer_for
from portal.api import ScopedViewSetMixin, action_errors, create_as_owner
from portal.roles import LESSON_WRITER_ROLES


class XLSXDownloadRenderer(JSONRenderer):
    """Accepts ``Accept:`` the XLSX type for the export; the view returns the file
    itself, and only an error body (JSON) is ever rendered here."""

    media_type = XLSX_TYPE
    format = "xlsx"


# --- viewsets --------------------------------------------------------------------------


def _visible_annotations(user):
    return {
        "incident_visible": Exists(
            Incident.objects.visible_to(user).filter(pk=OuterRef("incident_id"))
        ),
        "exercise_visible": Exists(
            Exercise.objects.visible_to(user).filter(pk=OuterRef("exercise_id"))
        ),
        "evaluation_visible": Exists(
            Document.objects.visible_to(user).filter(pk=OuterRef("evaluation_id"))
        ),
    }


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description='Norwegian full-text search (web-search syntax: "exact words", '
                "-without, or); results best match first.",
            )
        ]
    ),
    create=extend_schema(request=LessonCreateSerializer, responses={201: LessonSerializer}),
    partial_update=extend_schema(request=LessonUpdateSerializer, responses={200: LessonSerializer}),
)
class LessonViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Læringspunkter: your organisation's lessons and those shared with it (a network's
    members see each other's shared lessons). Written by the owner's emergency managers
    and crisis staff (officers for an office, analysts for a national body)."""

    model = Lesson
    serializer_class = LessonSerializer
    lookup_field = "uuid"
    filterset_class = LessonFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        queryset = queryset.select_related(
            "owner", "incident", "exercise", "evaluation", "responsible"
        ).annotate(**_visible_annotations(self.request.user))
        return queryset.order_by("-created_at", "-id")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and (self.request.query_params.get("q") or "").strip():
            queryset = queryset.order_by("-rank", "-created_at", "-id")
        return queryset

    def _fresh(self, lesson):
        return self.get_queryset().get(pk=lesson.pk)

    def get_renderers(self):
        if getattr(self, "action", None) == "export":
            # A client may ask for the file type in Accept; errors still go out as JSON.
            return [JSONRenderer(), XLSXDownloadRenderer(), PDFDownloadRenderer()]
        return super().get_renderers()

    def create(self, request, *args, **kwargs):
        if not lesson_writer_org_ids(request.user):
            raise PermissionDenied
        lesson = create_as_owner(
            request, LessonCreateSerializer, LESSON_WRITER_ROLES, actions.do_create_lesson
        )
        return Response(
            self.get_serializer(self._fresh(lesson)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        lesson = self.get_object()
        if not may_write_lesson(request.user, lesson):
            raise PermissionDenied
        serializer = LessonUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        with action_errors():
            lesson = actions.do_update_lesson(
                lesson, acting_user=request.user, **serializer.validated_data
            )
        return Response(self.get_serializer(self._fresh(lesson)).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
            OpenApiParameter(
                "network", str, description="A network's slug; leave out for all municipalities."
            ),
            OpenApiParameter("kind", str, enum=["xlsx", "pdf"], default="xlsx"),
        ],
        responses={
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def export(self, request):
        """The KS export (KS analysts and national analysts; others 403): counts by area
        and follow-up status over every lesson of a network's member municipalities or of
        all municipalities recorded in the period, and the lessons shared with everyone
        (or with the network) listed — never a private one."""
        if not lesson_exports.may_export_lessons(request.user):
            raise PermissionDenied
        data = request.query_params.copy()
        data["format"] = data.pop("kind", ["xlsx"])[-1]
        form = LessonExportForm(data, user=request.user)
        if not form.is_valid():
            raise serializers.ValidationError(
                {("kind" if k == "format" else k): v for k, v in form.errors.items()}
            )
        values = form.cleaned_data
        summary = lesson_exports.lesson_summary(
            user=request.user, network=values["network"], start=values["start"], end=values["end"]
        )
        content, name, content_type = lesson_exports.export_bytes(summary, values["format"])
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    @extend_schema(responses={200: SimilarLessonSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def similar(self, request, uuid=None):
        """Lessons you may see whose text is most like this one's (PostgreSQL full-text
        ranking with this lesson's own terms), best first."""
        lesson = self.get_object()
        rows = similar_lessons(lesson, request.user)
        return Response(SimilarLessonSerializer(rows, many=True).data)

    @extend_schema(methods=["get"], responses={200: LessonShareSerializer(many=True)}, request=None)
    @extend_schema(
        methods=["post"], request=LessonShareSerializer, responses={201: LessonShareSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        pagination_class=None,
        serializer_class=LessonShareSerializer,
    )
    def shares(self, request, uuid=None):
        """Who the lesson is shared with (known to its owner and the owner's State
        Administrator office; others get an empty list), and sharing it with one more
        audience (the owner's writers)."""
        lesson = self.get_object()
        viewer = viewer_for(request.user)
        if request.method == "POST":
            if not may_write_lesson(request.user, lesson):
                raise PermissionDenied
            serializer = LessonShareSerializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            with action_errors():
                share = actions.do_share_lesson(
                    lesson, acting_user=request.user, **serializer.validated_data
                )
            return Response(LessonShareSerializer(share).data, status=status.HTTP_201_CREATED)
        sees = (
            lesson.owner_id in viewer.org_ids or lesson.owner.region_id in viewer.officer_office_ids
        )
        shares = (
            lesson.shares.select_related("organisation", "network", "office").order_by("created_at")
            if sees
            else []
        )
        return Response(LessonShareSerializer(shares, many=True).data)


@extend_schema_view(
    create=extend_schema(request=ExerciseCreateSerializer, responses={201: ExerciseSerializer}),
    partial_update=extend_schema(
        request=ExerciseUpdateSerializer, responses={200: ExerciseSerializer}
    ),
)
class ExerciseViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Øvelser: exercises your organisation organises or takes part in (officers: those
    organised in their region), with participants, the evaluation document (when you may
    see it) and the lessons it produced (those you may see)."""

    model = Exercise
    serializer_class = ExerciseSerializer
    lookup_field = "uuid"
    filterset_fields = ["status", "scenario"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        user = self.request.user
        return (
            queryset.select_related("owner", "evaluation")
            .annotate(
                evaluation_visible=Exists(
                    Document.objects.visible_to(user).filter(pk=OuterRef("evaluation_id"))
                )
            )
            .prefetch_related(
                Prefetch("participants", queryset=Organisation.objects.order_by("name")),
                Prefetch(
                    "lessons",
                    queryset=Lesson.objects.visible_to(user).only("id", "uuid", "exercise_id"),
                    to_attr="visible_lessons",
                ),
            )
            .order_by("-planned_for", "-id")
        )

    def _fresh(self, exercise):
        return self.get_queryset().get(pk=exercise.pk)

    def create(self, request, *args, **kwargs):
        if not lesson_writer_org_ids(request.user):
            raise PermissionDenied
        exercise = create_as_owner(
            request, ExerciseCreateSerializer, LESSON_WRITER_ROLES, actions.do_create_exercise
        )
        return Response(
            self.get_serializer(self._fresh(exercise)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        exercise = self.get_object()
        if not may_write_exercise(request.user, exercise):
            raise PermissionDenied
        serializer = ExerciseUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        with action_errors():
            exercise = actions.do_update_exercise(
                exercise, acting_user=request.user, **serializer.validated_data
            )
        return Response(self.get_serializer(self._fresh(exercise)).data)
