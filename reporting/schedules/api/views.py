"""Recurring rounds in the API: ``round-schedules`` (list, create, retrieve) and
``…/stop/``. The same access layer as the pages (``RoundSchedule.objects.visible_to``)
and the same actions (``do_create_schedule``, ``do_stop_schedule``)."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.access import acting_organisation
from portal.api import ScopedViewSetMixin, action_errors, run_action
from portal.roles import REPORT_ISSUER_ROLES
from reporting import actions
from reporting.models import RoundSchedule
from reporting.schedules.api.serializers import (
    RoundScheduleCreateSerializer,
    RoundScheduleSerializer,
)


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
        with action_errors():
            issuer = acting_organisation(
                request.user, REPORT_ISSUER_ROLES, data.get("issuer"), field="issuer"
            )
        schedule = run_action(
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
        run_action(actions.do_stop_schedule, schedule, acting_user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=schedule.pk)).data)
