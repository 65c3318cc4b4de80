"""Serializers of the action card API (tiltakskort)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.log.models import Incident
from networks.action_cards import actions
from networks.library.models import Document
from portal.api import VisibleUUIDField


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
    version you started from (412 with the current version if someone saved a newer one)."""

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
