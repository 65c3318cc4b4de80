"""Filters of the comment round lists (the API's ``comment-rounds`` and
``document-comments``)."""

from django_filters import rest_framework as filters

from networks.comment_rounds.models import CommentDecision, CommentRound, DocumentComment


class CommentRoundFilterSet(filters.FilterSet):
    document = filters.UUIDFilter(field_name="document__uuid", help_text="The document's id.")
    closed = filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", exclude=True, help_text="Ended or not."
    )

    class Meta:
        model = CommentRound
        fields = ["document", "closed"]


class DocumentCommentFilterSet(filters.FilterSet):
    round = filters.UUIDFilter(field_name="round__uuid", help_text="The comment round's id.")
    section = filters.CharFilter(field_name="section")
    decision = filters.ChoiceFilter(choices=CommentDecision.choices)

    class Meta:
        model = DocumentComment
        fields = ["round", "section", "decision"]
