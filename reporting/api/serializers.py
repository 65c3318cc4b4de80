from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reporting.models import ReportForm, ReportFormVersion


class ReportFormVersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportFormVersion
        fields = ["number", "published_at"]


class ReportFormSerializer(serializers.ModelSerializer):
    """A report form in a list: its facts and the number of its latest version."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    latest_version = serializers.IntegerField(
        source="latest_number", read_only=True, allow_null=True
    )

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
            "created_at",
            "latest_version",
        ]


@extend_schema_field(OpenApiTypes.OBJECT)
class DefinitionField(serializers.JSONField):
    """The definition document: ``{"sections": [{"key", "title", "fields": [...]}]}``
    (reporting/validation.py describes it)."""


class ReportFormDetailSerializer(ReportFormSerializer):
    """A report form with its latest version's definition and every published version."""

    definition = DefinitionField(
        source="latest.definition",
        read_only=True,
        help_text="The latest version's definition: sections with fields, each with a "
        "stable key, a type (integer, decimal, short_text, long_text, choice, "
        "multiple_choice, datetime, sector_status), a label, required, and min/max/unit/"
        "options where the type has them.",
    )
    versions = ReportFormVersionSummarySerializer(
        source="published_versions", many=True, read_only=True
    )

    class Meta(ReportFormSerializer.Meta):
        fields = [*ReportFormSerializer.Meta.fields, "definition", "versions"]
