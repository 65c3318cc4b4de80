"""The form builder in the API (see views.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from networks.structure.models import Organisation
from portal.api import VisibleUUIDField
from reporting.models import ReportForm, ReportFormVersion, ReportKind, ReportTrack


@extend_schema_field(OpenApiTypes.OBJECT)
class DraftField(serializers.JSONField):
    """A draft definition: ``{"sections": [{"key", "title", "description"?, "fields":
    [...]}]}`` as reporting/validation.py describes it (a number field may name its
    ``aggregate``: sum, weighted_mean, median or none). It need not be valid until it
    is published."""


class FormDraftSerializer(serializers.ModelSerializer):
    """A form in the builder: its facts, its draft and its latest published version."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    draft = DraftField(read_only=True, allow_null=True)
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = ReportForm
        fields = [
            "id",
            "title",
            "description",
            "owner",
            "owner_name",
            "track",
            "kind",
            "draft",
            "draft_updated_at",
            "latest_version",
        ]
        read_only_fields = fields

    def get_latest_version(self, form) -> int | None:
        return getattr(form, "latest_number", None)


class FormCreateSerializer(serializers.Serializer):
    owner = VisibleUUIDField(
        Organisation,
        required=False,
        help_text="The office or national body (its id); needed only when you act for several.",
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    track = serializers.ChoiceField(choices=ReportTrack.choices)
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    draft = DraftField(required=False)


class DraftReplaceSerializer(serializers.Serializer):
    draft = DraftField()
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    track = serializers.ChoiceField(choices=ReportTrack.choices, required=False)
    kind = serializers.ChoiceField(choices=ReportKind.choices, required=False)


class DraftCheckSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    problems = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages by place: "" the form, "s0" a section, "s0f1" its second field.',
    )


class CopySerializer(serializers.Serializer):
    owner = VisibleUUIDField(Organisation, required=False)
    title = serializers.CharField(max_length=200)


class PublishedVersionSerializer(serializers.ModelSerializer):
    form = serializers.UUIDField(source="form.uuid", read_only=True)

    class Meta:
        model = ReportFormVersion
        fields = ["form", "number", "published_at", "definition"]
        read_only_fields = fields
