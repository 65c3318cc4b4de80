"""The information API's serializers: messages, receipts, questions and their inputs.
Read serializers are explicit and read-only; writes go through the actions."""

from django.apps import apps
from rest_framework import serializers

from incidents.log.models import CrisisFrame, Incident
from networks.information.models import (
    Message,
    MessageAttachment,
    MessageQuestion,
    MessageRecipient,
    Urgency,
)
from networks.library.models import Document
from networks.structure.models import Network, Office, Organisation
from portal.api import VisibleUUIDField
from portal.uploads import MAX_ATTACHMENTS

# Reporting is a sibling in the top layer (.importlinter): its rounds are reached by the
# app registry and their URL names, never by importing reporting.
ReportingRound = apps.get_model("reporting", "ReportingRound")


class MessageAttachmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = MessageAttachment
        fields = ["id", "filename", "content_type", "size"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    sender = serializers.UUIDField(source="sender.uuid", read_only=True)
    sender_name = serializers.CharField(source="sender.name", read_only=True)
    regions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisations = serializers.SlugRelatedField(slug_field="uuid", many=True, read_only=True)
    links = serializers.SerializerMethodField()
    read_count = serializers.SerializerMethodField(
        help_text="How many recipients have read: for the sender organisation only."
    )
    attachments = MessageAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "sender",
            "sender_name",
            "title",
            "body",
            "urgency",
            "exempt",
            "exempt_basis",
            "all_municipalities",
            "regions",
            "network",
            "organisations",
            "links",
            "recipient_count",
            "read_count",
            "attachments",
            "sent_at",
        ]
        read_only_fields = fields

    def get_links(self, obj) -> dict[str, str]:
        """The linked frame, incident, round and document the caller may see (uuids)."""
        visible = self.context.get("visible_links", {}).get(obj.pk, {})
        return {name: str(value) for name, value in visible.items()}

    def get_read_count(self, obj) -> int | None:
        if obj.sender_id not in self.context.get("own_org_ids", ()):
            return None
        return getattr(obj, "read_count", None)


class MessageCreateSerializer(serializers.Serializer):
    sender = VisibleUUIDField(
        Organisation, required=False, help_text="Defaults to your only sending organisation."
    )
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.INFORMATION)
    exempt = serializers.BooleanField(default=False)
    exempt_basis = serializers.CharField(max_length=120, required=False, allow_blank=True)
    all_municipalities = serializers.BooleanField(default=False)
    regions = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Office.objects.all(), required=False
    )
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )
    organisations = VisibleUUIDField(Organisation, many=True, required=False)
    frame = VisibleUUIDField(CrisisFrame, required=False, allow_null=True)
    incident = VisibleUUIDField(Incident, required=False, allow_null=True)
    round = VisibleUUIDField(ReportingRound, required=False, allow_null=True)
    document = VisibleUUIDField(Document, required=False, allow_null=True)
    attachments = serializers.ListField(
        child=serializers.FileField(max_length=200, allow_empty_file=False),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text="Files to attach (send multipart/form-data and repeat the field for "
        "several; PDF, Office documents, images, text).",
    )


class ReceiptSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    read_by = serializers.SerializerMethodField()
    reminded = serializers.BooleanField(read_only=True)

    class Meta:
        model = MessageRecipient
        fields = ["organisation", "organisation_name", "read_at", "read_by", "reminded"]
        read_only_fields = fields

    def get_read_by(self, obj) -> str | None:
        if obj.read_by_id is None:
            return None
        return obj.read_by.get_full_name() or obj.read_by.username


class ReceiptsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    read = serializers.IntegerField()
    recipients = ReceiptSerializer(many=True)


class ReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Organisations whose first reading this was.")


class RemindedSerializer(serializers.Serializer):
    reminded = serializers.ListField(child=serializers.UUIDField())


class QuestionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = MessageQuestion
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "text",
            "asked_at",
            "answer",
            "public",
            "answered_at",
        ]
        read_only_fields = fields


class QuestionCreateSerializer(serializers.Serializer):
    organisation = VisibleUUIDField(
        Organisation, required=False, help_text="Defaults to your only recipient organisation."
    )
    text = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    question = VisibleUUIDField(MessageQuestion)
    answer = serializers.CharField()
    public = serializers.BooleanField(default=False)
