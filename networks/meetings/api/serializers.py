"""Meeting serializers: explicit fields, uuids as ids, ISO 8601 times."""

from rest_framework import serializers

from networks.meetings.models import (
    AgendaItem,
    Decision,
    FollowUp,
    Invitation,
    Meeting,
    MeetingKind,
    MinutesVersion,
    RefKind,
    Reply,
)
from networks.structure.models import Network, Organisation
from portal.api import VisibleUUIDField


class AgendaItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    link = serializers.CharField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "ref_kind", "ref_uuid", "link"]


class InvitationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id", "organisation", "organisation_name", "reply", "delegate_name", "replied_at",
            "attended",
        ]  # fmt: skip


class MinutesSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinutesVersion
        fields = ["number", "text", "published_at"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["text", "published", "created_at"]


class FollowUpSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    meeting = serializers.UUIDField(source="meeting.uuid", read_only=True)
    assignee = serializers.UUIDField(source="assignee.uuid", read_only=True)
    assignee_name = serializers.CharField(source="assignee.name", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "meeting", "title", "assignee", "assignee_name", "due_on", "status",
            "published", "done_at",
        ]  # fmt: skip


class MeetingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    convener = serializers.UUIDField(source="convener.uuid", read_only=True)
    convener_name = serializers.CharField(source="convener.name", read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    series = serializers.UUIDField(source="series.uuid", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "kind", "title", "description", "convener", "convener_name", "starts_at",
            "ends_at", "duration_minutes", "video_link", "series",
        ]  # fmt: skip


class MeetingDetailSerializer(MeetingSerializer):
    agenda = serializers.SerializerMethodField()
    invitations = InvitationSerializer(many=True, read_only=True)
    minutes = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    follow_ups = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields, "agenda", "invitations", "minutes", "decisions",
            "follow_ups",
        ]  # fmt: skip

    def get_agenda(self, meeting) -> list[dict]:
        return list(AgendaItemSerializer(self.context["agenda"], many=True).data)

    def get_minutes(self, meeting) -> list[dict]:
        return list(MinutesSerializer(meeting.minutes.all(), many=True).data)

    def get_decisions(self, meeting) -> list[dict]:
        return list(DecisionSerializer(self.context["decisions"], many=True).data)

    def get_follow_ups(self, meeting) -> list[dict]:
        return list(FollowUpSerializer(self.context["follow_ups"], many=True).data)


class AgendaInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    ref_kind = serializers.ChoiceField(choices=RefKind.choices, required=False, default="")
    ref_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class MeetingCreateSerializer(serializers.Serializer):
    convener = VisibleUUIDField(Organisation, required=False)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(default=60)
    video_link = serializers.URLField(required=False, default="", allow_blank=True)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    network = VisibleUUIDField(Network, required=False, allow_null=True, default=None)
    organisations = serializers.ListField(
        child=VisibleUUIDField(Organisation), required=False, default=list
    )
    occurrences = serializers.IntegerField(default=1)
    interval_days = serializers.IntegerField(default=7)
    agenda = AgendaInputSerializer(many=True, required=False, default=list)


class ReplySerializer(serializers.Serializer):
    organisation = VisibleUUIDField(Organisation, required=False)
    reply = serializers.ChoiceField(choices=[c for c in Reply.choices if c[0] != Reply.PENDING])
    delegate_name = serializers.CharField(required=False, default="", allow_blank=True)


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.ListField(child=VisibleUUIDField(Organisation))


class MinutesDraftSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


class DecisionInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class FollowUpInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    assignee = VisibleUUIDField(Organisation)
    due_on = serializers.DateField()
