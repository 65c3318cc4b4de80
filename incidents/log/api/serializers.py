"""Serializers for incidents, the log, shares and tasks. Representations use uuids as ids;
input serializers only check shapes and resolve ids through the access layer — the rules
live in incidents/log/actions.py, which the views call."""

import uuid as uuid_lib

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.log.exports import ExemptHandling, ExportFormat, author_name
from incidents.log.models import (
    Attachment,
    Correction,
    CrisisFrame,
    EntryKind,
    Incident,
    IncidentStatus,
    IncidentType,
    LogEntry,
    Severity,
    Share,
    Task,
    TaskStatus,
)
from networks.structure.models import Municipality, Network, Organisation
from portal.api import VisibleUUIDField
from portal.models import RoleAssignment, User
from portal.roles import Role
from portal.templatetags.portal_markdown import render_markdown
from portal.uploads import MAX_ATTACHMENTS

# --- crisis frames and incidents --------------------------------------------------------


class CrisisFrameSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = CrisisFrame
        fields = [
            "id",
            "title",
            "type",
            "description",
            "is_exercise",
            "owner",
            "owner_name",
            "started_at",
            "ended_at",
        ]


class CrisisFrameUpdateSerializer(serializers.Serializer):
    """What may change on a crisis frame (PATCH; every field optional), e.g. its end."""

    title = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=IncidentType.choices)
    description = serializers.CharField(allow_blank=True, max_length=20000)
    is_exercise = serializers.BooleanField(
        help_text="Fixed once incidents are filed under the frame."
    )
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class CrisisFrameCreateSerializer(CrisisFrameUpdateSerializer):
    """A new national crisis frame (national analysts) or exercise frame (national
    analysts, or State Administrator officers for their office: ``is_exercise`` true)."""

    owner = VisibleUUIDField(
        Organisation,
        required=False,
        help_text="The owner organisation. May be left out when you hold frames for exactly one.",
    )
    description = serializers.CharField(allow_blank=True, max_length=20000, default="")
    is_exercise = serializers.BooleanField(default=False)
    ended_at = serializers.DateTimeField(allow_null=True, required=False, default=None)


class IncidentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    frame = serializers.SerializerMethodField()
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    affected_municipalities = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number"
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "frame",
            "title",
            "type",
            "severity",
            "status",
            "owner",
            "owner_name",
            "affected_municipalities",
            "description",
            "started_at",
            "ended_at",
            "crisis_management_active",
            "is_exercise",
            "created_at",
            "updated_at",
        ]

    def get_frame(self, obj) -> uuid_lib.UUID | None:
        return obj.frame.uuid if obj.frame_id else None


class IncidentUpdateSerializer(serializers.Serializer):
    """What may change on an incident (PATCH; every field optional)."""

    title = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=IncidentType.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    status = serializers.ChoiceField(
        choices=IncidentStatus.choices,
        help_text="active → monitoring → closed; a closed incident can be reopened (active).",
    )
    description = serializers.CharField(allow_blank=True, max_length=20000)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    crisis_management_active = serializers.BooleanField()
    affected_municipalities = serializers.SlugRelatedField(
        many=True, slug_field="number", queryset=Municipality.objects.all()
    )


class IncidentCreateSerializer(IncidentUpdateSerializer):
    owner = VisibleUUIDField(
        Organisation,
        required=False,
        help_text="The owner organisation. May be left out when you write for exactly one.",
    )
    frame = VisibleUUIDField(CrisisFrame, required=False, allow_null=True)
    is_exercise = serializers.BooleanField(default=False)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MODERATE)
    description = serializers.CharField(allow_blank=True, max_length=20000, default="")
    ended_at = serializers.DateTimeField(allow_null=True, required=False)
    crisis_management_active = serializers.BooleanField(default=False)
    affected_municipalities = serializers.SlugRelatedField(
        many=True, slug_field="number", queryset=Municipality.objects.all(), required=False
    )

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("status")  # a new incident is active
        return fields


class IncidentExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.CSV)
    exempt = serializers.ChoiceField(choices=ExemptHandling.choices, default=ExemptHandling.OMIT)


# --- the log ---------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "url"]

    def get_url(self, obj) -> str:
        path = reverse("api:attachment-detail", kwargs={"uuid": obj.uuid})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class LogEntrySerializer(serializers.ModelSerializer):
    """One log entry. ``corrected_by`` lists the corrections you can see; ``text_html`` is
    the text rendered from Markdown and sanitised."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    incident = serializers.UUIDField(source="incident.uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    author = serializers.SerializerMethodField()
    text_html = serializers.SerializerMethodField()
    corrects = serializers.SerializerMethodField()
    # Empty for an entry that corrects nothing: declared, so the schema allows it.
    correction_type = serializers.ChoiceField(
        choices=Correction.choices, allow_blank=True, read_only=True
    )
    corrected_by = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()
    responds_to = serializers.SerializerMethodField()

    class Meta:
        model = LogEntry
        fields = [
            "id",
            "incident",
            "organisation",
            "author",
            "kind",
            "text",
            "text_html",
            "occurred_at",
            "recorded_at",
            "corrects",
            "correction_type",
            "corrected_by",
            "exempt",
            "exempt_basis",
            "attachments",
            "links",
            "responds_to",
        ]
        read_only_fields = fields

    def get_author(self, obj) -> str:
        return author_name(obj.author)

    def get_text_html(self, obj) -> str:
        # Stored when written; rendered here only for rows written before that (or in bulk).
        return obj.text_html or render_markdown(obj.text)

    def get_corrects(self, obj) -> uuid_lib.UUID | None:
        return obj.corrects.uuid if obj.corrects_id else None

    def get_corrected_by(self, obj) -> list[uuid_lib.UUID]:
        return [c.uuid for c in obj.visible_corrections]

    def get_links(self, obj) -> list[uuid_lib.UUID]:
        return [link.uuid for link in obj.visible_links]

    def get_responds_to(self, obj) -> uuid_lib.UUID | None:
        """The entry in another log this one answers, when you can see it."""
        answered = getattr(obj, "visible_responds_to", None)
        return answered.uuid if answered is not None else None


class LogEntryCreateSerializer(serializers.Serializer):
    """A new entry. Send JSON, or multipart/form-data to attach files (repeat
    ``attachments`` and ``links`` for several)."""

    incident = VisibleUUIDField(Incident)
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=50000)
    occurred_at = serializers.DateTimeField(
        required=False, help_text="When it happened; the server's time when left out."
    )
    exempt = serializers.BooleanField(
        default=False, help_text="Unntatt offentlighet: exempt from public disclosure."
    )
    exempt_basis = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=120,
        help_text="The legal basis (offentleglova section, e.g. § 24); required when exempt.",
    )
    corrects = VisibleUUIDField(
        LogEntry,
        required=False,
        allow_null=True,
        help_text="The entry (in the same incident) this one corrects or retracts.",
    )
    correction_type = serializers.ChoiceField(
        choices=Correction.choices, required=False, allow_blank=True, default=""
    )
    links = serializers.ListField(
        child=VisibleUUIDField(LogEntry), required=False, default=list, max_length=50
    )
    responds_to = VisibleUUIDField(
        LogEntry,
        required=False,
        allow_null=True,
        help_text="An entry in another log you can see that this one answers (a State "
        "Administrator's decision on a municipality's shared entry, say).",
    )
    attachments = serializers.ListField(
        child=serializers.FileField(max_length=200, allow_empty_file=False),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
    )


# --- sharing ---------------------------------------------------------------------------


class ShareSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    incident = serializers.SerializerMethodField()
    entry = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    organisation_name = serializers.SerializerMethodField()
    network = serializers.SlugRelatedField(read_only=True, allow_null=True, slug_field="slug")
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Share
        fields = [
            "id",
            "incident",
            "entry",
            "organisation",
            "organisation_name",
            "network",
            "created_by",
            "created_at",
        ]

    def get_incident(self, obj) -> uuid_lib.UUID | None:
        return obj.incident.uuid if obj.incident_id else None

    def get_entry(self, obj) -> uuid_lib.UUID | None:
        return obj.entry.uuid if obj.entry_id else None

    def get_organisation(self, obj) -> uuid_lib.UUID | None:
        return obj.organisation.uuid if obj.organisation_id else None

    def get_organisation_name(self, obj) -> str | None:
        return obj.organisation.name if obj.organisation_id else None

    def get_created_by(self, obj) -> str:
        return author_name(obj.created_by)


class ShareCreateSerializer(serializers.Serializer):
    """Share an incident (its whole log) or one entry with an organisation or a network.
    Give exactly one of ``incident``/``entry`` and one of ``organisation``/``network``."""

    incident = VisibleUUIDField(Incident, required=False, allow_null=True)
    entry = VisibleUUIDField(LogEntry, required=False, allow_null=True)
    organisation = VisibleUUIDField(Organisation, required=False, allow_null=True)
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs):
        errors = {}
        if bool(attrs.get("incident")) == bool(attrs.get("entry")):
            errors["incident"] = [_("Give either an incident or an entry.")]
        if bool(attrs.get("organisation")) == bool(attrs.get("network")):
            errors["organisation"] = [_("Give either an organisation or a network.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# --- tasks -----------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    incident = serializers.UUIDField(source="incident.uuid", read_only=True)
    source_entry = serializers.SerializerMethodField()
    assignee_user = serializers.SerializerMethodField()
    assignee_user_name = serializers.SerializerMethodField()
    assignee_organisation = serializers.SerializerMethodField()
    assignee_organisation_name = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "incident",
            "title",
            "description",
            "source_entry",
            "exempt",
            "exempt_basis",
            "assignee_user",
            "assignee_user_name",
            "assignee_role",
            "assignee_organisation",
            "assignee_organisation_name",
            "due_at",
            "status",
            "created_by",
            "created_at",
            "updated_at",
        ]

    def get_source_entry(self, obj) -> uuid_lib.UUID | None:
        return obj.source_entry.uuid if obj.source_entry_id else None

    def get_assignee_user(self, obj) -> uuid_lib.UUID | None:
        return obj.assignee_user.uuid if obj.assignee_user_id else None

    def get_assignee_user_name(self, obj) -> str | None:
        return author_name(obj.assignee_user) if obj.assignee_user_id else None

    def get_assignee_organisation(self, obj) -> uuid_lib.UUID | None:
        return obj.assignee_organisation.uuid if obj.assignee_organisation_id else None

    def get_assignee_organisation_name(self, obj) -> str | None:
        return obj.assignee_organisation.name if obj.assignee_organisation_id else None

    def get_created_by(self, obj) -> str:
        return author_name(obj.created_by)


class TaskCreateSerializer(serializers.Serializer):
    """A task in an incident, assigned to a person (in the owner organisation), a role or
    an organisation — at least one."""

    incident = VisibleUUIDField(Incident)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="", max_length=20000)
    source_entry = VisibleUUIDField(
        LogEntry, required=False, allow_null=True, help_text="The log entry it was created from."
    )
    assignee_user = serializers.UUIDField(required=False, allow_null=True)
    assignee_role = serializers.ChoiceField(
        choices=Role.choices, required=False, allow_blank=True, default=""
    )
    assignee_organisation = VisibleUUIDField(Organisation, required=False, allow_null=True)
    due_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, attrs):
        user_id = attrs.pop("assignee_user", None)
        if user_id is not None:
            colleagues = RoleAssignment.objects.visible_to(self.context["request"].user).filter(
                organisation_id=attrs["incident"].owner_id
            )
            person = User.objects.filter(uuid=user_id, role_assignments__in=colleagues).first()
            if person is None:
                raise serializers.ValidationError(
                    {"assignee_user": [_("Nobody with this id in the incident's organisation.")]}
                )
            attrs["assignee_user"] = person
        return attrs


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
