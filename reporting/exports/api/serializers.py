"""The exports API's serializers: a job, and a request for one."""

from django.urls import reverse
from rest_framework import serializers

from reporting.models import ExportJob, ExportKind, ExportState


class ExportJobSerializer(serializers.ModelSerializer):
    """An export and how far it has come; ``download`` is set once it is done."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "params",
            "state",
            "progress",
            "error",
            "filename",
            "created_at",
            "finished_at",
            "expires_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, job) -> str | None:
        if job.state != ExportState.DONE or job.is_expired:
            return None
        url = reverse("api:export-download", kwargs={"uuid": job.uuid})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ExportRequestSerializer(serializers.Serializer):
    """``kind`` and its parameters: ``{"round": <uuid>}`` for round_csv / round_xlsx,
    ``{"compilation": <uuid>}`` for compilation_pdf / compilation_edxl, and
    ``{"network": <slug or null>, "start": "YYYY-MM-DD", "end": "YYYY-MM-DD",
    "include_exercises": false}`` for ks_summary_xlsx / ks_summary_pdf."""

    kind = serializers.ChoiceField(choices=ExportKind.choices)
    params = serializers.DictField(required=False, default=dict)


class KsTableSerializer(serializers.Serializer):
    """A table of the summary: its header and rows (cells are numbers, rates 0 … 1, or
    the suppression range as text)."""

    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.JSONField())


class KsSummarySerializer(serializers.Serializer):
    """A KS summary as the page shows it and the XLSX/PDF hold it, small groups
    suppressed (``suppressed`` in place of a count of fewer than
    ``min_municipalities`` municipalities)."""

    title = serializers.CharField()
    min_municipalities = serializers.IntegerField()
    suppressed = serializers.CharField()
    include_exercises = serializers.BooleanField()
    exercise_rounds = serializers.IntegerField()
    totals = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    total_cells = serializers.DictField(child=serializers.JSONField())
    regions = KsTableSerializer()
    rounds = KsTableSerializer()
    sectors = KsTableSerializer()
    incidents = KsTableSerializer()
