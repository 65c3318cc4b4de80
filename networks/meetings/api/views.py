"""Meetings in the API: ``meetings`` (list with the page's filters, retrieve with agenda,
invitations, published minutes, decisions and follow-ups; create = convene; and the
actions reply, agenda, attendance, minutes, publish, decisions, follow-ups, ics) and
``meeting-follow-ups`` (list, retrieve, done). The same access layer (``visible_to``)
and the same actions as the pages: 404 for what you may not see, 403 for what you may
not do, 400 with field errors for bad input."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from networks.meetings import actions
from networks.meetings.api.serializers import (
    AgendaInputSerializer,
    AgendaItemSerializer,
    AttendanceSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    FollowUpInputSerializer,
    FollowUpSerializer,
    InvitationSerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MinutesDraftSerializer,
    MinutesSerializer,
    ReplySerializer,
)
from networks.meetings.filtersets import MeetingFilterSet
from networks.meetings.ics import meeting_ics
from networks.meetings.models import FollowUp, Meeting
from networks.meetings.rules import convener_org_ids, mark_links, runs_meeting
from networks.structure.models import Organisation
from portal.access import acting_organisation, org_ids_with
from portal.api import ScopedViewSetMixin, run_action
from portal.roles import MEETING_CONVENER_ROLES, MEETING_REPLY_ROLES


@extend_schema_view(
    create=extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer}),
    retrieve=extend_schema(responses={200: MeetingDetailSerializer}),
)
class MeetingViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Møter: the meetings your organisations convene or are invited to."""

    model = Meeting
    serializer_class = MeetingSerializer
    lookup_field = "uuid"
    filterset_class = MeetingFilterSet

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("convener", "series")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("invitations__organisation", "minutes")
        return queryset.order_by("-starts_at", "id")

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        runs = runs_meeting(request.user, meeting)
        context = {
            "request": request,
            "agenda": mark_links(request.user, meeting.agenda.all()),
            "decisions": [d for d in meeting.decisions.all() if runs or d.published],
            "follow_ups": list(
                FollowUp.objects.visible_to(request.user)
                .filter(meeting=meeting)
                .select_related("meeting", "assignee")
            ),
        }
        return Response(MeetingDetailSerializer(meeting, context=context).data)

    def create(self, request, *args, **kwargs):
        if not convener_org_ids(request.user):
            raise PermissionDenied
        serializer = MeetingCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        given = data.pop("convener", None)
        convener = run_action(
            acting_organisation,
            request.user,
            MEETING_CONVENER_ROLES,
            given,
            field="convener",
        )
        data["agenda"] = [dict(item) for item in data["agenda"]]
        meeting = run_action(
            actions.do_convene_meeting, convener=convener, acting_user=request.user, **data
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReplySerializer, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, uuid=None):
        """Reply for your organisation (``organisation`` when you act for several)."""
        meeting = self.get_object()
        reply_orgs = org_ids_with(request.user, MEETING_REPLY_ROLES)
        if not meeting.invitations.filter(organisation_id__in=reply_orgs).exists():
            raise PermissionDenied
        serializer = ReplySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        invited = [i.organisation for i in meeting.invitations.select_related("organisation")]
        given = data.pop("organisation", None)
        organisation = run_action(
            acting_organisation,
            request.user,
            MEETING_REPLY_ROLES,
            given,
            field="organisation",
            exclude=[o.pk for o in _not_in(invited, request.user)],
        )
        invitation = meeting.invitations.get(organisation=organisation)
        invitation = run_action(actions.do_reply, invitation, acting_user=request.user, **data)
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=AgendaInputSerializer, responses={201: AgendaItemSerializer})
    @action(detail=True, methods=["post"])
    def agenda(self, request, uuid=None):
        meeting = self.get_object()
        _require_runs(request.user, meeting)
        serializer = AgendaInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = run_action(
            actions.do_add_agenda_item,
            meeting,
            acting_user=request.user,
            **serializer.validated_data,
        )
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceSerializer, responses={200: InvitationSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def attendance(self, request, uuid=None):
        meeting = self.get_object()
        _require_runs(request.user, meeting)
        serializer = AttendanceSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        run_action(
            actions.do_record_attendance,
            meeting,
            acting_user=request.user,
            attended=serializer.validated_data["attended"],
        )
        invitations = meeting.invitations.select_related("organisation")
        return Response(InvitationSerializer(invitations, many=True).data)

    @extend_schema(request=MinutesDraftSerializer, responses={200: MinutesDraftSerializer})
    @action(detail=True, methods=["post"])
    def minutes(self, request, uuid=None):
        """Save the draft minutes (``version`` as read; a newer one stored → 412)."""
        meeting = self.get_object()
        _require_runs(request.user, meeting)
        serializer = MinutesDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = run_action(
            actions.do_save_minutes_draft,
            meeting,
            acting_user=request.user,
            **serializer.validated_data,
        )
        return Response({"text": meeting.minutes_draft, "version": meeting.minutes_draft_version})

    @extend_schema(request=None, responses={201: MinutesSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, uuid=None):
        meeting = self.get_object()
        _require_runs(request.user, meeting)
        version = run_action(actions.do_publish_minutes, meeting, acting_user=request.user)
        return Response(MinutesSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionInputSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request, uuid=None):
        meeting = self.get_object()
        _require_runs(request.user, meeting)
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = run_action(
            actions.do_add_decision, meeting, acting_user=request.user, **serializer.validated_data
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpInputSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, uuid=None):
        meeting = self.get_object()
        _require_runs(request.user, meeting)
        serializer = FollowUpInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        follow_up = run_action(
            actions.do_add_follow_up, meeting, acting_user=request.user, **serializer.validated_data
        )
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, "RFC 5545")}
    )
    @action(detail=True, methods=["get"])
    def ics(self, request, uuid=None):
        meeting = self.get_object()
        url = request.build_absolute_uri(reverse("networks:meeting-detail", args=[meeting.uuid]))
        body = meeting_ics(meeting, url=url, host=request.get_host().split(":")[0])
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _require_runs(user, meeting):
    """403 before any input is read: only the convener's people run a meeting."""
    if not runs_meeting(user, meeting):
        raise PermissionDenied


def _not_in(invited, user):
    """The user's reply organisations that are not invited (they cannot reply here)."""
    invited_ids = {o.pk for o in invited}
    return Organisation.objects.filter(pk__in=org_ids_with(user, MEETING_REPLY_ROLES) - invited_ids)


class FollowUpViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Oppfølgingspunkter: follow-up tasks of the meetings you take part in (published
    ones; the convener sees its drafts too)."""

    model = FollowUp
    serializer_class = FollowUpSerializer
    lookup_field = "uuid"

    def scope_queryset(self, queryset):
        return queryset.select_related("meeting", "assignee").order_by("due_on", "id")

    @extend_schema(request=None, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, uuid=None):
        follow_up = self.get_object()
        follow_up = run_action(actions.do_complete_follow_up, follow_up, acting_user=request.user)
        return Response(FollowUpSerializer(follow_up).data)
