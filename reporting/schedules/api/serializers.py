"""The round-schedule API's serializers: a schedule, and setting one up."""

from rest_framework import serializers

from incidents.log.models import CrisisFrame, Incident
from networks.structure.models import Network, Office, Organisation
from portal.api import VisibleUUIDField
from reporting.models import ReportForm, RoundSchedule


class RoundScheduleSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    issuer = serializers.UUIDField(source="issuer.uuid", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    form = serializers.UUIDField(source="form.uuid", read_only=True)
    offices = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="uuid", help_text="The regions' offices."
    )
    network = serializers.SlugRelatedField(read_only=True, slug_field="uuid", allow_null=True)
    frame = serializers.UUIDField(source="frame.uuid", read_only=True, allow_null=True)
    incident = serializers.UUIDField(source="incident.uuid", read_only=True, allow_null=True)
    is_running = serializers.SerializerMethodField()
    round_count = serializers.IntegerField(read_only=True, help_text="Rounds issued so far.")
    last_occurrence = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day of the latest round issued."
    )

    class Meta:
        model = RoundSchedule
        fields = [
            "id",
            "title",
            "issuer",
            "issuer_name",
            "form",
            "offices",
            "network",
            "frame",
            "incident",
            "time_of_day",
            "deadline_hours",
            "starts_on",
            "stopped_at",
            "created_at",
            "is_running",
            "round_count",
            "last_occurrence",
        ]

    def get_is_running(self, schedule) -> bool:
        return schedule.stopped_at is None


class RoundScheduleCreateSerializer(serializers.Serializer):
    """Set up a recurring round: from ``starts_on`` (default today), every day at
    ``time_of_day`` (Norwegian time) a round of ``form``'s latest published version goes to
    the ``offices``' regions or the ``network``'s members, due ``deadline_hours`` later
    (1–168)."""

    issuer = VisibleUUIDField(Organisation, required=False)
    form = VisibleUUIDField(ReportForm)
    title = serializers.CharField(max_length=200)
    time_of_day = serializers.TimeField()
    deadline_hours = serializers.IntegerField(help_text="1 to 168.")
    starts_on = serializers.DateField(required=False)
    offices = VisibleUUIDField(Office, many=True, required=False)
    network = VisibleUUIDField(Network, required=False, allow_null=True)
    frame = VisibleUUIDField(CrisisFrame, required=False, allow_null=True)
    incident = VisibleUUIDField(Incident, required=False, allow_null=True)
