from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.log.models import CrisisFrame
from networks.structure.models import Network, Office, Organisation
from portal.api import VisibleUUIDField
from reporting.models import (
    ReportForm,
    ReportFormVersion,
    ReportingRound,
    Submission,
    SubmissionComment,
    SubmissionRevision,
)


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


# --- rounds and submissions ------------------------------------------------------------


class ReportingRoundSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    issuer = serializers.UUIDField(source="issuer.uuid", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    form = serializers.UUIDField(source="form_version.form.uuid", read_only=True)
    form_version = serializers.IntegerField(source="form_version.number", read_only=True)
    frame = serializers.UUIDField(source="frame.uuid", read_only=True, allow_null=True)
    recipient_count = serializers.IntegerField(read_only=True)
    submitted_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReportingRound
        fields = [
            "id",
            "title",
            "issuer",
            "issuer_name",
            "form",
            "form_version",
            "frame",
            "track",
            "kind",
            "deadline",
            "opened_at",
            "closed_at",
            "is_exercise",
            "recipient_count",
            "submitted_count",
        ]


class ReportingRoundCreateSerializer(serializers.Serializer):
    """Issue a round: the latest published version of ``form``, to the municipalities of
    the ``offices``' regions or of the ``network``'s current members."""

    issuer = VisibleUUIDField(Organisation, required=False)
    form = VisibleUUIDField(ReportForm)
    title = serializers.CharField(max_length=200)
    deadline = serializers.DateTimeField()
    offices = VisibleUUIDField(Office, many=True, required=False)
    network = VisibleUUIDField(Network, required=False, allow_null=True)
    frame = VisibleUUIDField(CrisisFrame, required=False, allow_null=True)


@extend_schema_field(OpenApiTypes.OBJECT)
class AnswersField(serializers.JSONField):
    """Field key → answer: a number (or Norwegian text such as "1 000" / "12,5"), text,
    an option value, a list of option values, an ISO 8601 time, or for a sector status
    ``{"status": "green|yellow|red", "comment": "…"}``."""


class SubmissionRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubmissionRevision
        fields = ["number", "submitted_at", "is_late"]


class SubmissionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    round = serializers.UUIDField(source="round.uuid", read_only=True)
    municipality = serializers.UUIDField(source="municipality.uuid", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    answers = AnswersField(
        source="visible_answers",
        read_only=True,
        help_text="The answers. A draft's are its own municipality's: the office, the issuer "
        "and national analysts get {} (answers_withheld) until it is submitted.",
    )
    answers_withheld = serializers.BooleanField(
        read_only=True,
        help_text="True for a draft you see but whose answers are the municipality's own "
        "until it submits; updated_at says when the draft was last saved.",
    )
    revisions = SubmissionRevisionSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "round",
            "municipality",
            "municipality_name",
            "status",
            "answers",
            "answers_withheld",
            "version",
            "submitted_at",
            "is_late",
            "updated_at",
            "acknowledged_at",
            "revisions",
        ]


class DraftSerializer(serializers.Serializer):
    answers = AnswersField(help_text="The draft's answers (replace the saved draft).")
    version = serializers.IntegerField(
        required=False,
        help_text="The version you started from (or send it as If-Match). Refused with 412 "
        "if someone saved in between.",
    )


class SubmitSerializer(serializers.Serializer):
    answers = AnswersField(
        required=False, help_text="The answers to submit; without it, the saved draft."
    )
    version = serializers.IntegerField(
        required=False, help_text="The version you started from (or send it as If-Match)."
    )


# --- acknowledging and commenting ------------------------------------------------------


class SubmissionCommentSerializer(serializers.ModelSerializer):
    """A comment on a submission (append-only), by the office/issuer or the municipality."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionComment
        fields = ["id", "organisation", "organisation_name", "author_name", "body", "created_at"]
        read_only_fields = ["created_at"]

    def get_author_name(self, comment) -> str:
        return comment.author.get_full_name() or comment.author.email


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(help_text="The comment (at most 4000 characters).")


class ExternalReportSerializer(serializers.Serializer):
    municipality = serializers.CharField(
        help_text="The reporting municipality: its organisation UUID (id in the directory "
        "API) or its four-digit municipality number (kommunenummer), e.g. 4601."
    )
    answers = AnswersField(help_text="The answers, keyed by the form's field keys.")
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The submission version you started from (or send it as If-Match); "
        "without it the answers are submitted over the current version, the previous "
        "submission kept as a revision.",
    )

    def validate_answers(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(
                _("The answers must be an object of field keys and values.")
            )
        return value
