"""Comment rounds (høring) in the API: ``comment-rounds`` (list, create, retrieve,
``…/close/``) and ``document-comments`` (list, create, retrieve, ``…/decide/``). The same
access layer as the pages (``visible_to``) and the same actions
(``networks.comment_rounds.actions``), their errors answered by the kit
(``portal.api.run_action``): an outsider gets 404, one who sees but may not act 403, bad
input 400 with field errors (an ambiguous ``organisation`` too)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from networks.comment_rounds import actions
from networks.comment_rounds.api.serializers import (
    CloseSerializer,
    CommentRoundCreateSerializer,
    CommentRoundSerializer,
    DecideSerializer,
    DocumentCommentCreateSerializer,
    DocumentCommentSerializer,
)
from networks.comment_rounds.filtersets import CommentRoundFilterSet, DocumentCommentFilterSet
from networks.comment_rounds.models import CommentDecision, CommentRound, DocumentComment
from networks.library.rules import writes_for
from networks.structure.models import Organisation
from portal.api import ScopedViewSetMixin, run_action


@extend_schema_view(
    create=extend_schema(
        request=CommentRoundCreateSerializer, responses={201: CommentRoundSerializer}
    ),
    close=extend_schema(request=CloseSerializer, responses={200: CommentRoundSerializer}),
)
class CommentRoundViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Høringer: the comment rounds you take part in (as owner, invitee, or the owner's
    State Administrator office). Opened and ended (with a summary) by the document's
    owner."""

    model = CommentRound
    serializer_class = CommentRoundSerializer
    lookup_field = "uuid"
    filterset_class = CommentRoundFilterSet
    filter_backends = [filters.DjangoFilterBackend]

    def scope_queryset(self, queryset):
        return (
            queryset.select_related("document__owner", "version", "network")
            .prefetch_related(
                Prefetch("organisations", queryset=Organisation.objects.order_by("name"))
            )
            .annotate(
                comment_count=Count("comments", distinct=True),
                pending_count=Count(
                    "comments",
                    filter=Q(comments__decision=CommentDecision.PENDING),
                    distinct=True,
                ),
            )
            .order_by("-opened_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        serializer = CommentRoundCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not writes_for(request.user, data["document"].owner_id):
            raise PermissionDenied
        round_ = run_action(
            actions.do_open_round,
            data["document"],
            acting_user=request.user,
            deadline=data["deadline"],
            network=data.get("network"),
            organisations=data.get("organisations") or (),
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=round_.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """End the round with a summary (the owner): no more comments or decisions; the
        invitees are notified."""
        round_ = self.get_object()
        if not writes_for(request.user, round_.document.owner_id):
            raise PermissionDenied
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run_action(
            actions.do_close_round,
            round_,
            acting_user=request.user,
            summary=serializer.validated_data["summary"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=round_.pk)).data)


@extend_schema_view(
    create=extend_schema(
        request=DocumentCommentCreateSerializer, responses={201: DocumentCommentSerializer}
    ),
    decide=extend_schema(request=DecideSerializer, responses={200: DocumentCommentSerializer}),
)
class DocumentCommentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Høringsinnspill: comments in the rounds you see, filterable by round, section and
    decision. A comment after the deadline or in a closed round is refused (400)."""

    model = DocumentComment
    serializer_class = DocumentCommentSerializer
    lookup_field = "uuid"
    filterset_class = DocumentCommentFilterSet
    filter_backends = [filters.DjangoFilterBackend]

    def scope_queryset(self, queryset):
        return queryset.select_related("round", "organisation", "author").order_by(
            "round_id", "section", "created_at", "id"
        )

    def create(self, request, *args, **kwargs):
        serializer = DocumentCommentCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round_ = data["round"]
        if not actions.commenting_org_ids(request.user, round_):
            raise PermissionDenied
        comment = run_action(
            actions.do_comment,
            round_,
            acting_user=request.user,
            section=data.get("section", ""),
            body=data["body"],
            organisation=data.get("organisation"),
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=comment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        """The document's owner marks the comment taken in or not taken in (with the
        reason), until the round is ended."""
        comment = self.get_object()
        if not writes_for(request.user, comment.round.document.owner_id):
            raise PermissionDenied
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run_action(
            actions.do_decide,
            comment,
            acting_user=request.user,
            decision=serializer.validated_data["decision"],
            note=serializer.validated_data.get("decision_note", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)
