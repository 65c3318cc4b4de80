"""The library: shared templates, plans and local regulations (documents, their
immutable versions, shares and adoptions)."""

import uuid

import pghistory
import pgtrigger
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.library.querysets import (
    AdoptionQuerySet,
    DocumentQuerySet,
    DocumentVersionQuerySet,
)
from networks.structure.models import AudienceShare, Organisation


class DocumentKind(models.TextChoices):
    ACTION_CARD = "action_card", _("Action card template (tiltakskort)")
    PLAN_TEMPLATE = "plan_template", _("Plan template")
    EVALUATION_TEMPLATE = "evaluation_template", _("Evaluation template")
    LOCAL_REGULATION = "local_regulation", _("Draft local regulation (lokal forskrift)")
    AGREEMENT = "agreement", _("Agreement")
    GUIDE = "guide", _("Guide")


@pghistory.track()
class Document(models.Model):
    """Dokument i biblioteket — owned by an organisation, written in the portal
    (Markdown) and/or an uploaded file. Every edit is a new :class:`DocumentVersion`
    (immutable); the document row carries the latest version's title and text, for
    lists and Norwegian full-text search. An adopted copy remembers its origin
    (:class:`Adoption`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    body = models.TextField(_("text"), blank=True)
    current_number = models.PositiveIntegerField(_("latest version"), default=0)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search = models.GeneratedField(
        expression=SearchVector("title", "topic", "body", config="norwegian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            GinIndex(fields=["search"]),
            models.Index(fields=["owner", "kind"]),
        ]

    def __str__(self):
        return self.title


def document_upload_to(instance, filename):
    return f"library/{instance.document.uuid}/{instance.number}/{filename}"


class DocumentVersion(models.Model):
    """Version *n* of a document, as it was written: never changed or deleted
    (PostgreSQL refuses UPDATE and DELETE). For an action card, ``checklist`` holds the
    steps: ``[{"title": …, "role": …, "time_frame": …}]``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), db_default=models.functions.Now())

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_document_version"),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_version_from_one"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="document_version_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"

    @property
    def download_name(self) -> str:
        """The file's name as the writer uploaded it (else the stored name)."""
        if self.file_name:
            return self.file_name
        assert self.file.name is not None  # a version always has its file
        return self.file.name.rsplit("/", 1)[-1]


@pghistory.track()
class DocumentShare(AudienceShare):
    """A document opened to one audience; removing a share is kept in the history
    (who removed it, when: pghistory)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="shares")

    class Meta(AudienceShare.Meta):
        verbose_name = _("document share")
        verbose_name_plural = _("document shares")

    def __str__(self):
        return f"{self.document} → {self.audience()}"


class Adoption(models.Model):
    """Vedtak om å ta i bruk — an organisation adopted ``source_version`` of a shared
    document as its own copy (``copy``). The origin's owner sees who adopted which
    version; the adopters are told of newer versions; the adopter's office sees it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="adoptions")
    source_version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="adoptions"
    )
    copy = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="adopted_from")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("adopted by"), on_delete=models.PROTECT, related_name="+"
    )
    adopted_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(_("adopted"), db_default=models.functions.Now())

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_at", "-id"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")

    def __str__(self):
        return f"{self.organisation} ← {self.source_version}"
