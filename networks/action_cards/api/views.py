"""Action cards (tiltakskort) in the API: ``action-cards`` (list, retrieve,
``…/checklist/``, ``…/apply/``). The same access layer as the pages (``visible_to``) and
the same actions (``networks.action_cards.actions``), their errors answered by the kit
(``portal.api.run_action``): an outsider gets 404, one who sees but may not edit 403, bad
input 400 with field errors, steps saved from an older version than the latest 412 with
the current version."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from networks.action_cards import actions
from networks.action_cards.api.serializers import (
    ActionCardSerializer,
    AppliedSerializer,
    ApplySerializer,
    ChecklistSerializer,
)
from networks.library.models import Document, DocumentKind, DocumentVersion
from networks.library.rules import writes_for
from portal.api import CONFLICT, ScopedViewSetMixin, run_action


@extend_schema_view(
    checklist=extend_schema(
        request=ChecklistSerializer, responses={201: ActionCardSerializer, 412: CONFLICT}
    ),
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
        if not writes_for(request.user, card.owner_id):
            raise PermissionDenied
        serializer = ChecklistSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run_action(
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
        tasks = run_action(actions.do_apply_card, version, incident, acting_user=request.user)
        return Response(
            {
                "incident": incident.uuid,
                "version": version.number,
                "tasks": [t.uuid for t in tasks],
            },
            status=status.HTTP_201_CREATED,
        )
