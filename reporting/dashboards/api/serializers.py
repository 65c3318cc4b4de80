"""The dashboard API's serializers: a compilation (with its aggregates), starting one,
saving its assessment, and a round's dashboard (rows and counts)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from networks.structure.models import Office
from portal.api import VisibleUUIDField
from reporting.actions import ASSESSMENT_MAX_LENGTH
from reporting.compilation import compute_aggregates
from reporting.models import Compilation, ReportingRound
from reporting.rules import compiles


@extend_schema_field(OpenApiTypes.OBJECT)
class AggregatesField(serializers.JSONField):
    """The compiled figures: ``counts`` (recipients, submitted, late, missing, awaiting),
    ``numbers`` (per number field: label, unit, ``aggregate`` — sum, weighted_mean, median
    or none —, ``value`` put together so, ``per_1000`` inhabitants for a sum, count,
    population, min, max, median; ``sum`` only for a summed field — decimals as strings),
    ``statuses`` (per sector status field: green, yellow, red, none),
    ``choices`` (per choice field: [value, label, count] per option), ``needs_help`` (the
    municipalities with a red status or a need for assistance), and for a national
    compilation ``regions`` (the counts per region)."""


class CompilationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    round = serializers.UUIDField(source="round.uuid", read_only=True)
    office = serializers.SlugField(source="office.slug", read_only=True, allow_null=True)
    office_name = serializers.CharField(
        source="office.name_bokmaal", read_only=True, allow_null=True
    )
    author = serializers.UUIDField(source="author_org.uuid", read_only=True)
    author_name = serializers.CharField(source="author_org.name", read_only=True)
    is_exercise = serializers.BooleanField(source="round.is_exercise", read_only=True)
    assessment = serializers.CharField(
        source="picture_assessment",
        read_only=True,
        help_text="The assessment as published (frozen with the aggregates); before the first "
        "publication the author's draft (only the author sees an unpublished compilation).",
    )
    draft_assessment = serializers.SerializerMethodField(
        help_text="The author's working text (the draft of the next publication); null for "
        "everyone but the author."
    )
    has_unpublished_changes = serializers.SerializerMethodField(
        help_text="Published, and the author has since changed the assessment (not yet "
        "published); null for everyone but the author."
    )
    aggregates = serializers.SerializerMethodField(
        help_text="Frozen at publication; for a draft (its author only) computed now in the "
        "detail view, null in the list."
    )

    class Meta:
        model = Compilation
        fields = [
            "id",
            "round",
            "level",
            "office",
            "office_name",
            "author",
            "author_name",
            "is_exercise",
            "assessment",
            "draft_assessment",
            "has_unpublished_changes",
            "aggregates",
            "version",
            "published_at",
            "forwarded_at",
            "updated_at",
        ]

    def _is_author(self, compilation) -> bool:
        request = self.context.get("request")
        user = request.user if request is not None else None
        return user is not None and compiles(user, compilation.round, compilation.office)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_draft_assessment(self, compilation) -> str | None:
        return compilation.assessment if self._is_author(compilation) else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_has_unpublished_changes(self, compilation) -> bool | None:
        return compilation.has_unpublished_changes if self._is_author(compilation) else None

    @extend_schema_field(AggregatesField)
    def get_aggregates(self, compilation):
        if compilation.aggregates is not None and compilation.published_at is not None:
            return compilation.aggregates
        if self.context.get("live"):
            return compute_aggregates(compilation.round, compilation.office)
        return compilation.aggregates


class CompilationCreateSerializer(serializers.Serializer):
    """Start (or get) the compilation of a round: a regional one for ``office`` (its
    officers), or without ``office`` the national one (the round's issuer)."""

    round = VisibleUUIDField(ReportingRound)
    office = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Office.objects.all(),
        required=False,
        allow_null=True,
        help_text="The region (office slug, e.g. vestland); leave out for the national one.",
    )


class AssessmentSerializer(serializers.Serializer):
    assessment = serializers.CharField(
        allow_blank=True,
        max_length=ASSESSMENT_MAX_LENGTH,
        trim_whitespace=False,
        help_text="The office's (or issuer's) assessment, in Markdown.",
    )
    version = serializers.IntegerField(
        required=False,
        help_text="The version you started from (or send it as If-Match). Refused with 412 "
        "if someone saved in between.",
    )


class DashboardStatusSerializer(serializers.Serializer):
    key = serializers.CharField()
    status = serializers.CharField(help_text="green, yellow, red or empty (not given).")
    comment = serializers.CharField()


class DashboardNumberSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)


class DashboardRowSerializer(serializers.Serializer):
    submission = serializers.UUIDField(source="uuid")
    municipality = serializers.CharField()
    organisation = serializers.UUIDField(source="organisation_uuid")
    number = serializers.CharField(help_text="The municipality number (kommunenummer).")
    region = serializers.CharField(help_text="The State Administrator office's slug.")
    state = serializers.ChoiceField(choices=["submitted", "late", "missing", "awaiting"])
    submitted_at = serializers.DateTimeField(allow_null=True)
    statuses = DashboardStatusSerializer(many=True)
    numbers = DashboardNumberSerializer(many=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    last_seen_at = serializers.DateTimeField(
        allow_null=True, help_text="When the municipality last opened a published picture."
    )


class DashboardCountsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField(help_text="Submitted on time.")
    late = serializers.IntegerField(help_text="Submitted after the deadline.")
    missing = serializers.IntegerField(help_text="Not submitted, deadline passed.")
    awaiting = serializers.IntegerField(help_text="Not submitted, deadline not passed.")
    total = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    round = serializers.UUIDField()
    region = serializers.CharField(allow_null=True)
    counts = DashboardCountsSerializer()
    results = DashboardRowSerializer(many=True)
