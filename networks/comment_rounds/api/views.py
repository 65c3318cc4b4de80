"""Comment rounds (høring) and action cards in the API: ``comment-rounds`` (list, create,
retrieve, ``…/close/``), ``document-comments`` (list, create, retrieve, ``…/decide/``) and
``action-cards`` (list, retrieve, ``…/checklist/``, ``…/apply/``). The same access layer
as the pages (``visible_to``) and the same actions (``networks.comment_rounds.actions``): an
outsider gets 404, one who sees but may not act 403, bad input 400 with field errors."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents.models import Incident
from networks.comment_rounds import actions
from networks.library.actions import VersionConflict
from networks.models import (
    CommentDecision,
    CommentRound,
    Document,
    DocumentComment,
    DocumentKind,
    DocumentVersion,
    Network,
    Organisation,
)
from portal.api import ScopedViewSetMixin, VisibleUUIDField, api_errors


def run(action_, *args, **kwargs):
    try:
        return action_(*args, **kwargs)
    except VersionConflict as error:
        raise serializers.ValidationError(api_errors(error)) from error
    except DjangoValidationError as error:
        raise serializers.ValidationError(api_errors(error)) from error


# --- comment rounds --------------------------------------------------------------------


class CommentRoundSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    document = serializers.UUIDField(source="document.uuid", read_only=True)
    document_title = serializers.CharField(source="version.title", read_only=True)
    owner = serializers.UUIDField(source="document.owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="document.owner.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    network = serializers.UUIDField(source="network.uuid", read_only=True, allow_null=True)
    organisations = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="uuid", help_text="Named organisations invited."
    )
    sections = serializers.SerializerMethodField(
        help_text='The sections one may comment on ("" is the document as a whole).'
    )
    is_open = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True, help_text="Comments not decided.")

    class Meta:
        model = CommentRound
        fields = [
            "id",
            "document",
            "document_title",
            "owner",
            "owner_name",
            "version",
            "network",
            "organisations",
            "deadline",
            "opened_at",
            "closed_at",
            "summary",
            "is_open",
            "sections",
            "comment_count",
            "pending_count",
        ]

    def get_sections(self, round_) -> list[str]:
        return actions.section_names(round_.version.body)

    def get_is_open(self, round_) -> bool:
        return actions.round_is_open(round_)


class CommentRoundCreateSerializer(serializers.Serializer):
    """Open the latest version of ``document`` (yours) for comments by ``network``'s
    current members and/or the named ``organisations`` until ``deadline``."""

    document = VisibleUUIDField(Document)
    network = VisibleUUIDField(Network, required=False, allow_null=True)
    organisations = VisibleUUIDField(Organisation, many=True, required=False)
    deadline = serializers.DateTimeField()


class CloseSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=actions.SUMMARY_MAX_LENGTH)


class CommentRoundFilterSet(filters.FilterSet):
    document = filters.UUIDFilter(field_name="document__uuid", help_text="The document's id.")
    closed = filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", exclude=True, help_text="Ended or not."
    )

    class Meta:
        model = CommentRound
        fields = ["document", "closed"]


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
        if not actions.writes_for(request.user, data["document"].owner_id):
            raise PermissionDenied
        round_ = run(
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
        if not actions.writes_for(request.user, round_.document.owner_id):
            raise PermissionDenied
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run(
            actions.do_close_round,
            round_,
            acting_user=request.user,
            summary=serializer.validated_data["summary"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=round_.pk)).data)


class DocumentCommentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    round = serializers.UUIDField(source="round.uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = DocumentComment
        fields = [
            "id",
            "round",
            "organisation",
            "organisation_name",
            "author_name",
            "section",
            "body",
            "created_at",
            "decision",
            "decision_note",
            "decided_at",
        ]

    def get_author_name(self, comment) -> str:
        return comment.author.get_full_name() or comment.author.email


class DocumentCommentCreateSerializer(serializers.Serializer):
    """A comment on one section of the round's version (``""``: the document as a whole),
    by an invitee's writer before the deadline. ``organisation``: which of your invited
    organisations you comment for (default: the first)."""

    round = VisibleUUIDField(CommentRound)
    section = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    body = serializers.CharField(max_length=actions.COMMENT_MAX_LENGTH)
    organisation = VisibleUUIDField(Organisation, required=False, allow_null=True)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[CommentDecision.TAKEN_IN, CommentDecision.NOT_TAKEN_IN]
    )
    decision_note = serializers.CharField(
        allow_blank=True, required=False, default="", help_text="Required when not taken in."
    )


class DocumentCommentFilterSet(filters.FilterSet):
    round = filters.UUIDFilter(field_name="round__uuid", help_text="The comment round's id.")
    section = filters.CharFilter(field_name="section")
    decision = filters.ChoiceFilter(choices=CommentDecision.choices)

    class Meta:
        model = DocumentComment
        fields = ["round", "section", "decision"]


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
        comment = run(
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
        if not actions.writes_for(request.user, comment.round.document.owner_id):
            raise PermissionDenied
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run(
            actions.do_decide,
            comment,
            acting_user=request.user,
            decision=serializer.validated_data["decision"],
            note=serializer.validated_data.get("decision_note", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)


# --- action cards ----------------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    title = serializers.CharField()
    role = serializers.CharField(allow_blank=True, required=False)
    time_frame_minutes = serializers.IntegerField(allow_null=True, required=False)


class ActionCardSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    version = serializers.IntegerField(source="current_number", read_only=True)
    steps = serializers.SerializerMethodField(help_text="The latest version's steps.")

    class Meta:
        model = Document
        fields = ["id", "title", "owner", "owner_name", "version", "steps", "updated_at"]

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, card) -> list[dict]:
        latest = card.latest_versions[0] if getattr(card, "latest_versions", None) else None
        if latest is None:
            return []
        return [
            {k: step[k] for k in ("title", "role", "time_frame_minutes")}
            for step in actions.card_steps(latest)
        ]


class ChecklistSerializer(serializers.Serializer):
    """The card's new steps (at least one; each a title, a role and a positive time frame
    in minutes — or ``time_frame_hours``), saved as a new version. ``expected_number``: the
    version you started from (400 if someone saved a newer one)."""

    steps = serializers.ListField(child=serializers.DictField(), allow_empty=True)
    change_note = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=300
    )
    expected_number = serializers.IntegerField(required=False, allow_null=True)


class ApplySerializer(serializers.Serializer):
    incident = VisibleUUIDField(Incident, help_text="An incident you may write to.")


class AppliedSerializer(serializers.Serializer):
    incident = serializers.UUIDField()
    version = serializers.IntegerField()
    tasks = serializers.ListField(child=serializers.UUIDField())


@extend_schema_view(
    checklist=extend_schema(request=ChecklistSerializer, responses={201: ActionCardSerializer}),
    apply=extend_schema(request=ApplySerializer, responses={201: AppliedSerializer}),
)
class ActionCardViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Tiltakskort: library documents of kind action card that you see, with the latest
    version's steps. Applying one to an incident creates its steps as tasks there."""

    model = Document
    serializer_class = ActionCardSerializer
    lookup_field = "uuid"

    def scope_queryset(self, queryset):
        return (
            queryset.filter(kind=DocumentKind.ACTION_CARD)
            .select_related("owner")
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=DocumentVersion.objects.order_by("-number"),
                    to_attr="latest_versions",
                )
            )
            .order_by("title", "id")
        )

    @action(detail=True, methods=["post"])
    def checklist(self, request, *args, **kwargs):
        """Save new steps for the card as a new version (the owner's writers)."""
        card = self.get_object()
        if not actions.writes_for(request.user, card.owner_id):
            raise PermissionDenied
        serializer = ChecklistSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run(
            actions.do_save_checklist,
            card,
            acting_user=request.user,
            steps=data["steps"],
            change_note=data.get("change_note", ""),
            expected_number=data.get("expected_number"),
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=card.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"])
    def apply(self, request, *args, **kwargs):
        """Apply the card's latest version to an incident you may write to: one task per
        step, one log entry. The same version twice in one incident is refused (400)."""
        card = self.get_object()
        serializer = ApplySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        incident = serializer.validated_data["incident"]
        version = card.latest_versions[0] if card.latest_versions else None
        if version is None:
            raise serializers.ValidationError({"non_field_errors": ["The card has no version."]})
        tasks = run(actions.do_apply_card, version, incident, acting_user=request.user)
        return Response(
            {
                "incident": incident.uuid,
                "version": version.number,
                "tasks": [t.uuid for t in tasks],
            },
            status=status.HTTP_201_CREATED,
        )
