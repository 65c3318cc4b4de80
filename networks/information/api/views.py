"""API for information down: list and read the messages you may see, send one, record
your organisation's reading, the receipts (the sender's), remind, ask and answer, and
the message as CAP 1.2 XML. The same access layer as the pages (``visible_to`` through
ScopedViewSetMixin) and the same actions; an action's ValidationError is a 400 with field
errors, an invisible message 404, a visible one you may not act on 403."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents.log.models import CrisisFrame, Incident
from networks.information import actions, rules
from networks.information.api.serializers import (
    AnswerSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    QuestionCreateSerializer,
    QuestionSerializer,
    ReadSerializer,
    ReceiptsSerializer,
    RemindedSerializer,
)
from networks.information.cap import message_cap_xml
from networks.information.filtersets import MessageFilterSet
from networks.information.models import (
    Message,
    MessageQuestion,
    MessageRecipient,
    MessageReminder,
)
from networks.library.models import Document
from portal.access import acting_organisation, viewer_for
from portal.api import ScopedViewSetMixin, action_errors, run_action
from portal.roles import MESSAGE_ASKER_ROLES, MESSAGE_SENDER_ROLES

# Reporting is a sibling in the top layer (.importlinter): its rounds are reached by the
# app registry and their URL names, never by importing reporting.
ReportingRound = apps.get_model("reporting", "ReportingRound")


LINKS = (
    ("frame", CrisisFrame),
    ("incident", Incident),
    ("round", ReportingRound),
    ("document", Document),
)


def visible_links(user, messages) -> dict[int, dict[str, object]]:
    """Per message, the linked objects the user may see (one query per kind of link,
    however many messages)."""
    result: dict[int, dict[str, object]] = {m.pk: {} for m in messages}
    for name, model in LINKS:
        wanted = {getattr(m, f"{name}_id") for m in messages} - {None}
        if not wanted:
            continue
        uuids = dict(model.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", "uuid"))
        for m in messages:
            target = getattr(m, f"{name}_id")
            if target in uuids:
                result[m.pk][name] = uuids[target]
    return result


def receipts_data(message) -> dict:
    """The receipts as the API answers them, straight from one query's values (no model
    instances: 357 rows of them would cost more than the query)."""
    reminded = MessageReminder.objects.filter(
        message_id=message.pk, organisation_id=OuterRef("organisation_id")
    )
    rows = (
        MessageRecipient.objects.filter(message=message)
        .annotate(reminded=Exists(reminded))
        .order_by("organisation__name")
        .values_list(
            "organisation__uuid",
            "organisation__name",
            "read_at",
            "read_by__first_name",
            "read_by__last_name",
            "read_by__username",
            "reminded",
        )
    )
    recipients = [
        {
            "organisation": str(uuid),
            "organisation_name": name,
            "read_at": read_at.isoformat() if read_at else None,
            "read_by": (f"{first} {last}".strip() or username) if username else None,
            "reminded": was_reminded,
        }
        for uuid, name, read_at, first, last, username, was_reminded in rows
    ]
    read = sum(1 for r in recipients if r["read_at"])
    return {"total": len(recipients), "read": read, "recipients": recipients}


@extend_schema_view(
    create=extend_schema(request=MessageCreateSerializer, responses={201: MessageSerializer}),
    read=extend_schema(request=None, responses={200: ReadSerializer}),
    receipts=extend_schema(responses={200: ReceiptsSerializer}),
    remind=extend_schema(request=None, responses={200: RemindedSerializer}),
    questions=extend_schema(
        methods=["GET"], request=None, responses={200: QuestionSerializer(many=True)}
    ),
    answer=extend_schema(request=AnswerSerializer, responses={200: QuestionSerializer}),
    cap=extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.STR, description="CAP 1.2 XML")}
    ),
)
class MessageViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Meldinger: what your organisations sent and received."""

    model = Message
    serializer_class = MessageSerializer
    lookup_field = "uuid"
    filterset_class = MessageFilterSet

    def scope_queryset(self, queryset):
        if self.action not in ("list", "retrieve", "create"):
            # The actions on one message need the message, not its counts and lists.
            return queryset.select_related("sender")
        return (
            queryset.with_read_count()
            .select_related("sender", "network")
            .prefetch_related("regions", "organisations", "attachments")
            .order_by("-sent_at", "-id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["own_org_ids"] = viewer_for(self.request.user).org_ids
        return context

    def _serialize(self, messages, many=False):
        context = self.get_serializer_context()
        context["visible_links"] = visible_links(self.request.user, messages)
        data = MessageSerializer(messages, many=True, context=context).data
        return data if many else data[0]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = self._serialize(rows, many=True)
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize([self.get_object()]))

    def _fresh(self, message):
        return self._serialize([self.get_queryset().get(pk=message.pk)])

    def create(self, request, *args, **kwargs):
        if not rules.may_send(request.user):
            raise PermissionDenied
        serializer = MessageCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        sender = run_action(
            acting_organisation,
            request.user,
            MESSAGE_SENDER_ROLES,
            data.pop("sender", None),
            field="sender",
        )
        with action_errors():
            message = actions.do_send_message(sender=sender, acting_user=request.user, **data)
        return Response(self._fresh(message), status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def read(self, request, uuid=None):
        """Record your organisation's reading (the first reading only counts once)."""
        message = self.get_object()
        marked = actions.do_mark_read(message, acting_user=request.user)
        return Response({"marked": marked})

    @action(detail=True, methods=["get"])
    def receipts(self, request, uuid=None):
        """Who of the recipients has read (the sender organisation only)."""
        message = self.get_object()
        if not rules.sees_receipts(request.user, message):
            raise PermissionDenied
        return Response(receipts_data(message))

    @action(detail=True, methods=["post"])
    def remind(self, request, uuid=None):
        """Remind those who have not read (once per organisation); 400 when none is left."""
        message = self.get_object()
        if not rules.sees_receipts(request.user, message):
            raise PermissionDenied
        reminded = run_action(actions.do_remind, message, acting_user=request.user)
        return Response({"reminded": [str(o.uuid) for o in reminded]})

    @extend_schema(
        methods=["POST"], request=QuestionCreateSerializer, responses={201: QuestionSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def questions(self, request, uuid=None):
        """The questions you may see on the message; POST asks one for your organisation."""
        message = self.get_object()
        if request.method == "GET":
            rows = (
                MessageQuestion.objects.visible_to(request.user)
                .filter(message=message)
                .select_related("organisation")
            )
            return Response(QuestionSerializer(rows, many=True).data)
        recipient_ids = MessageRecipient.objects.filter(message=message).values_list(
            "organisation_id", flat=True
        )
        if not rules.asker_org_ids(request.user, recipient_ids):
            raise PermissionDenied
        serializer = QuestionCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with action_errors():
            organisation = acting_organisation(
                request.user,
                MESSAGE_ASKER_ROLES,
                data.pop("organisation", None),
                field="organisation",
                exclude=[message.sender_id],
            )
            question = actions.do_ask_question(
                message, organisation=organisation, acting_user=request.user, text=data["text"]
            )
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def answer(self, request, uuid=None):
        """Answer a question on the message (the sender organisation's senders)."""
        message = self.get_object()
        if not rules.may_manage(request.user, message):
            raise PermissionDenied
        serializer = AnswerSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["question"].message_id != message.pk:
            return Response(
                {"question": ["That question is not on this message."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        question = run_action(
            actions.do_answer_question,
            data["question"],
            acting_user=request.user,
            answer=data["answer"],
            public=data["public"],
        )
        return Response(QuestionSerializer(question).data)

    @action(detail=True, methods=["get"])
    def cap(self, request, uuid=None):
        """The message as a CAP 1.2 alert (XML)."""
        message = self.get_object()
        return HttpResponse(message_cap_xml(message), content_type="application/cap+xml")
