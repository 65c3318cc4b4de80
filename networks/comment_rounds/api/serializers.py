"""Serializers of the comment round API (høring): explicit fields, uuids as ids, objects
given by uuid looked up in what the user may see."""

from rest_framework import serializers

from networks.comment_rounds import actions
from networks.comment_rounds.models import CommentDecision, CommentRound, DocumentComment
from networks.library.models import Document
from networks.structure.models import Network, Organisation
from portal.api import VisibleUUIDField


class CommentRoundSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    document = serializers.UUIDField(source="document.uuid", read_only=True)
    document_title = serializers.CharField(source="version.title", read_only=True)
    owner = serializers.UUIDField(source="document.owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="document.owner.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    network = serializers.UUIDField(source="network.uuid", read_only=True, allow_null=True)
    organisations = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="uuid", help_text="Named organisations invited."
    )
    sections = serializers.SerializerMethodField(
        help_text='The sections one may comment on ("" is the document as a whole).'
    )
    is_open = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True, help_text="Comments not decided.")

    class Meta:
        model = CommentRound
        fields = [
            "id",
            "document",
            "document_title",
            "owner",
            "owner_name",
            "version",
            "network",
            "organisations",
            "deadline",
            "opened_at",
            "closed_at",
            "summary",
            "is_open",
            "sections",
            "comment_count",
            "pending_count",
        ]

    def get_sections(self, round_) -> list[str]:
        return actions.section_names(round_.version.body)

    def get_is_open(self, round_) -> bool:
        return actions.round_is_open(round_)


class CommentRoundCreateSerializer(serializers.Serializer):
    """Open the latest version of ``document`` (yours) for comments by ``network``'s
    current members and/or the named ``organisations`` until ``deadline``."""

    document = VisibleUUIDField(Document)
    network = VisibleUUIDField(Network, required=False, allow_null=True)
    organisations = VisibleUUIDField(Organisation, many=True, required=False)
    deadline = serializers.DateTimeField()


class CloseSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=actions.SUMMARY_MAX_LENGTH)


class DocumentCommentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    round = serializers.UUIDField(source="round.uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = DocumentComment
        fields = [
            "id",
            "round",
            "organisation",
            "organisation_name",
            "author_name",
            "section",
            "body",
            "created_at",
            "decision",
            "decision_note",
            "decided_at",
        ]

    def get_author_name(self, comment) -> str:
        return comment.author.get_full_name() or comment.author.email


class DocumentCommentCreateSerializer(serializers.Serializer):
    """A comment on one section of the round's version (``""``: the document as a whole),
    by an invitee's writer before the deadline. ``organisation``: which of your invited
    organisations you comment for (needed when you write for more than one: 400 on this
    field without it; one you may not comment for is 403)."""

    round = VisibleUUIDField(CommentRound)
    section = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    body = serializers.CharField(max_length=actions.COMMENT_MAX_LENGTH)
    organisation = VisibleUUIDField(Organisation, required=False, allow_null=True)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[CommentDecision.TAKEN_IN, CommentDecision.NOT_TAKEN_IN]
    )
    decision_note = serializers.CharField(
        allow_blank=True, required=False, default="", help_text="Required when not taken in."
    )
