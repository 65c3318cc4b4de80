"""Serializers of the library API: explicit fields, uuids as ids, objects given by uuid
looked up in what the user may see (unknown and invisible get the same 400)."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from networks.library.models import (
    Adoption,
    Document,
    DocumentKind,
    DocumentShare,
    DocumentVersion,
)
from networks.structure.models import Network, Office, Organisation
from portal.api import VisibleUUIDField


class ChecklistStepSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True)
    time_frame = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_field(ChecklistStepSerializer(many=True))
class ChecklistField(serializers.Field):
    """An action card's steps: a JSON list (or, in a multipart request, a JSON string)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else []
            except ValueError as error:
                raise serializers.ValidationError(_("Not valid JSON.")) from error
        steps = ChecklistStepSerializer(data=data, many=True)
        steps.is_valid(raise_exception=True)
        return [dict(step) for step in steps.validated_data]

    def to_representation(self, value):
        return value


def file_url(version) -> str | None:
    if not version.file:
        return None
    return reverse(
        "api:document-version-file",
        kwargs={"uuid": version.document.uuid, "number": version.number},
    )


class DocumentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    version = serializers.IntegerField(source="current_number", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "topic",
            "owner",
            "owner_name",
            "version",
            "created_at",
            "updated_at",
        ]


class DocumentVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()
    checklist = ChecklistField()

    class Meta:
        model = DocumentVersion
        fields = [
            "number",
            "title",
            "body",
            "body_html",
            "checklist",
            "file_name",
            "file_type",
            "file_size",
            "file_url",
            "change_note",
            "created_by",
            "created_at",
        ]

    def get_created_by(self, version) -> str:
        return version.created_by.get_full_name() or version.created_by.email

    def get_file_url(self, version) -> str | None:
        return file_url(version)


class DocumentShareSerializer(serializers.ModelSerializer):
    """One audience: exactly one of ``organisation`` (uuid), ``network`` (slug),
    ``office`` (slug: the region, an office and its municipalities) or ``everyone``."""

    organisation = VisibleUUIDField(Organisation, required=False, allow_null=True)
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )
    office = serializers.SlugRelatedField(
        slug_field="slug", queryset=Office.objects.all(), required=False, allow_null=True
    )
    everyone = serializers.BooleanField(required=False, default=False)
    audience = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = DocumentShare
        fields = [
            "organisation",
            "network",
            "office",
            "everyone",
            "audience",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_audience(self, share) -> str:
        return str(share.audience())

    def get_created_by(self, share) -> str:
        return share.created_by.get_full_name() or share.created_by.email

    def validate(self, attrs):
        chosen = [k for k in ("organisation", "network", "office") if attrs.get(k)]
        if len(chosen) + bool(attrs.get("everyone")) != 1:
            raise serializers.ValidationError(
                _("Choose one audience: organisation, network, office or everyone.")
            )
        return attrs


class AdoptionOriginSerializer(serializers.Serializer):
    source = serializers.UUIDField(source="source.uuid")  # type: ignore[assignment]  # a field named "source"; DRF's metaclass takes it off the class
    source_owner = serializers.CharField(source="source.owner.name")
    source_version = serializers.IntegerField(source="source_version.number")
    source_latest_version = serializers.IntegerField(source="source.current_number")


class DocumentDetailSerializer(DocumentSerializer):
    """The document with its latest version; ``shares`` for the owner and the owner's
    office (null for a recipient); ``origin`` for an adopted copy."""

    latest = serializers.SerializerMethodField()
    shares = serializers.SerializerMethodField()
    origin = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "latest", "shares", "origin"]

    @extend_schema_field(DocumentVersionSerializer)
    def get_latest(self, document):
        return DocumentVersionSerializer(self.context["latest"]).data

    @extend_schema_field(DocumentShareSerializer(many=True, allow_null=True))
    def get_shares(self, document):
        shares = self.context.get("shares")
        return None if shares is None else DocumentShareSerializer(shares, many=True).data

    @extend_schema_field(AdoptionOriginSerializer(allow_null=True))
    def get_origin(self, document):
        origin = self.context.get("origin")
        return None if origin is None else AdoptionOriginSerializer(origin).data


class DocumentCreateSerializer(serializers.Serializer):
    owner = VisibleUUIDField(Organisation, help_text="The owning organisation (you write for it).")
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200)
    topic = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(
        required=False, allow_null=True, help_text="PDF, DOCX or ODT, at most 20 MB."
    )
    checklist = ChecklistField(required=False, default=list)


class DocumentNewVersionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="PDF, DOCX or ODT, at most 20 MB; without it the latest file is kept.",
    )
    remove_file = serializers.BooleanField(required=False, default=False)
    checklist = ChecklistField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Without it the latest checklist is kept.",
    )
    change_note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    expected_number = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The version you started from; a newer one saved meanwhile is a conflict "
        "(412 with the current version) and nothing is saved.",
    )


class DocumentDiffChangeSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete", "replace"])
    old = serializers.CharField()
    new = serializers.CharField()


class DocumentDiffSerializer(serializers.Serializer):
    from_version = serializers.IntegerField(source="old.number")
    to_version = serializers.IntegerField(source="new.number")
    title_changed = serializers.BooleanField()
    changed = serializers.BooleanField()
    file_changed = serializers.BooleanField()
    checklist_changed = serializers.BooleanField()
    unified = serializers.CharField(help_text="The change as a unified diff (plain text).")
    html = serializers.SerializerMethodField(
        help_text="The newer text with <del> and <ins> marks (escaped, safe to show)."
    )
    changes = DocumentDiffChangeSerializer(source="blocks", many=True)

    def get_html(self, diff) -> str:
        return "\n".join(str(block.html) for block in diff["blocks"])


class AdoptionSerializer(serializers.ModelSerializer):
    """Who adopted which version. Create with ``source`` (a document shared with you) and
    ``organisation`` (one you write for): 400 with a field error otherwise."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    source = VisibleUUIDField(Document)  # type: ignore[assignment]  # a field named "source"; DRF's metaclass takes it off the class
    organisation = VisibleUUIDField(Organisation)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    source_version = serializers.IntegerField(source="source_version.number", read_only=True)
    copy = serializers.UUIDField(source="copy.uuid", read_only=True)

    class Meta:
        model = Adoption
        fields = [
            "id",
            "source",
            "source_version",
            "copy",
            "organisation",
            "organisation_name",
            "adopted_at",
        ]
        read_only_fields = ["adopted_at"]
