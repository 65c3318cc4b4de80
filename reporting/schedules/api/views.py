"""Recurring rounds in the API: ``round-schedules`` (list, create, retrieve) and
``…/stop/``. The same access layer as the pages (``RoundSchedule.objects.visible_to``)
and the same actions (``do_create_schedule``, ``do_stop_schedule``)."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents.models import CrisisFrame, Incident
from networks.models import Network, Office, Organisation
from portal.api import ScopedViewSetMixin, VisibleUUIDField
from reporting import actions
from reporting.api.views import _run
from reporting.models import ReportForm, RoundSchedule
from reporting.rules import form_owner_orgs


class RoundScheduleSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    issuer = serializers.UUIDField(source="issuer.uuid", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    form = serializers.UUIDField(source="form.uuid", read_only=True)
    offices = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="uuid", help_text="The regions' offices."
    )
    network = serializers.SlugRelatedField(read_only=True, slug_field="uuid", allow_null=True)
    frame = serializers.UUIDField(source="frame.uuid", read_only=True, allow_null=True)
    incident = serializers.UUIDField(source="incident.uuid", read_only=True, allow_null=True)
    is_running = serializers.SerializerMethodField()
    round_count = serializers.IntegerField(read_only=True, help_text="Rounds issued so far.")
    last_occurrence = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day of the latest round issued."
    )

    class Meta:
        model = RoundSchedule
        fields = [
            "id",
            "title",
            "issuer",
            "issuer_name",
            "form",
            "offices",
            "network",
            "frame",
            "incident",
            "time_of_day",
            "deadline_hours",
            "starts_on",
            "stopped_at",
            "created_at",
            "is_running",
            "round_count",
            "last_occurrence",
        ]

    def get_is_running(self, schedule) -> bool:
        return schedule.stopped_at is None


class RoundScheduleCreateSerializer(serializers.Serializer):
    """Set up a recurring round: from ``starts_on`` (default today), every day at
    ``time_of_day`` (Norwegian time) a round of ``form``'s latest published version goes to
    the ``offices``' regions or the ``network``'s members, due ``deadline_hours`` later
    (1–168)."""

    issuer = VisibleUUIDField(Organisation, required=False)
    form = VisibleUUIDField(ReportForm)
    title = serializers.CharField(max_length=200)
    time_of_day = serializers.TimeField()
    deadline_hours = serializers.IntegerField(help_text="1 to 168.")
    starts_on = serializers.DateField(required=False)
    offices = VisibleUUIDField(Office, many=True, required=False)
    network = VisibleUUIDField(Network, required=False, allow_null=True)
    frame = VisibleUUIDField(CrisisFrame, required=False, allow_null=True)
    incident = VisibleUUIDField(Incident, required=False, allow_null=True)


@extend_schema_view(
    create=extend_schema(
        request=RoundScheduleCreateSerializer, responses={201: RoundScheduleSerializer}
    ),
    stop=extend_schema(request=None, responses={200: RoundScheduleSerializer}),
)
class RoundScheduleViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Faste runder (rapporteringshjul): your organisation's recurring rounds. Set up and
    stopped by its officers or national analysts; Celery beat issues each day's round."""

    model = RoundSchedule
    serializer_class = RoundScheduleSerializer
    lookup_field = "uuid"

    def scope_queryset(self, queryset):
        return (
            queryset.select_related("issuer", "form", "network", "frame", "incident")
            .prefetch_related("offices")
            .annotate(round_count=Count("rounds"), last_occurrence=Max("rounds__occurrence"))
            .order_by("-created_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        if not rules.has_perm("reporting.issue_round", request.user):
            raise PermissionDenied
        serializer = RoundScheduleCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        issuer = data.get("issuer")
        if issuer is None:
            issuer = Organisation.objects.get(pk=sorted(form_owner_orgs(request.user))[0])
        schedule = _run(
            actions.do_create_schedule,
            issuer=issuer,
            acting_user=request.user,
            form=data["form"],
            title=data["title"],
            time_of_day=data["time_of_day"],
            deadline_hours=data["deadline_hours"],
            starts_on=data.get("starts_on") or timezone.localdate(),
            offices=data.get("offices") or (),
            network=data.get("network"),
            frame=data.get("frame"),
            incident=data.get("incident"),
        )
        schedule = self.get_queryset().get(pk=schedule.pk)
        return Response(self.get_serializer(schedule).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def stop(self, request, *args, **kwargs):
        """Stop the recurring round: no more rounds are issued. Stopping twice changes
        nothing."""
        schedule = self.get_object()
        if not rules.has_perm("reporting.manage_schedule", request.user, schedule):
            raise PermissionDenied
        _run(actions.do_stop_schedule, schedule, acting_user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=schedule.pk)).data)
