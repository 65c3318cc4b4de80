"""Comment rounds (høringer) on a library document and the comments in them."""

import uuid

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.comment_rounds.querysets import (
    CommentRoundQuerySet,
    DocumentCommentQuerySet,
)
from networks.library.models import Document, DocumentVersion
from networks.structure.models import Organisation


@pghistory.track()
class CommentRound(models.Model):
    """Høring — a document version opened for comments by a network and/or named
    organisations until a deadline; it ends with the owner's summary."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="comment_rounds")
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="+"
    )
    deadline = models.DateTimeField(_("deadline"))
    opened_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), db_default=models.functions.Now())
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    objects = CommentRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("comment round")
        verbose_name_plural = _("comment rounds")

    def __str__(self):
        return f"{self.document} ({self.version.number})"


class CommentDecision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    TAKEN_IN = "taken_in", _("Taken in")
    NOT_TAKEN_IN = "not_taken_in", _("Not taken in")


@pghistory.track()
class DocumentComment(models.Model):
    """Høringsinnspill — one organisation's comment on a section of the document."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(CommentRound, on_delete=models.PROTECT, related_name="comments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("section"), max_length=200, blank=True)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), db_default=models.functions.Now())
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=CommentDecision.choices,
        default=CommentDecision.PENDING,
    )
    decision_note = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = DocumentCommentQuerySet.as_manager()

    class Meta:
        ordering = ["round", "section", "created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]
